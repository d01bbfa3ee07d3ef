import * as z from '$lib/shared/zod';
import {
	apiErrorSchema,
	enrolResponseSchema,
	PULL_OWN_REVISIONS,
	pullResponseSchema,
	pushResponseSchema,
	type EnrolRequest,
	type EnrolResponse,
	type PullResponse,
	type PushRequest,
	type PushResponse
} from '$lib/shared/sync';

/**
 * The device's side of the HTTP API (`/api/v1/...`): bearer token, gzip-compressed JSON bodies
 * where the browser can compress, every answer parsed with the shared schemas, and every failure
 * a typed SyncApiError saying what the sync loop must do about it.
 */

export type SyncApiErrorKind =
	/** No answer (offline, DNS, connection reset, timeout): try again later. */
	| 'network'
	/** 401 `revoked`: Headquarters ended this device's access. Stop; local data stays. */
	| 'revoked'
	/** 401 otherwise (token unknown to this server): stop; the device must enrol again. */
	| 'invalid-token'
	/** 403: not allowed (another mission, a retired mission, a read-only role). */
	| 'forbidden'
	/** 413: the request is too large; send fewer mutations at a time. */
	| 'too-large'
	/** 429: too many attempts (enrolment); try again later. */
	| 'rate-limited'
	/** Any other 4xx: the request is wrong and sending it again will not help. */
	| 'client'
	/** 5xx: the server failed; try again later. */
	| 'server'
	/** A 2xx whose body is not what the protocol says. */
	| 'invalid-response';

const RETRYABLE: ReadonlySet<SyncApiErrorKind> = new Set(['network', 'rate-limited', 'server']);

export class SyncApiError extends Error {
	override readonly name = 'SyncApiError';
	constructor(
		readonly kind: SyncApiErrorKind,
		message: string,
		/** The HTTP status, when there was an answer. */
		readonly status?: number,
		/** The server's stable code (`{ error }` of the answer), e.g. `code-used`, `mission-retired`. */
		readonly code?: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
	}

	/** Trying the same request again later may succeed. */
	get retryable(): boolean {
		return RETRYABLE.has(this.kind);
	}

	/** The device's credentials are gone for good: stop syncing until it enrols again. */
	get stopsSync(): boolean {
		return this.kind === 'revoked' || this.kind === 'invalid-token';
	}
}

/**
 * What `POST /api/v1/sync/status` answers (lib/server/sync/status.ts). Declared here until it
 * has a schema in shared/sync.ts; only what the device reads is checked.
 */
