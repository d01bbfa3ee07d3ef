import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { newEpoch } from '$lib/server/admin/epoch';
import { revokeDevice } from '$lib/server/admin/devices';
import { retireMission } from '$lib/server/admin/missions';
import { updateAnnotation } from '$lib/client/annotations/annotation-store';
import { exportBackup } from '$lib/client/annotations/backup';
import { readDeviceValue, writeDeviceValue } from '$lib/client/annotations/device-state';
import { SyncApiError } from '$lib/client/sync/api-client';
import { readSyncStatus } from '$lib/client/sync/status';
import { sameVersion } from '$lib/client/sync/local-apply';
import { syncOnce } from '$lib/client/sync/sync-engine';
import type { PullResponse } from '$lib/shared/sync';
import { useFreshDatabases, validInput } from '../fixtures/annotation-db';
import { ACTOR, enrolledDevice, serverEntry, serverVersions, useTestServer } from './test-server';

// Real server work (SQLite, scrypt for each enrolment code) in every test.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const server = useTestServer();
const databases = useFreshDatabases('sync-engine');
const fresh = () => databases.fresh();

describe('push', () => {
	it('sends what the device saved to the server, exactly once, and takes the revisions back', async () => {
		const device = await enrolledDevice(server(), fresh);
		const first = await device.write({ note: 'first' });
		const second = await device.write({ note: 'second' });
		await updateAnnotation(device.db, first.id, validInput({ note: 'first, edited' }));
		expect(await device.db.outbox.count()).toBe(3);

		const summary = await device.sync();
		expect(summary).toMatchObject({
			pushed: 3,
			applied: 3,
			duplicates: 0,
			conflicts: 0,
			rejected: 0
		});
		expect(await device.db.outbox.count()).toBe(0);
		expect(await serverEntry(server(), first.id)).toMatchObject({
			revision: 2,
			data: { note: 'first, edited' }
		});
		expect(await serverEntry(server(), second.id)).toMatchObject({ revision: 1 });
		expect(await serverVersions(server(), first.id)).toBe(2);
		expect((await device.db.annotations.get(first.id))?.revision).toBe(2);
		expect((await device.db.annotations.get(second.id))?.revision).toBe(1);
		expect(await readDeviceValue(device.db, 'lastSyncedMutationId')).toBe(3);
		expect(await readDeviceValue(device.db, 'lastSyncedAt')).toEqual(expect.any(String));
		expect(await readDeviceValue(device.db, 'lastSyncError')).toBeNull();
		// Its own changes come back in the pull and add nothing to the timeline.
		expect(await device.db.history.count()).toBe(3);

		const again = await device.sync();
		expect(again).toMatchObject({ pushed: 0, applied: 0 });
		expect(await serverVersions(server(), first.id)).toBe(2);
	});

	it('compresses the push with gzip and reports the pending count', async () => {
		const device = await enrolledDevice(server(), fresh);
		await device.write({ note: 'x'.repeat(2000) });
		const seen = server().requests.length;
		await device.sync();
		const requests = server().requests.slice(seen);
		expect(requests.map((r) => r.path)).toEqual([
			'/api/v1/sync/push',
			'/api/v1/sync/pull',
			'/api/v1/sync/status'
		]);
		expect(requests[0].encoding).toBe('gzip');
		const row = await server()
			.context.db.selectFrom('devices')
			.select(['pending_count'])
			.where('id', '=', (await readDeviceValue(device.db, 'profile'))!.deviceId)
			.executeTakeFirstOrThrow();
		expect(Number(row.pending_count)).toBe(0);
	});

	it('replays a push whose answer was lost without duplicating anything', async () => {
		const device = await enrolledDevice(server(), fresh);
		const entries = [await device.write({ note: 'a' }), await device.write({ note: 'b' })];
		let drop = true;
		server().intercept.after = (request) => {
			if (drop && new URL(request.url).pathname === '/api/v1/sync/push') {
				drop = false;
				throw new TypeError('network connection lost');
			}
		};
		try {
			const lost = await device.sync().catch((error: unknown) => error);
			expect(lost).toBeInstanceOf(SyncApiError);
			expect(lost).toMatchObject({ kind: 'network', retryable: true });
			// The server applied them; the device does not know yet.
			expect(await device.db.outbox.count()).toBe(2);
			expect(await readDeviceValue(device.db, 'lastSyncError')).toMatchObject({ kind: 'network' });

			const replay = await device.sync();
			expect(replay).toMatchObject({ pushed: 2, applied: 0, duplicates: 2 });
		} finally {
			server().intercept.after = undefined;
		}
		expect(await device.db.outbox.count()).toBe(0);
		for (const entry of entries) {
			expect(await serverVersions(server(), entry.id)).toBe(1);
			// The revision arrives with the pull instead.
			expect((await device.db.annotations.get(entry.id))?.revision).toBe(1);
		}
		expect(await readDeviceValue(device.db, 'lastSyncError')).toBeNull();
	});

	it('keeps the base revision of queued edits: the device’s own consecutive edits all apply', async () => {
		const device = await enrolledDevice(server(), fresh);
		// Created and edited twice before any sync: every mutation is based on revision 0.
		const entry = await device.write({ note: 'v1' });
		await updateAnnotation(device.db, entry.id, validInput({ note: 'v2' }));
		await updateAnnotation(device.db, entry.id, validInput({ note: 'v3' }));
		expect((await device.db.outbox.toArray()).map((m) => m.baseRevision)).toEqual([0, 0, 0]);

		// One mutation per push: after each answer a later edit is still queued.
		const summary = await syncOnce(device.db, device.api, { pushBatch: 1 });
		expect(summary).toMatchObject({ pushed: 3, applied: 3, conflicts: 0 });
		expect((await device.db.annotations.get(entry.id))?.revision).toBe(3);
		expect(await serverEntry(server(), entry.id)).toMatchObject({
			revision: 3,
			data: { note: 'v3' }
		});

		// A later edit is based on the revision the device now holds.
		await updateAnnotation(device.db, entry.id, validInput({ note: 'v4' }));
		expect((await device.db.outbox.toArray())[0].baseRevision).toBe(3);
		expect(await device.sync()).toMatchObject({ applied: 1, conflicts: 0 });
		expect((await device.db.annotations.get(entry.id))?.revision).toBe(4);
	});

	it('does not let a revision answer overwrite a newer queued edit', async () => {
		const device = await enrolledDevice(server(), fresh);
		const entry = await device.write({ note: 'v1' });
		await updateAnnotation(device.db, entry.id, validInput({ note: 'v2' }));
		// The first push applies v1 (revision 1); v2 is still queued when the answer arrives.
		let pushes = 0;
		server().intercept.before = (request) => {
			if (new URL(request.url).pathname === '/api/v1/sync/push' && ++pushes === 2) {
				return new Response('{"error":"internal","message":"down"}', { status: 503 });
			}
			return undefined;
		};
		try {
			const failed = await syncOnce(device.db, device.api, { pushBatch: 1 }).catch((e) => e);
			expect(failed).toMatchObject({ kind: 'server', retryable: true });
		} finally {
			server().intercept.before = undefined;
		}
		const local = (await device.db.annotations.get(entry.id))!;
		expect(local).toMatchObject({ note: 'v2', revision: 0 });
		expect(await device.db.outbox.count()).toBe(1);
		await device.sync();
		expect(await device.db.annotations.get(entry.id)).toMatchObject({ note: 'v2', revision: 2 });
	});

	it('moves a refused mutation to the rejected log and goes on with the rest', async () => {
		const device = await enrolledDevice(server(), fresh);
		const good1 = await device.write({ note: 'before' });
		const bad = await device.write({ note: 'tampered' });
		const good2 = await device.write({ note: 'after' });
		// An op that contradicts its payload: the server refuses this one mutation.
		const badRow = (await device.db.outbox.where('annotationId').equals(bad.id).first())!;
		await device.db.outbox.update(badRow.mutationId, { op: 'delete' });

		const summary = await device.sync();
		expect(summary).toMatchObject({ pushed: 3, applied: 2, rejected: 1 });
		expect(await device.db.outbox.count()).toBe(0);
		const rejected = await device.db.rejected.toArray();
		expect(rejected).toHaveLength(1);
		expect(rejected[0]).toMatchObject({
			opId: badRow.opId,
			mutationId: badRow.mutationId,
			annotationId: bad.id,
			reason: expect.stringMatching(/^op-mismatch/)
		});
		expect(await serverEntry(server(), good1.id)).toBeDefined();
		expect(await serverEntry(server(), good2.id)).toBeDefined();
		expect(await serverEntry(server(), bad.id)).toBeUndefined();
		expect((await readSyncStatus(device.db)).rejected).toBe(1);

		// Later changes are not held up either.
		const later = await device.write({ note: 'later' });
		expect(await device.sync()).toMatchObject({ applied: 1, rejected: 0 });
		expect(await serverEntry(server(), later.id)).toBeDefined();
	});

	it('splits a batch the server finds too large (413) and sends it all in order', async () => {
		const device = await enrolledDevice(server(), fresh);
		const count = 230;
		for (let i = 0; i < count; i++) await device.write({ note: `entry ${i}` });
		const seen = server().requests.length;
		// More than the server takes in one push (SYNC_LIMITS.pushBatch = 200): it answers 413.
		const summary = await syncOnce(device.db, device.api, { pushBatch: count });
		expect(summary).toMatchObject({ pushed: count, applied: count, rejected: 0 });
		const pushes = server()
			.requests.slice(seen)
			.filter((r) => r.path === '/api/v1/sync/push');
		expect(pushes).toHaveLength(3); // 230 refused, then 115 + 115
		expect(await device.db.outbox.count()).toBe(0);
		const applied = await server()
			.context.db.selectFrom('processed_ops')
			.select(['mutation_id'])
			.where('device_id', '=', (await readDeviceValue(device.db, 'profile'))!.deviceId)
			.orderBy('mutation_id')
			.execute();
		expect(applied.map((row) => Number(row.mutation_id))).toEqual(
			Array.from({ length: count }, (_, i) => i + 1)
		);
	});

	it('finds and parks the one mutation that names another mission’s entry (403)', async () => {
		const elsewhere = await enrolledDevice(server(), fresh, { mission: 'MINUSCA' });
		const theirs = await elsewhere.write({ note: 'MINUSCA’s entry' });
		await elsewhere.sync();

		const device = await enrolledDevice(server(), fresh);
		const before = await device.write({ note: 'before' });
		const odd = await device.write({ note: 'odd' });
		const after = await device.write({ note: 'after' });
		// A damaged row: its entry id is one the server holds for another mission.
		const row = (await device.db.outbox.where('annotationId').equals(odd.id).first())!;
		await device.db.outbox.put({
			...row,
			annotationId: theirs.id,
			payload: { ...row.payload, id: theirs.id }
		});

		const summary = await device.sync();
		expect(summary).toMatchObject({ applied: 2, rejected: 0 });
		expect(await device.db.outbox.count()).toBe(0);
		expect(await device.db.parked.toArray()).toMatchObject([
			{ opId: row.opId, annotationId: theirs.id, reason: 'other-mission' }
		]);
		expect(await serverEntry(server(), before.id)).toBeDefined();
		expect(await serverEntry(server(), after.id)).toBeDefined();
		expect(await serverEntry(server(), theirs.id)).toMatchObject({
			data: { mission: 'MINUSCA', note: 'MINUSCA’s entry' }
		});
	});

	it('keeps a request under the byte limit by splitting before sending', async () => {
		const device = await enrolledDevice(server(), fresh);
		for (let i = 0; i < 6; i++) await device.write({ note: `${i}`.repeat(3000) });
		const seen = server().requests.length;
		const summary = await syncOnce(device.db, device.api, { maxRequestBytes: 8_000 });
		expect(summary).toMatchObject({ pushed: 6, applied: 6 });
		const pushes = server()
			.requests.slice(seen)
			.filter((r) => r.path === '/api/v1/sync/push');
		expect(pushes.length).toBeGreaterThanOrEqual(3);
	});
});

