import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Annotation } from '../../src/lib/shared/annotation';
import {
	HQ_LIMITS,
	hqActivitySchema,
	hqConflictsSchema,
	hqFreshnessSchema,
	hqMatrixSchema,
	hqRecommendationSchema
} from '../../src/lib/shared/hq';
import { apiErrorSchema } from '../../src/lib/shared/sync';
import { compareNewestFirst as deviceCompareNewestFirst } from '../../src/lib/client/annotations/annotation-queries';
import { revokeDevice } from '../../src/lib/server/admin/devices';
import { createMission, retireMission } from '../../src/lib/server/admin/missions';
import { hqFreshness } from '../../src/lib/server/hq/freshness';
import { isoWeekLabel, isoWeekStart } from '../../src/lib/server/hq/iso-week';
import { compareNewestFirst } from '../../src/lib/server/hq/newest-entry';
import { setReportDataset } from '../../src/lib/server/hq/report-dataset';
import { seedDataset } from '../unit/seed-dataset';
import {
	ACTOR,
	annotation,
	describeEachBackend,
	enrolDevice,
	mutation,
	syncClient,
	uuidv7,
	type TestDevice
} from './fixtures';
import { bodyOf, call } from './harness';

const dataset = seedDataset();
beforeAll(() => setReportDataset(dataset));

const HQ_ROUTES = [
	'/api/v1/hq/matrix',
	'/api/v1/hq/freshness',
	'/api/v1/hq/conflicts',
	'/api/v1/hq/activity',
	'/api/v1/hq/recommendations/a78-19-p38',
	'/api/v1/hq/export.csv',
	'/api/v1/hq/export.json',
	'/api/v1/hq/export.md',
	'/api/v1/hq/export.docx'
];

async function expectError(response: Response, status: number, error: string) {
	expect(response.status).toBe(status);
	const body = apiErrorSchema.parse(await bodyOf(response));
	expect(body.error).toBe(error);
	return body.message;
}

