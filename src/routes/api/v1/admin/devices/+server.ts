import { listDevices } from '$lib/server/admin/devices';
import { requireAdmin, toAdminDevice } from '$lib/server/admin/web';
import { serverContext } from '$lib/server/context';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** Every device ever enrolled, oldest first: role, mission, enrolled, last seen, revoked. */
export const GET: RequestHandler = ({ request, locals }) =>
	api(async () => {
		requireAdmin(locals);
		const devices = await listDevices(serverContext().db);
		return json(request, { devices: devices.map(toAdminDevice) });
	});
