import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	backoffDelay,
	createSyncScheduler,
	runExclusive,
	type LockManagerLike,
	type SyncSchedulerOptions
} from '$lib/client/sync/scheduler';

/** A run whose calls the test settles by hand. */
function controlledRun() {
	const calls: { resolve: () => void; reject: (error: unknown) => void }[] = [];
	const run = vi.fn(
		() =>
			new Promise<void>((resolve, reject) => {
				calls.push({ resolve, reject });
			})
	);
	return { run, calls };
}

/** Lets pending promise callbacks run (without moving the fake clock). */
const settle = () => vi.advanceTimersByTimeAsync(0);

function setup(overrides: Partial<SyncSchedulerOptions> = {}) {
	let online = true;
	const { run, calls } = controlledRun();
	const scheduler = createSyncScheduler({
		run,
		isOnline: () => online,
		now: () => Date.now(),
		random: () => 0.5,
		setTimeout: (callback, ms) => setTimeout(callback, ms),
		clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
		...overrides
	});
	return {
		scheduler,
		run,
		calls,
		setOnline(value: boolean) {
			online = value;
		}
	};
}

beforeEach(() => {
	vi.useFakeTimers({ now: new Date('2025-03-01T08:00:00Z') });
});
afterEach(() => {
	vi.useRealTimers();
});

describe('backoffDelay', () => {
	it('doubles from 5 s, caps at 10 min and jitters ±50 %', () => {
		const middle = () => 0.5;
		expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, middle))).toEqual([
			5_000, 10_000, 20_000, 40_000, 80_000
		]);
		expect(backoffDelay(8, middle)).toBe(600_000);
		expect(backoffDelay(50, middle)).toBe(600_000);
		expect(backoffDelay(1, () => 0)).toBe(2_500);
		expect(backoffDelay(1, () => 0.999999)).toBe(7_500);
		// The cap holds with jitter too.
		expect(backoffDelay(12, () => 0.999999)).toBe(600_000);
		expect(backoffDelay(12, () => 0)).toBe(300_000);
	});
});

