import { revokeDevice } from '$lib/server/admin/devices';
import { idParam, requireAdmin } from '$lib/server/admin/web';
import { serverContext } from '$lib/server/context';
import { AppError } from '$lib/server/errors';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/**
 * Ends a device's access ({id, alreadyRevoked}); audited `device.revoke`. Not the caller's own
 * device: that would lock the administrator out mid-session (the command line still can).
 */
export const POST: RequestHandler = ({ request, locals, params }) =>
	api(async () => {
		const { device, actor } = requireAdmin(locals);
		const id = idParam(params.id, 'device');
		if (id.toLowerCase() === device.id.toLowerCase()) {
			throw new AppError(
				409,
				'own-device',
				'This is the device you are using: revoke it from another administrator’s device, or with `npm run admin -- revoke-device`.'
			);
		}
		const { alreadyRevoked } = await revokeDevice(serverContext().db, id, actor);
		return json(request, { id, alreadyRevoked });
	});
