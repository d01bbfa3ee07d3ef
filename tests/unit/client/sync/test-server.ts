import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll } from 'vitest';
import { createEnrolmentCode } from '$lib/server/admin/codes';
import { RateLimiter } from '$lib/server/auth/rate-limit';
import type { ServerContext } from '$lib/server/context';
import { openDatabase } from '$lib/server/db/open';
import type { Role } from '$lib/shared/sync';
import type { Annotation } from '$lib/shared/annotation';
import type { MissionCode } from '$lib/shared/missions';
import type { FieldMatrixDatabase } from '$lib/client/db';
import { createAnnotation, type UncheckedInput } from '$lib/client/annotations/annotation-store';
import { createApiClient, type SyncApi } from '$lib/client/sync/api-client';
import { enrolDevice } from '$lib/client/sync/enrolment';
import { syncOnce, type SyncOptions, type SyncSummary } from '$lib/client/sync/sync-engine';
import { DATASET_VERSION, RECOMMENDATION, validInput } from '../fixtures/annotation-db';
import { call } from '../../../server/harness';

/**
 * The real server in process for the device's sync tests: a fresh SQLite database per test file,
 * the real route handlers through hooks.server.ts (tests/server/harness.ts), and a `fetch` that
 * turns the api client's Request into a harness call, as the network would.
 */

export const ACTOR = 'test:device-sync';

export interface TestServer {
	context: ServerContext;
	/** A fetch onto the in-process server; `intercept` lets a test break the network. */
	fetch: typeof fetch;
	api(): SyncApi;
	code(options?: { mission?: string | null; role?: Role }): Promise<string>;
	/** Every request the server saw (method, path, content-encoding), in order. */
	requests: { method: string; path: string; encoding: string | null }[];
	/**
	 * Runs before the server: return a Response (or throw) to short-circuit it; `after` runs on
	 * the server's answer (throw there to lose an answer the server already committed).
	 */
	intercept: {
		before?: (request: Request) => Response | undefined | Promise<Response | undefined>;
		after?: (request: Request, response: Response) => void | Promise<void>;
	};
}

/** Call at the top of a test file: opens the server before the tests, drops it after. */
export function useTestServer(): () => TestServer {
	let server: TestServer | undefined;
	let dir: string | undefined;
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'fieldmatrix-device-sync-'));
		const handle = await openDatabase(`sqlite:${join(dir, 'fieldmatrix.sqlite')}`);
		const context: ServerContext = {
			db: handle.db,
			kind: handle.kind,
			enrolLimiter: new RateLimiter({ limit: 1000, windowMs: 60_000 })
		};
		const requests: TestServer['requests'] = [];
		const intercept: TestServer['intercept'] = {};

		const fetchOnServer = async (input: RequestInfo | URL, init?: RequestInit) => {
			const request = new Request(input, init);
			const url = new URL(request.url);
			requests.push({
				method: request.method,
				path: url.pathname,
				encoding: request.headers.get('content-encoding')
			});
			const early = await intercept.before?.(request.clone());
			if (early) return early;
			const headers: Record<string, string> = {};
			request.headers.forEach((value, key) => (headers[key] = value));
			// What a browser adds on its own.
			headers['accept-encoding'] = 'gzip';
			const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
			const answer = await call(context, request.method, `${url.pathname}${url.search}`, {
				headers,
				...(body ? { rawBody: body } : {})
			});
			// fetch hands the page a decompressed body, whatever the wire carried.
			const bytes = new Uint8Array(await answer.arrayBuffer());
			const plain =
				answer.headers.get('content-encoding') === 'gzip'
					? new Uint8Array(gunzipSync(bytes))
					: bytes;
			const responseHeaders = new Headers(answer.headers);
			responseHeaders.delete('content-encoding');
			responseHeaders.delete('content-length');
			const response = new Response(plain, { status: answer.status, headers: responseHeaders });
			await intercept.after?.(request, response.clone());
			return response;
		};

		server = {
			context,
			fetch: fetchOnServer as typeof fetch,
			api: () => createApiClient({ baseUrl: 'http://localhost', fetch: fetchOnServer }),
			async code({ mission = 'UNMISS', role = 'focal-point' } = {}) {
				return (await createEnrolmentCode(handle.db, { mission, role }, ACTOR)).code;
			},
			requests,
			intercept
		};
	});
	afterAll(async () => {
		await server?.context.db.destroy();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});
	return () => {
		if (!server) throw new Error('test server not started');
		return server;
	};
}

export interface TestDevice {
	db: FieldMatrixDatabase;
	api: SyncApi;
	sync(options?: SyncOptions): Promise<SyncSummary>;
	/** A new entry on RECOMMENDATION, saved on the device. */
	write(input?: Partial<UncheckedInput>, recommendationId?: string): Promise<Annotation>;
}

/** A fresh device database enrolled with a new code (a focal point of `mission` by default). */
export async function enrolledDevice(
	server: TestServer,
	fresh: () => FieldMatrixDatabase,
	{
		mission = 'UNMISS',
		name = 'Amina Focal',
		role = 'focal-point'
	}: { mission?: MissionCode; name?: string; role?: Role } = {}
): Promise<TestDevice> {
	const db = fresh();
	const api = server.api();
	await enrolDevice(db, api, { code: await server.code({ mission, role }), displayName: name });
	return deviceOn(db, api);
}

export function deviceOn(db: FieldMatrixDatabase, api: SyncApi): TestDevice {
	return {
		db,
		api,
		sync: (options) => syncOnce(db, api, options),
		write: (input = {}, recommendationId = RECOMMENDATION) =>
			createAnnotation(db, {
				recommendationId,
				datasetVersion: DATASET_VERSION,
				input: validInput(input)
			})
	};
}

/** The server's copy of an entry (its JSON and revision), or undefined. */
export async function serverEntry(server: TestServer, id: string) {
	const row = await server.context.db
		.selectFrom('annotations')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirst();
	return row && { revision: Number(row.revision), data: JSON.parse(row.data) as Annotation };
}

/** How many versions of the entry the server applied (its history rows). */
export async function serverVersions(server: TestServer, id: string): Promise<number> {
	const rows = await server.context.db
		.selectFrom('annotation_history')
		.select('revision')
		.where('annotation_id', '=', id)
		.execute();
	return rows.length;
}
