import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { apiErrorSchema, enrolResponseSchema } from '../../src/lib/shared/sync';
import { createEnrolmentCode } from '../../src/lib/server/admin/codes';
import { revokeDevice } from '../../src/lib/server/admin/devices';
import { RateLimiter } from '../../src/lib/server/auth/rate-limit';
import { setReportDataset } from '../../src/lib/server/hq/report-dataset';
import { seedDataset } from '../unit/seed-dataset';
import { dumpDatabase, dumpDifferences } from './dump';
import {
	ACTOR,
	annotation,
	describeEachBackend,
	enrolDevice,
	mutation,
	type TestDevice
} from './fixtures';
import { bodyOf, call } from './harness';

/*
 * Every API route × every kind of caller, with the status each must get; for every refused
 * request, a full dump of the database before and after must be equal. The pages /hq and /admin
 * are not in the table: they are the app's static shell (`ssr = false`, no server load), served
 * alike to anyone and holding no data; what they show comes from the API routes below, which
 * check the caller on every request.
 */

const MISSION_A = 'UNMISS';
const MISSION_B = 'MINUSMA';

const ROLES = [
	'none',
	'malformed token',
	'revoked',
	'focal point A',
	'focal point B',
	'hq-viewer',
	'admin'
] as const;
type Caller = (typeof ROLES)[number];

interface Callers {
	devices: Record<Exclude<Caller, 'none' | 'malformed token'>, TestDevice>;
}

interface Request {
	method: string;
	path: string;
	body?: unknown;
}

interface Row {
	route: string;
	/** The request as this caller makes it (focal point B aims at mission A's data). */
	request: (caller: Caller, callers: Callers) => Promise<Request> | Request;
	/** Status per caller, and for refusals the error code. */
	expected: Record<Caller, number | readonly [number, string]>;
}

const UNAUTHENTICATED = {
	none: [401, 'unauthenticated'],
	'malformed token': [401, 'invalid-token'],
	revoked: [401, 'revoked']
} as const;
const HQ_ONLY = {
	...UNAUTHENTICATED,
	'focal point A': [403, 'hq-only'],
	'focal point B': [403, 'hq-only'],
	'hq-viewer': 200,
	admin: 200
} as const;
/** A write to mission A's data: only its focal point; HQ roles only read. */
const WRITE_MISSION_A = {
	...UNAUTHENTICATED,
	'focal point A': 200,
	'focal point B': [403, 'other-mission'],
	'hq-viewer': [403, 'read-only'],
	admin: [403, 'read-only']
} as const;
const ADMIN_ONLY = (ok: number) =>
	({
		...UNAUTHENTICATED,
		'focal point A': [403, 'not-admin'],
		'focal point B': [403, 'not-admin'],
		'hq-viewer': [403, 'not-admin'],
		admin: ok
	}) as const;

function freshMissionCode(): string {
	const letters = crypto.getRandomValues(new Uint8Array(8));
	return 'Q' + [...letters].map((n) => String.fromCharCode(65 + (n % 26))).join('');
}

const dataset = seedDataset();
beforeAll(() => setReportDataset(dataset));

