import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { safeParse, type core } from 'zod/mini';
import type { ApiError } from '../../shared/sync';
import { SYNC_LIMITS } from '../../shared/sync';
import { AppError } from '../errors';

/**
 * JSON in and out of the API: request bodies read with a byte cap (counted while decompressing,
 * so a small gzip bomb is cut off at the cap, not inflated in memory), answers compressed when
 * the client accepts it, and every error as `{ error, message }`.
 */

const gzipAsync = promisify(gzip);
const ENCODINGS = new Set(['identity', 'gzip', 'x-gzip']);

function tooLarge(maxBytes: number): AppError {
	return new AppError(
		413,
		'too-large',
		`The request body is larger than ${maxBytes} bytes (uncompressed); send fewer changes at a time.`
	);
}

/** Passes chunks through, failing the stream once more than `maxBytes` went by. */
function byteCap(
	maxBytes: number,
	tripped: { value: boolean }
): TransformStream<Uint8Array, Uint8Array> {
	let total = 0;
	return new TransformStream({
		transform(chunk, controller) {
			total += chunk.byteLength;
			if (total <= maxBytes) return controller.enqueue(chunk);
			tripped.value = true;
			controller.error(tooLarge(maxBytes));
		}
	});
}

export async function readBody(
	request: Request,
	maxBytes: number = SYNC_LIMITS.requestBytes
): Promise<Uint8Array> {
	const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
	if (!ENCODINGS.has(encoding)) {
		throw new AppError(
			415,
			'unsupported-encoding',
			`Content-Encoding ${encoding} is not supported; send the body plain or gzip-compressed.`
		);
	}
	const declared = Number(request.headers.get('content-length'));
	if (declared > maxBytes) throw tooLarge(maxBytes);
	if (!request.body) return new Uint8Array();

	// Capped before decompressing (what arrives) and after (what it inflates to): an error in
	// the first stage reaches us through the decompressor, so the flag says which it was.
	const tripped = { value: false };
	let stream = request.body.pipeThrough(byteCap(maxBytes, tripped));
	if (encoding !== 'identity') {
		stream = stream
			.pipeThrough(new DecompressionStream('gzip') as TransformStream<Uint8Array, Uint8Array>)
			.pipeThrough(byteCap(maxBytes, tripped));
	}
	const reader = stream.getReader();
	const parts: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			parts.push(value);
			total += value.byteLength;
		}
	} catch {
		await reader.cancel().catch(() => undefined);
		if (tripped.value) throw tooLarge(maxBytes);
		throw new AppError(400, 'invalid-body', 'The request body could not be read (corrupt gzip?).');
	}
	const body = new Uint8Array(total);
	let offset = 0;
	for (const part of parts) {
		body.set(part, offset);
		offset += part.byteLength;
	}
	return body;
}

export async function readJson(request: Request, maxBytes?: number): Promise<unknown> {
	const bytes = await readBody(request, maxBytes);
	try {
		return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
	} catch {
		throw new AppError(400, 'invalid-json', 'The request body is not valid JSON.');
	}
}

export function issuesText(error: core.$ZodError): string {
	return error.issues
		.slice(0, 5)
		.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
		.join('; ');
}

/** Parses a body with a shared schema; 400 with the first problems when it does not fit. */
export function parseWith<T extends core.$ZodType>(schema: T, value: unknown): core.output<T> {
	const parsed = safeParse(schema, value);
	if (!parsed.success) {
		throw new AppError(400, 'invalid-request', `Invalid request: ${issuesText(parsed.error)}`);
	}
	return parsed.data;
}

/** True when the client takes gzip (and did not refuse it with q=0). */
export function acceptsGzip(request: Request): boolean {
	const header = request.headers.get('accept-encoding') ?? '';
	return header.split(',').some((part) => {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return (name === 'gzip' || name === '*') && (!q || Number(q.slice(2)) > 0);
	});
}

/** Smaller than this, compression costs more than it saves. */
const COMPRESS_FROM_BYTES = 1024;

export async function json(request: Request, data: unknown, status = 200): Promise<Response> {
	const text = JSON.stringify(data);
	const headers = new Headers({
		'Content-Type': 'application/json; charset=utf-8',
		// Sync answers are per device and per moment: never from a cache.
		'Cache-Control': 'no-store',
		Vary: 'Accept-Encoding, Authorization'
	});
	let body: Uint8Array = new TextEncoder().encode(text);
	if (body.byteLength >= COMPRESS_FROM_BYTES && acceptsGzip(request)) {
		body = new Uint8Array(await gzipAsync(body));
		headers.set('Content-Encoding', 'gzip');
	}
	headers.set('Content-Length', String(body.byteLength));
	return new Response(body as Uint8Array<ArrayBuffer>, { status, headers });
}

export function errorResponse(error: AppError): Response {
	const body: ApiError = { error: error.code, message: error.message };
	return new Response(JSON.stringify(body), {
		status: error.status,
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Cache-Control': 'no-store',
			...error.headers
		}
	});
}

/**
 * Runs an endpoint: an AppError becomes its answer; anything else is logged and answered as a
 * 500 in the same shape, without internals.
 */
export async function api(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof AppError) return errorResponse(error);
		console.error('FieldMatrix API error:', error);
		return errorResponse(
			new AppError(500, 'internal', 'Something went wrong on the server; try again later.')
		);
	}
}
