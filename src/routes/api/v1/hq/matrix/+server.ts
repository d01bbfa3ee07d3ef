import * as z from 'zod/mini';
import { serverContext } from '$lib/server/context';
import { requireHqReader } from '$lib/server/hq/access';
import { hqMatrix } from '$lib/server/hq/matrix';
import { parseQuery } from '$lib/server/hq/query-params';
import { reportDataset } from '$lib/server/hq/report-dataset';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** → HqMatrix: every mission's current progress per recommendation, with open conflicts. */
export const GET: RequestHandler = ({ request, url, locals }) =>
	api(async () => {
		requireHqReader(locals);
		parseQuery(z.strictObject({}), url.searchParams);
		return json(request, await hqMatrix(serverContext().db, await reportDataset()));
	});
