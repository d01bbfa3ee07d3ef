import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the tests and benchmarks use (TEST_POSTGRES_URL; on the development
 * machine trust auth on 127.0.0.1:5432, database `test`), and the scratch databases they make on
 * it, each dropped when done.
 */
export const POSTGRES_ADMIN_URL =
	process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One statement on the admin database, on a connection of its own. */
export async function adminQuery<Row extends object = Record<string, unknown>>(
	text: string
): Promise<Row[]> {
	const client = new pg.Client({
		connectionString: POSTGRES_ADMIN_URL,
		connectionTimeoutMillis: 3000
	});
	await client.connect();
	try {
		return (await client.query<Row>(text)).rows;
	} finally {
		await client.end();
	}
}

export async function postgresReachable(): Promise<boolean> {
	try {
		await adminQuery('select 1');
		return true;
	} catch {
		return false;
	}
}

/** The URL of database `name` on the same server. */
export function postgresUrl(name: string): string {
	const url = new URL(POSTGRES_ADMIN_URL);
	url.pathname = `/${name}`;
	return url.toString();
}

/**
 * pg's pool resolves `end()` before its sockets are closed, and a database dropped or copied
 * under a closing connection terminates it with an error nobody listens to any more. Waits
 * (2 s at most) until the server has let every connection of `name` go.
 */
export async function connectionsGone(name: string): Promise<boolean> {
	for (let attempt = 0; attempt < 100; attempt++) {
		const [row] = await adminQuery<{ n: number }>(
			`select count(*)::int as n from pg_stat_activity where datname = '${name}'`
		);
		if (row?.n === 0) return true;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return false;
}

export interface ScratchDatabase {
	name: string;
	url: string;
	/** Waits for its connections to go, then drops it. */
	drop(): Promise<void>;
}

/** A new, empty database named `<prefix>_<random>`. */
export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
	const name = `${prefix}_${randomBytes(6).toString('hex')}`;
	await adminQuery(`create database ${name}`);
	return {
		name,
		url: postgresUrl(name),
		async drop() {
			await connectionsGone(name);
			await adminQuery(`drop database if exists ${name} with (force)`);
		}
	};
}
