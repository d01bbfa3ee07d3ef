import Database from 'better-sqlite3';
import type { BrowserContext, Page } from '@playwright/test';
import {
	enrolmentCode,
	expect,
	waitForServiceWorker,
	waitForStoredSet,
	type AppServer
} from './fixtures';

/** A phone that opened the app once, installed it for offline use and enrolled in MONUSCO. */
export async function enrolledPhone(context: BrowserContext, server: AppServer, name: string) {
	const page = await context.newPage();
	await page.goto(server.url);
	await waitForStoredSet(page);
	await waitForServiceWorker(page);
	await page.goto(`${server.url}/settings`);
	await page.getByLabel('Enrolment code').fill(enrolmentCode(server, 'MONUSCO'));
	await page.getByLabel('Your name', { exact: true }).last().fill(name);
	await page.getByRole('button', { name: 'Connect' }).click();
	await expect(page.getByTestId('enrol-result')).toContainText(
		'Connected as focal-point for MONUSCO'
	);
	await expect(page.getByTestId('sync-status')).toContainText('Up to date');
	return page;
}

/** Adds a progress entry on the recommendation page that is open. */
export async function addEntry(page: Page, status: string, note: string) {
	await page.getByRole('button', { name: 'Add progress' }).click();
	await page.getByRole('radio', { name: status, exact: true }).check();
	await page.getByLabel('Note', { exact: true }).fill(note);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Saved on this device.')).toBeVisible();
}

export interface ServerRows {
	/** Each annotation id with how many rows hold it (must be 1). */
	annotations: { id: string; note: string; copies: number }[];
	/** Rows of the server's annotation history, and how many distinct operations they record. */
	historyRows: number;
	historyOps: number;
}

/** Reads the server's own SQLite file: what Headquarters really holds for `mission`. */
export function serverRows(server: AppServer, mission: string): ServerRows {
	const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
	try {
		const annotations = db
			.prepare(
				`SELECT id, json_extract(data, '$.note') AS note, count(*) AS copies
				 FROM annotations WHERE mission = ? GROUP BY id ORDER BY note`
			)
			.all(mission) as ServerRows['annotations'];
		const history = db
			.prepare(
				`SELECT count(*) AS n, count(DISTINCT op_id) AS ops FROM annotation_history WHERE mission = ?`
			)
			.get(mission) as { n: number; ops: number };
		return { annotations, historyRows: history.n, historyOps: history.ops };
	} finally {
		db.close();
	}
}
