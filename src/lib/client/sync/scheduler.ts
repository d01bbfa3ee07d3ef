/**
 * When to sync: at start, when the browser goes online, when the app becomes visible, every
 * minute while online, and when the person asks ("Sync now"). After a failure it waits longer
 * each time (5 s, 10 s, 20 s … at most 10 min, each ±50 % at random so a mission's phones coming
 * back together do not hit the server in step). Never two runs at once in this tab; across tabs
 * (and the service worker) one at a time through the Web Locks API where the browser has it
 * (a tab that finds the lock taken skips: the other one is syncing the same database).
 *
 * Pure: time, randomness, timers and locks are injected, so tests drive it with fake timers.
 */

export const SYNC_LOCK_NAME = 'fieldmatrix-sync';

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
	request<T>(
		name: string,
		options: { ifAvailable?: boolean },
		callback: (lock: unknown) => Promise<T> | T
	): Promise<T>;
}

export interface BackoffPolicy {
	/** The first wait after a failure. */
	baseMs: number;
	/** No wait is longer, jitter included. */
	maxMs: number;
	/** ± this fraction of the wait, at random. */
	jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000, jitter: 0.5 };

/** The wait after `failures` failures in a row (≥ 1): base × 2^(failures−1), jittered, capped. */
export function backoffDelay(
	failures: number,
	random: () => number,
	policy: BackoffPolicy = DEFAULT_BACKOFF
): number {
	const exponent = Math.min(Math.max(failures, 1) - 1, 30);
	const wait = Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
	const jittered = wait * (1 + policy.jitter * (2 * random() - 1));
	return Math.round(Math.min(policy.maxMs, Math.max(0, jittered)));
}

export type TriggerReason = 'start' | 'online' | 'visible' | 'interval' | 'retry' | 'manual';

export type RunOutcome =
	| { ran: true; ok: true }
	| { ran: true; ok: false; error: unknown }
	| { ran: false; reason: 'offline' | 'stopped' | 'halted' | 'other-tab' | 'not-due' };

export interface SchedulerSnapshot {
	started: boolean;
	running: boolean;
	online: boolean;
	/** Failures in a row since the last success. */
	failures: number;
	/** When the next run is planned (epoch ms), or null (offline, stopped, halted). */
	nextRunAt: number | null;
	lastRunAt: number | null;
	lastError: unknown;
	/** A failure retrying cannot fix (revoked, not enrolled): no runs until syncNow(). */
	halted: boolean;
}

export interface SyncSchedulerOptions {
	/** One sync; a rejection is a failure. */
	run: () => Promise<unknown>;
	isOnline: () => boolean;
	now?: () => number;
	random?: () => number;
	setTimeout?: (callback: () => void, ms: number) => unknown;
	clearTimeout?: (handle: unknown) => void;
	/** `navigator.locks` where it exists; null or absent: the in-tab guard only. */
	locks?: LockManagerLike | null;
	lockName?: string;
	intervalMs?: number;
	backoff?: BackoffPolicy;
	/** Failures after which retrying is pointless. */
	isFatal?: (error: unknown) => boolean;
}

