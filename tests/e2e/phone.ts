import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { BrowserContext, Page } from '@playwright/test';
import { uuidv7 } from '../../src/lib/client/annotations/uuid';
import {
	MUTATION_SCHEMA_VERSION,
	annotationSchema,
	mutationSchema,
	type Annotation,
	type AnnotationOp
} from '../../src/lib/shared/annotation';
import {
	enrolResponseSchema,
	pushResponseSchema,
	type MutationResult
} from '../../src/lib/shared/sync';
import {
	admin,
	enrolmentCode,
	expect,
	waitForServiceWorker,
	waitForStoredSet,
	type AppServer
} from './fixtures';

/** A phone that opened the app once, installed it for offline use and enrolled in `mission`. */
export async function enrolledPhone(
	context: BrowserContext,
	server: AppServer,
	name: string,
	mission = 'MONUSCO'
) {
	const page = await context.newPage();
	await page.goto(server.url);
	await waitForStoredSet(page);
	await waitForServiceWorker(page);
	await page.goto(`${server.url}/settings`);
	await page.getByLabel('Enrolment code').fill(enrolmentCode(server, mission));
	await page.getByLabel('Your name', { exact: true }).last().fill(name);
	await page.getByRole('button', { name: 'Connect' }).click();
	await expect(page.getByTestId('enrol-result')).toContainText(
		`Connected as focal-point for ${mission}`
	);
	await expect(page.getByTestId('sync-status')).toContainText('Up to date');
	return page;
}

/** Opens the app, stores the set, and enrols this browser in Settings with an HQ viewer's code. */
export async function enrolHq(page: Page, server: AppServer) {
	const printed = admin(server, 'create-code', '--role', 'hq-viewer');
	const code = /Enrolment code: (\S+)/.exec(printed)?.[1];
	if (!code) throw new Error(`no code in: ${printed}`);
	await page.goto(server.url);
	await waitForStoredSet(page);
	await page.goto(`${server.url}/settings`);
	await page.getByLabel('Enrolment code').fill(code);
	await page.getByLabel('Your name', { exact: true }).last().fill('Desk officer');
	await page.getByRole('button', { name: 'Connect' }).click();
	await expect(page.getByTestId('enrol-result')).toContainText('Connected as hq-viewer for HQ');
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

/**
 * A focal point's device driven from Node, for seeding: enrolled with a real code (admin CLI +
 * `POST /api/v1/enrol`) and pushing through `POST /api/v1/sync/push`, every body built and
 * every answer read with the shared schemas. Quicker than a browser per device.
 */
export interface ApiDevice {
	id: string;
	token: string;
	mission: string;
	name: string;
	nextMutationId: number;
}

/**
 * POSTs JSON, once more if there was no answer: the admin CLI (execFileSync) can block this
 * process past the server's keep-alive timeout, and the next request then goes out on a socket
 * the server has closed ("other side closed"). Both uses are safe to repeat: an enrolment retried
 * by the same device with the same code, and a push of the same mutations (duplicates).
 */
async function postJson(url: string, body: unknown, token?: string): Promise<unknown> {
	const send = () =>
		fetch(url, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				...(token ? { Authorization: `Bearer ${token}` } : {})
			},
			body: JSON.stringify(body)
		});
	const response = await send().catch(send);
	if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
	return response.json();
}

export async function apiDevice(
	server: AppServer,
	mission: string,
	name: string
): Promise<ApiDevice> {
	const id = randomUUID();
	const code = enrolmentCode(server, mission);
	const answer = await postJson(`${server.url}/api/v1/enrol`, {
		code,
		deviceId: id,
		displayName: name
	});
	const { token } = enrolResponseSchema.parse(answer);
	return { id, token, mission, name, nextMutationId: 1 };
}

/** A new entry of the device's mission (revision 0: the server has never seen it). */
export function newEntry(
	device: ApiDevice,
	fields: Pick<Annotation, 'recommendationId' | 'status' | 'note' | 'progressDate'> &
		Partial<Annotation>
): Annotation {
	const now = new Date().toISOString();
	return annotationSchema.parse({
		id: uuidv7(),
		mission: device.mission,
		datasetVersion: '0123456789abcdef',
		evidence: [],
		author: device.name,
		deviceId: device.id,
		createdAt: now,
		updatedAt: now,
		deleted: false,
		revision: 0,
		...fields
	});
}

/** Pushes each change as the device's next mutation; answers the server's result for each. */
export async function pushChanges(
	server: AppServer,
	device: ApiDevice,
	changes: { op: AnnotationOp; entry: Annotation; baseRevision: number }[]
): Promise<MutationResult[]> {
	const mutations = changes.map(({ op, entry, baseRevision }) =>
		mutationSchema.parse({
			deviceId: device.id,
			mutationId: device.nextMutationId++,
			opId: uuidv7(),
			op,
			annotationId: entry.id,
			baseRevision,
			payload: { ...entry, deviceId: device.id, updatedAt: new Date().toISOString() },
			schemaVersion: MUTATION_SCHEMA_VERSION,
			createdAt: new Date().toISOString()
		})
	);
	const answer = await postJson(
		`${server.url}/api/v1/sync/push`,
		{ deviceId: device.id, mutations },
		device.token
	);
	return pushResponseSchema.parse(answer).results;
}
