import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EvidenceItem, ProgressStatus } from '$lib/shared/annotation';
import { POSTGRES_ADMIN_URL, scratchDatabase } from '../postgres-admin';

/** What the sync benchmarks share: the server's build and memory, codes, data, bytes, PostgreSQL. */

/**
 * A private copy of build/, so a rebuild meanwhile cannot change what is measured. Inside the
 * project, so the server still resolves its packages from node_modules.
 */
export function copyBuild(source = 'build'): { dir: string; remove(): void } {
	mkdirSync('tests/bench/.tmp', { recursive: true });
	const dir = mkdtempSync(join('tests/bench/.tmp', 'build-'));
	cpSync(source, dir, { recursive: true });
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A process's resident memory now and at its peak (VmHWM), in MB; NaN off Linux. */
export function processMemory(pid: number): { rssMb: number; peakMb: number } {
	let status = '';
	try {
		status = readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		// not Linux, or the process is gone
	}
	const kb = (field: string) =>
		Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
	return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU seconds a process has used (user + system, all its threads); NaN off Linux. */
export function processCpuSeconds(pid: number): number {
	try {
		// Fields after the command name, which is in parentheses and may hold spaces.
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		// utime and stime, in clock ticks: 100 a second on Linux (USER_HZ).
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return NaN;
	}
}

const execFileAsync = promisify(execFile);

/** A focal point's one-time code, from the admin command (`npm run admin -- create-code`). */
export async function adminEnrolmentCode(databaseUrl: string, mission: string): Promise<string> {
	const { stdout } = await execFileAsync(
		process.execPath,
		[
			'node_modules/tsx/dist/cli.mjs',
			'src/cli/admin.ts',
			'create-code',
			'--mission',
			mission,
			'--role',
			'focal-point'
		],
		{ env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' }
	);
	const code = /Enrolment code: (\S+)/.exec(stdout)?.[1];
	if (!code) throw new Error(`no code in: ${stdout}`);
	return code;
}

/** What entries refer to and sound like: the served dataset's version, ids and prose. */
export interface DatasetSample {
	version: string;
	ids: string[];
	/** The Secretariat's status text, cut into sentences: the notes are written from these. */
	sentences: string[];
}

export async function servedDataset(url: string): Promise<DatasetSample> {
	const response = await fetch(`${url}/api/v1/recommendations`);
	if (!response.ok) throw new Error(`GET /api/v1/recommendations: ${response.status}`);
	const dataset = (await response.json()) as {
		version: string;
		recommendations: { id: string; paragraphs: string[] }[];
	};
	const sentences = dataset.recommendations
		.flatMap((r) => r.paragraphs)
		.flatMap((paragraph) => paragraph.split(/(?<=[.;])\s+(?=[A-Z(])/))
		.filter((sentence) => sentence.length >= 30 && sentence.length <= 500);
	return {
		version: dataset.version,
		ids: dataset.recommendations.map((r) => r.id),
		sentences
	};
}

// ---------------------------------------------------------------------------------------------
// Entries as focal points write them, from a seeded generator (same content on every run; only
// ids and timestamps differ, of the same length and randomness every time).

export type Random = () => number;

/** mulberry32: small, fast, good enough to pick words. */
export function seededRandom(seed: number): Random {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const between = (r: Random, low: number, high: number) => low + Math.floor(r() * (high - low + 1));

const LABELS = [
	'Code Cable',
	'Mission report',
	'Training record',
	'Press release',
	'Situation report',
	'Letter to the host Government',
	'Meeting minutes'
];
const MISSION_SITES = ['unmiss', 'minusca', 'monusco', 'unifil', 'unisfa', 'unficyp'];

function evidenceItem(r: Random): EvidenceItem {
	const item: EvidenceItem = { label: pick(r, LABELS) };
	const kind = r();
	if (kind < 0.6) {
		item.symbol = pick(r, [
			`S/${between(r, 2022, 2025)}/${between(r, 100, 999)}`,
			`A/${between(r, 77, 79)}/${between(r, 1, 900)}`,
			`ST/SGB/${between(r, 2019, 2025)}/${between(r, 1, 12)}`
		]);
	}
	if (kind >= 0.4) {
		item.url = pick(r, [
			`https://peacekeeping.un.org/en/mission/${pick(r, MISSION_SITES)}`,
			`https://docs.un.org/en/S/${between(r, 2022, 2025)}/${between(r, 100, 999)}`,
			`https://${pick(r, MISSION_SITES)}.unmissions.org/en/news-${between(r, 1000, 9999)}`
		]);
	}
	return item;
}

export interface EntryContent {
	recommendationId: string;
	status: ProgressStatus;
	note: string;
	evidence: EvidenceItem[];
	progressDate: string;
}

/**
 * Entry contents. Notes are real peacekeeping prose (sentences of the report, about 190
 * characters each): 55% one sentence, 35% two, 10% three to six, so about 320 characters
 * on average; gzip finds some repeats a field's free text would not have (about 460 distinct
 * sentences). Half the entries carry evidence: one to three items, a symbol and/or a link.
 */
export function entryGenerator(seed: number, dataset: DatasetSample): () => EntryContent {
	const r = seededRandom(seed);
	const today = Date.now();
	return () => {
		const shape = r();
		const sentences = shape < 0.55 ? 1 : shape < 0.9 ? 2 : between(r, 3, 6);
		const note = Array.from({ length: sentences }, () => pick(r, dataset.sentences))
			.join(' ')
			.slice(0, 4000);
		const withEvidence = r();
		const items = withEvidence < 0.5 ? 0 : withEvidence < 0.8 ? 1 : withEvidence < 0.95 ? 2 : 3;
		const status = pick<ProgressStatus>(r, [
			'in-progress',
			'in-progress',
			'in-progress',
			'planned',
			'planned',
			'implemented',
			'implemented',
			'not-started',
			'needs-hq-support',
			'not-applicable'
		]);
		const daysAgo = between(r, 0, 365);
		return {
			recommendationId: pick(r, dataset.ids),
			status,
			note,
			evidence: Array.from({ length: items }, () => evidenceItem(r)),
			progressDate: new Date(today - daysAgo * 86_400_000).toISOString().slice(0, 10)
		};
	};
}

// ---------------------------------------------------------------------------------------------

/** Bytes and time of one kind of request, as they went over the wire. */
export interface WireTally {
	requests: number;
	/** Request bodies as sent (gzip when the client compressed them). */
	sentBytes: number;
	/** Response bodies as sent: Content-Length, which the server sets to the compressed size. */
	receivedBytes: number;
	/** Time from sending to the answer's headers: network and server. */
	waitMs: number;
	/** performance.now() when the first request of this kind was sent. */
	firstAt?: number;
}

/**
 * A fetch for createApiClient that counts bytes per endpoint. Node's fetch asks for gzip and
 * inflates on its own, so the body the client reads is not what travelled: Content-Length is.
 */
export function meteredFetch(): { fetch: typeof fetch; tally(path: string): WireTally } {
	const tallies = new Map<string, WireTally>();
	const tally = (path: string) => {
		let found = tallies.get(path);
		if (!found) {
			found = { requests: 0, sentBytes: 0, receivedBytes: 0, waitMs: 0 };
			tallies.set(path, found);
		}
		return found;
	};
	const metered = async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = new URL(input instanceof Request ? input.url : String(input));
		const counts = tally(url.pathname);
		const body = init?.body;
		if (body !== undefined && body !== null && typeof body !== 'string') {
			if (!(body instanceof Uint8Array)) throw new Error('meteredFetch: unexpected body type');
		}
		const started = performance.now();
		counts.firstAt ??= started;
		counts.requests++;
		counts.sentBytes +=
			typeof body === 'string'
				? Buffer.byteLength(body)
				: body instanceof Uint8Array
					? body.byteLength
					: 0;
		const response = await fetch(input, init);
		counts.waitMs += performance.now() - started;
		const length = response.headers.get('content-length');
		if (length === null) throw new Error(`no Content-Length on ${url.pathname}`);
		counts.receivedBytes += Number(length);
		return response;
	};
	return { fetch: metered as typeof fetch, tally };
}

// ---------------------------------------------------------------------------------------------

/**
 * A fresh database on the tests' PostgreSQL (TEST_POSTGRES_URL), or why there is none: the
 * caller reports a skipped row instead of failing.
 */
export async function freshPostgresDatabase(): Promise<
	{ url: string; drop(): Promise<void> } | { unavailable: string }
> {
	try {
		return await scratchDatabase('fieldmatrix_bench');
	} catch (error) {
		return {
			unavailable: `PostgreSQL unreachable at ${new URL(POSTGRES_ADMIN_URL).host}: ${String(error)}`
		};
	}
}
