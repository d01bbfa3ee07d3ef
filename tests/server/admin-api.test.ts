import type { RequestEvent } from '@sveltejs/kit';
import { expect, it } from 'vitest';
import { handle } from '../../src/hooks.server';
import {
	ADMIN_LIMITS,
	auditPageSchema,
	codeListResponseSchema,
	createCodeRequestSchema,
	createdCodeResponseSchema,
	createMissionRequestSchema,
	deviceListResponseSchema,
	missionListResponseSchema,
	missionResponseSchema
} from '../../src/lib/shared/admin';
import { apiErrorSchema } from '../../src/lib/shared/sync';
import { recordAudit } from '../../src/lib/server/admin/audit';
import { createEnrolmentCode } from '../../src/lib/server/admin/codes';
import { revokeDevice } from '../../src/lib/server/admin/devices';
import { createMission } from '../../src/lib/server/admin/missions';
import { enrol } from '../../src/lib/server/auth/enrolment';
import { setServerContext, type ServerContext } from '../../src/lib/server/context';
import * as auditRoute from '../../src/routes/api/v1/admin/audit/+server';
import * as codeRevokeRoute from '../../src/routes/api/v1/admin/codes/[id]/revoke/+server';
import * as codesRoute from '../../src/routes/api/v1/admin/codes/+server';
import * as deviceRevokeRoute from '../../src/routes/api/v1/admin/devices/[id]/revoke/+server';
import * as devicesRoute from '../../src/routes/api/v1/admin/devices/+server';
import * as missionRoute from '../../src/routes/api/v1/admin/missions/[code]/+server';
import * as missionsRoute from '../../src/routes/api/v1/admin/missions/+server';
import { ACTOR, describeEachBackend, enrolDevice, type Suite, type TestDevice } from './fixtures';
import { bodyOf } from './harness';

/*
 * The admin API in process, as harness.ts `call` does for the sync routes (its route table is
 * fixed and has no path parameters): a real Request through hooks.server.ts `handle` to the
 * route's handler, with the params SvelteKit's router would extract.
 */
type Handler = (event: RequestEvent) => Response | Promise<Response>;
const ROUTES: [method: string, pattern: RegExp, handler: Handler][] = [
	['GET', /^\/api\/v1\/admin\/missions$/, missionsRoute.GET as unknown as Handler],
	['POST', /^\/api\/v1\/admin\/missions$/, missionsRoute.POST as unknown as Handler],
	[
		'PATCH',
		/^\/api\/v1\/admin\/missions\/(?<code>[^/]+)$/,
		missionRoute.PATCH as unknown as Handler
	],
	['GET', /^\/api\/v1\/admin\/codes$/, codesRoute.GET as unknown as Handler],
	['POST', /^\/api\/v1\/admin\/codes$/, codesRoute.POST as unknown as Handler],
	[
		'POST',
		/^\/api\/v1\/admin\/codes\/(?<id>[^/]+)\/revoke$/,
		codeRevokeRoute.POST as unknown as Handler
	],
	['GET', /^\/api\/v1\/admin\/devices$/, devicesRoute.GET as unknown as Handler],
	[
		'POST',
		/^\/api\/v1\/admin\/devices\/(?<id>[^/]+)\/revoke$/,
		deviceRevokeRoute.POST as unknown as Handler
	],
	['GET', /^\/api\/v1\/admin\/audit$/, auditRoute.GET as unknown as Handler]
];

interface AdminCallOptions {
	token?: string;
	body?: unknown;
	rawBody?: string;
}

async function adminCall(
	context: ServerContext,
	method: string,
	path: string,
	options: AdminCallOptions = {}
): Promise<Response> {
	setServerContext(context);
	const url = new URL(path, 'http://localhost');
	const headers = new Headers();
	if (options.token) headers.set('Authorization', `Bearer ${options.token}`);
	let body = options.rawBody;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers.set('Content-Type', 'application/json');
	}
	const request = new Request(url, { method, headers, body });
	let route: Handler | undefined;
	let params: Record<string, string> = {};
	for (const [routeMethod, pattern, handler] of ROUTES) {
		const match = pattern.exec(url.pathname);
		if (match && routeMethod === method) {
			route = handler;
			params = Object.fromEntries(
				Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])
			);
		}
	}
	if (!route) throw new Error(`no admin route ${method} ${url.pathname}`);
	const event = {
		request,
		url,
		locals: {},
		params,
		route: { id: url.pathname },
		getClientAddress: () => '192.0.2.1',
		setHeaders: () => undefined,
		isDataRequest: false,
		isSubRequest: false,
		isRemoteRequest: false,
		platform: undefined
	} as unknown as RequestEvent;
	const handler = route;
	return handle({ event, resolve: async (resolved) => handler(resolved) });
}

