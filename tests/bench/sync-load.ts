import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import autocannon, { type Context, type RequestDefinition } from 'autocannon';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from '$lib/client/annotations/uuid';
import { createApiClient } from '$lib/client/sync/api-client';
import { cliActor } from '$lib/server/admin/actor';
import { createEnrolmentCode } from '$lib/server/admin/codes';
import { openDatabase } from '$lib/server/db/open';
import { MUTATION_SCHEMA_VERSION, mutationSchema, type Mutation } from '$lib/shared/annotation';
import { MISSION_CODES, type MissionCode } from '$lib/shared/missions';
import type { PullResponse, PushResponse } from '$lib/shared/sync';
import { startApp, type App } from './app';
import { percentile, type BenchRow } from './report';
import {
	entryGenerator,
	freshPostgresDatabase,
	processCpuSeconds,
	processMemory,
	seededRandom,
	servedDataset,
	type DatasetSample,
	type EntryContent,
	type Random
} from './sync-support';

/**
 * Server throughput under load: 100 enrolled devices (10 missions of 10) sync through
 * autocannon, each sync a push of 50 mutations (gzip, as the device sends them) and then one
 * pull page from the device's own cursor, as syncOnce does; so every entry accepted also goes
 * out to the other devices of its mission. Mutations are fresh and valid, with increasing ids
 * per device: 80% new entries, 20% edits of the device's earlier ones. Accepted = answered
 * `applied`, checked against the database after.
 *
 * Two phases. Back to back: each device syncs again as soon as it has its answers, which gives
 * the most the server accepts; latency there is queueing (100 requests always in flight, so
 * latency = 100 / request rate). The latency target is therefore held to the second phase:
 * 1,000 entries a second offered, spread evenly, as devices syncing at their own times send them.
 * The load generator shares the 2 cores with the server (and PostgreSQL): its CPU is noted.
 */

const DEVICES = 100;
const MISSIONS = 10;
/** What a device with a day's work sends; the engine's ceiling is SYNC_LIMITS.pushBatch (200). */
const BATCH = 50;
/** Syncs (push + pull) per device, back to back. */
const SYNCS = 4;
/** The paced phase: connections at one request a second (2 s per sync), for this long. */
const PACED_CONNECTIONS = 40;
const PACED_SECONDS = 12;
const EDIT_SHARE = 0.2;

interface SimDevice {
	id: string;
	token: string;
	mission: MissionCode;
	author: string;
	random: Random;
	next: () => EntryContent;
	nextMutationId: number;
	created: { id: string; createdAt: string; recommendationId: string }[];
	/** Push bodies (gzip) not yet answered, oldest first: a failed push is sent again. */
	batches: Buffer[];
	cursor: string | null;
}

function nextBatch(device: SimDevice, datasetVersion: string): Buffer {
	const mutations: Mutation[] = [];
	for (let i = 0; i < BATCH; i++) {
		const content = device.next();
		const now = new Date().toISOString();
		const edited =
			device.created.length > 0 && device.random() < EDIT_SHARE
				? device.created[Math.floor(device.random() * device.created.length)]
				: undefined;
		const id = edited?.id ?? uuidv7();
		if (!edited) {
			device.created.push({ id, createdAt: now, recommendationId: content.recommendationId });
		}
		const mutation = mutationSchema.parse({
			deviceId: device.id,
			mutationId: device.nextMutationId++,
			opId: uuidv7(),
			op: edited ? 'update' : 'create',
			annotationId: id,
			// The device's own earlier versions are no conflict (push.ts 5f), known or not.
			baseRevision: 0,
			payload: {
				id,
				mission: device.mission,
				datasetVersion,
				...content,
				recommendationId: edited?.recommendationId ?? content.recommendationId,
				author: device.author,
				deviceId: device.id,
				createdAt: edited?.createdAt ?? now,
				updatedAt: now,
				deleted: false,
				revision: 0
			},
			schemaVersion: MUTATION_SCHEMA_VERSION,
			createdAt: now
		} satisfies Mutation);
		mutations.push(mutation);
	}
	return gzipSync(JSON.stringify({ deviceId: device.id, mutations }));
}

async function inParallel<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>) {
	const results: R[] = [];
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await run(items[index]);
		}
	};
	await Promise.all(Array.from({ length: limit }, worker));
	return results;
}

