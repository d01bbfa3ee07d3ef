import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { admin, expect, test, waitForStoredSet, type AppServer } from './fixtures';

/**
 * Administration from the web (/admin): a browser enrolled with an administrator's code (made
 * with `npm run admin`) creates a mission and a code (shown once), sees a phone enrol with that
 * code, revokes the phone, retires the mission and finds all of it in the audit log. A focal
 * point's browser is told it is not an administrator.
 */

/** Opens the app, stores the set, and enrols this browser in Settings with `code`. */
async function enrol(page: Page, server: AppServer, code: string, name: string) {
	await page.goto(server.url);
	await waitForStoredSet(page);
	await page.goto(`${server.url}/settings`);
	await page.getByLabel('Enrolment code').fill(code);
	await page.getByLabel('Your name', { exact: true }).last().fill(name);
	await page.getByRole('button', { name: 'Connect' }).click();
}

function codeFrom(printed: string): string {
	const code = /Enrolment code: (\S+)/.exec(printed)?.[1];
	if (!code) throw new Error(`no code in: ${printed}`);
	return code;
}

async function enrolAdmin(page: Page, server: AppServer, name = 'HQ admin') {
	await enrol(page, server, codeFrom(admin(server, 'create-code', '--role', 'admin')), name);
	await expect(page.getByTestId('enrol-result')).toContainText('Connected as admin for HQ');
}

test('an administrator manages missions, codes and devices from the web, all audited', async ({
	browser,
	page,
	server
}) => {
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
		origin: server.url
	});
	await enrolAdmin(page, server);

	// The navigation offers Admin to an administrator's device only.
	const nav = page.getByRole('navigation', { name: 'Main' });
	await nav.getByRole('link', { name: 'Admin', exact: true }).click();
	await expect(page).toHaveURL(`${server.url}/admin`);
	await expect(page.locator('main h1')).toHaveText('Administration');

	// A new mission.
	const missions = page.getByTestId('admin-missions');
	await missions.getByLabel('Mission code').fill('untest');
	await missions.getByLabel('Mission name').fill('Test Mission');
	await missions.getByRole('button', { name: 'Create mission' }).click();
	await expect(page.getByTestId('missions-result')).toHaveText('Mission UNTEST created.');
	const missionRow = page.getByTestId('mission-row').filter({ hasText: 'UNTEST' });
	await expect(missionRow).toContainText('Test Mission');
	await expect(missionRow).toContainText('Open');

	// A focal point's code for it, shown once.
	const codes = page.getByTestId('admin-codes');
	await codes.getByLabel('Role', { exact: true }).selectOption('focal-point');
	await codes.getByLabel('Mission', { exact: true }).selectOption('UNTEST');
	await codes.getByLabel('Valid for (days)').fill('3');
	await codes.getByLabel('Note (optional)').fill('Test office');
	await codes.getByRole('button', { name: 'Create code' }).click();
	const panel = page.getByTestId('new-code-panel');
	await expect(panel).toBeVisible();
	await expect(panel).toBeFocused();
	await expect(panel.getByRole('heading')).toHaveText('New enrolment code: shown once');
	await expect(panel).toContainText('cannot be shown again');
	const code = (await page.getByTestId('new-code').textContent())?.trim() ?? '';
	expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
	await panel.getByRole('button', { name: 'Copy the code' }).click();
	const copyStatus = panel.getByRole('status');
	await expect(copyStatus).toHaveText(/Copied\.|did not allow copying/);
	if ((await copyStatus.textContent())?.includes('Copied')) {
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
	}
	const codeRow = page.getByTestId('code-row').filter({ hasText: 'Test office' });
	await expect(codeRow).toHaveAttribute('data-status', 'active');
	await expect(codeRow).toContainText('Unused');
	await panel.getByRole('button', { name: 'Done, hide the code' }).click();
	await expect(panel).toHaveCount(0);
	await expect(page.getByText(code)).toHaveCount(0);

	// A phone enrols with it; then a focal point's browser is told it is no administrator.
	const phoneContext = await browser.newContext();
	const phone = await phoneContext.newPage();
	await enrol(phone, server, code, 'Field phone');
	await expect(phone.getByTestId('enrol-result')).toContainText(
		'Connected as focal-point for UNTEST'
	);
	await expect(phone.getByTestId('sync-status')).toContainText('Up to date');
	await expect(
		phone
			.getByRole('navigation', { name: 'Main' })
			.getByRole('link', { name: 'Admin', exact: true })
	).toHaveCount(0);
	await phone.goto(`${server.url}/admin`);
	await expect(phone.getByTestId('admin-blocked')).toContainText(
		'This device is not enrolled as an administrator'
	);
	await expect(phone.getByRole('link', { name: 'Enrol this device in Settings' })).toBeVisible();

	// Reloaded, the console lists the code as used by the phone, and never the code again.
	await page.reload();
	await expect(codeRow).toHaveAttribute('data-status', 'used');
	await expect(codeRow).toContainText('Field phone');
	await expect(page.getByText(code)).toHaveCount(0);

	// This browser's own device is never offered for revocation.
	const ownRow = page.getByTestId('device-row').filter({ hasText: 'HQ admin' });
	await expect(ownRow).toContainText('This device');
	await expect(ownRow.getByRole('button')).toHaveCount(0);

	// Revoke the phone, after confirming (Cancel first changes nothing).
	const phoneRow = page.getByTestId('device-row').filter({ hasText: 'Field phone' });
	await expect(phoneRow).toContainText('UNTEST');
	await expect(phoneRow).toContainText('Active');
	await phoneRow.getByRole('button', { name: 'Revoke Field phone' }).click();
	const dialog = page.getByRole('dialog');
	await expect(dialog).toContainText('Revoke the device of Field phone?');
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(phoneRow).toContainText('Active');
	await phoneRow.getByRole('button', { name: 'Revoke Field phone' }).click();
	await dialog.getByRole('button', { name: 'Revoke the device' }).click();
	await expect(page.getByTestId('devices-result')).toHaveText(
		'The device of Field phone is revoked.'
	);
	await expect(phoneRow).toContainText('Revoked');
	await expect(phoneRow.getByRole('button')).toHaveCount(0);

	// The phone learns it at its next sync (the app syncs as it starts), and keeps its data.
	await phone.goto(`${server.url}/settings`);
	await expect(phone.getByTestId('sync-status')).toHaveAttribute('data-state', 'revoked');
	await phoneContext.close();

	// Retire the mission.
	await missionRow.getByRole('button', { name: 'Retire UNTEST' }).click();
	await expect(dialog).toContainText('Retire mission UNTEST?');
	await dialog.getByRole('button', { name: 'Retire UNTEST' }).click();
	await expect(page.getByTestId('missions-result')).toHaveText('Mission UNTEST retired.');
	await expect(missionRow).toContainText('Retired');

	// Everything is in the audit log, newest first, under this device's name.
	const audit = page.getByTestId('admin-audit');
	await expect(audit.getByRole('table')).toBeVisible();
	const rows = page.getByTestId('audit-row');
	await expect(rows.first()).toHaveAttribute('data-action', 'mission.retire');
	for (const [action, words] of [
		['mission.create', 'Mission created'],
		['code.create', 'Code created'],
		['device.enrol', 'Device enrolled'],
		['device.revoke', 'Device revoked'],
		['mission.retire', 'Mission retired']
	] as const) {
		await expect(
			page.locator(`[data-testid="audit-row"][data-action="${action}"]`).first()
		).toContainText(words);
	}
	await expect(
		page.locator('[data-testid="audit-row"][data-action="device.revoke"]')
	).toContainText('HQ admin (device)');
});

