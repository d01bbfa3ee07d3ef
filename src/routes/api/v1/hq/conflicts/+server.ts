import { missionQuerySchema } from '$lib/shared/hq';
import { serverContext } from '$lib/server/context';
import { requireHqReader } from '$lib/server/hq/access';
import { openConflicts } from '$lib/server/hq/conflicts';
import { parseQuery } from '$lib/server/hq/query-params';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** ?mission= → HqConflicts: the conflicts no one has settled, oldest first. */
export const GET: RequestHandler = ({ request, url, locals }) =>
	api(async () => {
		requireHqReader(locals);
		const { mission } = parseQuery(missionQuerySchema, url.searchParams);
		return json(request, await openConflicts(serverContext().db, mission ?? null));
	});
