import type MiniSearch from 'minisearch';
import type { Recommendation } from '$lib/shared/recommendation';
import { MISSIONS } from '$lib/shared/missions';

/**
 * Offline full-text search over the recommendation set, with MiniSearch: prefix and fuzzy
 * matching, paragraph numbers and mission names findable too.
 */

interface SearchDocument {
	id: string;
	paragraph: string;
	text: string;
	section: string;
	missions: string;
	documents: string;
}

const missionNames = new Map<string, string>(MISSIONS.map((m) => [m.code, m.name]));

function toDocument(rec: Recommendation): SearchDocument {
	return {
		id: rec.id,
		paragraph: String(rec.paragraph),
		text: rec.paragraphs.join('\n'),
		section: `${rec.section.numeral} ${rec.section.title}`,
		missions: rec.missions.map((code) => `${code} ${missionNames.get(code) ?? ''}`).join(' '),
		documents: rec.documents.map((d) => d.symbol).join(' ')
	};
}

export type RecommendationIndex = MiniSearch<SearchDocument>;

/** Loads MiniSearch on first use (it is not needed to show the matrix) and indexes the set. */
export async function buildSearchIndex(
	recommendations: readonly Recommendation[]
): Promise<RecommendationIndex> {
	const { default: MiniSearch } = await import('minisearch');
	const index = new MiniSearch<SearchDocument>({
		fields: ['paragraph', 'text', 'section', 'missions', 'documents'],
		searchOptions: {
			boost: { paragraph: 5, missions: 2, documents: 2, section: 1.5 },
			prefix: true,
			// Fuzzy only for longer words: typos in short words match too much.
			fuzzy: (term) => (term.length > 4 ? 0.2 : false),
			combineWith: 'AND'
		}
	});
	// In chunks, yielding between them: the build starts when the search box gets focus, and
	// the first keys typed must still echo at once on a slow phone.
	await index.addAllAsync(recommendations.map(toDocument), { chunkSize: 12 });
	return index;
}

export interface SearchHit {
	id: string;
	score: number;
	/** The words of the documents that matched, for highlighting. */
	terms: string[];
}

export function searchRecommendations(index: RecommendationIndex, query: string): SearchHit[] {
	const trimmed = query.trim();
	if (!trimmed) return [];
	return index.search(trimmed).map((r) => ({ id: String(r.id), score: r.score, terms: r.terms }));
}

/**
 * A word as MiniSearch's default tokenizer cuts it (it splits on spaces and punctuation), so
 * highlighting marks exactly the words that were indexed. One pattern, compiled once: a pattern
 * built from each row's terms cost a fresh Unicode regex compile per row (~1.5 ms, 4× that on
 * a phone), and a one-letter query re-highlights the whole list.
 */
const WORD = /[^\n\r\p{Z}\p{P}]+/gu;

/** Splits `text` into runs, marking the words that are one of `terms` (whole words, any case). */
export function highlightRuns(
	text: string,
	terms: readonly string[]
): { text: string; match: boolean }[] {
	const words = new Set(terms.filter((term) => term.length > 0).map((term) => term.toLowerCase()));
	if (words.size === 0) return [{ text, match: false }];
	const runs: { text: string; match: boolean }[] = [];
	let last = 0;
	for (const found of text.matchAll(WORD)) {
		if (!words.has(found[0].toLowerCase())) continue;
		const start = found.index;
		if (start > last) runs.push({ text: text.slice(last, start), match: false });
		runs.push({ text: found[0], match: true });
		last = start + found[0].length;
	}
	if (last < text.length) runs.push({ text: text.slice(last), match: false });
	return runs;
}
