import { MISSION_CODES, type MissionCode } from '$lib/shared/missions';
import type { Recommendation } from '$lib/shared/recommendation';
import {
	FOOTNOTE_MARKERS,
	oneOf,
	PROGRESS_STATUSES,
	STATUS_CATEGORIES,
	type FootnoteMarker,
	type ProgressStatus,
	type StatusCategory
} from '$lib/shared/vocabulary';
import { searchRecommendations, type RecommendationIndex } from './search';

/**
 * The matrix view as a URL: search and filters live in the query string so a link (or a
 * bookmark, offline too) opens the same view. Unknown or malformed values are dropped, never
 * fatal: a hand-edited link still opens the matrix. Read with allow-lists of the shared
 * vocabularies rather than zod: the matrix is the first screen, and the schema library would
 * weigh a third of its JavaScript budget (a query string is never stored or sent anywhere).
 */
/** The mission's own progress: a status, not yet assessed, or changed since the last sync. */
export const PROGRESS_FILTERS = ['not-assessed', 'changed', ...PROGRESS_STATUSES] as const;
export type ProgressFilter = (typeof PROGRESS_FILTERS)[number];

export interface MatrixFilters {
	q: string;
	section?: number;
	category?: StatusCategory;
	mission?: MissionCode;
	footnote?: FootnoteMarker;
	progress?: ProgressFilter;
}

/** What the device knows of its mission's progress, for the progress filter. */
export interface ProgressLookup {
	statusOf(recommendationId: string): ProgressStatus | undefined;
	changed(recommendationId: string): boolean;
}

const MAX_QUERY = 200;

export function parseMatrixFilters(params: URLSearchParams): MatrixFilters {
	const section = Number(params.get('section'));
	const filters: MatrixFilters = { q: (params.get('q') ?? '').slice(0, MAX_QUERY) };
	if (Number.isInteger(section) && section > 0 && section < 100) filters.section = section;
	const category = oneOf(STATUS_CATEGORIES, params.get('category'));
	if (category) filters.category = category;
	const mission = oneOf(MISSION_CODES, params.get('mission'));
	if (mission) filters.mission = mission;
	const footnote = oneOf(FOOTNOTE_MARKERS, params.get('footnote'));
	if (footnote) filters.footnote = footnote;
	const progress = oneOf(PROGRESS_FILTERS, params.get('progress'));
	if (progress) filters.progress = progress;
	return filters;
}

export function matrixFiltersToSearch(filters: MatrixFilters): string {
	const params = new URLSearchParams();
	if (filters.q.trim()) params.set('q', filters.q.trim());
	if (filters.section) params.set('section', String(filters.section));
	if (filters.category) params.set('category', filters.category);
	if (filters.mission) params.set('mission', filters.mission);
	if (filters.footnote) params.set('footnote', filters.footnote);
	if (filters.progress) params.set('progress', filters.progress);
	const search = params.toString();
	return search ? `?${search}` : '';
}

export function hasActiveFilters(filters: MatrixFilters): boolean {
	return matrixFiltersToSearch(filters) !== '';
}

export interface MatrixRow {
	recommendation: Recommendation;
	/** Words to highlight, from the search. */
	terms: string[];
}

/**
 * Applies the filters, then the search. With a search, rows keep the report's order (a matrix
 * is read in order) and carry the matched words. Undefined while a search waits for its index.
 */
export function selectRows(
	recommendations: readonly Recommendation[],
	filters: MatrixFilters,
	index: RecommendationIndex | undefined,
	progress?: ProgressLookup
): MatrixRow[] | undefined {
	const matchesProgress = (id: string) => {
		if (!filters.progress || !progress) return true;
		if (filters.progress === 'changed') return progress.changed(id);
		const status = progress.statusOf(id);
		return filters.progress === 'not-assessed' ? status === undefined : status === filters.progress;
	};
	const filtered = recommendations.filter(
		(rec) =>
			(!filters.section || rec.section.ordinal === filters.section) &&
			(!filters.category || rec.category === filters.category) &&
			(!filters.mission || rec.missions.includes(filters.mission)) &&
			(!filters.footnote || rec.footnotes.includes(filters.footnote)) &&
			matchesProgress(rec.id)
	);
	if (!filters.q.trim()) return filtered.map((recommendation) => ({ recommendation, terms: [] }));
	if (!index) return undefined;
	const hits = new Map(searchRecommendations(index, filters.q).map((hit) => [hit.id, hit]));
	return filtered
		.filter((rec) => hits.has(rec.id))
		.map((recommendation) => ({
			recommendation,
			terms: hits.get(recommendation.id)?.terms ?? []
		}));
}
