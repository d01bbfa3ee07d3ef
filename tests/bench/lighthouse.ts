import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromiumArgs, chromiumPath } from '../chromium';
import { startApp } from './app';
import { hqViewerCode } from './hq';
import type { BenchRow } from './report';

/**
 * Lighthouse 12.2.3 (pinned), its default mobile profile (a mid-range phone: simulated slow 4G,
 * CPU 4×), on Debian's Chromium: the home page, a recommendation and /hq, three runs each, the
 * median score per category. Home and the recommendation are cold first visits (Lighthouse
 * clears the origin's storage before each run). /hq needs an HQ viewer's token, which lives in
 * IndexedDB, so it is enrolled first in the same browser and its storage kept: a warm load.
 */

const RUNS = 3;
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
const TARGETS: Record<(typeof CATEGORIES)[number], number> = {
	performance: 95,
	accessibility: 100,
	'best-practices': 100
};

interface Audited {
	scores: Record<(typeof CATEGORIES)[number], number>;
	lcpMs: number;
	tbtMs: number;
	/** First contentful paint, speed index, layout shift: the rest of the score. */
	fcpMs: number;
	speedIndexMs: number;
	cls: number;
	/** The audits that cost points outside performance, for the note. */
	failing: string[];
}

async function audit(url: string, port: number, keepStorage: boolean): Promise<Audited> {
	const result = await lighthouse(url, {
		port,
		output: 'json',
		logLevel: 'error',
		onlyCategories: [...CATEGORIES],
		disableStorageReset: keepStorage
	});
	if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
	const { lhr } = result;
	if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
	const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
	const failing = CATEGORIES.filter((c) => c !== 'performance').flatMap((c) =>
		lhr.categories[c].auditRefs
			.filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
			.map((ref) => ref.id)
	);
	return {
		scores: {
			performance: score('performance'),
			accessibility: score('accessibility'),
			'best-practices': score('best-practices')
		},
		lcpMs: lhr.audits['largest-contentful-paint']?.numericValue ?? NaN,
		tbtMs: lhr.audits['total-blocking-time']?.numericValue ?? NaN,
		fcpMs: lhr.audits['first-contentful-paint']?.numericValue ?? NaN,
		speedIndexMs: lhr.audits['speed-index']?.numericValue ?? NaN,
		cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN,
		failing
	};
}

/** The medians of what makes the performance score, so a low one says where it lost. */
function performanceNote(runs: Audited[]): string {
	const ms = (pick: (run: Audited) => number) => `${Math.round(median(runs.map(pick)))} ms`;
	const cls = median(runs.map((run) => run.cls)).toFixed(3);
	return `FCP ${ms((r) => r.fcpMs)}, LCP ${ms((r) => r.lcpMs)}, SI ${ms((r) => r.speedIndexMs)}, TBT ${ms((r) => r.tbtMs)}, CLS ${cls}`;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Enrols the browser behind `debuggingPort` as an HQ viewer (Settings, as a person would). */
async function enrolHq(debuggingPort: number, url: string, databaseUrl: string): Promise<void> {
	const browser = await chromium.connectOverCDP(`http://127.0.0.1:${debuggingPort}`);
	try {
		const page = await browser.contexts()[0].newPage();
		await page.goto(url);
		await page.locator('main li a').first().waitFor();
		await page.goto(`${url}/settings`);
		await page.getByLabel('Enrolment code').fill(await hqViewerCode(databaseUrl));
		await page.getByLabel('Your name', { exact: true }).last().fill('Lighthouse desk');
		await page.getByRole('button', { name: 'Connect' }).click();
		await page.locator('[data-testid="sync-status"][data-state="up-to-date"]').waitFor();
		await page.close();
	} finally {
		// Leaves the browser running: closing a CDP connection does not close Chromium.
		await browser.close();
	}
}

export async function lighthouseScores(port: number): Promise<BenchRow[]> {
	const app = await startApp(port);
	const profile = mkdtempSync(join(tmpdir(), 'fieldmatrix-lighthouse-'));
	const chrome = await chromeLauncher.launch({
		...(chromiumPath ? { chromePath: chromiumPath } : {}),
		chromeFlags: [...chromiumArgs, '--headless=new'],
		userDataDir: profile
	});
	const rows: BenchRow[] = [];
	try {
		const pages = [
			{ name: 'home', path: '/', warm: false },
			{ name: 'a recommendation', path: '/recommendations/135', warm: false },
			{ name: '/hq', path: '/hq', warm: true }
		];
		for (const { name, path, warm } of pages) {
			if (warm) await enrolHq(chrome.port, app.url, app.databaseUrl);
			const runs: Audited[] = [];
			for (let i = 0; i < RUNS; i++) runs.push(await audit(`${app.url}${path}`, chrome.port, warm));
			for (const category of CATEGORIES) {
				const scores = runs.map((run) => run.scores[category]);
				const failing = [...new Set(runs.flatMap((run) => run.failing))];
				rows.push({
					group: 'Lighthouse 12.2.3, mobile (median of 3)',
					metric: `${name}: ${category}`,
					value: median(scores),
					unit: '',
					target: { op: '>=', value: TARGETS[category] },
					note:
						category === 'performance'
							? `runs ${scores.join(', ')}; ${performanceNote(runs)}${warm ? '; warm (enrolled, storage kept)' : '; cold'}`
							: `runs ${scores.join(', ')}${failing.length ? `; failing: ${failing.join(', ')}` : ''}`
				});
			}
		}
	} finally {
		chrome.kill();
		await app.stop();
		rmSync(profile, { recursive: true, force: true });
	}
	return rows;
}
