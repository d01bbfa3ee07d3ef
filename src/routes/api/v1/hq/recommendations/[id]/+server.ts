import * as z from 'zod/mini';
import { serverContext } from '$lib/server/context';
import { requireHqReader } from '$lib/server/hq/access';
import { parseQuery } from '$lib/server/hq/query-params';
import { hqRecommendation } from '$lib/server/hq/recommendation-detail';
import { reportDataset } from '$lib/server/hq/report-dataset';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/**
 * → HqRecommendation: one recommendation's entries and history in every mission. A malformed
 * id is a 400, one neither the report nor any entry knows a 404.
 */
export const GET: RequestHandler = ({ request, url, params, locals }) =>
	api(async () => {
		requireHqReader(locals);
		parseQuery(z.strictObject({}), url.searchParams);
		const detail = await hqRecommendation(serverContext().db, await reportDataset(), params.id);
		return json(request, detail);
	});
