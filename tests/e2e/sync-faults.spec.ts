import { copyFileSync, rmSync } from 'node:fs';
import type { CDPSession } from '@playwright/test';
import Database from 'better-sqlite3';
import { admin, expect, test } from './fixtures';
import { addEntry, enrolledPhone, serverRows } from './phone';

/**
 * Sync when things go wrong: the server dies during a push, the browser has no Background Sync,
 * or the app is closed when the network comes back. Every change ends on the server exactly once.
 */

/** A browser without Background Sync, as Safari and Firefox are (an init script of the page). */
function withoutBackgroundSync() {
	delete (ServiceWorkerRegistration.prototype as { sync?: unknown }).sync;
	delete (globalThis as { SyncManager?: unknown }).SyncManager;
}

const NOTES = [
	'Alert networks in Beni.',
	'Radio hosts trained in Bunia.',
	'Early-warning focal points named in Goma.'
];

test('a server killed during a push, and again after committing one, ends with every entry once', async ({
	browser,
	server
}) => {
	test.setTimeout(120_000);
	const context = await browser.newContext();
	// The tab's own retries are under test here. (Playwright's routing stalls requests that the
	// service worker makes, so its Background Sync, tested below, is switched off.)
	await context.addInitScript(withoutBackgroundSync);
	const page = await enrolledPhone(context, server, 'Amina');

	// Three entries and one edit, saved offline: four changes waiting.
	await context.setOffline(true);
	await page.goto(`${server.url}/recommendations/135`);
	for (const note of NOTES) await addEntry(page, 'In progress', note);
	await page.getByTestId('progress-entry').first().getByRole('button', { name: 'Edit' }).click();
	await page.getByRole('radio', { name: 'Implemented', exact: true }).check();
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Saved on this device.')).toBeVisible();
	await expect(page.getByTestId('pending-count')).toContainText('4');

	// The first push reaches the server, which is killed while it works on it; the second is
	// committed by the server, which is killed before its answer leaves. Then all goes through.
	let pushes = 0;
	let crashes = 0;
	await context.route('**/api/v1/sync/push', async (route) => {
		pushes += 1;
		if (pushes === 1) {
			const forwarded = route.fetch().catch(() => null);
			await server.crash();
			crashes += 1;
			await forwarded;
			await route.abort('connectionreset');
		} else if (pushes === 2) {
			await route.fetch();
			await server.crash();
			crashes += 1;
			await route.abort('connectionreset');
		} else {
			await route.continue();
		}
	});

	await context.setOffline(false); // `online`: the app syncs by itself from here on
	// Restarted only once the kill is done, so the restart is never the process killed.
	await expect.poll(() => crashes, { timeout: 30_000 }).toBe(1);
	await server.start();
	await expect.poll(() => crashes, { timeout: 30_000 }).toBe(2);
	await server.start();

	// No click: the device retries on its own (backoff) until everything is acknowledged.
	await expect(page.getByTestId('pending-count')).toHaveText('Everything is sent to Headquarters', {
		timeout: 60_000
	});
	expect(pushes).toBeGreaterThanOrEqual(3);

	const rows = serverRows(server, 'MONUSCO');
	expect(rows.annotations.map((row) => row.note).sort()).toEqual([...NOTES].sort());
	expect(rows.annotations.every((row) => row.copies === 1)).toBe(true);
	// Four changes, each applied once: no replay of the committed batch wrote twice.
	expect(rows.historyRows).toBe(4);
	expect(rows.historyOps).toBe(4);
	await context.close();
});

test('without Background Sync (Safari, Firefox) the open app syncs when the network returns', async ({
	browser,
	server
}) => {
	const context = await browser.newContext();
	await context.addInitScript(withoutBackgroundSync);
	const page = await enrolledPhone(context, server, 'Amina');
	expect(
		await page.evaluate(async () => 'sync' in ((await navigator.serviceWorker.ready) ?? {}))
	).toBe(false);
	// Nor is the Background Sync worker downloaded where it could never run.
	const registrations = await page.evaluate(async () =>
		(await navigator.serviceWorker.getRegistrations()).map((registration) => registration.scope)
	);
	expect(registrations).toEqual([`${server.url}/`]);

	await context.setOffline(true);
	await page.goto(`${server.url}/recommendations/135`);
	await addEntry(page, 'Planned', NOTES[0]);
	await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	// The count shown before the save reads "everything is sent" too: wait for the change's.
	await expect(page.getByTestId('pending-count')).toContainText('1');

	await context.setOffline(false);
	await expect(page.getByTestId('pending-count')).toHaveText('Everything is sent to Headquarters');
	expect(serverRows(server, 'MONUSCO').annotations.map((row) => row.note)).toEqual([NOTES[0]]);
	await context.close();
});

