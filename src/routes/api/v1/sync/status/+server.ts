import { requireDevice } from '$lib/server/auth/access';
import { serverContext } from '$lib/server/context';
import { api, json, readJson } from '$lib/server/http/json';
import { parseStatusRequest, reportStatus } from '$lib/server/sync/status';
import type { RequestHandler } from './$types';

/** {pendingCount} → where the device stands; records last seen and the pending count. */
export const POST: RequestHandler = ({ request, locals }) =>
	api(async () => {
		const device = requireDevice(locals);
		const body = parseStatusRequest(await readJson(request));
		return json(request, await reportStatus(serverContext().db, device, body));
	});
