import { expect, test } from './fixtures';
import { addEntry, enrolledPhone } from './phone';

/**
 * Two focal points of one mission, on two phones (two browser contexts) against the real
 * server: what one records offline reaches the other when connectivity returns, and an entry
 * both edited offline becomes a conflict that is shown, decided on one phone, and settled on both.
 */

test('offline edits of two phones converge, and a conflict is decided once for both', async ({
	browser,
	server
}) => {
	const contextA = await browser.newContext();
	const contextB = await browser.newContext();
	const a = await enrolledPhone(contextA, server, 'Amina');
	const b = await enrolledPhone(contextB, server, 'Bruno');

	// A records an entry and syncs it; B receives it.
	await a.goto(`${server.url}/recommendations/135`);
	await addEntry(a, 'In progress', 'Alert networks in Beni.');
	await a.getByRole('button', { name: 'Sync now' }).click();
	await expect(a.getByTestId('pending-count')).toHaveText('Everything is sent to Headquarters');
	await b.goto(`${server.url}/recommendations/135`);
	await b.getByRole('button', { name: 'Sync now' }).click();
	await expect(b.getByTestId('progress-entry')).toContainText('Alert networks in Beni.');

	// Both go offline and edit that same entry.
	await contextA.setOffline(true);
	await contextB.setOffline(true);
	for (const [page, note] of [
		[a, 'Beni and Bunia.'],
		[b, 'Beni, Bunia and Goma.']
	] as const) {
		await page.getByTestId('progress-entry').first().getByRole('button', { name: 'Edit' }).click();
		await page.getByLabel('Note', { exact: true }).fill(note);
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(page.getByText('Saved on this device.')).toBeVisible();
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
	}

	// Back online: A's edit lands first, B's becomes a conflict with both versions kept.
	await contextA.setOffline(false);
	await a.getByRole('button', { name: 'Sync now' }).click();
	await expect(a.getByTestId('pending-count')).toHaveText('Everything is sent to Headquarters');
	await contextB.setOffline(false);
	await b.getByRole('button', { name: 'Sync now' }).click();
	const conflictB = b.getByTestId('conflict');
	await expect(conflictB).toContainText('Beni, Bunia and Goma.');
	await expect(conflictB).toContainText('Beni and Bunia.');

	// A sees it too after a sync, and decides: keep the other version (B's, with Goma).
	await a.getByRole('button', { name: 'Sync now' }).click();
	const conflictA = a.getByTestId('conflict');
	await expect(conflictA).toBeVisible();
	await conflictA.getByRole('button', { name: 'Keep the other version' }).click();
	await a.getByRole('button', { name: 'Sync now' }).click();
	await expect(a.getByTestId('conflict')).toHaveCount(0);
	await expect(a.getByTestId('progress-entry').first()).toContainText('Beni, Bunia and Goma.');

	// The decision reaches B: conflict settled, same text.
	await b.getByRole('button', { name: 'Sync now' }).click();
	await expect(b.getByTestId('conflict')).toHaveCount(0);
	await expect(b.getByTestId('progress-entry').first()).toContainText('Beni, Bunia and Goma.');
	await expect(b.getByTestId('pending-count')).toHaveText('Everything is sent to Headquarters');

	await contextA.close();
	await contextB.close();
});
