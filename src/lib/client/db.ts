import { Dexie, type EntityTable } from 'dexie';
import type { Annotation, AnnotationOp, Mutation } from '$lib/shared/annotation';
import type { MissionCode } from '$lib/shared/missions';
import type { Recommendation, ReportMeta, Section } from '$lib/shared/recommendation';
import type { Conflict, Role } from '$lib/shared/sync';

/**
 * The one Dexie database of the device. Every `version(n).stores()` ever shipped stays here,
 * in order, so a device on any earlier version upgrades with its data.
 *
 * The recommendation set (tables `recommendations` and `datasetInfo`) is replaceable as a
 * whole when a new dataset version arrives; anything the user writes lives in other tables
 * that a dataset replacement never touches.
 */

/** The single row of `datasetInfo`: what the stored recommendation set is. */
export interface DatasetInfo {
	key: 'current';
	version: string;
	meta: ReportMeta;
	sections: Section[];
	count: number;
	storedAt: string;
}

/** One change to an entry, kept on the device for its timeline (synced or not). */
export interface HistoryEntry {
	/** Local only: never leaves the device, never compared across devices. */
	id: number;
	/** The operation's id (the outbox mutation's opId): what makes a change unique anywhere. */
	opId: string;
	annotationId: string;
	recommendationId: string;
	mission: MissionCode;
	op: AnnotationOp;
	/** The entry as it was right after the change. */
	snapshot: Annotation;
	at: string;
	author: string;
	/**
	 * This device's own changes: the rest of the mutation as it was queued (the payload is the
	 * snapshot), so a change a restored server lost can be sent again exactly (epoch-recovery.ts).
	 */
	sent?: SentMutation;
}

export type SentMutation = Pick<
	Mutation,
	'mutationId' | 'baseRevision' | 'resolvesConflictId' | 'schemaVersion' | 'createdAt'
>;

/** The editor's state as typed: strings only, nothing validated. */
export interface AnnotationDraft {
	status: string;
	note: string;
	evidence: { label: string; url: string; symbol: string }[];
	progressDate: string;
}

export interface StoredDraft {
	/** `${recommendationId}:new` or `${recommendationId}:${annotationId}`. */
	key: string;
	draft: AnnotationDraft;
	savedAt: string;
}

/** Who writes on this device. Replaced by enrolment later; the deviceId never changes. */
export interface DeviceProfile {
	deviceId: string;
	mission: MissionCode;
	displayName: string;
}

/**
 * What enrolment with Headquarters gave this device. The token is a secret: it never leaves the
 * device (no export, no log).
 */
export interface Enrolment {
	token: string;
	role: Role;
	/** The mission a focal point writes for; null for an HQ viewer or administrator. */
	mission: MissionCode | null;
	displayName: string;
	deviceId: string;
	enrolledAt: string;
	/** Set when the server refused the token (revoked, or unknown to it): sync stops for good. */
	revokedAt: string | null;
}

/** Why the last sync attempt failed (kinds from client/sync/api-client.ts). */
export interface SyncErrorRecord {
	kind: string;
	/** The server's error code (`apiErrorSchema.error`), when it answered one. */
	code?: string;
	message: string;
	at: string;
}

/** The values of the `device` key-value table, by key. */
export interface DeviceValues {
	profile: DeviceProfile;
	/** The mutationId the next outbox row gets: strictly increasing, never reused. */
	nextMutationId: number;
	/** Filled by the sync engine. */
	lastSyncedAt: string | null;
	/** Filled by the sync engine: the highest mutationId the server has settled. */
	lastSyncedMutationId: number;
	/** v3. Absent: not enrolled (the first-run picker path: the device does not sync). */
	enrolment: Enrolment;
	/** v3. The deviceId of a device enrolled without a profile (an HQ viewer); else profile's. */
	deviceId: string;
	/** v3. The server database's epoch the cursor belongs to. */
	syncEpoch: string | null;
	/** v3. Opaque pull cursor; null: pull from the beginning. */
	pullCursor: string | null;
	/** The new epoch while the device recovers from a server restore (sync/epoch-recovery.ts). */
	epochRecovery: string | null;
	/** v3. Null after a successful sync. */
	lastSyncError: SyncErrorRecord | null;
	lastSyncAttemptAt: string;
}
export type DeviceKey = keyof DeviceValues;
export type DeviceEntry = { [K in DeviceKey]: { key: K; value: DeviceValues[K] } }[DeviceKey];