/** The Background Sync worker's scope (src/lib/client/sync/background-sync-paths.ts). */
const SYNC_SCOPE = '/_app/background-sync/';

/** The service worker registration of `scope`, as the DevTools protocol names it. */
async function registrationId(cdp: CDPSession, scope: string): Promise<string> {
	return new Promise((resolve) => {
		cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
			const found = registrations.find(
				(registration) => registration.scopeURL === scope && !registration.isDeleted
			);
			if (found) resolve(found.registrationId);
		});
		void cdp.send('ServiceWorker.enable');
	});
}

test('Background Sync: changes saved offline reach the server with the app closed', async ({
	browser,
	server
}) => {
	const context = await browser.newContext();
	const page = await enrolledPhone(context, server, 'Amina');
	// The enrolled app installed the Background Sync worker while online, beside the main one.
	await expect
		.poll(() =>
			page.evaluate(async (scope) => {
				// getRegistration(scope) also answers with the main worker (its scope "/" covers
				// every URL), so only a registration of the sync scope itself counts.
				const registration = await navigator.serviceWorker.getRegistration(scope);
				return !!registration?.active && registration.scope.endsWith(scope);
			}, SYNC_SCOPE)
		)
		.toBe(true);
	await context.setOffline(true);
	await page.goto(`${server.url}/recommendations/135`);
	await addEntry(page, 'Planned', NOTES[1]);
	// Saving offline asked the browser for a sync event, on that worker's registration.
	await expect
		.poll(() =>
			page.evaluate(async (scope) => {
				const registration = (await navigator.serviceWorker.getRegistration(
					scope
				)) as ServiceWorkerRegistration & { sync: { getTags(): Promise<string[]> } };
				return registration.scope.endsWith(scope) ? registration.sync.getTags() : [];
			}, SYNC_SCOPE)
		)
		.toContain('fieldmatrix-sync');

	// The app is closed; only the service worker is left. The network comes back and the
	// browser fires the sync event (dispatched here through DevTools, as Chromium would).
	const blank = await context.newPage();
	await page.close();
	await context.setOffline(false);
	const cdp = await context.newCDPSession(blank);
	const origin = new URL(server.url).origin;
	await cdp.send('ServiceWorker.dispatchSyncEvent', {
		origin,
		registrationId: await registrationId(cdp, origin + SYNC_SCOPE),
		tag: 'fieldmatrix-sync',
		lastChance: false
	});

	await expect
		.poll(() => serverRows(server, 'MONUSCO').annotations.map((row) => row.note), {
			timeout: 20_000
		})
		.toEqual([NOTES[1]]);
	await context.close();
});

test('a server restored from a backup gets back what the phone was told was saved', async ({
	browser,
	server
}) => {
	test.setTimeout(120_000);
	const context = await browser.newContext();
	const page = await enrolledPhone(context, server, 'Amina');
	const sent = page.getByTestId('pending-count');
	await page.goto(`${server.url}/recommendations/135`);
	await addEntry(page, 'In progress', NOTES[0]);
	await page.getByRole('button', { name: 'Sync now' }).click();
	await expect(sent).toHaveText('Everything is sent to Headquarters');

	// A backup as a backup tool takes it, while the server runs.
	const file = server.databaseUrl.replace(/^sqlite:/, '');
	const backup = `${file}.backup`;
	const source = new Database(file, { readonly: true });
	source.exec(`vacuum into '${backup}'`);
	source.close();

	await addEntry(page, 'Planned', NOTES[1]);
	await page.getByRole('button', { name: 'Sync now' }).click();
	await expect(sent).toHaveText('Everything is sent to Headquarters');
	expect(serverRows(server, 'MONUSCO').annotations).toHaveLength(2);

	// README "Restoring a backup": stop, put the file back, new-epoch, start.
	await server.stop();
	for (const extra of ['-wal', '-shm']) rmSync(`${file}${extra}`, { force: true });
	copyFileSync(backup, file);
	rmSync(backup);
	expect(admin(server, 'new-epoch')).toMatch(/every device will pull everything again/);
	await server.start();
	expect(serverRows(server, 'MONUSCO').annotations.map((row) => row.note)).toEqual([NOTES[0]]);

	await page.getByRole('button', { name: 'Sync now' }).click();
	await expect(sent).toHaveText('Everything is sent to Headquarters');
	await expect(page.getByTestId('sync-status')).toContainText('Up to date');
	const rows = serverRows(server, 'MONUSCO');
	expect(rows.annotations.map((row) => row.note).sort()).toEqual([NOTES[0], NOTES[1]].sort());
	expect(rows.historyOps).toBe(2);
	expect(rows.historyRows).toBe(2);
	// The phone still shows both, as before.
	await page.reload();
	for (const note of [NOTES[0], NOTES[1]]) await expect(page.getByText(note)).toBeVisible();
	await context.close();
});
