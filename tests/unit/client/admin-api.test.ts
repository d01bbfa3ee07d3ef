import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { adminAccess, adminFailure, blocksConsole, createAdminApi } from '$lib/client/admin-api';
import { writeDeviceValue } from '$lib/client/annotations/device-state';
import type { Enrolment } from '$lib/client/db';
import { SyncApiError } from '$lib/client/sync/api-client';
import { useFreshDatabases } from './fixtures/annotation-db';

const databases = useFreshDatabases('admin-api');

const DEVICE = '0190f1c4-6a2e-7cc1-8b52-3c1f0e9d4a10';
const MISSION = {
	code: 'UNTEST',
	name: 'Test Mission',
	createdAt: '2025-01-10T08:00:00.000Z',
	retiredAt: null
};

interface Seen {
	method: string;
	url: string;
	authorization: string | null;
	body: unknown;
}

/** A server that answers each request with the next of `answers`, recording what it got. */
function server(...answers: { status?: number; body: unknown }[]) {
	const seen: Seen[] = [];
	const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
		// The page's own origin when the client has no baseUrl (as in the browser).
		const url = typeof input === 'string' ? new URL(input, 'https://page.example') : input;
		const request = new Request(url, init);
		const text = await request.text();
		seen.push({
			method: request.method,
			url: request.url,
			authorization: request.headers.get('authorization'),
			body: text ? JSON.parse(text) : undefined
		});
		const answer = answers.shift() ?? { status: 500, body: { error: 'x', message: 'none left' } };
		return new Response(JSON.stringify(answer.body), {
			status: answer.status ?? 200,
			headers: { 'Content-Type': 'application/json' }
		});
	};
	return { seen, fetch: fetch as typeof globalThis.fetch };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => {
			throw new Error('expected a failure');
		},
		(error: unknown) => error
	);
}

