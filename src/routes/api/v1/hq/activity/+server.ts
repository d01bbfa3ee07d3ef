import { missionQuerySchema } from '$lib/shared/hq';
import { serverContext } from '$lib/server/context';
import { hqActivity } from '$lib/server/hq/activity';
import { requireHqReader } from '$lib/server/hq/access';
import { parseQuery } from '$lib/server/hq/query-params';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** ?mission= → HqActivity: versions applied per ISO week, by progress status. */
export const GET: RequestHandler = ({ request, url, locals }) =>
	api(async () => {
		requireHqReader(locals);
		const { mission } = parseQuery(missionQuerySchema, url.searchParams);
		return json(request, await hqActivity(serverContext().db, mission ?? null));
	});
