import type { Mutation } from '$lib/shared/annotation';
import type { FieldMatrixDatabase } from '../db';
import { writeDeviceValue } from '../annotations/device-state';

/*
 * After the server was restored from a backup (a new epoch, push.ts 0 and pull.ts 2).
 *
 * The restored database is older than what the device was told: it settled this device's
 * mutations only up to `lastAppliedMutationId` (its answer after the restore). Every mutation
 * above that which the device no longer queues was acknowledged before the restore and is gone
 * from the server. The device still knows each one: its timeline row holds the opId, op and
 * snapshot (the payload), and `sent` the rest. `beginEpochRecovery` puts them back in the outbox
 * exactly as first sent (same mutation ids, so they go before anything newer; same opIds and
 * content, so one the server does have is answered `duplicate`). Mutations the device refused
 * or parked stay where they are.
 *
 * Then the device re-pulls from the beginning in recovery mode (`recovering` below): versions it
 * holds from before the restore carry revision numbers of the old database, so the server's
 * version is taken whatever its revision (entries with queued changes keep theirs until the push
 * settles them), and once the whole mission has been read, conflict records the restored server
 * does not have are dropped (their incoming change, if this device's, was queued again).
 */

/** Device key: set from the new epoch until a complete re-pull (survives an interrupted run). */
export const RECOVERY_KEY = 'epochRecovery';

/**
 * Called in the transaction that notices the new epoch (covering outbox, history, rejected,
 * parked and device). Returns how many mutations were queued again.
 */
export async function beginEpochRecovery(
	db: FieldMatrixDatabase,
	{ epoch, deviceId, mission, lastApplied }: NewEpoch
): Promise<number> {
	await writeDeviceValue(db, 'syncEpoch', epoch);
	await writeDeviceValue(db, 'pullCursor', null);
	await writeDeviceValue(db, RECOVERY_KEY, epoch);
	if (mission === null) return 0;

	const lost = await db.history
		.filter(
			(row) =>
				row.sent !== undefined &&
				row.sent.mutationId > lastApplied &&
				row.snapshot.deviceId === deviceId &&
				row.snapshot.mission === mission
		)
		.toArray();
	if (lost.length === 0) return 0;
	const opIds = lost.map((row) => row.opId);
	// Still queued (never acknowledged), refused, or parked: not lost, and not to be sent again.
	const [queued, rejected, parked, taken] = await Promise.all([
		db.outbox.where('opId').anyOf(opIds).toArray(),
		db.rejected.where('opId').anyOf(opIds).primaryKeys(),
		db.parked.where('opId').anyOf(opIds).primaryKeys(),
		db.outbox.toCollection().primaryKeys()
	]);
	const skip = new Set<string>([...queued.map((row) => row.opId), ...rejected, ...parked]);
	const takenIds = new Set(taken);
	const mutations: Mutation[] = lost
		.filter((row) => !skip.has(row.opId) && !takenIds.has(row.sent!.mutationId))
		.map((row) => {
			const { mutationId, baseRevision, schemaVersion, createdAt, resolvesConflictId } = row.sent!;
			return {
				deviceId,
				mutationId,
				opId: row.opId,
				op: row.op,
				annotationId: row.annotationId,
				baseRevision,
				payload: row.snapshot,
				schemaVersion,
				createdAt,
				...(resolvesConflictId ? { resolvesConflictId } : {})
			};
		});
	await db.outbox.bulkAdd(mutations);
	return mutations.length;
}

export interface NewEpoch {
	epoch: string;
	deviceId: string;
	/** The mission the device writes; null for a device that only reads (HQ). */
	mission: string | null;
	/** The restored server's last settled mutation id of this device. */
	lastApplied: number;
}

/** Drops the conflict records a complete re-pull did not bring, and leaves recovery mode. */
export async function finishEpochRecovery(
	db: FieldMatrixDatabase,
	seenConflicts: ReadonlySet<string>
): Promise<void> {
	const stale = await db.conflicts
		.filter((conflict) => !seenConflicts.has(conflict.id))
		.primaryKeys();
	await db.conflicts.bulkDelete(stale);
	await writeDeviceValue(db, RECOVERY_KEY, null);
}
