import AxeBuilder from '@axe-core/playwright';
import { expect, test, waitForStoredSet } from './fixtures';

const pages = [
	{ name: 'home', path: '/' },
	{ name: 'recommendation', path: '/recommendations/135' },
	{ name: 'search', path: '/?q=protection&category=progress-reported' },
	{ name: 'settings', path: '/settings' }
];

for (const locale of ['en', 'fr'] as const) {
	for (const { name, path } of pages) {
		test(`axe finds no violations on ${name} in ${locale}`, async ({ page, server }) => {
			await page.addInitScript((value) => {
				window.localStorage.setItem('fieldmatrix.locale', value);
			}, locale);
			await page.goto(server.url);
			await waitForStoredSet(page);
			await page.goto(server.url + path);
			await expect(page.locator('main h1')).toBeVisible();
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			const results = await new AxeBuilder({ page }).analyze();
			expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
		});
	}
}

test('usable at 360 px: no horizontal scrolling, touch targets of 44 px', async ({
	page,
	server
}) => {
	await page.setViewportSize({ width: 360, height: 740 });
	await page.goto(server.url);
	await waitForStoredSet(page);
	for (const path of ['/', '/recommendations/135']) {
		await page.goto(server.url + path);
		await expect(page.locator('main h1')).toBeVisible();
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		const small = await page.evaluate(() =>
			[
				...document.querySelectorAll(
					'main a, main button, main select, main input, header a, header select'
				)
			]
				.map((el) => ({ el, box: el.getBoundingClientRect() }))
				.filter(({ box }) => box.width > 0 && box.height < 44)
				.map(({ el }) => el.outerHTML.slice(0, 80))
		);
		expect(small).toEqual([]);

		// At 200% text size the page reflows rather than scrolling sideways.
		await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
		const overflowLarge = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflowLarge).toBeLessThanOrEqual(0);
		await page.evaluate(() => (document.documentElement.style.fontSize = ''));
	}
});
