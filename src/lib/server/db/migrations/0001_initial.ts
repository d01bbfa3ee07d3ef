import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * The first schema. A migration is frozen once shipped: it declares the few tables it writes
 * rows into itself instead of importing the live schema, which later migrations change.
 */
interface Frozen {
	meta: { key: string; value: string };
	counters: { name: string; value: number };
}

export async function up(db: Kysely<Frozen>): Promise<void> {
	await db.schema
		.createTable('meta')
		.addColumn('key', 'text', (col) => col.primaryKey())
		.addColumn('value', 'text', (col) => col.notNull())
		.execute();

	await db.schema
		.createTable('counters')
		.addColumn('name', 'text', (col) => col.primaryKey())
		.addColumn('value', 'bigint', (col) => col.notNull())
		.execute();

	await db.schema
		.createTable('missions')
		.addColumn('code', 'text', (col) => col.primaryKey())
		.addColumn('name', 'text', (col) => col.notNull())
		.addColumn('created_at', 'text', (col) => col.notNull())
		.addColumn('retired_at', 'text')
		.execute();

	await db.schema
		.createTable('enrolment_codes')
		.addColumn('id', 'text', (col) => col.primaryKey())
		.addColumn('code_hash', 'text', (col) => col.notNull().unique())
		.addColumn('mission', 'text', (col) => col.references('missions.code'))
		.addColumn('role', 'text', (col) => col.notNull())
		.addColumn('note', 'text')
		.addColumn('created_at', 'text', (col) => col.notNull())
		.addColumn('created_by', 'text', (col) => col.notNull())
		.addColumn('expires_at', 'text', (col) => col.notNull())
		.addColumn('used_at', 'text')
		.addColumn('used_by_device', 'text')
		.addColumn('revoked_at', 'text')
		.execute();

	await db.schema
		.createTable('devices')
		.addColumn('id', 'text', (col) => col.primaryKey())
		.addColumn('mission', 'text', (col) => col.references('missions.code'))
		.addColumn('role', 'text', (col) => col.notNull())
		.addColumn('display_name', 'text', (col) => col.notNull())
		.addColumn('token_hash', 'text', (col) => col.notNull().unique())
		.addColumn('enrolled_at', 'text', (col) => col.notNull())
		.addColumn('enrolment_code_id', 'text')
		.addColumn('last_seen_at', 'text')
		.addColumn('revoked_at', 'text')
		.addColumn('pending_count', 'integer')
		.addColumn('pending_reported_at', 'text')
		.addColumn('last_applied_mutation_id', 'bigint', (col) => col.notNull().defaultTo(0))
		.execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'text', (col) => col.primaryKey())
		.addColumn('at', 'text', (col) => col.notNull())
		.addColumn('actor', 'text', (col) => col.notNull())
		.addColumn('action', 'text', (col) => col.notNull())
		.addColumn('subject', 'text')
		.addColumn('details', 'text', (col) => col.notNull())
		.execute();
	await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

	await db.schema
		.createTable('annotations')
		.addColumn('id', 'text', (col) => col.primaryKey())
		.addColumn('mission', 'text', (col) => col.notNull().references('missions.code'))
		.addColumn('recommendation_id', 'text', (col) => col.notNull())
		.addColumn('revision', 'integer', (col) => col.notNull())
		.addColumn('data', 'text', (col) => col.notNull())
		.addColumn('updated_at', 'text', (col) => col.notNull())
		.execute();
	await db.schema
		.createIndex('annotations_mission_recommendation')
		.on('annotations')
		.columns(['mission', 'recommendation_id'])
		.execute();

	await db.schema
		.createTable('annotation_history')
		.addColumn('annotation_id', 'text', (col) => col.notNull())
		.addColumn('revision', 'integer', (col) => col.notNull())
		.addColumn('mission', 'text', (col) => col.notNull())
		.addColumn('data', 'text', (col) => col.notNull())
		.addColumn('device_id', 'text', (col) => col.notNull())
		.addColumn('mutation_id', 'bigint', (col) => col.notNull())
		.addColumn('op_id', 'text', (col) => col.notNull())
		.addColumn('applied_at', 'text', (col) => col.notNull())
		.addPrimaryKeyConstraint('annotation_history_pk', ['annotation_id', 'revision'])
		.execute();

	await db.schema
		.createTable('conflicts')
		.addColumn('id', 'text', (col) => col.primaryKey())
		.addColumn('annotation_id', 'text', (col) => col.notNull())
		.addColumn('mission', 'text', (col) => col.notNull())
		.addColumn('server_data', 'text', (col) => col.notNull())
		.addColumn('incoming_data', 'text', (col) => col.notNull())
		.addColumn('device_id', 'text', (col) => col.notNull())
		.addColumn('mutation_id', 'bigint', (col) => col.notNull())
		.addColumn('op_id', 'text', (col) => col.notNull())
		.addColumn('created_at', 'text', (col) => col.notNull())
		.addColumn('resolved_at', 'text')
		.addColumn('resolved_by_op', 'text')
		.execute();
	await db.schema
		.createIndex('conflicts_annotation')
		.on('conflicts')
		.column('annotation_id')
		.execute();

	await db.schema
		.createTable('processed_ops')
		.addColumn('op_id', 'text', (col) => col.primaryKey())
		.addColumn('device_id', 'text', (col) => col.notNull())
		.addColumn('mutation_id', 'bigint', (col) => col.notNull())
		.addColumn('content_hash', 'text', (col) => col.notNull())
		.addColumn('outcome', 'text', (col) => col.notNull())
		.addColumn('processed_at', 'text', (col) => col.notNull())
		.execute();

	await db.schema
		.createTable('change_log')
		.addColumn('seq', 'bigint', (col) => col.primaryKey())
		.addColumn('mission', 'text', (col) => col.notNull())
		.addColumn('kind', 'text', (col) => col.notNull())
		.addColumn('entity_id', 'text', (col) => col.notNull())
		.addColumn('revision', 'integer', (col) => col.notNull())
		.addColumn('committed_at', 'text', (col) => col.notNull())
		.execute();
	// A mission's pull walks this; the other finds whether a row was superseded.
	await db.schema
		.createIndex('change_log_mission_seq')
		.on('change_log')
		.columns(['mission', 'seq'])
		.execute();
	await db.schema
		.createIndex('change_log_entity_seq')
		.on('change_log')
		.columns(['kind', 'entity_id', 'seq'])
		.execute();

	const now = new Date().toISOString();
	await db
		.insertInto('meta')
		.values([
			// Identifies this database; a restored backup gets a new one (admin `new-epoch`).
			{ key: 'epoch', value: randomBytes(16).toString('base64url') },
			{ key: 'created-at', value: now },
			// Salt of the enrolment-code hashes, so a hash is worthless outside this database.
			{ key: 'enrolment-code-salt', value: randomBytes(16).toString('base64url') }
		])
		.execute();
	await db.insertInto('counters').values({ name: 'change-seq', value: 0 }).execute();
}

export async function down(db: Kysely<Frozen>): Promise<void> {
	for (const table of [
		'change_log',
		'processed_ops',
		'conflicts',
		'annotation_history',
		'annotations',
		'audit_log',
		'devices',
		'enrolment_codes',
		'missions',
		'counters',
		'meta'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
