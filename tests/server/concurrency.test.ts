import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Change, MutationResult } from '../../src/lib/shared/sync';
import type { Database } from '../../src/lib/server/db/schema';
import { enrol } from '../../src/lib/server/auth/enrolment';
import { createEnrolmentCode } from '../../src/lib/server/admin/codes';
import { pull } from '../../src/lib/server/sync/pull';
import { push } from '../../src/lib/server/sync/push';
import {
	ACTOR,
	annotation,
	describeEachBackend,
	enrolDevice,
	mutation,
	type TestDevice,
	changeId
} from './fixtures';

const DEVICES = 20;
const MUTATIONS = 50;
const BATCH = 10;

describeEachBackend('concurrency', (suite) => {
	/**
	 * Two pools on PostgreSQL, as two server processes would have; SQLite has one connection per
	 * process, so there the pushes interleave on it.
	 */
	async function pools(): Promise<[Kysely<Database>, Kysely<Database>, () => Promise<void>]> {
		if (suite().backend.name === 'sqlite') return [suite().db, suite().db, async () => undefined];
		const second = await suite().database.open();
		return [suite().db, second.db, () => second.db.destroy()];
	}

	it(`${DEVICES} devices × ${MUTATIONS} mutations in parallel: a concurrent pull misses nothing`, async () => {
		const [poolA, poolB, close] = await pools();
		try {
			const missions = ['MINUSCA', 'MONUSCO'];
			const devices: TestDevice[] = [];
			for (let i = 0; i < DEVICES; i++) {
				devices.push(await enrolDevice(suite().db, { mission: missions[i % 2], name: `d${i}` }));
			}
			const viewer = await enrolDevice(suite().db, { role: 'hq-viewer', mission: null });

			const applied = new Set<string>();
			let pushing = true;
			const pushers = devices.map(async (device, i) => {
				const db = i % 2 === 0 ? poolA : poolB;
				for (let sent = 0; sent < MUTATIONS; sent += BATCH) {
					const entries = Array.from({ length: BATCH }, () => annotation(device));
					const batch = entries.map((e) => mutation(device, e, { op: 'create' }));
					const response = await push(db, device.device, { deviceId: device.id, mutations: batch });
					response.results.forEach((result: MutationResult, k) => {
						if (result.status !== 'applied') throw new Error(JSON.stringify(result));
						applied.add(entries[k].id);
					});
				}
			});

			// Pulls all along, through the other pool, with small pages.
			const seen: Change[] = [];
			let cursor: string | undefined;
			const pullPage = async () => {
				const page = await pull(poolB, viewer.device, { cursor, limit: 37 });
				seen.push(...page.changes);
				cursor = page.cursor;
				return page;
			};
			const puller = (async () => {
				while (pushing) {
					await pullPage();
					await new Promise((resolve) => setTimeout(resolve, 5));
				}
			})();
			await Promise.all(pushers);
			pushing = false;
			await puller;
			while ((await pullPage()).hasMore);

			expect(applied.size).toBe(DEVICES * MUTATIONS);
			const ids = seen.map(changeId);
			expect(new Set(ids).size).toBe(ids.length);
			expect(new Set(ids)).toEqual(applied);
			const seqs = seen.map((c) => c.seq);
			expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);

			const settled = await poolA
				.selectFrom('devices')
				.select('last_applied_mutation_id')
				.where('role', '=', 'focal-point')
				.execute();
			expect(settled.map((d) => Number(d.last_applied_mutation_id))).toEqual(
				Array<number>(DEVICES).fill(MUTATIONS)
			);
		} finally {
			await close();
		}
	});

	it('loses no update when devices change the same entries at once', async () => {
		const [poolA, poolB, close] = await pools();
		try {
			const devices: TestDevice[] = [];
			for (let i = 0; i < 8; i++)
				devices.push(await enrolDevice(suite().db, { mission: 'UNISFA' }));
			const entries = Array.from({ length: 4 }, () => annotation(devices[0]));
			await push(poolA, devices[0].device, {
				deviceId: devices[0].id,
				mutations: entries.map((e) => mutation(devices[0], e, { op: 'create' }))
			});
			// Everyone edits every entry on top of revision 1, at once.
			const responses = await Promise.all(
				devices.slice(1).map((device, i) =>
					push(i % 2 ? poolA : poolB, device.device, {
						deviceId: device.id,
						mutations: entries.map((e) =>
							mutation(
								device,
								{ ...e, deviceId: device.id, note: `by ${i}`, revision: 1 },
								{
									baseRevision: 1
								}
							)
						)
					})
				)
			);
			const results = responses.flatMap((r) => r.results);
			// Per entry: one edit applied (revision 2), the six others kept as conflicts.
			expect(results.filter((r) => r.status === 'applied')).toHaveLength(entries.length);
			expect(results.filter((r) => r.status === 'conflict')).toHaveLength(entries.length * 6);
			const conflicts = await poolA
				.selectFrom('conflicts')
				.select('annotation_id')
				.where('mission', '=', 'UNISFA')
				.execute();
			expect(conflicts).toHaveLength(entries.length * 6);
			const rows = await poolA
				.selectFrom('annotations')
				.select(['revision'])
				.where('mission', '=', 'UNISFA')
				.execute();
			expect(rows.map((r) => r.revision)).toEqual(Array<number>(entries.length).fill(2));
		} finally {
			await close();
		}
	});

	it('lets one of many redemptions of a code win across two pools', async () => {
		const [poolA, poolB, close] = await pools();
		try {
			const { code } = await createEnrolmentCode(
				suite().db,
				{ role: 'focal-point', mission: 'UNMIK' },
				ACTOR
			);
			const attempts = await Promise.allSettled(
				Array.from({ length: 8 }, (_, i) =>
					enrol(i % 2 ? poolA : poolB, {
						code,
						deviceId: crypto.randomUUID(),
						displayName: `racer ${i}`
					})
				)
			);
			expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
			for (const attempt of attempts) {
				if (attempt.status === 'rejected') {
					expect(attempt.reason).toMatchObject({ status: 410, code: 'code-used' });
				}
			}
		} finally {
			await close();
		}
	});
});
