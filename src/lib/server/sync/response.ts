import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { acceptsGzip } from '../http/json';

/**
 * Sync answers, from JSON the caller already built, as text or as UTF-8 (a pull page is mostly
 * entries' stored JSON, copied as is). gzip level 4: on a page of 500 entries about 7% larger
 * than the default level 6 (123 instead of 116 bytes an entry) for half its CPU (3 instead of
 * 6 ms), and the sync endpoints are where the server spends its CPU.
 */

const gzipAsync = promisify(gzip);
const GZIP_OPTIONS = { level: 4, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY };
/** Smaller than this, compression costs more than it saves. */
const COMPRESS_FROM_BYTES = 1024;

export async function syncJsonResponse(
	request: Request,
	json: string | Uint8Array
): Promise<Response> {
	const headers = new Headers({
		'Content-Type': 'application/json; charset=utf-8',
		// Sync answers are per device and per moment: never from a cache.
		'Cache-Control': 'no-store',
		Vary: 'Accept-Encoding, Authorization'
	});
	let body: Uint8Array = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
	if (body.byteLength >= COMPRESS_FROM_BYTES && acceptsGzip(request)) {
		body = await gzipAsync(body, GZIP_OPTIONS);
		headers.set('Content-Encoding', 'gzip');
	}
	headers.set('Content-Length', String(body.byteLength));
	return new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers });
}
