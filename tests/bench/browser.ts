import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';

/** The app itself lives in app.ts, for the benchmarks that need no browser. */
export { startApp, type App, type AppOptions } from './app';

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** A focal point's first visit: the app opened, the set stored, the mission profile (UNMISS) saved. */
export async function startAsFocalPoint(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.locator('main li a').first().waitFor();
	await page.getByLabel('Mission', { exact: true }).selectOption('UNMISS');
	await page.getByLabel('Your name').fill('Bench');
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByRole('heading', { name: 'Progress of UNMISS' }).waitFor();
}
