/**
 * The fixed word lists of the recommendation set, free of zod so that the device's first screen
 * can use them without loading the schema library (see the bundle budget in README).
 */

/**
 * What the Secretariat's wording says about a recommendation, in a few categories.
 * The rules that derive them live in `lib/report/status-category.ts`, each backed by a test.
 */
export const STATUS_CATEGORIES = [
	'ongoing-see-2023',
	'progress-reported',
	'briefing-pending',
	'update-pending',
	'taken-note',
	'member-states',
	'no-update-requested'
] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

/** A mission's progress scale, in the order a mission moves through it (README, "Progress scale"). */
export const PROGRESS_STATUSES = [
	'not-started',
	'planned',
	'in-progress',
	'implemented',
	'not-applicable',
	'needs-hq-support'
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const FOOTNOTE_MARKERS = ['a', 'b'] as const;
export type FootnoteMarker = (typeof FOOTNOTE_MARKERS)[number];

/** Narrows a string to one of `values`, for reading untrusted input such as a URL. */
export function oneOf<const T extends readonly string[]>(
	values: T,
	value: string | null | undefined
): T[number] | undefined {
	return value != null && (values as readonly string[]).includes(value) ? value : undefined;
}

/** The Headquarters export formats (`/api/v1/hq/export.csv` …); zod-free for the route matcher. */
export const EXPORT_FORMATS = ['csv', 'json', 'md', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
