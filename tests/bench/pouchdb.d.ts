/** The part of PouchDB 9 and express-pouchdb 4 the side-by-side sync uses (they ship no types). */
declare module 'pouchdb-core' {
	export interface Doc {
		_id: string;
		_rev?: string;
		[field: string]: unknown;
	}

	export type Fetch = (url: string, init: RequestInit & { headers: Headers }) => Promise<Response>;

	export interface DatabaseOptions {
		adapter?: string;
		/** The http adapter's fetch (default: node-fetch with a cookie jar). */
		fetch?: Fetch;
	}

	export interface Database {
		/** The adapter in use: 'idb', 'memory', 'http'. */
		readonly adapter: string;
		bulkDocs(docs: Doc[]): Promise<{ ok?: boolean; id: string; rev?: string; error?: string }[]>;
		allDocs(options: {
			include_docs: true;
			keys?: string[];
		}): Promise<{ total_rows: number; rows: { id: string; doc?: Doc }[] }>;
		info(): Promise<{ doc_count: number }>;
		destroy(): Promise<unknown>;
	}

	export interface ReplicationResult {
		ok: boolean;
		docs_read: number;
		docs_written: number;
		doc_write_failures: number;
		errors: unknown[];
	}

	export interface PouchDBStatic {
		new (name: string, options?: DatabaseOptions): Database;
		plugin(plugin: unknown): PouchDBStatic;
		defaults(options: DatabaseOptions): PouchDBStatic;
		replicate(
			source: Database,
			target: Database,
			options?: { batch_size?: number; batches_limit?: number }
		): Promise<ReplicationResult>;
	}

	const PouchDB: PouchDBStatic;
	export default PouchDB;
}

/** PouchDB for the browser (idb, http, replication and map/reduce built in). */
declare module 'pouchdb-browser' {
	export type { Database, Doc, ReplicationResult } from 'pouchdb-core';
	import type { PouchDBStatic } from 'pouchdb-core';

	const PouchDB: PouchDBStatic;
	export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
	const plugin: unknown;
	export default plugin;
}

declare module 'pouchdb-adapter-http' {
	const plugin: unknown;
	export default plugin;
}

declare module 'pouchdb-replication' {
	const plugin: unknown;
	export default plugin;
}

declare module 'express-pouchdb' {
	import type { IncomingMessage, ServerResponse } from 'node:http';
	import type { PouchDBStatic } from 'pouchdb-core';

	/** An express app: a plain node:http request handler will do. */
	export default function expressPouchDB(
		PouchDB: PouchDBStatic,
		options?: { mode?: 'minimumForPouchDB' | 'fullCouchDB' }
	): (request: IncomingMessage, response: ServerResponse) => void;
}
