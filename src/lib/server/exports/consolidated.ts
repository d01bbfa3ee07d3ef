import type { Kysely } from 'kysely';
import { NOT_ASSESSED, type ExportCell, type ExportRecommendation } from '../../shared/hq';
import type { Database } from '../db/schema';
import { addToTally, emptyTally, type EntryTally } from '../hq/newest-entry';
import { recommendationEntries } from '../hq/scans';
import type { ExportScope } from './scope';

/**
 * The rows every export writes: per recommendation in report order, each mission's current
 * progress (the newest non-deleted entry, as on the device) or `not-assessed`, so gaps show.
 * Read one recommendation at a time, its entries in keyset pages: memory holds one
 * recommendation's tallies (one per mission), however many entries the database has.
 *
 * A retired mission appears only where it recorded something, unless asked for by name: its
 * gaps will never be filled. A recommendation left with no mission after the `progress`
 * filter is left out.
 */
export async function* consolidatedRecommendations(
	db: Kysely<Database>,
	scope: ExportScope
): AsyncGenerator<ExportRecommendation> {
	const codes = scope.missions.map((m) => m.code);
	const named = new Set(scope.filter.mission);
	for (const recommendation of scope.recommendations) {
		const tallies = new Map<string, EntryTally>();
		for await (const { mission, entry } of recommendationEntries(db, recommendation.id, codes)) {
			let tally = tallies.get(mission);
			if (!tally) tallies.set(mission, (tally = emptyTally()));
			addToTally(tally, entry);
		}
		const missions: ExportCell[] = [];
		for (const mission of scope.missions) {
			const tally = tallies.get(mission.code) ?? emptyTally();
			const progress = tally.current?.status ?? NOT_ASSESSED;
			if (mission.retired && !tally.current && !named.has(mission.code)) continue;
			if (scope.filter.progress.length && !scope.filter.progress.includes(progress)) continue;
			missions.push({
				mission: mission.code,
				progress,
				current: tally.current,
				entryCount: tally.entryCount
			});
		}
		if (missions.length > 0) yield { recommendation, missions };
	}
}