describe('pull', () => {
	it('brings what other devices of the mission wrote, with a timeline row each', async () => {
		// Each test its own mission: the server database is shared by the file.
		const a = await enrolledDevice(server(), fresh, { mission: 'UNIFIL', name: 'Amina' });
		const b = await enrolledDevice(server(), fresh, { mission: 'UNIFIL', name: 'Bertrand' });
		const other = await enrolledDevice(server(), fresh, { mission: 'UNISFA', name: 'Chloé' });
		const entry = await a.write({ note: 'from A' });
		await a.sync();
		await other.write({ note: 'another mission' });
		await other.sync();

		const summary = await b.sync();
		expect(summary.pulled).toBeGreaterThanOrEqual(1);
		const received = await b.db.annotations.toArray();
		expect(received.map((e) => e.id)).toEqual([entry.id]);
		expect(received[0]).toMatchObject({ note: 'from A', revision: 1, author: 'Amina' });
		const timeline = await b.db.history.where('annotationId').equals(entry.id).toArray();
		expect(timeline).toHaveLength(1);
		expect(timeline[0]).toMatchObject({ op: 'create', author: 'Amina' });
		expect(timeline[0].opId).not.toBe((await a.db.history.toArray())[0].opId);

		// A's later change arrives as an update; nothing arrives twice.
		await updateAnnotation(a.db, entry.id, validInput({ note: 'from A, again' }));
		await a.sync();
		await b.sync();
		await b.sync();
		expect(await b.db.annotations.get(entry.id)).toMatchObject({
			note: 'from A, again',
			revision: 2
		});
		expect(await b.db.history.where('annotationId').equals(entry.id).count()).toBe(2);
	});

	it('keeps an entry with queued changes as the device has it', async () => {
		const a = await enrolledDevice(server(), fresh, { name: 'Amina' });
		const b = await enrolledDevice(server(), fresh, { name: 'Bertrand' });
		const entry = await a.write({ note: 'v1' });
		await a.sync();
		await b.sync();
		await updateAnnotation(a.db, entry.id, validInput({ note: 'A: v2' }));
		await a.sync();
		await updateAnnotation(b.db, entry.id, validInput({ note: 'B: offline edit' }));
		// Receive only: B's own change is still queued.
		await syncOnce(b.db, b.api, { push: false });
		expect(await b.db.annotations.get(entry.id)).toMatchObject({
			note: 'B: offline edit',
			revision: 1
		});
		expect(await b.db.outbox.count()).toBe(1);
	});

	it('applies each page with its cursor in one transaction: a failure mid-page changes nothing', async () => {
		const a = await enrolledDevice(server(), fresh, { mission: 'UNMIK', name: 'Amina' });
		const b = await enrolledDevice(server(), fresh, { mission: 'UNMIK', name: 'Bertrand' });
		for (let i = 0; i < 5; i++) await a.write({ note: `entry ${i}` });
		await a.sync();

		// Page 1 (2 changes) applies; the second timeline row of page 2 fails.
		let rows = 0;
		const failOnFourth = () => {
			if (++rows === 4) throw new Error('injected failure');
		};
		b.db.history.hook('creating', failOnFourth);
		const failed = await syncOnce(b.db, b.api, { pullPageSize: 2 }).catch((e: unknown) => e);
		b.db.history.hook('creating').unsubscribe(failOnFourth);
		expect(failed).toBeInstanceOf(Error);
		expect(await b.db.annotations.count()).toBe(2);
		expect(await b.db.history.count()).toBe(2);
		const cursor = await readDeviceValue(b.db, 'pullCursor');
		expect(cursor).toMatch(/\.\d+$/);
		expect(await readDeviceValue(b.db, 'lastSyncError')).toMatchObject({
			kind: expect.any(String)
		});

		// The next run goes on from the cursor and gets the rest, once.
		const summary = await syncOnce(b.db, b.api, { pullPageSize: 2 });
		expect(summary.pulled).toBe(3);
		expect(await b.db.annotations.count()).toBe(5);
		expect(await b.db.history.count()).toBe(5);
	});

	it('pulls everything again after a new epoch, keeping the outbox', async () => {
		const a = await enrolledDevice(server(), fresh, { mission: 'UNDOF', name: 'Amina' });
		const b = await enrolledDevice(server(), fresh, { mission: 'UNDOF', name: 'Bertrand' });
		const shared = await a.write({ note: 'from A' });
		await a.sync();
		await b.sync();
		const queued = await b.write({ note: 'B, unsent' });
		await updateAnnotation(b.db, shared.id, validInput({ note: 'B edits A’s entry' }));
		const before = await readDeviceValue(b.db, 'syncEpoch');

		await newEpoch(server().context.db, ACTOR);
		const seen = server().requests.length;
		const summary = await syncOnce(b.db, b.api, { push: false });
		expect(summary.epochChanged).toBe(true);
		// From the beginning: every change of the mission again (here, A's one entry).
		expect(summary.pulled).toBe(1);
		expect(
			server()
				.requests.slice(seen)
				.filter((r) => r.path === '/api/v1/sync/pull').length
		).toBeGreaterThanOrEqual(1);
		expect(await readDeviceValue(b.db, 'syncEpoch')).not.toBe(before);
		expect(await b.db.outbox.count()).toBe(2);
		expect(await b.db.annotations.get(queued.id)).toMatchObject({ note: 'B, unsent' });
		expect(await b.db.annotations.get(shared.id)).toMatchObject({ note: 'B edits A’s entry' });
		// Nothing received twice in the timeline.
		expect(await b.db.history.where('annotationId').equals(shared.id).count()).toBe(2);

		const full = await b.sync();
		expect(full).toMatchObject({ applied: 2, conflicts: 0, epochChanged: false });
		expect(await serverEntry(server(), queued.id)).toBeDefined();
		expect(await serverEntry(server(), shared.id)).toMatchObject({
			revision: 2,
			data: { note: 'B edits A’s entry' }
		});
	});

	it('notices a new epoch in the push answer and starts the pull over', async () => {
		const a = await enrolledDevice(server(), fresh, { mission: 'UNFICYP' });
		await a.write({ note: 'one' });
		await a.sync();
		await newEpoch(server().context.db, ACTOR);
		await a.write({ note: 'two' });
		const summary = await a.sync();
		expect(summary).toMatchObject({ applied: 1, epochChanged: true });
		expect(summary.pulled).toBe(2);
		expect(await a.db.history.count()).toBe(2);
	});
});

