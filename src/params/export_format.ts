import type { ParamMatcher } from '@sveltejs/kit';
// The vocabulary, not the schemas: every matcher is in the app's first bundle.
import { EXPORT_FORMATS, type ExportFormat } from '$lib/shared/vocabulary';

/**
 * An HQ export format: csv, json, md or docx (`/api/v1/hq/export.csv`). Any other extension
 * matches no route: 404. (Snake case: a matcher's name must be a word in the route's brackets.)
 */
export const match = ((param: string): param is ExportFormat =>
	(EXPORT_FORMATS as readonly string[]).includes(param)) satisfies ParamMatcher;
