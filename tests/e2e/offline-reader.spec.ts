import type { BrowserContext, Page } from '@playwright/test';
import { expect, loadedCode, test, waitForServiceWorker, waitForStoredSet } from './fixtures';

/**
 * The promise of the offline reader: open once while connected, then in airplane mode the app
 * cold-starts, lists, searches, filters and reads any recommendation, served by the service
 * worker and IndexedDB alone.
 */

/** Records every response that reached the page from the network rather than the SW cache. */
function networkResponses(context: BrowserContext): string[] {
	const fromNetwork: string[] = [];
	context.on('response', (response) => {
		if (!response.fromServiceWorker() && !response.url().startsWith('data:')) {
			fromNetwork.push(`${response.status()} ${response.url()}`);
		}
	});
	return fromNetwork;
}

async function firstVisit(page: Page, url: string): Promise<number> {
	await page.goto(url);
	await waitForStoredSet(page);
	await waitForServiceWorker(page);
	const count = await page.evaluate(async () => {
		const response = await fetch('/api/v1/recommendations');
		const dataset = (await response.json()) as { recommendations: unknown[] };
		return dataset.recommendations.length;
	});
	await expect(page.getByTestId('result-count')).toHaveText(`${count} recommendations`);
	return count;
}

test('a first visit asks for the set and the database code from the page head, the set once', async ({
	page,
	server
}) => {
	// The page's own requests (the worker's precaching is its own, from the HTTP cache).
	const asked: string[] = [];
	page.on('request', (request) => {
		if (request.url().includes('/api/v1/recommendations')) asked.push(request.url());
	});
	await page.goto(server.url);
	await waitForStoredSet(page);
	const initiators = await page.evaluate(() =>
		performance
			.getEntriesByType('resource')
			.filter((entry) => entry.name.includes('/api/v1/recommendations'))
			.map((entry) => (entry as PerformanceResourceTiming).initiatorType)
	);
	// The <link rel="preload"> asked; the app's own request took that response.
	expect(initiators).toEqual(['link']);
	expect(asked).toHaveLength(1);
	expect(asked[0]).toMatch(/\/api\/v1\/recommendations\?v=[0-9a-f]+$/);
	// Dexie (loaded by the code only once the app runs) is among the shell's module preloads, and
	// every one carries V8's compile hint (src/lib/build/compile-hints.ts) on its first lines.
	// (The shell as served: the app adds preloads of its own for what it loads later.)
	const preloads = await page.evaluate(async () => {
		const shell = new DOMParser().parseFromString(
			await (await fetch(location.href)).text(),
			'text/html'
		);
		const links = [...shell.querySelectorAll('link[rel="modulepreload"]')];
		const modules = await Promise.all(
			links.map(async (link) => (await fetch(link.getAttribute('href')!)).text())
		);
		return {
			dexie: modules.some((text) => text.includes('DEFAULT_MAX_CONNECTIONS')),
			unhinted: modules.filter(
				(text) => !text.split('\n', 2).includes('//# allFunctionsCalledOnLoad')
			).length
		};
	});
	expect(preloads).toEqual({ dexie: true, unhinted: 0 });

	// Later starts, served by the worker, hold the set already: no dataset preload left unused.
	await waitForServiceWorker(page);
	const warnings: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'warning') warnings.push(message.text());
	});
	await page.reload();
	await expect(page.locator('main li a').first()).toBeVisible();
	await expect(page.locator('link[rel="preload"][as="fetch"]')).toHaveCount(0);
	expect(await page.locator('link[rel="modulepreload"]').count()).toBeGreaterThan(1);
	await page.waitForTimeout(3500);
	expect(warnings.filter((text) => text.includes('preload'))).toEqual([]);
});

