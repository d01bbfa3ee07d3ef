import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createAnnotation } from '$lib/client/annotations/annotation-store';
import { ProfileChangeError, ValidationError } from '$lib/client/annotations/errors';
import { getProfile, pendingCount, saveProfile } from '$lib/client/annotations/profile';
import { readSyncCounters } from '$lib/client/annotations/device-state';
import {
	DATASET_VERSION,
	RECOMMENDATION,
	useFreshDatabases,
	validInput
} from '../fixtures/annotation-db';

const databases = useFreshDatabases('profile');

describe('the device profile', () => {
	it('is absent until the first save, which creates the deviceId and counters', async () => {
		const db = databases.fresh();
		expect(await getProfile(db)).toBeUndefined();
		const profile = await saveProfile(db, { mission: 'UNMISS', displayName: '  Amina  ' });
		expect(profile.displayName).toBe('Amina');
		expect(profile.deviceId).toMatch(/^[0-9a-f-]{36}$/);
		expect(await getProfile(db)).toEqual(profile);
		expect(await readSyncCounters(db)).toEqual({
			nextMutationId: 1,
			lastSyncedMutationId: 0,
			lastSyncedAt: null
		});
	});

	it('keeps the deviceId when mission or name change', async () => {
		const db = databases.fresh();
		const first = await saveProfile(db, { mission: 'UNMISS', displayName: 'Amina' });
		const second = await saveProfile(db, { mission: 'UNIFIL', displayName: 'Jean' });
		expect(second).toEqual({ deviceId: first.deviceId, mission: 'UNIFIL', displayName: 'Jean' });
	});

	it('refuses an invalid mission or an empty name', async () => {
		const db = databases.fresh();
		await expect(saveProfile(db, { mission: 'unmiss-2', displayName: 'A' })).rejects.toThrow(
			ValidationError
		);
		await expect(saveProfile(db, { mission: 'UNMISS', displayName: ' ' })).rejects.toThrow(
			ValidationError
		);
		expect(await db.device.count()).toBe(0);
	});

	it('refuses to change mission or person while unsent changes exist, unless told to', async () => {
		const db = databases.fresh();
		const amina = await saveProfile(db, { mission: 'UNMISS', displayName: 'Amina' });
		const input = validInput();
		const entry = await createAnnotation(db, {
			recommendationId: RECOMMENDATION,
			datasetVersion: DATASET_VERSION,
			input
		});
		expect(await pendingCount(db)).toBe(1);

		const refused = saveProfile(db, { mission: 'UNMISS', displayName: 'Jean' });
		await expect(refused).rejects.toThrow(ProfileChangeError);
		await expect(refused).rejects.toMatchObject({ pending: 1 });
		await expect(saveProfile(db, { mission: 'UNIFIL', displayName: 'Amina' })).rejects.toThrow(
			ProfileChangeError
		);
		expect(await getProfile(db)).toEqual(amina);

		// The same person saving again is no change.
		await expect(saveProfile(db, { mission: 'UNMISS', displayName: 'Amina ' })).resolves.toEqual(
			amina
		);

		const jean = await saveProfile(
			db,
			{ mission: 'UNIFIL', displayName: 'Jean' },
			{ allowPendingChanges: true }
		);
		expect(jean.deviceId).toBe(amina.deviceId);
		// Amina's unsent change is still hers.
		const [pending] = await db.outbox.toArray();
		expect(pending.payload).toMatchObject({ id: entry.id, author: 'Amina', mission: 'UNMISS' });
		expect(await readSyncCounters(db)).toMatchObject({ nextMutationId: 2 });
	});
});