/** Random capital letters: a fresh mission code per call (the suite shares one database). */
function freshMissionCode(): string {
	const letters = crypto.getRandomValues(new Uint8Array(8));
	return 'T' + [...letters].map((n) => String.fromCharCode(65 + (n % 26))).join('');
}

describeEachBackend('admin API', (suite) => {
	const call = (method: string, path: string, options?: AdminCallOptions) =>
		adminCall(suite().context, method, path, options);

	let adminDevice: TestDevice | undefined;
	async function admin(): Promise<TestDevice> {
		adminDevice ??= await enrolDevice(suite().db, { role: 'admin', mission: null, name: 'HQ' });
		return adminDevice;
	}
	const as = async (method: string, path: string, body?: unknown) =>
		call(method, path, { token: (await admin()).token, body });

	async function auditRows(s: Suite = suite()) {
		return s.db.selectFrom('audit_log').selectAll().orderBy('at').orderBy('id').execute();
	}
	async function auditCount(): Promise<number> {
		return (await auditRows()).length;
	}
	/** The audit rows written by `run`. */
	async function audited(run: () => Promise<unknown>) {
		const before = new Set((await auditRows()).map((row) => row.id));
		await run();
		return (await auditRows()).filter((row) => !before.has(row.id));
	}

	async function expectError(response: Response, status: number, error?: string) {
		expect(response.status).toBe(status);
		expect(response.headers.get('content-type')).toMatch(/application\/json/);
		const body = apiErrorSchema.parse(await bodyOf(response));
		if (error) expect(body.error).toBe(error);
		expect(body.message.length).toBeGreaterThan(10);
		return body;
	}

	it('lists, creates, renames and retires missions, each change audited as the admin device', async () => {
		const actor = `device:${(await admin()).id}`;
		const listed = missionListResponseSchema.parse(
			await bodyOf(await as('GET', '/api/v1/admin/missions'))
		);
		expect(listed.missions.map((m) => m.code)).toEqual(expect.arrayContaining(['UNMISS', 'UNTSO']));

		const code = freshMissionCode();
		let response: Response | undefined;
		const created = await audited(async () => {
			response = await as('POST', '/api/v1/admin/missions', { code, name: '  Test Mission ' });
		});
		expect(response!.status).toBe(201);
		expect(missionResponseSchema.parse(await bodyOf(response!)).mission).toMatchObject({
			code,
			name: 'Test Mission',
			retiredAt: null
		});
		expect(created).toMatchObject([{ actor, action: 'mission.create', subject: code }]);
		await expectError(
			await as('POST', '/api/v1/admin/missions', { code, name: 'Again' }),
			409,
			'mission-exists'
		);

		const renamed = await audited(async () => {
			response = await as('PATCH', `/api/v1/admin/missions/${code}`, { name: 'Renamed Mission' });
		});
		expect(response!.status).toBe(200);
		expect(missionResponseSchema.parse(await bodyOf(response!)).mission.name).toBe(
			'Renamed Mission'
		);
		expect(renamed).toHaveLength(1);
		expect(renamed[0]).toMatchObject({ actor, action: 'mission.rename', subject: code });
		expect(JSON.parse(renamed[0].details)).toEqual({ from: 'Test Mission', to: 'Renamed Mission' });

		const retired = await audited(async () => {
			response = await as('PATCH', `/api/v1/admin/missions/${code}`, { retired: true });
		});
		expect(missionResponseSchema.parse(await bodyOf(response!)).mission.retiredAt).not.toBeNull();
		expect(retired).toMatchObject([{ actor, action: 'mission.retire', subject: code }]);
		// Again: harmless, nothing more to audit.
		expect(
			await audited(async () => {
				response = await as('PATCH', `/api/v1/admin/missions/${code}`, { retired: true });
			})
		).toEqual([]);
		expect(response!.status).toBe(200);
		// A retired mission takes no new codes (the rule of lib/server/admin/codes.ts).
		await expectError(
			await as('POST', '/api/v1/admin/codes', { role: 'focal-point', mission: code }),
			409,
			'mission-retired'
		);

		await expectError(
			await as('PATCH', '/api/v1/admin/missions/NOSUCH', { name: 'x' }),
			404,
			'unknown-mission'
		);
		await expectError(
			await as('PATCH', '/api/v1/admin/missions/lower', { name: 'x' }),
			400,
			'invalid-mission'
		);
	});

	it('creates a code shown once, lists codes by status without the code, revokes unused ones', async () => {
		const actor = `device:${(await admin()).id}`;
		let response: Response | undefined;
		const rows = await audited(async () => {
			response = await as('POST', '/api/v1/admin/codes', {
				role: 'focal-point',
				mission: 'UNMISS',
				expiresDays: 3,
				note: 'Juba office'
			});
		});
		expect(response!.status).toBe(201);
		expect(response!.headers.get('cache-control')).toBe('no-store');
		const created = createdCodeResponseSchema.parse(await bodyOf(response!));
		expect(created.code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
		expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
		expect(Date.parse(created.expiresAt) - Date.now()).toBeLessThan(3.1 * 86_400_000);
		expect(rows).toMatchObject([{ actor, action: 'code.create', subject: created.id }]);

		const list = async () => {
			const answer = await as('GET', '/api/v1/admin/codes');
			expect(answer.status).toBe(200);
			const text = JSON.stringify(await bodyOf(answer));
			// Neither the code nor its hash is ever listed.
			expect(text).not.toContain(created.code);
			expect(text).not.toContain('hash');
			return codeListResponseSchema.parse(JSON.parse(text)).codes;
		};
		expect((await list()).find((c) => c.id === created.id)).toMatchObject({
			status: 'active',
			role: 'focal-point',
			mission: 'UNMISS',
			note: 'Juba office',
			usedAt: null
		});

		const deviceId = crypto.randomUUID();
		await enrol(suite().db, { code: created.code, deviceId, displayName: 'Juba tablet' });
		expect((await list()).find((c) => c.id === created.id)).toMatchObject({
			status: 'used',
			usedByDevice: deviceId
		});
		await expectError(
			await as('POST', `/api/v1/admin/codes/${created.id}/revoke`),
			409,
			'code-used'
		);

		const spare = createdCodeResponseSchema.parse(
			await bodyOf(await as('POST', '/api/v1/admin/codes', { role: 'hq-viewer' }))
		);
		expect(spare).toMatchObject({ role: 'hq-viewer', mission: null });
		const revoked = await audited(async () => {
			response = await as('POST', `/api/v1/admin/codes/${spare.id}/revoke`);
		});
		expect(response!.status).toBe(200);
		expect(await bodyOf(response!)).toEqual({ id: spare.id });
		expect(revoked).toMatchObject([{ actor, action: 'code.revoke', subject: spare.id }]);
		expect((await list()).find((c) => c.id === spare.id)?.status).toBe('revoked');
		await expect(
			enrol(suite().db, { code: spare.code, deviceId: crypto.randomUUID(), displayName: 'x' })
		).rejects.toMatchObject({ code: 'code-revoked' });

		await expectError(
			await as('POST', `/api/v1/admin/codes/${crypto.randomUUID()}/revoke`),
			404,
			'unknown-code'
		);
		// Not an id, and in particular never the code itself in a URL.
		await expectError(
			await as('POST', `/api/v1/admin/codes/${spare.code}/revoke`),
			400,
			'invalid-id'
		);
	});

	it('lists devices and revokes one, which then gets 401; never the caller’s own', async () => {
		const actor = `device:${(await admin()).id}`;
		const phone = await enrolDevice(suite().db, { mission: 'UNIFIL', name: 'Naqoura phone' });
		const listed = deviceListResponseSchema.parse(
			await bodyOf(await as('GET', '/api/v1/admin/devices'))
		);
		expect(listed.devices.find((d) => d.id === phone.id)).toMatchObject({
			mission: 'UNIFIL',
			role: 'focal-point',
			displayName: 'Naqoura phone',
			revokedAt: null,
			lastAppliedMutationId: 0
		});
		expect(listed.devices.find((d) => d.id === phone.id)?.enrolledAt).toMatch(/^\d{4}-/);

		let response: Response | undefined;
		const rows = await audited(async () => {
			response = await as('POST', `/api/v1/admin/devices/${phone.id}/revoke`);
		});
		expect(await bodyOf(response!)).toEqual({ id: phone.id, alreadyRevoked: false });
		expect(rows).toMatchObject([{ actor, action: 'device.revoke', subject: phone.id }]);
		await expectError(
			await call('GET', '/api/v1/admin/devices', { token: phone.token }),
			401,
			'revoked'
		);
		expect(
			await audited(async () => {
				response = await as('POST', `/api/v1/admin/devices/${phone.id}/revoke`);
			})
		).toEqual([]);
		expect(await bodyOf(response!)).toEqual({ id: phone.id, alreadyRevoked: true });
		const after = deviceListResponseSchema.parse(
			await bodyOf(await as('GET', '/api/v1/admin/devices'))
		);
		expect(after.devices.find((d) => d.id === phone.id)?.revokedAt).not.toBeNull();

		await expectError(
			await as('POST', `/api/v1/admin/devices/${(await admin()).id}/revoke`),
			409,
			'own-device'
		);
		await expectError(
			await as('POST', `/api/v1/admin/devices/${crypto.randomUUID()}/revoke`),
			404,
			'unknown-device'
		);
		await expectError(
			await as('POST', '/api/v1/admin/devices/not-a-device/revoke'),
			400,
			'invalid-id'
		);
	});

	it('pages through the audit log newest first, without skipping or repeating ties', async () => {
		await admin();
		// Five entries with one timestamp, as one transaction writes them, among others.
		const tie = new Date(Date.now() + 60_000);
		for (let i = 0; i < 5; i++) {
			await recordAudit(suite().db, { actor: ACTOR, action: 'test.tie', subject: `t${i}` }, tie);
		}
		await recordAudit(
			suite().db,
			{ actor: ACTOR, action: 'test.later', subject: 'later' },
			new Date(tie.getTime() + 1)
		);
		const all = (await auditRows()).reverse();
		expect(all.length).toBeGreaterThan(7);

		const seen: string[] = [];
		let before: string | null = null;
		for (let pages = 0; pages < 100; pages++) {
			const query: string = before ? `&before=${encodeURIComponent(before)}` : '';
			const response = await as('GET', `/api/v1/admin/audit?limit=2${query}`);
			expect(response.status).toBe(200);
			const page = auditPageSchema.parse(await bodyOf(response));
			expect(page.entries.length).toBeLessThanOrEqual(2);
			seen.push(...page.entries.map((e) => e.id));
			before = page.nextBefore;
			if (!before) break;
		}
		expect(seen).toHaveLength(all.length);
		expect(new Set(seen).size).toBe(seen.length);
		const times = seen.map((id) => all.find((row) => row.id === id)!.at);
		expect(times).toEqual([...times].sort().reverse());
		expect(seen[0]).toBe(all.find((row) => row.action === 'test.later')!.id);

		const first = auditPageSchema.parse(await bodyOf(await as('GET', '/api/v1/admin/audit')));
		expect(first.entries.length).toBe(Math.min(all.length, ADMIN_LIMITS.auditDefault));
		expect(first.entries[0]).toMatchObject({ action: 'test.later', details: {} });
		// A bare timestamp: everything strictly older.
		const older = auditPageSchema.parse(
			await bodyOf(
				await as('GET', `/api/v1/admin/audit?before=${encodeURIComponent(tie.toISOString())}`)
			)
		);
		expect(older.entries.every((e) => e.at < tie.toISOString())).toBe(true);
		expect(older.entries.length).toBe(all.filter((row) => row.at < tie.toISOString()).length);

		for (const query of [
			'limit=0',
			`limit=${ADMIN_LIMITS.auditPage + 1}`,
			'limit=ten',
			'limit=1.5',
			'before=yesterday',
			'before=2025-01-01T00:00:00.000Z~not-an-id',
			'before=2025-13-45T00:00:00Z'
		]) {
			await expectError(await as('GET', `/api/v1/admin/audit?${query}`), 400, 'invalid-request');
		}
	});

	/*
	 * Every admin route for every kind of caller. Each request is made fresh (a new mission,
	 * code or device to act on), so the administrator's succeeds and the others are refused
	 * with nothing written.
	 */
	const routes: {
		name: string;
		ok: number;
		request: () => Promise<{ method: string; path: string; body?: unknown }>;
	}[] = [
		{ name: 'GET missions', ok: 200, request: async () => ({ method: 'GET', path: 'missions' }) },
		{
			name: 'POST missions',
			ok: 201,
			request: async () => ({
				method: 'POST',
				path: 'missions',
				body: { code: freshMissionCode(), name: 'Table mission' }
			})
		},
		{
			name: 'PATCH missions/[code]',
			ok: 200,
			request: async () => {
				const { code } = await createMission(
					suite().db,
					{ code: freshMissionCode(), name: 'To rename' },
					ACTOR
				);
				return { method: 'PATCH', path: `missions/${code}`, body: { name: 'Renamed' } };
			}
		},
		{ name: 'GET codes', ok: 200, request: async () => ({ method: 'GET', path: 'codes' }) },
		{
			name: 'POST codes',
			ok: 201,
			request: async () => ({
				method: 'POST',
				path: 'codes',
				body: { role: 'focal-point', mission: 'UNMISS', expiresDays: 7 }
			})
		},
		{
			name: 'POST codes/[id]/revoke',
			ok: 200,
			request: async () => {
				const { id } = await createEnrolmentCode(
					suite().db,
					{ role: 'hq-viewer', mission: null },
					ACTOR
				);
				return { method: 'POST', path: `codes/${id}/revoke` };
			}
		},
		{ name: 'GET devices', ok: 200, request: async () => ({ method: 'GET', path: 'devices' }) },
		{
			name: 'POST devices/[id]/revoke',
			ok: 200,
			request: async () => {
				const { id } = await enrolDevice(suite().db, { mission: 'UNTSO' });
				return { method: 'POST', path: `devices/${id}/revoke` };
			}
		},
		{ name: 'GET audit', ok: 200, request: async () => ({ method: 'GET', path: 'audit?limit=5' }) }
	];

	type Caller = 'none' | 'invalid token' | 'revoked' | 'focal-point' | 'hq-viewer' | 'admin';
	const callers: { caller: Caller; expected: (ok: number) => [number, string | null] }[] = [
		{ caller: 'none', expected: () => [401, 'unauthenticated'] },
		{ caller: 'invalid token', expected: () => [401, 'invalid-token'] },
		{ caller: 'revoked', expected: () => [401, 'revoked'] },
		{ caller: 'focal-point', expected: () => [403, 'not-admin'] },
		{ caller: 'hq-viewer', expected: () => [403, 'not-admin'] },
		{ caller: 'admin', expected: (ok) => [ok, null] }
	];

	async function tokenOf(caller: Caller): Promise<string | undefined> {
		switch (caller) {
			case 'none':
				return undefined;
			case 'invalid token':
				return `fm1_${'A'.repeat(43)}`;
			case 'revoked': {
				// An administrator whose access was ended: its role no longer counts.
				const device = await enrolDevice(suite().db, { role: 'admin', mission: null });
				await revokeDevice(suite().db, device.id, ACTOR);
				return device.token;
			}
			case 'focal-point':
				return (await enrolDevice(suite().db, { mission: 'UNMISS' })).token;
			case 'hq-viewer':
				return (await enrolDevice(suite().db, { role: 'hq-viewer', mission: null })).token;
			case 'admin':
				return (await admin()).token;
		}
	}

	it.each(routes)(
		'$name: 401 without a valid token, 403 for non-admins, $ok for the admin',
		async (route) => {
			const tokens = new Map<Caller, string | undefined>();
			for (const { caller } of callers) tokens.set(caller, await tokenOf(caller));
			const outcomes: Record<string, unknown> = {};
			const expected: Record<string, unknown> = {};
			for (const { caller, expected: expectation } of callers) {
				const { method, path, body } = await route.request();
				const before = await auditCount();
				const response = await call(method, `/api/v1/admin/${path}`, {
					token: tokens.get(caller),
					body
				});
				const answer = (await bodyOf(response)) as { error?: string };
				const [status, error] = expectation(route.ok);
				outcomes[caller] = [response.status, response.ok ? null : answer.error];
				expected[caller] = [status, error];
				if (status >= 400) {
					expect(await auditCount(), `${caller} wrote to the audit log`).toBe(before);
					expect(response.headers.get('www-authenticate')).toBe(status === 401 ? 'Bearer' : null);
				} else if (method !== 'GET') {
					expect(await auditCount(), `${route.name} is audited`).toBe(before + 1);
				}
			}
			expect(outcomes).toEqual(expected);
		}
	);

	it('refuses bad input with 400 and a clear message, writing nothing', async () => {
		const code = (await createMission(suite().db, { code: freshMissionCode(), name: 'M' }, ACTOR))
			.code;
		const cases: [method: string, path: string, body: unknown, error: string, message?: RegExp][] =
			[
				['POST', 'missions', {}, 'invalid-request', /code/],
				['POST', 'missions', { code: 'unmiss', name: 'x' }, 'invalid-request', /capital letters/],
				['POST', 'missions', { code: 'AB', name: 'x' }, 'invalid-request', /capital letters/],
				['POST', 'missions', { code: 'ABCD', name: '   ' }, 'invalid-request', /name/],
				['POST', 'missions', { code: 'ABCD', name: 'x'.repeat(201) }, 'invalid-request', /200/],
				['POST', 'missions', [], 'invalid-request'],
				['POST', 'missions', null, 'invalid-request'],
				['PATCH', `missions/${code}`, {}, 'invalid-request', /name/],
				['PATCH', `missions/${code}`, { retired: false }, 'invalid-request', /reopened/],
				['PATCH', `missions/${code}`, { name: '' }, 'invalid-request', /name/],
				['POST', 'codes', {}, 'invalid-request', /role/],
				['POST', 'codes', { role: 'boss' }, 'invalid-request', /focal-point, hq-viewer or admin/],
				['POST', 'codes', { role: 'focal-point' }, 'invalid-request', /needs a mission/],
				['POST', 'codes', { role: 'focal-point', mission: null }, 'invalid-request', /mission/],
				['POST', 'codes', { role: 'admin', mission: 'bad' }, 'invalid-request', /capital/],
				['POST', 'codes', { role: 'admin', expiresDays: 0 }, 'invalid-request', /1 to 90/],
				['POST', 'codes', { role: 'admin', expiresDays: 91 }, 'invalid-request', /1 to 90/],
				['POST', 'codes', { role: 'admin', expiresDays: 1.5 }, 'invalid-request', /whole days/],
				['POST', 'codes', { role: 'admin', expiresDays: '7' }, 'invalid-request', /days/],
				['POST', 'codes', { role: 'admin', note: 'x'.repeat(201) }, 'invalid-request', /200/]
			];
		const before = await auditCount();
		for (const [method, path, body, error, message] of cases) {
			const response = await as(method, `/api/v1/admin/${path}`, body);
			const answer = await expectError(response, 400, error);
			if (message) expect(answer.message, JSON.stringify(body)).toMatch(message);
		}
		const token = (await admin()).token;
		await expectError(
			await call('POST', '/api/v1/admin/missions', { token, rawBody: '{"code":' }),
			400,
			'invalid-json'
		);
		await expectError(
			await call('POST', '/api/v1/admin/codes', { token, rawBody: '' }),
			400,
			'invalid-json'
		);
		await expectError(
			await call('POST', '/api/v1/admin/missions', {
				token,
				body: { code: 'ABCD', name: 'x'.repeat(ADMIN_LIMITS.requestBytes) }
			}),
			413,
			'too-large'
		);
		expect(await auditCount()).toBe(before);
	});

	it('has the limits of the admin command, which the shared schemas repeat', async () => {
		const { max } = ADMIN_LIMITS.codeDays;
		await expect(
			createEnrolmentCode(suite().db, { role: 'admin', mission: null, expiresDays: max }, ACTOR)
		).resolves.toMatchObject({ role: 'admin' });
		await expect(
			createEnrolmentCode(suite().db, { role: 'admin', mission: null, expiresDays: max + 1 }, ACTOR)
		).rejects.toMatchObject({ code: 'invalid-expiry' });
		expect(createCodeRequestSchema.safeParse({ role: 'admin', expiresDays: max }).success).toBe(
			true
		);
		expect(createCodeRequestSchema.safeParse({ role: 'admin', expiresDays: max + 1 }).success).toBe(
			false
		);
		await expect(
			createEnrolmentCode(
				suite().db,
				{ role: 'admin', mission: null, note: 'x'.repeat(ADMIN_LIMITS.note + 1) },
				ACTOR
			)
		).rejects.toMatchObject({ code: 'invalid-note' });

		const name = 'x'.repeat(ADMIN_LIMITS.missionName);
		const code = freshMissionCode();
		expect(createMissionRequestSchema.safeParse({ code, name }).success).toBe(true);
		expect(createMissionRequestSchema.safeParse({ code, name: `${name}x` }).success).toBe(false);
		await expect(
			createMission(suite().db, { code, name: `${name}x` }, ACTOR)
		).rejects.toMatchObject({ code: 'invalid-mission' });
		await expect(createMission(suite().db, { code, name }, ACTOR)).resolves.toMatchObject({
			code
		});
	});
});
