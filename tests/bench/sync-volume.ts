// The device's real sync code runs in Node here, on fake-indexeddb, as in tests/unit.
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FieldMatrixDatabase } from '$lib/client/db';
import { createApiClient } from '$lib/client/sync/api-client';
import { enrolDevice } from '$lib/client/sync/enrolment';
import { syncOnce } from '$lib/client/sync/sync-engine';
import { SYNC_LIMITS } from '$lib/shared/sync';
import { startApp } from './app';
import { fillOutbox } from './outbox-fill';
import type { BenchRow } from './report';
import {
	adminEnrolmentCode,
	entryGenerator,
	meteredFetch,
	processMemory,
	servedDataset
} from './sync-support';

/**
 * Sync volume: one device pushes N new entries through the real sync engine to the real built
 * server (its outbox drained by syncOnce, batches of SYNC_LIMITS.pushBatch), then a second
 * device of the same mission, empty, pulls them all. Bytes are counted as they went over the
 * wire (gzip bodies both ways); times include the device's own Dexie work, which here is
 * fake-indexeddb in Node: the split between device and server time is in the notes.
 */

const MISSION = 'UNMISS';
const PATH = {
	push: '/api/v1/sync/push',
	pull: '/api/v1/sync/pull',
	status: '/api/v1/sync/status'
};

const share = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/** One size's rows, and the figures the growth rows compare across sizes. */
interface Volume {
	rows: BenchRow[];
	pushMs: number;
	pullMs: number;
	rssMb: number;
}

async function volume(n: number, port: number, buildDir: string): Promise<Volume> {
	const dir = mkdtempSync(join(tmpdir(), 'fieldmatrix-bench-sync-'));
	const app = await startApp(port, {
		buildDir,
		databaseUrl: `sqlite:${join(dir, 'fieldmatrix.sqlite')}`
	});
	const databases: FieldMatrixDatabase[] = [];
	try {
		const dataset = await servedDataset(app.url);
		const codeA = await adminEnrolmentCode(app.databaseUrl, MISSION);
		const codeB = await adminEnrolmentCode(app.databaseUrl, MISSION);
		const device = async (name: string, code: string) => {
			const wire = meteredFetch();
			const db = new FieldMatrixDatabase(`bench-sync-${name}-${n}-${Date.now()}`);
			databases.push(db);
			const api = createApiClient({ baseUrl: app.url, fetch: wire.fetch });
			await enrolDevice(db, api, { code, displayName: `Bench ${name}` });
			return { db, api, wire };
		};

		// Push: from the start of the run until the pull that follows begins, the outbox empty.
		const a = await device('A', codeA);
		const next = entryGenerator(20_240_292 + n, dataset);
		const contents = Array.from({ length: n }, next);
		const meanNote = contents.reduce((sum, c) => sum + c.note.length, 0) / n;
		const rawBytes = await fillOutbox(a.db, contents, dataset.version);
		const pushStart = performance.now();
		const pushed = await syncOnce(a.db, a.api);
		const pushMs = (a.wire.tally(PATH.pull).firstAt ?? NaN) - pushStart;
		if (pushed.applied !== n || (await a.db.outbox.count()) !== 0) {
			throw new Error(`push of ${n}: ${JSON.stringify(pushed)}`);
		}

		// Pull: a second device of the mission, empty, until it reports its (empty) outbox.
		const b = await device('B', codeB);
		const pullStart = performance.now();
		const pulled = await syncOnce(b.db, b.api);
		const pullMs = (b.wire.tally(PATH.status).firstAt ?? NaN) - pullStart;
		if (pulled.pulled !== n || (await b.db.annotations.count()) !== n) {
			throw new Error(`pull of ${n}: ${JSON.stringify(pulled)}`);
		}
		const { rssMb, peakMb } = processMemory(app.pid);

		const push = a.wire.tally(PATH.push);
		const pull = b.wire.tally(PATH.pull);
		const group = `sync volume (real client ⇄ node build, SQLite)`;
		const count = n.toLocaleString('en');
		const rows: BenchRow[] = [
			{
				group,
				metric: `push ${count} entries: outbox drained (${push.requests} requests)`,
				value: pushMs,
				unit: 'ms',
				note: `${Math.round(n / (pushMs / 1000))}/s; waiting on the server ${share(push.waitMs, pushMs)}`
			},
			{
				group,
				metric: `pull ${count} entries into an empty device (${pull.requests} pages)`,
				value: pullMs,
				unit: 'ms',
				note: `${Math.round(n / (pullMs / 1000))}/s; waiting on the server ${share(pull.waitMs, pullMs)}`
			},
			{
				group,
				metric: `push ${count}: bytes per entry on the wire (gzip, both ways)`,
				value: (push.sentBytes + push.receivedBytes) / n,
				unit: 'B',
				target: { op: '<=', value: 300 },
				note: `sent ${Math.round(push.sentBytes / n)} + answers ${Math.round(push.receivedBytes / n)}; raw JSON ${Math.round(rawBytes)} B, note ${Math.round(meanNote)} chars`
			},
			{
				group,
				metric: `pull ${count}: bytes per entry on the wire (gzip)`,
				value: (pull.sentBytes + pull.receivedBytes) / n,
				unit: 'B',
				target: { op: '<=', value: 300 },
				note: `pages of ${SYNC_LIMITS.pullPage}`
			},
			{
				group,
				metric: `server memory after ${count} pushed and pulled: RSS / peak`,
				value: rssMb,
				unit: 'MB',
				note: `peak ${Math.round(peakMb)} MB`
			}
		];
		return { rows, pushMs, pullMs, rssMb };
	} finally {
		await app.stop();
		for (const db of databases) await db.delete();
		rmSync(dir, { recursive: true, force: true });
	}
}

const SIZES = [1_000, 10_000, 100_000];

/**
 * Push and pull of 1,000, 10,000 and 100,000 entries, each on a fresh server and database, and
 * how the cost grew: time per entry at 100,000 against 1,000 (1.0 is linear).
 */
export async function syncVolume(buildDir = 'build', port = 4710): Promise<BenchRow[]> {
	const runs: Volume[] = [];
	for (const [i, n] of SIZES.entries()) runs.push(await volume(n, port + i, buildDir));
	const rows = runs.flatMap((run) => run.rows);
	const group = rows[0].group;
	const [small, , large] = SIZES;
	const first = runs[0];
	const last = runs[runs.length - 1];
	const sizes = `${large.toLocaleString('en')} / ${small.toLocaleString('en')}`;
	for (const kind of ['pushMs', 'pullMs'] as const) {
		const perEntry = runs.map((run, i) => run[kind] / SIZES[i]);
		rows.push({
			group,
			metric: `${kind === 'pushMs' ? 'push' : 'pull'}: time per entry at ${sizes}`,
			value: perEntry[perEntry.length - 1] / perEntry[0],
			unit: '×',
			note: `1.0 is linear growth; ${perEntry.map((ms) => `${(ms * 1000).toFixed(0)} µs`).join(' / ')} per entry`
		});
	}
	rows.push({
		group,
		metric: `server RSS: ${sizes} entries`,
		value: last.rssMb / first.rssMb,
		unit: '×',
		note: runs.map((run) => `${Math.round(run.rssMb)} MB`).join(' / ')
	});
	return rows;
}