for (const locale of ['en', 'fr'] as const) {
	test(`axe finds no violations on admin in ${locale}`, async ({ page, server }) => {
		await enrolAdmin(page, server);
		await page.evaluate(
			(value) => window.localStorage.setItem('fieldmatrix.locale', value),
			locale
		);
		await page.goto(`${server.url}/admin`);
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		await expect(page.locator('main h1')).toBeVisible();
		// Loaded: the report's missions are listed and the audit log has the enrolment.
		await expect(page.getByTestId('mission-row').first()).toBeVisible();
		await expect(page.getByTestId('audit-row').first()).toBeVisible();
		const results = await new AxeBuilder({ page }).analyze();
		expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
	});
}

test('admin is usable at 360 px: the page does not scroll sideways', async ({ page, server }) => {
	await enrolAdmin(page, server);
	await page.setViewportSize({ width: 360, height: 740 });
	await page.goto(`${server.url}/admin`);
	await expect(page.getByTestId('mission-row').first()).toBeVisible();
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	// Touch targets of 44 px, as accessibility.spec.ts asks of the other pages.
	const small = await page.evaluate(() =>
		[...document.querySelectorAll('main a, main button, main select, main input, header a')]
			.map((el) => ({ el, box: el.getBoundingClientRect() }))
			.filter(({ box }) => box.width > 0 && box.height < 44)
			.map(({ el }) => el.outerHTML.slice(0, 80))
	);
	expect(small).toEqual([]);
});
