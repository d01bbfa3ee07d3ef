import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { build } from 'esbuild';

const PROJECT = resolve(import.meta.dirname, '../../..');

/** A device module (fieldmatrix-device.ts, pouchdb-device.ts) as one script for the page. */
export async function bundleDevice(entry: string): Promise<string> {
	const result = await build({
		entryPoints: [resolve(import.meta.dirname, entry)],
		bundle: true,
		write: false,
		format: 'iife',
		platform: 'browser',
		target: 'chrome120',
		alias: {
			$lib: resolve(PROJECT, 'src/lib'),
			events: resolve(import.meta.dirname, 'events.ts')
		},
		define: { 'process.env.NODE_ENV': '"production"' },
		logLevel: 'warning'
	});
	return result.outputFiles[0].text;
}

/**
 * A blank page on `origin` running `script`, in a context of its own (its own IndexedDB), so
 * the device's fetches are same-origin. The page is the bench's, not the server's: no CSP, no
 * service worker. Routing is undone once it has loaded, so no request of the sync passes
 * through Playwright.
 */
export async function openBenchPage(
	browser: Browser,
	origin: string,
	script: string
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ serviceWorkers: 'block' });
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(String(error)));
	await page.route(`${origin}/__bench`, (route) =>
		route.fulfill({
			contentType: 'text/html; charset=utf-8',
			body: '<!doctype html><meta charset="utf-8"><title>bench</title><script src="/__bench.js"></script>'
		})
	);
	await page.route(`${origin}/__bench.js`, (route) =>
		route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: script })
	);
	await page.goto(`${origin}/__bench`);
	await page.unrouteAll();
	if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`);
	return { context, page };
}