/** 100 focal points: codes made as the admin command makes them, enrolled over HTTP. */
async function enrolDevices(
	url: string,
	databaseUrl: string,
	dataset: DatasetSample
): Promise<SimDevice[]> {
	const missions = MISSION_CODES.slice(0, MISSIONS);
	const indexes = Array.from({ length: DEVICES }, (_, i) => i);
	// One connection for the 100 codes: the admin command opens (and migrates) per run, and
	// two of those in one process wait on each other's SQLite lock.
	const handle = await openDatabase(databaseUrl, { poolSize: 1 });
	const codes = await inParallel(indexes, 4, async (i) => {
		const mission = missions[i % missions.length];
		const { code } = await createEnrolmentCode(
			handle.db,
			{ mission, role: 'focal-point' },
			cliActor()
		);
		return { mission, code };
	}).finally(() => handle.db.destroy());
	const api = createApiClient({ baseUrl: url });
	// Enrolment allows 10 attempts in flight per address; scrypt makes each take a while.
	return inParallel(indexes, 4, async (i) => {
		const { mission, code } = codes[i];
		const id = randomUUID();
		const author = `Focal point ${i + 1}`;
		const { token } = await api.enrol({ code, deviceId: id, displayName: author });
		const device: SimDevice = {
			id,
			token,
			mission,
			author,
			random: seededRandom(1000 + i),
			next: entryGenerator(2000 + i, dataset),
			nextMutationId: 1,
			created: [],
			batches: [],
			cursor: null
		};
		// Made before the clock starts; the paced phase's turns come to about 3 per device.
		for (let s = 0; s < SYNCS + 3; s++) device.batches.push(nextBatch(device, dataset.version));
		return device;
	});
}

/** Mutations the server applied, read from its database. */
async function appliedInDatabase(databaseUrl: string): Promise<number> {
	const query = "select count(*) as n from processed_ops where outcome = 'applied'";
	if (databaseUrl.startsWith('sqlite:')) {
		const db = new Sqlite(databaseUrl.slice('sqlite:'.length), { readonly: true });
		try {
			return Number((db.prepare(query).get() as { n: number }).n);
		} finally {
			db.close();
		}
	}
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		return Number((await client.query<{ n: string }>(query)).rows[0].n);
	} finally {
		await client.end();
	}
}

interface PendingResponse {
	req: RequestDefinition;
	body: string;
	headers: { headers?: string[] };
	duration?: number;
	chunks?: Buffer[];
}
interface ResponseQueue {
	peek(): PendingResponse | undefined;
	addBody(data: Buffer): void;
	terminateRequest(): PendingResponse | undefined;
}

/** What one phase measured. */
interface Tally {
	push: number[];
	pull: number[];
	applied: number;
	duplicate: number;
	conflict: number;
	rejected: number;
	pulled: number;
	failures: string[];
	lastResponseAt: number;
}

function newTally(): Tally {
	return {
		push: [],
		pull: [],
		applied: 0,
		duplicate: 0,
		conflict: 0,
		rejected: 0,
		pulled: 0,
		failures: [],
		lastResponseAt: 0
	};
}

/**
 * One sync per cycle of a connection: a push of the device's next batch, then one pull page
 * from its cursor. A device is taken from `free` for the cycle and given back after its pull,
 * so it is never on two connections at once, and its mutation ids reach the server in order.
 */
function syncRequests(
	free: SimDevice[],
	tally: Tally,
	datasetVersion: string
): RequestDefinition[] {
	const headers = (device: SimDevice) => ({
		Authorization: `Bearer ${device.token}`,
		Accept: 'application/json',
		'Accept-Encoding': 'gzip'
	});
	const deviceOf = (context: Context) => context.device as SimDevice;
	return [
		{
			method: 'POST',
			path: '/api/v1/sync/push',
			setupRequest(request, context) {
				const device = free.shift();
				if (!device) throw new Error('no free device: an answer never came (timeout?)');
				context.device = device;
				device.batches[0] ??= nextBatch(device, datasetVersion);
				request.headers = {
					...headers(device),
					'Content-Type': 'application/json',
					'Content-Encoding': 'gzip'
				};
				request.body = device.batches[0];
				return request;
			},
			onResponse(status, body, context) {
				if (status !== 200) {
					tally.failures.push(`push ${status}: ${body.slice(0, 200)}`);
					return;
				}
				const answer = JSON.parse(body) as PushResponse;
				for (const result of answer.results) tally[result.status]++;
				deviceOf(context).batches.shift();
			}
		},
		{
			method: 'GET',
			path: '/api/v1/sync/pull',
			setupRequest(request, context) {
				const device = deviceOf(context);
				const cursor = device.cursor ? `?cursor=${encodeURIComponent(device.cursor)}` : '';
				request.path = `/api/v1/sync/pull${cursor}`;
				request.headers = headers(device);
				return request;
			},
			onResponse(status, body, context) {
				const device = deviceOf(context);
				free.push(device);
				if (status !== 200) {
					tally.failures.push(`pull ${status}: ${body.slice(0, 200)}`);
					return;
				}
				const page = JSON.parse(body) as PullResponse;
				device.cursor = page.cursor;
				tally.pulled += page.changes.length;
			}
		}
	];
}

