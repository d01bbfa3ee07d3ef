import type { DeviceProfile, Enrolment, FieldMatrixDatabase, SyncErrorRecord } from '../db';
import { readDeviceValue, writeDeviceValue } from '../annotations/device-state';
import { SyncApiError } from './api-client';

/**
 * The sync state kept in the device's key-value table: enrolment (token, role, mission), the
 * server epoch and pull cursor, and how the last attempt went. Reads work inside and outside a
 * transaction.
 */

export function getEnrolment(db: FieldMatrixDatabase): Promise<Enrolment | undefined> {
	return readDeviceValue(db, 'enrolment');
}

/** The device's id: the profile's, else the one kept for an enrolment without a profile. */
export async function deviceIdOf(db: FieldMatrixDatabase): Promise<string | undefined> {
	const profile: DeviceProfile | undefined = await readDeviceValue(db, 'profile');
	return profile?.deviceId ?? (await readDeviceValue(db, 'deviceId'));
}

export interface PullPosition {
	epoch: string | null;
	cursor: string | null;
}

export async function readPullPosition(db: FieldMatrixDatabase): Promise<PullPosition> {
	const [epoch, cursor] = await Promise.all([
		readDeviceValue(db, 'syncEpoch'),
		readDeviceValue(db, 'pullCursor')
	]);
	return { epoch: epoch ?? null, cursor: cursor ?? null };
}

export async function writePullPosition(
	db: FieldMatrixDatabase,
	{ epoch, cursor }: PullPosition
): Promise<void> {
	await writeDeviceValue(db, 'syncEpoch', epoch);
	await writeDeviceValue(db, 'pullCursor', cursor);
}

/** A failure as kept for the status line: a stable kind (and server code) the UI can translate. */
export function errorRecord(error: unknown, at: string): SyncErrorRecord {
	if (error instanceof SyncApiError) {
		return {
			kind: error.kind,
			...(error.code ? { code: error.code } : {}),
			message: error.message,
			at
		};
	}
	const name = error instanceof Error ? error.name : 'Error';
	// SaveError (storage full, database closed) keeps its own kind.
	const kind =
		name === 'SaveError' ? `storage-${(error as { kind?: string }).kind ?? 'unknown'}` : 'internal';
	return { kind, message: error instanceof Error ? error.message : String(error), at };
}
