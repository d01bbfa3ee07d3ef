import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { createEnrolmentCode, type CreatedCode } from './codes';

/** An enrolled, unrevoked admin device exists. */
export async function hasActiveAdmin(db: Kysely<Database>): Promise<boolean> {
	const admin = await db
		.selectFrom('devices')
		.select('id')
		.where('role', '=', 'admin')
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return admin !== undefined;
}

/** The first administrator's enrolment code; refused once an administrator exists. */
export async function bootstrapAdmin(
	db: Kysely<Database>,
	actor: string,
	now: Date = new Date()
): Promise<CreatedCode> {
	if (await hasActiveAdmin(db)) {
		throw new AppError(
			409,
			'admin-exists',
			'An administrator is already enrolled; create further codes with `create-code --role admin`.'
		);
	}
	return createEnrolmentCode(
		db,
		{ mission: null, role: 'admin', note: 'bootstrap: first administrator' },
		actor,
		now
	);
}
