import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface AuditEntry {
	actor: string;
	action: string;
	subject?: string | null;
	details?: Record<string, unknown>;
}

/** Appends to the audit log; pass the transaction that makes the change, so both or neither. */
export async function recordAudit(
	db: Kysely<Database>,
	entry: AuditEntry,
	now: Date = new Date()
): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			id: randomUUID(),
			at: now.toISOString(),
			actor: entry.actor,
			action: entry.action,
			subject: entry.subject ?? null,
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}

export async function listAudit(db: Kysely<Database>, limit = 100) {
	return db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').limit(limit).execute();
}
