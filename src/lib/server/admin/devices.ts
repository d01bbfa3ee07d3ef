import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { recordAudit } from './audit';

export async function listDevices(db: Kysely<Database>) {
	return db
		.selectFrom('devices')
		.select([
			'id',
			'mission',
			'role',
			'display_name',
			'enrolled_at',
			'last_seen_at',
			'revoked_at',
			'pending_count',
			'pending_reported_at',
			'last_applied_mutation_id'
		])
		.orderBy('enrolled_at')
		.execute();
}

/**
 * Ends a device's access at once (its next request gets 401 `revoked`). The device keeps its
 * local data; what it already synced stays on the server.
 */
export async function revokeDevice(
	db: Kysely<Database>,
	deviceId: string,
	actor: string,
	now: Date = new Date()
): Promise<{ alreadyRevoked: boolean }> {
	// Device ids are UUIDs as the device made them (lowercase); an id pasted in capitals is the same.
	const id = deviceId.trim().toLowerCase();
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('devices')
			.select('revoked_at')
			.where('id', '=', id)
			.executeTakeFirst();
		if (!row) throw new AppError(404, 'unknown-device', `No device ${deviceId}.`);
		if (row.revoked_at) return { alreadyRevoked: true };
		await trx
			.updateTable('devices')
			.set({ revoked_at: now.toISOString() })
			.where('id', '=', id)
			.execute();
		await recordAudit(trx, { actor, action: 'device.revoke', subject: id }, now);
		return { alreadyRevoked: false };
	});
}
