import { Migrator, type Kysely, type Migration } from 'kysely';
import * as initial from './migrations/0001_initial';

/**
 * Every migration the code knows, in order. Imported statically: the server is bundled by Vite,
 * so there is no migrations folder to read at run time. Add new ones at the end, never rename.
 */
export const MIGRATIONS: Record<string, Migration> = {
	'0001_initial': initial
};

const MIGRATION_TABLE = 'kysely_migration';

export class DatabaseNewerThanCodeError extends Error {
	constructor(
		readonly unknown: string[],
		where: string
	) {
		super(
			`The database (${where}) has migrations this version of FieldMatrix does not know: ` +
				`${unknown.join(', ')}. It was used by a newer version. Refusing to start: run the ` +
				'newer version, or restore a backup taken with this one (then `npm run admin -- new-epoch`).'
		);
		this.name = 'DatabaseNewerThanCodeError';
	}
}

/** Names of the migrations applied to this database (none for a new one). */
export async function appliedMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
	const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
	if (!tables.some((table) => table.name === MIGRATION_TABLE)) return [];
	const rows = await (db as unknown as Kysely<{ kysely_migration: { name: string } }>)
		.selectFrom(MIGRATION_TABLE)
		.select('name')
		.orderBy('name')
		.execute();
	return rows.map((row) => row.name);
}

/**
 * Brings the database up to the code's latest migration, all pending ones in one transaction
 * (with their bookkeeping rows, on both databases), under Kysely's migration lock so several
 * processes starting together on one PostgreSQL do not race. Refuses a database that has
 * applied a migration the code does not know. Returns the names it applied.
 */
export async function migrate<DB>(
	db: Kysely<DB>,
	where: string,
	migrations: Record<string, Migration> = MIGRATIONS
): Promise<string[]> {
	const unknown = (await appliedMigrations(db)).filter((name) => !(name in migrations));
	if (unknown.length > 0) throw new DatabaseNewerThanCodeError(unknown, where);

	const migrator = new Migrator({
		db,
		provider: { getMigrations: () => Promise.resolve(migrations) }
	});
	const { error, results } = await migrator.migrateToLatest();
	if (error) {
		// Another process may have applied a newer migration between our check and the lock.
		const again = (await appliedMigrations(db)).filter((name) => !(name in migrations));
		if (again.length > 0) throw new DatabaseNewerThanCodeError(again, where);
		const failed = results?.find((result) => result.status === 'Error')?.migrationName;
		throw new Error(`Migration ${failed ?? ''} failed on ${where}: ${String(error)}`, {
			cause: error
		});
	}
	return (results ?? []).map((result) => result.migrationName);
}
