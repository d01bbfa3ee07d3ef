import type { Kysely } from 'kysely';
import type { Annotation } from '../../shared/annotation';
import type { Database } from '../db/schema';

/**
 * Whole-table reads in pages, by keyset (the last key of a page starts the next: no OFFSET, each
 * page an index range), so what the HQ views fold and the exports stream never sits in memory
 * at once, however large the database. Rows come as the push wrote them: `data` is the
 * Annotation it validated, stored as JSON.
 */

export const SCAN_PAGE = 500;

export interface StoredEntry {
	mission: string;
	recommendationId: string;
	entry: Annotation;
}

/** Every entry (tombstones included), in id order. */
export async function* allEntries(
	db: Kysely<Database>,
	pageSize = SCAN_PAGE
): AsyncGenerator<StoredEntry> {
	let after: string | null = null;
	for (;;) {
		let query = db
			.selectFrom('annotations')
			.select(['id', 'mission', 'recommendation_id', 'data'])
			.orderBy('id')
			.limit(pageSize);
		if (after !== null) query = query.where('id', '>', after);
		const rows = await query.execute();
		for (const row of rows) {
			yield {
				mission: row.mission,
				recommendationId: row.recommendation_id,
				entry: JSON.parse(row.data) as Annotation
			};
		}
		if (rows.length < pageSize) return;
		after = rows[rows.length - 1].id;
	}
}

/**
 * The entries of one recommendation for the given missions, by mission then id. Filtering on
 * both columns lets either database use the (mission, recommendation_id) index.
 */
export async function* recommendationEntries(
	db: Kysely<Database>,
	recommendationId: string,
	missions: readonly string[],
	pageSize = SCAN_PAGE
): AsyncGenerator<StoredEntry> {
	if (missions.length === 0) return;
	let after: { mission: string; id: string } | null = null;
	for (;;) {
		const from: { mission: string; id: string } | null = after;
		let query = db
			.selectFrom('annotations')
			.select(['id', 'mission', 'data'])
			.where('mission', 'in', missions)
			.where('recommendation_id', '=', recommendationId)
			.orderBy('mission')
			.orderBy('id')
			.limit(pageSize);
		if (from) {
			query = query.where((eb) =>
				eb.or([
					eb('mission', '>', from.mission),
					eb.and([eb('mission', '=', from.mission), eb('id', '>', from.id)])
				])
			);
		}
		const rows = await query.execute();
		for (const row of rows) {
			yield { mission: row.mission, recommendationId, entry: JSON.parse(row.data) as Annotation };
		}
		if (rows.length < pageSize) return;
		const last = rows[rows.length - 1];
		after = { mission: last.mission, id: last.id };
	}
}

export interface AppliedVersion {
	mission: string;
	appliedAt: string;
	entry: Annotation;
}

/** Every version the server applied (annotation_history), optionally of one mission. */
export async function* appliedVersions(
	db: Kysely<Database>,
	mission: string | null,
	pageSize = SCAN_PAGE
): AsyncGenerator<AppliedVersion> {
	let after: { id: string; revision: number } | null = null;
	for (;;) {
		const from: { id: string; revision: number } | null = after;
		let query = db
			.selectFrom('annotation_history')
			.select(['annotation_id', 'revision', 'mission', 'applied_at', 'data'])
			.orderBy('annotation_id')
			.orderBy('revision')
			.limit(pageSize);
		if (mission !== null) query = query.where('mission', '=', mission);
		if (from) {
			query = query.where((eb) =>
				eb.or([
					eb('annotation_id', '>', from.id),
					eb.and([eb('annotation_id', '=', from.id), eb('revision', '>', from.revision)])
				])
			);
		}
		const rows = await query.execute();
		for (const row of rows) {
			yield {
				mission: row.mission,
				appliedAt: row.applied_at,
				entry: JSON.parse(row.data) as Annotation
			};
		}
		if (rows.length < pageSize) return;
		const last = rows[rows.length - 1];
		after = { id: last.annotation_id, revision: Number(last.revision) };
	}
}
