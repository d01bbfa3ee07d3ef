import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { SYNC_LIMITS, apiErrorSchema, pullResponseSchema } from '../../src/lib/shared/sync';
import { annotation, describeEachBackend, enrolDevice, mutation, syncClient } from './fixtures';
import { bodyOf, call } from './harness';

describeEachBackend('HTTP layer', (suite) => {
	const sync = syncClient(suite);
	const post = (path: string, options: Parameters<typeof call>[3]) =>
		call(suite().context, 'POST', path, options);

	async function expectError(response: Response, status: number, error: string) {
		expect(response.status).toBe(status);
		expect(response.headers.get('content-type')).toMatch(/application\/json/);
		const body = apiErrorSchema.parse(await bodyOf(response));
		expect(body.error).toBe(error);
		expect(body.message.length).toBeGreaterThan(10);
		return body;
	}

	it('accepts a gzip-compressed push', async () => {
		const device = await enrolDevice(suite().db);
		const response = await post('/api/v1/sync/push', {
			token: device.token,
			gzip: true,
			body: {
				deviceId: device.id,
				mutations: [mutation(device, annotation(device), { op: 'create' })]
			}
		});
		expect(response.status).toBe(200);
		expect(await bodyOf(response)).toMatchObject({ results: [{ status: 'applied' }] });
	});

	it('compresses a large answer when the client accepts gzip, not otherwise', async () => {
		const device = await enrolDevice(suite().db, { mission: 'MINUSMA' });
		await sync.pushOk(
			device,
			Array.from({ length: 20 }, () => mutation(device, annotation(device), { op: 'create' }))
		);
		const plain = await call(suite().context, 'GET', '/api/v1/sync/pull', { token: device.token });
		expect(plain.headers.get('content-encoding')).toBeNull();
		const gzipped = await call(suite().context, 'GET', '/api/v1/sync/pull', {
			token: device.token,
			headers: { 'Accept-Encoding': 'gzip, deflate, br' }
		});
		expect(gzipped.headers.get('content-encoding')).toBe('gzip');
		expect(gzipped.headers.get('vary')).toMatch(/Accept-Encoding/);
		expect(gzipped.headers.get('cache-control')).toBe('no-store');
		const body = pullResponseSchema.parse(await bodyOf(gzipped));
		expect(body.changes).toHaveLength(20);
		const refused = await call(suite().context, 'GET', '/api/v1/sync/pull', {
			token: device.token,
			headers: { 'Accept-Encoding': 'gzip;q=0' }
		});
		expect(refused.headers.get('content-encoding')).toBeNull();
	});

	it('answers 413 to a body over the cap, plain or as a gzip bomb, without inflating it', async () => {
		const device = await enrolDevice(suite().db);
		const huge = JSON.stringify({
			deviceId: device.id,
			padding: ' '.repeat(SYNC_LIMITS.requestBytes)
		});
		await expectError(
			await post('/api/v1/sync/push', { token: device.token, rawBody: huge }),
			413,
			'too-large'
		);
		// 64 MiB of JSON whitespace compresses to ~64 KiB.
		const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
		expect(bomb.byteLength).toBeLessThan(SYNC_LIMITS.requestBytes);
		const heapBefore = process.memoryUsage().heapUsed;
		const started = Date.now();
		const body = await expectError(
			await post('/api/v1/sync/push', {
				token: device.token,
				rawBody: new Uint8Array(bomb),
				headers: { 'Content-Encoding': 'gzip' }
			}),
			413,
			'too-large'
		);
		expect(body.message).toMatch(/uncompressed/);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
		// Incompressible: over the cap already as it arrives, no Content-Length to go by.
		const noise = gzipSync(randomBytes(SYNC_LIMITS.requestBytes + 1024), { level: 0 });
		await expectError(
			await post('/api/v1/sync/push', {
				token: device.token,
				rawBody: new Uint8Array(noise),
				headers: { 'Content-Encoding': 'gzip' }
			}),
			413,
			'too-large'
		);
		// A declared Content-Length over the cap is refused before reading.
		await expectError(
			await post('/api/v1/sync/push', {
				token: device.token,
				rawBody: '{}',
				headers: { 'Content-Length': String(SYNC_LIMITS.requestBytes + 1) }
			}),
			413,
			'too-large'
		);
	});

	it('answers 413 to more mutations than a push may carry', async () => {
		const device = await enrolDevice(suite().db);
		const mutations = Array.from({ length: SYNC_LIMITS.pushBatch + 1 }, () =>
			mutation(device, annotation(device), { op: 'create' })
		);
		await expectError(
			await post('/api/v1/sync/push', {
				token: device.token,
				body: { deviceId: device.id, mutations }
			}),
			413,
			'batch-too-large'
		);
		const settled = await suite()
			.db.selectFrom('devices')
			.select('last_applied_mutation_id')
			.where('id', '=', device.id)
			.executeTakeFirstOrThrow();
		expect(Number(settled.last_applied_mutation_id)).toBe(0);
	});

	it('answers bad bodies with 4xx and {error, message}, never 5xx', async () => {
		const device = await enrolDevice(suite().db);
		const token = device.token;
		await expectError(
			await post('/api/v1/sync/push', { token, rawBody: '{not json' }),
			400,
			'invalid-json'
		);
		await expectError(await post('/api/v1/sync/push', { token, rawBody: '' }), 400, 'invalid-json');
		await expectError(
			await post('/api/v1/sync/push', {
				token,
				rawBody: 'definitely not gzip',
				headers: { 'Content-Encoding': 'gzip' }
			}),
			400,
			'invalid-body'
		);
		await expectError(
			await post('/api/v1/sync/push', {
				token,
				rawBody: '{}',
				headers: { 'Content-Encoding': 'br' }
			}),
			415,
			'unsupported-encoding'
		);
		for (const body of [
			null,
			[],
			{ deviceId: device.id },
			{ deviceId: device.id, mutations: [] },
			{ deviceId: 'x', mutations: [{ mutationId: 1 }] },
			{ deviceId: device.id, mutations: [{ mutationId: -1 }] },
			{ deviceId: device.id, mutations: ['text'] }
		]) {
			const response = await post('/api/v1/sync/push', { token, body });
			await expectError(response, 400, 'invalid-request');
		}
		await expectError(
			await post('/api/v1/sync/status', { token, body: { pendingCount: -1 } }),
			400,
			'invalid-request'
		);
		await expectError(await post('/api/v1/enrol', { rawBody: '[' }), 400, 'invalid-json');
	});

	it('records a device’s status: pending count and last seen', async () => {
		const device = await enrolDevice(suite().db);
		const response = await post('/api/v1/sync/status', {
			token: device.token,
			body: { pendingCount: 7 }
		});
		expect(response.status).toBe(200);
		expect(await bodyOf(response)).toMatchObject({
			deviceId: device.id,
			role: 'focal-point',
			mission: 'UNMISS',
			lastAppliedMutationId: 0
		});
		const row = await suite()
			.db.selectFrom('devices')
			.select(['pending_count', 'pending_reported_at', 'last_seen_at'])
			.where('id', '=', device.id)
			.executeTakeFirstOrThrow();
		expect(row.pending_count).toBe(7);
		expect(row.pending_reported_at).not.toBeNull();
		expect(row.last_seen_at).not.toBeNull();
	});

	it('puts the security headers on every response, API or not', async () => {
		const responses = [
			await call(suite().context, 'GET', '/api/v1/sync/pull'),
			await call(suite().context, 'GET', '/settings')
		];
		for (const response of responses) {
			expect(response.headers.get('x-content-type-options')).toBe('nosniff');
			expect(response.headers.get('referrer-policy')).toBe('no-referrer');
			expect(response.headers.get('permissions-policy')).toBe(
				'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
			);
			expect(response.headers.get('x-frame-options')).toBe('DENY');
			expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
		}
	});
});
