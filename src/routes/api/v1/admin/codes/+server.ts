import { createCodeRequestSchema } from '$lib/shared/admin';
import { createEnrolmentCode, listEnrolmentCodes } from '$lib/server/admin/codes';
import { readAdminBody, requireAdmin, toAdminCode } from '$lib/server/admin/web';
import { serverContext } from '$lib/server/context';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** Every code, newest first, with its status (active, used, expired, revoked); never the code. */
export const GET: RequestHandler = ({ request, locals }) =>
	api(async () => {
		requireAdmin(locals);
		const codes = await listEnrolmentCodes(serverContext().db);
		return json(request, { codes: codes.map(toAdminCode) });
	});

/**
 * {role, mission?, expiresDays?, note?} → 201 {id, code, …}: the one time the code is shown
 * (only its hash is kept). Audited `code.create`.
 */
export const POST: RequestHandler = ({ request, locals }) =>
	api(async () => {
		const { actor } = requireAdmin(locals);
		const body = await readAdminBody(request, createCodeRequestSchema);
		const created = await createEnrolmentCode(
			serverContext().db,
			{
				role: body.role,
				mission: body.mission ?? null,
				expiresDays: body.expiresDays,
				note: body.note
			},
			actor
		);
		return json(request, created, 201);
	});
