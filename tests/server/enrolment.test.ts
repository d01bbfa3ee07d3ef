import { expect, it } from 'vitest';
import { apiErrorSchema, enrolResponseSchema } from '../../src/lib/shared/sync';
import { createEnrolmentCode, revokeEnrolmentCode } from '../../src/lib/server/admin/codes';
import { revokeDevice } from '../../src/lib/server/admin/devices';
import { RateLimiter } from '../../src/lib/server/auth/rate-limit';
import { ACTOR, describeEachBackend, enrolDevice } from './fixtures';
import { bodyOf, call } from './harness';

describeEachBackend('enrolment and tokens', (suite) => {
	const newCode = (role: 'focal-point' | 'hq-viewer' | 'admin' = 'focal-point') =>
		createEnrolmentCode(
			suite().db,
			{ role, mission: role === 'focal-point' ? 'UNMISS' : null },
			ACTOR
		);
	const enrolCall = (code: string, deviceId: string = crypto.randomUUID(), ip?: string) =>
		call(suite().context, 'POST', '/api/v1/enrol', {
			body: { code, deviceId, displayName: 'Juba office laptop' },
			ip
		});

	it('redeems a code once: token, role, mission; the second use is 410 code-used', async () => {
		const { code } = await newCode();
		const first = await enrolCall(code);
		expect(first.status).toBe(200);
		const enrolled = enrolResponseSchema.parse(await bodyOf(first));
		expect(enrolled).toMatchObject({ role: 'focal-point', mission: 'UNMISS' });
		expect(enrolled.token).toMatch(/^fm1_[A-Za-z0-9_-]{43}$/);

		const again = await enrolCall(code);
		expect(again.status).toBe(410);
		expect(apiErrorSchema.parse(await bodyOf(again))).toMatchObject({ error: 'code-used' });
	});

	it('gives the same device a new token when the answer to its redemption was lost', async () => {
		const { code } = await newCode();
		const deviceId = crypto.randomUUID();
		const lost = enrolResponseSchema.parse(await bodyOf(await enrolCall(code, deviceId)));

		// The phone never saw `lost` and presses Connect again: same code, same device id.
		const retry = await enrolCall(code, deviceId);
		expect(retry.status).toBe(200);
		const retried = enrolResponseSchema.parse(await bodyOf(retry));
		expect(retried).toMatchObject({ role: 'focal-point', mission: 'UNMISS' });
		expect(retried.token).not.toBe(lost.token);
		const pull = (token: string) =>
			call(suite().context, 'GET', '/api/v1/sync/pull', { token }).then((r) => r.status);
		expect(await pull(retried.token)).toBe(200);
		expect(await pull(lost.token)).toBe(401);

		// Another device with the same code is still refused.
		const other = await enrolCall(code);
		expect(other.status).toBe(410);
		expect(apiErrorSchema.parse(await bodyOf(other))).toMatchObject({ error: 'code-used' });
	});

	it('does not re-issue a token once the device has pushed, nor after the retry window', async () => {
		const { code } = await newCode();
		const deviceId = crypto.randomUUID();
		await enrolCall(code, deviceId);
		await suite()
			.db.updateTable('devices')
			.set({ last_applied_mutation_id: 3 })
			.where('id', '=', deviceId)
			.execute();
		expect((await enrolCall(code, deviceId)).status).toBe(410);

		const { code: late } = await newCode();
		const lateDevice = crypto.randomUUID();
		await enrolCall(late, lateDevice);
		await suite()
			.db.updateTable('enrolment_codes')
			.set({ used_at: new Date(Date.now() - 11 * 60_000).toISOString() })
			.where('used_by_device', '=', lateDevice)
			.execute();
		expect((await enrolCall(late, lateDevice)).status).toBe(410);
	});

	it('accepts the code as people type it: lower case, spaces, no dash', async () => {
		const { code } = await newCode();
		const typed = ` ${code.toLowerCase().replace('-', ' ')} `;
		expect((await enrolCall(typed)).status).toBe(200);
	});

	it('lets exactly one of ten simultaneous redemptions of a code win', async () => {
		const { id, code } = await newCode();
		const deviceIds = Array.from({ length: 10 }, () => crypto.randomUUID());
		const responses = await Promise.all(deviceIds.map((deviceId) => enrolCall(code, deviceId)));
		const statuses = responses.map((r) => r.status);
		expect([...statuses].sort()).toEqual([200, ...Array<number>(9).fill(410)]);
		const winner = deviceIds[statuses.indexOf(200)];
		const row = await suite()
			.db.selectFrom('enrolment_codes')
			.select('used_by_device')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row.used_by_device).toBe(winner);
		const enrolled = await suite()
			.db.selectFrom('devices')
			.select('id')
			.where('enrolment_code_id', '=', id)
			.execute();
		expect(enrolled.map((d) => d.id)).toEqual([winner]);
	});

	it('refuses expired, withdrawn, unknown and malformed codes, clearly', async () => {
		const expired = await newCode();
		await suite()
			.db.updateTable('enrolment_codes')
			.set({ expires_at: new Date(Date.now() - 1000).toISOString() })
			.where('id', '=', expired.id)
			.execute();
		const withdrawn = await newCode();
		await revokeEnrolmentCode(suite().db, withdrawn.id, ACTOR);

		const cases: [string, number, string][] = [
			[expired.code, 410, 'code-expired'],
			[withdrawn.code, 410, 'code-revoked'],
			['ABCDE-FGHJK', 400, 'invalid-code'],
			['IIIII-OOOOO', 400, 'invalid-code']
		];
		const devicesBefore = await suite().db.selectFrom('devices').select('id').execute();
		for (const [code, status, error] of cases) {
			const response = await enrolCall(code);
			expect(response.status, code).toBe(status);
			const body = apiErrorSchema.parse(await bodyOf(response));
			expect(body.error).toBe(error);
			expect(body.message).toMatch(/Headquarters/);
		}
		// A refused code leaves no device behind.
		const devicesAfter = await suite().db.selectFrom('devices').select('id').execute();
		expect(devicesAfter.length).toBe(devicesBefore.length);
	});

	it('rate-limits failed attempts per client address: 429 with Retry-After', async () => {
		const context = {
			...suite().context,
			enrolLimiter: new RateLimiter({ limit: 10, windowMs: 10 * 60 * 1000 })
		};
		const attempt = (code: string, ip: string) =>
			call(context, 'POST', '/api/v1/enrol', {
				body: { code, deviceId: crypto.randomUUID(), displayName: 'x' },
				ip
			});
		// Successes give their slot back: an office enrolling many devices is not blocked.
		for (let i = 0; i < 12; i++) {
			expect((await attempt((await newCode()).code, '198.51.100.7')).status).toBe(200);
		}
		for (let i = 0; i < 10; i++) {
			expect((await attempt('ZZZZZ-ZZZZZ', '198.51.100.7')).status).toBe(400);
		}
		const limited = await attempt((await newCode()).code, '198.51.100.7');
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(500);
		expect(apiErrorSchema.parse(await bodyOf(limited)).error).toBe('rate-limited');
		// Another address is not affected.
		expect((await attempt((await newCode()).code, '203.0.113.9')).status).toBe(200);

		// IPv6: one subscriber's /64 is one address; a new address per guess does not help.
		for (let i = 0; i < 10; i++) {
			expect((await attempt('ZZZZZ-ZZZZZ', `2001:db8:aa:bb::${i + 1}`)).status).toBe(400);
		}
		expect((await attempt('ZZZZZ-ZZZZZ', '2001:db8:aa:bb:ffff:1:2:3')).status).toBe(429);
		expect((await attempt((await newCode()).code, '2001:db8:aa:cc::1')).status).toBe(200);
	});

	it('stores only hashes: neither the code nor the token is in the database', async () => {
		const { code } = await newCode();
		const deviceId = crypto.randomUUID();
		const { token } = enrolResponseSchema.parse(await bodyOf(await enrolCall(code, deviceId)));
		const device = await suite()
			.db.selectFrom('devices')
			.selectAll()
			.where('id', '=', deviceId)
			.executeTakeFirstOrThrow();
		const codes = await suite().db.selectFrom('enrolment_codes').selectAll().execute();
		const everything = JSON.stringify([device, codes]);
		expect(everything).not.toContain(token);
		expect(everything).not.toContain(token.slice(4));
		expect(everything).not.toContain(code.replace('-', ''));
		expect(everything).not.toContain(code);
		expect(device.token_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});

	it('takes a device id only lowercase, so one device has one spelling', async () => {
		const { code } = await newCode();
		const shouting = await enrolCall(code, crypto.randomUUID().toUpperCase());
		expect(shouting.status).toBe(400);
		expect(apiErrorSchema.parse(await bodyOf(shouting)).message).toMatch(/lowercase UUID/);
		expect((await enrolCall(code)).status).toBe(200);
	});

	it('refuses a revoked device with 401 revoked, saying it keeps its data', async () => {
		const device = await enrolDevice(suite().db);
		const before = await call(suite().context, 'GET', '/api/v1/sync/pull', { token: device.token });
		expect(before.status).toBe(200);
		await revokeDevice(suite().db, device.id, ACTOR);
		for (const [method, path] of [
			['GET', '/api/v1/sync/pull'],
			['POST', '/api/v1/sync/push'],
			['POST', '/api/v1/sync/status']
		]) {
			const response = await call(suite().context, method, path, {
				token: device.token,
				body: method === 'POST' ? { pendingCount: 1 } : undefined
			});
			expect(response.status).toBe(401);
			const body = apiErrorSchema.parse(await bodyOf(response));
			expect(body.error).toBe('revoked');
			expect(body.message).toMatch(/keeps its local data/);
			expect(body.message).toMatch(/export its unsent/);
		}
	});

	it('refuses a missing, malformed or unknown token with 401', async () => {
		const cases: [string | undefined, string][] = [
			[undefined, 'unauthenticated'],
			['not-a-token', 'invalid-token'],
			[`fm1_${'A'.repeat(43)}`, 'invalid-token']
		];
		for (const [token, error] of cases) {
			const response = await call(suite().context, 'GET', '/api/v1/sync/pull', { token });
			expect(response.status).toBe(401);
			expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
			expect(apiErrorSchema.parse(await bodyOf(response)).error).toBe(error);
		}
	});

	it('refuses to enrol an enrolled device id again (409, code kept); after revocation it may', async () => {
		const device = await enrolDevice(suite().db);
		const { code } = await newCode();
		const refused = await enrolCall(code, device.id);
		expect(refused.status).toBe(409);
		expect(apiErrorSchema.parse(await bodyOf(refused)).error).toBe('device-enrolled');

		await revokeDevice(suite().db, device.id, ACTOR);
		const back = await enrolCall(code, device.id);
		expect(back.status).toBe(200);
		const { token } = enrolResponseSchema.parse(await bodyOf(back));
		const pulled = await call(suite().context, 'GET', '/api/v1/sync/pull', { token });
		expect(pulled.status).toBe(200);
		// The old token stays dead.
		const old = await call(suite().context, 'GET', '/api/v1/sync/pull', { token: device.token });
		expect(old.status).toBe(401);
	});

	it('enrols HQ viewers and admins without a mission', async () => {
		for (const role of ['hq-viewer', 'admin'] as const) {
			const response = await enrolCall((await newCode(role)).code);
			expect(response.status).toBe(200);
			expect(await bodyOf(response)).toMatchObject({ role, mission: null });
		}
	});

	it('answers a bad enrolment body with 400 and a message', async () => {
		const response = await call(suite().context, 'POST', '/api/v1/enrol', {
			body: { code: 'ABCDE-23456', deviceId: 'not-a-uuid', displayName: '' }
		});
		expect(response.status).toBe(400);
		const body = apiErrorSchema.parse(await bodyOf(response));
		expect(body.error).toBe('invalid-request');
		expect(body.message).toMatch(/deviceId/);
	});
});
