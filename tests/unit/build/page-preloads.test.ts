import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetVersion } from 'virtual:fieldmatrix-dataset';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_CHUNK, databaseChunkFile } from '$lib/build/database-chunk';
import { pagePreloads } from '$lib/server/http/page-preloads';
import { DATASET_PRELOAD, datasetPreload } from '$lib/shared/dataset-preload';
import { datasetUrl } from '$lib/shared/dataset-url';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('page preloads', () => {
	it("a rendered page's head asks for this build's set; the worker's pattern finds exactly that tag", () => {
		const tag = pagePreloads(false);
		expect(tag).toBe(datasetPreload(datasetVersion));
		expect(tag).toContain(`href="${datasetUrl(datasetVersion)}"`);
		const head = `<head><link rel="modulepreload" href="/a.js">${tag}<link rel="icon" href="/f.svg"></head>`;
		expect(head.replace(DATASET_PRELOAD, '')).toBe(
			'<head><link rel="modulepreload" href="/a.js"><link rel="icon" href="/f.svg"></head>'
		);
		// Another version's tag (a device between two deploys) is found too.
		expect(DATASET_PRELOAD.test(datasetPreload('0123abcd'))).toBe(true);
	});

	it("names the database chunk's file from the client build manifest, and fails loudly without it", () => {
		dir = mkdtempSync(join(tmpdir(), 'fm-build-'));
		mkdirSync(join(dir, 'client/.vite'), { recursive: true });
		const manifest = join(dir, 'client/.vite/manifest.json');
		writeFileSync(
			manifest,
			JSON.stringify({
				'_a.js': { file: '_app/immutable/chunks/a.js', name: 'first-screen' },
				'_b.js': { file: '_app/immutable/chunks/b.js', name: DATABASE_CHUNK }
			})
		);
		expect(databaseChunkFile(dir)).toBe('_app/immutable/chunks/b.js');
		writeFileSync(manifest, JSON.stringify({ '_a.js': { file: 'a.js', name: 'first-screen' } }));
		expect(() => databaseChunkFile(dir)).toThrow(/no "dexie" chunk/);
	});
});
