import type { Page } from '@playwright/test';
import {
	PICTURE_CACHE,
	PICTURE_ID,
	PICTURE_KEY,
	PICTURE_STAMP
} from '../../src/lib/shared/first-screen-picture';
import { expect, setUpMission, test } from './fixtures';

/**
 * An offline start on a slow phone shows the home page as the device last drew it, from the
 * service worker, while the app starts; the app then replaces it. The picture is never of
 * another build, another language or an entry since changed.
 */

/** The stored picture's markup, once there is one (the home page takes it when idle). */
async function storedPicture(page: Page): Promise<string> {
	let html: string | null = null;
	await expect
		.poll(
			async () =>
				(html = await page.evaluate(
					async ([cacheName, key]) =>
						(await (await caches.match(key, { cacheName }))?.text()) ?? null,
					[PICTURE_CACHE, PICTURE_KEY]
				)),
			{ timeout: 15_000 }
		)
		.not.toBeNull();
	return html!;
}

const hasPicture = (page: Page) =>
	page.evaluate((cacheName) => caches.has(cacheName), PICTURE_CACHE);

test('an offline start shows the stored first screen until the app has drawn its own', async ({
	page,
	context,
	server
}) => {
	await setUpMission(page, server.url);
	const picture = await storedPicture(page);
	expect(picture).toContain('Progress of MONUSCO');
	expect(picture).toMatch(/href="\/recommendations\/\d+"/);
	// A picture, not a page: nothing in it can be used or found as the live page's.
	expect(picture).toMatch(new RegExp(`^<div id="${PICTURE_ID}" inert aria-hidden="true">`));
	expect(picture).not.toMatch(/<script|data-testid=| id="main"/);
	// Online or not is the live app's to say: the picture keeps the place blank.
	expect(picture).toMatch(/<p [^>]*data-live[^>]* style="visibility:hidden">/);

	await context.setOffline(true);
	await page.close();
	const again = await context.newPage();
	const shell = await again.goto(server.url);
	const served = await shell!.text();
	expect(served).toContain(picture);
	// Before the app's own start script, so it shows as soon as the page is parsed.
	expect(served.indexOf(picture)).toBeLessThan(served.indexOf('<script>'));

	// The app replaces it: one list, live.
	await expect(again.getByTestId('result-count')).toHaveText('121 recommendations');
	await expect(again.locator(`#${PICTURE_ID}`)).toHaveCount(0);
	await again
		.getByRole('link', { name: /Paragraph \d+/ })
		.first()
		.click();
	await expect(again.getByTestId('status-text')).toBeVisible();
});

test('what the list shows changes: the picture is forgotten, then taken again', async ({
	page,
	server
}) => {
	await setUpMission(page, server.url);
	// A row's own progress, as its badge marks it.
	const inProgress = 'data-status="in-progress"';
	expect(await storedPicture(page)).not.toContain(inProgress);

	// An entry on the first row's recommendation.
	await page
		.getByRole('link', { name: /Paragraph \d+/ })
		.first()
		.click();
	await page.getByRole('button', { name: 'Add progress' }).click();
	await page.getByRole('radio', { name: 'In progress', exact: true }).check();
	await page.getByLabel('Note').fill('Started.');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Saved on this device.')).toBeVisible();
	await expect.poll(() => hasPicture(page)).toBe(false);
	await page.getByRole('link', { name: 'Matrix', exact: true }).click();
	expect(await storedPicture(page)).toContain(inProgress);

	// Another language: forgotten at once, taken again in French.
	await page.getByLabel('Language').first().selectOption('fr');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Recommandations du Comité spécial'
	);
	await expect.poll(() => storedPicture(page)).toContain('Recommandations du Comité spécial');
});

test('no picture from another build, nor for a start with filters', async ({
	page,
	context,
	server
}) => {
	await setUpMission(page, server.url);
	const picture = await storedPicture(page);
	await context.setOffline(true);

	const served = async (path: string) => {
		const response = await page.goto(`${server.url}${path}`);
		await expect(page.getByTestId('result-count')).toBeVisible();
		return response!.text();
	};
	expect(await served('/?section=7')).not.toContain(`id="${PICTURE_ID}"`);
	expect(await served('/')).toContain(picture);

	// A picture stamped by an earlier build (its classes may not match this shell's styles),
	// stored from another page, so the home page does not take its own meanwhile.
	await page.getByRole('link', { name: 'Settings', exact: true }).click();
	await page.evaluate(
		async ([cacheName, key, stamp, html]) => {
			const cache = await caches.open(cacheName);
			await cache.put(
				key,
				new Response(html, { headers: { [stamp]: '/_app/immutable/entry/app.Old.js' } })
			);
		},
		[PICTURE_CACHE, PICTURE_KEY, PICTURE_STAMP, picture]
	);
	expect(await served('/')).not.toContain(`id="${PICTURE_ID}"`);
});
