import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { readDatasetInfo, storeDataset } from '$lib/client/recommendation-store';
import {
	createAnnotation,
	deleteAnnotation,
	updateAnnotation
} from '$lib/client/annotations/annotation-store';
import { orphanedAnnotations } from '$lib/client/annotations/annotation-queries';
import { saveDraft } from '$lib/client/annotations/drafts';
import type { Dataset } from '$lib/shared/recommendation';
import { seedDataset } from '../../seed-dataset';
import {
	snapshotTables,
	useFreshDatabases,
	validInput,
	withProfile
} from '../fixtures/annotation-db';
import { writeV1Database } from '../fixtures/v1-database';

const databases = useFreshDatabases('schema');

describe('the v1 → v2 upgrade', () => {
	it('keeps the stored recommendation set and adds usable annotation tables', async () => {
		const name = `schema-upgrade-${crypto.randomUUID()}`;
		const dataset = seedDataset();
		await writeV1Database(name, dataset);

		const db = databases.fresh(name);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.recommendations.orderBy('order').toArray()).toEqual(dataset.recommendations);
		expect(await readDatasetInfo(db)).toMatchObject({
			version: dataset.version,
			count: dataset.recommendations.length,
			sections: dataset.sections
		});
		expect(await db.recommendations.where('section.ordinal').equals(2).count()).toBeGreaterThan(0);

		for (const table of ['annotations', 'outbox', 'history', 'drafts', 'device'] as const) {
			expect(await db[table].count()).toBe(0);
		}
		await withProfile(db);
		const entry = await createAnnotation(db, {
			recommendationId: dataset.recommendations[0].id,
			datasetVersion: dataset.version,
			input: validInput()
		});
		expect(await db.annotations.get(entry.id)).toEqual(entry);
		expect(await db.outbox.count()).toBe(1);
		expect(await db.history.count()).toBe(1);
	});
});

describe('a dataset replacement', () => {
	it('never touches what the focal point wrote', async () => {
		const db = databases.fresh();
		const original = seedDataset();
		await storeDataset(db, original);
		await withProfile(db);
		const ids = original.recommendations.map((r) => r.id);
		const kept = await createAnnotation(db, {
			recommendationId: ids[0],
			datasetVersion: original.version,
			input: validInput()
		});
		const dropped = await createAnnotation(db, {
			recommendationId: ids.at(-1)!,
			datasetVersion: original.version,
			input: validInput()
		});
		await updateAnnotation(db, kept.id, validInput({ status: 'implemented' }));
		await deleteAnnotation(db, dropped.id);
		await saveDraft(db, `${ids[1]}:new`, {
			status: '',
			note: 'typed',
			evidence: [],
			progressDate: ''
		});
		const before = await snapshotTables(db);

		const next: Dataset = {
			...original,
			version: 'f'.repeat(16),
			recommendations: original.recommendations.slice(0, -1)
		};
		await storeDataset(db, next);
		expect(await db.recommendations.count()).toBe(next.recommendations.length);
		expect(await snapshotTables(db)).toEqual(before);
		// The entry on the removed recommendation stays findable.
		const orphans = await orphanedAnnotations(
			db,
			'UNMISS',
			next.recommendations.map((r) => r.id)
		);
		expect(orphans.map((a) => a.id)).toEqual([dropped.id]);
	});
});
