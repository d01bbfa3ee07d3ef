import {
	EXPORT_FILTER_PARAMS,
	hqActivitySchema,
	hqConflictsSchema,
	hqFreshnessSchema,
	hqMatrixSchema,
	hqRecommendationSchema,
	type ExportFilter,
	type ExportFormat,
	type HqActivity,
	type HqConflicts,
	type HqFreshness,
	type HqMatrix,
	type HqRecommendation
} from '$lib/shared/hq';
import type { Role } from '$lib/shared/sync';
import { adminFailure, type AdminFailure } from './admin-api';
import type { FieldMatrixDatabase } from './db';
import { createJsonRequest, type ApiClientOptions, type Parser } from './sync/api-client';
import { getEnrolment } from './sync/sync-state';

/**
 * The Headquarters console's side of `/api/v1/hq/...`, like the admin console's (admin-api.ts):
 * the sync client's transport with this device's token, every answer parsed with the shared
 * schemas (shared/hq.ts), every failure a SyncApiError.
 */

/** An export as the server sent it, ready to hand to the user (download.ts). */
export interface ExportFile {
	fileName: string;
	blob: Blob;
}

export interface HqApi {
	matrix(): Promise<HqMatrix>;
	freshness(): Promise<HqFreshness>;
	conflicts(mission?: string): Promise<HqConflicts>;
	activity(mission?: string): Promise<HqActivity>;
	/** `a78-19-p38`. */
	recommendation(id: string): Promise<HqRecommendation>;
	exportFile(format: ExportFormat, filter: Partial<ExportFilter>): Promise<ExportFile>;
}

const BASE = '/api/v1/hq';

/** `?section=II&mission=UNMISS`: each filter value as its own parameter, none when empty. */
export function exportQuery(filter: Partial<ExportFilter>): string {
	const query = new URLSearchParams();
	for (const name of EXPORT_FILTER_PARAMS) {
		for (const value of filter[name] ?? []) query.append(name, value);
	}
	return query.size > 0 ? `?${query}` : '';
}

function missionQuery(mission: string | undefined): string {
	return mission ? `?${new URLSearchParams({ mission })}` : '';
}

/** The fallback name, should a proxy strip Content-Disposition. */
function fileNameOf(response: Response, format: ExportFormat): string {
	const header = response.headers.get('Content-Disposition') ?? '';
	return /filename="([^"]+)"/.exec(header)?.[1] ?? `fieldmatrix-c34.${format}`;
}

/** Accepts any body: the export's bytes are read before the transport parses anything. */
const anyBody: Parser<unknown> = { safeParse: (value) => ({ success: true, data: value }) };

export function createHqApi(token: string, options: ApiClientOptions = {}): HqApi {
	const request = createJsonRequest(options);
	const get = <T>(path: string, schema: Parser<T>) =>
		request('GET', `${BASE}${path}`, schema, { token });
	const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

	return {
		matrix: () => get('/matrix', hqMatrixSchema),
		freshness: () => get('/freshness', hqFreshnessSchema),
		conflicts: (mission) => get(`/conflicts${missionQuery(mission)}`, hqConflictsSchema),
		activity: (mission) => get(`/activity${missionQuery(mission)}`, hqActivitySchema),
		recommendation: (id) =>
			get(`/recommendations/${encodeURIComponent(id)}`, hqRecommendationSchema),
		async exportFile(format, filter) {
			// The same transport (token, timeout, errors as SyncApiError), but a successful answer is
			// a file, not JSON: its bytes are kept here and the transport is handed an empty object.
			let file: ExportFile | undefined;
			const exporting = createJsonRequest({
				...options,
				fetch: async (input, init) => {
					const response = await doFetch(input, init);
					if (!response.ok) return response;
					file = { fileName: fileNameOf(response, format), blob: await response.blob() };
					return Response.json({});
				}
			});
			await exporting('GET', `${BASE}/export.${format}${exportQuery(filter)}`, anyBody, {
				token
			});
			return file!;
		}
	};
}

/** Whether this device may open the console, from its stored enrolment (no network needed). */
export type HqAccess =
	| { state: 'ready'; api: HqApi; deviceId: string }
	| { state: 'not-enrolled' }
	| { state: 'not-hq'; role: Role }
	| { state: 'revoked' };

export async function hqAccess(
	db: FieldMatrixDatabase,
	options: ApiClientOptions = {}
): Promise<HqAccess> {
	const enrolment = await getEnrolment(db);
	if (!enrolment) return { state: 'not-enrolled' };
	if (enrolment.revokedAt) return { state: 'revoked' };
	if (enrolment.role !== 'hq-viewer' && enrolment.role !== 'admin') {
		return { state: 'not-hq', role: enrolment.role };
	}
	return {
		state: 'ready',
		api: createHqApi(enrolment.token, options),
		deviceId: enrolment.deviceId
	};
}

/** What the console says about a failed call: the admin console's cases, 403 as `not-hq`. */
export type HqFailure = Exclude<AdminFailure, { kind: 'not-admin' }> | { kind: 'not-hq' };

export function hqFailure(error: unknown): HqFailure {
	const failure = adminFailure(error);
	return failure.kind === 'not-admin' ? { kind: 'not-hq' } : failure;
}

/** Without enrolment for Headquarters nothing on the console can load. */
export function blocksHq(failure: HqFailure): boolean {
	return ['not-hq', 'revoked', 'not-enrolled'].includes(failure.kind);
}
