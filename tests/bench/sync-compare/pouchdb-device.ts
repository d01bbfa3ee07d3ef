// Bundled into the bench page (sync-compare.ts): PouchDB as a web app ships it (pouchdb-browser:
// the idb adapter on the page's IndexedDB, the http adapter, replication), pushing to
// express-pouchdb on the page's origin.
import PouchDB, { type Database, type Doc, type ReplicationResult } from 'pouchdb-browser';
import { requestBodyBytes, type WireCount } from './wire';

export interface PouchReplication extends WireCount {
	ms: number;
	result: ReplicationResult;
}

let local: Database | undefined;
let remote: Database | undefined;
let requests = 0;
let sent = 0;
let waitMs = 0;
const encodings: Record<string, number> = {};

const opened = () => {
	if (!local || !remote) throw new Error('open() first');
	return { local, remote };
};

export const pouchDevice = {
	/** The device's database, and the server's (created there, as FieldMatrix's tables exist). */
	async open(url: string): Promise<{ adapter: string }> {
		local = new PouchDB('bench-device');
		remote = new PouchDB(url, {
			// The http adapter's fetch: its bodies are JSON strings, counted as sent.
			fetch: async (url, init) => {
				const started = performance.now();
				requests++;
				sent += requestBodyBytes(init.body);
				const response = await fetch(url, init);
				waitMs += performance.now() - started;
				const encoding = response.headers.get('content-encoding') ?? 'none';
				encodings[encoding] = (encodings[encoding] ?? 0) + 1;
				return response;
			}
		});
		await remote.info();
		return { adapter: local.adapter };
	},

	/** Saved locally, 1,000 a bulkDocs: not measured, as FieldMatrix's outbox filling is not. */
	async load(docs: Doc[]): Promise<void> {
		for (let start = 0; start < docs.length; start += 1000) {
			const results = await opened().local.bulkDocs(docs.slice(start, start + 1000));
			const failed = results.find((result) => result.error);
			if (failed) throw new Error(`bulkDocs: ${JSON.stringify(failed)}`);
		}
	},

	/** The same edits FieldMatrix's device made, each on the local revision. */
	async edit(docs: Doc[]): Promise<void> {
		const { local } = opened();
		const current = await local.allDocs({ include_docs: true, keys: docs.map((doc) => doc._id) });
		const revised = docs.map((doc, i) => ({ ...doc, _rev: current.rows[i].doc?._rev }));
		const results = await local.bulkDocs(revised);
		const failed = results.find((result) => result.error);
		if (failed) throw new Error(`bulkDocs: ${JSON.stringify(failed)}`);
	},

	async replicate(): Promise<PouchReplication> {
		const { local, remote } = opened();
		const before = { requests, sent, waitMs };
		for (const key of Object.keys(encodings)) delete encodings[key];
		const started = performance.now();
		const result = await PouchDB.replicate(local, remote);
		const ms = performance.now() - started;
		return {
			ms,
			result,
			requests: requests - before.requests,
			sent: sent - before.sent,
			// Counted by the server (pouchdb-server.ts): the page's resource timing of PouchDB's
			// fetches sometimes misses the last response for a while.
			received: NaN,
			waitMs: waitMs - before.waitMs,
			encodings: { ...encodings }
		};
	}
};

export type PouchDevice = typeof pouchDevice;
Object.assign(window, { pouchDevice });
