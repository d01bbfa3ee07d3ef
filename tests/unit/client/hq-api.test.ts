import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { writeDeviceValue } from '$lib/client/annotations/device-state';
import type { Enrolment } from '$lib/client/db';
import { blocksHq, createHqApi, exportQuery, hqAccess, hqFailure } from '$lib/client/hq-api';
import { SyncApiError } from '$lib/client/sync/api-client';
import { useFreshDatabases } from './fixtures/annotation-db';

const databases = useFreshDatabases('hq-api');

const DEVICE = '0190f1c4-6a2e-7cc1-8b52-3c1f0e9d4a10';

interface Seen {
	url: string;
	authorization: string | null;
}

/** A server that answers each request with the next of `answers`, recording what it got. */
interface Answer {
	status?: number;
	body: BodyInit | object;
	headers?: HeadersInit;
}

function server(...answers: Answer[]) {
	const seen: Seen[] = [];
	const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = typeof input === 'string' ? new URL(input, 'https://page.example') : input;
		const request = new Request(url, init);
		seen.push({ url: request.url, authorization: request.headers.get('authorization') });
		const answer: Answer = answers.shift() ?? {
			status: 500,
			body: { error: 'x', message: 'none left' }
		};
		const raw = answer.body instanceof Uint8Array || typeof answer.body === 'string';
		return new Response(raw ? (answer.body as BodyInit) : JSON.stringify(answer.body), {
			status: answer.status ?? 200,
			headers: answer.headers ?? { 'Content-Type': 'application/json' }
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

describe('the HQ API client', () => {
	it('calls each HQ route with the device token and parses the answers', async () => {
		const matrix = {
			generatedAt: '2025-01-10T08:00:00.000Z',
			datasetVersion: '0123456789abcdef',
			missions: [{ code: 'UNMISS', name: 'South Sudan', retired: false, retiredAt: null }],
			cells: []
		};
		const { seen, fetch } = server(
			{ body: matrix },
			{ body: { conflicts: [], truncated: false } },
			{ body: { mission: 'UNMISS', weeks: [], truncated: false } },
			{ body: { mission: null, weeks: [], truncated: false } }
		);
		const api = createHqApi('fm1_hq', { baseUrl: 'https://hq.example', fetch });
		expect(await api.matrix()).toEqual(matrix);
		expect(await api.conflicts()).toEqual({ conflicts: [], truncated: false });
		expect((await api.activity('UNMISS')).mission).toBe('UNMISS');
		await api.activity();
		expect(seen.map((r) => r.url)).toEqual([
			'https://hq.example/api/v1/hq/matrix',
			'https://hq.example/api/v1/hq/conflicts',
			'https://hq.example/api/v1/hq/activity?mission=UNMISS',
			'https://hq.example/api/v1/hq/activity'
		]);
		expect(seen.every((r) => r.authorization === 'Bearer fm1_hq')).toBe(true);
	});

	it('refuses an answer that does not follow the shared schemas', async () => {
		const { fetch } = server({ body: { generatedAt: 'yesterday', cells: [] } });
		const error = await rejection(createHqApi('t', { fetch }).matrix());
		expect(error).toBeInstanceOf(SyncApiError);
		expect((error as SyncApiError).kind).toBe('invalid-response');
	});

	it('writes the export filters as repeated parameters, none when empty', () => {
		expect(exportQuery({})).toBe('');
		expect(exportQuery({ section: [], mission: [] })).toBe('');
		expect(
			exportQuery({ section: ['II', 'VII'], progress: ['not-assessed'], mission: ['UNMISS'] })
		).toBe('?section=II&section=VII&progress=not-assessed&mission=UNMISS');
	});

	it('downloads an export as bytes, named by the server, failures as SyncApiError', async () => {
		const bytes = new Uint8Array([0x50, 0x4b, 3, 4]);
		const { seen, fetch } = server(
			{
				body: bytes,
				headers: {
					'Content-Type': 'application/octet-stream',
					'Content-Disposition': 'attachment; filename="fieldmatrix-c34-2025-01-10.docx"'
				}
			},
			{ status: 413, body: { error: 'export-too-large', message: 'Narrow the filters.' } }
		);
		const api = createHqApi('fm1_hq', { fetch });
		const file = await api.exportFile('docx', { mission: ['UNMISS'] });
		expect(file.fileName).toBe('fieldmatrix-c34-2025-01-10.docx');
		expect(new Uint8Array(await file.blob.arrayBuffer())).toEqual(bytes);
		expect(seen[0].url).toBe('https://page.example/api/v1/hq/export.docx?mission=UNMISS');
		expect(seen[0].authorization).toBe('Bearer fm1_hq');

		const error = await rejection(api.exportFile('docx', {}));
		expect(hqFailure(error)).toEqual({
			kind: 'refused',
			message: 'Narrow the filters.',
			code: 'export-too-large'
		});
	});

	it('says a 403 as “not enrolled for Headquarters”, and which failures block the console', async () => {
		const { fetch } = server({ status: 403, body: { error: 'hq-only', message: 'no' } });
		expect(hqFailure(await rejection(createHqApi('t', { fetch }).freshness()))).toEqual({
			kind: 'not-hq'
		});
		expect(blocksHq({ kind: 'not-hq' })).toBe(true);
		expect(blocksHq({ kind: 'revoked' })).toBe(true);
		expect(blocksHq({ kind: 'not-enrolled' })).toBe(true);
		expect(blocksHq({ kind: 'offline' })).toBe(false);
		expect(blocksHq({ kind: 'refused', message: 'x' })).toBe(false);
	});
});

describe('access to the HQ console', () => {
	const enrolment = (overrides: Partial<Enrolment> = {}): Enrolment => ({
		token: 'fm1_stored',
		role: 'hq-viewer',
		mission: null,
		displayName: 'Desk officer',
		deviceId: DEVICE,
		enrolledAt: '2025-01-10T08:00:00.000Z',
		revokedAt: null,
		...overrides
	});

	it('is for a device enrolled as an HQ viewer or administrator', async () => {
		const db = databases.fresh();
		expect(await hqAccess(db)).toEqual({ state: 'not-enrolled' });
		await writeDeviceValue(db, 'enrolment', enrolment({ role: 'focal-point', mission: 'UNMISS' }));
		expect(await hqAccess(db)).toEqual({ state: 'not-hq', role: 'focal-point' });
		await writeDeviceValue(db, 'enrolment', enrolment({ revokedAt: '2025-02-01T00:00:00.000Z' }));
		expect(await hqAccess(db)).toEqual({ state: 'revoked' });
		await writeDeviceValue(db, 'enrolment', enrolment({ role: 'admin' }));
		expect(await hqAccess(db)).toMatchObject({ state: 'ready', deviceId: DEVICE });

		await writeDeviceValue(db, 'enrolment', enrolment());
		const { seen, fetch } = server({ body: { conflicts: [], truncated: false } });
		const access = await hqAccess(db, { fetch });
		if (access.state !== 'ready') throw new Error('not ready');
		await access.api.conflicts();
		expect(seen[0].authorization).toBe('Bearer fm1_stored');
	});
});