describe('the admin API client', () => {
	it('calls each admin route with the device token and answers the parsed body', async () => {
		const code = {
			id: '11111111-2222-4333-8444-555555555555',
			code: 'ABCDE-23456',
			mission: 'UNTEST',
			role: 'focal-point',
			expiresAt: '2025-01-17T08:00:00.000Z'
		};
		const { seen, fetch } = server(
			{ body: { missions: [MISSION] } },
			{ status: 201, body: { mission: MISSION } },
			{ body: { mission: { ...MISSION, name: 'Renamed' } } },
			{ status: 201, body: code },
			{ body: { id: code.id } },
			{ body: { id: DEVICE, alreadyRevoked: false } },
			{ body: { codes: [] } },
			{ body: { devices: [] } }
		);
		const api = createAdminApi('fm1_admin', { baseUrl: 'https://hq.example/', fetch });

		expect(await api.listMissions()).toEqual([MISSION]);
		expect(await api.createMission({ code: 'UNTEST', name: 'Test Mission' })).toEqual(MISSION);
		expect((await api.updateMission('UNTEST', { name: 'Renamed' })).name).toBe('Renamed');
		expect(
			await api.createCode({ role: 'focal-point', mission: 'UNTEST', expiresDays: 7 })
		).toEqual(code);
		await api.revokeCode(code.id);
		expect(await api.revokeDevice(DEVICE)).toEqual({ id: DEVICE, alreadyRevoked: false });
		expect(await api.listCodes()).toEqual([]);
		expect(await api.listDevices()).toEqual([]);

		expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
			'GET https://hq.example/api/v1/admin/missions',
			'POST https://hq.example/api/v1/admin/missions',
			'PATCH https://hq.example/api/v1/admin/missions/UNTEST',
			'POST https://hq.example/api/v1/admin/codes',
			`POST https://hq.example/api/v1/admin/codes/${code.id}/revoke`,
			`POST https://hq.example/api/v1/admin/devices/${DEVICE}/revoke`,
			'GET https://hq.example/api/v1/admin/codes',
			'GET https://hq.example/api/v1/admin/devices'
		]);
		expect(seen.every((r) => r.authorization === 'Bearer fm1_admin')).toBe(true);
		expect(seen[1].body).toEqual({ code: 'UNTEST', name: 'Test Mission' });
		expect(seen[2].body).toEqual({ name: 'Renamed' });
		expect(seen[3].body).toEqual({ role: 'focal-point', mission: 'UNTEST', expiresDays: 7 });
		expect(seen[4].body).toBeUndefined();
	});

	it('pages the audit log with before and limit, and escapes path segments', async () => {
		const page = { entries: [], nextBefore: null };
		const { seen, fetch } = server(
			{ body: page },
			{ body: page },
			{ body: { devices: [] } },
			{ body: { id: 'a/b', alreadyRevoked: true } }
		);
		const api = createAdminApi('t', { baseUrl: 'https://hq.example', fetch });
		await api.auditPage();
		await api.auditPage({ before: '2025-01-10T08:00:00.000Z~x', limit: 20 });
		await api.listDevices();
		await api.revokeDevice('a/b');
		expect(seen[0].url).toBe('https://hq.example/api/v1/admin/audit');
		const second = new URL(seen[1].url);
		expect(second.searchParams.get('before')).toBe('2025-01-10T08:00:00.000Z~x');
		expect(second.searchParams.get('limit')).toBe('20');
		expect(seen[3].url).toBe('https://hq.example/api/v1/admin/devices/a%2Fb/revoke');
	});

	it('refuses an answer that does not follow the shared schemas', async () => {
		const { fetch } = server({ body: { missions: [{ code: 'lower' }] } });
		const error = await rejection(createAdminApi('t', { fetch }).listMissions());
		expect(error).toBeInstanceOf(SyncApiError);
		expect((error as SyncApiError).kind).toBe('invalid-response');
	});

	it('turns each failure into what the console says', async () => {
		const failing = (status: number, body: unknown) =>
			rejection(createAdminApi('t', { fetch: server({ status, body }).fetch }).listMissions());

		const forbidden = adminFailure(
			await failing(403, { error: 'not-admin', message: 'not an admin' })
		);
		expect(forbidden).toEqual({ kind: 'not-admin' });
		expect(adminFailure(await failing(401, { error: 'revoked', message: 'gone' }))).toEqual({
			kind: 'revoked'
		});
		expect(adminFailure(await failing(401, { error: 'invalid-token', message: '?' }))).toEqual({
			kind: 'not-enrolled'
		});
		expect(
			adminFailure(await failing(409, { error: 'mission-exists', message: 'Mission X exists.' }))
		).toEqual({ kind: 'refused', message: 'Mission X exists.', code: 'mission-exists' });
		expect(adminFailure(await failing(502, 'Bad gateway'))).toMatchObject({
			kind: 'refused',
			message: 'HTTP 502'
		});

		const offline = createAdminApi('t', {
			fetch: (async () => {
				throw new TypeError('Failed to fetch');
			}) as typeof fetch
		});
		expect(adminFailure(await rejection(offline.listCodes()))).toEqual({ kind: 'offline' });
		expect(adminFailure(new Error('boom'))).toEqual({ kind: 'refused', message: 'boom' });

		expect(blocksConsole({ kind: 'not-admin' })).toBe(true);
		expect(blocksConsole({ kind: 'revoked' })).toBe(true);
		expect(blocksConsole({ kind: 'not-enrolled' })).toBe(true);
		expect(blocksConsole({ kind: 'offline' })).toBe(false);
		expect(blocksConsole({ kind: 'refused', message: 'x' })).toBe(false);
	});
});

describe('access to the admin console', () => {
	const enrolment = (overrides: Partial<Enrolment> = {}): Enrolment => ({
		token: 'fm1_stored',
		role: 'admin',
		mission: null,
		displayName: 'HQ admin',
		deviceId: DEVICE,
		enrolledAt: '2025-01-10T08:00:00.000Z',
		revokedAt: null,
		...overrides
	});

	it('is for a device enrolled as an administrator, with the token it stored', async () => {
		const db = databases.fresh();
		expect(await adminAccess(db)).toEqual({ state: 'not-enrolled' });

		await writeDeviceValue(db, 'enrolment', enrolment({ role: 'focal-point', mission: 'UNMISS' }));
		expect(await adminAccess(db)).toEqual({ state: 'not-admin', role: 'focal-point' });
		await writeDeviceValue(db, 'enrolment', enrolment({ role: 'hq-viewer' }));
		expect(await adminAccess(db)).toEqual({ state: 'not-admin', role: 'hq-viewer' });
		await writeDeviceValue(db, 'enrolment', enrolment({ revokedAt: '2025-02-01T00:00:00.000Z' }));
		expect(await adminAccess(db)).toEqual({ state: 'revoked' });

		await writeDeviceValue(db, 'enrolment', enrolment());
		const { seen, fetch } = server({ body: { missions: [] } });
		const access = await adminAccess(db, { fetch });
		expect(access).toMatchObject({ state: 'ready', deviceId: DEVICE });
		if (access.state !== 'ready') throw new Error('not ready');
		await access.api.listMissions();
		expect(seen[0].authorization).toBe('Bearer fm1_stored');
	});
});
