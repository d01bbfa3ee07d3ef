import * as z from '$lib/shared/zod';
import { missionCodeSchema } from '$lib/shared/recommendation';
import { LIMITS } from '$lib/shared/annotation';
import type { DeviceProfile, FieldMatrixDatabase } from '../db';
import {
	readDeviceValue,
	readSyncCounters,
	writeDeviceValue,
	writeSyncCounters
} from './device-state';
import { ProfileChangeError, ValidationError } from './errors';
import { resilientWrite } from './resilient-write';

/**
 * Who writes on this device: the first-run picker sets mission and name today; enrolment will
 * set them (and role, token) later through the same saveProfile. The deviceId is created once
 * and kept for the life of the database: the server counts this device's mutations by it.
 */

export { pendingCount } from './annotation-queries';

export const profileInputSchema = z.object({
	mission: missionCodeSchema,
	displayName: z
		.string()
		.check(
			z.trim(),
			z.minLength(1, { error: 'required' }),
			z.maxLength(LIMITS.author, { error: 'too-long' })
		)
});
export type ProfileInput = z.input<typeof profileInputSchema>;

export const deviceProfileSchema = z.extend(profileInputSchema, { deviceId: z.uuid() });

export function getProfile(db: FieldMatrixDatabase): Promise<DeviceProfile | undefined> {
	return readDeviceValue(db, 'profile');
}

export interface SaveProfileOptions {
	/**
	 * Change mission or person although unsent changes exist. They are not re-attributed: each
	 * keeps the author and mission it was written with. Ask the user to export a backup first.
	 */
	allowPendingChanges?: boolean;
}

export async function saveProfile(
	db: FieldMatrixDatabase,
	input: ProfileInput,
	options: SaveProfileOptions = {}
): Promise<DeviceProfile> {
	const parsed = profileInputSchema.safeParse(input);
	if (!parsed.success) throw ValidationError.fromZod(parsed.error);
	const { mission, displayName } = parsed.data;

	return resilientWrite(db, () =>
		db.transaction('rw', db.device, db.outbox, async () => {
			const current = await getProfile(db);
			if (current) {
				const changesWho = current.mission !== mission || current.displayName !== displayName;
				if (changesWho && !options.allowPendingChanges) {
					const pending = await db.outbox.count();
					if (pending > 0) throw new ProfileChangeError(pending);
				}
				const profile = { ...current, mission, displayName };
				await writeDeviceValue(db, 'profile', profile);
				return profile;
			}
			const profile: DeviceProfile = { deviceId: crypto.randomUUID(), mission, displayName };
			await writeDeviceValue(db, 'profile', profile);
			// Counters survive a profile change; only a new database starts them.
			await writeSyncCounters(db, await readSyncCounters(db));
			return profile;
		})
	);
}
