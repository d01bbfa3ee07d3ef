import type { Annotation, AnnotationOp } from '$lib/shared/annotation';
import type { Conflict } from '$lib/shared/sync';
import type { FieldMatrixDatabase, HistoryEntry, StoredConflict } from '../db';
import { uuidv7 } from '../annotations/uuid';

/**
 * Writing what the server says into the device's tables. Call inside a transaction that covers
 * annotations, history and conflicts.
 */

/**
 * Takes the server's version of an entry unless the device already has it, or a newer one.
 * `force`: the server's version whatever its revision (the server's current version in a
 * conflict answer; a re-pull after a restore, whose revision numbers started again lower). A version another device
 * wrote gets a timeline row (a fresh opId: it is a local record of a change received, not the
 * change itself); this device's own versions are already in its timeline.
 * Returns whether the entry changed. The caller checks the outbox first: an entry with unsent
 * changes keeps its local version until the push settled them.
 */
export async function adoptServerVersion(
	db: FieldMatrixDatabase,
	server: Annotation,
	deviceId: string,
	{ force = false }: { force?: boolean } = {}
): Promise<boolean> {
	return (await adoptServerVersions(db, [server], deviceId, { force })) > 0;
}

/**
 * adoptServerVersion for many entries (a pull page: each entry once), read and written in bulk.
 * Returns how many changed.
 */
export async function adoptServerVersions(
	db: FieldMatrixDatabase,
	servers: Annotation[],
	deviceId: string,
	{ force = false }: { force?: boolean } = {}
): Promise<number> {
	if (servers.length === 0) return 0;
	const locals = await db.annotations.bulkGet(servers.map((server) => server.id));
	const taken: Annotation[] = [];
	const received: Omit<HistoryEntry, 'id'>[] = [];
	servers.forEach((server, index) => {
		const local = locals[index];
		if (local) {
			if (sameVersion(local, server)) return;
			if (!force && server.revision < local.revision) return;
		}
		taken.push(server);
		if (server.deviceId !== deviceId) {
			received.push({
				opId: uuidv7(),
				annotationId: server.id,
				recommendationId: server.recommendationId,
				mission: server.mission,
				op: opBetween(local, server),
				snapshot: server,
				at: server.updatedAt,
				author: server.author
			});
		}
	});
	if (taken.length > 0) await db.annotations.bulkPut(taken);
	if (received.length > 0) await db.history.bulkAdd(received);
	return taken.length;
}

/** A version this device wrote, as a pull names it (an `own` change). */
export type OwnVersion = Pick<Annotation, 'revision' | 'updatedAt'> & { annotationId: string };

/**
 * Entries take the revision numbers the server gave (a push's answers, a pull's `own` changes);
 * not only upwards: after a restore the numbers start again lower. An entry the device lacks is
 * left alone. `holds`: when it refuses an entry's local version, nothing is written and false
 * is returned.
 */
export async function takeRevisions(
	db: FieldMatrixDatabase,
	revisions: Map<string, number>,
	holds: (local: Annotation | undefined) => boolean = () => true
): Promise<boolean> {
	if (revisions.size === 0) return true;
	const locals = await db.annotations.bulkGet([...revisions.keys()]);
	if (!locals.every(holds)) return false;
	const changed = locals.flatMap((local) => {
		const revision = local && revisions.get(local.id);
		return local && revision !== undefined && local.revision !== revision
			? [{ ...local, revision }]
			: [];
	});
	if (changed.length > 0) await db.annotations.bulkPut(changed);
	return true;
}

/**
 * Entries this device wrote take the server's revision numbers, only if the device still holds
 * each of those versions as it wrote it (its own, the same updatedAt): otherwise returns false
 * and writes nothing, and the caller asks for the versions whole.
 */
export async function takeOwnRevisions(
	db: FieldMatrixDatabase,
	versions: OwnVersion[],
	deviceId: string
): Promise<boolean> {
	const written = new Map(versions.map((version) => [version.annotationId, version.updatedAt]));
	return takeRevisions(
		db,
		new Map(versions.map((version) => [version.annotationId, version.revision])),
		(local) => local?.deviceId === deviceId && local.updatedAt === written.get(local.id)
	);
}

function opBetween(before: Annotation | undefined, after: Annotation): AnnotationOp {
	if (!before) return after.deleted ? 'delete' : 'create';
	if (before.deleted !== after.deleted) return after.deleted ? 'delete' : 'restore';
	return 'update';
}

/** Equal as data, whatever the order of keys (the server's JSON and Dexie's objects differ). */
export function sameVersion(a: Annotation, b: Annotation): boolean {
	return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * Stores or refreshes a conflict record as the server sent it. Resolved on the server wins;
 * otherwise a decision this device already made and has not yet seen settled stays 'resolving'.
 */
export async function storeConflict(
	db: FieldMatrixDatabase,
	conflict: Conflict,
	at: string
): Promise<StoredConflict> {
	const existing = await db.conflicts.get(conflict.id);
	const resolving = existing?.state === 'resolving' && !conflict.resolvedAt;
	const stored: StoredConflict = {
		...conflict,
		recommendationId: conflict.server.recommendationId,
		state: conflict.resolvedAt ? 'resolved' : resolving ? 'resolving' : 'open',
		resolvingOpId: resolving ? existing.resolvingOpId : null,
		receivedAt: existing?.receivedAt ?? at
	};
	await db.conflicts.put(stored);
	return stored;
}
