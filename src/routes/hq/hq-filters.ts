import {
	CELL_PROGRESS,
	SECTION_NUMERALS,
	type CellProgress,
	type ExportFilter
} from '$lib/shared/hq';
import { MISSION_CODE_PATTERN } from '$lib/shared/missions';
import { oneOf, STATUS_CATEGORIES, type StatusCategory } from '$lib/shared/vocabulary';

/**
 * The console's view as a URL, like the device's matrix (client/matrix-filters.ts): a link opens
 * the same view. The four filters use the export API's names and values (`section=II`,
 * `progress=not-assessed`), so the exports take exactly what the screen shows; the search and
 * the view stay on the screen. Unknown or malformed values are dropped, never fatal.
 */

export const HQ_VIEWS = ['grid', 'list'] as const;
export type HqView = (typeof HQ_VIEWS)[number];

export interface HqFilters {
	q: string;
	/** A section's numeral, as the export filter takes it. */
	section?: (typeof SECTION_NUMERALS)[number];
	/** The status category of the Secretariat's text. */
	category?: StatusCategory;
	/** A mission's current progress, `not-assessed` for none. */
	progress?: CellProgress;
	mission?: string;
	view: HqView;
}

const MAX_QUERY = 200;

export function parseHqFilters(params: URLSearchParams): HqFilters {
	const filters: HqFilters = {
		q: (params.get('q') ?? '').slice(0, MAX_QUERY),
		view: oneOf(HQ_VIEWS, params.get('view')) ?? 'grid'
	};
	const section = oneOf(SECTION_NUMERALS, params.get('section'));
	if (section) filters.section = section;
	const category = oneOf(STATUS_CATEGORIES, params.get('category'));
	if (category) filters.category = category;
	const progress = oneOf(CELL_PROGRESS, params.get('progress'));
	if (progress) filters.progress = progress;
	const mission = params.get('mission');
	if (mission && MISSION_CODE_PATTERN.test(mission)) filters.mission = mission;
	return filters;
}

export function hqFiltersToSearch(filters: HqFilters): string {
	const params = new URLSearchParams();
	if (filters.q.trim()) params.set('q', filters.q.trim());
	if (filters.section) params.set('section', filters.section);
	if (filters.category) params.set('category', filters.category);
	if (filters.progress) params.set('progress', filters.progress);
	if (filters.mission) params.set('mission', filters.mission);
	if (filters.view !== 'grid') params.set('view', filters.view);
	const search = params.toString();
	return search ? `?${search}` : '';
}

/** What the filter form proposes, through the URL's own rules (a value they refuse is dropped). */
export function filtersFromForm(
	values: Partial<Record<'q' | 'section' | 'category' | 'progress' | 'mission', string>>,
	view: HqView
): HqFilters {
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
	return { ...parseHqFilters(params), view };
}

/** Any filter or search set (the view is not a filter). */
export function hasHqFilters(filters: HqFilters): boolean {
	return hqFiltersToSearch({ ...filters, view: 'grid' }) !== '';
}

/** What the export routes are asked for: the same four filters, never the search. */
export function exportFilterOf(filters: HqFilters): ExportFilter {
	return {
		section: filters.section ? [filters.section] : [],
		category: filters.category ? [filters.category] : [],
		progress: filters.progress ? [filters.progress] : [],
		mission: filters.mission ? [filters.mission] : []
	};
}
