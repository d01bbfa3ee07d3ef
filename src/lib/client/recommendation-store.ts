import { datasetVersion as builtVersion } from 'virtual:fieldmatrix-dataset-version';
import { datasetUrl } from '$lib/shared/dataset-url';
import type { Dataset } from '$lib/shared/recommendation';
import type { DatasetInfo, FieldMatrixDatabase } from './db';

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

/** Which set this device stored, noted where it can be read before Dexie has loaded. */
const STORED_VERSION_KEY = 'fieldmatrix.datasetVersion';

/**
 * The note is a hint only (the set itself is in IndexedDB): where localStorage is refused
 * (blocked storage throws on access) or full, it is simply not read or not written.
 */
function storedVersionHint(version?: string): string | null {
	try {
		const noted = globalThis.localStorage?.getItem(STORED_VERSION_KEY) ?? null;
		// Written when it changes, not on every start.
		if (version === undefined || version === noted) return noted;
		globalThis.localStorage?.setItem(STORED_VERSION_KEY, version);
		return version;
	} catch {
		return null;
	}
}

let early: { url: string; fetchFn: typeof fetch; response: Promise<Response> } | undefined;

/**
 * On a device that has not stored this build's set, starts its download at once, before the
 * database library has even arrived: on a slow link the set and Dexie then download together
 * instead of one after the other. `refreshDataset` takes this response instead of asking again.
 */
export function prefetchDataset(fetchFn: typeof fetch = fetch, wanted: string = builtVersion) {
	if (storedVersionHint() === wanted) return;
	const url = datasetUrl(wanted);
	early = { url, fetchFn, response: fetchFn(url) };
	// The schema that checks it, too: otherwise it would only be asked for once the set arrived.
	void import('$lib/shared/recommendation');
	// A failure here is not reported: refreshDataset asks again and reports its own.
	early.response.catch(() => undefined);
}

function download(url: string, fetchFn: typeof fetch): Promise<Response> {
	if (early?.url !== url || early.fetchFn !== fetchFn) return fetchFn(url);
	const { response } = early;
	early = undefined;
	return response.catch(() => fetchFn(url));
}

/**
 * Brings the device's set to the version this build of the app ships with. The dataset and the
 * code are deployed together: a new edition arrives with a new version of the app (which the
 * user accepts), so a device whose set matches its code makes no request at all. The body is
 * validated with the shared schema before anything is written.
 */
export async function refreshDataset(
	db: FieldMatrixDatabase,
	fetchFn: typeof fetch = fetch,
	wanted: string = builtVersion
): Promise<RefreshResult> {
	const current = await readDatasetInfo(db);
	if (current?.version === wanted) {
		storedVersionHint(wanted);
		return 'unchanged';
	}
	const response = await download(datasetUrl(wanted), fetchFn);
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	// The schema library loads only when a dataset arrives: not on the first screen's path.
	const { datasetSchema } = await import('$lib/shared/recommendation');
	const parsed = datasetSchema.safeParse(await response.json());
	if (!parsed.success) throw new Error(`invalid dataset: ${parsed.error.issues[0]?.message}`);
	if (current?.version === parsed.data.version) return 'unchanged';
	const started = performance.now();
	await storeDataset(db, parsed.data);
	storedVersionHint(parsed.data.version);
	// Read by the benchmarks (tests/bench), and by any browser's performance tools.
	performance.measure('fieldmatrix:store-dataset', { start: started });
	return 'stored';
}