describe('pull: this device’s own versions', () => {
	/** The pulls a sync made: their `own` parameter and their answers. */
	async function pullsOf(sync: () => Promise<unknown>) {
		const pulls: { own: string | null; body: PullResponse }[] = [];
		server().intercept.after = async (request, response) => {
			const url = new URL(request.url);
			if (url.pathname !== '/api/v1/sync/pull') return;
			pulls.push({ own: url.searchParams.get('own'), body: await response.json() });
		};
		try {
			await sync();
		} finally {
			server().intercept.after = undefined;
		}
		return pulls;
	}

	it('come back as revision numbers only; the entries keep what was written', async () => {
		const device = await enrolledDevice(server(), fresh, { mission: 'MINURSO' });
		const other = await enrolledDevice(server(), fresh, { mission: 'MINURSO' });
		const theirs = await other.write({ note: 'from the other device' });
		await other.sync();
		const mine = [await device.write({ note: 'one' }), await device.write({ note: 'two' })];
		await updateAnnotation(device.db, mine[0].id, validInput({ note: 'one, edited' }));

		const pulls = await pullsOf(() => device.sync());
		expect(pulls.map((pull) => pull.own)).toEqual(['revision']);
		const { changes } = pulls[0].body;
		expect(changes).toHaveLength(3);
		expect(changes.filter((c) => c.kind === 'annotation').map((c) => c.annotation.id)).toEqual([
			theirs.id
		]);
		const own = changes.flatMap((c) => (c.kind === 'own' ? [c] : []));
		expect(own.map((c) => [c.annotationId, c.revision])).toEqual([
			[mine[1].id, 1],
			[mine[0].id, 2]
		]);
		for (const entry of [...mine, theirs]) {
			const held = await serverEntry(server(), entry.id);
			expect(sameVersion((await device.db.annotations.get(entry.id))!, held!.data)).toBe(true);
		}
	});

	it('that the device no longer holds as written are asked for again whole, and taken', async () => {
		const device = await enrolledDevice(server(), fresh, { mission: 'MONUSCO' });
		const entry = await device.write({ note: 'as sent' });
		await device.sync();
		// Changed here with nothing queued (as a backup file's newer copy can), and read again.
		const local = (await device.db.annotations.get(entry.id))!;
		const later = new Date(Date.parse(local.updatedAt) + 1000).toISOString();
		await device.db.annotations.put({ ...local, note: 'changed here', updatedAt: later });
		await writeDeviceValue(device.db, 'pullCursor', null);

		const pulls = await pullsOf(() => device.sync());
		expect(pulls.map((pull) => pull.own)).toEqual(['revision', null]);
		expect(pulls[1].body.changes).toMatchObject([{ kind: 'annotation' }]);
		expect(await device.db.annotations.get(entry.id)).toMatchObject({
			note: 'as sent',
			updatedAt: local.updatedAt,
			revision: 1
		});
		// Its own version: no timeline row for it.
		expect(await device.db.history.where('annotationId').equals(entry.id).count()).toBe(1);
	});
});

