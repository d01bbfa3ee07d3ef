import { expect, it } from 'vitest';
import { pull, pullJson } from '../../src/lib/server/sync/pull';
import { push } from '../../src/lib/server/sync/push';
import { annotation, describeEachBackend, enrolDevice, mutation } from './fixtures';

/**
 * Pushes that overlap: on SQLite they share commits (the writer thread's groups), on PostgreSQL
 * they run side by side until the change-log lock (push.ts, steps 3 and 7). Each keeps its own
 * answer either way.
 */
describeEachBackend('concurrent pushes', (suite) => {
	it('fails one push alone (403, nothing kept) while the pushes beside it are applied', async () => {
		const db = suite().db;
		const other = await enrolDevice(db, { mission: 'MINUSMA' });
		const foreign = annotation(other);
		await push(db, other.device, {
			deviceId: other.id,
			mutations: [mutation(other, foreign, { op: 'create' })]
		});

		const devices = await Promise.all(
			Array.from({ length: 6 }, () => enrolDevice(db, { mission: 'UNMISS' }))
		);
		const outcomes = await Promise.allSettled(
			devices.map((device, i) => {
				const entries = Array.from({ length: 5 }, () => annotation(device));
				const mutations = entries.map((e) => mutation(device, e, { op: 'create' }));
				// The fourth push also writes MINUSMA's entry under its own mission: step 5e.
				if (i === 3)
					mutations.push(mutation(device, { ...foreign, mission: 'UNMISS', deviceId: device.id }));
				return push(db, device.device, { deviceId: device.id, mutations });
			})
		);

		expect(outcomes.map((o) => o.status)).toEqual([
			'fulfilled',
			'fulfilled',
			'fulfilled',
			'rejected',
			'fulfilled',
			'fulfilled'
		]);
		expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({
			status: 403,
			code: 'other-mission'
		});
		for (const [i, outcome] of outcomes.entries()) {
			if (outcome.status !== 'fulfilled') continue;
			expect(outcome.value.results.map((r) => r.status)).toEqual(Array(5).fill('applied'));
			expect(outcome.value.lastAppliedMutationId).toBe(5);
			const settled = await db
				.selectFrom('devices')
				.select('last_applied_mutation_id')
				.where('id', '=', devices[i].id)
				.executeTakeFirstOrThrow();
			expect(Number(settled.last_applied_mutation_id)).toBe(5);
		}
		const failed = devices[3];
		const kept = await db
			.selectFrom('processed_ops')
			.select('op_id')
			.where('device_id', '=', failed.id)
			.execute();
		expect(kept).toEqual([]);
		const log = await db.selectFrom('change_log').select('seq').orderBy('seq').execute();
		// Gap-free: the failed push took no sequence numbers.
		expect(log.map((row) => Number(row.seq))).toEqual(log.map((_, i) => i + 1));
	});

	it('keeps one version when two devices create the same entry at once; the other is a conflict', async () => {
		const db = suite().db;
		const [a, b] = await Promise.all([
			enrolDevice(db, { mission: 'UNFICYP' }),
			enrolDevice(db, { mission: 'UNFICYP' })
		]);
		const entry = annotation(a);
		const responses = await Promise.all(
			[a, b].map((device) =>
				push(db, device.device, {
					deviceId: device.id,
					mutations: [mutation(device, { ...entry, deviceId: device.id }, { op: 'create' })]
				})
			)
		);
		const statuses = responses.map((r) => r.results[0].status).sort();
		expect(statuses).toEqual(['applied', 'conflict']);
		const row = await db
			.selectFrom('annotations')
			.select('revision')
			.where('id', '=', entry.id)
			.executeTakeFirstOrThrow();
		expect(Number(row.revision)).toBe(1);
	});

	it('answers a pull as JSON text equal to the parsed page, conflicts included', async () => {
		const db = suite().db;
		const [a, b] = await Promise.all([
			enrolDevice(db, { mission: 'UNIFIL' }),
			enrolDevice(db, { mission: 'UNIFIL' })
		]);
		const entry = annotation(a, { note: 'Quotes " and \\ and émigré ✓' });
		await push(db, a.device, {
			deviceId: a.id,
			mutations: [mutation(a, entry, { op: 'create' })]
		});
		const edited = { ...entry, deviceId: b.id, note: 'Edited', revision: 0 };
		const conflict = await push(db, b.device, {
			deviceId: b.id,
			mutations: [mutation(b, edited, { baseRevision: 0 }), mutation(b, annotation(b))]
		});
		expect(conflict.results.map((r) => r.status)).toContain('applied');

		for (const query of [{}, { limit: 1 }]) {
			const json = await pullJson(db, a.device, query);
			expect(JSON.parse(json.toString('utf8'))).toEqual(await pull(db, a.device, query));
		}
		const page = await pull(db, a.device, {});
		expect(page.changes.map((c) => c.kind)).toContain('annotation');
	});
});
