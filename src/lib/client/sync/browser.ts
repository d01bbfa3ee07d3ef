import { db as defaultDb, type FieldMatrixDatabase } from '../db';
import { createApiClient, SyncApiError, type SyncApi } from './api-client';
import {
	createSyncScheduler,
	runExclusive,
	type LockManagerLike,
	type SyncScheduler,
	type SyncSchedulerOptions
} from './scheduler';
import { syncOnce, type SyncSummary } from './sync-engine';
import { BACKGROUND_SYNC_SCOPE, BACKGROUND_SYNC_WORKER_FILE } from './background-sync-paths';

/**
 * The thin browser wiring: the scheduler on the real clock, timers and Web Locks, fed by the
 * window's `online` / `offline` and the document's `visibilitychange`. Call once in the app's
 * root layout (browser only); the returned scheduler is what "Sync now" and the status line use.
 */

export const BACKGROUND_SYNC_TAG = 'fieldmatrix-sync';

/** The run did nothing because the device cannot sync; the scheduler stops until syncNow(). */
export class SyncHaltedError extends Error {
	override readonly name = 'SyncHaltedError';
	constructor(readonly reason: NonNullable<SyncSummary['skipped']>) {
		super(`sync stopped: ${reason}`);
	}
}

/** Failures retrying cannot fix: a revoked or unknown token, a device not (or no more) enrolled. */
export function isFatalSyncError(error: unknown): boolean {
	return error instanceof SyncHaltedError || (error instanceof SyncApiError && error.stopsSync);
}

/** One sync that throws when it could not even start (so the scheduler halts). */
export async function syncOrHalt(db: FieldMatrixDatabase, api: SyncApi): Promise<SyncSummary> {
	const summary = await syncOnce(db, api);
	if (summary.skipped) throw new SyncHaltedError(summary.skipped);
	return summary;
}

export interface BrowserSync {
	scheduler: SyncScheduler;
	/** Removes the listeners and stops the scheduler. */
	stop(): void;
}

export function startSyncInBrowser(
	options: {
		db?: FieldMatrixDatabase;
		api?: SyncApi;
		scheduler?: Partial<SyncSchedulerOptions>;
	} = {}
): BrowserSync {
	const db = options.db ?? defaultDb;
	const api = options.api ?? createApiClient();
	const scheduler = createSyncScheduler({
		run: async () => {
			try {
				await syncOrHalt(db, api);
			} catch (error) {
				if (error instanceof SyncApiError && error.kind === 'network') {
					void requestBackgroundSync();
				}
				throw error;
			}
		},
		isOnline: () => navigator.onLine,
		locks: browserLocks(),
		isFatal: isFatalSyncError,
		setTimeout: (callback, ms) => window.setTimeout(callback, ms),
		clearTimeout: (handle) => window.clearTimeout(handle as number),
		...options.scheduler
	});

	const onOnline = () => void scheduler.notifyOnline();
	const onOffline = () => scheduler.notifyOffline();
	const onVisibility = () => {
		if (document.visibilityState === 'visible') void scheduler.notifyVisible();
	};
	window.addEventListener('online', onOnline);
	window.addEventListener('offline', onOffline);
	document.addEventListener('visibilitychange', onVisibility);
	scheduler.start();
	if (navigator.onLine) void ensureBackgroundSyncWorker();

	return {
		scheduler,
		stop() {
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOffline);
			document.removeEventListener('visibilitychange', onVisibility);
			scheduler.stop();
		}
	};
}

function browserLocks(): LockManagerLike | null {
	const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
	return locks ?? null;
}

/**
 * For the service worker's `sync` event (Background Sync, tag BACKGROUND_SYNC_TAG): one sync
 * under the same lock as the tabs, waiting for it, so a tab's run and the worker's never overlap.
 * Rejects on failure so the browser retries the sync event later.
 */
export async function runBackgroundSync(
	options: { db?: FieldMatrixDatabase; api?: SyncApi; locks?: LockManagerLike | null } = {}
): Promise<SyncSummary | null> {
	const db = options.db ?? defaultDb;
	const api = options.api ?? createApiClient();
	const locks = options.locks === undefined ? browserLocks() : options.locks;
	return runExclusive(locks, () => syncOnce(db, api), { wait: true });
}

interface SyncManagerLike {
	register(tag: string): Promise<void>;
}

function hasBackgroundSync(): boolean {
	return (
		typeof ServiceWorkerRegistration !== 'undefined' &&
		'sync' in ServiceWorkerRegistration.prototype
	);
}

/**
 * Installs the Background Sync worker (background-sync-worker.ts) where the browser has
 * Background Sync. Called on an enrolled device's start while online: later, offline, there is
 * no network to fetch the worker from. Registering again is cheap (the browser compares bytes).
 */
export async function ensureBackgroundSyncWorker(): Promise<ServiceWorkerRegistration | null> {
	if (!hasBackgroundSync() || !navigator.serviceWorker) return null;
	try {
		return await navigator.serviceWorker.register(`/${BACKGROUND_SYNC_WORKER_FILE}`, {
			type: 'module',
			scope: BACKGROUND_SYNC_SCOPE
		});
	} catch {
		return null;
	}
}

/** Resolves once the registration has an active worker (a fresh one may still be installing). */
function isActivated(registration: ServiceWorkerRegistration): Promise<boolean> {
	if (registration.active) return Promise.resolve(true);
	const worker = registration.installing ?? registration.waiting;
	if (!worker) return Promise.resolve(false);
	return new Promise((resolve) => {
		worker.addEventListener('statechange', () => {
			if (worker.state === 'activated') resolve(true);
			if (worker.state === 'redundant') resolve(false);
		});
	});
}

/** Asks the browser to wake the Background Sync worker when connectivity returns (where supported). */
export async function requestBackgroundSync(): Promise<boolean> {
	try {
		if (!hasBackgroundSync()) return false;
		const registration = await navigator.serviceWorker?.getRegistration(BACKGROUND_SYNC_SCOPE);
		// Without its own registration, the lookup answers the main worker's (scope `/`), which
		// has no `sync` listener: a sync registered there would never run.
		if (!registration?.scope.endsWith(BACKGROUND_SYNC_SCOPE)) return false;
		if (!(await isActivated(registration))) return false;
		const sync = (registration as ServiceWorkerRegistration & { sync?: SyncManagerLike }).sync;
		if (!sync) return false;
		await sync.register(BACKGROUND_SYNC_TAG);
		return true;
	} catch {
		return false;
	}
}
