// Bundled into the bench page (sync-compare.ts): FieldMatrix's own device code on the page's
// IndexedDB, talking to the built server on the page's origin.
import { FieldMatrixDatabase } from '$lib/client/db';
import { createApiClient } from '$lib/client/sync/api-client';
import { enrolDevice } from '$lib/client/sync/enrolment';
import { syncOnce, type SyncSummary } from '$lib/client/sync/sync-engine';
import type { Annotation } from '$lib/shared/annotation';
import { fillOutbox, queueChanges } from '../outbox-fill';
import type { EntryContent } from '../sync-support';
import { fetchTimings, requestBodyBytes, type WireCount } from './wire';

const API_PATH = '/api/v1/';
const PULL_PATH = '/api/v1/sync/pull';

export interface FieldMatrixSync extends WireCount {
	ms: number;
	/** From the call until the first pull went out: the push of the outbox. */
	pushMs: number;
	/** Push requests and their bodies both ways. */
	push: { requests: number; bytes: number };
	summary: SyncSummary;
	outboxLeft: number;
}

interface Sent {
	path: string;
	bytes: number;
	at: number;
}

const db = new FieldMatrixDatabase('bench-compare');
let sent: Sent[] = [];
let waitMs = 0;
const encodings: Record<string, number> = {};

/** The client's fetch, counting request bodies as sent (gzip Uint8Array, or a short string). */
const countingFetch: typeof fetch = async (input, init) => {
	const path = new URL(String(input), location.href).pathname;
	const started = performance.now();
	sent.push({ path, bytes: requestBodyBytes(init?.body), at: started });
	const response = await fetch(input, init);
	waitMs += performance.now() - started;
	const encoding = response.headers.get('content-encoding') ?? 'none';
	encodings[encoding] = (encodings[encoding] ?? 0) + 1;
	return response;
};
const api = createApiClient({ baseUrl: location.origin, fetch: countingFetch });

export const fieldMatrixDevice = {
	async enrol(code: string): Promise<void> {
		performance.setResourceTimingBufferSize(100_000);
		await enrolDevice(db, api, { code, displayName: 'Bench A' });
	},

	/** The entries queued as new (revision 0), as saved: the PouchDB side gets the same. */
	async fill(contents: EntryContent[], datasetVersion: string): Promise<Annotation[]> {
		await fillOutbox(db, contents, datasetVersion);
		return db.annotations.orderBy('id').toArray();
	},

	/** One edit each to entries spread evenly over the set, on the revision the server gave. */
	async queueEdits(edits: EntryContent[]): Promise<Annotation[]> {
		const synced = await db.annotations.orderBy('id').toArray();
		const step = Math.floor(synced.length / edits.length);
		const updatedAt = new Date().toISOString();
		const changes = edits.map(({ status, note, evidence, progressDate }, i) => {
			const current = synced[i * step];
			const entry = { ...current, status, note, evidence, progressDate, updatedAt };
			return { op: 'update' as const, entry, baseRevision: current.revision };
		});
		await queueChanges(db, changes);
		return changes.map((change) => change.entry);
	},

	async sync(): Promise<FieldMatrixSync> {
		sent = [];
		waitMs = 0;
		for (const key of Object.keys(encodings)) delete encodings[key];
		performance.clearResourceTimings();
		const started = performance.now();
		const summary = await syncOnce(db, api);
		const ms = performance.now() - started;

		const responses = await fetchTimings(API_PATH, sent.length);
		if (responses.length !== sent.length) {
			throw new Error(`${responses.length} resource timings for ${sent.length} fetches`);
		}
		const received = responses.reduce((sum, entry) => sum + entry.encodedBodySize, 0);
		const isPush = (path: string) => path === '/api/v1/sync/push';
		const pushReceived = responses
			.filter((entry) => isPush(new URL(entry.name).pathname))
			.reduce((sum, entry) => sum + entry.encodedBodySize, 0);
		const pushSent = sent.filter((request) => isPush(request.path));
		return {
			ms,
			pushMs: (sent.find((request) => request.path === PULL_PATH)?.at ?? NaN) - started,
			push: {
				requests: pushSent.length,
				bytes: pushSent.reduce((sum, request) => sum + request.bytes, 0) + pushReceived
			},
			summary,
			outboxLeft: await db.outbox.count(),
			requests: sent.length,
			sent: sent.reduce((sum, request) => sum + request.bytes, 0),
			received,
			waitMs,
			encodings: { ...encodings }
		};
	}
};

export type FieldMatrixDevice = typeof fieldMatrixDevice;
Object.assign(window, { fieldMatrixDevice });
