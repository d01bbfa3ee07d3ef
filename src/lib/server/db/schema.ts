import type { Role } from '../../shared/sync';

/**
 * The tables as Kysely sees them. Portable between SQLite and PostgreSQL: ids, timestamps (ISO
 * 8601 UTC, so text order is time order) and JSON are text; sequences are bigint, returned as
 * numbers (see connection.ts); flags are nullable timestamps.
 */

export interface MetaTable {
	key: string;
	value: string;
}

/** Named counters; `change-seq` is the last sequence number given to a change-log row. */
export interface CounterTable {
	name: string;
	value: number;
}

export interface MissionTable {
	code: string;
	name: string;
	created_at: string;
	retired_at: string | null;
}

export interface EnrolmentCodeTable {
	id: string;
	/** scrypt of the normalised code with the database's salt; the code itself is never stored. */
	code_hash: string;
	mission: string | null;
	role: Role;
	note: string | null;
	created_at: string;
	created_by: string;
	expires_at: string;
	used_at: string | null;
	used_by_device: string | null;
	revoked_at: string | null;
}

export interface DeviceTable {
	/** The device's own UUID. */
	id: string;
	mission: string | null;
	role: Role;
	display_name: string;
	/** SHA-256 of the bearer token, base64url; the token itself is never stored. */
	token_hash: string;
	enrolled_at: string;
	enrolment_code_id: string | null;
	last_seen_at: string | null;
	revoked_at: string | null;
	pending_count: number | null;
	pending_reported_at: string | null;
	/** The highest mutation id of this device the server has settled. */
	last_applied_mutation_id: number;
}

export interface AuditLogTable {
	id: string;
	at: string;
	/** `cli:<user>@<host>` or `device:<id>`. */
	actor: string;
	action: string;
	subject: string | null;
	/** JSON. */
	details: string;
}

/** The current version of each entry. */
export interface AnnotationTable {
	id: string;
	mission: string;
	recommendation_id: string;
	revision: number;
	/** The Annotation as JSON, its `revision` field equal to the column. */
	data: string;
	updated_at: string;
}

/** Every version ever applied, so the change log can point at exact versions. */
export interface AnnotationHistoryTable {
	annotation_id: string;
	revision: number;
	mission: string;
	data: string;
	device_id: string;
	mutation_id: number;
	op_id: string;
	applied_at: string;
}

export interface ConflictTable {
	id: string;
	annotation_id: string;
	mission: string;
	server_data: string;
	incoming_data: string;
	device_id: string;
	mutation_id: number;
	op_id: string;
	created_at: string;
	resolved_at: string | null;
	resolved_by_op: string | null;
}

/** Operations applied or kept as a conflict, by op id, to recognise a retried or reused one. */
export interface ProcessedOpTable {
	op_id: string;
	device_id: string;
	mutation_id: number;
	/** SHA-256 of the canonical JSON of what the op does. */
	content_hash: string;
	outcome: 'applied' | 'conflict';
	processed_at: string;
}

export type ChangeKind = 'annotation' | 'conflict';

/** Append-only; `seq` order is commit order (see sync/push.ts, step 7). */
export interface ChangeLogTable {
	seq: number;
	mission: string;
	kind: ChangeKind;
	entity_id: string;
	/** The annotation revision; 0 for conflicts (their row is read as it is now). */
	revision: number;
	committed_at: string;
}

export interface Database {
	meta: MetaTable;
	counters: CounterTable;
	missions: MissionTable;
	enrolment_codes: EnrolmentCodeTable;
	devices: DeviceTable;
	audit_log: AuditLogTable;
	annotations: AnnotationTable;
	annotation_history: AnnotationHistoryTable;
	conflicts: ConflictTable;
	processed_ops: ProcessedOpTable;
	change_log: ChangeLogTable;
}