describeEachBackend('HQ console API', (suite) => {
	const sync = syncClient(suite);
	const get = (path: string, device: TestDevice | null) =>
		call(suite().context, 'GET', path, { token: device?.token });
	let viewer: TestDevice;

	beforeAll(async () => {
		viewer = await enrolDevice(suite().db, { role: 'hq-viewer', mission: null, name: 'Desk' });
	});

	/** Pushes each change as the device's next mutation and returns the applied entries. */
	async function record(device: TestDevice, entries: Annotation[]) {
		const { results } = await sync.pushOk(
			device,
			entries.map((entry) => mutation(device, entry, { baseRevision: entry.revision }))
		);
		expect(results.map((r) => r.status)).toEqual(entries.map(() => 'applied'));
	}

	it('answers every HQ route only to HQ viewers and admins (401 / 403 in the API’s error shape)', async () => {
		const focal = await enrolDevice(suite().db, { mission: 'UNMISS' });
		const admin = await enrolDevice(suite().db, { role: 'admin', mission: null });
		const revoked = await enrolDevice(suite().db, { role: 'hq-viewer', mission: null });
		await revokeDevice(suite().db, revoked.id, ACTOR);
		const forged = { ...viewer, token: `fm1_${'A'.repeat(43)}` };

		const expected: [string, TestDevice | null, number, string | null][] = [
			['none', null, 401, 'unauthenticated'],
			['invalid token', forged, 401, 'invalid-token'],
			['revoked', revoked, 401, 'revoked'],
			['focal point', focal, 403, 'hq-only'],
			['hq-viewer', viewer, 200, null],
			['admin', admin, 200, null]
		];
		for (const path of HQ_ROUTES) {
			for (const [role, device, status, error] of expected) {
				const response = await get(path, device);
				expect(response.status, `${path} as ${role}`).toBe(status);
				if (error) {
					expect(response.headers.get('content-type')).toMatch(/application\/json/);
					const body = apiErrorSchema.parse(await bodyOf(response));
					expect(body.error, `${path} as ${role}`).toBe(error);
					if (status === 401) expect(response.headers.get('www-authenticate')).toBe('Bearer');
				} else {
					await response.arrayBuffer();
				}
			}
		}
	});

	it('shows each mission’s current progress per recommendation, by the device’s rule', async () => {
		const juba = await enrolDevice(suite().db, { mission: 'UNMISS', name: 'Juba' });
		const older = annotation(juba, { progressDate: '2025-01-10', status: 'in-progress' });
		const newer = annotation(juba, {
			progressDate: '2025-02-01',
			status: 'implemented',
			author: 'B. Newest'
		});
		// The newest by progress date, but deleted: it does not count.
		const deleted = annotation(juba, { progressDate: '2025-03-01', status: 'planned' });
		await record(juba, [older, newer, deleted]);
		await record(juba, [{ ...deleted, deleted: true, revision: 1 }]);

		// Same progress date: the later edit wins.
		const sameDayA = annotation(juba, {
			recommendationId: 'a78-19-p39',
			progressDate: '2025-01-05',
			updatedAt: '2025-01-05T08:00:00.000Z',
			status: 'planned'
		});
		const sameDayB = annotation(juba, {
			recommendationId: 'a78-19-p39',
			progressDate: '2025-01-05',
			updatedAt: '2025-01-05T09:00:00.000Z',
			status: 'needs-hq-support'
		});
		await record(juba, [sameDayB, sameDayA]);

		// Every entry of a pair deleted: listed, but read as not assessed.
		const naqoura = await enrolDevice(suite().db, { mission: 'UNIFIL', name: 'Naqoura' });
		const gone = annotation(naqoura, { recommendationId: 'a78-19-p40' });
		await record(naqoura, [gone]);
		await record(naqoura, [{ ...gone, deleted: true, revision: 1 }]);

		await retireMission(suite().db, 'UNTSO', ACTOR);
		const response = await get('/api/v1/hq/matrix', viewer);
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const matrix = hqMatrixSchema.parse(await bodyOf(response));
		expect(matrix.datasetVersion).toBe(dataset.version);
		expect(matrix.missions.map((m) => m.code)).toEqual(
			[...matrix.missions.map((m) => m.code)].sort()
		);
		expect(matrix.missions.find((m) => m.code === 'UNTSO')).toMatchObject({ retired: true });
		expect(matrix.missions.find((m) => m.code === 'UNMISS')).toMatchObject({
			name: 'United Nations Mission in South Sudan',
			retired: false,
			retiredAt: null
		});

		const cell = (mission: string, id: string) =>
			matrix.cells.find((c) => c.mission === mission && c.recommendationId === id);
		expect(cell('UNMISS', 'a78-19-p38')).toEqual({
			mission: 'UNMISS',
			recommendationId: 'a78-19-p38',
			current: {
				annotationId: newer.id,
				status: 'implemented',
				progressDate: '2025-02-01',
				updatedAt: newer.updatedAt,
				author: 'B. Newest'
			},
			entryCount: 2,
			openConflicts: 0
		});
		expect(cell('UNMISS', 'a78-19-p39')?.current?.annotationId).toBe(sameDayB.id);
		expect(cell('UNIFIL', 'a78-19-p40')).toMatchObject({ current: null, entryCount: 0 });
		expect(cell('UNIFIL', 'a78-19-p38')).toBeUndefined();
	});

	it('counts open conflicts per cell until they are settled', async () => {
		const first = await enrolDevice(suite().db, { mission: 'MONUSCO', name: 'Goma' });
		const second = await enrolDevice(suite().db, { mission: 'MONUSCO', name: 'Bunia' });
		const entry = annotation(first, { recommendationId: 'a78-19-p41', note: 'Goma’s view' });
		await record(first, [entry]);
		// The second device edits it without having seen revision 1: a conflict.
		const theirs = {
			...entry,
			deviceId: second.id,
			note: 'Bunia’s view',
			status: 'needs-hq-support' as const
		};
		const pushed = await sync.pushOk(second, [mutation(second, theirs, { baseRevision: 0 })]);
		expect(pushed.results[0].status).toBe('conflict');
		const conflictId = pushed.results[0].status === 'conflict' ? pushed.results[0].conflict.id : '';

		const cellOf = async () =>
			hqMatrixSchema
				.parse(await bodyOf(await get('/api/v1/hq/matrix', viewer)))
				.cells.find((c) => c.mission === 'MONUSCO' && c.recommendationId === 'a78-19-p41');
		expect(await cellOf()).toMatchObject({ openConflicts: 1, entryCount: 1 });

		const conflicts = hqConflictsSchema.parse(
			await bodyOf(await get('/api/v1/hq/conflicts', viewer))
		);
		expect(conflicts.truncated).toBe(false);
		const listed = conflicts.conflicts.find((c) => c.id === conflictId);
		expect(listed).toMatchObject({
			mission: 'MONUSCO',
			annotationId: entry.id,
			recommendationId: 'a78-19-p41',
			deviceId: second.id,
			server: { note: 'Goma’s view', status: 'in-progress', revision: 1 },
			incoming: { note: 'Bunia’s view', status: 'needs-hq-support' }
		});
		const onlyOther = hqConflictsSchema.parse(
			await bodyOf(await get('/api/v1/hq/conflicts?mission=UNMISS', viewer))
		);
		expect(onlyOther.conflicts.some((c) => c.id === conflictId)).toBe(false);

		// Settled by an ordinary change that names it.
		await sync.pushOk(second, [
			mutation(
				second,
				{ ...theirs, revision: 1 },
				{ baseRevision: 1, resolvesConflictId: conflictId }
			)
		]);
		expect(await cellOf()).toMatchObject({ openConflicts: 0 });
		const after = hqConflictsSchema.parse(await bodyOf(await get('/api/v1/hq/conflicts', viewer)));
		expect(after.conflicts.some((c) => c.id === conflictId)).toBe(false);
	});

	it('shows one recommendation in every mission: entries, tombstones and the history', async () => {
		const device = await enrolDevice(suite().db, { mission: 'MINUSCA', name: 'Bangui' });
		const entry = annotation(device, { recommendationId: 'a78-19-p42', status: 'planned' });
		const other = annotation(device, {
			recommendationId: 'a78-19-p42',
			progressDate: '2024-12-01',
			status: 'not-started'
		});
		await record(device, [entry, other]);
		const updated = { ...entry, status: 'in-progress' as const };
		await record(device, [{ ...updated, revision: 1 }]);
		await sync.pushOk(device, [
			mutation(
				device,
				{ ...updated, deleted: true, revision: 2 },
				{ op: 'delete', baseRevision: 2 }
			)
		]);
		await sync.pushOk(device, [
			mutation(
				device,
				{ ...entry, status: 'implemented', revision: 3 },
				{ op: 'restore', baseRevision: 3 }
			)
		]);
		await sync.pushOk(device, [
			mutation(device, { ...other, deleted: true, revision: 1 }, { op: 'delete', baseRevision: 1 })
		]);

		const response = await get('/api/v1/hq/recommendations/a78-19-p42', viewer);
		expect(response.status).toBe(200);
		const detail = hqRecommendationSchema.parse(await bodyOf(response));
		expect(detail.recommendation?.paragraph).toBe(42);
		expect(detail.truncated).toBe(false);
		const codes = detail.missions.map((m) => m.mission.code);
		expect(codes).toEqual([...codes].sort());
		expect(codes).toContain('UNIFIL'); // an open mission with nothing recorded: an empty column

		const minusca = detail.missions.find((m) => m.mission.code === 'MINUSCA')!;
		expect(minusca.current).toMatchObject({ annotationId: entry.id, status: 'implemented' });
		expect(minusca.entries.map((e) => [e.id, e.deleted, e.revision])).toEqual([
			[entry.id, false, 4],
			[other.id, true, 2]
		]);
		const changes = minusca.history
			.filter((h) => h.annotationId === entry.id)
			.map((h) => [h.revision, h.change, h.entry.status]);
		expect(changes).toEqual([
			[4, 'restored', 'implemented'],
			[3, 'deleted', 'in-progress'],
			[2, 'updated', 'in-progress'],
			[1, 'created', 'planned']
		]);
		expect(minusca.history.every((h) => h.deviceId === device.id)).toBe(true);
		expect(detail.missions.find((m) => m.mission.code === 'UNIFIL')).toMatchObject({
			current: null,
			entries: [],
			history: [],
			openConflicts: 0
		});
	});

	it('answers 400 to a malformed recommendation id and 404 to an unknown one', async () => {
		for (const id of ['foo', 'a78-19-p', 'A78-19-P38', 'a78-19-p12345', 'a78-19-p38%20']) {
			await expectError(
				await get(`/api/v1/hq/recommendations/${id}`, viewer),
				400,
				'invalid-recommendation-id'
			);
		}
		await expectError(
			await get('/api/v1/hq/recommendations/a78-19-p9999', viewer),
			404,
			'unknown-recommendation'
		);
		// Not in this edition of the report, but a mission recorded on it: shown, without text.
		const device = await enrolDevice(suite().db, { mission: 'UNISFA' });
		await record(device, [annotation(device, { recommendationId: 'a78-19-p1' })]);
		const orphan = hqRecommendationSchema.parse(
			await bodyOf(await get('/api/v1/hq/recommendations/a78-19-p1', viewer))
		);
		expect(orphan.recommendation).toBeNull();
		expect(orphan.missions.find((m) => m.mission.code === 'UNISFA')?.entries).toHaveLength(1);
	});

	it('tells whose data is fresh, and goes stale after 14 quiet days', async () => {
		await createMission(suite().db, { code: 'UNAMQ', name: 'A mission with no device' }, ACTOR);
		const phone = await enrolDevice(suite().db, { mission: 'UNMOGIP', name: 'Phone' });
		const laptop = await enrolDevice(suite().db, { mission: 'UNMOGIP', name: 'Laptop' });
		await record(phone, [annotation(phone, { recommendationId: 'a78-19-p43' })]);
		const status = await call(suite().context, 'POST', '/api/v1/sync/status', {
			token: phone.token,
			body: { pendingCount: 3 }
		});
		expect(status.status).toBe(200);
		await revokeDevice(suite().db, laptop.id, ACTOR);

		const response = await get('/api/v1/hq/freshness', viewer);
		expect(response.status).toBe(200);
		const fresh = hqFreshnessSchema.parse(await bodyOf(response));
		expect(fresh.staleAfterDays).toBe(HQ_LIMITS.staleAfterDays);
		const unmogip = fresh.missions.find((m) => m.mission.code === 'UNMOGIP')!;
		expect(unmogip.stale).toBe(false);
		expect(unmogip.lastSyncAt).not.toBeNull();
		expect(unmogip.lastChangeAt).not.toBeNull();
		expect(unmogip.pendingCount).toBe(3);
		expect(unmogip.devices.map((d) => [d.id, d.displayName, d.role, d.revoked])).toEqual([
			[phone.id, 'Phone', 'focal-point', false],
			[laptop.id, 'Laptop', 'focal-point', true]
		]);
		expect(unmogip.devices[0]).toMatchObject({ pendingCount: 3 });
		expect(unmogip.devices[0].pendingReportedAt).not.toBeNull();
		expect(unmogip.devices[1]).toMatchObject({ pendingCount: null, pendingReportedAt: null });
		expect(fresh.missions.find((m) => m.mission.code === 'UNAMQ')).toMatchObject({
			devices: [],
			lastSyncAt: null,
			lastChangeAt: null,
			stale: true
		});
		// HQ devices belong to no mission.
		expect(fresh.missions.flatMap((m) => m.devices).some((d) => d.id === viewer.id)).toBe(false);

		// Recommendations no mission has a live entry on, in report order.
		expect(fresh.unassessedRecommendationIds).not.toContain('a78-19-p43');
		expect(fresh.unassessedRecommendationIds).toContain('a78-19-p180');
		const order = dataset.recommendations.map((r) => r.id);
		expect(fresh.unassessedRecommendationIds).toEqual(
			order.filter((id) => fresh.unassessedRecommendationIds.includes(id))
		);

		// Time moves on.
		const lastSync = Date.parse(unmogip.lastSyncAt!);
		const day = 24 * 60 * 60 * 1000;
		const at = async (ms: number) =>
			(await hqFreshness(suite().db, dataset, new Date(ms))).missions.find(
				(m) => m.mission.code === 'UNMOGIP'
			)!;
		expect((await at(lastSync + 13 * day)).stale).toBe(false);
		expect((await at(lastSync + 14 * day)).stale).toBe(false);
		expect((await at(lastSync + 14 * day + 1)).stale).toBe(true);
	});

	describe('activity', () => {
		afterEach(() => vi.useRealTimers());

		it('counts applied versions per ISO week by progress status, quiet weeks as zeros', async () => {
			const device = await enrolDevice(suite().db, { mission: 'UNDOF' });
			const entry = annotation(device, { recommendationId: 'a78-19-p44', status: 'in-progress' });
			vi.useFakeTimers({ toFake: ['Date'] });
			vi.setSystemTime(new Date('2025-01-08T10:00:00Z')); // Wednesday of 2025-W02
			await record(device, [entry]);
			vi.setSystemTime(new Date('2025-01-12T23:59:00Z')); // Sunday, same week
			await record(device, [{ ...entry, status: 'implemented', revision: 1 }]);
			vi.setSystemTime(new Date('2025-01-20T00:00:00Z')); // Monday of 2025-W04
			await sync.pushOk(device, [
				mutation(
					device,
					{ ...entry, status: 'implemented', deleted: true, revision: 2 },
					{
						op: 'delete',
						baseRevision: 2
					}
				)
			]);
			vi.useRealTimers();

			const response = await get('/api/v1/hq/activity?mission=UNDOF', viewer);
			expect(response.status).toBe(200);
			const activity = hqActivitySchema.parse(await bodyOf(response));
			expect(activity).toMatchObject({ mission: 'UNDOF', truncated: false });
			expect(
				activity.weeks.map((w) => [
					w.week,
					w.weekStart,
					w.byStatus['in-progress'],
					w.byStatus.implemented,
					w.deletions,
					w.total
				])
			).toEqual([
				['2025-W02', '2025-01-06', 1, 1, 0, 2],
				['2025-W03', '2025-01-13', 0, 0, 0, 0],
				['2025-W04', '2025-01-20', 0, 0, 1, 1]
			]);

			const all = hqActivitySchema.parse(await bodyOf(await get('/api/v1/hq/activity', viewer)));
			expect(all.mission).toBeNull();
			const total = all.weeks.reduce((sum, w) => sum + w.total, 0);
			const rows = await suite().db.selectFrom('annotation_history').select('revision').execute();
			expect(total).toBe(rows.length);
		});
	});

	it('refuses unknown or malformed query parameters with 400 naming them', async () => {
		const cases: [string, string][] = [
			['/api/v1/hq/matrix?mission=UNMISS', '`mission`'],
			['/api/v1/hq/freshness?now=2025-01-01', '`now`'],
			['/api/v1/hq/conflicts?mission=unmiss', '`mission`'],
			['/api/v1/hq/activity?mission=UNMISS&mission=UNIFIL', '`mission`'],
			['/api/v1/hq/recommendations/a78-19-p38?full=1', '`full`']
		];
		for (const [path, named] of cases) {
			const message = await expectError(await get(path, viewer), 400, 'invalid-query');
			expect(message, path).toContain(named);
		}
	});
});

