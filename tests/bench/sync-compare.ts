// The device's real sync code runs in Node, on fake-indexeddb (as in sync-volume.ts): first.
import 'fake-indexeddb/auto';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import expressPouchDB from 'express-pouchdb';
import HttpAdapter from 'pouchdb-adapter-http';
import MemoryAdapter from 'pouchdb-adapter-memory';
import PouchDB, { type Doc } from 'pouchdb-core';
import Replication from 'pouchdb-replication';
import { FieldMatrixDatabase } from '$lib/client/db';
import { createApiClient } from '$lib/client/sync/api-client';
import { enrolDevice } from '$lib/client/sync/enrolment';
import { syncOnce, type SyncSummary } from '$lib/client/sync/sync-engine';
import type { Annotation } from '$lib/shared/annotation';
import { SYNC_LIMITS } from '$lib/shared/sync';
import { startApp } from './app';
import type { BenchRow } from './report';
import { adminEnrolmentCode, entryGenerator, meteredFetch, servedDataset } from './sync-support';
import { fillOutbox, queueChanges } from './sync-volume';

/**
 * Sync, side by side: the same 10,000 entries (fixed seed) go from one device to a server on
 * this machine, once by FieldMatrix's protocol (the real sync engine on fake-indexeddb, the real
 * built server on SQLite) and once by PouchDB replication (a memory-adapter PouchDB pushing to
 * express-pouchdb on a memory-adapter PouchDB), both in Node, both servers in a process of their
 * own. Then the device edits 100 of them and syncs again. Timed: the sync call alone (the local
 * saves before it are not measured on either side). Bytes: request and response bodies as they
 * went over the wire, both directions, every request the sync made.
 */

const N = 10_000;
const EDITS = 100;
const SEED = 20_250_707;
const MISSION = 'UNMISS';
const GROUP = 'sync side by side (10,000 entries, fixed seed)';
/** Set in the PouchDB server's own process (see startPouchServer). */
const SERVE_ENV = 'FIELDMATRIX_BENCH_POUCH_PORT';

const Pouch = PouchDB.plugin(MemoryAdapter).plugin(HttpAdapter).plugin(Replication);

interface Measure {
	ms: number;
	/** Bodies both ways, as sent. */
	bytes: number;
	requests: number;
	/** A short account for the notes. */
	detail: string;
}

// ---------------------------------------------------------------------------------------------
// FieldMatrix: enrol, queue 10,000 creates, syncOnce; queue 100 updates, syncOnce.

interface FieldMatrixRun {
	first: Measure;
	incremental: Measure;
	/** The entries as first saved (revision 0) and the 100 as edited: PouchDB gets the same. */
	created: Annotation[];
	edited: Annotation[];
}

