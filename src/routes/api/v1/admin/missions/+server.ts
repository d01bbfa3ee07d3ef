import { createMissionRequestSchema } from '$lib/shared/admin';
import { createMission, listMissions } from '$lib/server/admin/missions';
import { readAdminBody, requireAdmin, toAdminMission } from '$lib/server/admin/web';
import { serverContext } from '$lib/server/context';
import { isUniqueViolation } from '$lib/server/db/connection';
import { AppError } from '$lib/server/errors';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** Every mission, open and retired, by code. */
export const GET: RequestHandler = ({ request, locals }) =>
	api(async () => {
		requireAdmin(locals);
		const missions = await listMissions(serverContext().db);
		return json(request, { missions: missions.map(toAdminMission) });
	});

/** {code, name} → 201 {mission}; 409 if the code exists. Audited `mission.create`. */
export const POST: RequestHandler = ({ request, locals }) =>
	api(async () => {
		const { actor } = requireAdmin(locals);
		const body = await readAdminBody(request, createMissionRequestSchema);
		try {
			const mission = await createMission(serverContext().db, body, actor);
			return json(request, { mission: toAdminMission(mission) }, 201);
		} catch (error) {
			// Two administrators creating the same code at once: the second insert loses.
			if (isUniqueViolation(error)) {
				throw new AppError(409, 'mission-exists', `Mission ${body.code} already exists.`);
			}
			throw error;
		}
	});
