import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite writes on a worker thread, with group commit.
 *
 * better-sqlite3 is synchronous: on the main thread every statement, and the fsync of every
 * commit (`synchronous = FULL`: an acknowledged push must survive a power cut, since the device
 * then drops it from its outbox), stops the event loop that serves every other request. Here
 * one worker thread owns the only connection that writes, and the main thread talks to it by
 * messages, so it keeps serving while the worker runs statements and waits for the disk.
 *
 * Units and groups. A unit is what must commit or fail as a whole: one Kysely transaction, or
 * one write statement outside a transaction. Units run one at a time, each inside its own
 * SAVEPOINT of a group transaction (`begin immediate` … `commit`). When a unit ends and others
 * are waiting, the next runs in the same group; when none is waiting (or the group is full), the
 * group commits. So under load, the units that queued while the previous commit was on its way
 * to the disk share one commit, one fsync. A unit that fails is rolled back to its savepoint
 * alone: the others in its group go on. A unit's caller hears "committed" only once its group's
 * COMMIT has returned, i.e. after the fsync; if the COMMIT fails, every unit of the group fails.
 * If an error aborts the whole group transaction (SQLite does so for I/O errors, a full disk…),
 * the worker refuses the rest of that group, and every unit in it fails.
 *
 * Written as a plain script, run with `eval`: the server is bundled by Vite, which leaves no
 * worker file to point `new Worker(path)` at; the script needs only better-sqlite3, whose path
 * the main thread resolves and hands over.
 */
