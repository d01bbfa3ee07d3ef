import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Enrolment } from '$lib/client/db';
import { isFatalSyncError, startSyncInBrowser, SyncHaltedError } from '$lib/client/sync/browser';
import { SyncApiError } from '$lib/client/sync/api-client';
import { computeSyncStatus, readSyncStatus, type SyncFacts } from '$lib/client/sync/status';
import { useFreshDatabases, withProfile } from '../fixtures/annotation-db';
import { enrolledDevice, useTestServer } from './test-server';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const server = useTestServer();
const databases = useFreshDatabases('sync-status');

const enrolment: Enrolment = {
	token: 'fm1_x',
	role: 'focal-point',
	mission: 'UNMISS',
	displayName: 'Amina',
	deviceId: '0190f1c4-6a2e-7cc1-8b52-3c1f0e9d4a10',
	enrolledAt: '2025-03-01T08:00:00.000Z',
	revokedAt: null
};
const facts = (overrides: Partial<SyncFacts> = {}): SyncFacts => ({
	enrolment,
	lastSyncedAt: '2025-03-01T09:00:00.000Z',
	lastSyncError: null,
	pending: 0,
	conflicts: 0,
	rejected: 0,
	parked: 0,
	...overrides
});
const idle = { running: false, online: true, nextRunAt: null };

describe('the sync status', () => {
	it('says where sync stands, most important first', () => {
		expect(computeSyncStatus(facts({ enrolment: null, pending: 2 }), idle)).toMatchObject({
			state: 'not-enrolled',
			pending: 2
		});
		const revoked = facts({
			enrolment: { ...enrolment, revokedAt: '2025-03-02T00:00:00.000Z' },
			lastSyncError: { kind: 'revoked', code: 'revoked', message: 'revoked', at: '' }
		});
		expect(computeSyncStatus(revoked, { ...idle, running: true })).toMatchObject({
			state: 'revoked',
			reason: 'revoked'
		});
		expect(computeSyncStatus(facts(), { ...idle, running: true }).state).toBe('syncing');
		expect(computeSyncStatus(facts({ pending: 3 }), { ...idle, online: false })).toMatchObject({
			state: 'offline',
			pending: 3
		});
		const failed = facts({
			lastSyncError: { kind: 'forbidden', code: 'mission-retired', message: 'closed', at: '' }
		});
		expect(computeSyncStatus(failed, { ...idle, nextRunAt: 42 })).toMatchObject({
			state: 'failed',
			reason: 'mission-retired',
			message: 'closed',
			nextAttemptAt: 42
		});
		expect(computeSyncStatus(facts({ conflicts: 1, rejected: 2, parked: 3 }), idle)).toMatchObject({
			state: 'up-to-date',
			conflicts: 1,
			rejected: 2,
			parked: 3,
			lastSyncedAt: '2025-03-01T09:00:00.000Z',
			role: 'focal-point',
			mission: 'UNMISS'
		});
		expect(computeSyncStatus(facts({ lastSyncedAt: null }), idle).state).toBe('syncing');
	});

	it('reads a device on the first-run picker path as not enrolled', async () => {
		const db = databases.fresh();
		await withProfile(db);
		expect(await readSyncStatus(db)).toMatchObject({ state: 'not-enrolled', pending: 0 });
	});

	it('knows which failures stop the scheduler', () => {
		expect(isFatalSyncError(new SyncHaltedError('not-enrolled'))).toBe(true);
		expect(isFatalSyncError(new SyncApiError('revoked', 'r', 401, 'revoked'))).toBe(true);
		expect(isFatalSyncError(new SyncApiError('network', 'n'))).toBe(false);
		expect(isFatalSyncError(new SyncApiError('server', 's', 503))).toBe(false);
	});
});

describe('startSyncInBrowser', () => {
	afterEach(() => {
		vi.unstubAllGlobals();
	});

	it('syncs at start and follows the window’s online, offline and visibility events', async () => {
		const device = await enrolledDevice(server(), () => databases.fresh(), { mission: 'UNTSO' });
		await device.write({ note: 'to send' });
		let online = true;
		const page = Object.assign(new EventTarget(), {
			setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
			clearTimeout: (handle: number) => clearTimeout(handle)
		});
		const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
		vi.stubGlobal('window', page);
		vi.stubGlobal('document', doc);
		vi.stubGlobal('navigator', {
			get onLine() {
				return online;
			}
		});
		const run = vi.fn();
		const sync = startSyncInBrowser({ db: device.db, api: device.api });
		sync.scheduler.subscribe((state) => !state.running || run());
		await vi.waitFor(async () => expect(await device.db.outbox.count()).toBe(0));
		await vi.waitFor(() => expect(sync.scheduler.snapshot().running).toBe(false));
		expect(sync.scheduler.snapshot().nextRunAt).not.toBeNull();
		expect(await readSyncStatus(device.db, sync.scheduler.snapshot())).toMatchObject({
			state: 'up-to-date',
			pending: 0
		});

		online = false;
		page.dispatchEvent(new Event('offline'));
		expect(sync.scheduler.snapshot().nextRunAt).toBeNull();
		expect((await readSyncStatus(device.db, sync.scheduler.snapshot())).state).toBe('offline');

		online = true;
		const runsBefore = run.mock.calls.length;
		page.dispatchEvent(new Event('online'));
		await vi.waitFor(() => expect(run.mock.calls.length).toBeGreaterThan(runsBefore));
		await vi.waitFor(() => expect(sync.scheduler.snapshot().running).toBe(false));

		const runsThen = run.mock.calls.length;
		doc.dispatchEvent(new Event('visibilitychange'));
		await vi.waitFor(() => expect(run.mock.calls.length).toBeGreaterThan(runsThen));
		await vi.waitFor(() => expect(sync.scheduler.snapshot().running).toBe(false));

		sync.stop();
		const runsAtStop = run.mock.calls.length;
		page.dispatchEvent(new Event('online'));
		expect(run.mock.calls.length).toBe(runsAtStop);
	});
});