export type ConflictState =
	/** Waiting for a person to decide. */
	| 'open'
	/** Decided on this device; the deciding change is in the outbox or on its way. */
	| 'resolving'
	/** Settled on the server (resolvedAt set). */
	| 'resolved';

/** A conflict the server kept (both versions), as the device holds it. */
export interface StoredConflict extends Conflict {
	/** The recommendation the entry is on (of the server version), for the recommendation page. */
	recommendationId: string;
	state: ConflictState;
	/** The opId of the local change that settles it, while it is on its way. */
	resolvingOpId: string | null;
	receivedAt: string;
}

/** An outbox mutation the server refused: kept, visible, never pushed again. */
export interface RejectedMutation {
	opId: string;
	mutationId: number;
	annotationId: string;
	mutation: Mutation;
	reason: string;
	rejectedAt: string;
}

/** Who wrote mutations that were set aside. */
export interface ParkedIdentity {
	deviceId: string;
	mission: MissionCode;
	displayName: string;
}

/**
 * An unsent mutation set aside because this device can no longer push it under the identity
 * that wrote it (another person or mission enrolled the phone, or it names another mission):
 * never pushed, kept to be exported.
 */
export interface ParkedMutation {
	opId: string;
	mutationId: number;
	annotationId: string;
	mutation: Mutation;
	reason: 're-enrolled' | 'other-mission' | 'read-only';
	/** The identity in force when it was written (the profile before enrolment). */
	previous: ParkedIdentity | null;
	parkedAt: string;
}

export class FieldMatrixDatabase extends Dexie {
	recommendations!: EntityTable<Recommendation, 'id'>;
	datasetInfo!: EntityTable<DatasetInfo, 'key'>;
	annotations!: EntityTable<Annotation, 'id'>;
	outbox!: EntityTable<Mutation, 'mutationId'>;
	history!: EntityTable<HistoryEntry, 'id'>;
	drafts!: EntityTable<StoredDraft, 'key'>;
	device!: EntityTable<DeviceEntry, 'key'>;
	conflicts!: EntityTable<StoredConflict, 'id'>;
	rejected!: EntityTable<RejectedMutation, 'opId'>;
	parked!: EntityTable<ParkedMutation, 'opId'>;

	constructor(name = 'fieldmatrix') {
		super(name);
		// v1: the recommendation set.
		this.version(1).stores({
			recommendations: 'id, &order, &paragraph, section.ordinal, category',
			datasetInfo: 'key'
		});
		// v2: what the focal point writes. New tables only, so v1 data carries over untouched.
		this.version(2).stores({
			annotations: 'id, [mission+recommendationId], updatedAt, status',
			outbox: 'mutationId, &opId, annotationId',
			history: '++id, &opId, annotationId, [mission+recommendationId], at',
			drafts: 'key',
			device: 'key'
		});
		// v3: sync with Headquarters. New tables only; sync state lives in `device`.
		this.version(3).stores({
			conflicts: 'id, annotationId, [mission+recommendationId], state',
			rejected: 'opId, mutationId, annotationId, rejectedAt',
			parked: 'opId, mutationId, annotationId, parkedAt'
		});
	}
}

export const db = new FieldMatrixDatabase();

/**
 * Calls `changed` after any change, here or in another tab, to what the home page's list shows:
 * the set, the entries and their unsent marks. (The caller passes what to do: a module this
 * chunk imported would load with Dexie, after the first screen.)
 */
export function whenListChanges(changed: () => void): void {
	const listTables = /^idb:\/\/[^/]+\/(recommendations|annotations|outbox)\//;
	Dexie.on('storagemutated', (parts) => {
		if (Object.keys(parts).some((part) => listTables.test(part))) changed();
	});
}
