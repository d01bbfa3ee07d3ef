import {
	annotationInputSchema,
	annotationSchema,
	MUTATION_SCHEMA_VERSION,
	mutationSchema,
	type Annotation,
	type AnnotationInput,
	type AnnotationOp,
	type EvidenceItem,
	type Mutation
} from '$lib/shared/annotation';
import type { DeviceProfile, FieldMatrixDatabase } from '../db';
import { readDeviceValue, writeDeviceValue } from './device-state';
import { AnnotationError, ValidationError } from './errors';
import { resilientWrite } from './resilient-write';
import { uuidv7 } from './uuid';

/**
 * The only way entries change on the device. Every change writes, in ONE transaction:
 *   1. the entry (its full state after the change),
 *   2. the outbox mutation the sync engine will push (mutationId = the next of this device),
 *   3. the history row of the entry's timeline,
 *   4. the advanced mutation counter (and, optionally, drops the editor's draft).
 * Each function resolves only once that transaction committed: then, and only then, the change
 * is saved on this device. On any failure nothing of it was written.
 */

/** What the editor hands over: the shape of AnnotationInput, not yet trusted. */
export interface UncheckedInput {
	status: string;
	note: string;
	evidence: { label: string; url?: string; symbol?: string }[];
	progressDate: string;
}

export interface WriteOptions {
	/** A draft key to delete in the same transaction, so a saved edit leaves no stale draft. */
	discardDraft?: string;
}

export interface CreateAnnotationArgs {
	recommendationId: string;
	/** The version of the recommendation set the user was reading. */
	datasetVersion: string;
	input: UncheckedInput;
}

export async function createAnnotation(
	db: FieldMatrixDatabase,
	{ recommendationId, datasetVersion, input }: CreateAnnotationArgs,
	options: WriteOptions = {}
): Promise<Annotation> {
	const content = parseInput(input);
	const id = uuidv7();
	return writeChange(db, id, options, async ({ profile, now }) => ({
		op: 'create',
		entry: {
			id,
			mission: profile.mission,
			recommendationId,
			datasetVersion,
			...content,
			author: profile.displayName,
			deviceId: profile.deviceId,
			createdAt: now,
			updatedAt: now,
			deleted: false,
			revision: 0
		}
	}));
}

/** Changes an entry's content; resolves with it unchanged (writing nothing) if nothing differs. */
export async function updateAnnotation(
	db: FieldMatrixDatabase,
	id: string,
	input: UncheckedInput,
	options: WriteOptions = {}
): Promise<Annotation> {
	const content = parseInput(input);
	return writeChange(db, id, options, async ({ profile, current, now }) => {
		const entry = editable(current, id, profile);
		if (entry.deleted) throw new AnnotationError('deleted', `entry ${id} is deleted`);
		if (sameContent(entry, content)) return undefined;
		return {
			op: 'update',
			entry: {
				...entry,
				...content,
				author: profile.displayName,
				deviceId: profile.deviceId,
				updatedAt: now
			}
		};
	});
}

/**
 * Deletes as a tombstone (deleted = true), kept and synced so the deletion cannot be lost.
 * Deleting a tombstone again writes nothing.
 */
export async function deleteAnnotation(db: FieldMatrixDatabase, id: string): Promise<Annotation> {
	return writeChange(db, id, {}, async ({ profile, current, now }) => {
		const entry = editable(current, id, profile);
		if (entry.deleted) return undefined;
		return { op: 'delete', entry: { ...entry, ...byThisDevice(profile, now), deleted: true } };
	});
}

/**
 * Undoes a delete, only while the deletion has not left the device (its mutation is still the
 * entry's latest in the outbox). Restoring an entry that is not deleted writes nothing.
 */
export async function restoreAnnotation(db: FieldMatrixDatabase, id: string): Promise<Annotation> {
	return writeChange(db, id, {}, async ({ profile, current, now }) => {
		const entry = editable(current, id, profile);
		if (!entry.deleted) return undefined;
		const pending = await db.outbox.where('annotationId').equals(id).sortBy('mutationId');
		if (pending.at(-1)?.op !== 'delete') {
			throw new AnnotationError(
				'already-synced',
				`the deletion of entry ${id} was already synced and can no longer be undone`
			);
		}
		return { op: 'restore', entry: { ...entry, ...byThisDevice(profile, now), deleted: false } };
	});
}

/** The version a person chose to settle a conflict the server kept (see client/sync/conflicts.ts). */
export interface ConflictResolution {
	/** The chosen content, whether it is a tombstone, and who wrote that content. */
	version: Pick<Annotation, 'status' | 'note' | 'evidence' | 'progressDate' | 'deleted' | 'author'>;
	/** The revision of the server's version the decision was made against. */
	baseRevision: number;
	resolvesConflictId: string;
	/** The server's version: the entry as it stands if this device does not hold it. */
	serverVersion: Annotation;
}

/**
 * Settles a conflict: a normal change (entry + outbox + history, one transaction) whose mutation
 * carries `resolvesConflictId` and the server version's revision as its base. Written even when
 * the content equals the entry's, since the server needs the change to mark the conflict settled.
 */