async function fieldMatrixSide(buildDir: string, port: number): Promise<FieldMatrixRun> {
	const dir = mkdtempSync(join(tmpdir(), 'fieldmatrix-bench-compare-'));
	const app = await startApp(port, {
		buildDir,
		databaseUrl: `sqlite:${join(dir, 'fieldmatrix.sqlite')}`
	});
	const db = new FieldMatrixDatabase(`bench-compare-${Date.now()}`);
	try {
		const dataset = await servedDataset(app.url);
		const wire = meteredFetch();
		// meteredFetch tallies per path: note every path the engine used, to sum them all.
		const paths = new Set<string>();
		let pullAt: number | undefined;
		const fetchAll: typeof fetch = (input, init) => {
			const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
			paths.add(path);
			if (path === '/api/v1/sync/pull') pullAt ??= performance.now();
			return wire.fetch(input, init);
		};
		const api = createApiClient({ baseUrl: app.url, fetch: fetchAll });
		await enrolDevice(db, api, {
			code: await adminEnrolmentCode(app.databaseUrl, MISSION),
			displayName: 'Bench A'
		});
		const totals = () =>
			[...paths].map(wire.tally).reduce(
				(sum, t) => ({
					requests: sum.requests + t.requests,
					sent: sum.sent + t.sentBytes,
					received: sum.received + t.receivedBytes,
					waitMs: sum.waitMs + t.waitMs
				}),
				{ requests: 0, sent: 0, received: 0, waitMs: 0 }
			);
		const measure = async (expected: number): Promise<Measure> => {
			const before = totals();
			const pushBefore = wire.tally('/api/v1/sync/push');
			const pushBytesBefore = pushBefore.sentBytes + pushBefore.receivedBytes;
			pullAt = undefined;
			const started = performance.now();
			const summary: SyncSummary = await syncOnce(db, api);
			const ms = performance.now() - started;
			if (summary.applied !== expected || (await db.outbox.count()) !== 0) {
				throw new Error(`FieldMatrix sync of ${expected}: ${JSON.stringify(summary)}`);
			}
			const after = totals();
			const push = wire.tally('/api/v1/sync/push');
			const pushBytes = push.sentBytes + push.receivedBytes - pushBytesBefore;
			const requests = after.requests - before.requests;
			return {
				ms,
				bytes: after.sent - before.sent + after.received - before.received,
				requests,
				detail:
					`${requests} requests, waiting on the server ${share(after.waitMs - before.waitMs, ms)}: ` +
					`push (batches of ${SYNC_LIMITS.pushBatch}) ${Math.round((pullAt ?? NaN) - started)} ms ` +
					`${kB(pushBytes)}, then the pull of the same ${summary.pulled} back ` +
					`(pages of ${SYNC_LIMITS.pullPage}) and the status report`
			};
		};

		const next = entryGenerator(SEED, dataset);
		await fillOutbox(db, Array.from({ length: N }, next), dataset.version);
		const created = await db.annotations.orderBy('id').toArray();
		const first = await measure(N);

		// 100 edits, spread over the set, each based on the revision the server gave.
		const edit = entryGenerator(SEED + 1, dataset);
		const synced = await db.annotations.orderBy('id').toArray();
		const updatedAt = new Date().toISOString();
		const changes = Array.from({ length: EDITS }, (_, i) => {
			const current = synced[i * (N / EDITS)];
			const { status, note, evidence, progressDate } = edit();
			const entry = { ...current, status, note, evidence, progressDate, updatedAt };
			return { op: 'update' as const, entry, baseRevision: current.revision };
		});
		await queueChanges(db, changes);
		const incremental = await measure(EDITS);
		return { first, incremental, created, edited: changes.map((c) => c.entry) };
	} finally {
		await app.stop();
		await db.delete();
		rmSync(dir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// PouchDB: express-pouchdb in a process of its own; the device replicates to it.

/** What the PouchDB server wrote as response bodies (after compression). */
interface ServerTally {
	responses: number;
	bytes: number;
	gzipped: number;
}

/**
 * The server process's body: express-pouchdb's minimum mode (the routes replication uses, and
 * its `compression` middleware, default options: gzip above 1 KB) on memory-adapter databases.
 * Node's fetch inflates what it receives, so the compressed bytes are counted here, below the
 * compression middleware, and handed to the parent over IPC when it asks.
 */
async function servePouchDB(port: number): Promise<void> {
	const handle = expressPouchDB(Pouch.defaults({ adapter: 'memory' }), {
		mode: 'minimumForPouchDB'
	});
	const tally: ServerTally = { responses: 0, bytes: 0, gzipped: 0 };
	let inFlight = 0;
	const idle: (() => void)[] = [];
	const size = (chunk: unknown) =>
		typeof chunk === 'string' || chunk instanceof Uint8Array ? Buffer.byteLength(chunk) : 0;
	const server = createServer((request, response) => {
		inFlight++;
		// Wrapped before `compression` wraps them: what reaches these is what goes on the wire.
		const write = response.write.bind(response) as (...args: unknown[]) => boolean;
		const end = response.end.bind(response) as (...args: unknown[]) => typeof response;
		response.write = ((chunk: unknown, ...rest: unknown[]) => {
			tally.bytes += size(chunk);
			return write(chunk, ...rest);
		}) as typeof response.write;
		response.end = ((chunk: unknown, ...rest: unknown[]) => {
			tally.bytes += size(chunk);
			return end(chunk, ...rest);
		}) as typeof response.end;
		response.once('close', () => {
			tally.responses++;
			if (response.getHeader('content-encoding') === 'gzip') tally.gzipped++;
			if (--inFlight === 0) for (const resolve of idle.splice(0)) resolve();
		});
		handle(request, response);
	});
	process.on('message', (message) => {
		if (message !== 'tally') return;
		const send = () => process.send?.({ ...tally });
		if (inFlight === 0) send();
		else idle.push(send);
	});
	server.listen(port, '127.0.0.1', () => process.send?.('ready'));
}

interface PouchServer {
	url: string;
	tally(): Promise<ServerTally>;
	stop(): Promise<void>;
}

async function startPouchServer(port: number): Promise<PouchServer> {
	// This same file, run by tsx (as `npm run bench` runs the benchmarks), in server mode.
	const child: ChildProcess = fork(import.meta.filename, [], {
		execArgv: ['--import', 'tsx'],
		env: { ...process.env, [SERVE_ENV]: String(port) },
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	await new Promise<void>((resolve, reject) => {
		child.once('message', () => resolve());
		child.once('exit', (code) => reject(new Error(`the PouchDB server exited: ${code}`)));
	});
	return {
		url: `http://127.0.0.1:${port}`,
		tally: () =>
			new Promise((resolve) => {
				child.once('message', (message) => resolve(message as ServerTally));
				child.send('tally');
			}),
		stop: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

/** The entry as a PouchDB document: the same fields; _id for id, and _rev in place of revision. */
function asDoc(entry: Annotation): Doc {
	const doc: Doc & Partial<Annotation> = { _id: entry.id, ...entry };
	delete doc.id;
	delete doc.revision;
	return doc;
}

const CONTENT_FIELDS = ['status', 'note', 'evidence', 'progressDate', 'updatedAt'] as const;

async function pouchSide(
	port: number,
	run: FieldMatrixRun
): Promise<{
	first: Measure;
	incremental: Measure;
	/** Why the server's database is not what the device sent, if it is not. */
	wrong?: string;
}> {
	const server = await startPouchServer(port);
	const local = new Pouch(`bench-device-${randomBytes(6).toString('hex')}`, { adapter: 'memory' });
	try {
		let sent = 0;
		let requests = 0;
		// Node's global fetch (keep-alive), asking for gzip as a browser on http does; PouchDB's
		// request bodies are plain JSON and are counted as they are.
		const remote = new Pouch(`${server.url}/annotations`, {
			fetch: (url, init) => {
				requests++;
				if (typeof init.body === 'string') sent += Buffer.byteLength(init.body);
				else if (init.body != null) throw new Error('unexpected request body type');
				const headers = new Headers([...init.headers]);
				headers.set('accept-encoding', 'gzip');
				return fetch(url, { ...init, headers });
			}
		});
		await remote.info(); // the server's database exists before, as FieldMatrix's tables do
		const measure = async (expected: number): Promise<Measure> => {
			const before = { sent, requests, ...(await server.tally()) };
			const started = performance.now();
			const result = await Pouch.replicate(local, remote);
			const ms = performance.now() - started;
			if (!result.ok || result.docs_written !== expected) {
				throw new Error(`PouchDB replication of ${expected}: ${JSON.stringify(result)}`);
			}
			const after = await server.tally();
			const count = requests - before.requests;
			return {
				ms,
				bytes: sent - before.sent + after.bytes - before.bytes,
				requests: count,
				detail:
					`${count} requests: ${kB(sent - before.sent)} sent as JSON, ` +
					`${kB(after.bytes - before.bytes)} received ` +
					`(${after.gzipped - before.gzipped} of ${after.responses - before.responses} gzip)`
			};
		};

		const docs = run.created.map(asDoc);
		for (let start = 0; start < docs.length; start += 1000) {
			await local.bulkDocs(docs.slice(start, start + 1000));
		}
		const first = await measure(N);

		const ids = run.edited.map((entry) => entry.id);
		const current = await local.allDocs({ include_docs: true, keys: ids });
		await local.bulkDocs(
			run.edited.map((entry, i) => ({ ...asDoc(entry), _rev: current.rows[i].doc?._rev }))
		);
		const incremental = await measure(EDITS);

		// The server holds every entry, the 100 as edited.
		const expected = new Map(run.created.map((entry) => [entry.id, entry]));
		for (const entry of run.edited) expected.set(entry.id, entry);
		const held = await remote.allDocs({ include_docs: true });
		let wrong: string | undefined;
		if (held.rows.length !== N) wrong = `${held.rows.length} docs on the server, not ${N}`;
		for (const { id, doc } of held.rows) {
			const entry = expected.get(id);
			const differs = CONTENT_FIELDS.find(
				(field) => JSON.stringify(doc?.[field]) !== JSON.stringify(entry?.[field])
			);
			if (differs) wrong ??= `doc ${id}: ${differs} is not what the device sent`;
		}
		return { first, incremental, wrong };
	} finally {
		await local.destroy();
		await server.stop();
	}
}

// ---------------------------------------------------------------------------------------------

const kB = (bytes: number) => `${Math.round(bytes / 1000)} kB`;
const share = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/** FieldMatrix's server on `port`, PouchDB's on `port + 1`. */
export async function syncComparison(buildDir: string, port: number): Promise<BenchRow[]> {
	const fieldMatrix = await fieldMatrixSide(buildDir, port);
	const pouch = await pouchSide(port + 1, fieldMatrix);
	const failed = pouch.wrong ? `FAILED: ${pouch.wrong}` : undefined;
	const pouchValue = (value: number) => (failed ? NaN : value);
	// Not alike: PouchDB's device store is memdown (no PouchDB IndexedDB adapter is installed),
	// FieldMatrix's is fake-indexeddb, much slower; FieldMatrix's syncOnce also pulls back.
	const setup =
		'PouchDB 9: device on the memory adapter (FieldMatrix: fake-indexeddb), one-shot push ' +
		'PouchDB.replicate, default batch_size 100, batches_limit 10, Node fetch; server ' +
		'express-pouchdb 4.2 (minimumForPouchDB) on memory-adapter PouchDB, compression on';
	const rows: BenchRow[] = [];
	for (const [phase, fm, pd] of [
		[`first sync of ${N.toLocaleString('en')}`, fieldMatrix.first, pouch.first],
		[`incremental sync of ${EDITS} edits`, fieldMatrix.incremental, pouch.incremental]
	] as const) {
		rows.push(
			{
				group: GROUP,
				metric: `${phase}: FieldMatrix time`,
				value: fm.ms,
				unit: 'ms',
				note: 'syncOnce: device on fake-indexeddb, built server on SQLite'
			},
			{ group: GROUP, metric: `${phase}: PouchDB time`, value: pouchValue(pd.ms), unit: 'ms' },
			{
				group: GROUP,
				metric: `${phase}: speed, PouchDB time / FieldMatrix time`,
				value: pouchValue(pd.ms / fm.ms),
				unit: '×',
				target: { op: '>=', value: 5 },
				note: failed ?? setup
			},
			{
				group: GROUP,
				metric: `${phase}: FieldMatrix bytes on the wire`,
				value: fm.bytes / 1000,
				unit: 'kB',
				note: `gzip both ways; ${fm.detail}`
			},
			{
				group: GROUP,
				metric: `${phase}: PouchDB bytes on the wire`,
				value: pouchValue(pd.bytes / 1000),
				unit: 'kB',
				note: failed ?? pd.detail
			},
			{
				group: GROUP,
				metric: `${phase}: bytes, FieldMatrix / PouchDB`,
				value: pouchValue(fm.bytes / pd.bytes),
				unit: '×',
				target: { op: '<=', value: 1 / 3 },
				note: failed
			}
		);
	}
	return rows;
}

// Run as the PouchDB server's own process (startPouchServer).
const servePort = process.env[SERVE_ENV];
if (servePort) void servePouchDB(Number(servePort));
