import { updateMissionRequestSchema } from '$lib/shared/admin';
import { updateMission } from '$lib/server/admin/missions';
import { missionParam, readAdminBody, requireAdmin, toAdminMission } from '$lib/server/admin/web';
import { serverContext } from '$lib/server/context';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** {name?, retired?: true} → {mission}; audited `mission.rename` / `mission.retire`. */
export const PATCH: RequestHandler = ({ request, locals, params }) =>
	api(async () => {
		const { actor } = requireAdmin(locals);
		const code = missionParam(params.code);
		const changes = await readAdminBody(request, updateMissionRequestSchema);
		const mission = await updateMission(serverContext().db, code, changes, actor);
		return json(request, { mission: toAdminMission(mission) });
	});
