import { z } from 'zod';
import {
	footnoteMarkerSchema,
	missionCodeSchema,
	statusCategorySchema,
	type Recommendation
} from '$lib/shared/recommendation';
import { buildSearchIndex, searchRecommendations, type RecommendationIndex } from './search';

/**
 * The matrix view as a URL: search and filters live in the query string so a link (or a
 * bookmark, offline too) opens the same view. Unknown or malformed values are dropped, never
 * fatal: a hand-edited link still opens the matrix.
 */
export const matrixFiltersSchema = z.object({
	q: z.string().max(200).catch(''),
	section: z.coerce.number().int().positive().optional().catch(undefined),
	category: statusCategorySchema.optional().catch(undefined),
	mission: missionCodeSchema.optional().catch(undefined),
	footnote: footnoteMarkerSchema.optional().catch(undefined)
});
export type MatrixFilters = z.infer<typeof matrixFiltersSchema>;

export function parseMatrixFilters(params: URLSearchParams): MatrixFilters {
	return matrixFiltersSchema.parse({
		q: params.get('q') ?? '',
		section: params.get('section') || undefined,
		category: params.get('category') || undefined,
		mission: params.get('mission') || undefined,
		footnote: params.get('footnote') || undefined
	});
}

export function matrixFiltersToSearch(filters: MatrixFilters): string {
	const params = new URLSearchParams();
	if (filters.q.trim()) params.set('q', filters.q.trim());
	if (filters.section) params.set('section', String(filters.section));
	if (filters.category) params.set('category', filters.category);
	if (filters.mission) params.set('mission', filters.mission);
	if (filters.footnote) params.set('footnote', filters.footnote);
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
 * is read in order) and carry the matched words.
 */
export function selectRows(
	recommendations: readonly Recommendation[],
	filters: MatrixFilters,
	index: RecommendationIndex = buildSearchIndex(recommendations)
): MatrixRow[] {
	const filtered = recommendations.filter(
		(rec) =>
			(!filters.section || rec.section.ordinal === filters.section) &&
			(!filters.category || rec.category === filters.category) &&
			(!filters.mission || rec.missions.includes(filters.mission)) &&
			(!filters.footnote || rec.footnotes.includes(filters.footnote))
	);
	if (!filters.q.trim()) return filtered.map((recommendation) => ({ recommendation, terms: [] }));
	const hits = new Map(searchRecommendations(index, filters.q).map((hit) => [hit.id, hit]));
	return filtered
		.filter((rec) => hits.has(rec.id))
		.map((recommendation) => ({
			recommendation,
			terms: hits.get(recommendation.id)?.terms ?? []
		}));
}