describe('a retired mission', () => {
	it('still receives, keeps its unsent changes and says why they do not go', async () => {
		const a = await enrolledDevice(server(), fresh, { mission: 'UNMOGIP', name: 'Amina' });
		const b = await enrolledDevice(server(), fresh, { mission: 'UNMOGIP', name: 'Bertrand' });
		const sent = await a.write({ note: 'sent in time' });
		await a.sync();
		await b.write({ note: 'too late' });
		await retireMission(server().context.db, 'UNMOGIP', ACTOR);

		const failed = await b.sync().catch((e: unknown) => e);
		expect(failed).toMatchObject({ kind: 'forbidden', code: 'mission-retired' });
		expect(await b.db.annotations.get(sent.id)).toMatchObject({ note: 'sent in time' });
		expect(await b.db.outbox.count()).toBe(1);
		expect(await readSyncStatus(b.db)).toMatchObject({
			state: 'failed',
			reason: 'mission-retired',
			pending: 1
		});
	});
});

describe('a revoked device', () => {
	it('stops, says so, and keeps its data and its outbox exportable', async () => {
		const device = await enrolledDevice(server(), fresh);
		const synced = await device.write({ note: 'synced' });
		await device.sync();
		const unsent = await device.write({ note: 'unsent' });
		const deviceId = (await readDeviceValue(device.db, 'profile'))!.deviceId;
		await revokeDevice(server().context.db, deviceId, ACTOR);

		const failed = await device.sync().catch((e: unknown) => e);
		expect(failed).toMatchObject({ kind: 'revoked', code: 'revoked', stopsSync: true });
		const status = await readSyncStatus(device.db);
		expect(status).toMatchObject({ state: 'revoked', reason: 'revoked', pending: 1 });
		expect(await device.db.annotations.get(synced.id)).toBeDefined();
		expect(await device.db.annotations.get(unsent.id)).toBeDefined();
		const backup = await exportBackup(device.db);
		expect(backup.outbox.map((m) => m.annotationId)).toEqual([unsent.id]);
		expect(JSON.stringify(backup)).not.toContain('fm1_');

		// No more requests: the next run does nothing.
		const seen = server().requests.length;
		expect(await device.sync()).toMatchObject({ skipped: 'revoked' });
		expect(server().requests.length).toBe(seen);
	});
});

describe('a device that is not enrolled', () => {
	it('does not sync and keeps the first-run picker path', async () => {
		const db = fresh();
		const api = server().api();
		const { withProfile } = await import('../fixtures/annotation-db');
		await withProfile(db);
		const { createAnnotation } = await import('$lib/client/annotations/annotation-store');
		await createAnnotation(db, {
			recommendationId: 'a78-19-p38',
			datasetVersion: '0123456789abcdef',
			input: validInput()
		});
		const seen = server().requests.length;
		expect(await syncOnce(db, api)).toMatchObject({ skipped: 'not-enrolled', pushed: 0 });
		expect(server().requests.length).toBe(seen);
		expect(await db.outbox.count()).toBe(1);
		expect(await readSyncStatus(db)).toMatchObject({ state: 'not-enrolled', pending: 1 });
	});
});
