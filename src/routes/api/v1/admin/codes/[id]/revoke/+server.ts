import { revokeEnrolmentCode } from '$lib/server/admin/codes';
import { idParam, requireAdmin } from '$lib/server/admin/web';
import { serverContext } from '$lib/server/context';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** Withdraws an unused code (409 once used: revoke its device instead). Audited `code.revoke`. */
export const POST: RequestHandler = ({ request, locals, params }) =>
	api(async () => {
		const { actor } = requireAdmin(locals);
		const id = idParam(params.id, 'enrolment code');
		return json(request, await revokeEnrolmentCode(serverContext().db, id, actor));
	});
