import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import {
	copyBuild,
	createServer,
	expect,
	test,
	waitForServiceWorker,
	waitForStoredSet
} from './fixtures';

/**
 * A new deploy never swaps code under the user's feet: the new service worker waits, the app
 * says "A new version is available — Reload", and only the user's click moves to it.
 */
test('a changed deploy shows the update prompt and reloads into it on request', async ({
	page
}, testInfo) => {
	const build = copyBuild();
	const server = createServer(30_000 + testInfo.workerIndex * 100 + 7, build.dir);
	try {
		await server.start();
		await page.goto(server.url);
		await waitForStoredSet(page);
		await waitForServiceWorker(page);
		await expect(page.getByRole('alert')).toHaveCount(0);
		const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
		const datasetVersion = await page.evaluate(async () =>
			(await fetch('/api/v1/recommendations', { method: 'HEAD' })).headers.get('ETag')
		);
		expect(datasetVersion).toMatch(/^"[0-9a-f]{16}"$/);

		// "Deploy" a new version: the dataset's precache revision changes, as it does when the
		// report is re-parsed with new text.
		await server.stop();
		const swPath = join(build.dir, 'client', 'service-worker.js');
		const sw = readFileSync(swPath, 'utf8');
		const changed = sw.replace(JSON.parse(datasetVersion!) as string, 'f'.repeat(16));
		expect(changed).not.toBe(sw);
		// The server sends the precompressed copies when the browser accepts them: deploy those too.
		writeFileSync(swPath, changed);
		writeFileSync(`${swPath}.gz`, gzipSync(changed));
		writeFileSync(`${swPath}.br`, brotliCompressSync(changed));
		await server.start();

		// The user comes back to the app: the browser finds the new worker, which waits.
		await page.reload();
		await waitForStoredSet(page);
		const prompt = page.getByRole('alert');
		await expect(prompt).toContainText('A new version is available.');
		// Still the old code until the user chooses.
		expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
			firstWorker
		);
		const waiting = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			return registration?.waiting !== null && registration?.waiting !== undefined;
		});
		expect(waiting).toBe(true);

		await Promise.all([
			page.waitForEvent('load'),
			prompt.getByRole('button', { name: 'Reload' }).click()
		]);
		await waitForStoredSet(page);
		await expect(page.getByRole('alert')).toHaveCount(0);
		const noneWaiting = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			return registration?.waiting === null;
		});
		expect(noneWaiting).toBe(true);
	} finally {
		await server.stop();
		build.remove();
	}
});
