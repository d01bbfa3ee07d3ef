import type { Browser, Page } from '@playwright/test';
import { startApp, startAsFocalPoint } from './browser';
import { percentile, type BenchRow } from './report';

/** A phone's CPU: the 4× slowdown, as for the first visit. */
const CPU_SLOWDOWN = 4;
/** What a focal point types, one keystroke at a time (as in the Node search bench). */
const QUERIES = ['sexual exploitation', 'MONUSCO', 'gender parity', 'disinformaton', '135'];
/** From the tap in the search box to the first key: a quick thumb on a phone's keyboard. */
const TAP_TO_FIRST_KEY_MS = 300;
/** The issue sets no figure for these: RAIL's "respond within 100 ms" is the yardstick. */
const RESPONSE_TARGET = { op: '<=', value: 100 } as const;
const RESPONSE_NOTE = "RAIL's response budget (the issue sets none)";
/** Rows to open, spread over the list (every third of 121: 41), so p95 is not just the slowest. */
const OPENS = 60;
/** How long one interaction may take before the bench gives up on it (not a target). */
const GIVE_UP_MS = 15_000;

/**
 * One keystroke in the search box, timed in the page: from the input event to the frame where
 * the URL holds the query and the list shows its results (no longer "Searching…").
 */
function keystroke(page: Page, value: string): Promise<number> {
	return page.evaluate(
		async ({ value, giveUpMs }) => {
			const input = document.querySelector<HTMLInputElement>('#matrix-search')!;
			const count = document.querySelector('[data-testid="result-count"]')!;
			// The app trims the query it puts in the URL.
			const wanted = value.trim();
			const started = performance.now();
			input.value = value;
			input.dispatchEvent(new Event('input', { bubbles: true }));
			for (;;) {
				await new Promise((resolve) => requestAnimationFrame(resolve));
				const q = new URL(location.href).searchParams.get('q') ?? '';
				if (q === wanted && !count.textContent?.endsWith('…')) break;
				if (performance.now() - started > giveUpMs) {
					throw new Error(`"${value}": still "${count.textContent}" at ${location.href}`);
				}
			}
			return performance.now() - started;
		},
		{ value, giveUpMs: GIVE_UP_MS }
	);
}

/**
 * A tap on a row of the list, timed in the page: from the click to the frame that shows the
 * recommendation's title and its mission progress panel.
 */
function openRecommendation(page: Page, paragraph: string): Promise<number> {
	return page.evaluate(
		async ({ paragraph, giveUpMs }) => {
			const link = document.querySelector<HTMLAnchorElement>(
				`main a[href$="/recommendations/${paragraph}"]`
			)!;
			const started = performance.now();
			link.click();
			for (;;) {
				await new Promise((resolve) => requestAnimationFrame(resolve));
				const title = document.querySelector('#recommendation-title')?.textContent ?? '';
				const panel = [...document.querySelectorAll('main button')].some(
					(button) => button.textContent?.trim() === 'Add progress'
				);
				if (title.includes(paragraph) && panel) break;
				if (performance.now() - started > giveUpMs) {
					throw new Error(`paragraph ${paragraph}: not shown at ${location.href}`);
				}
			}
			return performance.now() - started;
		},
		{ paragraph, giveUpMs: GIVE_UP_MS }
	);
}

/**
 * Search as you type and opening a recommendation in Chromium at 360 px with the CPU slowed
 * 4×, through the app as a focal point uses it (a mission profile saved, the set in IndexedDB).
 */
export async function interactionLatency(browser: Browser, port: number): Promise<BenchRow[]> {
	const app = await startApp(port);
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	try {
		await startAsFocalPoint(page, app.url);
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

		// Search: a tap in the box, a moment for the thumb, then every prefix of each query and
		// the box cleared, as a user would.
		await page.locator('#matrix-search').focus();
		await page.waitForTimeout(TAP_TO_FIRST_KEY_MS);
		const firstKeystrokes: number[] = [];
		const keystrokes: number[] = [];
		for (let round = 0; round < 3; round++) {
			for (const query of QUERIES) {
				for (let i = 1; i <= query.length; i++) {
					const ms = await keystroke(page, query.slice(0, i));
					(firstKeystrokes.length === 0 ? firstKeystrokes : keystrokes).push(ms);
				}
				await keystroke(page, '');
			}
		}

		// Open: rows spread over the report, from the whole list, and back to it each time. Enough
		// of them that the p95 is not simply the slowest one (of 20, it was).
		const paragraphs = await page
			.locator('main li a[href*="/recommendations/"]')
			.evaluateAll((links) => links.map((link) => link.getAttribute('href')!.split('/').at(-1)!));
		const picked = paragraphs.filter((_, i) => i % Math.ceil(paragraphs.length / OPENS) === 0);
		const opens: number[] = [];
		for (const paragraph of picked) {
			opens.push(await openRecommendation(page, paragraph));
			await page.goBack();
			await page.locator(`main a[href$="/recommendations/${paragraph}"]`).waitFor();
		}

		const group = `interaction (Chromium, 360 px, CPU ${CPU_SLOWDOWN}x)`;
		return [
			{
				group,
				metric: `search: the first keystroke, ${TAP_TO_FIRST_KEY_MS} ms after the tap in the box`,
				value: firstKeystrokes[0],
				unit: 'ms'
			},
			{
				group,
				metric: `search as you type p50 (${keystrokes.length} keystrokes)`,
				value: percentile(keystrokes, 50),
				unit: 'ms'
			},
			{
				group,
				metric: 'search as you type p95',
				value: percentile(keystrokes, 95),
				unit: 'ms',
				target: RESPONSE_TARGET,
				note: RESPONSE_NOTE
			},
			{
				group,
				metric: `open a recommendation from the list p50 (${opens.length} rows)`,
				value: percentile(opens, 50),
				unit: 'ms'
			},
			{
				group,
				metric: 'open a recommendation p95',
				value: percentile(opens, 95),
				unit: 'ms',
				target: RESPONSE_TARGET,
				note: RESPONSE_NOTE
			}
		];
	} finally {
		await context.close();
		await app.stop();
	}
}
