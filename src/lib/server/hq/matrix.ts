import type { Kysely } from 'kysely';
import type { HqMatrix, MatrixCell } from '../../shared/hq';
import type { Dataset } from '../../shared/recommendation';
import type { Database } from '../db/schema';
import { tallyPairs } from './cells';
import { openConflictCounts } from './conflicts';
import { listHqMissions } from './missions';
import { currentProgress } from './newest-entry';

function paragraphOf(recommendationId: string): number {
	return Number(recommendationId.slice(recommendationId.lastIndexOf('p') + 1));
}

/**
 * Every mission's current progress on every recommendation it recorded something on (deleted
 * entries included: such a pair reads as not assessed), with the open conflicts of each pair.
 */
export async function hqMatrix(
	db: Kysely<Database>,
	dataset: Dataset,
	now: Date = new Date()
): Promise<HqMatrix> {
	const [missions, pairs, conflicts] = await Promise.all([
		listHqMissions(db),
		tallyPairs(db),
		openConflictCounts(db)
	]);
	// A conflict always sits on a stored entry (the counts join them), so on one of these pairs.
	const cells: MatrixCell[] = [];
	for (const [key, pair] of pairs) {
		cells.push({
			mission: pair.mission,
			recommendationId: pair.recommendationId,
			current: currentProgress(pair.current),
			entryCount: pair.entryCount,
			openConflicts: conflicts.get(key) ?? 0
		});
	}
	cells.sort(
		(a, b) =>
			(a.mission < b.mission ? -1 : a.mission > b.mission ? 1 : 0) ||
			paragraphOf(a.recommendationId) - paragraphOf(b.recommendationId)
	);
	return {
		generatedAt: now.toISOString(),
		datasetVersion: dataset.version,
		missions,
		cells
	};
}
