import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Migration } from 'kysely';
import type { DatabaseHandle } from '../../src/lib/server/db/connection';
import { openDatabase } from '../../src/lib/server/db/open';
import { POSTGRES_ADMIN_URL, postgresReachable, scratchDatabase } from '../postgres-admin';

/**
 * The databases every server suite runs against: a temporary SQLite file and a fresh PostgreSQL
 * database (created per suite, dropped after). PostgreSQL at TEST_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/test); when unreachable its suites are skipped with a
 * warning, or fail with REQUIRE_POSTGRES=1.
 */

export const postgresAvailable = await postgresReachable();
if (!postgresAvailable) {
	const message = `PostgreSQL is unreachable at ${new URL(POSTGRES_ADMIN_URL).host}`;
	if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`${message} and REQUIRE_POSTGRES=1.`);
	console.warn(
		`\n⚠️  ${message}: the PostgreSQL server suites are SKIPPED (REQUIRE_POSTGRES=1 makes this fail).\n`
	);
}

export interface TestDatabase {
	url: string;
	/** Another connection (pool) to the same database, as a second process would have. */
	open(options?: { migrations?: Record<string, Migration> }): Promise<DatabaseHandle>;
	/** Removes the database; close the handles first. */
	drop(): Promise<void>;
}

export interface Backend {
	name: 'sqlite' | 'postgres';
	skip: boolean;
	create(): Promise<TestDatabase>;
}

export const sqliteBackend: Backend = {
	name: 'sqlite',
	skip: false,
	async create() {
		const dir = mkdtempSync(join(tmpdir(), 'fieldmatrix-test-'));
		const url = `sqlite:${join(dir, 'data', 'fieldmatrix.sqlite')}`;
		return {
			url,
			open: (options) => openDatabase(url, options),
			drop: async () => rmSync(dir, { recursive: true, force: true })
		};
	}
};

export const postgresBackend: Backend = {
	name: 'postgres',
	skip: !postgresAvailable,
	async create() {
		const database = await scratchDatabase('fieldmatrix_test');
		return {
			url: database.url,
			open: (options) => openDatabase(database.url, options),
			drop: database.drop
		};
	}
};

export const backends: Backend[] = [sqliteBackend, postgresBackend];
