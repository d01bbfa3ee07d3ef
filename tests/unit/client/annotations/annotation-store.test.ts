import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { annotationSchema, mutationSchema, MUTATION_SCHEMA_VERSION } from '$lib/shared/annotation';
import { FieldMatrixDatabase } from '$lib/client/db';
import {
	createAnnotation,
	deleteAnnotation,
	restoreAnnotation,
	updateAnnotation,
	type UncheckedInput
} from '$lib/client/annotations/annotation-store';
import { AnnotationError, ValidationError } from '$lib/client/annotations/errors';
import { readSyncCounters } from '$lib/client/annotations/device-state';
import { saveProfile } from '$lib/client/annotations/profile';
import { saveDraft } from '$lib/client/annotations/drafts';
import {
	DATASET_VERSION,
	RECOMMENDATION,
	dayFromToday,
	snapshotTables,
	useFreshDatabases,
	validInput,
	withProfile
} from '../fixtures/annotation-db';

const databases = useFreshDatabases('store');

function create(db: FieldMatrixDatabase, input: UncheckedInput = validInput()) {
	return createAnnotation(db, {
		recommendationId: RECOMMENDATION,
		datasetVersion: DATASET_VERSION,
		input
	});
}

describe('writing entries', () => {
	it('writes the entry, its outbox mutation and its history row together', async () => {
		const db = databases.fresh();
		const profile = await withProfile(db);
		const entry = await create(db);

		expect(annotationSchema.parse(entry)).toEqual(entry);
		expect(entry).toMatchObject({
			mission: 'UNMISS',
			recommendationId: RECOMMENDATION,
			datasetVersion: DATASET_VERSION,
			status: 'in-progress',
			author: 'Amina Focal',
			deviceId: profile.deviceId,
			deleted: false,
			revision: 0
		});
		expect(entry.createdAt).toBe(entry.updatedAt);
		expect(await db.annotations.get(entry.id)).toEqual(entry);

		const [mutation] = await db.outbox.toArray();
		expect(mutationSchema.parse(mutation)).toEqual(mutation);
		expect(mutation).toMatchObject({
			deviceId: profile.deviceId,
			mutationId: 1,
			op: 'create',
			annotationId: entry.id,
			baseRevision: 0,
			payload: entry,
			schemaVersion: MUTATION_SCHEMA_VERSION
		});
		expect(mutation.opId).not.toBe(entry.id);

		const [row] = await db.history.toArray();
		expect(row).toMatchObject({
			opId: mutation.opId,
			annotationId: entry.id,
			recommendationId: RECOMMENDATION,
			mission: 'UNMISS',
			op: 'create',
			snapshot: entry,
			at: entry.updatedAt,
			author: 'Amina Focal'
		});
		expect((await readSyncCounters(db)).nextMutationId).toBe(2);
	});

	it('refuses to write without a profile', async () => {
		const db = databases.fresh();
		await expect(create(db)).rejects.toMatchObject({ kind: 'no-profile' });
		expect(await snapshotTables(db)).toMatchObject({ annotations: [], outbox: [], history: [] });
	});

	it('keeps a trimmed copy of evidence and no empty optional fields', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(
			db,
			validInput({ evidence: [{ label: '  Report  ', symbol: ' S/2024/292 ' }] })
		);
		expect(entry.evidence).toEqual([{ label: 'Report', symbol: 'S/2024/292' }]);
		expect(Object.keys(entry.evidence[0])).toEqual(['label', 'symbol']);
	});

	it('numbers mutations strictly increasing, across many writes and after reopening', async () => {
		const name = `store-counter-${crypto.randomUUID()}`;
		let db = databases.fresh(name);
		await withProfile(db);
		const first = await create(db);
		for (let i = 0; i < 20; i++) {
			await updateAnnotation(db, first.id, validInput({ note: `revision ${i}` }));
		}
		await Promise.all([create(db), create(db), create(db)]);
		db.close();

		db = databases.fresh(name);
		const again = await create(db);
		await deleteAnnotation(db, again.id);
		await restoreAnnotation(db, again.id);

		const ids = (await db.outbox.orderBy('mutationId').toArray()).map((m) => m.mutationId);
		expect(ids).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
		const opIds = (await db.outbox.orderBy('mutationId').toArray()).map((m) => m.opId);
		expect([...opIds].sort()).toEqual(opIds);
		expect((await readSyncCounters(db)).nextMutationId).toBe(28);
	});

	it('updates: a new version by the current person, same id and createdAt', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		const updated = await updateAnnotation(
			db,
			entry.id,
			validInput({ status: 'implemented', note: 'Done.' })
		);
		expect(updated).toMatchObject({
			id: entry.id,
			createdAt: entry.createdAt,
			status: 'implemented',
			note: 'Done.'
		});
		expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(entry.updatedAt));
		const mutations = await db.outbox.orderBy('mutationId').toArray();
		expect(mutations.map((m) => m.op)).toEqual(['create', 'update']);
		expect(mutations[1]).toMatchObject({ baseRevision: 0, payload: updated });
	});

	it('writes nothing for an update that changes nothing', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		const before = await snapshotTables(db);
		expect(await updateAnnotation(db, entry.id, validInput())).toEqual(entry);
		expect(await snapshotTables(db)).toEqual(before);
	});

	it('carries the server revision as baseRevision', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		// What the sync engine will do once the server accepted the entry.
		await db.annotations.update(entry.id, { revision: 3 });
		await db.outbox.clear();
		const updated = await updateAnnotation(db, entry.id, validInput({ note: 'later' }));
		expect(updated.revision).toBe(3);
		expect((await db.outbox.toArray())[0]).toMatchObject({ baseRevision: 3, mutationId: 2 });
	});

	it('keeps updatedAt increasing even when the device clock steps back', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		await db.annotations.update(entry.id, { updatedAt: '2999-01-01T00:00:00.000Z' });
		const updated = await updateAnnotation(db, entry.id, validInput({ note: 'x' }));
		expect(updated.updatedAt).toBe('2999-01-01T00:00:00.001Z');
	});

	it('refuses to change an entry of another mission', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		await db.outbox.clear();
		await saveProfile(db, { mission: 'UNIFIL', displayName: 'Jean' });
		await expect(updateAnnotation(db, entry.id, validInput({ note: 'x' }))).rejects.toMatchObject({
			kind: 'other-mission'
		});
		await expect(deleteAnnotation(db, entry.id)).rejects.toMatchObject({ kind: 'other-mission' });
		await expect(updateAnnotation(db, crypto.randomUUID(), validInput())).rejects.toMatchObject({
			kind: 'not-found'
		});
	});

	it('discards the editor draft in the same transaction when asked', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const key = `${RECOMMENDATION}:new`;
		await saveDraft(db, key, {
			status: 'planned',
			note: 'typed',
			evidence: [],
			progressDate: '2024-11-04'
		});
		await createAnnotation(
			db,
			{ recommendationId: RECOMMENDATION, datasetVersion: DATASET_VERSION, input: validInput() },
			{ discardDraft: key }
		);
		expect(await db.drafts.count()).toBe(0);
	});
});

