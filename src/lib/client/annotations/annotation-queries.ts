import type { Annotation } from '$lib/shared/annotation';
import { PROGRESS_STATUSES, type ProgressStatus } from '$lib/shared/vocabulary';
import type { MissionCode } from '$lib/shared/missions';
import type { Recommendation } from '$lib/shared/recommendation';
import type { FieldMatrixDatabase, HistoryEntry } from '../db';

/**
 * IndexedDB's lowest and highest keys (Dexie.minKey and Dexie.maxKey in every browser with
 * compound indexes), spelled out so the first screen's queries do not import Dexie itself.
 */
const MIN_KEY = -Infinity;
const MAX_KEY = [[]];

/**
 * Reads for the UI: plain async functions over Dexie, meant to be wrapped in liveQuery
 * (liveState) so views follow every write, in this tab or another.
 */

/** Newest first: by progressDate, then updatedAt. The first non-deleted one is the current status. */
export function compareNewestFirst(a: Annotation, b: Annotation): number {
	if (a.progressDate !== b.progressDate) return a.progressDate < b.progressDate ? 1 : -1;
	return Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || (a.id < b.id ? 1 : -1);
}

/** A mission's entries on one recommendation, tombstones included, newest first. */
export async function annotationsFor(
	db: FieldMatrixDatabase,
	mission: MissionCode,
	recommendationId: string
): Promise<Annotation[]> {
	const entries = await db.annotations
		.where('[mission+recommendationId]')
		.equals([mission, recommendationId])
		.toArray();
	return entries.sort(compareNewestFirst);
}

function missionAnnotations(db: FieldMatrixDatabase, mission: MissionCode): Promise<Annotation[]> {
	return db.annotations
		.where('[mission+recommendationId]')
		.between([mission, MIN_KEY], [mission, MAX_KEY])
		.toArray();
}

export interface CurrentStatus {
	status: ProgressStatus;
	progressDate: string;
	updatedAt: string;
	/** Entries on the recommendation, tombstones not counted. */
	entryCount: number;
}

/**
 * The mission's current status per recommendation. A recommendation whose entries are all
 * deleted is absent: it reads as not assessed.
 */
export async function currentStatusByRecommendation(
	db: FieldMatrixDatabase,
	mission: MissionCode
): Promise<Map<string, CurrentStatus>> {
	const live = (await missionAnnotations(db, mission)).filter((entry) => !entry.deleted);
	const result = new Map<string, CurrentStatus>();
	for (const entry of live.sort(compareNewestFirst)) {
		const known = result.get(entry.recommendationId);
		if (known) known.entryCount++;
		else {
			const { status, progressDate, updatedAt } = entry;
			result.set(entry.recommendationId, { status, progressDate, updatedAt, entryCount: 1 });
		}
	}
	return result;
}

/** The timeline of a recommendation's entries for a mission: one row per change, newest first. */
export async function historyFor(
	db: FieldMatrixDatabase,
	mission: MissionCode,
	recommendationId: string
): Promise<HistoryEntry[]> {
	const rows = await db.history
		.where('[mission+recommendationId]')
		.equals([mission, recommendationId])
		.toArray();
	return rows.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.id - a.id);
}

/** Changes saved on this device and not yet synced. */
export function pendingCount(db: FieldMatrixDatabase): Promise<number> {
	return db.outbox.count();
}

/**
 * Unsent changes written for another mission than `mission` (left by a forced change of profile
 * or brought by an imported backup). The server refuses a whole push that holds one, so the sync
 * engine must leave them out; the user can only export them.
 */
export function pendingForOtherMissions(
	db: FieldMatrixDatabase,
	mission: MissionCode
): Promise<number> {
	return db.outbox.filter((mutation) => mutation.payload.mission !== mission).count();
}

/** Entries with changes not yet synced (the matrix filter "changed since last sync"). */
export async function pendingAnnotationIds(db: FieldMatrixDatabase): Promise<Set<string>> {
	const ids = await db.outbox.orderBy('annotationId').uniqueKeys();
	return new Set(ids.map(String));
}

export type SummaryStatus = ProgressStatus | 'not-assessed';
export type StatusCounts = Record<SummaryStatus, number>;

export interface ProgressSummary {
	overall: StatusCounts;
	/** By section ordinal. */
	bySection: Map<number, StatusCounts>;
}

function emptyCounts(): StatusCounts {
	const counts = { 'not-assessed': 0 } as StatusCounts;
	for (const status of PROGRESS_STATUSES) counts[status] = 0;
	return counts;
}

/** How many of `recommendations` are at each status for the mission (orphans not counted). */
export async function progressSummary(
	db: FieldMatrixDatabase,
	mission: MissionCode,
	recommendations: readonly Pick<Recommendation, 'id' | 'section'>[]
): Promise<ProgressSummary> {
	const current = await currentStatusByRecommendation(db, mission);
	const summary: ProgressSummary = { overall: emptyCounts(), bySection: new Map() };
	for (const { id, section } of recommendations) {
		const status = current.get(id)?.status ?? 'not-assessed';
		let counts = summary.bySection.get(section.ordinal);
		if (!counts) summary.bySection.set(section.ordinal, (counts = emptyCounts()));
		counts[status]++;
		summary.overall[status]++;
	}
	return summary;
}

/**
 * Entries (tombstones included) on recommendations the current dataset no longer has: they
 * must stay visible, never vanish with a dataset update. By recommendation, newest first.
 */
export async function orphanedAnnotations(
	db: FieldMatrixDatabase,
	mission: MissionCode,
	currentRecommendationIds: Iterable<string>
): Promise<Annotation[]> {
	const known = new Set(currentRecommendationIds);
	const orphans = (await missionAnnotations(db, mission)).filter(
		(entry) => !known.has(entry.recommendationId)
	);
	return orphans.sort(
		(a, b) =>
			a.recommendationId.localeCompare(b.recommendationId, 'en', { numeric: true }) ||
			compareNewestFirst(a, b)
	);
}
