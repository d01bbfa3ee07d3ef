import { describe, expect, it } from 'vitest';
import type { Kysely, Migration } from 'kysely';
import { MIGRATIONS, appliedMigrations, migrate } from '../../src/lib/server/db/migrate';
import { currentEpoch } from '../../src/lib/server/sync/cursor';
import { backends } from './backends';

/** A migration a later version of the code would ship. */
const future: Migration = {
	async up(db: Kysely<never>) {
		await db.schema.createTable('from_the_future').addColumn('id', 'text').execute();
	}
};

describe.each(backends)('migrations [$name]', (backend) => {
	it.skipIf(backend.skip)(
		'creates a fresh database, re-runs as a no-op, and refuses a newer database',
		async () => {
			const database = await backend.create();
			try {
				// Fresh: every table, one epoch, the report's missions.
				const first = await database.open();
				expect(await appliedMigrations(first.db)).toEqual(Object.keys(MIGRATIONS));
				const epoch = await currentEpoch(first.db);
				expect(epoch).toMatch(/^[A-Za-z0-9_-]{22}$/);
				const missions = await first.db.selectFrom('missions').select('code').execute();
				expect(missions.map((m) => m.code)).toContain('UNMISS');
				const tables = (await first.db.introspection.getTables()).map((t) => t.name);
				for (const table of [
					'devices',
					'enrolment_codes',
					'change_log',
					'audit_log',
					'conflicts'
				]) {
					expect(tables).toContain(table);
				}

				// Re-run: nothing applied, nothing changed.
				expect(await migrate(first.db, 'test')).toEqual([]);
				await first.db.destroy();
				const second = await database.open();
				expect(await currentEpoch(second.db)).toBe(epoch);
				expect(await appliedMigrations(second.db)).toEqual(Object.keys(MIGRATIONS));

				// A newer version of the code migrates further…
				await second.db.destroy();
				const newer = await database.open({
					migrations: { ...MIGRATIONS, '0002_from_the_future': future }
				});
				expect(await appliedMigrations(newer.db)).toContain('0002_from_the_future');
				await newer.db.destroy();

				// …and this version refuses that database, saying why.
				await expect(database.open()).rejects.toThrow(
					/migrations this version of FieldMatrix does not know: 0002_from_the_future/
				);
			} finally {
				await database.drop();
			}
		}
	);

	it.skipIf(backend.skip)(
		'runs a failing migration in a transaction: nothing half-applied',
		async () => {
			const database = await backend.create();
			try {
				const broken: Migration = {
					async up(db: Kysely<never>) {
						await db.schema.createTable('half_done').addColumn('id', 'text').execute();
						throw new Error('boom');
					}
				};
				await expect(
					database.open({ migrations: { ...MIGRATIONS, '0002_broken': broken } })
				).rejects.toThrow(/0002_broken failed/);
				const handle = await database.open();
				const tables = (await handle.db.introspection.getTables()).map((t) => t.name);
				// The whole run rolled back (0001 included), then this open applied 0001 alone.
				expect(tables).not.toContain('half_done');
				expect(await appliedMigrations(handle.db)).toEqual(['0001_initial']);
				await handle.db.destroy();
			} finally {
				await database.drop();
			}
		}
	);
});