const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const cache = new Map();
const prepare = (sql) => {
	let statement = cache.get(sql);
	if (!statement) {
		if (cache.size >= 500) cache.clear();
		statement = db.prepare(sql);
		cache.set(sql, statement);
	}
	return statement;
};
// Set when an error rolled back the whole group transaction: the rest of the group fails.
let groupAborted = null;
const ops = {
	begin: () => {
		groupAborted = null;
		db.exec('begin immediate');
	},
	savepoint: () => {
		if (groupAborted) throw groupAborted;
		db.exec('savepoint unit');
	},
	release: () => {
		if (groupAborted) throw groupAborted;
		db.exec('release unit');
	},
	rollback: () => {
		if (!groupAborted && db.inTransaction) db.exec('rollback to unit; release unit');
	},
	commit: () => {
		if (groupAborted) throw groupAborted;
		db.exec('commit');
	},
	query: (message) => {
		if (groupAborted) throw groupAborted;
		const statement = prepare(message.sql);
		if (statement.reader) return { rows: statement.all(message.parameters) };
		const { changes, lastInsertRowid } = statement.run(message.parameters);
		return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
	},
	close: () => db.close()
};
parentPort.on('message', (message) => {
	try {
		parentPort.postMessage({ id: message.id, result: ops[message.op](message) });
	} catch (error) {
		if (message.op !== 'close' && message.op !== 'rollback' && !db.inTransaction && !groupAborted) {
			groupAborted = new Error('an earlier error rolled back this group of writes: ' + error.message);
			groupAborted.code = 'SQLITE_GROUP_ABORTED';
		}
		if (message.op === 'commit' && db.inTransaction) {
			try { db.exec('rollback'); } catch {}
		}
		parentPort.postMessage({
			id: message.id,
			error: { message: String(error && error.message), code: error && error.code }
		});
	}
});
`;

export interface QueryResult {
	rows: Record<string, unknown>[];
	numAffectedRows?: bigint;
	insertId?: bigint;
}

type Operation = 'begin' | 'savepoint' | 'release' | 'rollback' | 'commit' | 'query' | 'close';

/** An error the worker reported, with SQLite's code (e.g. SQLITE_CONSTRAINT_PRIMARYKEY). */
export class SqliteWriterError extends Error {
	constructor(
		message: string,
		readonly code: string | undefined
	) {
		super(message);
		this.name = 'SqliteWriterError';
	}
}

interface Pending {
	resolve(value: unknown): void;
	reject(error: Error): void;
}

interface Group {
	units: number;
	/** Set when the thread died with this group open: its units may not go on. */
	lost: Error | null;
	committed: Promise<void>;
	settle(error?: Error): void;
}

/** One unit (see above): its statements, then `end`. */
export interface WriteUnit {
	query(sql: string, parameters: readonly unknown[]): Promise<QueryResult>;
	/** Releases the unit's savepoint and resolves once its group committed (rejects if not). */
	commit(): Promise<void>;
	/** Undoes the unit alone; a no-op once it has ended. */
	rollback(): Promise<void>;
}

/** Most units in one commit: bounds how long the first of them waits for its answer. */
const MAX_GROUP_UNITS = 64;

export class SqliteWriter {
	#worker: Worker | null = null;
	#nextId = 0;
	#pending = new Map<number, Pending>();
	#group: Group | null = null;
	#busy = false;
	#waiting: (() => void)[] = [];
	#closed = false;

	constructor(private readonly path: string) {}

	#start(): Worker {
		if (this.#worker) return this.#worker;
		const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
		const worker = new Worker(WORKER_SOURCE, {
			eval: true,
			workerData: { path: this.path, driverPath }
		});
		worker.on(
			'message',
			(message: { id: number; result?: unknown; error?: { message: string; code?: string } }) => {
				const pending = this.#pending.get(message.id);
				if (!pending) return;
				this.#pending.delete(message.id);
				if (message.error)
					pending.reject(new SqliteWriterError(message.error.message, message.error.code));
				else pending.resolve(message.result);
			}
		);
		const fail = (error: Error) => {
			// The worker is gone, and with it any open group: nothing in it was committed.
			if (this.#worker !== worker) return;
			this.#worker = null;
			const pending = [...this.#pending.values()];
			this.#pending.clear();
			for (const p of pending) p.reject(error);
			if (this.#group) {
				this.#group.lost = error;
				this.#group.settle(error);
				this.#group = null;
			}
		};
		worker.on('error', fail);
		worker.on('exit', (code) =>
			fail(new SqliteWriterError(`the SQLite writer stopped (exit ${code})`, 'SQLITE_WRITER_EXIT'))
		);
		this.#worker = worker;
		return worker;
	}

	#send<T>(op: Operation, fields: Record<string, unknown> = {}): Promise<T> {
		const worker = this.#start();
		const id = this.#nextId++;
		return new Promise<T>((resolve, reject) => {
			this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
			worker.postMessage({ id, op, ...fields });
		});
	}

	/** Waits for the writer, then starts a unit (in the open group, or a new one). */
	async begin(): Promise<WriteUnit> {
		if (this.#closed) throw new SqliteWriterError('the database is closed', 'SQLITE_WRITER_CLOSED');
		await this.#acquire();
		let group = this.#group;
		try {
			if (!group) {
				group = this.#newGroup();
				// Not awaited alone: a failed begin fails the savepoint after it too.
				void this.#send('begin').catch(() => undefined);
			}
			group.units++;
			await this.#send('savepoint');
		} catch (error) {
			this.#next();
			throw error;
		}
		return this.#unit(group);
	}

	/** Takes the writer, or waits in line for the unit before to hand it over (see #next). */
	async #acquire(): Promise<void> {
		if (!this.#busy) {
			this.#busy = true;
			return;
		}
		await new Promise<void>((resolve) => this.#waiting.push(resolve));
	}

	#newGroup(): Group {
		let settle!: (error?: Error) => void;
		const committed = new Promise<void>((resolve, reject) => {
			settle = (error) => (error ? reject(error) : resolve());
		});
		// A group nobody awaits (all its units rolled back) must not be an unhandled rejection.
		committed.catch(() => undefined);
		const group: Group = { units: 0, lost: null, committed, settle };
		this.#group = group;
		return group;
	}

	#unit(group: Group): WriteUnit {
		let ended = false;
		const end = () => {
			ended = true;
			this.#next();
		};
		const rollback = async () => {
			if (ended) return;
			try {
				if (!group.lost) await this.#send('rollback');
			} finally {
				end();
			}
		};
		return {
			// A statement after the thread died would run on a new thread, outside any transaction.
			query: async (sql, parameters) => {
				if (ended) throw new SqliteWriterError('the unit has ended', 'SQLITE_WRITER_ENDED');
				if (group.lost) throw group.lost;
				return this.#send<QueryResult>('query', { sql, parameters });
			},
			commit: async () => {
				if (ended) throw new SqliteWriterError('the unit has ended', 'SQLITE_WRITER_ENDED');
				try {
					if (group.lost) throw group.lost;
					await this.#send('release');
				} catch (error) {
					await rollback();
					throw error;
				}
				end();
				return group.committed;
			},
			rollback
		};
	}

	/** The writer is free: the next waiting unit joins the group, or the group commits. */
	#next(): void {
		const group = this.#group;
		const full = group !== null && group.units >= MAX_GROUP_UNITS;
		if (group && (this.#waiting.length === 0 || full)) {
			this.#group = null;
			this.#commit(group);
		}
		// Handed over, never released in between: a begin() arriving meanwhile waits its turn.
		const waiter = this.#waiting.shift();
		if (waiter) waiter();
		else this.#busy = false;
	}

	/** Stops the thread at once, as a crash would: what it had not committed is lost. */
	crashForTests(): void {
		void this.#worker?.terminate();
	}

	#commit(group: Group): void {
		this.#send('commit').then(
			() => group.settle(),
			(error: Error) => group.settle(error)
		);
	}

	/** Lets the units under way finish, commits, and stops the worker. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		// Last in line: the units before finish, and the group they leave open commits here.
		await this.#acquire();
		const worker = this.#worker;
		if (!worker) return;
		const group = this.#group;
		this.#group = null;
		if (group) {
			this.#commit(group);
		}
		await this.#send('close').catch(() => undefined);
		this.#worker = null;
		await worker.terminate();
	}
}
