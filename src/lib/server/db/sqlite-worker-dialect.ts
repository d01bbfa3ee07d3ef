import type SqliteDatabase from 'better-sqlite3';
import {
	SqliteAdapter,
	SqliteIntrospector,
	SqliteQueryCompiler,
	type CompiledQuery,
	type DatabaseConnection,
	type Dialect,
	type Driver,
	type Kysely,
	type QueryResult
} from 'kysely';
import { SqliteWriter, type WriteUnit } from './sqlite-writer';

/**
 * Kysely on a SQLite file with writes on a worker thread (sqlite-writer.ts). Every transaction
 * and every statement that may write goes to the writer, one unit each; a SELECT outside a
 * transaction runs at once on a second, read-only connection on this thread (WAL: it sees what
 * was committed, never a group still open, and never waits for the writer).
 */

/** SQLite does transactional DDL fine; Kysely is merely cautious. Lets the Migrator use one. */
export class TransactionalSqliteAdapter extends SqliteAdapter {
	override get supportsTransactionalDdl(): boolean {
		return true;
	}
}

const STATEMENT_CACHE = 500;

class ReadConnection {
	#cache = new Map<string, SqliteDatabase.Statement>();
	constructor(private readonly db: SqliteDatabase.Database) {}

	prepare(sql: string): SqliteDatabase.Statement {
		let statement = this.#cache.get(sql);
		if (!statement) {
			if (this.#cache.size >= STATEMENT_CACHE) this.#cache.clear();
			statement = this.db.prepare(sql);
			this.#cache.set(sql, statement);
		}
		return statement;
	}

	all<R>(query: CompiledQuery): QueryResult<R> {
		return { rows: this.prepare(query.sql).all(...query.parameters) as R[] };
	}
}

const isSelect = (query: CompiledQuery) => query.query.kind === 'SelectQueryNode';

class WorkerConnection implements DatabaseConnection {
	unit: WriteUnit | null = null;
	constructor(
		private readonly writer: SqliteWriter,
		private readonly reader: ReadConnection
	) {}

	async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
		if (this.unit) return (await this.unit.query(query.sql, query.parameters)) as QueryResult<R>;
		if (isSelect(query)) return this.reader.all<R>(query);
		const unit = await this.writer.begin();
		let result: QueryResult<R>;
		try {
			result = (await unit.query(query.sql, query.parameters)) as QueryResult<R>;
		} catch (error) {
			await unit.rollback();
			throw error;
		}
		await unit.commit();
		return result;
	}

	async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
		if (this.unit || !isSelect(query)) {
			throw new Error('SQLite: only a SELECT outside a transaction can be streamed');
		}
		for (const row of this.reader.prepare(query.sql).iterate(...query.parameters)) {
			yield { rows: [row as R] };
		}
	}
}

class WorkerDriver implements Driver {
	readonly #writer: SqliteWriter;
	readonly #reader: ReadConnection;
	constructor(
		path: string,
		private readonly readDb: SqliteDatabase.Database
	) {
		this.#writer = new SqliteWriter(path);
		this.#reader = new ReadConnection(readDb);
	}
	async init(): Promise<void> {}
	async acquireConnection(): Promise<DatabaseConnection> {
		return new WorkerConnection(this.#writer, this.#reader);
	}
	async beginTransaction(connection: DatabaseConnection): Promise<void> {
		(connection as WorkerConnection).unit = await this.#writer.begin();
	}
	async commitTransaction(connection: DatabaseConnection): Promise<void> {
		const worker = connection as WorkerConnection;
		const unit = worker.unit;
		worker.unit = null;
		await unit?.commit();
	}
	async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		const worker = connection as WorkerConnection;
		const unit = worker.unit;
		worker.unit = null;
		await unit?.rollback();
	}
	async releaseConnection(): Promise<void> {}
	async destroy(): Promise<void> {
		await this.#writer.close();
		this.readDb.close();
	}
}

export class SqliteWorkerDialect implements Dialect {
	constructor(
		private readonly path: string,
		/** Opened and set up by the caller (WAL); used for reads only. */
		private readonly readDb: SqliteDatabase.Database
	) {}
	createDriver(): Driver {
		return new WorkerDriver(this.path, this.readDb);
	}
	createQueryCompiler() {
		return new SqliteQueryCompiler();
	}
	createAdapter() {
		return new TransactionalSqliteAdapter();
	}
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	createIntrospector(db: Kysely<any>) {
		return new SqliteIntrospector(db);
	}
}
