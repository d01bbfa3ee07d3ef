import { expect, it } from 'vitest';
import { createMission } from '../../src/lib/server/admin/missions';
import { LIMITS } from '../../src/lib/shared/annotation';
import { MAX_MUTATION_GAP } from '../../src/lib/server/sync/push';
import type { Change, Conflict } from '../../src/lib/shared/sync';
import {
	ACTOR,
	annotation,
	describeEachBackend,
	enrolDevice,
	mutation,
	snapshot,
	syncClient,
	uuidv7
} from './fixtures';

describeEachBackend('push', (suite) => {
	const sync = syncClient(suite);
	const entryRow = (id: string) =>
		suite().db.selectFrom('annotations').selectAll().where('id', '=', id).executeTakeFirst();

	it('applies new entries: revision 1, a history row, a change-log row, last id advanced', async () => {
		const device = await enrolDevice(suite().db);
		const entry = annotation(device);
		const response = await sync.pushOk(device, [mutation(device, entry, { op: 'create' })]);
		expect(response.results).toEqual([{ status: 'applied', mutationId: 1, revision: 1 }]);
		expect(response.lastAppliedMutationId).toBe(1);

		const row = await entryRow(entry.id);
		expect(row?.revision).toBe(1);
		expect(JSON.parse(row!.data)).toEqual({ ...entry, revision: 1 });
		const history = await suite()
			.db.selectFrom('annotation_history')
			.selectAll()
			.where('annotation_id', '=', entry.id)
			.execute();
		expect(history.map((h) => [h.revision, h.device_id, Number(h.mutation_id)])).toEqual([
			[1, device.id, 1]
		]);
		const log = await suite()
			.db.selectFrom('change_log')
			.selectAll()
			.where('entity_id', '=', entry.id)
			.execute();
		expect(log).toHaveLength(1);
	});

	it('takes entries of a mission Headquarters created after the report', async () => {
		await createMission(
			suite().db,
			{ code: 'UNAMA', name: 'Assistance Mission in Afghanistan' },
			ACTOR
		);
		const device = await enrolDevice(suite().db, { mission: 'UNAMA' });
		const entry = annotation(device);
		const response = await sync.pushOk(device, [mutation(device, entry, { op: 'create' })]);
		expect(response.results[0]).toMatchObject({ status: 'applied', revision: 1 });
		expect((await entryRow(entry.id))?.mission).toBe('UNAMA');
	});

	it('answers a replayed batch with duplicates and changes nothing', async () => {
		const device = await enrolDevice(suite().db);
		const batch = [
			mutation(device, annotation(device), { op: 'create' }),
			mutation(device, annotation(device), { op: 'create' }),
			mutation(device, annotation(device), { op: 'create' })
		];
		const first = await sync.pushOk(device, batch);
		expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
		const before = await snapshot(suite().db);
		const again = await sync.pushOk(device, batch);
		expect(again.results).toEqual([
			{ status: 'duplicate', mutationId: 1 },
			{ status: 'duplicate', mutationId: 2 },
			{ status: 'duplicate', mutationId: 3 }
		]);
		expect(again.lastAppliedMutationId).toBe(3);
		expect(await snapshot(suite().db)).toEqual(before);
	});

	it('applies nothing for a device that names another epoch, and tells it the current one', async () => {
		const device = await enrolDevice(suite().db);
		const first = await sync.pushOk(device, [
			mutation(device, annotation(device), { op: 'create' })
		]);
		const before = await snapshot(suite().db);
		const late = mutation(device, annotation(device), { op: 'create', mutationId: 2 });
		const { status, body } = await sync.push(device, [late], device.id, 'an-older-epoch');
		expect(status).toBe(200);
		expect(body).toEqual({ epoch: first.epoch, results: [], lastAppliedMutationId: 1 });
		expect(await snapshot(suite().db)).toEqual(before);
		// Named right, the same push applies.
		const ok = await sync.push(device, [late], device.id, first.epoch);
		expect(ok.body.results).toEqual([{ status: 'applied', mutationId: 2, revision: 1 }]);
		expect((await sync.push(device, [late], device.id, '')).status).toBe(400);
	});

	it('processes a batch in mutationId order, whatever order it was sent in', async () => {
		const device = await enrolDevice(suite().db);
		const entry = annotation(device, { note: 'one' });
		const m1 = mutation(device, entry, { op: 'create' });
		const m2 = mutation(device, { ...entry, note: 'two' });
		const m3 = mutation(device, { ...entry, note: 'three' });
		const response = await sync.pushOk(device, [m3, m1, m2]);
		expect(response.results).toEqual([
			{ status: 'applied', mutationId: 1, revision: 1 },
			{ status: 'applied', mutationId: 2, revision: 2 },
			{ status: 'applied', mutationId: 3, revision: 3 }
		]);
		const row = await entryRow(entry.id);
		expect(JSON.parse(row!.data).note).toBe('three');
	});

	it('accepts gaps in mutation ids; a lower id arriving late is refused, never taken as delivered', async () => {
		const device = await enrolDevice(suite().db);
		const a = annotation(device);
		await sync.pushOk(device, [
			mutation(device, a, { mutationId: 1, op: 'create' }),
			mutation(device, annotation(device), { mutationId: 2, op: 'create' })
		]);
		const five = mutation(device, annotation(device), { mutationId: 5, op: 'create' });
		const gap = await sync.pushOk(device, [
			five,
			mutation(device, annotation(device), { mutationId: 7, op: 'create' })
		]);
		expect(gap.results.map((r) => r.status)).toEqual(['applied', 'applied']);
		expect(gap.lastAppliedMutationId).toBe(7);

		// A change the server never saw, numbered below what is settled: the device must keep it
		// (its rejected log), so it is not answered `duplicate`.
		const late = annotation(device);
		const lateResponse = await sync.pushOk(device, [mutation(device, late, { mutationId: 6 })]);
		expect(lateResponse.results).toEqual([
			{ status: 'rejected', mutationId: 6, reason: expect.stringMatching(/^stale-mutation-id/) }
		]);
		expect(await entryRow(late.id)).toBeUndefined();
		// The same op sent again (its answer was lost) is the duplicate.
		const replay = await sync.pushOk(device, [five]);
		expect(replay.results).toEqual([{ status: 'duplicate', mutationId: 5 }]);

		const next = await sync.pushOk(device, [
			mutation(device, annotation(device), { mutationId: 8 })
		]);
		expect(next.results[0].status).toBe('applied');

		// A leap towards 2^53 would leave the device no id to send next: refused whole.
		const before = await snapshot(suite().db);
		const leap = await sync.push(device, [
			mutation(device, annotation(device), { mutationId: 9, op: 'create' }),
			mutation(device, annotation(device), { mutationId: Number.MAX_SAFE_INTEGER, op: 'create' })
		]);
		expect(leap.status).toBe(400);
		expect(leap.body).toMatchObject({ error: 'mutation-id-too-far' });
		expect(await snapshot(suite().db)).toEqual(before);
		const within = 8 + MAX_MUTATION_GAP;
		const far = await sync.pushOk(device, [
			mutation(device, annotation(device), { mutationId: within, op: 'create' })
		]);
		expect(far.lastAppliedMutationId).toBe(within);
	});

	it('rejects an invalid mutation with its reason, without blocking the others', async () => {
		const device = await enrolDevice(suite().db);
		const good1 = annotation(device);
		const bad = annotation(device, { note: 'x'.repeat(LIMITS.note + 1) });
		const good2 = annotation(device);
		const response = await sync.pushOk(device, [
			mutation(device, good1, { op: 'create' }),
			mutation(device, bad, { op: 'create' }),
			{ mutationId: 3, nonsense: true },
			mutation(device, good2, { op: 'create', mutationId: 4 })
		]);
		expect(response.results.map((r) => r.status)).toEqual([
			'applied',
			'rejected',
			'rejected',
			'applied'
		]);
		const rejected = response.results[1];
		expect(rejected.status === 'rejected' && rejected.reason).toMatch(/payload\.note/);
		// Rejected is settled: the device drops it and moves on.
		expect(response.lastAppliedMutationId).toBe(4);
		expect(await entryRow(bad.id)).toBeUndefined();
		expect(await entryRow(good2.id)).toBeDefined();
	});

	it('rejects mutations of another device, mismatched ids and ops', async () => {
		const device = await enrolDevice(suite().db);
		const other = crypto.randomUUID();
		const entry = annotation(device);
		const response = await sync.pushOk(device, [
			mutation(device, annotation(device, { deviceId: other }), { op: 'create' }),
			{ ...mutation(device, annotation(device), { op: 'create' }), deviceId: other },
			{ ...mutation(device, annotation(device), { op: 'create' }), annotationId: uuidv7() },
			mutation(device, entry, { op: 'delete' })
		]);
		expect(response.results.map((r) => r.status === 'rejected' && r.reason.split(':')[0])).toEqual([
			'wrong-device',
			'wrong-device',
			'id-mismatch',
			'op-mismatch'
		]);
	});

	it('keeps a conflict: the server value stays, both versions are stored and answered', async () => {
		const a = await enrolDevice(suite().db, { name: 'A' });
		const b = await enrolDevice(suite().db, { name: 'B' });
		const entry = annotation(a, { note: 'from A' });
		await sync.pushOk(a, [mutation(a, entry, { op: 'create' })]);
		// B saw revision 1 and changes it: fine.
		const fromB = { ...entry, note: 'from B', deviceId: b.id, revision: 1 };
		const applied = await sync.pushOk(b, [mutation(b, fromB, { baseRevision: 1 })]);
		expect(applied.results[0]).toMatchObject({ status: 'applied', revision: 2 });
		// A, still on revision 1, changes it too: conflict.
		const fromA = { ...entry, note: 'A again', revision: 1 };
		const response = await sync.pushOk(a, [mutation(a, fromA, { baseRevision: 1 })]);
		const result = response.results[0];
		expect(result.status).toBe('conflict');
		const conflict = (result as { conflict: Conflict }).conflict;
		expect(conflict.server).toMatchObject({ note: 'from B', revision: 2 });
		expect(conflict.incoming).toMatchObject({ note: 'A again' });
		expect(conflict).toMatchObject({ annotationId: entry.id, deviceId: a.id, resolvedAt: null });
		expect(response.lastAppliedMutationId).toBe(2);

		// The server value is unchanged; the incoming version is stored, not dropped.
		expect(JSON.parse((await entryRow(entry.id))!.data)).toMatchObject({
			note: 'from B',
			revision: 2
		});
		const stored = await suite()
			.db.selectFrom('conflicts')
			.selectAll()
			.where('id', '=', conflict.id)
			.executeTakeFirstOrThrow();
		expect(JSON.parse(stored.server_data).note).toBe('from B');
		expect(JSON.parse(stored.incoming_data).note).toBe('A again');

		// Both appear in a pull of the mission.
		const { changes } = await sync.pullAll(a);
		const kinds = changes.filter(
			(c: Change) =>
				(c.kind === 'annotation' && c.annotation.id === entry.id) ||
				(c.kind === 'conflict' && c.conflict.id === conflict.id)
		);
		expect(kinds.map((c) => c.kind)).toEqual(['annotation', 'conflict']);

		// A settles it: applied on top of revision 2, the conflict marked resolved, in pulls too.
		const cursor = (await sync.pullAll(a)).last.cursor;
		const settled = { ...entry, note: 'agreed', revision: 2 };
		const resolution = await sync.pushOk(a, [
			mutation(a, settled, { baseRevision: 2, resolvesConflictId: conflict.id })
		]);
		expect(resolution.results[0]).toMatchObject({ status: 'applied', revision: 3 });
		const after = await suite()
			.db.selectFrom('conflicts')
			.select('resolved_at')
			.where('id', '=', conflict.id)
			.executeTakeFirstOrThrow();
		expect(after.resolved_at).not.toBeNull();
		const news = (await sync.pullAll(a, { cursor })).changes;
		expect(news.map((c) => c.kind).sort()).toEqual(['annotation', 'conflict']);
		const resolved = news.find((c) => c.kind === 'conflict');
		expect(resolved?.kind === 'conflict' && resolved.conflict.resolvedAt).toBeTruthy();
	});

	it('does not call a device’s own consecutive edits a conflict', async () => {
		const device = await enrolDevice(suite().db);
		const entry = annotation(device);
		// Three edits made offline, each before hearing back: all on base 0.
		const first = await sync.pushOk(device, [
			mutation(device, entry, { op: 'create' }),
			mutation(device, { ...entry, note: 'second' })
		]);
		expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
		const later = await sync.pushOk(device, [mutation(device, { ...entry, note: 'third' })]);
		expect(later.results[0]).toMatchObject({ status: 'applied', revision: 3 });
	});

	it('treats a base revision ahead of the server’s as a conflict', async () => {
		const device = await enrolDevice(suite().db);
		const entry = annotation(device);
		await sync.pushOk(device, [mutation(device, entry, { op: 'create' })]);
		const response = await sync.pushOk(device, [mutation(device, entry, { baseRevision: 9 })]);
		expect(response.results[0].status).toBe('conflict');
	});

	it('knows an op id: same content is a duplicate, different content is rejected', async () => {
		const device = await enrolDevice(suite().db);
		const entry = annotation(device);
		const original = mutation(device, entry, { op: 'create' });
		await sync.pushOk(device, [original]);
		const before = await snapshot(suite().db);
		// The same op again under a new mutation id (e.g. an outbox renumbered after a restore).
		const resent = await sync.pushOk(device, [{ ...original, mutationId: 2 }]);
		expect(resent.results).toEqual([{ status: 'duplicate', mutationId: 2 }]);
		const reused = await sync.pushOk(device, [
			{ ...original, mutationId: 3, payload: { ...entry, note: 'different' } }
		]);
		expect(reused.results[0].status).toBe('rejected');
		expect(reused.results[0].status === 'rejected' && reused.results[0].reason).toMatch(
			/^op-reused/
		);
		const after = await snapshot(suite().db);
		expect(after.annotations).toEqual(before.annotations);
		expect(after.change_log).toEqual(before.change_log);
	});

	it('keeps deletions as tombstones, pulled like any change', async () => {
		const device = await enrolDevice(suite().db);
		const entry = annotation(device);
		await sync.pushOk(device, [mutation(device, entry, { op: 'create' })]);
		const { cursor } = (await sync.pullAll(device)).last;
		const response = await sync.pushOk(device, [
			mutation(device, { ...entry, deleted: true }, { op: 'delete', baseRevision: 1 })
		]);
		expect(response.results[0]).toMatchObject({ status: 'applied', revision: 2 });
		const { changes } = await sync.pullAll(device, { cursor });
		expect(changes).toHaveLength(1);
		expect(changes[0].kind === 'annotation' && changes[0].annotation).toMatchObject({
			id: entry.id,
			deleted: true,
			revision: 2
		});
	});

	it('refuses an entry moving to another recommendation', async () => {
		const device = await enrolDevice(suite().db);
		const entry = annotation(device);
		await sync.pushOk(device, [mutation(device, entry, { op: 'create' })]);
		const response = await sync.pushOk(device, [
			mutation(device, { ...entry, recommendationId: 'a78-19-p39' }, { baseRevision: 1 })
		]);
		expect(response.results[0].status === 'rejected' && response.results[0].reason).toMatch(
			/^immutable-field/
		);
	});
});
