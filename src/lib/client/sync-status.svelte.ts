import { createContext } from 'svelte';
import { readDeviceValue } from './annotations/device-state';
import { database } from './database';
import type { SchedulerSnapshot, SyncScheduler } from './sync/scheduler';
import type { computeSyncStatus, SyncFacts, SyncStatus } from './sync/status';

/**
 * The sync loop of this tab and what the header says about it. The sync code loads only on an
 * enrolled device, after the first screen (nothing on it needs the network), then runs at start,
 * on `online`, on becoming visible, every minute and on "Sync now" (see sync/scheduler.ts).
 */
export function useSyncStatus() {
	let facts = $state.raw<SyncFacts | undefined>(undefined);
	let snapshot = $state.raw<Pick<SchedulerSnapshot, 'running' | 'online' | 'nextRunAt'>>({
		running: false,
		online: typeof navigator === 'undefined' ? true : navigator.onLine,
		nextRunAt: null
	});
	let compute = $state.raw<typeof computeSyncStatus | undefined>(undefined);
	let enrolled = $state<boolean | undefined>(undefined);
	let scheduler: SyncScheduler | undefined;
	let starting: Promise<void> | undefined;
	let stopped = false;
	let cleanup = () => {};

	function start(): Promise<void> {
		starting ??= Promise.all([
			import('./sync/browser'),
			import('./sync/status'),
			import('dexie'),
			database()
		]).then(([browser, status, { liveQuery }, db]) => {
			if (stopped) return;
			compute = status.computeSyncStatus;
			const sync = browser.startSyncInBrowser();
			scheduler = sync.scheduler;
			snapshot = sync.scheduler.snapshot();
			const unsubscribe = sync.scheduler.subscribe((next) => (snapshot = next));
			const subscription = liveQuery(() => status.readSyncFacts(db)).subscribe({
				next: (next) => {
					facts = next;
					// Changes saved offline: ask the browser to wake the service worker when the
					// network returns, even if this tab is closed by then (Chromium only).
					if (next.pending > 0 && !navigator.onLine) void browser.requestBackgroundSync();
				}
			});
			cleanup = () => {
				unsubscribe();
				subscription.unsubscribe();
				sync.stop();
			};
		});
		return starting;
	}

	$effect(() => {
		stopped = false;
		// A device that never enrolled does not sync: it downloads none of the sync code.
		void database()
			.then((db) => readDeviceValue(db, 'enrolment'))
			.then(
				(enrolment) => {
					enrolled = enrolment !== undefined;
					if (enrolment && !stopped) void start();
				},
				// No readable database: the page says so itself (the catalog cannot load either).
				() => (enrolled = false)
			);
		return () => {
			stopped = true;
			cleanup();
		};
	});

	return {
		/** Whether the device is enrolled; undefined until its database said. */
		get enrolled() {
			return enrolled;
		},
		get status(): SyncStatus | undefined {
			return facts && compute ? compute(facts, snapshot) : undefined;
		},
		/** Runs a sync now, loading and starting the sync loop first if needed (after enrolling). */
		async syncNow() {
			await start();
			return scheduler?.syncNow();
		}
	};
}

export type SyncStatusState = ReturnType<typeof useSyncStatus>;

export const [getSyncStatus, setSyncStatus] = createContext<SyncStatusState>();
