import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from '@playwright/test';
import type { Doc } from 'pouchdb-core';
import type { Annotation } from '$lib/shared/annotation';
import { SYNC_LIMITS } from '$lib/shared/sync';
import { startApp } from './app';
import { launchChromium } from './browser';
import type { BenchRow } from './report';
import { bundleDevice, openBenchPage } from './sync-compare/bench-page';
import type { FieldMatrixDevice, FieldMatrixSync } from './sync-compare/fieldmatrix-device';
import type { PouchDevice } from './sync-compare/pouchdb-device';
import { startPouchServer } from './sync-compare/pouchdb-server';
import { adminEnrolmentCode, entryGenerator, servedDataset } from './sync-support';

/**
 * Sync, side by side: the same 10,000 entries (fixed seed) go from one device to a server on
 * this machine, once by FieldMatrix's protocol (the real sync engine, the real built server on
 * SQLite) and once by PouchDB replication (pouchdb-browser pushing to express-pouchdb on a
 * memory-adapter PouchDB, in a process of its own). Both devices run in Chromium on its
 * IndexedDB, unthrottled, each in a fresh context on its server's origin. Then the device edits
 * 100 of them and syncs again. Timed in the page: the sync call alone (the local saves before
 * it are not measured on either side). Bytes: request and response bodies as they went over the
 * wire, both directions, every request the sync made.
 */

const N = 10_000;
const EDITS = 100;
const SEED = 20_250_707;
const MISSION = 'UNMISS';
const GROUP = 'sync side by side (10,000 entries, fixed seed)';

/**
 * The device modules as page globals (Object.assign(window, ...) in each). The callbacks given
 * to page.evaluate run in the page, so they name these through `window` themselves.
 */
type BenchWindow = {
	fieldMatrixDevice: FieldMatrixDevice;
	pouchDevice: PouchDevice;
};

interface Measure {
	ms: number;
	/** Bodies both ways, as sent. */
	bytes: number;
	requests: number;
	/** A short account for the notes. */
	detail: string;
}

const kB = (bytes: number) => `${Math.round(bytes / 1000)} kB`;
const share = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;
const encodingsOf = (counts: Record<string, number>) =>
	Object.entries(counts)
		.map(([encoding, count]) => `${count} ${encoding}`)
		.join(', ');

// ---------------------------------------------------------------------------------------------
// FieldMatrix: enrol, queue 10,000 creates, syncOnce; queue 100 updates, syncOnce.

interface FieldMatrixRun {
	first: Measure;
	incremental: Measure;
	/** The entries as first saved (revision 0) and the 100 as edited: PouchDB gets the same. */
	created: Annotation[];
	edited: Annotation[];
}

