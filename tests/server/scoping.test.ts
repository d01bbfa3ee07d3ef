import { expect, it } from 'vitest';
import { apiErrorSchema } from '../../src/lib/shared/sync';
import {
	annotation,
	describeEachBackend,
	enrolDevice,
	mutation,
	snapshot,
	syncClient
} from './fixtures';

describeEachBackend('mission scoping', (suite) => {
	const sync = syncClient(suite);

	async function missions() {
		const a = await enrolDevice(suite().db, { mission: 'UNMISS', name: 'Juba' });
		const b = await enrolDevice(suite().db, { mission: 'UNIFIL', name: 'Naqoura' });
		const entryA = annotation(a);
		const entryB = annotation(b);
		await sync.pushOk(a, [mutation(a, entryA, { op: 'create' })]);
		await sync.pushOk(b, [mutation(b, entryB, { op: 'create' })]);
		return { a, b, entryA, entryB };
	}

	async function expectForbidden(
		response: { status: number; body: unknown },
		error = 'other-mission'
	) {
		expect(response.status).toBe(403);
		expect(apiErrorSchema.parse(response.body).error).toBe(error);
	}

	it('refuses, with 403 and no change, a focal point writing another mission’s entry', async () => {
		const { a, entryB } = await missions();
		const before = await snapshot(suite().db);
		// An entry for mission B, alone or hidden among good ones.
		const foreign = annotation(a, { mission: 'UNIFIL' });
		await expectForbidden(await sync.push(a, [mutation(a, foreign, { op: 'create' })]));
		await expectForbidden(
			await sync.push(a, [
				mutation(a, annotation(a), { op: 'create' }),
				mutation(a, annotation(a, { mission: 'UNIFIL' }), { op: 'create' })
			])
		);
		// Mission B's existing entry, relabelled as mission A's.
		const hijack = { ...entryB, mission: 'UNMISS' as const, deviceId: a.id, note: 'mine now' };
		await expectForbidden(await sync.push(a, [mutation(a, hijack, { baseRevision: 1 })]));
		expect(await snapshot(suite().db)).toEqual(before);
	});

	it('refuses a focal point reading another mission, and shows it only its own', async () => {
		const { a, entryA, entryB } = await missions();
		await expectForbidden(await sync.pull(a, { mission: 'UNIFIL' }));
		const { changes } = await sync.pullAll(a);
		const ids = changes.flatMap((c) => (c.kind === 'annotation' ? [c.annotation.id] : []));
		expect(ids).toContain(entryA.id);
		expect(ids).not.toContain(entryB.id);
		expect(changes.every((c) => c.kind !== 'annotation' || c.annotation.mission === 'UNMISS')).toBe(
			true
		);
	});

	it('lets an HQ viewer read every mission (or one) and write nothing', async () => {
		const { entryA, entryB } = await missions();
		const viewer = await enrolDevice(suite().db, { role: 'hq-viewer', mission: null });
		const all = (await sync.pullAll(viewer)).changes.flatMap((c) =>
			c.kind === 'annotation' ? [c.annotation.id] : []
		);
		expect(all).toEqual(expect.arrayContaining([entryA.id, entryB.id]));
		const onlyB = (await sync.pullAll(viewer, { mission: 'UNIFIL' })).changes;
		expect(onlyB.every((c) => c.kind !== 'annotation' || c.annotation.mission === 'UNIFIL')).toBe(
			true
		);
		expect(onlyB.some((c) => c.kind === 'annotation' && c.annotation.id === entryB.id)).toBe(true);

		const admin = await enrolDevice(suite().db, { role: 'admin', mission: null });
		const before = await snapshot(suite().db);
		const attempt = annotation(viewer, { mission: 'UNMISS' });
		await expectForbidden(
			await sync.push(viewer, [mutation(viewer, attempt, { op: 'create' })]),
			'read-only'
		);
		await expectForbidden(
			await sync.push(admin, [mutation(admin, annotation(admin), { op: 'create' })]),
			'read-only'
		);
		expect(await snapshot(suite().db)).toEqual(before);
	});

	it('refuses a push naming another device than the token’s', async () => {
		const { a, b } = await missions();
		const before = await snapshot(suite().db);
		const response = await sync.push(a, [mutation(a, annotation(a), { op: 'create' })], b.id);
		await expectForbidden(response, 'wrong-device');
		expect(await snapshot(suite().db)).toEqual(before);
	});

	it('makes a retired mission read-only', async () => {
		const device = await enrolDevice(suite().db, { mission: 'UNTSO' });
		await suite()
			.db.updateTable('missions')
			.set({ retired_at: new Date().toISOString() })
			.where('code', '=', 'UNTSO')
			.execute();
		await expectForbidden(
			await sync.push(device, [mutation(device, annotation(device), { op: 'create' })]),
			'mission-retired'
		);
		expect((await sync.pull(device)).status).toBe(200);
	});
});
