import type { Annotation } from '../../shared/annotation';
import type { CurrentProgress } from '../../shared/hq';

/**
 * Which entry is a mission's current progress on a recommendation: the same rule as on the
 * device (lib/client/annotations/annotation-queries.ts `compareNewestFirst` and
 * `currentStatusByRecommendation`), so Headquarters sees what the mission sees. Newest first by
 * progressDate, then updatedAt, then id; the first non-deleted entry is current; a pair whose
 * entries are all deleted reads as not assessed.
 */
export function compareNewestFirst(
	a: Pick<Annotation, 'progressDate' | 'updatedAt' | 'id'>,
	b: Pick<Annotation, 'progressDate' | 'updatedAt' | 'id'>
): number {
	if (a.progressDate !== b.progressDate) return a.progressDate < b.progressDate ? 1 : -1;
	return Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || (a.id < b.id ? 1 : -1);
}

/** A (mission, recommendation) pair's entries, folded one at a time in any order. */
export interface EntryTally {
	/** The newest non-deleted entry so far. */
	current: Annotation | null;
	/** Non-deleted entries so far. */
	entryCount: number;
}

export function emptyTally(): EntryTally {
	return { current: null, entryCount: 0 };
}

export function addToTally(tally: EntryTally, entry: Annotation): void {
	if (entry.deleted) return;
	tally.entryCount++;
	if (!tally.current || compareNewestFirst(entry, tally.current) < 0) tally.current = entry;
}

export function currentProgress(entry: Annotation | null): CurrentProgress | null {
	if (!entry) return null;
	const { id, status, progressDate, updatedAt, author } = entry;
	return { annotationId: id, status, progressDate, updatedAt, author };
}