describe('validation', () => {
	const tooMany = Array.from({ length: 11 }, (_, i) => ({ label: `Item ${i}` }));
	const cases: [string, Partial<UncheckedInput>, (string | number)[], string][] = [
		['a note over 4000 characters', { note: 'x'.repeat(4001) }, ['note'], 'too-long'],
		['11 evidence items', { evidence: tooMany }, ['evidence'], 'too-many'],
		[
			'a javascript: URL',
			{ evidence: [{ label: 'x', url: 'javascript:alert(1)' }] },
			['evidence', 0, 'url'],
			'invalid-url'
		],
		[
			'a bad document symbol',
			{ evidence: [{ label: 'x', symbol: 's/2024 <b>' }] },
			['evidence', 0, 'symbol'],
			'invalid-symbol'
		],
		[
			'an empty evidence label',
			{ evidence: [{ label: '   ' }] },
			['evidence', 0, 'label'],
			'required'
		],
		[
			'an evidence label over 200 characters',
			{ evidence: [{ label: 'x'.repeat(201) }] },
			['evidence', 0, 'label'],
			'too-long'
		],
		['a future date', { progressDate: dayFromToday(3) }, ['progressDate'], 'future-date'],
		['a malformed date', { progressDate: '2024-13-45' }, ['progressDate'], 'invalid-date'],
		['an invalid status', { status: 'done' }, ['status'], 'invalid']
	];

	for (const [what, overrides, path, code] of cases) {
		it(`refuses ${what} and writes nothing`, async () => {
			const db = databases.fresh();
			await withProfile(db);
			const entry = await create(db);
			const before = await snapshotTables(db);

			const creating = create(db, validInput(overrides));
			await expect(creating).rejects.toThrow(ValidationError);
			const error = (await creating.catch((e: unknown) => e)) as ValidationError;
			expect(error.issues).toContainEqual(expect.objectContaining({ path, code }));

			await expect(updateAnnotation(db, entry.id, validInput(overrides))).rejects.toThrow(
				ValidationError
			);
			expect(await snapshotTables(db)).toEqual(before);
		});
	}

	it('accepts today (and tomorrow, for time zones ahead of the device)', async () => {
		const db = databases.fresh();
		await withProfile(db);
		await expect(create(db, validInput({ progressDate: dayFromToday(0) }))).resolves.toBeDefined();
		await expect(create(db, validInput({ progressDate: dayFromToday(1) }))).resolves.toBeDefined();
	});

	it('refuses an invalid recommendation id or dataset version', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const bad = createAnnotation(db, {
			recommendationId: 'p38',
			datasetVersion: DATASET_VERSION,
			input: validInput()
		});
		await expect(bad).rejects.toMatchObject({
			issues: [expect.objectContaining({ path: ['recommendationId'] })]
		});
		await expect(
			createAnnotation(db, {
				recommendationId: RECOMMENDATION,
				datasetVersion: 'latest',
				input: validInput()
			})
		).rejects.toThrow(ValidationError);
		expect(await db.annotations.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});
});

