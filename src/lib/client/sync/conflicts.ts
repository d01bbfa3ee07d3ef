import { annotationInputSchema, type Annotation } from '$lib/shared/annotation';
import type { MissionCode } from '$lib/shared/missions';
import type { FieldMatrixDatabase, StoredConflict } from '../db';
import {
	writeConflictResolution,
	type ConflictResolution,
	type UncheckedInput
} from '../annotations/annotation-store';
import { readDeviceValue } from '../annotations/device-state';
import { AnnotationError, ValidationError } from '../annotations/errors';
import { resilientWrite } from '../annotations/resilient-write';

/**
 * Conflicts the server kept: two versions of one entry, for a person to settle. The server's
 * version stays current (and shows on every device) until someone decides; the decision is an
 * ordinary change of the entry (entry + outbox + history in one transaction) whose mutation
 * carries `resolvesConflictId` and the server version's revision as its base, so it applies
 * unless the entry changed again meanwhile (then the server keeps that as a new conflict:
 * nothing is lost either way). Every device of the mission sees the conflict, and sees it
 * resolved once the deciding change reached the server.
 */

/**
 * 'mine': the version this device wrote; 'theirs': the other one. When this device wrote
 * neither (a colleague's conflict), 'mine' is the incoming change and 'theirs' the server's.
 * 'server' / 'incoming' name them without a point of view; `{ merged }` is new content typed
 * by the person (validated like the editor's input).
 */
export type ConflictChoice = 'mine' | 'theirs' | 'server' | 'incoming' | { merged: UncheckedInput };

export interface ConflictVersions {
	mine: Annotation;
	theirs: Annotation;
}

/** The two versions from this device's point of view (for the UI's labels). */
export function conflictVersions(conflict: StoredConflict, deviceId: string): ConflictVersions {
	const serverIsMine = conflict.server.deviceId === deviceId && conflict.deviceId !== deviceId;
	return serverIsMine
		? { mine: conflict.server, theirs: conflict.incoming }
		: { mine: conflict.incoming, theirs: conflict.server };
}

/** The conflicts on one recommendation for a mission, open first, newest first. */
export async function conflictsFor(
	db: FieldMatrixDatabase,
	mission: MissionCode,
	recommendationId: string
): Promise<StoredConflict[]> {
	const rows = await db.conflicts
		.where('[mission+recommendationId]')
		.equals([mission, recommendationId])
		.toArray();
	const rank = { open: 0, resolving: 1, resolved: 2 } as const;
	return rows.sort(
		(a, b) => rank[a.state] - rank[b.state] || Date.parse(b.createdAt) - Date.parse(a.createdAt)
	);
}

/** Conflicts waiting for a decision, oldest first. */
export async function openConflicts(db: FieldMatrixDatabase): Promise<StoredConflict[]> {
	const rows = await db.conflicts.where('state').equals('open').toArray();
	return rows.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

export function openConflictCount(db: FieldMatrixDatabase): Promise<number> {
	return db.conflicts.where('state').equals('open').count();
}

/**
 * Settles a conflict with the chosen version. Resolves with the entry as saved on this device;
 * the next sync sends the decision. Throws AnnotationError ('not-found' for an unknown or already
 * resolved conflict, 'no-profile', 'other-mission') or ValidationError for merged content.
 */
export async function resolveConflict(
	db: FieldMatrixDatabase,
	conflictId: string,
	choice: ConflictChoice
): Promise<Annotation> {
	const tables = [db.annotations, db.outbox, db.history, db.device, db.drafts, db.conflicts];
	return resilientWrite(db, () =>
		db.transaction('rw', tables, async () => {
			const conflict = await db.conflicts.get(conflictId);
			if (!conflict || conflict.state === 'resolved') {
				throw new AnnotationError('not-found', `no open conflict ${conflictId} on this device`);
			}
			const profile = await readDeviceValue(db, 'profile');
			if (!profile) throw new AnnotationError('no-profile', 'enrol or choose a mission first');
			const resolution: ConflictResolution = {
				version: chosenVersion(conflict, choice, profile.deviceId, profile.displayName),
				baseRevision: conflict.server.revision,
				resolvesConflictId: conflict.id,
				serverVersion: conflict.server
			};
			// A nested transaction: the entry, outbox and history rows commit with the mark below.
			const entry = await writeConflictResolution(db, conflict.annotationId, resolution);
			const decision = await db.outbox.where('annotationId').equals(conflict.annotationId).last();
			await db.conflicts.update(conflict.id, {
				state: 'resolving',
				resolvingOpId: decision?.opId ?? null
			});
			return entry;
		})
	);
}

function chosenVersion(
	conflict: StoredConflict,
	choice: ConflictChoice,
	deviceId: string,
	displayName: string
): ConflictResolution['version'] {
	if (typeof choice === 'object') {
		const parsed = annotationInputSchema().safeParse(choice.merged);
		if (!parsed.success) throw ValidationError.fromZod(parsed.error);
		return { ...parsed.data, deleted: false, author: displayName };
	}
	const versions = conflictVersions(conflict, deviceId);
	const picked =
		choice === 'server'
			? conflict.server
			: choice === 'incoming'
				? conflict.incoming
				: versions[choice];
	const { status, note, evidence, progressDate, deleted, author } = picked;
	return { status, note, evidence, progressDate, deleted, author };
}
