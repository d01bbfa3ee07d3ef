import type { Kysely } from 'kysely';
import type { Annotation } from '../../shared/annotation';
import { HQ_LIMITS, type ConflictVersion, type HqConflicts } from '../../shared/hq';
import type { Database } from '../db/schema';
import { pairKey } from './cells';

/** Open conflicts per (mission, recommendation) pair, keyed by pairKey. */
export async function openConflictCounts(
	db: Kysely<Database>,
	recommendationId?: string
): Promise<Map<string, number>> {
	let query = db
		.selectFrom('conflicts as c')
		.innerJoin('annotations as a', 'a.id', 'c.annotation_id')
		.select(['c.mission', 'a.recommendation_id', (eb) => eb.fn.countAll<number>().as('open')])
		.where('c.resolved_at', 'is', null)
		.groupBy(['c.mission', 'a.recommendation_id']);
	if (recommendationId) query = query.where('a.recommendation_id', '=', recommendationId);
	const rows = await query.execute();
	return new Map(
		rows.map((row) => [pairKey(row.mission, row.recommendation_id), Number(row.open)])
	);
}

function version(data: string): ConflictVersion {
	const entry = JSON.parse(data) as Annotation;
	const { status, note, progressDate, author, updatedAt, deleted, revision } = entry;
	return { status, note, progressDate, author, updatedAt, deleted, revision };
}

/** Conflicts no one has settled, oldest first, across every mission or one. */
export async function openConflicts(
	db: Kysely<Database>,
	mission: string | null
): Promise<HqConflicts> {
	let query = db
		.selectFrom('conflicts')
		.select(['id', 'annotation_id', 'mission', 'server_data', 'incoming_data', 'device_id'])
		.select('created_at')
		.where('resolved_at', 'is', null)
		.orderBy('created_at')
		.orderBy('id')
		.limit(HQ_LIMITS.conflicts + 1);
	if (mission !== null) query = query.where('mission', '=', mission);
	const rows = await query.execute();
	return {
		conflicts: rows.slice(0, HQ_LIMITS.conflicts).map((row) => ({
			id: row.id,
			mission: row.mission,
			annotationId: row.annotation_id,
			// An entry never moves to another recommendation (push.ts, 5e): either version says it.
			recommendationId: (JSON.parse(row.server_data) as Annotation).recommendationId,
			createdAt: row.created_at,
			deviceId: row.device_id,
			server: version(row.server_data),
			incoming: version(row.incoming_data)
		})),
		truncated: rows.length > HQ_LIMITS.conflicts
	};
}
