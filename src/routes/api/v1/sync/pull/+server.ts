import { requireDevice } from '$lib/server/auth/access';
import { serverContext } from '$lib/server/context';
import { api, json } from '$lib/server/http/json';
import { parsePullQuery, pull } from '$lib/server/sync/pull';
import type { RequestHandler } from './$types';

/** ?cursor=&limit=&mission= → PullResponse; see lib/server/sync/pull.ts. */
export const GET: RequestHandler = ({ request, url, locals }) =>
	api(async () => {
		const device = requireDevice(locals);
		const query = parsePullQuery(url.searchParams);
		return json(request, await pull(serverContext().db, device, query));
	});
