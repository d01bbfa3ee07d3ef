import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { addToTally, emptyTally, type EntryTally } from './newest-entry';
import { allEntries } from './scans';

/** One (mission, recommendation) pair with entries, tombstones included. */
export interface PairTally extends EntryTally {
	mission: string;
	recommendationId: string;
}

export function pairKey(mission: string, recommendationId: string): string {
	return `${mission} ${recommendationId}`;
}

/**
 * Every pair's current entry and count, over all entries page by page: memory grows with the
 * number of pairs (missions × recommendations), not with the number of entries.
 */
export async function tallyPairs(db: Kysely<Database>): Promise<Map<string, PairTally>> {
	const pairs = new Map<string, PairTally>();
	for await (const { mission, recommendationId, entry } of allEntries(db)) {
		const key = pairKey(mission, recommendationId);
		let pair = pairs.get(key);
		if (!pair) pairs.set(key, (pair = { mission, recommendationId, ...emptyTally() }));
		addToTally(pair, entry);
	}
	return pairs;
}
