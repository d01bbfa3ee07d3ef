import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
	CompiledQuery,
	Kysely,
	PostgresAdapter,
	PostgresDialect,
	SqliteDialect,
	SqliteDriver,
	type DatabaseConnection,
	type SqliteDialectConfig
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { SqliteWorkerDialect, TransactionalSqliteAdapter } from './sqlite-worker-dialect';

/** Where the data lives when DATABASE_URL is not set: a file beside the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/fieldmatrix.sqlite';

export type DatabaseTarget =
	{ kind: 'sqlite'; path: string } | { kind: 'postgres'; connectionString: string };

export interface DatabaseHandle {
	db: Kysely<Database>;
	kind: DatabaseTarget['kind'];
	/** Safe to print: no password. */
	description: string;
}

/** `sqlite:<path>`, `sqlite::memory:`, or `postgres://…` / `postgresql://…`. */
export function parseDatabaseUrl(url: string = DEFAULT_DATABASE_URL): DatabaseTarget {
	if (url.startsWith('sqlite:')) {
		const path = url.slice('sqlite:'.length);
		if (!path) throw new Error('DATABASE_URL: `sqlite:` needs a path, e.g. sqlite:data/db.sqlite');
		return { kind: 'sqlite', path };
	}
	if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', connectionString: url };
	throw new Error(
		'DATABASE_URL must be `sqlite:<path>`, `sqlite::memory:` or `postgres://user@host/db`.'
	);
}

export function describeTarget(target: DatabaseTarget): string {
	if (target.kind === 'sqlite') return `SQLite ${target.path}`;
	const url = new URL(target.connectionString);
	return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/**
 * `BEGIN IMMEDIATE`: a transaction takes the write lock up front (waiting up to busy_timeout),
 * so one that reads and then writes cannot fail half-way because another process (the admin
 * command) wrote in between.
 */
class ImmediateSqliteDriver extends SqliteDriver {
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}
}

class FieldMatrixSqliteDialect extends SqliteDialect {
	constructor(private readonly config: SqliteDialectConfig) {
		super(config);
	}
	override createDriver() {
		return new ImmediateSqliteDriver(this.config);
	}
	override createAdapter() {
		return new TransactionalSqliteAdapter();
	}
}

function openSqlite(path: string): SqliteDatabase.Database {
	if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	const sqlite = new SqliteDatabase(path);
	if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
	// An acknowledged push must survive a power cut: the device forgets what we acknowledged.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	// The admin command is a second process on the same file: wait for it, do not fail.
	sqlite.pragma('busy_timeout = 5000');
	return sqlite;
}

const INT8_OID = 20;

/**
 * bigint columns hold sequences and mutation ids, all below 2^53: read them as numbers, on this
 * pool only (not through pg's global type registry).
 */
const pgTypes = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === INT8_OID && format !== 'binary'
			? (value: string) => Number(value)
			: pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser
};

export function connect(url?: string, options: { poolSize?: number } = {}): DatabaseHandle {
	const target = parseDatabaseUrl(url);
	const description = describeTarget(target);
	if (target.kind === 'sqlite') {
		const sqlite = openSqlite(target.path);
		if (target.path === ':memory:') {
			// One connection is the whole database: no second thread can share it.
			return {
				db: new Kysely<Database>({ dialect: new FieldMatrixSqliteDialect({ database: sqlite }) }),
				kind: 'sqlite',
				description
			};
		}
		// Writes on a worker thread (sqlite-writer.ts); this connection only reads.
		sqlite.pragma('query_only = ON');
		return {
			db: new Kysely<Database>({ dialect: new SqliteWorkerDialect(target.path, sqlite) }),
			kind: 'sqlite',
			description
		};
	}
	const pool = new pg.Pool({
		connectionString: target.connectionString,
		max: options.poolSize ?? 10,
		types: pgTypes
	});
	// An idle connection that fails (PostgreSQL restarted, or a closing pool's connection cut
	// off) makes the pool emit 'error'; unheard, that would end the process. The pool drops the
	// connection and opens another when needed.
	pool.on('error', (error) => {
		if (!pool.ending) console.error('FieldMatrix: an idle PostgreSQL connection failed:', error);
	});
	return {
		db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
		kind: 'postgres',
		description
	};
}

/** Unique-key violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
	if (!error || typeof error !== 'object' || !('code' in error)) return false;
	const code = String(error.code);
	return (
		code === '23505' ||
		code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
		code === 'SQLITE_CONSTRAINT_UNIQUE'
	);
}

/** True on PostgreSQL (row locks, `for update`), false on SQLite (one writer at a time). */
export function isPostgres<DB>(db: Kysely<DB>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}
