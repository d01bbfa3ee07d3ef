import { requireDevice } from '$lib/server/auth/access';
import { serverContext } from '$lib/server/context';
import { api } from '$lib/server/http/json';
import { parsePullQuery, pullJson } from '$lib/server/sync/pull';
import { syncJsonResponse } from '$lib/server/sync/response';
import type { RequestHandler } from './$types';

/** ?cursor=&limit=&mission= → PullResponse; see lib/server/sync/pull.ts. */
export const GET: RequestHandler = ({ request, url, locals }) =>
	api(async () => {
		const device = requireDevice(locals);
		const query = parsePullQuery(url.searchParams);
		return syncJsonResponse(request, await pullJson(serverContext().db, device, query));
	});
