import type { Kysely } from 'kysely';
import type { RateLimiter } from './auth/rate-limit';
import type { DatabaseHandle } from './db/connection';
import type { Database } from './db/schema';

/** What the endpoints share in this process: set once at startup (hooks.server.ts `init`). */
export interface ServerContext {
	db: Kysely<Database>;
	kind: DatabaseHandle['kind'];
	enrolLimiter: RateLimiter;
}

let current: ServerContext | null = null;

export function setServerContext(context: ServerContext | null): void {
	current = context;
}

export function serverContext(): ServerContext {
	if (!current) throw new Error('FieldMatrix: the database is not open (server not started).');
	return current;
}

export function hasServerContext(): boolean {
	return current !== null;
}
