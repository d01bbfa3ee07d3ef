import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { roleSchema, type Role } from '../../shared/sync';
import { isStorableText } from '../../shared/text';
import {
	generateEnrolmentCode,
	hashEnrolmentCode,
	normaliseEnrolmentCode
} from '../auth/enrolment';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { recordAudit } from './audit';

export const DEFAULT_CODE_DAYS = 7;
const MAX_CODE_DAYS = 90;

export interface NewCode {
	mission: string | null;
	role: Role;
	expiresDays?: number;
	note?: string | null;
}

export interface CreatedCode {
	id: string;
	/** Shown once; only its hash is stored. */
	code: string;
	mission: string | null;
	role: Role;
	expiresAt: string;
}

export async function createEnrolmentCode(
	db: Kysely<Database>,
	input: NewCode,
	actor: string,
	now: Date = new Date()
): Promise<CreatedCode> {
	const role = roleSchema.safeParse(input.role);
	if (!role.success) {
		throw new AppError(400, 'invalid-role', 'The role is focal-point, hq-viewer or admin.');
	}
	const days = input.expiresDays ?? DEFAULT_CODE_DAYS;
	if (!Number.isInteger(days) || days < 1 || days > MAX_CODE_DAYS) {
		throw new AppError(400, 'invalid-expiry', `A code lasts 1 to ${MAX_CODE_DAYS} whole days.`);
	}
	if (role.data === 'focal-point' && !input.mission) {
		throw new AppError(400, 'mission-required', 'A focal point’s code needs a mission.');
	}
	const note = input.note?.trim() || null;
	if (note && note.length > 200) {
		throw new AppError(400, 'invalid-note', 'The note is at most 200 characters.');
	}
	if (note && !isStorableText(note)) {
		throw new AppError(
			400,
			'invalid-note',
			'Names and notes cannot contain NUL characters or unpaired surrogates.'
		);
	}
	const code = generateEnrolmentCode();
	const codeHash = await hashEnrolmentCode(db, normaliseEnrolmentCode(code)!);
	const expiresAt = new Date(now.getTime() + days * 24 * 60 * 60 * 1000).toISOString();
	const id = randomUUID();

	return db.transaction().execute(async (trx) => {
		if (input.mission) {
			const mission = await trx
				.selectFrom('missions')
				.select('retired_at')
				.where('code', '=', input.mission)
				.executeTakeFirst();
			if (!mission) throw new AppError(404, 'unknown-mission', `No mission ${input.mission}.`);
			if (mission.retired_at) {
				throw new AppError(409, 'mission-retired', `Mission ${input.mission} is retired.`);
			}
		}
		await trx
			.insertInto('enrolment_codes')
			.values({
				id,
				code_hash: codeHash,
				mission: input.mission,
				role: role.data,
				note,
				created_at: now.toISOString(),
				created_by: actor,
				expires_at: expiresAt,
				used_at: null,
				used_by_device: null,
				revoked_at: null
			})
			.execute();
		await recordAudit(
			trx,
			{
				actor,
				action: 'code.create',
				subject: id,
				details: { mission: input.mission, role: role.data, expiresAt, note }
			},
			now
		);
		return { id, code, mission: input.mission, role: role.data, expiresAt };
	});
}

export type CodeStatus = 'active' | 'used' | 'expired' | 'revoked';

export async function listEnrolmentCodes(db: Kysely<Database>, now: Date = new Date()) {
	const rows = await db
		.selectFrom('enrolment_codes')
		.select([
			'id',
			'mission',
			'role',
			'note',
			'created_at',
			'created_by',
			'expires_at',
			'used_at',
			'used_by_device',
			'revoked_at'
		])
		.orderBy('created_at', 'desc')
		.execute();
	const at = now.toISOString();
	return rows.map((row) => ({
		...row,
		status: (row.revoked_at
			? 'revoked'
			: row.used_at
				? 'used'
				: row.expires_at <= at
					? 'expired'
					: 'active') satisfies CodeStatus as CodeStatus
	}));
}

/** By its id (from list-codes) or by the code itself. */
export async function revokeEnrolmentCode(
	db: Kysely<Database>,
	idOrCode: string,
	actor: string,
	now: Date = new Date()
): Promise<{ id: string }> {
	const code = normaliseEnrolmentCode(idOrCode);
	const codeHash = code ? await hashEnrolmentCode(db, code) : null;
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('enrolment_codes')
			.select(['id', 'used_at', 'revoked_at'])
			.where((eb) => (codeHash ? eb('code_hash', '=', codeHash) : eb('id', '=', idOrCode.trim())))
			.executeTakeFirst();
		if (!row) throw new AppError(404, 'unknown-code', 'No such enrolment code.');
		if (row.used_at) {
			throw new AppError(
				409,
				'code-used',
				'This code was already used; revoke the device it enrolled instead (list-devices).'
			);
		}
		if (!row.revoked_at) {
			await trx
				.updateTable('enrolment_codes')
				.set({ revoked_at: now.toISOString() })
				.where('id', '=', row.id)
				.execute();
			await recordAudit(trx, { actor, action: 'code.revoke', subject: row.id }, now);
		}
		return { id: row.id };
	});
}
