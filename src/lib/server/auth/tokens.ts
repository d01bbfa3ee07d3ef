import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Role } from '../../shared/sync';
import type { Database } from '../db/schema';

/**
 * Device bearer tokens: 256 random bits, shown once at enrolment and stored only as a SHA-256
 * hash (a hash of that much randomness needs no salt or slow function). A token never expires
 * from inactivity: a device may stay offline for months. Only revocation ends it.
 */

/** Marks the string as a FieldMatrix secret for people and secret scanners. */
const TOKEN_PREFIX = 'fm1_';
const TOKEN_PATTERN = /^fm1_[A-Za-z0-9_-]{43}$/;

export function newToken(): { token: string; tokenHash: string } {
	const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
	return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

export interface AuthenticatedDevice {
	id: string;
	role: Role;
	mission: string | null;
	displayName: string;
	lastSeenAt: string | null;
}

/** Why a request that carried credentials is not authenticated. */
export type AuthFailure = 'revoked' | 'invalid-token';

export type AuthResult =
	{ device: AuthenticatedDevice; failure: null } | { device: null; failure: AuthFailure | null };

/** Resolves `Authorization: Bearer <token>` to an enrolled, unrevoked device. */
export async function authenticate(
	db: Kysely<Database>,
	authorization: string | null
): Promise<AuthResult> {
	if (!authorization) return { device: null, failure: null };
	const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
	if (!token || !TOKEN_PATTERN.test(token)) return { device: null, failure: 'invalid-token' };
	const tokenHash = hashToken(token);
	const row = await db
		.selectFrom('devices')
		.select(['id', 'role', 'mission', 'display_name', 'token_hash', 'revoked_at', 'last_seen_at'])
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
	// The index found it by hash; compare again in constant time so no code path of ours
	// compares secrets byte by byte.
	if (!row || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(tokenHash))) {
		return { device: null, failure: 'invalid-token' };
	}
	if (row.revoked_at) return { device: null, failure: 'revoked' };
	return {
		device: {
			id: row.id,
			role: row.role,
			mission: row.mission,
			displayName: row.display_name,
			lastSeenAt: row.last_seen_at
		},
		failure: null
	};
}

const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Records that the device was heard from; at most once a minute, to spare the database. */
export async function touchLastSeen(
	db: Kysely<Database>,
	device: AuthenticatedDevice,
	now: Date = new Date()
): Promise<void> {
	const last = device.lastSeenAt ? Date.parse(device.lastSeenAt) : 0;
	if (now.getTime() - last < LAST_SEEN_RESOLUTION_MS) return;
	await db
		.updateTable('devices')
		.set({ last_seen_at: now.toISOString() })
		.where('id', '=', device.id)
		.execute();
}