export async function writeConflictResolution(
	db: FieldMatrixDatabase,
	id: string,
	{ version, baseRevision, resolvesConflictId, serverVersion }: ConflictResolution
): Promise<Annotation> {
	return writeChange(db, id, {}, async ({ profile, current, now }) => {
		const entry = editable(current ?? serverVersion, id, profile);
		const { status, note, evidence, progressDate, deleted, author } = version;
		const op: AnnotationOp = deleted ? 'delete' : entry.deleted ? 'restore' : 'update';
		return {
			op,
			baseRevision,
			resolvesConflictId,
			entry: {
				...entry,
				...normalize({ status, note, evidence, progressDate }),
				author,
				deleted,
				...byThisDevice(profile, now)
			}
		};
	});
}

/**
 * A version is stamped with the device that wrote it (the server accepts only its own device's
 * versions); the author stays the person who wrote the content, so deleting or restoring someone
 * else's entry does not make it yours.
 */
function byThisDevice(profile: DeviceProfile, now: string) {
	return { deviceId: profile.deviceId, updatedAt: now };
}

type Content = Pick<Annotation, 'status' | 'note' | 'evidence' | 'progressDate'>;

function parseInput(input: UncheckedInput): Content {
	const parsed = annotationInputSchema().safeParse(input);
	if (!parsed.success) throw ValidationError.fromZod(parsed.error);
	return normalize(parsed.data);
}

/** No `url: undefined` keys: stored, exported and compared entries have one shape. */
function normalize({ status, note, evidence, progressDate }: AnnotationInput): Content {
	const items = evidence.map(({ label, url, symbol }): EvidenceItem => {
		const item: EvidenceItem = { label };
		if (url !== undefined) item.url = url;
		if (symbol !== undefined) item.symbol = symbol;
		return item;
	});
	return { status, note, evidence: items, progressDate };
}

function sameContent(entry: Annotation, content: Content): boolean {
	return (
		entry.status === content.status &&
		entry.note === content.note &&
		entry.progressDate === content.progressDate &&
		JSON.stringify(normalize(entry).evidence) === JSON.stringify(content.evidence)
	);
}

function editable(current: Annotation | undefined, id: string, profile: DeviceProfile): Annotation {
	if (!current) throw new AnnotationError('not-found', `no entry ${id} on this device`);
	if (current.mission !== profile.mission) {
		throw new AnnotationError(
			'other-mission',
			`entry ${id} belongs to ${current.mission}, not to this device's ${profile.mission}`
		);
	}
	return current;
}

interface PlannedChange {
	op: AnnotationOp;
	entry: Annotation;
	/** Default: the entry's revision on this device. */
	baseRevision?: number;
	resolvesConflictId?: string;
}

interface ChangeContext {
	profile: DeviceProfile;
	current: Annotation | undefined;
	/** Later than the entry's previous updatedAt even if the device clock stepped back. */
	now: string;
}

/** Steps 1-4 of the header, retried whole once if the browser closed the database. */
function writeChange(
	db: FieldMatrixDatabase,
	id: string,
	options: WriteOptions,
	plan: (context: ChangeContext) => Promise<PlannedChange | undefined>
): Promise<Annotation> {
	const tables = [db.annotations, db.outbox, db.history, db.device, db.drafts];
	return resilientWrite(db, () =>
		db.transaction('rw', tables, async () => {
			const profile = await readDeviceValue(db, 'profile');
			if (!profile) throw new AnnotationError('no-profile', 'choose a mission and name first');
			const current = await db.annotations.get(id);
			const change = await plan({ profile, current, now: timestampAfter(current?.updatedAt) });
			if (!change) return current as Annotation;

			const entry = annotationSchema.safeParse(change.entry);
			if (!entry.success) throw ValidationError.fromZod(entry.error);
			const mutationId = (await readDeviceValue(db, 'nextMutationId')) ?? 1;
			const checked = mutationSchema.safeParse({
				deviceId: profile.deviceId,
				mutationId,
				opId: uuidv7(),
				op: change.op,
				annotationId: id,
				baseRevision: change.baseRevision ?? current?.revision ?? 0,
				payload: entry.data,
				schemaVersion: MUTATION_SCHEMA_VERSION,
				createdAt: new Date().toISOString(),
				...(change.resolvesConflictId ? { resolvesConflictId: change.resolvesConflictId } : {})
			} satisfies Mutation);
			if (!checked.success) throw ValidationError.fromZod(checked.error);
			const mutation = checked.data;

			await db.annotations.put(entry.data);
			await db.outbox.add(mutation);
			await db.history.add({
				opId: mutation.opId,
				annotationId: id,
				recommendationId: entry.data.recommendationId,
				mission: entry.data.mission,
				op: change.op,
				snapshot: entry.data,
				at: entry.data.updatedAt,
				author: profile.displayName,
				sent: {
					mutationId,
					baseRevision: mutation.baseRevision,
					schemaVersion: mutation.schemaVersion,
					createdAt: mutation.createdAt,
					...(mutation.resolvesConflictId
						? { resolvesConflictId: mutation.resolvesConflictId }
						: {})
				}
			});
			await writeDeviceValue(db, 'nextMutationId', mutationId + 1);
			if (options.discardDraft !== undefined) await db.drafts.delete(options.discardDraft);
			return entry.data;
		})
	);
}

function timestampAfter(previous: string | undefined): string {
	const now = Date.now();
	const floor = previous === undefined ? -Infinity : Date.parse(previous) + 1;
	return new Date(Math.max(now, floor)).toISOString();
}
