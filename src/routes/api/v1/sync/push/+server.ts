import { requireDevice } from '$lib/server/auth/access';
import { serverContext } from '$lib/server/context';
import { api, json, readJson } from '$lib/server/http/json';
import { parsePushRequest, push } from '$lib/server/sync/push';
import type { RequestHandler } from './$types';

/** PushRequest → PushResponse; the protocol is written down in lib/server/sync/push.ts. */
export const POST: RequestHandler = ({ request, locals }) =>
	api(async () => {
		const device = requireDevice(locals);
		const envelope = parsePushRequest(await readJson(request));
		return json(request, await push(serverContext().db, device, envelope));
	});
