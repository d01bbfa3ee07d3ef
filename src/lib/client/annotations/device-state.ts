import { forgetFirstScreen } from '$lib/shared/first-screen-picture';
import type { DeviceKey, DeviceValues, FieldMatrixDatabase } from '../db';

/** Typed access to the `device` key-value table. Works inside and outside a transaction. */

export async function readDeviceValue<K extends DeviceKey>(
	db: FieldMatrixDatabase,
	key: K
): Promise<DeviceValues[K] | undefined> {
	const row = await db.device.get(key);
	return row?.value as DeviceValues[K] | undefined;
}

export async function writeDeviceValue<K extends DeviceKey>(
	db: FieldMatrixDatabase,
	key: K,
	value: DeviceValues[K]
): Promise<void> {
	// The mapped union cannot be narrowed by a generic key; the signature keeps it sound.
	await db.device.put({ key, value } as { key: DeviceKey; value: never });
	// Another mission's statuses: the home page's stored picture no longer shows this device.
	if (key === 'profile') forgetFirstScreen();
}

/** The sync state; absent rows (a device that never wrote) read as "never synced, counter at 1". */
export async function readSyncCounters(db: FieldMatrixDatabase) {
	const [nextMutationId, lastSyncedMutationId, lastSyncedAt] = await Promise.all([
		readDeviceValue(db, 'nextMutationId'),
		readDeviceValue(db, 'lastSyncedMutationId'),
		readDeviceValue(db, 'lastSyncedAt')
	]);
	return {
		nextMutationId: nextMutationId ?? 1,
		lastSyncedMutationId: lastSyncedMutationId ?? 0,
		lastSyncedAt: lastSyncedAt ?? null
	};
}
export type SyncCounters = Awaited<ReturnType<typeof readSyncCounters>>;

export async function writeSyncCounters(
	db: FieldMatrixDatabase,
	counters: SyncCounters
): Promise<void> {
	await db.device.bulkPut([
		{ key: 'nextMutationId', value: counters.nextMutationId },
		{ key: 'lastSyncedMutationId', value: counters.lastSyncedMutationId },
		{ key: 'lastSyncedAt', value: counters.lastSyncedAt }
	]);
}