async function fieldMatrixSide(
	browser: Browser,
	buildDir: string,
	port: number
): Promise<FieldMatrixRun> {
	const dir = mkdtempSync(join(tmpdir(), 'fieldmatrix-bench-compare-'));
	const app = await startApp(port, {
		buildDir,
		databaseUrl: `sqlite:${join(dir, 'fieldmatrix.sqlite')}`
	});
	let context: BrowserContext | undefined;
	try {
		const dataset = await servedDataset(app.url);
		const code = await adminEnrolmentCode(app.databaseUrl, MISSION);
		const contents = Array.from({ length: N }, entryGenerator(SEED, dataset));
		const edits = Array.from({ length: EDITS }, entryGenerator(SEED + 1, dataset));
		const opened = await openBenchPage(
			browser,
			app.url,
			await bundleDevice('fieldmatrix-device.ts')
		);
		context = opened.context;
		const page = opened.page;
		await page.evaluate(
			(code) => (window as unknown as BenchWindow).fieldMatrixDevice.enrol(code),
			code
		);

		const measure = async (expected: number): Promise<Measure> => {
			const run: FieldMatrixSync = await page.evaluate(() =>
				(window as unknown as BenchWindow).fieldMatrixDevice.sync()
			);
			if (run.summary.applied !== expected || run.outboxLeft !== 0) {
				throw new Error(`FieldMatrix sync of ${expected}: ${JSON.stringify(run)}`);
			}
			return {
				ms: run.ms,
				bytes: run.sent + run.received,
				requests: run.requests,
				detail:
					`${run.requests} requests, waiting on the server ${share(run.waitMs, run.ms)}: ` +
					`push: ${run.push.requests} requests (batches of ${SYNC_LIMITS.pushBatch}), ` +
					`${Math.round(run.pushMs)} ms ${kB(run.push.bytes)}, then the pull of the same ` +
					`${run.summary.pulled.toLocaleString('en')} back as revisions (pages of ` +
					`${SYNC_LIMITS.pullPage}) and the status ` +
					`report; sent ${kB(run.sent)}, received ${kB(run.received)} ` +
					`(responses: ${encodingsOf(run.encodings)})`
			};
		};

		const created = await page.evaluate(
			({ contents, version }) =>
				(window as unknown as BenchWindow).fieldMatrixDevice.fill(contents, version),
			{ contents, version: dataset.version }
		);
		const first = await measure(N);
		const edited = await page.evaluate(
			(edits) => (window as unknown as BenchWindow).fieldMatrixDevice.queueEdits(edits),
			edits
		);
		const incremental = await measure(EDITS);
		return { first, incremental, created, edited };
	} finally {
		await context?.close();
		await app.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// PouchDB: express-pouchdb in a process of its own; the device replicates to it.

/** The entry as a PouchDB document: the same fields; _id for id, and _rev in place of revision. */
function asDoc(entry: Annotation): Doc {
	const doc: Doc & Partial<Annotation> = { _id: entry.id, ...entry };
	delete doc.id;
	delete doc.revision;
	return doc;
}

const CONTENT_FIELDS = ['status', 'note', 'evidence', 'progressDate', 'updatedAt'] as const;

async function pouchSide(
	browser: Browser,
	port: number,
	run: FieldMatrixRun
): Promise<{
	first: Measure;
	incremental: Measure;
	adapter: string;
	/** Why the server's database is not what the device sent, if it is not. */
	wrong?: string;
}> {
	const server = await startPouchServer(port);
	let context: BrowserContext | undefined;
	try {
		const opened = await openBenchPage(
			browser,
			server.url,
			await bundleDevice('pouchdb-device.ts')
		);
		context = opened.context;
		const page = opened.page;
		const { adapter } = await page.evaluate(
			(url) => (window as unknown as BenchWindow).pouchDevice.open(url),
			`${server.url}/annotations`
		);
		const measure = async (expected: number): Promise<Measure> => {
			const before = await server.tally();
			const replication = await page.evaluate(() =>
				(window as unknown as BenchWindow).pouchDevice.replicate()
			);
			const { result } = replication;
			if (!result.ok || result.docs_written !== expected) {
				throw new Error(`PouchDB replication of ${expected}: ${JSON.stringify(result)}`);
			}
			const after = await server.tally();
			const received = after.bytes - before.bytes;
			const encodings = Object.fromEntries(
				Object.entries(after.encodings).map(([encoding, count]) => [
					encoding,
					count - (before.encodings[encoding] ?? 0)
				])
			);
			return {
				ms: replication.ms,
				bytes: replication.sent + received,
				requests: replication.requests,
				detail:
					`${replication.requests} requests, waiting on the server ` +
					`${share(replication.waitMs, replication.ms)}: ${kB(replication.sent)} sent as JSON, ` +
					`${kB(received)} received (responses: ${encodingsOf(encodings)})`
			};
		};

		await page.evaluate(
			(docs) => (window as unknown as BenchWindow).pouchDevice.load(docs),
			run.created.map(asDoc)
		);
		const first = await measure(N);
		await page.evaluate(
			(docs) => (window as unknown as BenchWindow).pouchDevice.edit(docs),
			run.edited.map(asDoc)
		);
		const incremental = await measure(EDITS);

		// The server holds every entry, the 100 as edited.
		const expected = new Map(run.created.map((entry) => [entry.id, entry]));
		for (const entry of run.edited) expected.set(entry.id, entry);
		const response = await fetch(`${server.url}/annotations/_all_docs?include_docs=true`);
		const held = (await response.json()) as { rows: { id: string; doc?: Doc }[] };
		let wrong: string | undefined;
		if (held.rows.length !== N) wrong = `${held.rows.length} docs on the server, not ${N}`;
		for (const { id, doc } of held.rows) {
			const entry = expected.get(id);
			const differs = CONTENT_FIELDS.find(
				(field) => JSON.stringify(doc?.[field]) !== JSON.stringify(entry?.[field])
			);
			if (differs) wrong ??= `doc ${id}: ${differs} is not what the device sent`;
		}
		return { first, incremental, adapter, wrong };
	} finally {
		await context?.close();
		await server.stop();
	}
}

// ---------------------------------------------------------------------------------------------

/**
 * FieldMatrix's server on `port`, PouchDB's on `port + 1`; in `browser`, or a Chromium of its
 * own when none is given.
 */
export async function syncComparison(
	buildDir: string,
	port: number,
	browser?: Browser
): Promise<BenchRow[]> {
	const chromium = browser ?? (await launchChromium());
	let fieldMatrix: FieldMatrixRun;
	let pouch: Awaited<ReturnType<typeof pouchSide>>;
	try {
		fieldMatrix = await fieldMatrixSide(chromium, buildDir, port);
		pouch = await pouchSide(chromium, port + 1, fieldMatrix);
	} finally {
		if (!browser) await chromium.close();
	}
	const failed = pouch.wrong ? `FAILED: ${pouch.wrong}` : undefined;
	const pouchValue = (value: number) => (failed ? NaN : value);
	const chromiumVersion = `Chromium ${chromium.version().split('.')[0]}`;
	const setup =
		`both devices in ${chromiumVersion} (headless, unthrottled) on its IndexedDB. ` +
		`PouchDB 9 (pouchdb-browser, ${pouch.adapter} adapter), one-shot push PouchDB.replicate, ` +
		'default batch_size 100, batches_limit 10; server express-pouchdb 4.2 ' +
		'(minimumForPouchDB) on memory-adapter PouchDB, compression middleware defaults (above ' +
		'1 KB; Brotli q4 when asked, else gzip), no fsync. FieldMatrix: built server on SQLite ' +
		'(fsync), gzip above 1 KB both ways (its answers at level 4); syncOnce also pulls its ' +
		'own changes back, as revision numbers';
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
				note: `syncOnce in ${chromiumVersion} on IndexedDB (Dexie), built server on SQLite`
			},
			{
				group: GROUP,
				metric: `${phase}: PouchDB time`,
				value: pouchValue(pd.ms),
				unit: 'ms',
				note: `PouchDB.replicate in ${chromiumVersion} on IndexedDB (${pouch.adapter} adapter), server on memory adapter`
			},
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
				note: fm.detail
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
