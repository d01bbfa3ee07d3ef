import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { datasetJson, datasetVersion } from 'virtual:fieldmatrix-dataset';

/**
 * The dataset as the API serves it: built at build time, compressed once at first use,
 * revalidated by ETag (the content hash) so a device that has it gets a 304.
 */
const etag = `"${datasetVersion}"`;
const raw = Buffer.from(datasetJson);
let compressed: { br: Buffer; gzip: Buffer } | undefined;

function encodings() {
	compressed ??= {
		br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
		gzip: gzipSync(raw, { level: 9 })
	};
	return compressed;
}

function etagMatches(ifNoneMatch: string | null): boolean {
	if (!ifNoneMatch) return false;
	return ifNoneMatch
		.split(',')
		.map((tag) => tag.trim().replace(/^W\//, ''))
		.some((tag) => tag === etag || tag === '*');
}

export function datasetResponse(request: Request): Response {
	const headers = new Headers({
		'Content-Type': 'application/json; charset=utf-8',
		ETag: etag,
		'Cache-Control': 'no-cache',
		Vary: 'Accept-Encoding'
	});
	if (etagMatches(request.headers.get('If-None-Match'))) {
		return new Response(null, { status: 304, headers });
	}
	const accepted = request.headers.get('Accept-Encoding') ?? '';
	let body: Buffer = raw;
	if (/\bbr\b/.test(accepted)) {
		body = encodings().br;
		headers.set('Content-Encoding', 'br');
	} else if (/\bgzip\b/.test(accepted)) {
		body = encodings().gzip;
		headers.set('Content-Encoding', 'gzip');
	}
	headers.set('Content-Length', String(body.byteLength));
	return new Response(new Uint8Array(body), { headers });
}

export { datasetVersion };