test('reads, searches and filters the whole matrix offline, cold start included', async ({
	page,
	context,
	server
}) => {
	const count = await firstVisit(page, server.url);
	expect(count).toBeGreaterThan(100);

	await context.setOffline(true);
	const fromNetwork = networkResponses(context);

	// Reload: the shell comes from the service worker, the set from IndexedDB.
	await page.reload();
	await expect(page.getByTestId('result-count')).toHaveText(`${count} recommendations`);
	await expect(page.getByTestId('network-status')).toContainText('Offline');
	expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

	// The network really is cut: a URL the service worker did not precache fails.
	const probe = await page.evaluate(async () => {
		try {
			await fetch('/robots.txt?probe=' + Date.now());
			return 'reached';
		} catch {
			return 'failed';
		}
	});
	expect(probe).toBe('failed');

	// Cold start: a new page (as from the home screen) on a deep link to ¶135.
	await page.close();
	const reader = await context.newPage();
	await reader.goto(`${server.url}/recommendations/135`);
	await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Paragraph 135 of A/78/19');
	// The sentence broken across a page in the report reads as one paragraph.
	await expect(reader.getByTestId('status-text').locator('p').first()).toContainText(
		'empowering local communities to identify and report harmful narratives.'
	);
	await expect(reader.getByRole('link', { name: /Next: paragraph 136/ })).toBeVisible();

	// A search link opens the same view offline: results highlighted.
	await reader.goto(`${server.url}/?q=harmful+information`);
	await expect(reader.getByRole('searchbox', { name: 'Search' })).toHaveValue(
		'harmful information'
	);
	const results = reader.getByTestId('result-count');
	await expect(results).not.toHaveText(`${count} recommendations`);
	await expect(reader.locator('mark').first()).toBeVisible();
	await expect(reader.getByRole('link', { name: /¶135|Paragraph 135/ })).toBeVisible();

	// Filters too: section VII only, then mission UNMISS.
	await reader.goto(`${server.url}/?section=7`);
	const sectionHeadings = reader.getByRole('heading', { level: 2, name: /^[IVX]+\. / });
	await expect(sectionHeadings).toHaveCount(1);
	await expect(sectionHeadings).toContainText('VII. Protection');
	await reader.getByLabel('Mission mentioned').selectOption('UNMISS');
	await expect(reader).toHaveURL(/section=7&mission=UNMISS/);

	// Open a recommendation from the list, offline, by clicking.
	await reader
		.getByRole('link', { name: /Paragraph 1\d\d/ })
		.first()
		.click();
	await expect(reader.getByTestId('status-text')).toBeVisible();

	expect(fromNetwork).toEqual([]);
});

test('once the worker serves the app, a recommendation opens without loading code', async ({
	page,
	server
}) => {
	await page.goto(server.url);
	await waitForStoredSet(page);
	await waitForServiceWorker(page);
	const loaded = () => loadedCode(page);
	// The page's code is loaded ahead, from the worker's cache, once the phone is idle: a route's
	// node more (the home page loads other code when idle too: what takes its picture).
	const nodes = async () => (await loaded()).filter((url) => url.includes('/nodes/')).length;
	const home = await nodes();
	await expect.poll(nodes, { timeout: 15_000 }).toBeGreaterThan(home);
	await page.waitForLoadState('networkidle');
	const before = await loaded();
	await page.locator('main li a[href*="/recommendations/"]').first().click();
	await expect(page.getByTestId('status-text')).toBeVisible();
	expect(await loaded()).toEqual(before);
});

test('the search box filters as the user types and the URL follows', async ({ page, server }) => {
	await page.goto(server.url);
	await waitForStoredSet(page);
	await page.getByRole('searchbox', { name: 'Search' }).fill('MONUSCO');
	await expect(page).toHaveURL(/\?q=MONUSCO/);
	await expect(page.locator('mark').first()).toHaveText(/monusco/i);
	// Fuzzy: a typo still finds the word.
	await page.getByRole('searchbox', { name: 'Search' }).fill('disinformaton');
	await expect(page.locator('mark', { hasText: /^disinformation$/i }).first()).toBeVisible();
});

test('the language switch translates the app and is remembered on the device', async ({
	page,
	server
}) => {
	await page.goto(server.url);
	await waitForStoredSet(page);
	await page.getByLabel('Language').first().selectOption('fr');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Recommandations du Comité spécial'
	);
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	// The report's date reads as this browser's own Intl writes a long French date.
	const intlDate = await page.evaluate(async () => {
		const { meta } = (await (await fetch('/api/v1/recommendations')).json()) as {
			meta: { date: string };
		};
		return new Intl.DateTimeFormat('fr', { dateStyle: 'long', timeZone: 'UTC' }).format(
			new Date(meta.date)
		);
	});
	await expect(page.locator('p.source')).toContainText(`), ${intlDate}`);
	await page.reload();
	await expect(page.getByRole('searchbox', { name: 'Rechercher' })).toBeVisible();
	// The report itself stays in English, marked as such for screen readers.
	await page.goto(`${server.url}/recommendations/22`);
	await expect(page.getByTestId('status-text')).toHaveAttribute('lang', 'en');
});
