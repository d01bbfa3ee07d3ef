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

/** Where a page of the log ends: its last entry. */
export interface AuditPosition {
	at: string;
	id: string;
}

/**
 * One page of the log, newest first, strictly older than `before`. Keyed on (at, id), not `at`
 * alone: the entries of one transaction share their `at`, and a page boundary falling between
 * them must neither skip nor repeat one.
 */
export async function listAuditPage(
	db: Kysely<Database>,
	{ before, limit }: { before: AuditPosition | null; limit: number }
) {
	let query = db.selectFrom('audit_log').selectAll();
	if (before) {
		query = query.where((eb) =>
			eb.or([
				eb('at', '<', before.at),
				eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])
			])
		);
	}
	const rows = await query
		.orderBy('at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit + 1)
		.execute();
	const entries = rows.slice(0, limit);
	const last = entries.at(-1);
	const next: AuditPosition | null =
		rows.length > limit && last ? { at: last.at, id: last.id } : null;
	return { entries, next };
}