export const statusResponseSchema = z.looseObject({
	epoch: z.string(),
	deviceId: z.string(),
	lastAppliedMutationId: z.number(),
	serverTime: z.string()
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

export interface PullOptions {
	limit?: number;
	ownAsRevisions?: boolean;
}

export interface SyncApi {
	enrol(request: EnrolRequest): Promise<EnrolResponse>;
	push(token: string, request: PushRequest): Promise<PushResponse>;
	/**
	 * One page after `cursor` (null: from the beginning); `limit` at most SYNC_LIMITS.pullPage;
	 * `ownAsRevisions`: this device's own versions as `own` changes (PULL_OWN_REVISIONS).
	 */
	pull(token: string, cursor: string | null, options?: PullOptions): Promise<PullResponse>;
	reportStatus(token: string, pendingCount: number): Promise<StatusResponse>;
}

export interface ApiClientOptions {
	/** Origin (and path prefix) of the server; '' for the page's own origin. */
	baseUrl?: string;
	/** Injected in tests; the global fetch otherwise. */
	fetch?: typeof fetch;
	/** Compress request bodies with gzip when the runtime can (default true). */
	compress?: boolean;
	/** A request with no answer after this long is a network failure (default 60 s). */
	timeoutMs?: number;
}

/** Smaller than this, compressing costs more than it saves. */
const COMPRESS_FROM_BYTES = 1024;

export interface Parser<T> {
	safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** One API call: sends, answers the parsed body or throws a SyncApiError. */
export type JsonRequest = <T>(
	method: 'GET' | 'POST' | 'PATCH',
	path: string,
	schema: Parser<T>,
	init?: { token?: string; body?: unknown }
) => Promise<T>;

/** The transport under createApiClient, shared with the admin console (client/admin-api.ts). */
export function createJsonRequest(options: ApiClientOptions = {}): JsonRequest {
	const baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
	const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
	const timeoutMs = options.timeoutMs ?? 60_000;
	let compress = (options.compress ?? true) && typeof CompressionStream === 'function';

	return async function request<T>(
		method: 'GET' | 'POST' | 'PATCH',
		path: string,
		schema: Parser<T>,
		{ token, body }: { token?: string; body?: unknown } = {}
	): Promise<T> {
		const text = body === undefined ? undefined : JSON.stringify(body);
		const send = async (gzip: boolean) => {
			const headers = new Headers({ Accept: 'application/json' });
			if (token) headers.set('Authorization', `Bearer ${token}`);
			let payload: BodyInit | undefined = text;
			if (text !== undefined) {
				headers.set('Content-Type', 'application/json');
				if (gzip && text.length >= COMPRESS_FROM_BYTES) {
					payload = await gzipText(text);
					headers.set('Content-Encoding', 'gzip');
				}
			}
			const signal = timeoutSignal(timeoutMs);
			try {
				return await doFetch(`${baseUrl}${path}`, {
					method,
					headers,
					body: payload,
					cache: 'no-store',
					credentials: 'omit',
					...(signal ? { signal } : {})
				});
			} catch (error) {
				throw new SyncApiError(
					'network',
					`no answer from the server (${String(error)})`,
					undefined,
					undefined,
					{
						cause: error
					}
				);
			}
		};

		let response = await send(compress);
		if (response.status === 415 && compress) {
			// A proxy or server that refuses gzip bodies: send plain from now on.
			compress = false;
			response = await send(false);
		}
		if (!response.ok) throw await errorFrom(response);
		let json: unknown;
		try {
			json = await response.json();
		} catch (error) {
			throw new SyncApiError(
				'invalid-response',
				'the answer is not JSON',
				response.status,
				undefined,
				{
					cause: error
				}
			);
		}
		const parsed = schema.safeParse(json);
		if (!parsed.success) {
			throw new SyncApiError(
				'invalid-response',
				`the answer to ${method} ${path} does not follow the protocol`,
				response.status,
				undefined,
				{ cause: parsed.error }
			);
		}
		return parsed.data;
	};
}

export function createApiClient(options: ApiClientOptions = {}): SyncApi {
	const request = createJsonRequest(options);
	return {
		enrol: (body) => request('POST', '/api/v1/enrol', enrolResponseSchema, { body }),
		push: (token, body) =>
			request('POST', '/api/v1/sync/push', pushResponseSchema, { token, body }),
		pull(token, cursor, { limit, ownAsRevisions = false } = {}) {
			const query = new URLSearchParams();
			if (cursor) query.set('cursor', cursor);
			if (limit !== undefined) query.set('limit', String(limit));
			if (ownAsRevisions) query.set('own', PULL_OWN_REVISIONS);
			const search = query.size > 0 ? `?${query}` : '';
			return request('GET', `/api/v1/sync/pull${search}`, pullResponseSchema, { token });
		},
		reportStatus: (token, pendingCount) =>
			request('POST', '/api/v1/sync/status', statusResponseSchema, {
				token,
				body: { pendingCount }
			})
	};
}

async function gzipText(text: string): Promise<Uint8Array<ArrayBuffer>> {
	// A Response's body, not a Blob's stream: in Chromium a Blob copies the text to the browser
	// process first (16 ms a 140 kB batch, a tenth of the device's CPU time in a first sync).
	const stream = new Response(text).body!.pipeThrough(
		new CompressionStream('gzip') as TransformStream<Uint8Array, Uint8Array>
	);
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

function timeoutSignal(ms: number): AbortSignal | undefined {
	return typeof AbortSignal !== 'undefined' && typeof AbortSignal.timeout === 'function'
		? AbortSignal.timeout(ms)
		: undefined;
}

async function errorFrom(response: Response): Promise<SyncApiError> {
	const status = response.status;
	let code: string | undefined;
	let message = `HTTP ${status}`;
	try {
		const parsed = apiErrorSchema.safeParse(await response.json());
		if (parsed.success) {
			code = parsed.data.error;
			message = parsed.data.message;
		}
	} catch {
		// Not our JSON (a proxy's error page): the status says enough.
	}
	return new SyncApiError(kindOf(status, code), message, status, code);
}

function kindOf(status: number, code: string | undefined): SyncApiErrorKind {
	if (status === 401) return code === 'revoked' ? 'revoked' : 'invalid-token';
	if (status === 403) return 'forbidden';
	if (status === 413) return 'too-large';
	if (status === 429) return 'rate-limited';
	// A captive portal or proxy that timed out is no answer from our server.
	if (status === 408) return 'network';
	if (status >= 500) return 'server';
	return 'client';
}
