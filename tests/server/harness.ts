import { gunzipSync, gzipSync } from 'node:zlib';
import type { RequestEvent } from '@sveltejs/kit';
import { handle } from '../../src/hooks.server';
import * as enrolRoute from '../../src/routes/api/v1/enrol/+server';
import * as pullRoute from '../../src/routes/api/v1/sync/pull/+server';
import * as pushRoute from '../../src/routes/api/v1/sync/push/+server';
import * as statusRoute from '../../src/routes/api/v1/sync/status/+server';
import * as hqActivityRoute from '../../src/routes/api/v1/hq/activity/+server';
import * as hqConflictsRoute from '../../src/routes/api/v1/hq/conflicts/+server';
import * as hqExportRoute from '../../src/routes/api/v1/hq/export.[format=export_format]/+server';
import * as hqFreshnessRoute from '../../src/routes/api/v1/hq/freshness/+server';
import * as hqMatrixRoute from '../../src/routes/api/v1/hq/matrix/+server';
import * as hqRecommendationRoute from '../../src/routes/api/v1/hq/recommendations/[id]/+server';
import * as adminAuditRoute from '../../src/routes/api/v1/admin/audit/+server';
import * as adminCodeRevokeRoute from '../../src/routes/api/v1/admin/codes/[id]/revoke/+server';
import * as adminCodesRoute from '../../src/routes/api/v1/admin/codes/+server';
import * as adminDeviceRevokeRoute from '../../src/routes/api/v1/admin/devices/[id]/revoke/+server';
import * as adminDevicesRoute from '../../src/routes/api/v1/admin/devices/+server';
import * as adminMissionRoute from '../../src/routes/api/v1/admin/missions/[code]/+server';
import * as adminMissionsRoute from '../../src/routes/api/v1/admin/missions/+server';
import { match as isExportFormat } from '../../src/params/export_format';
import { setServerContext, type ServerContext } from '../../src/lib/server/context';

/**
 * The API in process: a real Request through hooks.server.ts `handle` to the route's exported
 * handler, as SvelteKit would call them (minus its router), so status codes, headers and bodies
 * are what a device gets.
 */

type Handler = (event: RequestEvent) => Response | Promise<Response>;
const ROUTES: Record<string, Handler> = {
	'POST /api/v1/enrol': enrolRoute.POST as unknown as Handler,
	'POST /api/v1/sync/push': pushRoute.POST as unknown as Handler,
	'GET /api/v1/sync/pull': pullRoute.GET as unknown as Handler,
	'POST /api/v1/sync/status': statusRoute.POST as unknown as Handler,
	'GET /api/v1/hq/matrix': hqMatrixRoute.GET as unknown as Handler,
	'GET /api/v1/hq/freshness': hqFreshnessRoute.GET as unknown as Handler,
	'GET /api/v1/hq/conflicts': hqConflictsRoute.GET as unknown as Handler,
	'GET /api/v1/hq/activity': hqActivityRoute.GET as unknown as Handler,
	'GET /api/v1/admin/missions': adminMissionsRoute.GET as unknown as Handler,
	'POST /api/v1/admin/missions': adminMissionsRoute.POST as unknown as Handler,
	'GET /api/v1/admin/codes': adminCodesRoute.GET as unknown as Handler,
	'POST /api/v1/admin/codes': adminCodesRoute.POST as unknown as Handler,
	'GET /api/v1/admin/devices': adminDevicesRoute.GET as unknown as Handler,
	'GET /api/v1/admin/audit': adminAuditRoute.GET as unknown as Handler
};

/** Routes with parameters: their path pattern and, like SvelteKit, the param matcher if any. */
const PARAM_ROUTES: {
	method: string;
	pattern: RegExp;
	handler: Handler;
	params: (match: RegExpExecArray) => Record<string, string> | null;
}[] = [
	{
		method: 'GET',
		pattern: /^\/api\/v1\/hq\/recommendations\/([^/]+)$/,
		handler: hqRecommendationRoute.GET as unknown as Handler,
		params: (match) => ({ id: decodeURIComponent(match[1]) })
	},
	{
		method: 'GET',
		pattern: /^\/api\/v1\/hq\/export\.([^/]+)$/,
		handler: hqExportRoute.GET as unknown as Handler,
		params: (match) => (isExportFormat(match[1]) ? { format: match[1] } : null)
	},
	{
		method: 'PATCH',
		pattern: /^\/api\/v1\/admin\/missions\/([^/]+)$/,
		handler: adminMissionRoute.PATCH as unknown as Handler,
		params: (match) => ({ code: decodeURIComponent(match[1]) })
	},
	{
		method: 'POST',
		pattern: /^\/api\/v1\/admin\/codes\/([^/]+)\/revoke$/,
		handler: adminCodeRevokeRoute.POST as unknown as Handler,
		params: (match) => ({ id: decodeURIComponent(match[1]) })
	},
	{
		method: 'POST',
		pattern: /^\/api\/v1\/admin\/devices\/([^/]+)\/revoke$/,
		handler: adminDeviceRevokeRoute.POST as unknown as Handler,
		params: (match) => ({ id: decodeURIComponent(match[1]) })
	}
];

function findRoute(
	method: string,
	pathname: string
): { handler: Handler; params: Record<string, string> } | null {
	const exact = ROUTES[`${method} ${pathname}`];
	if (exact) return { handler: exact, params: {} };
	for (const route of PARAM_ROUTES) {
		const match = route.method === method ? route.pattern.exec(pathname) : null;
		const params = match ? route.params(match) : null;
		if (params) return { handler: route.handler, params };
	}
	return null;
}

export interface CallOptions {
	/** Sent as JSON (gzip-compressed with `gzip: true`). */
	body?: unknown;
	/** Sent as is. */
	rawBody?: Uint8Array | string;
	gzip?: boolean;
	token?: string;
	headers?: Record<string, string>;
	ip?: string;
}

export async function call(
	context: ServerContext,
	method: string,
	path: string,
	options: CallOptions = {}
): Promise<Response> {
	setServerContext(context);
	const url = new URL(path, 'http://localhost');
	const headers = new Headers(options.headers);
	if (options.token) headers.set('Authorization', `Bearer ${options.token}`);
	let body: Uint8Array | string | undefined = options.rawBody;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers.set('Content-Type', 'application/json');
		if (options.gzip) {
			body = new Uint8Array(gzipSync(body));
			headers.set('Content-Encoding', 'gzip');
		}
	}
	const request = new Request(url, {
		method,
		headers,
		body: body as BodyInit | undefined
	});
	const route = findRoute(method, url.pathname);
	const event = {
		request,
		url,
		locals: {},
		params: route?.params ?? {},
		route: { id: url.pathname },
		getClientAddress: () => options.ip ?? '192.0.2.1',
		setHeaders: () => undefined,
		isDataRequest: false,
		isSubRequest: false,
		isRemoteRequest: false,
		platform: undefined
	} as unknown as RequestEvent;
	return handle({
		event,
		resolve: async (resolved) =>
			route ? route.handler(resolved) : new Response('Not found', { status: 404 })
	});
}

/** The JSON body, decompressed when the server gzipped it. */
export async function bodyOf<T = unknown>(response: Response): Promise<T> {
	const bytes = new Uint8Array(await response.arrayBuffer());
	const text =
		response.headers.get('content-encoding') === 'gzip'
			? gunzipSync(bytes).toString('utf8')
			: new TextDecoder().decode(bytes);
	return JSON.parse(text) as T;
}
