import * as z from 'zod/mini';
import { serverContext } from '$lib/server/context';
import { requireHqReader } from '$lib/server/hq/access';
import { hqFreshness } from '$lib/server/hq/freshness';
import { parseQuery } from '$lib/server/hq/query-params';
import { reportDataset } from '$lib/server/hq/report-dataset';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** → HqFreshness: each mission's devices and last sync, stale missions, unassessed paragraphs. */
export const GET: RequestHandler = ({ request, url, locals }) =>
	api(async () => {
		requireHqReader(locals);
		parseQuery(z.strictObject({}), url.searchParams);
		const freshness = await hqFreshness(serverContext().db, await reportDataset(), new Date());
		return json(request, freshness);
	});
