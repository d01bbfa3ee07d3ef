import type { Browser } from '@playwright/test';
import { startApp } from './browser';
import { percentile, type BenchRow } from './report';

/**
 * Recording progress in Chromium, through the real UI: the save of one entry (validation and
 * the one IndexedDB transaction that writes entry, outbox and history), measured by the app's
 * own performance mark; then opening a recommendation whose timeline holds 200 entries.
 */
export async function progressRecording(browser: Browser, port: number): Promise<BenchRow[]> {
	const app = await startApp(port);
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	await page.goto(app.url);
	await page.locator('main li a').first().waitFor();
	await page.getByLabel('Mission', { exact: true }).selectOption('UNMISS');
	await page.getByLabel('Your name').fill('Bench');
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByRole('heading', { name: 'Progress of UNMISS' }).waitFor();

	await page.goto(`${app.url}/recommendations/39`);
	const entries = 200;
	for (let i = 0; i < entries; i++) {
		await page.getByRole('button', { name: 'Add progress' }).click();
		await page.getByRole('radio', { name: 'In progress', exact: true }).check();
		await page
			.getByLabel('Note')
			.fill(`Entry ${i}: vetting of newly deployed personnel completed.`);
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await page.getByRole('button', { name: 'Add progress' }).waitFor();
	}
	const saves = await page.evaluate(() =>
		performance.getEntriesByName('fieldmatrix:save-entry').map((entry) => entry.duration)
	);

	const renders: number[] = [];
	for (let i = 0; i < 5; i++) {
		await page.goto(`${app.url}/recommendations/38`);
		await page.getByRole('heading', { level: 1 }).waitFor();
		const started = Date.now();
		await page.getByRole('link', { name: /Next: paragraph 39/ }).click();
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
			metric: `save one entry p50 (${saves.length} saves)`,
			value: percentile(saves, 50),
			unit: 'ms'
		},
		{
			group,
			metric: 'save one entry p95',
			value: percentile(saves, 95),
			unit: 'ms',
			target: { op: '<=', value: 50 }
		},
		{
			group,
			metric: `open a recommendation with ${entries} entries (median of 5)`,
			value: percentile(renders, 50),
			unit: 'ms'
		}
	];
}
