import type { Kysely } from 'kysely';
import type { Database, MissionTable } from '../db/schema';
import { AppError } from '../errors';
import { recordAudit } from './audit';

import { MISSION_CODE_PATTERN } from '../../shared/missions';
import { isStorableText } from '../../shared/text';

function unstorableName(): AppError {
	return new AppError(
		400,
		'invalid-mission',
		'Names and notes cannot contain NUL characters or unpaired surrogates.'
	);
}

export async function listMissions(db: Kysely<Database>): Promise<MissionTable[]> {
	return db.selectFrom('missions').selectAll().orderBy('code').execute();
}

export async function createMission(
	db: Kysely<Database>,
	input: { code: string; name: string },
	actor: string,
	now: Date = new Date()
): Promise<MissionTable> {
	const code = input.code.trim();
	const name = input.name.trim();
	if (!MISSION_CODE_PATTERN.test(code)) {
		throw new AppError(
			400,
			'invalid-mission',
			'A mission code is 3 to 10 capital letters, e.g. UNMISS.'
		);
	}
	if (!name || name.length > 200) {
		throw new AppError(400, 'invalid-mission', 'A mission needs a name of at most 200 characters.');
	}
	if (!isStorableText(name)) throw unstorableName();
	return db.transaction().execute(async (trx) => {
		const existing = await trx
			.selectFrom('missions')
			.select('code')
			.where('code', '=', code)
			.executeTakeFirst();
		if (existing) throw new AppError(409, 'mission-exists', `Mission ${code} already exists.`);
		const mission = { code, name, created_at: now.toISOString(), retired_at: null };
		await trx.insertInto('missions').values(mission).execute();
		await recordAudit(
			trx,
			{ actor, action: 'mission.create', subject: code, details: { name } },
			now
		);
		return mission;
	});
}

/** A retired mission stays readable; its devices can no longer push, its codes no longer enrol. */
export async function retireMission(
	db: Kysely<Database>,
	code: string,
	actor: string,
	now: Date = new Date()
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const result = await trx
			.updateTable('missions')
			.set({ retired_at: now.toISOString() })
			.where('code', '=', code)
			.where('retired_at', 'is', null)
			.executeTakeFirst();
		if (Number(result.numUpdatedRows) === 0) {
			throw new AppError(404, 'unknown-mission', `No open mission ${code}.`);
		}
		await recordAudit(trx, { actor, action: 'mission.retire', subject: code }, now);
	});
}

/**
 * A new name, retirement, or both, in one transaction with their audit rows (the web console's
 * edit). Retiring a retired mission changes nothing, so a repeated request is harmless; nothing
 * reopens a retired mission, here as on the command line.
 */
export async function updateMission(
	db: Kysely<Database>,
	code: string,
	changes: { name?: string; retired?: boolean },
	actor: string,
	now: Date = new Date()
): Promise<MissionTable> {
	const name = changes.name?.trim();
	if (name !== undefined && (!name || name.length > 200)) {
		throw new AppError(400, 'invalid-mission', 'A mission needs a name of at most 200 characters.');
	}
	if (name !== undefined && !isStorableText(name)) throw unstorableName();
	return db.transaction().execute(async (trx) => {
		const mission = await trx
			.selectFrom('missions')
			.selectAll()
			.where('code', '=', code)
			.executeTakeFirst();
		if (!mission) throw new AppError(404, 'unknown-mission', `No mission ${code}.`);
		if (name !== undefined && name !== mission.name) {
			await trx.updateTable('missions').set({ name }).where('code', '=', code).execute();
			await recordAudit(
				trx,
				{
					actor,
					action: 'mission.rename',
					subject: code,
					details: { from: mission.name, to: name }
				},
				now
			);
		}
		if (changes.retired) {
			// Conditional, so two administrators retiring at once write one audit row.
			const result = await trx
				.updateTable('missions')
				.set({ retired_at: now.toISOString() })
				.where('code', '=', code)
				.where('retired_at', 'is', null)
				.executeTakeFirst();
			if (Number(result.numUpdatedRows) > 0) {
				await recordAudit(trx, { actor, action: 'mission.retire', subject: code }, now);
			}
		}
		return trx
			.selectFrom('missions')
			.selectAll()
			.where('code', '=', code)
			.executeTakeFirstOrThrow();
	});
}
