import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { deleteAnnotation, updateAnnotation } from '$lib/client/annotations/annotation-store';
import { readDeviceValue } from '$lib/client/annotations/device-state';
import { ValidationError } from '$lib/client/annotations/errors';
import {
	conflictsFor,
	conflictVersions,
	openConflicts,
	resolveConflict
} from '$lib/client/sync/conflicts';
import { readSyncStatus } from '$lib/client/sync/status';
import { RECOMMENDATION, useFreshDatabases, validInput } from '../fixtures/annotation-db';
import { enrolledDevice, serverEntry, useTestServer, type TestDevice } from './test-server';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const server = useTestServer();
const databases = useFreshDatabases('sync-conflicts');
const fresh = () => databases.fresh();

/** A and B of one mission both have entry v1, then both edit it offline; A syncs first. */
async function conflictingEdits(mission: 'UNMISS' | 'MONUSCO' | 'MINURSO' | 'UNTSO' | 'UNIFIL') {
	const a = await enrolledDevice(server(), fresh, { mission, name: 'Amina' });
	const b = await enrolledDevice(server(), fresh, { mission, name: 'Bertrand' });
	const entry = await a.write({ note: 'v1', status: 'planned' });
	await a.sync();
	await b.sync();
	await updateAnnotation(
		a.db,
		entry.id,
		validInput({ note: 'A says done', status: 'implemented' })
	);
	await updateAnnotation(b.db, entry.id, validInput({ note: 'B says ongoing' }));
	expect(await a.sync()).toMatchObject({ applied: 1, conflicts: 0 });
	return { a, b, entry };
}

async function deviceIdOf(device: TestDevice) {
	return (await readDeviceValue(device.db, 'profile'))!.deviceId;
}

