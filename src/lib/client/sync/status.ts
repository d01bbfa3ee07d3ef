import type { Role } from '$lib/shared/sync';
import type { MissionCode } from '$lib/shared/missions';
import type { Enrolment, FieldMatrixDatabase, SyncErrorRecord } from '../db';
import { readDeviceValue } from '../annotations/device-state';
import type { SchedulerSnapshot } from './scheduler';

/**
 * Where sync stands, as one plain object for the status line and Settings. Two sources: what
 * the database says (read with `readSyncFacts`, live through liveQuery) and what the scheduler
 * is doing (its snapshot, through `subscribe`); `computeSyncStatus` combines them.
 */

export type SyncState =
	| 'not-enrolled'
	/** The server refused this device's token: local data stays, sync stopped; enrol again. */
	| 'revoked'
	| 'syncing'
	| 'offline'
	| 'failed'
	| 'up-to-date';

export interface SyncStatus {
	state: SyncState;
	/**
	 * Why, for 'failed' and 'revoked': the error kind (api-client.ts SyncApiErrorKind, or
	 * `storage-quota` …), or the server's code when it gave one (`mission-retired`, `revoked` …).
	 */
	reason?: string;
	/** The server's or the runtime's message (English; for details and logs). */
	message?: string;
	/** Changes saved on this device and not yet sent. */
	pending: number;
	lastSyncedAt: string | null;
	/** Conflicts waiting for a decision. */
	conflicts: number;
	/** Changes the server refused (kept in the rejected log). */
	rejected: number;
	/** Changes set aside at a re-enrolment (never sent; export them). */
	parked: number;
	role: Role | null;
	mission: MissionCode | null;
	/** When the scheduler will try again (epoch ms), if it will. */
	nextAttemptAt: number | null;
}

/** What the database says; cheap enough for a liveQuery. */
export interface SyncFacts {
	enrolment: Enrolment | null;
	lastSyncedAt: string | null;
	lastSyncError: SyncErrorRecord | null;
	pending: number;
	conflicts: number;
	rejected: number;
	parked: number;
}

export async function readSyncFacts(db: FieldMatrixDatabase): Promise<SyncFacts> {
	return db.transaction(
		'r',
		[db.device, db.outbox, db.conflicts, db.rejected, db.parked],
		async () => ({
			enrolment: (await readDeviceValue(db, 'enrolment')) ?? null,
			lastSyncedAt: (await readDeviceValue(db, 'lastSyncedAt')) ?? null,
			lastSyncError: (await readDeviceValue(db, 'lastSyncError')) ?? null,
			pending: await db.outbox.count(),
			conflicts: await db.conflicts.where('state').equals('open').count(),
			rejected: await db.rejected.count(),
			parked: await db.parked.count()
		})
	);
}

/** What the scheduler says; a browser without one running counts as online and idle. */
export type SchedulerFacts = Pick<SchedulerSnapshot, 'running' | 'online' | 'nextRunAt'>;

export function computeSyncStatus(facts: SyncFacts, scheduler: SchedulerFacts): SyncStatus {
	const { enrolment, lastSyncError: error } = facts;
	const base = {
		pending: facts.pending,
		lastSyncedAt: facts.lastSyncedAt,
		conflicts: facts.conflicts,
		rejected: facts.rejected,
		parked: facts.parked,
		role: enrolment?.role ?? null,
		mission: enrolment?.mission ?? null,
		nextAttemptAt: scheduler.nextRunAt
	};
	const why = error ? { reason: error.code ?? error.kind, message: error.message } : {};
	if (!enrolment) return { ...base, state: 'not-enrolled', nextAttemptAt: null };
	if (enrolment.revokedAt) {
		return { reason: 'revoked', ...why, ...base, state: 'revoked', nextAttemptAt: null };
	}
	if (scheduler.running) return { ...base, state: 'syncing' };
	if (!scheduler.online) return { ...base, state: 'offline' };
	if (error) return { ...base, ...why, state: 'failed' };
	// Enrolled, online, nothing failed, but never synced: the first run is about to start.
	if (!facts.lastSyncedAt) return { ...base, state: 'syncing' };
	return { ...base, state: 'up-to-date' };
}

export async function readSyncStatus(
	db: FieldMatrixDatabase,
	scheduler: SchedulerFacts = { running: false, online: true, nextRunAt: null }
): Promise<SyncStatus> {
	return computeSyncStatus(await readSyncFacts(db), scheduler);
}
