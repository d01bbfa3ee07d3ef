import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { datasetResponse } from '$lib/server/dataset-response';
import { datasetSchema } from '$lib/shared/recommendation';
import { seedDataset } from '../seed-dataset';

const url = 'http://fieldmatrix.test/api/v1/recommendations';
const get = async (headers: Record<string, string> = {}) =>
	datasetResponse(new Request(url, { headers }));

describe('GET /api/v1/recommendations', () => {
	it('serves the dataset built from the seed, versioned by its content hash', async () => {
		const response = await get();
		expect(response.status).toBe(200);
		expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
		const body = datasetSchema.parse(await response.json());
		expect(body).toEqual(seedDataset());
		expect(response.headers.get('ETag')).toBe(`"${body.version}"`);
		expect(response.headers.get('Cache-Control')).toBe('no-cache');
	});

	it('lets browsers keep the versioned URL for good, and only that one', async () => {
		const version = seedDataset().version;
		const cacheControl = async (query: string) =>
			(await datasetResponse(new Request(`${url}${query}`))).headers.get('Cache-Control');
		expect(await cacheControl(`?v=${version}`)).toBe('public, max-age=31536000, immutable');
		expect(await cacheControl('?v=0123456789abcdef')).toBe('no-cache');
		expect(await cacheControl('')).toBe('no-cache');
	});

	it('answers 304 with no body when the device has this version', async () => {
		const etag = (await get()).headers.get('ETag')!;
		for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
			const response = await get({ 'If-None-Match': header });
			expect(response.status).toBe(304);
			expect(await response.text()).toBe('');
		}
		expect((await get({ 'If-None-Match': '"0000000000000000"' })).status).toBe(200);
	});

	it('compresses with Brotli or gzip, as the client accepts', async () => {
		const raw = Buffer.from(await (await get()).arrayBuffer());
		const br = await get({ 'Accept-Encoding': 'gzip, deflate, br' });
		expect(br.headers.get('Content-Encoding')).toBe('br');
		const brBody = Buffer.from(await br.arrayBuffer());
		expect(brotliDecompressSync(brBody)).toEqual(raw);
		expect(brBody.byteLength).toBeLessThan(raw.byteLength / 4);
		const gzip = await get({ 'Accept-Encoding': 'gzip' });
		expect(gzip.headers.get('Content-Encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gzip.arrayBuffer()))).toEqual(raw);
		expect(gzip.headers.get('Vary')).toBe('Accept-Encoding');
	});
});
