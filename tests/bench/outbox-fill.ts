import type { FieldMatrixDatabase, HistoryEntry } from '$lib/client/db';
import { readDeviceValue, writeDeviceValue } from '$lib/client/annotations/device-state';
import { uuidv7 } from '$lib/client/annotations/uuid';
import {
	MUTATION_SCHEMA_VERSION,
	mutationSchema,
	type Annotation,
	type Mutation
} from '$lib/shared/annotation';
import type { EntryContent } from './sync-support';

/**
 * A device's outbox filled in bulk, for the sync benchmarks. No Node-only imports: the side by
 * side comparison bundles this into a page (sync-compare/fieldmatrix-device.ts), and
 * sync-volume.ts runs it in Node on fake-indexeddb.
 */

const utf8 = new TextEncoder();

/**
 * Saved changes in the outbox: the rows the annotation store writes (entry, outbox mutation,
 * history row, next mutation id), validated with the same schemas, but written in bulk, in one
 * transaction: one transaction per save would take a minute for 10,000 on fake-indexeddb, and
 * the saves are not what is measured here. Answers the size of the mutations as JSON.
 */
export async function queueChanges(
	db: FieldMatrixDatabase,
	changes: { op: 'create' | 'update'; entry: Annotation; baseRevision: number }[]
): Promise<number> {
	const profile = await readDeviceValue(db, 'profile');
	if (!profile) throw new Error('the enrolled device has no profile');
	let mutationId = (await readDeviceValue(db, 'nextMutationId')) ?? 1;
	let jsonBytes = 0;
	const entries: Annotation[] = [];
	const mutations: Mutation[] = [];
	const history: Omit<HistoryEntry, 'id'>[] = [];
	for (const { op, entry, baseRevision } of changes) {
		const mutation = mutationSchema.parse({
			deviceId: profile.deviceId,
			mutationId: mutationId++,
			opId: uuidv7(),
			op,
			annotationId: entry.id,
			baseRevision,
			payload: entry,
			schemaVersion: MUTATION_SCHEMA_VERSION,
			createdAt: entry.updatedAt
		} satisfies Mutation);
		jsonBytes += utf8.encode(JSON.stringify(mutation)).byteLength;
		entries.push(mutation.payload);
		mutations.push(mutation);
		history.push({
			opId: mutation.opId,
			annotationId: entry.id,
			recommendationId: entry.recommendationId,
			mission: entry.mission,
			op,
			snapshot: mutation.payload,
			at: entry.updatedAt,
			author: profile.displayName
		});
	}
	await db.transaction('rw', [db.annotations, db.outbox, db.history, db.device], async () => {
		await db.annotations.bulkPut(entries);
		await db.outbox.bulkAdd(mutations);
		await db.history.bulkAdd(history);
		await writeDeviceValue(db, 'nextMutationId', mutationId);
	});
	return jsonBytes;
}

/** N new entries in the outbox (queueChanges, 1,000 a transaction): the mean mutation's JSON size. */
export async function fillOutbox(
	db: FieldMatrixDatabase,
	contents: EntryContent[],
	datasetVersion: string
): Promise<number> {
	const profile = await readDeviceValue(db, 'profile');
	if (!profile) throw new Error('the enrolled device has no profile');
	let jsonBytes = 0;
	for (let start = 0; start < contents.length; start += 1000) {
		const changes = contents.slice(start, start + 1000).map((content) => {
			const now = new Date().toISOString();
			const entry: Annotation = {
				id: uuidv7(),
				mission: profile.mission,
				datasetVersion,
				...content,
				author: profile.displayName,
				deviceId: profile.deviceId,
				createdAt: now,
				updatedAt: now,
				deleted: false,
				revision: 0
			};
			return { op: 'create' as const, entry, baseRevision: 0 };
		});
		jsonBytes += await queueChanges(db, changes);
	}
	return jsonBytes / contents.length;
}