describe('the sync scheduler', () => {
	it('runs at start and then every minute while online', async () => {
		const { scheduler, run, calls } = setup();
		scheduler.start();
		expect(run).toHaveBeenCalledTimes(1);
		calls[0].resolve();
		await settle();
		expect(scheduler.snapshot()).toMatchObject({ running: false, failures: 0 });
		expect(scheduler.snapshot().nextRunAt).toBe(Date.now() + 60_000);

		await vi.advanceTimersByTimeAsync(59_999);
		expect(run).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(run).toHaveBeenCalledTimes(2);
		calls[1].resolve();
		await settle();
		await vi.advanceTimersByTimeAsync(60_000);
		expect(run).toHaveBeenCalledTimes(3);
	});

	it('never runs twice at once in a tab', async () => {
		const { scheduler, run, calls } = setup();
		scheduler.start();
		void scheduler.notifyOnline();
		void scheduler.notifyVisible();
		await settle();
		expect(run).toHaveBeenCalledTimes(1);
		expect(scheduler.snapshot().running).toBe(true);
		calls[0].resolve();
		await settle();
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('"Sync now" during a run queues one run right after it', async () => {
		const { scheduler, run, calls } = setup();
		scheduler.start();
		const first = scheduler.syncNow();
		const second = scheduler.syncNow();
		expect(first).toBe(second);
		calls[0].resolve();
		await settle();
		expect(run).toHaveBeenCalledTimes(2);
		calls[1].resolve();
		expect(await first).toEqual({ ran: true, ok: true });
	});

	it('backs off exponentially with jitter after failures, then returns to the interval', async () => {
		const randoms = [0.5, 0, 1 - 1e-9, 0.5];
		const { scheduler, run, calls } = setup({ random: () => randoms.shift() ?? 0.5 });
		scheduler.start();
		const waits: number[] = [];
		for (let i = 0; i < 4; i++) {
			calls[i].reject(new Error('server down'));
			await settle();
			const { nextRunAt, failures } = scheduler.snapshot();
			expect(failures).toBe(i + 1);
			waits.push(nextRunAt! - Date.now());
			await vi.advanceTimersByTimeAsync(nextRunAt! - Date.now());
			expect(run).toHaveBeenCalledTimes(i + 2);
		}
		// 5 s × 2^n: 5 s (±0), 10 s −50 %, 20 s +50 %, 40 s (±0).
		expect(waits).toEqual([5_000, 5_000, 30_000, 40_000]);
		calls[4].resolve();
		await settle();
		expect(scheduler.snapshot()).toMatchObject({ failures: 0, lastError: null });
		expect(scheduler.snapshot().nextRunAt! - Date.now()).toBe(60_000);
	});

	it('waits offline and runs as soon as the browser is online again', async () => {
		const { scheduler, run, calls, setOnline } = setup();
		setOnline(false);
		scheduler.start();
		expect(run).not.toHaveBeenCalled();
		expect(scheduler.snapshot()).toMatchObject({ online: false, nextRunAt: null });
		await vi.advanceTimersByTimeAsync(10 * 60_000);
		expect(run).not.toHaveBeenCalled();
		expect(await scheduler.syncNow()).toEqual({ ran: false, reason: 'offline' });

		setOnline(true);
		void scheduler.notifyOnline();
		expect(run).toHaveBeenCalledTimes(1);
		calls[0].resolve();
		await settle();

		// Going offline cancels the next run; the interval timer finding it offline does nothing.
		setOnline(false);
		scheduler.notifyOffline();
		expect(scheduler.snapshot().nextRunAt).toBeNull();
		await vi.advanceTimersByTimeAsync(120_000);
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('going online skips the backoff wait', async () => {
		const { scheduler, run, calls } = setup();
		scheduler.start();
		calls[0].reject(new Error('no network'));
		await settle();
		expect(scheduler.snapshot().nextRunAt! - Date.now()).toBe(5_000);
		void scheduler.notifyOnline();
		expect(run).toHaveBeenCalledTimes(2);
	});

	it('runs when the app becomes visible, but not in the middle of a backoff wait', async () => {
		const { scheduler, run, calls } = setup();
		scheduler.start();
		calls[0].resolve();
		await settle();
		await vi.advanceTimersByTimeAsync(10_000);
		void scheduler.notifyVisible();
		expect(run).toHaveBeenCalledTimes(2);
		calls[1].reject(new Error('server down'));
		await settle();
		expect(await scheduler.notifyVisible()).toEqual({ ran: false, reason: 'not-due' });
		expect(run).toHaveBeenCalledTimes(2);
		// "Sync now" does not wait for the backoff.
		void scheduler.syncNow();
		expect(run).toHaveBeenCalledTimes(3);
	});

	it('stops after a failure retrying cannot fix, until asked again', async () => {
		const fatal = new Error('revoked');
		const { scheduler, run, calls } = setup({ isFatal: (error) => error === fatal });
		scheduler.start();
		calls[0].reject(fatal);
		await settle();
		expect(scheduler.snapshot()).toMatchObject({ halted: true, nextRunAt: null });
		await vi.advanceTimersByTimeAsync(60 * 60_000);
		expect(await scheduler.notifyOnline()).toEqual({ ran: false, reason: 'halted' });
		expect(run).toHaveBeenCalledTimes(1);
		// After a new enrolment the app asks again.
		void scheduler.syncNow();
		expect(run).toHaveBeenCalledTimes(2);
		calls[1].resolve();
		await settle();
		expect(scheduler.snapshot()).toMatchObject({ halted: false });
	});

	it('runs under the cross-tab lock and skips while another tab holds it', async () => {
		let held = false;
		const requests: { name: string; ifAvailable?: boolean }[] = [];
		const locks: LockManagerLike = {
			async request(name, options, callback) {
				requests.push({ name, ...options });
				if (held) return callback(null);
				held = true;
				try {
					return await callback({ name });
				} finally {
					held = false;
				}
			}
		};
		const first = setup({ locks });
		const second = setup({ locks });
		first.scheduler.start();
		await settle();
		expect(first.run).toHaveBeenCalledTimes(1);
		second.scheduler.start();
		expect(await second.scheduler.syncNow()).toEqual({ ran: false, reason: 'other-tab' });
		expect(second.run).not.toHaveBeenCalled();
		expect(requests[0]).toEqual({ name: 'fieldmatrix-sync', ifAvailable: true });
		// Not a failure: the other tab syncs the same database; try at the next interval.
		expect(second.scheduler.snapshot()).toMatchObject({ failures: 0 });
		expect(second.scheduler.snapshot().nextRunAt! - Date.now()).toBe(60_000);

		first.calls[0].resolve();
		await settle();
		expect(held).toBe(false);
		void second.scheduler.syncNow();
		await settle();
		expect(second.run).toHaveBeenCalledTimes(1);
	});

	it('does nothing more once stopped', async () => {
		const { scheduler, run, calls } = setup();
		scheduler.start();
		calls[0].resolve();
		await settle();
		scheduler.stop();
		await vi.advanceTimersByTimeAsync(10 * 60_000);
		expect(await scheduler.notifyOnline()).toEqual({ ran: false, reason: 'stopped' });
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('tells subscribers when it starts and ends a run', async () => {
		const { scheduler, calls } = setup();
		const running: boolean[] = [];
		const unsubscribe = scheduler.subscribe((state) => running.push(state.running));
		scheduler.start();
		calls[0].resolve();
		await settle();
		unsubscribe();
		expect(running).toContain(true);
		expect(running.at(-1)).toBe(false);
	});
});

describe('runExclusive (for the service worker)', () => {
	it('waits for the lock when asked to, else skips while it is held', async () => {
		const options: { ifAvailable?: boolean }[] = [];
		const free: LockManagerLike = {
			request: async (_name, opts, callback) => {
				options.push(opts);
				return callback({});
			}
		};
		const busy: LockManagerLike = { request: async (_name, _opts, callback) => callback(null) };
		expect(await runExclusive(free, async () => 'synced', { wait: true })).toBe('synced');
		expect(options[0]).toEqual({});
		expect(await runExclusive(busy, async () => 'synced')).toBeNull();
		expect(await runExclusive(null, async () => 'synced')).toBe('synced');
	});
});
