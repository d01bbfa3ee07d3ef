import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuthenticatedDevice } from '../auth/tokens';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { currentEpoch } from './cursor';
import { issuesText } from '../http/json';

/**
 * A device says how many changes it still holds unsent, so Headquarters can see whose data is
 * fresh; the answer tells it where it stands. (The schemas belong in shared/sync.ts once the
 * client uses them.)
 */
export const statusRequestSchema = z.object({
	pendingCount: z.number().int().nonnegative().max(1_000_000)
});
export type StatusRequest = z.infer<typeof statusRequestSchema>;

export interface StatusResponse {
	epoch: string;
	deviceId: string;
	role: AuthenticatedDevice['role'];
	mission: string | null;
	displayName: string;
	lastAppliedMutationId: number;
	serverTime: string;
}

export function parseStatusRequest(body: unknown): StatusRequest {
	const parsed = statusRequestSchema.safeParse(body);
	if (!parsed.success) {
		throw new AppError(400, 'invalid-request', `Invalid status: ${issuesText(parsed.error)}`);
	}
	return parsed.data;
}

export async function reportStatus(
	db: Kysely<Database>,
	device: AuthenticatedDevice,
	request: StatusRequest,
	now: Date = new Date()
): Promise<StatusResponse> {
	const at = now.toISOString();
	const row = await db
		.updateTable('devices')
		.set({ pending_count: request.pendingCount, pending_reported_at: at, last_seen_at: at })
		.where('id', '=', device.id)
		.returning('last_applied_mutation_id')
		.executeTakeFirstOrThrow();
	return {
		epoch: await currentEpoch(db),
		deviceId: device.id,
		role: device.role,
		mission: device.mission,
		displayName: device.displayName,
		lastAppliedMutationId: Number(row.last_applied_mutation_id),
		serverTime: at
	};
}
