import { promisify } from 'node:util';
import { brotliCompress, constants, gzipSync } from 'node:zlib';
import { datasetJson, datasetVersion } from 'virtual:fieldmatrix-dataset';

/**
 * The dataset as the API serves it: built at build time, compressed once per process,
 * revalidated by ETag (the content hash) so a device that has it gets a 304.
 */
const etag = `"${datasetVersion}"`;
const raw = Buffer.from(datasetJson);
let gzipped: Buffer | undefined;
// Brotli at its best quality costs ~0.3 s: started once, off the event loop.
let brotli: Promise<Buffer> | undefined;

function gzip(): Buffer {
	gzipped ??= gzipSync(raw, { level: 9 });
	return gzipped;
}

function br(): Promise<Buffer> {
	brotli ??= promisify(brotliCompress)(raw, {
		params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length }
	});
	return brotli;
}

function etagMatches(ifNoneMatch: string | null): boolean {
	if (!ifNoneMatch) return false;
	return ifNoneMatch
		.split(',')
		.map((tag) => tag.trim().replace(/^W\//, ''))
		.some((tag) => tag === etag || tag === '*');
}

/**
 * `GET /api/v1/recommendations[?v=version]`. Asked for by its current version, the body can never
 * change at that URL: browsers may keep it for good. Otherwise (no version, or an old one from a
 * device not yet updated) the current set is served, to be revalidated by ETag.
 */
export async function datasetResponse(request: Request): Promise<Response> {
	const versioned = new URL(request.url).searchParams.get('v') === datasetVersion;
	const headers = new Headers({
		'Content-Type': 'application/json; charset=utf-8',
		ETag: etag,
		'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'no-cache',
		Vary: 'Accept-Encoding'
	});
	if (etagMatches(request.headers.get('If-None-Match'))) {
		return new Response(null, { status: 304, headers });
	}
	const accepted = request.headers.get('Accept-Encoding') ?? '';
	let body: Buffer = raw;
	if (/\bbr\b/.test(accepted)) {
		body = await br();
		headers.set('Content-Encoding', 'br');
	} else if (/\bgzip\b/.test(accepted)) {
		body = gzip();
		headers.set('Content-Encoding', 'gzip');
	}
	headers.set('Content-Length', String(body.byteLength));
	return new Response(new Uint8Array(body), { headers });
}

export { datasetVersion };
