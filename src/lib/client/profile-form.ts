import type { ProfileFormValue, ProfileSaveOutcome } from '$lib/components/ProfileForm.svelte';
import { db } from './db';
import { ProfileChangeError, ValidationError } from './annotations/errors';

/**
 * Saves the first-run choice of mission and name (kept replaceable: enrolment by Headquarters
 * will set the same profile). Loads the profile module, and with it zod, only when used.
 */
export async function saveMissionProfile(
	value: ProfileFormValue,
	force: boolean
): Promise<ProfileSaveOutcome> {
	const { saveProfile } = await import('./annotations/profile');
	try {
		await saveProfile(db, value as Parameters<typeof saveProfile>[1], {
			allowPendingChanges: force
		});
		return { kind: 'saved' };
	} catch (error) {
		if (error instanceof ProfileChangeError) return { kind: 'pending', count: error.pending };
		if (error instanceof ValidationError) return { kind: 'invalid' };
		throw error;
	}
}