describe('deleting and restoring', () => {
	it('deletes as a tombstone that is kept and queued', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		const tombstone = await deleteAnnotation(db, entry.id);
		expect(tombstone).toMatchObject({ id: entry.id, deleted: true, note: entry.note });
		expect(await db.annotations.get(entry.id)).toEqual(tombstone);
		const last = await db.outbox.orderBy('mutationId').last();
		expect(last).toMatchObject({ op: 'delete', payload: tombstone });
		await expect(updateAnnotation(db, entry.id, validInput({ note: 'x' }))).rejects.toMatchObject({
			kind: 'deleted'
		});
		// A second delete (double tap) writes nothing.
		const count = await db.outbox.count();
		await deleteAnnotation(db, entry.id);
		expect(await db.outbox.count()).toBe(count);
	});

	it('stamps deletes and restores with this device, keeping the author of the content', async () => {
		const db = databases.fresh();
		const profile = await withProfile(db);
		const entry = await create(db);
		// An entry another focal point of the mission wrote, as the sync will bring it.
		const theirs = { ...entry, author: 'Paul', deviceId: crypto.randomUUID(), revision: 2 };
		await db.annotations.put(theirs);
		const tombstone = await deleteAnnotation(db, entry.id);
		expect(tombstone).toMatchObject({ author: 'Paul', deviceId: profile.deviceId });
		const restored = await restoreAnnotation(db, entry.id);
		expect(restored).toMatchObject({ author: 'Paul', deviceId: profile.deviceId, revision: 2 });
		const last = await db.outbox.orderBy('mutationId').last();
		expect(last).toMatchObject({ baseRevision: 2, payload: restored });
		const rows = await db.history.orderBy('id').toArray();
		expect(rows.at(-1)).toMatchObject({ op: 'restore', author: 'Amina Focal' });
	});

	it('restores while the deletion is unsynced', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		await deleteAnnotation(db, entry.id);
		const restored = await restoreAnnotation(db, entry.id);
		expect(restored).toMatchObject({ id: entry.id, deleted: false, note: entry.note });
		const ops = (await db.outbox.orderBy('mutationId').toArray()).map((m) => m.op);
		expect(ops).toEqual(['create', 'delete', 'restore']);
	});

	it('refuses to restore once the deletion was synced, with a clear error', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		await deleteAnnotation(db, entry.id);
		await db.outbox.clear(); // what the sync engine does once the server settled them
		const restoring = restoreAnnotation(db, entry.id);
		await expect(restoring).rejects.toThrow(AnnotationError);
		await expect(restoring).rejects.toMatchObject({
			kind: 'already-synced',
			message: expect.stringMatching(/already synced/)
		});
		expect((await db.annotations.get(entry.id))?.deleted).toBe(true);
		expect(await db.outbox.count()).toBe(0);
	});

	it('records one history row per change', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await create(db);
		await updateAnnotation(db, entry.id, validInput({ status: 'implemented' }));
		await deleteAnnotation(db, entry.id);
		await restoreAnnotation(db, entry.id);
		const rows = await db.history.orderBy('id').toArray();
		expect(rows.map((r) => [r.op, r.snapshot.status, r.snapshot.deleted])).toEqual([
			['create', 'in-progress', false],
			['update', 'implemented', false],
			['delete', 'implemented', true],
			['restore', 'implemented', false]
		]);
		const outbox = await db.outbox.orderBy('mutationId').toArray();
		expect(rows.map((r) => r.opId)).toEqual(outbox.map((m) => m.opId));
	});
});
