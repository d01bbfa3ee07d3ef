import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Migration } from 'kysely';
import type { DatabaseHandle } from '../../src/lib/server/db/connection';
import { openDatabase } from '../../src/lib/server/db/open';

/**
 * The databases every server suite runs against: a temporary SQLite file and a fresh PostgreSQL
 * database (created per suite, dropped after). PostgreSQL at TEST_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/test); when unreachable its suites are skipped with a
 * warning, or fail with REQUIRE_POSTGRES=1.
 */

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
	const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
		await client.query('select 1');
		return true;
	} catch {
		return false;
	} finally {
		await client.end().catch(() => undefined);
	}
}

export const postgresAvailable = await postgresReachable();
if (!postgresAvailable) {
	const message = `PostgreSQL is unreachable at ${new URL(ADMIN_URL).host}`;
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

async function adminQuery(text: string): Promise<{ n?: number }[]> {
	const client = new pg.Client({ connectionString: ADMIN_URL });
	await client.connect();
	try {
		return (await client.query<{ n?: number }>(text)).rows;
	} finally {
		await client.end();
	}
}

/**
 * pg's pool resolves `end()` before its sockets are closed; dropping the database under a closing
 * connection terminates it with an error nobody listens to any more. Waits (2 s at most) until
 * the server has let every connection of `name` go.
 */
async function connectionsGone(name: string): Promise<void> {
	for (let attempt = 0; attempt < 100; attempt++) {
		const [row] = await adminQuery(
			`select count(*)::int as n from pg_stat_activity where datname = '${name}'`
		);
		if (row?.n === 0) return;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
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
		const name = `fieldmatrix_test_${randomBytes(6).toString('hex')}`;
		await adminQuery(`create database ${name}`);
		const url = new URL(ADMIN_URL);
		url.pathname = `/${name}`;
		return {
			url: url.toString(),
			open: (options) => openDatabase(url.toString(), options),
			drop: async () => {
				await connectionsGone(name);
				await adminQuery(`drop database if exists ${name} with (force)`);
			}
		};
	}
};

export const backends: Backend[] = [sqliteBackend, postgresBackend];
