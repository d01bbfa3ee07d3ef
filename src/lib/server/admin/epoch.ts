import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { recordAudit } from './audit';

/**
 * Gives the database a new epoch. Run it right after restoring a backup, before the server
 * starts: sequence numbers went back in time, so every device's cursor must be thrown away
 * (each re-pulls everything, keeping its outbox).
 */
export async function newEpoch(
	db: Kysely<Database>,
	actor: string,
	now: Date = new Date()
): Promise<{ previous: string; epoch: string }> {
	const epoch = randomBytes(16).toString('base64url');
	return db.transaction().execute(async (trx) => {
		const previous = await trx
			.selectFrom('meta')
			.select('value')
			.where('key', '=', 'epoch')
			.executeTakeFirstOrThrow();
		await trx.updateTable('meta').set({ value: epoch }).where('key', '=', 'epoch').execute();
		await recordAudit(
			trx,
			{ actor, action: 'epoch.new', subject: epoch, details: { previous: previous.value } },
			now
		);
		return { previous: previous.value, epoch };
	});
}
