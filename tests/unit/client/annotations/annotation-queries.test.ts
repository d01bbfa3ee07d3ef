import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { FieldMatrixDatabase } from '$lib/client/db';
import {
	createAnnotation,
	deleteAnnotation,
	updateAnnotation,
	type UncheckedInput
} from '$lib/client/annotations/annotation-store';
import {
	annotationsFor,
	currentStatusByRecommendation,
	historyFor,
	orphanedAnnotations,
	pendingAnnotationIds,
	pendingCount,
	pendingForOtherMissions,
	progressSummary
} from '$lib/client/annotations/annotation-queries';
import { saveProfile } from '$lib/client/annotations/profile';
import {
	DATASET_VERSION,
	useFreshDatabases,
	validInput,
	withProfile
} from '../fixtures/annotation-db';

const databases = useFreshDatabases('queries');

function write(db: FieldMatrixDatabase, recommendationId: string, input: Partial<UncheckedInput>) {
	return createAnnotation(db, {
		recommendationId,
		datasetVersion: DATASET_VERSION,
		input: validInput(input)
	});
}

const section = (ordinal: number) => ({ numeral: 'I', ordinal, title: `Section ${ordinal}` });
const recommendations = [
	{ id: 'a78-19-p22', section: section(1) },
	{ id: 'a78-19-p26', section: section(1) },
	{ id: 'a78-19-p38', section: section(2) },
	{ id: 'a78-19-p39', section: section(2) }
];

describe('reading entries', () => {
	it('lists a recommendation’s entries for the mission, tombstones included, newest first', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const older = await write(db, 'a78-19-p38', { progressDate: '2024-05-01' });
		const newer = await write(db, 'a78-19-p38', { progressDate: '2024-09-01' });
		const sameDayLater = await write(db, 'a78-19-p38', { progressDate: '2024-09-01' });
		await deleteAnnotation(db, older.id);
		await write(db, 'a78-19-p39', {});

		const list = await annotationsFor(db, 'UNMISS', 'a78-19-p38');
		expect(list.map((a) => a.id)).toEqual([sameDayLater.id, newer.id, older.id]);
		expect(list[2].deleted).toBe(true);
		expect(await annotationsFor(db, 'UNIFIL', 'a78-19-p38')).toEqual([]);
	});

	it('derives the current status from the latest live entry, by progress date', async () => {
		const db = databases.fresh();
		await withProfile(db);
		await write(db, 'a78-19-p38', { status: 'implemented', progressDate: '2024-09-01' });
		// Written later, but about an earlier day: not the current status.
		await write(db, 'a78-19-p38', { status: 'planned', progressDate: '2024-02-01' });
		const gone = await write(db, 'a78-19-p39', { status: 'planned' });
		const latest = await write(db, 'a78-19-p22', {
			status: 'in-progress',
			progressDate: '2024-10-01'
		});
		await updateAnnotation(
			db,
			latest.id,
			validInput({ status: 'needs-hq-support', progressDate: '2024-10-01' })
		);
		const deleted = await write(db, 'a78-19-p22', {
			status: 'not-started',
			progressDate: '2024-11-01'
		});
		await deleteAnnotation(db, deleted.id);
		await deleteAnnotation(db, gone.id);

		const current = await currentStatusByRecommendation(db, 'UNMISS');
		expect(current.get('a78-19-p38')).toMatchObject({
			status: 'implemented',
			progressDate: '2024-09-01',
			entryCount: 2
		});
		expect(current.get('a78-19-p22')).toMatchObject({ status: 'needs-hq-support', entryCount: 1 });
		expect(current.has('a78-19-p39')).toBe(false);
		expect((await currentStatusByRecommendation(db, 'UNIFIL')).size).toBe(0);
	});

	it('gives the timeline of changes, newest first, per mission', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await write(db, 'a78-19-p38', {});
		await updateAnnotation(db, entry.id, validInput({ status: 'implemented' }));
		await deleteAnnotation(db, entry.id);
		const timeline = await historyFor(db, 'UNMISS', 'a78-19-p38');
		expect(timeline.map((row) => row.op)).toEqual(['delete', 'update', 'create']);
		expect(timeline.every((row) => row.author === 'Amina Focal')).toBe(true);
		expect(await historyFor(db, 'UNMISS', 'a78-19-p39')).toEqual([]);
	});

	it('tells what is not yet synced', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const a = await write(db, 'a78-19-p38', {});
		await updateAnnotation(db, a.id, validInput({ note: 'again' }));
		const b = await write(db, 'a78-19-p39', {});
		expect(await pendingCount(db)).toBe(3);
		expect(await pendingAnnotationIds(db)).toEqual(new Set([a.id, b.id]));
		await db.outbox.where('annotationId').equals(a.id).delete();
		expect(await pendingAnnotationIds(db)).toEqual(new Set([b.id]));
	});

	it('counts unsent changes of another mission, which the sync must leave out', async () => {
		const db = databases.fresh();
		await withProfile(db);
		await write(db, 'a78-19-p38', {});
		await saveProfile(
			db,
			{ mission: 'UNIFIL', displayName: 'Jean' },
			{ allowPendingChanges: true }
		);
		await write(db, 'a78-19-p39', {});
		expect(await pendingForOtherMissions(db, 'UNIFIL')).toBe(1);
		expect(await pendingForOtherMissions(db, 'UNMISS')).toBe(1);
		expect(await pendingCount(db)).toBe(2);
	});

	it('summarises progress overall and per section, the rest not assessed', async () => {
		const db = databases.fresh();
		await withProfile(db);
		await write(db, 'a78-19-p22', { status: 'implemented' });
		await write(db, 'a78-19-p38', { status: 'in-progress' });
		await write(db, 'a78-19-p39', { status: 'in-progress' });
		await write(db, 'a78-19-p999', { status: 'planned' }); // an orphan: not counted
		const summary = await progressSummary(db, 'UNMISS', recommendations);
		expect(summary.overall).toEqual({
			'not-assessed': 1,
			'not-started': 0,
			planned: 0,
			'in-progress': 2,
			implemented: 1,
			'not-applicable': 0,
			'needs-hq-support': 0
		});
		expect(summary.bySection.get(1)).toMatchObject({ implemented: 1, 'not-assessed': 1 });
		expect(summary.bySection.get(2)).toMatchObject({ 'in-progress': 2, 'not-assessed': 0 });
		const other = await progressSummary(db, 'UNIFIL', recommendations);
		expect(other.overall['not-assessed']).toBe(4);
	});

	it('finds entries on recommendations the dataset no longer has', async () => {
		const db = databases.fresh();
		await withProfile(db);
		await write(db, 'a78-19-p38', {});
		const orphan = await write(db, 'a78-19-p999', {});
		const orphan2 = await write(db, 'a78-19-p1000', {});
		await db.outbox.clear();
		await saveProfile(db, { mission: 'UNIFIL', displayName: 'Jean' });
		await write(db, 'a78-19-p998', {});
		const ids = recommendations.map((r) => r.id);
		expect((await orphanedAnnotations(db, 'UNMISS', ids)).map((a) => a.id)).toEqual([
			orphan.id,
			orphan2.id
		]);
	});
});
