import { serverContext } from '$lib/server/context';
import { exportResponse } from '$lib/server/exports/export-response';
import { parseExportFilter } from '$lib/server/exports/scope';
import { requireHqReader } from '$lib/server/hq/access';
import { reportDataset } from '$lib/server/hq/report-dataset';
import { api } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/**
 * `export.csv|json|md|docx?section=&category=&progress=&mission=` → a dated attachment.
 * Filters are repeatable; see exportFilterSchema (shared/hq.ts).
 */
export const GET: RequestHandler = ({ url, params, locals }) =>
	api(async () => {
		requireHqReader(locals);
		const filter = parseExportFilter(url.searchParams);
		// The matcher (src/params/export_format.ts) let only the four formats through.
		return exportResponse(serverContext().db, await reportDataset(), params.format, filter);
	});
