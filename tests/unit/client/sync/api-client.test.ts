import 'fake-indexeddb/auto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient, SyncApiError } from '$lib/client/sync/api-client';
import { useTestServer } from './test-server';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const server = useTestServer();

/** A fetch that records the request and answers `status` with `body`. */
function answering(status: number, body: unknown, contentType = 'application/json') {
	const seen: Request[] = [];
	const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
		seen.push(new Request(input, init));
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		return new Response(text, { status, headers: { 'Content-Type': contentType } });
	};
	return { seen, fetch: fetch as typeof globalThis.fetch };
}

const DEVICE = '0190f1c4-6a2e-7cc1-8b52-3c1f0e9d4a10';

async function failure(promise: Promise<unknown>): Promise<SyncApiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(SyncApiError);
	return error as SyncApiError;
}

describe('the API client', () => {
	it('enrols through the real endpoint and parses the answer', async () => {
		const api = server().api();
		const answer = await api.enrol({
			code: await server().code({ mission: 'UNMISS' }),
			deviceId: crypto.randomUUID(),
			displayName: 'Amina'
		});
		expect(answer).toMatchObject({ role: 'focal-point', mission: 'UNMISS', displayName: 'Amina' });
		expect(answer.token).toMatch(/^fm1_/);
	});

	it('sends the bearer token and gzip-compresses larger bodies', async () => {
		const { seen, fetch } = answering(200, { epoch: 'e', results: [], lastAppliedMutationId: 0 });
		const api = createApiClient({ baseUrl: 'https://hq.example/', fetch });
		const mutations = Array.from({ length: 20 }, () => ({ note: 'x'.repeat(100) }));
		await api.push('fm1_token', { deviceId: DEVICE, mutations: mutations as never });
		const [request] = seen;
		expect(request.url).toBe('https://hq.example/api/v1/sync/push');
		expect(request.headers.get('authorization')).toBe('Bearer fm1_token');
		expect(request.headers.get('content-encoding')).toBe('gzip');
		const sent = JSON.parse(
			gunzipSync(new Uint8Array(await request.arrayBuffer())).toString('utf8')
		) as { deviceId: string };
		expect(sent.deviceId).toBe(DEVICE);

		await api.reportStatus('fm1_token', 3).catch(() => undefined);
		expect(seen[1].headers.get('content-encoding')).toBeNull();
		expect(await seen[1].json()).toEqual({ pendingCount: 3 });
	});

	it('sends plain JSON without CompressionStream, or when asked to', async () => {
		const { seen, fetch } = answering(200, { epoch: 'e', results: [], lastAppliedMutationId: 0 });
		const api = createApiClient({ baseUrl: 'https://hq.example', fetch, compress: false });
		await api.push('t', { deviceId: DEVICE, mutations: [{ note: 'x'.repeat(5000) }] as never });
		expect(seen[0].headers.get('content-encoding')).toBeNull();
		expect(JSON.parse(await seen[0].text())).toMatchObject({ deviceId: DEVICE });

		vi.stubGlobal('CompressionStream', undefined);
		try {
			await createApiClient({ baseUrl: 'https://hq.example', fetch }).push('t', {
				deviceId: DEVICE,
				mutations: [{ note: 'x'.repeat(5000) }] as never
			});
		} finally {
			vi.unstubAllGlobals();
		}
		expect(seen[1].headers.get('content-encoding')).toBeNull();
	});

	it('falls back to plain bodies when the server refuses gzip (415)', async () => {
		const seen: Request[] = [];
		const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
			const request = new Request(input, init);
			seen.push(request);
			if (request.headers.get('content-encoding') === 'gzip') {
				return Response.json({ error: 'unsupported-encoding', message: 'no' }, { status: 415 });
			}
			return Response.json({ epoch: 'e', results: [], lastAppliedMutationId: 0 });
		}) as typeof globalThis.fetch;
		const api = createApiClient({ baseUrl: 'https://hq.example', fetch });
		const body = { deviceId: DEVICE, mutations: [{ note: 'x'.repeat(5000) }] as never };
		await api.push('t', body);
		await api.push('t', body);
		expect(seen.map((r) => r.headers.get('content-encoding'))).toEqual(['gzip', null, null]);
	});

	it('types every failure by what the sync loop must do', async () => {
		const cases: [number, unknown, Partial<SyncApiError>][] = [
			[401, { error: 'revoked', message: 'revoked' }, { kind: 'revoked', stopsSync: true }],
			[401, { error: 'invalid-token', message: '?' }, { kind: 'invalid-token', stopsSync: true }],
			[
				403,
				{ error: 'mission-retired', message: 'closed' },
				{ kind: 'forbidden', retryable: false }
			],
			[413, { error: 'batch-too-large', message: 'big' }, { kind: 'too-large' }],
			[429, { error: 'rate-limited', message: 'slow' }, { kind: 'rate-limited', retryable: true }],
			[400, { error: 'invalid-request', message: 'bad' }, { kind: 'client', retryable: false }],
			[503, { error: 'unavailable', message: 'db' }, { kind: 'server', retryable: true }],
			[502, '<html>Bad gateway</html>', { kind: 'server', code: undefined, message: 'HTTP 502' }]
		];
		for (const [status, body, expected] of cases) {
			const api = createApiClient({
				baseUrl: 'https://hq.example',
				fetch: answering(status, body).fetch
			});
			const error = await failure(api.pull('t', null));
			expect(error).toMatchObject({ status, ...expected });
			if (typeof body === 'object') expect(error.code).toBe((body as { error: string }).error);
		}
	});

	it('calls no answer a network failure, retryable', async () => {
		const api = createApiClient({
			baseUrl: 'https://hq.example',
			fetch: (async () => {
				throw new TypeError('Failed to fetch');
			}) as typeof fetch
		});
		expect(await failure(api.pull('t', 'cursor'))).toMatchObject({
			kind: 'network',
			retryable: true,
			stopsSync: false
		});
	});

	it('refuses an answer that does not follow the protocol', async () => {
		const base = 'https://hq.example';
		const api = createApiClient({
			baseUrl: base,
			fetch: answering(200, { epoch: 1, changes: 'no' }).fetch
		});
		expect(await failure(api.pull('t', null))).toMatchObject({ kind: 'invalid-response' });
		const notJson = createApiClient({
			baseUrl: base,
			fetch: answering(200, 'hello', 'text/plain').fetch
		});
		expect(await failure(notJson.pull('t', null))).toMatchObject({ kind: 'invalid-response' });
	});

	it('passes the cursor and page size to the pull', async () => {
		const { seen, fetch } = answering(200, {
			epoch: 'e',
			changes: [],
			cursor: 'e.0',
			hasMore: false,
			lastAppliedMutationId: 0
		});
		const api = createApiClient({ baseUrl: 'https://hq.example', fetch });
		await api.pull('t', 'abcdefgh.12', { limit: 50 });
		await api.pull('t', null);
		await api.pull('t', null, { ownAsRevisions: true });
		expect(seen.map((r) => r.url)).toEqual([
			'https://hq.example/api/v1/sync/pull?cursor=abcdefgh.12&limit=50',
			'https://hq.example/api/v1/sync/pull',
			'https://hq.example/api/v1/sync/pull?own=revision'
		]);
		expect(seen[0].method).toBe('GET');
	});
});
