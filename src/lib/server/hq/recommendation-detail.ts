import type { Kysely } from 'kysely';
import { recommendationIdSchema, type Annotation } from '../../shared/annotation';
import {
	HQ_LIMITS,
	type HistoryEvent,
	type HqRecommendation,
	type MissionTimeline
} from '../../shared/hq';
import type { Dataset } from '../../shared/recommendation';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { pairKey } from './cells';
import { openConflictCounts } from './conflicts';
import { listHqMissions } from './missions';
import { addToTally, compareNewestFirst, currentProgress, emptyTally } from './newest-entry';
import { recommendationsById } from './report-dataset';

/** `a78-19-p38`; 400 for anything else, before any query. */
export function parseRecommendationId(id: string): string {
	if (!recommendationIdSchema.safeParse(id).success) {
		throw new AppError(
			400,
			'invalid-recommendation-id',
			'A recommendation id is `a78-19-p` followed by the paragraph number of A/78/19, e.g. a78-19-p38.'
		);
	}
	return id;
}

interface HistoryRow {
	annotation_id: string;
	revision: number;
	device_id: string;
	applied_at: string;
	data: string;
}

/** What each version did, from the version before it when that one is at hand. */
function historyEvents(rows: HistoryRow[]): HistoryEvent[] {
	const versions = new Map<string, Annotation>();
	for (const row of rows)
		versions.set(`${row.annotation_id}#${row.revision}`, JSON.parse(row.data));
	return rows.map((row) => {
		const entry = versions.get(`${row.annotation_id}#${row.revision}`)!;
		const previous = versions.get(`${row.annotation_id}#${row.revision - 1}`);
		let change: HistoryEvent['change'];
		if (entry.deleted) change = 'deleted';
		else if (row.revision === 1) change = 'created';
		else change = previous?.deleted ? 'restored' : 'updated';
		return {
			annotationId: row.annotation_id,
			revision: Number(row.revision),
			appliedAt: row.applied_at,
			deviceId: row.device_id,
			change,
			entry
		};
	});
}

/**
 * One recommendation across missions, for side-by-side timelines: each mission's entries
 * (tombstones flagged) and every version the server applied. 404 when neither the report nor
 * any entry knows the id.
 */
export async function hqRecommendation(
	db: Kysely<Database>,
	dataset: Dataset,
	recommendationId: string
): Promise<HqRecommendation> {
	const id = parseRecommendationId(recommendationId);
	const missions = await listHqMissions(db);
	const codes = missions.map((m) => m.code);
	// Filtering on mission too lets the (mission, recommendation_id) index serve both reads.
	const entryRows = await db
		.selectFrom('annotations')
		.select(['mission', 'data'])
		.where('mission', 'in', codes)
		.where('recommendation_id', '=', id)
		.orderBy('updated_at', 'desc')
		.orderBy('id')
		.limit(HQ_LIMITS.recommendationEntries + 1)
		.execute();
	const recommendation = recommendationsById(dataset).get(id) ?? null;
	if (!recommendation && entryRows.length === 0) {
		throw new AppError(
			404,
			'unknown-recommendation',
			`Paragraph ${id.slice('a78-19-p'.length)} of A/78/19 is not in the report, and no mission has an entry on it.`
		);
	}
	const historyRows = await db
		.selectFrom('annotation_history as h')
		.innerJoin('annotations as a', 'a.id', 'h.annotation_id')
		.select(['h.annotation_id', 'h.revision', 'h.device_id', 'h.applied_at', 'h.data'])
		.where('a.mission', 'in', codes)
		.where('a.recommendation_id', '=', id)
		.orderBy('h.applied_at', 'desc')
		.orderBy('h.annotation_id')
		.orderBy('h.revision', 'desc')
		.limit(HQ_LIMITS.recommendationHistory + 1)
		.execute();
	const conflicts = await openConflictCounts(db, id);

	const entries = entryRows
		.slice(0, HQ_LIMITS.recommendationEntries)
		.map((row) => ({ mission: row.mission, entry: JSON.parse(row.data) as Annotation }));
	const history = historyEvents(
		historyRows
			.slice(0, HQ_LIMITS.recommendationHistory)
			.map((row) => ({ ...row, revision: Number(row.revision) }))
	);
	const timelines: MissionTimeline[] = [];
	for (const mission of missions) {
		const own = entries.filter((e) => e.mission === mission.code).map((e) => e.entry);
		if (mission.retired && own.length === 0) continue;
		const tally = emptyTally();
		for (const entry of own) addToTally(tally, entry);
		timelines.push({
			mission,
			current: currentProgress(tally.current),
			entries: own.sort(compareNewestFirst),
			history: history.filter((event) => event.entry.mission === mission.code),
			openConflicts: conflicts.get(pairKey(mission.code, id)) ?? 0
		});
	}
	return {
		recommendationId: id,
		recommendation,
		missions: timelines,
		truncated:
			entryRows.length > HQ_LIMITS.recommendationEntries ||
			historyRows.length > HQ_LIMITS.recommendationHistory
	};
}
