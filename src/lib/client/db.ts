import { Dexie, type EntityTable } from 'dexie';
import type { Annotation, AnnotationOp, Mutation } from '$lib/shared/annotation';
import type { MissionCode } from '$lib/shared/missions';
import type { Recommendation, ReportMeta, Section } from '$lib/shared/recommendation';

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
}

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

/** The values of the `device` key-value table, by key. */
export interface DeviceValues {
	profile: DeviceProfile;
	/** The mutationId the next outbox row gets: strictly increasing, never reused. */
	nextMutationId: number;
	/** Filled by the sync engine. */
	lastSyncedAt: string | null;
	/** Filled by the sync engine: the highest mutationId the server has settled. */
	lastSyncedMutationId: number;
}
export type DeviceKey = keyof DeviceValues;
export type DeviceEntry = { [K in DeviceKey]: { key: K; value: DeviceValues[K] } }[DeviceKey];

export class FieldMatrixDatabase extends Dexie {
	recommendations!: EntityTable<Recommendation, 'id'>;
	datasetInfo!: EntityTable<DatasetInfo, 'key'>;
	annotations!: EntityTable<Annotation, 'id'>;
	outbox!: EntityTable<Mutation, 'mutationId'>;
	history!: EntityTable<HistoryEntry, 'id'>;
	drafts!: EntityTable<StoredDraft, 'key'>;
	device!: EntityTable<DeviceEntry, 'key'>;

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
	}
}

export const db = new FieldMatrixDatabase();