export interface SyncScheduler {
	/** Starts the cycle with a run now. */
	start(): void;
	/** No more runs (one in progress finishes). */
	stop(): void;
	/** "Sync now": runs at once (after the run in progress, if any), even during a backoff. */
	syncNow(): Promise<RunOutcome>;
	notifyOnline(): Promise<RunOutcome>;
	notifyOffline(): void;
	/** The app became visible: runs unless a backoff wait is still under way. */
	notifyVisible(): Promise<RunOutcome>;
	snapshot(): SchedulerSnapshot;
	/** Called with every change of the snapshot; returns the unsubscribe function. */
	subscribe(listener: (snapshot: SchedulerSnapshot) => void): () => void;
}

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
	const now = options.now ?? Date.now;
	const random = options.random ?? Math.random;
	const setTimer = options.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms));
	const clearTimer =
		options.clearTimeout ??
		((handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>));
	const intervalMs = options.intervalMs ?? 60_000;
	const backoff = options.backoff ?? DEFAULT_BACKOFF;
	const lockName = options.lockName ?? SYNC_LOCK_NAME;
	const listeners = new Set<(snapshot: SchedulerSnapshot) => void>();

	let started = false;
	let halted = false;
	let failures = 0;
	let nextRunAt: number | null = null;
	let lastRunAt: number | null = null;
	let lastError: unknown = null;
	let timer: unknown = null;
	let current: Promise<RunOutcome> | null = null;
	let followUp: Promise<RunOutcome> | null = null;

	const snapshot = (): SchedulerSnapshot => ({
		started,
		running: current !== null,
		online: options.isOnline(),
		failures,
		nextRunAt,
		lastRunAt,
		lastError,
		halted
	});
	const emit = () => {
		const state = snapshot();
		for (const listener of listeners) listener(state);
	};

	function cancelTimer() {
		if (timer !== null) clearTimer(timer);
		timer = null;
		nextRunAt = null;
	}

	function schedule(ms: number) {
		cancelTimer();
		if (!started || halted || !options.isOnline()) return;
		nextRunAt = now() + ms;
		timer = setTimer(() => {
			timer = null;
			nextRunAt = null;
			void trigger(failures > 0 ? 'retry' : 'interval');
		}, ms);
	}

	async function runLocked(): Promise<'ran' | 'other-tab'> {
		if (!options.locks) {
			await options.run();
			return 'ran';
		}
		return options.locks.request(lockName, { ifAvailable: true }, async (lock) => {
			if (!lock) return 'other-tab' as const;
			await options.run();
			return 'ran' as const;
		});
	}

	async function execute(): Promise<RunOutcome> {
		try {
			const result = await runLocked();
			lastRunAt = now();
			if (result === 'other-tab') {
				schedule(intervalMs);
				return { ran: false, reason: 'other-tab' };
			}
			failures = 0;
			lastError = null;
			schedule(intervalMs);
			return { ran: true, ok: true };
		} catch (error) {
			lastRunAt = now();
			lastError = error;
			if (options.isFatal?.(error)) {
				halted = true;
				cancelTimer();
			} else {
				failures++;
				schedule(backoffDelay(failures, random, backoff));
			}
			return { ran: true, ok: false, error };
		}
	}

	function begin(): Promise<RunOutcome> {
		cancelTimer();
		let settle: (outcome: RunOutcome) => void = () => undefined;
		const run = new Promise<RunOutcome>((resolve) => (settle = resolve)).finally(() => {
			current = null;
			emit();
		});
		current = run;
		emit();
		// Started at once, in this call; execute() never rejects.
		void execute().then(settle);
		return run;
	}

	const skip = (reason: 'offline' | 'stopped' | 'halted'): Promise<RunOutcome> =>
		Promise.resolve({ ran: false, reason });

	function trigger(reason: TriggerReason): Promise<RunOutcome> {
		const manual = reason === 'manual';
		if (!started && !manual) return skip('stopped');
		if (manual) halted = false;
		if (halted) return skip('halted');
		if (!options.isOnline()) {
			cancelTimer();
			emit();
			return skip('offline');
		}
		if (current) {
			if (!manual) return current;
			// The person asked after the run began: what they just saved may have missed it.
			followUp ??= current.then(() => {
				followUp = null;
				return trigger('manual');
			});
			return followUp;
		}
		return begin();
	}

	return {
		start() {
			if (started) return;
			started = true;
			void trigger('start');
		},
		stop() {
			started = false;
			cancelTimer();
			emit();
		},
		syncNow: () => trigger('manual'),
		notifyOnline: () => trigger('online'),
		notifyOffline() {
			cancelTimer();
			emit();
		},
		notifyVisible() {
			const waiting = failures > 0 && nextRunAt !== null && now() < nextRunAt;
			if (waiting) return Promise.resolve({ ran: false, reason: 'not-due' });
			return trigger('visible');
		},
		snapshot,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		}
	};
}

/**
 * Runs `task` holding the sync lock, for callers outside the scheduler (the service worker's
 * Background Sync). Waits for the lock when `wait`, else skips (null) while another holds it.
 */
export async function runExclusive<T>(
	locks: LockManagerLike | null | undefined,
	task: () => Promise<T>,
	{ wait = false, lockName = SYNC_LOCK_NAME }: { wait?: boolean; lockName?: string } = {}
): Promise<T | null> {
	if (!locks) return task();
	return locks.request(lockName, wait ? {} : { ifAvailable: true }, async (lock) =>
		lock ? task() : null
	);
}
