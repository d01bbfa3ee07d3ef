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

/** Asks the browser to wake the service worker when connectivity returns (where supported). */
export async function requestBackgroundSync(): Promise<boolean> {
	try {
		// Not `ready`: it never settles on a page without a service worker.
		const registration = await navigator.serviceWorker?.getRegistration();
		const sync = (registration as { sync?: { register(tag: string): Promise<void> } } | undefined)
			?.sync;
		if (!sync) return false;
		await sync.register(BACKGROUND_SYNC_TAG);
		return true;
	} catch {
		return false;
	}
}
