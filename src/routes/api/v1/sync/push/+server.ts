import { requireDevice } from '$lib/server/auth/access';
import { serverContext } from '$lib/server/context';
import { api, readJson } from '$lib/server/http/json';
import { parsePushRequest, push } from '$lib/server/sync/push';
import { syncJsonResponse } from '$lib/server/sync/response';
import type { RequestHandler } from './$types';

/** PushRequest → PushResponse; the protocol is written down in lib/server/sync/push.ts. */
export const POST: RequestHandler = ({ request, locals }) =>
	api(async () => {
		const device = requireDevice(locals);
		const envelope = parsePushRequest(await readJson(request));
		const response = await push(serverContext().db, device, envelope);
		return syncJsonResponse(request, JSON.stringify(response));
	});
