import { expect, it } from 'vitest';
import { SYNC_LIMITS, apiErrorSchema } from '../../src/lib/shared/sync';
import { newEpoch } from '../../src/lib/server/admin/epoch';
import { currentEpoch } from '../../src/lib/server/sync/cursor';
import {
	ACTOR,
	annotation,
	describeEachBackend,
	enrolDevice,
	mutation,
	syncClient,
	changeId
} from './fixtures';

describeEachBackend('pull', (suite) => {
	const sync = syncClient(suite);

	it('pages through the changes in commit order with a strictly increasing cursor', async () => {
		// A mission of its own, so the count is exact.
		const device = await enrolDevice(suite().db, { mission: 'UNMOGIP' });
		const entries = Array.from({ length: 25 }, () => annotation(device));
		await sync.pushOk(
			device,
			entries.slice(0, 12).map((e) => mutation(device, e, { op: 'create' }))
		);
		await sync.pushOk(
			device,
			entries.slice(12).map((e) => mutation(device, e, { op: 'create' }))
		);

		const { pages, changes, last } = await sync.pullAll(device, { limit: 10 });
		expect(pages.map((p) => [p.changes.length, p.hasMore])).toEqual([
			[10, true],
			[10, true],
			[5, false]
		]);
		const ids = changes.map(changeId);
		expect(ids).toEqual(entries.map((e) => e.id));
		expect(last.lastAppliedMutationId).toBe(25);
		expect(last.epoch).toBe(await currentEpoch(suite().db));

		// Nothing new: an empty page, the same cursor.
		const idle = await sync.pull(device, { cursor: last.cursor });
		expect(idle.body).toMatchObject({ changes: [], hasMore: false, cursor: last.cursor });

		// A change after the cursor is all the next pull gets.
		await sync.pushOk(device, [
			mutation(device, { ...entries[3], note: 'later' }, { baseRevision: 1 })
		]);
		const next = await sync.pullAll(device, { cursor: last.cursor });
		expect(next.changes).toHaveLength(1);
		expect(next.changes[0].kind === 'annotation' && next.changes[0].annotation).toMatchObject({
			id: entries[3].id,
			note: 'later',
			revision: 2
		});
		expect(next.changes[0].seq).toBeGreaterThan(changes.at(-1)!.seq);
	});

	it('gives an entry changed several times since the cursor once, at its newest', async () => {
		const device = await enrolDevice(suite().db, { mission: 'UNDOF' });
		const entry = annotation(device);
		await sync.pushOk(device, [
			mutation(device, entry, { op: 'create' }),
			mutation(device, { ...entry, note: 'b' }),
			mutation(device, { ...entry, note: 'c' })
		]);
		const { changes } = await sync.pullAll(device);
		expect(changes).toHaveLength(1);
		expect(changes[0].kind === 'annotation' && changes[0].annotation).toMatchObject({
			note: 'c',
			revision: 3
		});
	});

	it('caps the page size and refuses malformed cursors and limits with 400', async () => {
		const device = await enrolDevice(suite().db);
		expect((await sync.pull(device, { limit: 100_000 })).status).toBe(200);
		const queries: Record<string, string | number>[] = [
			{ cursor: 'garbage' },
			{ cursor: 'abcdefgh.-1' },
			{ cursor: 'abcdefgh.99999999999999999999' },
			{ limit: 0 },
			{ limit: 'ten' },
			{ mission: 'unmiss' },
			{ own: 'yes' }
		];
		for (const query of queries) {
			const { status, body } = await sync.pull(device, query);
			expect(status, JSON.stringify(query)).toBe(400);
			expect(apiErrorSchema.safeParse(body).success).toBe(true);
		}
		expect(SYNC_LIMITS.pullPage).toBeGreaterThan(0);
	});

	it('restarts from the beginning, with the new epoch, after a restore (new-epoch)', async () => {
		const device = await enrolDevice(suite().db, { mission: 'UNFICYP' });
		const entries = [annotation(device), annotation(device)];
		await sync.pushOk(
			device,
			entries.map((e) => mutation(device, e, { op: 'create' }))
		);
		const before = await sync.pullAll(device);
		expect(before.changes).toHaveLength(2);

		const { epoch } = await newEpoch(suite().db, ACTOR);
		const after = await sync.pullAll(device, { cursor: before.last.cursor });
		expect(after.last.epoch).toBe(epoch);
		expect(after.pages[0].epoch).toBe(epoch);
		expect(after.changes.map((c) => c.kind === 'annotation' && c.annotation.id)).toEqual(
			entries.map((e) => e.id)
		);
		expect(after.last.cursor.startsWith(`${epoch}.`)).toBe(true);
	});

	it('restarts when the cursor is beyond anything handed out (restored without new-epoch)', async () => {
		const device = await enrolDevice(suite().db, { mission: 'MINURSO' });
		await sync.pushOk(device, [mutation(device, annotation(device), { op: 'create' })]);
		const epoch = await currentEpoch(suite().db);
		const { changes } = await sync.pullAll(device, { cursor: `${epoch}.999999999` });
		expect(changes.length).toBeGreaterThan(0);
	});

	it('sends a device its own versions as revisions when it asks (own=revision), never on a restart', async () => {
		const device = await enrolDevice(suite().db, { mission: 'UNTSO' });
		const other = await enrolDevice(suite().db, { mission: 'UNTSO' });
		const mine = annotation(device);
		const theirs = annotation(other);
		await sync.pushOk(device, [mutation(device, mine, { op: 'create' })]);
		await sync.pushOk(other, [mutation(other, theirs, { op: 'create' })]);

		const asked = await sync.pullAll(device, { own: 'revision' });
		expect(asked.changes).toMatchObject([
			{ kind: 'own', annotationId: mine.id, revision: 1, updatedAt: mine.updatedAt },
			{ kind: 'annotation', annotation: { id: theirs.id, revision: 1 } }
		]);
		expect(Object.keys(asked.changes[0]).sort()).toEqual(
			['annotationId', 'kind', 'revision', 'seq', 'updatedAt'].sort()
		);
		// The other device gets this one's version whole; without the parameter, everyone does.
		const forOther = await sync.pullAll(other, { own: 'revision' });
		expect(forOther.changes.map((c) => c.kind)).toEqual(['annotation', 'own']);
		const plain = await sync.pullAll(device);
		expect(plain.changes.map((c) => c.kind)).toEqual(['annotation', 'annotation']);
		// A cursor the server cannot follow starts over whole: the device takes every version.
		const epoch = await currentEpoch(suite().db);
		const restart = await sync.pullAll(device, { own: 'revision', cursor: `${epoch}.999999999` });
		expect(restart.changes.filter((c) => c.kind === 'own')).toEqual([]);
		expect(restart.changes.map(changeId)).toContain(mine.id);
	});
});
