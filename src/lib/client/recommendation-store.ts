import { datasetSchema, type Dataset } from '$lib/shared/recommendation';
import type { DatasetInfo, FieldMatrixDatabase } from './db';

export const DATASET_URL = '/api/v1/recommendations';

/** Reads what the device holds; undefined when nothing was stored yet. */
export function readDatasetInfo(db: FieldMatrixDatabase): Promise<DatasetInfo | undefined> {
	return db.datasetInfo.get('current');
}

/**
 * Replaces the stored set with `dataset` in ONE transaction: a reader sees the old set or the
 * new one, never a mix. Only the set's own tables are touched.
 */
export async function storeDataset(db: FieldMatrixDatabase, dataset: Dataset): Promise<void> {
	await db.transaction('rw', db.recommendations, db.datasetInfo, async () => {
		await db.recommendations.clear();
		await db.recommendations.bulkAdd(dataset.recommendations);
		await db.datasetInfo.put({
			key: 'current',
			version: dataset.version,
			meta: dataset.meta,
			sections: dataset.sections,
			count: dataset.recommendations.length,
			storedAt: new Date().toISOString()
		});
	});
}

export type RefreshResult = 'stored' | 'unchanged';

/**
 * Brings the device's set up to the server's (or the service worker's precached) version.
 * The body is validated with the shared schema before anything is written.
 */
export async function refreshDataset(
	db: FieldMatrixDatabase,
	fetchFn: typeof fetch = fetch
): Promise<RefreshResult> {
	const current = await readDatasetInfo(db);
	const response = await fetchFn(DATASET_URL, {
		headers: current ? { 'If-None-Match': `"${current.version}"` } : {}
	});
	if (response.status === 304) return 'unchanged';
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	const parsed = datasetSchema.safeParse(await response.json());
	if (!parsed.success) throw new Error(`invalid dataset: ${parsed.error.issues[0]?.message}`);
	if (current?.version === parsed.data.version) return 'unchanged';
	await storeDataset(db, parsed.data);
	return 'stored';
}