describe('the current-entry rule', () => {
	it('orders entries exactly as the device does', () => {
		const days = ['2025-01-01', '2025-01-02'];
		const times = [
			'2025-01-01T10:00:00.000Z',
			'2025-01-01T10:00:00.000+00:00',
			'2025-01-02T09:00:00Z'
		];
		const entries: Pick<Annotation, 'progressDate' | 'updatedAt' | 'id'>[] = [];
		for (const progressDate of days)
			for (const updatedAt of times)
				for (let i = 0; i < 2; i++)
					entries.push({ progressDate, updatedAt, id: uuidv7(1_700_000_000_000 + i) });
		for (const a of entries) {
			for (const b of entries) {
				expect(Math.sign(compareNewestFirst(a, b))).toBe(
					Math.sign(deviceCompareNewestFirst(a as Annotation, b as Annotation))
				);
			}
		}
	});
});

describe('ISO weeks', () => {
	it('labels weeks by the year of their Thursday', () => {
		const cases: [string, string, string][] = [
			['2025-01-08T10:00:00Z', '2025-01-06', '2025-W02'],
			['2024-12-30T00:00:00Z', '2024-12-30', '2025-W01'],
			['2027-01-01T12:00:00Z', '2026-12-28', '2026-W53'],
			['2021-01-03T23:59:59Z', '2020-12-28', '2020-W53'],
			['2024-12-29T23:59:59Z', '2024-12-23', '2024-W52']
		];
		for (const [at, monday, label] of cases) {
			const start = isoWeekStart(new Date(at));
			expect(start.toISOString().slice(0, 10), at).toBe(monday);
			expect(isoWeekLabel(start), at).toBe(label);
		}
	});
});
