import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, sqliteBackend } from './backends';
import { failureReport, runScenario, type ScenarioOptions } from './faults/scenario';

/**
 * Fault injection, the quick set: seeded scenarios (tests/server/faults/scenario.ts says what
 * one does and which faults strike) on every backend, each followed by the invariant checks.
 * A failure prints its seed and steps; `FAULT_SEED=<n> npm run test:soak` replays one, and
 * `npm run test:soak` runs a thousand.
 */

const QUICK = Number(process.env.FAULT_QUICK_SCENARIOS ?? 20);
/** The quick set's seeds; the soak's start at 1000. */
const seeds = Array.from({ length: QUICK }, (_, i) => 1 + i);

describe.each(backends)('fault injection [$name]', (backend) => {
	describe.skipIf(backend.skip)(backend.name, () => {
		it.each(seeds)('seed %i: nothing lost or duplicated, every device converged', async (seed) => {
			const result = await runScenario({ seed, backend });
			expect(result.failures, failureReport(result)).toEqual([]);
			expect(result).toMatchObject({ lost: 0, duplicated: 0, converged: true });
		});

		/*
		 * Restore from a backup: seed 29 loses, with the restore, a change of d0's written at step
		 * 2 and acknowledged at step 6 (restored away at step 7). Before epoch recovery
		 * (client/sync/epoch-recovery.ts) the device never sent it again and it was lost for good.
		 */
		it('seed 29, pushes acknowledged between backup and restore: nothing lost', async () => {
			const result = await runScenario({ seed: 29, backend });
			expect(result.faults.restore, failureReport(result)).toBe(1);
			expect(result.failures, failureReport(result)).toEqual([]);
		});
	});
});

/** Each check, shown to fail when the state it guards is broken on purpose. */
describe('the invariant checks catch', () => {
	/** Seed 11 (SQLite) ends with entries, edits, deletes and open conflicts. */
	async function broken(beforeCheck: ScenarioOptions['beforeCheck']) {
		const result = await runScenario({ seed: 11, backend: sqliteBackend, beforeCheck });
		expect(result.conflicts).toBeGreaterThan(0);
		return result;
	}

	it('a saved change missing on the server (lost)', async () => {
		const result = await broken(async (server) => {
			const row = await server.db
				.selectFrom('annotation_history')
				.select(['annotation_id', 'revision'])
				.orderBy('revision', 'desc')
				.executeTakeFirstOrThrow();
			await server.db
				.deleteFrom('annotation_history')
				.where('annotation_id', '=', row.annotation_id)
				.where('revision', '=', row.revision)
				.execute();
		});
		expect(result.lost).toBe(1);
		expect(result.failures).toContainEqual(expect.stringMatching(/^LOST: .* is not on the server/));
	});

	it('a saved change the server holds twice (duplicated)', async () => {
		const result = await broken(async (server) => {
			await sql`insert into annotation_history (annotation_id, revision, mission, data, device_id, mutation_id, op_id, applied_at)
				select annotation_id, revision + 100, mission, data, device_id, mutation_id, op_id, applied_at
				from annotation_history where revision = 1 limit 1`.execute(server.db);
		});
		expect(result.duplicated).toBe(1);
		expect(result.failures).toContainEqual(expect.stringMatching(/^DUPLICATED: /));
	});

	it('a device that does not hold the server’s version (not converged)', async () => {
		const result = await broken(async (_server, devices) => {
			const entry = await devices[0].annotations.toCollection().first();
			await devices[0].annotations.update(entry!.id, { note: 'changed behind sync’s back' });
		});
		expect(result.converged).toBe(false);
		expect(result.failures).toContainEqual(expect.stringMatching(/^d0: entry .* differs/));
	});

	it('an entry a device holds that the server lacks, and one it lacks', async () => {
		const result = await broken(async (server, devices) => {
			const entry = await devices[0].annotations.toCollection().first();
			await server.db
				.deleteFrom('annotation_history')
				.where('annotation_id', '=', entry!.id)
				.execute();
			await server.db.deleteFrom('change_log').where('entity_id', '=', entry!.id).execute();
			await server.db.deleteFrom('annotations').where('id', '=', entry!.id).execute();
			const other = await devices[1].annotations.filter((e) => e.id !== entry!.id).first();
			await devices[1].annotations.delete(other!.id);
		});
		expect(result.failures).toContainEqual(
			expect.stringMatching(/^d0: holds entry .* the server lacks/)
		);
		expect(result.failures).toContainEqual(expect.stringMatching(/^d1: lacks entry /));
		expect(result.failures).toContainEqual(
			expect.stringMatching(/^LOST: entry .* is not on the server/)
		);
	});

	it('an outbox left non-empty', async () => {
		const result = await broken(async (_server, devices) => {
			await devices[1].outbox.add({
				...(await devices[1].history.toCollection().first())!.snapshot,
				mutationId: 999
			} as never);
		});
		expect(result.failures).toContainEqual('d1: 1 row(s) left in outbox');
	});

	it('a conflict resolved without a decision, and one a device never got', async () => {
		const result = await broken(async (server, devices) => {
			const open = await server.db
				.selectFrom('conflicts')
				.select('id')
				.where('resolved_at', 'is', null)
				.executeTakeFirstOrThrow();
			await server.db
				.updateTable('conflicts')
				.set({ resolved_at: new Date().toISOString() })
				.where('id', '=', open.id)
				.execute();
			const seen = await devices[0].conflicts.toCollection().first();
			await devices[0].conflicts.delete(seen!.id);
		});
		expect(result.failures).toContainEqual(expect.stringMatching(/resolved without a decision/));
		expect(result.failures).toContainEqual(
			expect.stringMatching(/is open here, resolved on the server/)
		);
		expect(result.failures).toContainEqual(
			expect.stringMatching(/^d0: conflict .* is not visible/)
		);
	});
});
