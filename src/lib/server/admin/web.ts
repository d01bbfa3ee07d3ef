import type { core } from 'zod/mini';
import {
	ADMIN_LIMITS,
	type AdminCode,
	type AdminDevice,
	type AdminMission,
	type AuditEntry
} from '../../shared/admin';
import { MISSION_CODE_PATTERN } from '../../shared/missions';
import { requireDevice } from '../auth/access';
import type { AuthenticatedDevice, AuthFailure } from '../auth/tokens';
import type { AuditLogTable, MissionTable } from '../db/schema';
import { AppError } from '../errors';
import { parseWith, readJson } from '../http/json';
import { deviceActor } from './actor';
import type { AuditPosition } from './audit';
import type { listEnrolmentCodes } from './codes';
import type { listDevices } from './devices';

/**
 * What the /api/v1/admin routes share: who may call them (an enrolled, unrevoked admin device:
 * 401 without one, 403 for any other role, before anything is read), how their parameters are
 * checked (400 with a message), and the rows as the API shows them.
 */

export interface AdminCaller {
	device: AuthenticatedDevice;
	/** For the audit log: the admin's device, as enrolment names it. */
	actor: string;
}

export function requireAdmin(locals: {
	device: AuthenticatedDevice | null;
	authFailure: AuthFailure | null;
}): AdminCaller {
	const device = requireDevice(locals);
	if (device.role !== 'admin') {
		throw new AppError(
			403,
			'not-admin',
			'This device is not enrolled as an administrator; only an administrator’s device may do this.'
		);
	}
	return { device, actor: deviceActor(device.id) };
}

/** A small JSON body, parsed with its shared schema. */
export async function readAdminBody<T extends core.$ZodType>(
	request: Request,
	schema: T
): Promise<core.output<T>> {
	return parseWith(schema, await readJson(request, ADMIN_LIMITS.requestBytes));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A code's or device's id from the path: a UUID as listed, else 400 (never a code itself). */
export function idParam(value: string, what: 'enrolment code' | 'device'): string {
	if (!UUID.test(value)) {
		throw new AppError(400, 'invalid-id', `That is not an ${what} id: use the id as listed.`);
	}
	return value;
}

export function missionParam(value: string): string {
	if (!MISSION_CODE_PATTERN.test(value)) {
		throw new AppError(
			400,
			'invalid-mission',
			'A mission code is 3 to 10 capital letters, e.g. UNMISS.'
		);
	}
	return value;
}

// The audit log's page position travels as `<at>~<id>`; a bare timestamp works too (entries
// strictly older than it).
const POSITION_SEPARATOR = '~';

export function encodeAuditPosition(position: AuditPosition): string {
	return `${position.at}${POSITION_SEPARATOR}${position.id}`;
}

export function parseAuditQuery(params: URLSearchParams): {
	before: AuditPosition | null;
	limit: number;
} {
	const limitText = params.get('limit');
	let limit: number = ADMIN_LIMITS.auditDefault;
	if (limitText !== null) {
		limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
		if (!(limit >= 1 && limit <= ADMIN_LIMITS.auditPage)) {
			throw new AppError(
				400,
				'invalid-request',
				`limit is a whole number from 1 to ${ADMIN_LIMITS.auditPage}.`
			);
		}
	}
	const beforeText = params.get('before');
	if (!beforeText) return { before: null, limit };
	const invalid = new AppError(
		400,
		'invalid-request',
		'before is a position from the previous page (nextBefore) or an ISO 8601 timestamp.'
	);
	const [at, id = '', ...rest] = beforeText.split(POSITION_SEPARATOR);
	if (rest.length > 0 || at.length > 40 || (id !== '' && !UUID.test(id))) throw invalid;
	const time = /^\d{4}-\d\d-\d\dT/.test(at) ? Date.parse(at) : NaN;
	if (Number.isNaN(time)) throw invalid;
	// Stored timestamps are toISOString(): compare like with like.
	return { before: { at: new Date(time).toISOString(), id }, limit };
}

export function toAdminMission(row: MissionTable): AdminMission {
	return {
		code: row.code,
		name: row.name,
		createdAt: row.created_at,
		retiredAt: row.retired_at
	};
}

export function toAdminCode(
	row: Awaited<ReturnType<typeof listEnrolmentCodes>>[number]
): AdminCode {
	return {
		id: row.id,
		mission: row.mission,
		role: row.role,
		note: row.note,
		createdAt: row.created_at,
		createdBy: row.created_by,
		expiresAt: row.expires_at,
		usedAt: row.used_at,
		usedByDevice: row.used_by_device,
		revokedAt: row.revoked_at,
		status: row.status
	};
}

export function toAdminDevice(row: Awaited<ReturnType<typeof listDevices>>[number]): AdminDevice {
	return {
		id: row.id,
		mission: row.mission,
		role: row.role,
		displayName: row.display_name,
		enrolledAt: row.enrolled_at,
		lastSeenAt: row.last_seen_at,
		revokedAt: row.revoked_at,
		pendingCount: row.pending_count === null ? null : Number(row.pending_count),
		pendingReportedAt: row.pending_reported_at,
		lastAppliedMutationId: Number(row.last_applied_mutation_id)
	};
}

export function toAuditEntry(row: AuditLogTable): AuditEntry {
	let details: Record<string, unknown>;
	try {
		const parsed: unknown = JSON.parse(row.details);
		details =
			parsed && typeof parsed === 'object' && !Array.isArray(parsed)
				? (parsed as Record<string, unknown>)
				: { value: parsed };
	} catch {
		// Written by recordAudit, so JSON; a row edited by hand is still shown, not a 500.
		details = { value: row.details };
	}
	return {
		id: row.id,
		at: row.at,
		actor: row.actor,
		action: row.action,
		subject: row.subject,
		details
	};
}