/**
 * autocannon hands onResponse the body as a string of the raw bytes, useless when gzip. Its
 * per-connection queue (internals of autocannon 9) is where the bytes arrive: kept here as bytes
 * and inflated, so the answers can be read; each answer's time is recorded by kind. (autocannon's
 * own histogram is not used: with a rate it back-fills samples as if 1 ms were the interval.)
 */
function readBodies(tally: Tally) {
	return (client: unknown) => {
		const queue = (client as { pipelinedRequests?: ResponseQueue }).pipelinedRequests;
		if (typeof queue?.addBody !== 'function' || typeof queue.terminateRequest !== 'function') {
			throw new Error('autocannon internals changed: response bodies cannot be read');
		}
		queue.addBody = (data) => {
			const pending = queue.peek();
			if (pending) (pending.chunks ??= []).push(Buffer.from(data));
		};
		const terminate = queue.terminateRequest.bind(queue);
		queue.terminateRequest = () => {
			const done = terminate();
			if (!done) return done;
			const raw = Buffer.concat(done.chunks ?? []);
			const list = done.headers.headers ?? [];
			const gzip = list.some(
				(value, i) => i % 2 === 0 && /^content-encoding$/i.test(value) && /gzip/.test(list[i + 1])
			);
			done.body = (gzip ? gunzipSync(raw) : raw).toString('utf8');
			tally[done.req.method === 'POST' ? 'push' : 'pull'].push(done.duration ?? NaN);
			tally.lastResponseAt = performance.now();
			return done;
		};
	};
}

interface Phase {
	tally: Tally;
	seconds: number;
	/** Requests autocannon counted as errors or timeouts. */
	errors: number;
	/** Share of one core the server process used, and this process (the load generator). */
	serverCpu: number;
	clientCpu: number;
	/** The server's largest RSS sampled (every 100 ms) during the phase. */
	peakRssMb: number;
}

/** Runs a phase, with the CPU each side used: is the server the bottleneck? */
async function measured(
	pid: number,
	tally: Tally,
	run: () => Promise<{ errors: number }>
): Promise<Phase> {
	const serverBefore = processCpuSeconds(pid);
	const clientBefore = process.cpuUsage();
	let peakRssMb = 0;
	const sampler = setInterval(() => {
		peakRssMb = Math.max(peakRssMb, processMemory(pid).rssMb);
	}, 100);
	const started = performance.now();
	const { errors } = await run().finally(() => clearInterval(sampler));
	const seconds = (tally.lastResponseAt - started) / 1000;
	const client = process.cpuUsage(clientBefore);
	return {
		tally,
		seconds,
		errors,
		serverCpu: (processCpuSeconds(pid) - serverBefore) / seconds,
		clientCpu: (client.user + client.system) / 1e6 / seconds,
		peakRssMb
	};
}

/** Saturation: every device syncs again as soon as its last sync is answered. */
function saturate(app: App, devices: SimDevice[], datasetVersion: string): Promise<Phase> {
	const tally = newTally();
	return measured(app.pid, tally, async () => {
		const result = await autocannon({
			url: app.url,
			connections: devices.length,
			amount: devices.length * SYNCS * 2,
			timeout: 30,
			requests: syncRequests([...devices], tally, datasetVersion),
			setupClient: readBodies(tally)
		});
		return { errors: result.errors + result.timeouts };
	});
}

/**
 * The target rate: PACED_CONNECTIONS connections at one request a second each, started evenly
 * spread over a second (one autocannon each: within one, every connection's rate ticks at the
 * same instant), so pushes of 50 arrive at PACED_CONNECTIONS / 2 a second, evenly, as a fleet
 * whose devices sync at their own times would send them. All 100 devices take turns.
 */
function paced(app: App, devices: SimDevice[], datasetVersion: string): Promise<Phase> {
	const tally = newTally();
	const free = [...devices];
	return measured(app.pid, tally, async () => {
		const runs = Array.from({ length: PACED_CONNECTIONS }, async (_, i) => {
			await new Promise((resolve) => setTimeout(resolve, (i * 1000) / PACED_CONNECTIONS));
			return autocannon({
				url: app.url,
				connections: 1,
				connectionRate: 1,
				amount: PACED_SECONDS,
				timeout: 30,
				requests: syncRequests(free, tally, datasetVersion),
				setupClient: readBodies(tally)
			});
		});
		const results = await Promise.all(runs);
		return { errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0) };
	});
}

/** The server's CPU time (all its threads) per entry it accepted in a phase. */
const cpuMsPerEntry = (phase: Phase) =>
	(phase.serverCpu * phase.seconds * 1000) / Math.max(1, phase.tally.applied);
const ms = (values: number[], p: number) => Math.round(percentile(values, p));
const pct = (share: number) => `${Math.round(share * 100)}%`;