describe('two devices editing one entry offline', () => {
	it('both sync; one conflict is kept with both versions and is visible on both', async () => {
		const { a, b, entry } = await conflictingEdits('UNMISS');
		const summary = await b.sync();
		expect(summary).toMatchObject({ pushed: 1, applied: 0, conflicts: 1 });
		expect(await b.db.outbox.count()).toBe(0);

		// The server kept A's version; B's is in the conflict record.
		expect(await serverEntry(server(), entry.id)).toMatchObject({
			revision: 2,
			data: { note: 'A says done' }
		});
		const [onB] = await b.db.conflicts.toArray();
		expect(onB).toMatchObject({
			annotationId: entry.id,
			mission: 'UNMISS',
			recommendationId: RECOMMENDATION,
			state: 'open',
			resolvedAt: null,
			server: { note: 'A says done', revision: 2 },
			incoming: { note: 'B says ongoing' }
		});
		// B's entry shows what HQ has; B's words live on in the record.
		expect(await b.db.annotations.get(entry.id)).toMatchObject({
			note: 'A says done',
			revision: 2
		});
		expect(conflictVersions(onB, await deviceIdOf(b))).toMatchObject({
			mine: { note: 'B says ongoing' },
			theirs: { note: 'A says done' }
		});
		expect((await readSyncStatus(b.db)).conflicts).toBe(1);

		await a.sync();
		const onA = await conflictsFor(a.db, 'UNMISS', RECOMMENDATION);
		expect(onA).toHaveLength(1);
		expect(onA[0]).toMatchObject({
			id: onB.id,
			state: 'open',
			incoming: { note: 'B says ongoing' }
		});
		expect(conflictVersions(onA[0], await deviceIdOf(a))).toMatchObject({
			mine: { note: 'A says done' },
			theirs: { note: 'B says ongoing' }
		});
		// One conflict, however often each side syncs.
		await a.sync();
		await b.sync();
		expect(await a.db.conflicts.count()).toBe(1);
		expect(await b.db.conflicts.count()).toBe(1);
	});

	it('a decision on A reaches B, and the server marks the conflict resolved', async () => {
		const { a, b, entry } = await conflictingEdits('MONUSCO');
		await b.sync();
		await a.sync();
		const [conflict] = await openConflicts(a.db);

		// A takes B's version (from A's point of view: theirs).
		const saved = await resolveConflict(a.db, conflict.id, 'theirs');
		expect(saved).toMatchObject({ note: 'B says ongoing', author: 'Bertrand' });
		const [decision] = await a.db.outbox.toArray();
		expect(decision).toMatchObject({
			op: 'update',
			resolvesConflictId: conflict.id,
			baseRevision: 2
		});
		expect(await a.db.conflicts.get(conflict.id)).toMatchObject({
			state: 'resolving',
			resolvingOpId: decision.opId
		});
		expect(await openConflicts(a.db)).toHaveLength(0);

		expect(await a.sync()).toMatchObject({ applied: 1, conflicts: 0 });
		expect((await a.db.conflicts.get(conflict.id))?.state).toBe('resolved');
		const row = await server()
			.context.db.selectFrom('conflicts')
			.select(['resolved_at', 'resolved_by_op'])
			.where('id', '=', conflict.id)
			.executeTakeFirstOrThrow();
		expect(row.resolved_by_op).toBe(decision.opId);
		expect(row.resolved_at).not.toBeNull();
		expect(await serverEntry(server(), entry.id)).toMatchObject({
			revision: 3,
			data: { note: 'B says ongoing' }
		});

		await b.sync();
		expect(await b.db.conflicts.get(conflict.id)).toMatchObject({
			state: 'resolved',
			resolvedAt: row.resolved_at
		});
		expect(await b.db.annotations.get(entry.id)).toMatchObject({
			note: 'B says ongoing',
			revision: 3
		});
		expect((await readSyncStatus(b.db)).conflicts).toBe(0);
	});

	it('settles the conflict even when the answer to the decision was lost', async () => {
		const { a, b } = await conflictingEdits('UNIFIL');
		await b.sync();
		const [conflict] = await openConflicts(b.db);
		await resolveConflict(b.db, conflict.id, 'theirs');
		let drop = true;
		server().intercept.after = (request) => {
			if (drop && new URL(request.url).pathname === '/api/v1/sync/push') {
				drop = false;
				throw new TypeError('connection reset');
			}
		};
		try {
			await expect(b.sync()).rejects.toMatchObject({ kind: 'network' });
		} finally {
			server().intercept.after = undefined;
		}
		expect((await b.db.conflicts.get(conflict.id))?.state).toBe('resolving');
		expect(await b.sync()).toMatchObject({ duplicates: 1, applied: 0 });
		expect(await b.db.conflicts.get(conflict.id)).toMatchObject({
			state: 'resolved',
			resolvedAt: expect.any(String)
		});
		await a.sync();
		expect((await a.db.conflicts.get(conflict.id))?.state).toBe('resolved');
	});

	it('settles with merged content typed on the device that got the conflict', async () => {
		const { a, b, entry } = await conflictingEdits('MINURSO');
		await b.sync();
		const [conflict] = await openConflicts(b.db);
		await expect(
			resolveConflict(b.db, conflict.id, { merged: validInput({ status: 'nonsense' }) })
		).rejects.toBeInstanceOf(ValidationError);
		expect(await b.db.outbox.count()).toBe(0);

		await resolveConflict(b.db, conflict.id, {
			merged: validInput({ note: 'Both: done in Juba, ongoing in Malakal', status: 'in-progress' })
		});
		expect(await b.sync()).toMatchObject({ applied: 1, conflicts: 0 });
		await a.sync();
		expect(await a.db.annotations.get(entry.id)).toMatchObject({
			note: 'Both: done in Juba, ongoing in Malakal',
			author: 'Bertrand',
			revision: 3
		});
		expect((await a.db.conflicts.get(conflict.id))?.state).toBe('resolved');
	});

	it('keeps a decision that arrives after yet another change as a new conflict', async () => {
		const { a, b, entry } = await conflictingEdits('UNTSO');
		await b.sync();
		const [conflict] = await openConflicts(b.db);
		// A changes the entry again (deletes it) before B's decision arrives.
		await a.sync();
		await deleteAnnotation(a.db, entry.id);
		await a.sync();
		await resolveConflict(b.db, conflict.id, 'mine');

		const summary = await b.sync();
		expect(summary).toMatchObject({ applied: 0, conflicts: 1 });
		// The first conflict is open again, a second one holds B's decision; nothing is lost.
		const open = await openConflicts(b.db);
		expect(open.map((c) => c.id)).toContain(conflict.id);
		expect(open).toHaveLength(2);
		expect(open.find((c) => c.id !== conflict.id)).toMatchObject({
			server: { deleted: true },
			incoming: { note: 'B says ongoing' }
		});
		expect(await b.db.annotations.get(entry.id)).toMatchObject({ deleted: true });
	});
});
