import Sqlite from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import {
	type KyselyPlugin,
	type PluginTransformQueryArgs,
	type PluginTransformResultArgs,
	type QueryResult,
	type RootOperationNode,
	type UnknownRow
} from 'kysely';
import { newEpoch } from '../../../src/lib/server/admin/epoch';
import { RateLimiter } from '../../../src/lib/server/auth/rate-limit';
import type { ServerContext } from '../../../src/lib/server/context';
import type { DatabaseHandle } from '../../../src/lib/server/db/connection';
import type { Backend, TestDatabase } from '../backends';
import { call } from '../harness';
import { adminQuery, connectionsGone } from '../../postgres-admin';

/**
 * The real server (hooks.server.ts and the route handlers, tests/server/harness.ts) on a real
 * database, with the faults a server suffers: killed in the middle of a push transaction,
 * restarted on the same database, restored from an older backup.
 */

export const FAULT_ACTOR = 'test:fault-injection';

/**
 * Kills the "process" after a number of database statements: the statement ran, then the
 * process dies before the next one, so an open transaction never commits (the driver rolls it
 * back, as PostgreSQL and SQLite do for a connection that went away).
 */
export class KillSwitch implements KyselyPlugin {
	private remaining: number | null = null;
	fired = false;

	arm(afterStatements: number): void {
		this.remaining = afterStatements;
		this.fired = false;
	}

	disarm(): void {
		this.remaining = null;
	}

	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		return args.node;
	}

	async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		if (this.remaining !== null && --this.remaining <= 0) {
			this.remaining = null;
			this.fired = true;
			throw new Error('fault injection: the server process died mid-batch');
		}
		return args.result;
	}
}

export interface ServerBackup {
	/** A file copy (SQLite) or a database copied from the live one as template (PostgreSQL). */
	location: string;
}

export class FaultServer {
	readonly kill = new KillSwitch();
	context!: ServerContext;
	private handle!: DatabaseHandle;
	private backups: string[] = [];

	private constructor(
		readonly backend: Backend,
		private readonly database: TestDatabase
	) {}

	static async start(backend: Backend): Promise<FaultServer> {
		const server = new FaultServer(backend, await backend.create());
		await server.open();
		return server;
	}

	/** The database without the kill switch, for the test's own reads. */
	get db() {
		return this.handle.db;
	}

	private async open(): Promise<void> {
		this.handle = await this.database.open();
		this.context = {
			db: this.handle.db.withPlugin(this.kill),
			kind: this.handle.kind,
			enrolLimiter: new RateLimiter({ limit: 1000, windowMs: 60_000 })
		};
	}

	request(
		method: string,
		path: string,
		headers: Record<string, string>,
		body: Uint8Array | undefined
	): Promise<Response> {
		return call(this.context, method, path, { headers, ...(body ? { rawBody: body } : {}) });
	}

	/** The process dies and a new one starts on the same database. */
	async restart(): Promise<void> {
		this.kill.disarm();
		await this.handle.db.destroy();
		await this.open();
	}

	async backup(): Promise<ServerBackup> {
		const location = `${this.name()}_backup${this.backups.length}`;
		if (this.backend.name === 'sqlite') {
			// An online, consistent copy of the file (WAL included), as a backup tool takes it.
			const path = `${this.sqlitePath()}.${this.backups.length}.backup`;
			// On a connection of its own: the server's writer thread keeps its connection inside
			// a group transaction, where VACUUM is refused.
			const connection = new Sqlite(this.sqlitePath(), { readonly: true });
			try {
				connection.exec(`vacuum into '${path.replaceAll("'", "''")}'`);
			} finally {
				connection.close();
			}
			this.backups.push(path);
			return { location: path };
		}
		// PostgreSQL copies a database only while nobody is connected to it: stop, copy, start.
		await this.shutDown();
		await adminQuery(`create database ${location} template ${this.name()}`);
		this.backups.push(location);
		await this.open();
		return { location };
	}

	/** README "Restoring a backup": stop, put the backup back, run new-epoch, start. */
	async restore(backup: ServerBackup): Promise<void> {
		this.kill.disarm();
		await this.shutDown();
		if (this.backend.name === 'sqlite') {
			const path = this.sqlitePath();
			for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
			copyFileSync(backup.location, path);
		} else {
			await adminQuery(`drop database if exists ${this.name()} with (force)`);
			await adminQuery(`create database ${this.name()} template ${backup.location}`);
		}
		const admin = await this.database.open();
		await newEpoch(admin.db, FAULT_ACTOR);
		await admin.db.destroy();
		await this.open();
	}

	async stop(): Promise<void> {
		await this.shutDown();
		await this.database.drop();
		if (this.backend.name === 'postgres') {
			for (const name of this.backups) await adminQuery(`drop database if exists ${name}`);
		} else {
			for (const path of this.backups) rmSync(path, { force: true });
		}
	}

	/** Closes the pool and, on PostgreSQL, waits until its connections are gone (see connectionsGone). */
	private async shutDown(): Promise<void> {
		await this.handle.db.destroy();
		if (this.backend.name !== 'postgres') return;
		if (!(await connectionsGone(this.name()))) {
			throw new Error(`connections to ${this.name()} stayed open after the pool closed`);
		}
	}

	private sqlitePath(): string {
		return this.database.url.slice('sqlite:'.length);
	}

	private name(): string {
		return new URL(this.database.url).pathname.slice(1);
	}
}