describeEachBackend('access matrix', (suite) => {
	let callers: Callers;
	/** A code a device has already redeemed. */
	let usedCode: string;

	beforeAll(async () => {
		const { db } = suite();
		const revoked = await enrolDevice(db, { mission: MISSION_A, name: 'Revoked' });
		await revokeDevice(db, revoked.id, ACTOR);
		callers = {
			devices: {
				revoked,
				'focal point A': await enrolDevice(db, { mission: MISSION_A, name: 'Focal A' }),
				'focal point B': await enrolDevice(db, { mission: MISSION_B, name: 'Focal B' }),
				'hq-viewer': await enrolDevice(db, { role: 'hq-viewer', mission: null, name: 'Desk' }),
				admin: await enrolDevice(db, { role: 'admin', mission: null, name: 'Admin' })
			}
		};
		usedCode = (await createEnrolmentCode(db, { role: 'focal-point', mission: MISSION_A }, ACTOR))
			.code;
		const response = await call(suite().context, 'POST', '/api/v1/enrol', {
			body: { code: usedCode, deviceId: crypto.randomUUID(), displayName: 'First' }
		});
		expect(response.status).toBe(200);
	});

	const get = (path: string) => () => ({ method: 'GET', path });

	const ROWS: Row[] = [
		{
			route: 'POST /api/v1/enrol (a used code)',
			request: () => ({
				method: 'POST',
				path: '/api/v1/enrol',
				body: { code: usedCode, deviceId: crypto.randomUUID(), displayName: 'Second' }
			}),
			// The token plays no part: a code is for a device that has none yet.
			expected: Object.fromEntries(
				ROLES.map((role) => [role, [410, 'code-used'] as const])
			) as Row['expected']
		},
		{
			route: 'POST /api/v1/sync/push (an entry of mission A)',
			request: (caller, { devices }) => {
				const pusher =
					caller === 'none' || caller === 'malformed token'
						? devices['focal point A']
						: devices[caller];
				const entry = annotation(pusher, { mission: MISSION_A });
				return {
					method: 'POST',
					path: '/api/v1/sync/push',
					body: { deviceId: pusher.id, mutations: [mutation(pusher, entry, { op: 'create' })] }
				};
			},
			expected: WRITE_MISSION_A
		},
		{
			route: 'POST /api/v1/sync/push (an existing entry of mission A, relabelled as the caller’s)',
			request: async (caller, { devices }) => {
				// Written by another device of mission A just before.
				const author = await enrolDevice(suite().db, { mission: MISSION_A, name: 'Author' });
				const original = annotation(author, { mission: MISSION_A });
				const created = await call(suite().context, 'POST', '/api/v1/sync/push', {
					token: author.token,
					body: { deviceId: author.id, mutations: [mutation(author, original, { op: 'create' })] }
				});
				expect(created.status).toBe(200);
				const pusher =
					caller === 'none' || caller === 'malformed token'
						? devices['focal point A']
						: devices[caller];
				const edit = {
					...original,
					mission: pusher.mission ?? MISSION_A,
					deviceId: pusher.id,
					note: 'Overwritten',
					revision: 1
				};
				return {
					method: 'POST',
					path: '/api/v1/sync/push',
					body: {
						deviceId: pusher.id,
						mutations: [mutation(pusher, edit, { op: 'update', baseRevision: 1 })]
					}
				};
			},
			expected: WRITE_MISSION_A
		},
		{
			route: 'GET /api/v1/sync/pull?mission=A',
			request: get(`/api/v1/sync/pull?mission=${MISSION_A}`),
			expected: {
				...UNAUTHENTICATED,
				'focal point A': 200,
				'focal point B': [403, 'other-mission'],
				'hq-viewer': 200,
				admin: 200
			}
		},
		{
			route: 'POST /api/v1/sync/status (the caller’s own device)',
			request: () => ({ method: 'POST', path: '/api/v1/sync/status', body: { pendingCount: 3 } }),
			expected: {
				...UNAUTHENTICATED,
				'focal point A': 200,
				'focal point B': 200,
				'hq-viewer': 200,
				admin: 200
			}
		},
		{ route: 'GET /api/v1/hq/matrix', request: get('/api/v1/hq/matrix'), expected: HQ_ONLY },
		{ route: 'GET /api/v1/hq/freshness', request: get('/api/v1/hq/freshness'), expected: HQ_ONLY },
		{
			route: 'GET /api/v1/hq/conflicts?mission=A',
			request: get(`/api/v1/hq/conflicts?mission=${MISSION_A}`),
			expected: HQ_ONLY
		},
		{
			route: 'GET /api/v1/hq/activity?mission=A',
			request: get(`/api/v1/hq/activity?mission=${MISSION_A}`),
			expected: HQ_ONLY
		},
		{
			route: 'GET /api/v1/hq/recommendations/a78-19-p38',
			request: get('/api/v1/hq/recommendations/a78-19-p38'),
			expected: HQ_ONLY
		},
		...(['csv', 'json', 'md', 'docx'] as const).map((format) => ({
			route: `GET /api/v1/hq/export.${format}?mission=A`,
			request: get(`/api/v1/hq/export.${format}?mission=${MISSION_A}`),
			expected: HQ_ONLY
		})),
		{
			route: 'GET /api/v1/admin/missions',
			request: get('/api/v1/admin/missions'),
			expected: ADMIN_ONLY(200)
		},
		{
			route: 'POST /api/v1/admin/missions',
			request: () => ({
				method: 'POST',
				path: '/api/v1/admin/missions',
				body: { code: freshMissionCode(), name: 'Test mission' }
			}),
			expected: ADMIN_ONLY(201)
		},
		{
			route: 'PATCH /api/v1/admin/missions/A',
			request: () => ({
				method: 'PATCH',
				path: `/api/v1/admin/missions/${MISSION_A}`,
				body: { name: 'United Nations Mission in South Sudan (renamed)' }
			}),
			expected: ADMIN_ONLY(200)
		},
		{
			route: 'GET /api/v1/admin/codes',
			request: get('/api/v1/admin/codes'),
			expected: ADMIN_ONLY(200)
		},
		{
			route: 'POST /api/v1/admin/codes',
			request: () => ({
				method: 'POST',
				path: '/api/v1/admin/codes',
				body: { role: 'focal-point', mission: MISSION_A }
			}),
			expected: ADMIN_ONLY(201)
		},
		{
			route: 'POST /api/v1/admin/codes/<id>/revoke',
			request: async () => {
				const { id } = await createEnrolmentCode(
					suite().db,
					{ role: 'focal-point', mission: MISSION_A },
					ACTOR
				);
				return { method: 'POST', path: `/api/v1/admin/codes/${id}/revoke` };
			},
			expected: ADMIN_ONLY(200)
		},
		{
			route: 'GET /api/v1/admin/devices',
			request: get('/api/v1/admin/devices'),
			expected: ADMIN_ONLY(200)
		},
		{
			route: 'POST /api/v1/admin/devices/<id of a mission A device>/revoke',
			request: async () => {
				const victim = await enrolDevice(suite().db, { mission: MISSION_A, name: 'Victim' });
				return { method: 'POST', path: `/api/v1/admin/devices/${victim.id}/revoke` };
			},
			expected: ADMIN_ONLY(200)
		},
		{
			route: 'GET /api/v1/admin/audit',
			request: get('/api/v1/admin/audit'),
			expected: ADMIN_ONLY(200)
		}
	];

	function tokenOf(caller: Caller): string | undefined {
		if (caller === 'none') return undefined;
		// Not even a token's shape.
		if (caller === 'malformed token') return `fm1_${'x'.repeat(20)}!`;
		return callers.devices[caller].token;
	}

	it.each(ROWS.map((row) => [row.route, row] as const))('%s', async (_route, row) => {
		const { db, context, backend } = suite();
		const seen: string[] = [];
		const wanted: string[] = [];
		for (const caller of ROLES) {
			const request = await row.request(caller, callers);
			const before = await dumpDatabase(db, backend.name);
			const response = await call(context, request.method, request.path, {
				token: tokenOf(caller),
				body: request.body
			});
			const expected = row.expected[caller];
			const [status, error] = typeof expected === 'number' ? [expected, null] : expected;
			wanted.push(`${caller}: ${status}${error ? ` ${error}` : ''}`);
			if (status >= 400) {
				expect(response.headers.get('content-type'), `${row.route} as ${caller}`).toMatch(
					/^application\/json/
				);
				const body = apiErrorSchema.parse(await bodyOf(response));
				seen.push(`${caller}: ${response.status} ${body.error}`);
				expect(body.message.length).toBeGreaterThan(10);
				if (response.status === 401)
					expect(response.headers.get('www-authenticate')).toBe('Bearer');
				const after = await dumpDatabase(db, backend.name);
				expect(dumpDifferences(before, after), `${row.route} as ${caller}`).toEqual([]);
			} else {
				await response.arrayBuffer();
				seen.push(`${caller}: ${response.status}`);
			}
		}
		expect(seen).toEqual(wanted);
	});

	it('stores tokens and enrolment codes only as hashes, in no table in the clear', async () => {
		const { db, backend } = suite();
		const secrets: string[] = [];
		for (const role of ['focal-point', 'hq-viewer', 'admin'] as const) {
			const { code } = await createEnrolmentCode(
				db,
				{ role, mission: role === 'focal-point' ? MISSION_B : null },
				ACTOR
			);
			const response = await call(suite().context, 'POST', '/api/v1/enrol', {
				body: { code, deviceId: crypto.randomUUID(), displayName: 'Hash check' }
			});
			const { token } = enrolResponseSchema.parse(await bodyOf(response));
			secrets.push(token, token.slice('fm1_'.length), code, code.replace('-', ''));
			const hash = createHash('sha256').update(token).digest('base64url');
			const row = await db
				.selectFrom('devices')
				.select('token_hash')
				.where('token_hash', '=', hash)
				.executeTakeFirst();
			expect(row?.token_hash).toBe(hash);
		}
		for (const device of Object.values(callers.devices))
			secrets.push(device.token, device.token.slice('fm1_'.length));
		const everything = JSON.stringify(await dumpDatabase(db, backend.name, { keepLastSeen: true }));
		for (const secret of secrets) expect(everything).not.toContain(secret);
	});

	it('lets a code enrol one device only, and throttles guessing to 429 after 10 misses', async () => {
		const { db, backend } = suite();
		const context = {
			...suite().context,
			enrolLimiter: new RateLimiter({ limit: 10, windowMs: 10 * 60 * 1000 })
		};
		const { code } = await createEnrolmentCode(
			db,
			{ role: 'focal-point', mission: MISSION_B },
			ACTOR
		);
		const enrol = (guess: string, ip: string, deviceId: string = crypto.randomUUID()) =>
			call(context, 'POST', '/api/v1/enrol', {
				body: { code: guess, deviceId, displayName: 'Guesser' },
				ip
			});
		expect((await enrol(code, '198.51.100.20')).status).toBe(200);
		// A second device (another id) with the same code: spent.
		const again = await enrol(code, '198.51.100.21');
		expect(again.status).toBe(410);
		expect(apiErrorSchema.parse(await bodyOf(again)).error).toBe('code-used');

		// Guessing: ten well-formed wrong codes, then every attempt from that address is refused,
		// a right one too, and nothing is written.
		const { code: right } = await createEnrolmentCode(
			db,
			{ role: 'focal-point', mission: MISSION_B },
			ACTOR
		);
		const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
		for (let i = 0; i < 10; i++) {
			const guess = Array.from({ length: 10 }, (_, j) => alphabet[(i * 7 + j * 3) % 31]).join('');
			const response = await enrol(guess, '198.51.100.22');
			expect(response.status).toBe(400);
			expect(apiErrorSchema.parse(await bodyOf(response)).error).toBe('invalid-code');
		}
		const before = await dumpDatabase(db, backend.name);
		const throttled = await enrol(right, '198.51.100.22');
		expect(throttled.status).toBe(429);
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(apiErrorSchema.parse(await bodyOf(throttled)).error).toBe('rate-limited');
		expect(dumpDifferences(before, await dumpDatabase(db, backend.name))).toEqual([]);
		// Malformed guesses count too: they cannot be used to probe for free.
		const other = '198.51.100.23';
		for (let i = 0; i < 10; i++) expect((await enrol('nope', other)).status).toBe(400);
		expect((await enrol('nope', other)).status).toBe(429);
		// The right code still works from elsewhere.
		expect((await enrol(right, '198.51.100.24')).status).toBe(200);
	});
});
