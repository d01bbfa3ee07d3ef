import {
	auditPageSchema,
	codeListResponseSchema,
	createdCodeResponseSchema,
	deviceListResponseSchema,
	missionListResponseSchema,
	missionResponseSchema,
	revokeCodeResponseSchema,
	revokeDeviceResponseSchema,
	type AdminCode,
	type AdminDevice,
	type AdminMission,
	type AuditPage,
	type CreateCodeRequest,
	type CreatedCodeResponse,
	type CreateMissionRequest,
	type RevokeDeviceResponse,
	type UpdateMissionRequest
} from '$lib/shared/admin';
import type { Role } from '$lib/shared/sync';
import type { FieldMatrixDatabase } from './db';
import { createJsonRequest, SyncApiError, type ApiClientOptions } from './sync/api-client';
import { getEnrolment } from './sync/sync-state';

/**
 * The admin console's side of `/api/v1/admin/...`: the sync client's transport (api-client.ts)
 * with the token this device received when it enrolled with an administrator's code. Every
 * answer is parsed with the shared schemas; every failure is a SyncApiError.
 */

export interface AdminApi {
	listMissions(): Promise<AdminMission[]>;
	createMission(request: CreateMissionRequest): Promise<AdminMission>;
	updateMission(code: string, changes: UpdateMissionRequest): Promise<AdminMission>;
	listCodes(): Promise<AdminCode[]>;
	/** The answer carries the code itself: the only time anyone sees it. */
	createCode(request: CreateCodeRequest): Promise<CreatedCodeResponse>;
	revokeCode(id: string): Promise<void>;
	listDevices(): Promise<AdminDevice[]>;
	revokeDevice(id: string): Promise<RevokeDeviceResponse>;
	/** Newest first; pass the previous page's `nextBefore` for the next. */
	auditPage(options?: { before?: string | null; limit?: number }): Promise<AuditPage>;
}

const BASE = '/api/v1/admin';

export function createAdminApi(token: string, options: ApiClientOptions = {}): AdminApi {
	const request = createJsonRequest(options);
	const segment = encodeURIComponent;
	return {
		listMissions: async () =>
			(await request('GET', `${BASE}/missions`, missionListResponseSchema, { token })).missions,
		createMission: async (body) =>
			(await request('POST', `${BASE}/missions`, missionResponseSchema, { token, body })).mission,
		updateMission: async (code, body) =>
			(
				await request('PATCH', `${BASE}/missions/${segment(code)}`, missionResponseSchema, {
					token,
					body
				})
			).mission,
		listCodes: async () =>
			(await request('GET', `${BASE}/codes`, codeListResponseSchema, { token })).codes,
		createCode: (body) =>
			request('POST', `${BASE}/codes`, createdCodeResponseSchema, { token, body }),
		revokeCode: async (id) => {
			await request('POST', `${BASE}/codes/${segment(id)}/revoke`, revokeCodeResponseSchema, {
				token
			});
		},
		listDevices: async () =>
			(await request('GET', `${BASE}/devices`, deviceListResponseSchema, { token })).devices,
		revokeDevice: (id) =>
			request('POST', `${BASE}/devices/${segment(id)}/revoke`, revokeDeviceResponseSchema, {
				token
			}),
		auditPage({ before, limit } = {}) {
			const query = new URLSearchParams();
			if (before) query.set('before', before);
			if (limit !== undefined) query.set('limit', String(limit));
			const search = query.size > 0 ? `?${query}` : '';
			return request('GET', `${BASE}/audit${search}`, auditPageSchema, { token });
		}
	};
}

/** Whether this device may open the console, from its stored enrolment (no network needed). */
export type AdminAccess =
	| { state: 'ready'; api: AdminApi; deviceId: string }
	| { state: 'not-enrolled' }
	| { state: 'not-admin'; role: Role }
	| { state: 'revoked' };

export async function adminAccess(
	db: FieldMatrixDatabase,
	options: ApiClientOptions = {}
): Promise<AdminAccess> {
	const enrolment = await getEnrolment(db);
	if (!enrolment) return { state: 'not-enrolled' };
	if (enrolment.revokedAt) return { state: 'revoked' };
	if (enrolment.role !== 'admin') return { state: 'not-admin', role: enrolment.role };
	return {
		state: 'ready',
		api: createAdminApi(enrolment.token, options),
		deviceId: enrolment.deviceId
	};
}

/** What the console says about a failed call. */
export type AdminFailure =
	/** 403: the server does not know this device as an administrator's. */
	| { kind: 'not-admin' }
	/** 401 `revoked`: Headquarters ended this device's access. */
	| { kind: 'revoked' }
	/** 401 otherwise: this server does not know the device's token. */
	| { kind: 'not-enrolled' }
	/** No answer: offline, or the server unreachable. */
	| { kind: 'offline' }
	/** Anything else, in the server's words (`{ message }` of its answer) when it gave some. */
	| { kind: 'refused'; message: string; code?: string };

/** The first three make the whole console unusable; the others concern one action. */
export function blocksConsole(failure: AdminFailure): boolean {
	return ['not-admin', 'revoked', 'not-enrolled'].includes(failure.kind);
}

export function adminFailure(error: unknown): AdminFailure {
	if (!(error instanceof SyncApiError)) {
		return { kind: 'refused', message: error instanceof Error ? error.message : String(error) };
	}
	switch (error.kind) {
		case 'forbidden':
			return { kind: 'not-admin' };
		case 'revoked':
			return { kind: 'revoked' };
		case 'invalid-token':
			return { kind: 'not-enrolled' };
		case 'network':
			return { kind: 'offline' };
		default:
			return {
				kind: 'refused',
				message: error.message,
				...(error.code ? { code: error.code } : {})
			};
	}
}