function phaseRows(group: string, label: string, phase: Phase): BenchRow[] {
	const { tally } = phase;
	const all = [...tally.push, ...tally.pull];
	const problems = [
		...(tally.rejected || tally.conflict || tally.duplicate
			? [`${tally.rejected} rejected, ${tally.conflict} conflicts, ${tally.duplicate} dup`]
			: []),
		...(phase.errors ? [`${phase.errors} errors/timeouts`] : []),
		...(tally.failures.length ? [`${tally.failures.length} failed: ${tally.failures[0]}`] : [])
	];
	return [
		{
			group,
			metric: `${label}: entries accepted per second`,
			value: tally.applied / phase.seconds,
			unit: '/s',
			note:
				problems.join('; ') ||
				`${tally.applied} in ${phase.seconds.toFixed(1)} s: ${tally.push.length} pushes of ${BATCH}, ${tally.pull.length} pulls (${tally.pulled} changes)`
		},
		{
			group,
			metric: `${label}: latency p50`,
			value: percentile(all, 50),
			unit: 'ms',
			note: `push ${ms(tally.push, 50)}, pull ${ms(tally.pull, 50)} ms; CPU: server ${pct(phase.serverCpu)}, load generator ${pct(phase.clientCpu)} of a core`
		},
		{
			group,
			metric: `${label}: latency p99`,
			value: percentile(all, 99),
			unit: 'ms',
			note: `push ${ms(tally.push, 99)}, pull ${ms(tally.pull, 99)} ms; max ${ms(all, 100)} ms`
		}
	];
}

async function load(
	backend: string,
	port: number,
	buildDir: string,
	databaseUrl: string
): Promise<BenchRow[]> {
	const app = await startApp(port, { buildDir, databaseUrl });
	try {
		const dataset = await servedDataset(app.url);
		const devices = await enrolDevices(app.url, databaseUrl, dataset);
		const full = await saturate(app, devices, dataset.version);
		const steady = await paced(app, devices, dataset.version);
		const { peakMb } = processMemory(app.pid);
		const answered = full.tally.applied + steady.tally.applied;
		const inDatabase = await appliedInDatabase(databaseUrl);

		const group = `sync load (${DEVICES} devices in ${MISSIONS} missions, ${backend})`;
		const [throughput, ...saturated] = phaseRows(group, 'back to back', full);
		const [offered, p50, p99] = phaseRows(
			group,
			`${(PACED_CONNECTIONS / 2) * BATCH} entries/s offered`,
			steady
		);
		return [
			{
				...throughput,
				target: { op: '>=', value: 1000 },
				note:
					inDatabase === answered
						? `${throughput.note}; the database agrees`
						: `MISMATCH: the database has ${inDatabase} applied, the answers said ${answered}`
			},
			// Every device always has a request in flight: latency is queueing (100 / throughput).
			...saturated,
			offered,
			p50,
			{ ...p99, target: { op: '<=', value: 100 } },
			{
				group,
				metric: 'server CPU per accepted entry',
				value: cpuMsPerEntry(steady),
				unit: 'ms',
				note: `at ${(PACED_CONNECTIONS / 2) * BATCH}/s offered (its push and its pulls by the mission's other devices); back to back ${cpuMsPerEntry(full).toFixed(2)} ms`
			},
			{
				group,
				metric: 'server peak RSS',
				value: peakMb,
				unit: 'MB',
				note: `sampled: back to back ${Math.round(full.peakRssMb)} MB, paced ${Math.round(steady.peakRssMb)} MB`
			}
		];
	} finally {
		await app.stop();
	}
}

/** The same load on SQLite and on PostgreSQL (a skipped row when PostgreSQL is unreachable). */
export async function syncLoad(
	buildDir = 'build',
	port = 4712,
	backends: readonly ('SQLite' | 'PostgreSQL')[] = ['SQLite', 'PostgreSQL']
): Promise<BenchRow[]> {
	const rows: BenchRow[] = [];
	if (backends.includes('SQLite')) {
		const dir = mkdtempSync(join(tmpdir(), 'fieldmatrix-bench-load-'));
		try {
			rows.push(
				...(await load('SQLite', port, buildDir, `sqlite:${join(dir, 'fieldmatrix.sqlite')}`))
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}
	if (!backends.includes('PostgreSQL')) return rows;
	const postgres = await freshPostgresDatabase();
	if ('unavailable' in postgres) {
		rows.push({
			group: `sync load (${DEVICES} devices, autocannon, PostgreSQL)`,
			metric: 'SKIPPED',
			value: NaN,
			unit: '',
			note: postgres.unavailable
		});
		return rows;
	}
	try {
		rows.push(...(await load('PostgreSQL', port + 1, buildDir, postgres.url)));
	} finally {
		await postgres.drop();
	}
	return rows;
}
