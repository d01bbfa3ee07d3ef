import type { Browser, Page } from '@playwright/test';
import { startApp, startAsFocalPoint } from './browser';
import { percentile, type BenchRow } from './report';

/** Adds one entry through the editor; answers the app's own measure of the save (ms). */
async function saveEntry(page: Page, note: string): Promise<number> {
	await page.getByRole('button', { name: 'Add progress' }).click();
	await page.getByRole('radio', { name: 'In progress', exact: true }).check();
	await page.getByRole('textbox', { name: 'Note', exact: true }).fill(note);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.getByRole('button', { name: 'Add progress' }).waitFor();
	return page.evaluate(
		() => performance.getEntriesByName('fieldmatrix:save-entry').at(-1)?.duration ?? NaN
	);
}

/**
 * Recording progress in Chromium, through the real UI: the save of one entry (validation and
 * the one IndexedDB transaction that writes entry, outbox and history), measured by the app's
 * own performance mark; then opening a recommendation whose timeline holds 200 entries.
 */
export async function progressRecording(browser: Browser, port: number): Promise<BenchRow[]> {
	const app = await startApp(port);
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	await startAsFocalPoint(page, app.url);

	// A focal point's usual save: one entry on each of 60 recommendations.
	await page.goto(`${app.url}/recommendations/22`);
	const typical: number[] = [];
	for (let i = 0; i < 60; i++) {
		typical.push(await saveEntry(page, `Planned for the next quarter (${i}).`));
		await page.getByRole('link', { name: /^Next: paragraph/ }).click();
		await page.getByRole('heading', { level: 1 }).waitFor();
	}

	// The worst case: saving again and again on one page whose list keeps growing to 200.
	await page.goto(`${app.url}/recommendations/139`);
	const entries = 200;
	const growing: number[] = [];
	for (let i = 0; i < entries; i++) {
		growing.push(await saveEntry(page, `Entry ${i}: vetting of newly deployed personnel.`));
	}

	const renders: number[] = [];
	for (let i = 0; i < 5; i++) {
		await page.goto(`${app.url}/recommendations/138`);
		await page.getByRole('heading', { level: 1 }).waitFor();
		const started = Date.now();
		await page.getByRole('link', { name: /Next: paragraph 139/ }).click();
		await page
			.getByTestId('progress-entry')
			.nth(entries - 1)
			.waitFor();
		renders.push(Date.now() - started);
	}
	await context.close();
	await app.stop();

	const group = 'progress (Chromium, real UI)';
	return [
		{
			group,
			metric: `save one entry p50 (${typical.length} recommendations)`,
			value: percentile(typical, 50),
			unit: 'ms'
		},
		{
			group,
			metric: 'save one entry p95',
			value: percentile(typical, 95),
			unit: 'ms',
			target: { op: '<=', value: 50 }
		},
		{
			group,
			metric: `save p95 on one page growing to ${entries} entries`,
			value: percentile(growing, 95),
			unit: 'ms'
		},
		{
			group,
			metric: `open a recommendation with ${entries} entries (median of 5)`,
			value: percentile(renders, 50),
			unit: 'ms'
		}
	];
}
