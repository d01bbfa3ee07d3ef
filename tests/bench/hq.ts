import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from '@playwright/test';
import { uuidv7 } from '$lib/client/annotations/uuid';
import { createApiClient } from '$lib/client/sync/api-client';
import {
	annotationSchema,
	MUTATION_SCHEMA_VERSION,
	mutationSchema,
	type Annotation,
	type Mutation
} from '$lib/shared/annotation';
import { MISSIONS } from '$lib/shared/missions';
import { SYNC_LIMITS } from '$lib/shared/sync';
import { startApp } from './app';
import { percentile, type BenchRow } from './report';
import { adminEnrolmentCode, entryGenerator, servedDataset } from './sync-support';

/**
 * The Headquarters console at full size: every mission (12) with 20 entries on every
 * recommendation (121), 29,040 entries, pushed by one device per mission through the real push
 * API. Then, against that server: the matrix API, the CSV and Word exports (server side, via the
 * routes), and in Chromium the /hq page until every cell of the matrix is drawn, and again after
 * a filter change.
 */

const ENTRIES_PER_PAIR = 20;
const RUNS = 5;

const execFileAsync = promisify(execFile);

export async function hqViewerCode(databaseUrl: string): Promise<string> {
	const { stdout } = await execFileAsync(
		process.execPath,
		['node_modules/tsx/dist/cli.mjs', 'src/cli/admin.ts', 'create-code', '--role', 'hq-viewer'],
		{ env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' }
	);
	const code = /Enrolment code: (\S+)/.exec(stdout)?.[1];
	if (!code) throw new Error(`no code in: ${stdout}`);
	return code;
}

/** One device per mission pushes ENTRIES_PER_PAIR entries on each recommendation. */
async function seed(url: string, databaseUrl: string): Promise<number> {
	const dataset = await servedDataset(url);
	const api = createApiClient({ baseUrl: url });
	let total = 0;
	for (const [m, { code: mission }] of MISSIONS.entries()) {
		const deviceId = crypto.randomUUID();
		const { token } = await api.enrol({
			code: await adminEnrolmentCode(databaseUrl, mission),
			deviceId,
			displayName: `Bench ${mission}`
		});
		const next = entryGenerator(20_250_000 + m, dataset);
		const mutations: Mutation[] = [];
		for (const recommendationId of dataset.ids) {
			for (let i = 0; i < ENTRIES_PER_PAIR; i++) {
				const now = new Date().toISOString();
				const entry: Annotation = annotationSchema.parse({
					id: uuidv7(),
					mission,
					datasetVersion: dataset.version,
					...next(),
					recommendationId,
					author: `Focal point ${mission}`,
					deviceId,
					createdAt: now,
					updatedAt: now,
					deleted: false,
					revision: 0
				});
				mutations.push(
					mutationSchema.parse({
						deviceId,
						mutationId: mutations.length + 1,
						opId: uuidv7(),
						op: 'create',
						annotationId: entry.id,
						baseRevision: 0,
						payload: entry,
						schemaVersion: MUTATION_SCHEMA_VERSION,
						createdAt: now
					})
				);
			}
		}
		for (let start = 0; start < mutations.length; start += SYNC_LIMITS.pushBatch) {
			const batch = mutations.slice(start, start + SYNC_LIMITS.pushBatch);
			const { results } = await api.push(token, { deviceId, mutations: batch });
			const refused = results.filter((r) => r.status !== 'applied');
			if (refused.length) throw new Error(`push refused: ${JSON.stringify(refused[0])}`);
		}
		total += mutations.length;
	}
	return total;
}

/** Median wall time of `runs` calls, and the last answer. */
async function timed<T>(runs: number, call: () => Promise<T>): Promise<{ ms: number; last: T }> {
	const times: number[] = [];
	let last: T | undefined;
	for (let i = 0; i < runs; i++) {
		const started = performance.now();
		last = await call();
		times.push(performance.now() - started);
	}
	return { ms: percentile(times, 50), last: last as T };
}

export async function hqConsole(browser: Browser, port: number): Promise<BenchRow[]> {
	const app = await startApp(port);
	const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
	try {
		const seedStart = performance.now();
		const entries = await seed(app.url, app.databaseUrl);
		const seedMs = performance.now() - seedStart;

		// The browser: enrolled with an HQ viewer's code, its first sync (every mission's entries
		// come down to an HQ laptop too) finished before anything is measured.
		const page = await context.newPage();
		await page.goto(app.url);
		await page.locator('main li a').first().waitFor();
		await page.goto(`${app.url}/settings`);
		await page.getByLabel('Enrolment code').fill(await hqViewerCode(app.databaseUrl));
		await page.getByLabel('Your name', { exact: true }).last().fill('Bench desk');
		await page.getByRole('button', { name: 'Connect' }).click();
		await page.getByTestId('enrol-result').waitFor();
		await page
			.locator('[data-testid="sync-status"][data-state="up-to-date"]')
			.waitFor({ timeout: 300_000 });
		// Node's own HQ viewer, for the routes.
		const { token } = await createApiClient({ baseUrl: app.url }).enrol({
			code: await hqViewerCode(app.databaseUrl),
			deviceId: crypto.randomUUID(),
			displayName: 'Bench exports'
		});
		const headers = { Authorization: `Bearer ${token}` };
		const fetchOk = async (path: string) => {
			const response = await fetch(`${app.url}${path}`, { headers });
			if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
			return new Uint8Array(await response.arrayBuffer());
		};

		const matrixApi = await timed(RUNS, () => fetchOk('/api/v1/hq/matrix'));
		const csv = await timed(3, () => fetchOk('/api/v1/hq/export.csv'));
		const docx = await timed(3, () => fetchOk('/api/v1/hq/export.docx'));

		// /hq opened afresh, until every cell is drawn: the app's start, the catalog from Dexie,
		// the HQ API's answers and the render, measured by the page's own clock.
		const report = (await (await fetch(`${app.url}/api/v1/recommendations`)).json()) as {
			recommendations: { section: { numeral: string } }[];
		};
		const cells = MISSIONS.length * report.recommendations.length;
		const inSection = (numeral: string) =>
			MISSIONS.length * report.recommendations.filter((r) => r.section.numeral === numeral).length;
		/** The page's clock when `count` cells are shown and laid out (checked every frame). */
		const drawnAt = async (count: number) => {
			const handle = await page.waitForFunction(
				(count) => {
					const shown = document.querySelectorAll(
						'tr:not([hidden]) > td > [data-testid="hq-cell"]:not([hidden])'
					).length;
					// Reading a layout property makes the layout part of the time.
					return shown === count && document.body.offsetHeight > 0 && performance.now();
				},
				count,
				{ timeout: 60_000, polling: 'raf' }
			);
			return Number(await handle.jsonValue());
		};
		const opens: number[] = [];
		for (let i = 0; i < RUNS; i++) {
			await page.goto(`${app.url}/hq`);
			opens.push(await drawnAt(cells));
		}

		// A filter changed: the URL, the selection and the grid drawn again (a section, then back).
		const filters: number[] = [];
		const section = page.getByRole('search').getByLabel('Section');
		for (let i = 0; i < RUNS; i++) {
			for (const value of ['VIII', '']) {
				const before = await page.evaluate(() => performance.now());
				await section.selectOption(value);
				filters.push((await drawnAt(value ? inSection(value) : cells)) - before);
			}
		}

		const group = `HQ console (${MISSIONS.length} missions × 121 recommendations × ${ENTRIES_PER_PAIR} entries)`;
		const kb = (bytes: Uint8Array) => `${Math.round(bytes.byteLength / 1024)} KB`;
		return [
			{
				group,
				metric: `seed ${entries.toLocaleString('en')} entries through the push API`,
				value: seedMs,
				unit: 'ms',
				note: `${MISSIONS.length} devices, batches of ${SYNC_LIMITS.pushBatch}`
			},
			{
				group,
				metric: `GET /api/v1/hq/matrix (median of ${RUNS})`,
				value: matrixApi.ms,
				unit: 'ms',
				note: kb(matrixApi.last)
			},
			{
				group,
				metric: `open /hq in Chromium until all ${cells.toLocaleString('en')} cells are drawn (median of ${RUNS})`,
				value: percentile(opens, 50),
				unit: 'ms',
				note: 'from navigation start: app start, Dexie catalog, HQ API, render'
			},
			{
				group,
				metric: `redraw after a filter change (median of ${filters.length})`,
				value: percentile(filters, 50),
				unit: 'ms',
				note: 'section VIII and back to every section'
			},
			{
				group,
				metric: 'CSV export, all missions (median of 3)',
				value: csv.ms,
				unit: 'ms',
				note: kb(csv.last)
			},
			{
				group,
				metric: 'Word (DOCX) export, all missions (median of 3)',
				value: docx.ms,
				unit: 'ms',
				note: kb(docx.last)
			}
		];
	} finally {
		await context.close();
		await app.stop();
	}
}

/** `npx tsx tests/bench/hq.ts`: this benchmark alone, against the current build. */
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	const { launchChromium } = await import('./browser');
	const { printTable } = await import('./report');
	const browser = await launchChromium();
	try {
		printTable(await hqConsole(browser, 4704));
	} finally {
		await browser.close();
	}
}
