import { listAuditPage } from '$lib/server/admin/audit';
import {
	encodeAuditPosition,
	parseAuditQuery,
	requireAdmin,
	toAuditEntry
} from '$lib/server/admin/web';
import { serverContext } from '$lib/server/context';
import { api, json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** ?before=&limit= → {entries, nextBefore}: the audit log, newest first, a page at a time. */
export const GET: RequestHandler = ({ request, locals, url }) =>
	api(async () => {
		requireAdmin(locals);
		const query = parseAuditQuery(url.searchParams);
		const { entries, next } = await listAuditPage(serverContext().db, query);
		return json(request, {
			entries: entries.map(toAuditEntry),
			nextBefore: next ? encodeAuditPosition(next) : null
		});
	});
