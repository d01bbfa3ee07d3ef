import { randomInt, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import type { EnrolRequest, EnrolResponse } from '../../shared/sync';
import { recordAudit } from '../admin/audit';
import { isUniqueViolation } from '../db/connection';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { newToken } from './tokens';

/**
 * One-time enrolment codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
 * shown as XXXXX-XXXXX: about 49 bits, so with the rate limit guessing is hopeless. Stored only
 * as a salted scrypt hash. Redeeming one is a single conditional UPDATE, so two devices racing
 * for one code cannot both win.
 */

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 10;

export function generateEnrolmentCode(): string {
	let code = '';
	for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** As typed: any case, dashes and spaces ignored. Null when it cannot be a code. */
export function normaliseEnrolmentCode(input: string): string | null {
	const code = input.toUpperCase().replace(/[\s-]/g, '');
	if (code.length !== CODE_LENGTH) return null;
	return [...code].every((char) => CODE_ALPHABET.includes(char)) ? code : null;
}

const scryptAsync = promisify(scrypt) as (
	password: string,
	salt: string,
	keylen: number,
	options: { N: number; r: number; p: number }
) => Promise<Buffer>;

/** Deterministic (the hash is the lookup key), slow enough that a stolen table is no shortcut. */
export async function hashEnrolmentCode(db: Kysely<Database>, code: string): Promise<string> {
	const salt = await db
		.selectFrom('meta')
		.select('value')
		.where('key', '=', 'enrolment-code-salt')
		.executeTakeFirstOrThrow();
	const hash = await scryptAsync(code, salt.value, 32, { N: 16384, r: 8, p: 1 });
	return hash.toString('base64url');
}

const INVALID_CODE =
	'This enrolment code is not valid. Check it (10 letters and digits, like ABCDE-23456) or ask ' +
	'Headquarters for a new one.';

async function unusableCodeError(
	db: Kysely<Database>,
	codeHash: string,
	now: string
): Promise<AppError> {
	const code = await db
		.selectFrom('enrolment_codes')
		.select(['used_at', 'revoked_at', 'expires_at'])
		.where('code_hash', '=', codeHash)
		.executeTakeFirst();
	if (!code) return new AppError(400, 'invalid-code', INVALID_CODE);
	if (code.used_at) {
		return new AppError(
			410,
			'code-used',
			'This enrolment code has already been used: each code enrols one device. Ask Headquarters for a new one.'
		);
	}
	if (code.revoked_at) {
		return new AppError(
			410,
			'code-revoked',
			'This enrolment code was withdrawn by Headquarters. Ask for a new one.'
		);
	}
	if (code.expires_at <= now) {
		return new AppError(
			410,
			'code-expired',
			'This enrolment code has expired. Ask Headquarters for a new one.'
		);
	}
	return new AppError(400, 'invalid-code', INVALID_CODE);
}

/** How long after a redemption the same device may redeem the same code again. */
const LOST_ANSWER_WINDOW_MS = 10 * 60_000;

/**
 * Over 2G the answer to a redemption can be lost after the server committed it: the phone has
 * no token and its code is spent. The same device (its id is a random UUID only it knows)
 * retrying the same code soon after, before it ever pushed, gets a new token; the token of the
 * lost answer stops working. Anyone else, or later, gets `code-used`.
 */
async function retryLostEnrolment(
	trx: Transaction<Database>,
	codeHash: string,
	request: EnrolRequest,
	tokenHash: string,
	now: Date
): Promise<Pick<EnrolResponse, 'role' | 'mission'> | null> {
	const row = await trx
		.selectFrom('enrolment_codes as code')
		.innerJoin('devices as device', 'device.enrolment_code_id', 'code.id')
		.select([
			'code.id as codeId',
			'code.used_at',
			'device.role',
			'device.mission',
			'device.revoked_at',
			'device.last_applied_mutation_id'
		])
		.where('code.code_hash', '=', codeHash)
		.where('code.used_by_device', '=', request.deviceId)
		.where('device.id', '=', request.deviceId)
		.executeTakeFirst();
	if (!row?.used_at || row.revoked_at || Number(row.last_applied_mutation_id) !== 0) return null;
	if (now.getTime() - Date.parse(row.used_at) > LOST_ANSWER_WINDOW_MS) return null;
	await trx
		.updateTable('devices')
		.set({ token_hash: tokenHash, display_name: request.displayName })
		.where('id', '=', request.deviceId)
		.execute();
	await recordAudit(
		trx,
		{
			actor: `device:${request.deviceId}`,
			action: 'device.enrol-retry',
			subject: request.deviceId,
			details: { codeId: row.codeId }
		},
		now
	);
	return {
		role: row.role as EnrolResponse['role'],
		mission: row.mission as EnrolResponse['mission']
	};
}

/**
 * Redeems a code for the device and returns its token (shown this once). A device id that is
 * already enrolled is refused unless Headquarters revoked it: then the same installation comes
 * back with its outbox and its mutation numbering intact.
 */
export async function enrol(
	db: Kysely<Database>,
	request: EnrolRequest,
	now: Date = new Date()
): Promise<EnrolResponse> {
	const code = normaliseEnrolmentCode(request.code);
	if (!code) throw new AppError(400, 'invalid-code', INVALID_CODE);
	const codeHash = await hashEnrolmentCode(db, code);
	const { token, tokenHash } = newToken();
	const at = now.toISOString();

	return db.transaction().execute(async (trx) => {
		const claimed = await trx
			.updateTable('enrolment_codes')
			.set({ used_at: at, used_by_device: request.deviceId })
			.where('code_hash', '=', codeHash)
			.where('used_at', 'is', null)
			.where('revoked_at', 'is', null)
			.where('expires_at', '>', at)
			.returning(['id', 'mission', 'role'])
			.executeTakeFirst();
		if (!claimed) {
			const retried = await retryLostEnrolment(trx, codeHash, request, tokenHash, now);
			if (retried) return { ...retried, token, displayName: request.displayName };
			throw await unusableCodeError(trx, codeHash, at);
		}

		if (claimed.mission) {
			const mission = await trx
				.selectFrom('missions')
				.select('retired_at')
				.where('code', '=', claimed.mission)
				.executeTakeFirst();
			if (!mission || mission.retired_at) {
				throw new AppError(
					410,
					'mission-retired',
					`Mission ${claimed.mission} is closed in FieldMatrix; this code can no longer be used.`
				);
			}
		}

		const device = {
			mission: claimed.mission,
			role: claimed.role,
			display_name: request.displayName,
			token_hash: tokenHash,
			enrolled_at: at,
			enrolment_code_id: claimed.id,
			last_seen_at: at,
			revoked_at: null
		};
		const existing = await trx
			.selectFrom('devices')
			.select('revoked_at')
			.where('id', '=', request.deviceId)
			.executeTakeFirst();
		const alreadyEnrolled = new AppError(
			409,
			'device-enrolled',
			'This device is already enrolled. To enrol it again, ask Headquarters to revoke it first.'
		);
		if (existing && !existing.revoked_at) throw alreadyEnrolled;
		if (existing) {
			await trx.updateTable('devices').set(device).where('id', '=', request.deviceId).execute();
		} else {
			try {
				await trx
					.insertInto('devices')
					.values({ id: request.deviceId, ...device, last_applied_mutation_id: 0 })
					.execute();
			} catch (error) {
				// The same device id enrolling twice at once with two codes.
				if (isUniqueViolation(error)) throw alreadyEnrolled;
				throw error;
			}
		}
		await recordAudit(
			trx,
			{
				actor: `device:${request.deviceId}`,
				action: existing ? 'device.re-enrol' : 'device.enrol',
				subject: request.deviceId,
				details: {
					codeId: claimed.id,
					role: claimed.role,
					mission: claimed.mission,
					displayName: request.displayName
				}
			},
			now
		);
		return {
			token,
			role: claimed.role,
			// The shared schema types this as a known mission code; HQ-created ones are strings too.
			mission: claimed.mission as EnrolResponse['mission'],
			displayName: request.displayName
		};
	});
}
