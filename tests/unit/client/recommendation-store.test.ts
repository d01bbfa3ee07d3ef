import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FieldMatrixDatabase } from '$lib/client/db';
import {
	prefetchDataset,
	readDatasetInfo,
	refreshDataset,
	storeDataset
} from '$lib/client/recommendation-store';
import { datasetResponse } from '$lib/server/dataset-response';
import type { Dataset } from '$lib/shared/recommendation';
import { seedDataset } from '../seed-dataset';

/** The device talks to the real endpoint handler (no network needed, no mock of its logic). */
const serverFetch: typeof fetch = async (input, init) =>
	datasetResponse(new Request(new URL(String(input), 'http://fieldmatrix.test'), init));

let dbCount = 0;
const databases: FieldMatrixDatabase[] = [];
function freshDatabase() {
	const db = new FieldMatrixDatabase(`store-test-${++dbCount}`);
	databases.push(db);
	return db;
}

afterEach(async () => {
	for (const db of databases.splice(0)) await db.delete();
	vi.unstubAllGlobals();
});

/** The page's localStorage, where the device notes which set it stored. */
function stubLocalStorage(): Map<string, string> {
	const items = new Map<string, string>();
	vi.stubGlobal('localStorage', {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value)
	});
	return items;
}

describe('the recommendation set on the device', () => {
	it('downloads, validates and stores the whole set on first visit', async () => {
		const db = freshDatabase();
		expect(await refreshDataset(db, serverFetch)).toBe('stored');
		const expected = seedDataset();
		const info = await readDatasetInfo(db);
		expect(info?.version).toBe(expected.version);
		expect(info?.count).toBe(expected.recommendations.length);
		expect(await db.recommendations.orderBy('order').toArray()).toEqual(expected.recommendations);
	});

	it('makes no request at all once the set matches the app version', async () => {
		const db = freshDatabase();
		const requested: string[] = [];
		const recording: typeof fetch = (input, init) => {
			requested.push(String(input));
			return serverFetch(input, init);
		};
		await refreshDataset(db, recording);
		expect(requested).toEqual([`/api/v1/recommendations?v=${seedDataset().version}`]);
		const before = await readDatasetInfo(db);
		expect(await refreshDataset(db, recording)).toBe('unchanged');
		expect(requested).toHaveLength(1);
		expect(await readDatasetInfo(db)).toEqual(before);
	});

	it('replaces the set whole when a new version arrives', async () => {
		const db = freshDatabase();
		const original = seedDataset();
		await storeDataset(db, original);
		const edited: Dataset = {
			...original,
			version: 'f'.repeat(16),
			recommendations: original.recommendations.slice(0, 3)
		};
		await storeDataset(db, edited);
		expect(await db.recommendations.count()).toBe(3);
		expect((await readDatasetInfo(db))?.version).toBe(edited.version);
	});

	it('keeps the old set intact when the replacement fails midway', async () => {
		const db = freshDatabase();
		const original = seedDataset();
		await storeDataset(db, original);
		// Two rows with one id: bulkAdd fails after clear() ran inside the transaction.
		const broken: Dataset = {
			...original,
			version: 'e'.repeat(16),
			recommendations: [original.recommendations[0], original.recommendations[0]]
		};
		await expect(storeDataset(db, broken)).rejects.toThrow();
		expect(await db.recommendations.count()).toBe(original.recommendations.length);
		expect((await readDatasetInfo(db))?.version).toBe(original.version);
	});

	it('refuses a body that is not a valid dataset and changes nothing', async () => {
		const db = freshDatabase();
		const original = seedDataset();
		await storeDataset(db, original);
		const badFetch: typeof fetch = async () =>
			new Response(JSON.stringify({ ...original, version: 'x', recommendations: [] }));
		// The app now wants another edition, and the body that arrives is not a dataset.
		await expect(refreshDataset(db, badFetch, 'a'.repeat(16))).rejects.toThrow(/invalid dataset/);
		expect(await db.recommendations.count()).toBe(original.recommendations.length);
		expect((await readDatasetInfo(db))?.version).toBe(original.version);
	});

	it('reports an HTTP failure without touching the stored set', async () => {
		const db = freshDatabase();
		const failing: typeof fetch = async () => new Response('down', { status: 503 });
		await expect(refreshDataset(db, failing)).rejects.toThrow('HTTP 503');
		expect(await readDatasetInfo(db)).toBeUndefined();
	});

	it('starts the first download before Dexie has opened, and downloads it once', async () => {
		stubLocalStorage();
		const requested: string[] = [];
		const recording: typeof fetch = (input, init) => {
			requested.push(String(input));
			return serverFetch(input, init);
		};
		prefetchDataset(recording);
		expect(requested).toHaveLength(1);
		const db = freshDatabase();
		expect(await refreshDataset(db, recording)).toBe('stored');
		expect(requested).toHaveLength(1);
		expect(await db.recommendations.count()).toBe(seedDataset().recommendations.length);

		// Once stored, a start asks for nothing: the device remembers which set it holds.
		prefetchDataset(recording);
		expect(await refreshDataset(db, recording)).toBe('unchanged');
		expect(requested).toHaveLength(1);
	});

	it('downloads again when the early download failed', async () => {
		stubLocalStorage();
		let calls = 0;
		const flaky: typeof fetch = (input, init) =>
			++calls === 1 ? Promise.reject(new TypeError('offline')) : serverFetch(input, init);
		prefetchDataset(flaky);
		expect(await refreshDataset(freshDatabase(), flaky)).toBe('stored');
		expect(calls).toBe(2);
	});

	it('works where localStorage is refused: one download, and the set is stored', async () => {
		vi.stubGlobal('localStorage', {
			getItem: () => {
				throw new DOMException('blocked', 'SecurityError');
			},
			setItem: () => {
				throw new DOMException('blocked', 'SecurityError');
			}
		});
		let calls = 0;
		const counting: typeof fetch = (input, init) => {
			calls++;
			return serverFetch(input, init);
		};
		prefetchDataset(counting);
		expect(await refreshDataset(freshDatabase(), counting)).toBe('stored');
		expect(calls).toBe(1);
	});
});
