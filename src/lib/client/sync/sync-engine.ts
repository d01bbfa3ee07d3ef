import type { Mutation } from '$lib/shared/annotation';
import { SYNC_LIMITS, type PullResponse, type PushResponse } from '$lib/shared/sync';
import type { Enrolment, FieldMatrixDatabase } from '../db';
import { readDeviceValue, writeDeviceValue } from '../annotations/device-state';
import { resilientWrite } from '../annotations/resilient-write';
import { SyncApiError, type SyncApi } from './api-client';
import { parkedRow, writerOf } from './enrolment';
import { beginEpochRecovery, finishEpochRecovery, RECOVERY_KEY } from './epoch-recovery';
import {
	adoptServerVersion,
	adoptServerVersions,
	storeConflict,
	takeOwnRevisions,
	takeRevisions
} from './local-apply';
import { deviceIdOf, errorRecord, getEnrolment, readPullPosition } from './sync-state';

/*
 * SYNC, the device's half (the server's is lib/server/sync/push.ts and pull.ts).
 *
 * One run (`syncOnce`), never two at once (the scheduler holds a lock across tabs):
 *  0. Only an enrolled, unrevoked device syncs. Outbox rows this device cannot push under its
 *     enrolment (another mission's, left by a forced profile change or an import) are parked
 *     first: the server refuses a whole push that holds one (403).
 *  1. PUSH (focal points only) the outbox in mutationId order, SYNC_LIMITS.pushBatch at a time,
 *     and fewer when the JSON would pass SYNC_LIMITS.requestBytes; a 413 halves the batch again
 *     (a single mutation still too large is rejected locally); a 403 `other-mission` (an entry
 *     id the server holds for another mission) is halved the same way down to the one mutation,
 *     which is parked. For each batch, in ONE Dexie transaction, every answer settles its row:
 *     a. applied: the entry takes the returned revision, unless a later change of it is still
 *        queued (then that change's answer brings the revision); a decision on a conflict is
 *        marked resolved;
 *     b. duplicate: already settled (an answer lost on the way back): the row goes; a decision
 *        on a conflict goes back to open, and the pull that follows marks it resolved if the
 *        lost answer had settled it;
 *     c. conflict: the server kept its version; the record (both versions) is stored, and the
 *        entry shows the server's version unless a later change of it is queued: this device's
 *        version lives on in the record until a person decides (conflicts.ts);
 *     d. rejected: the row moves to `rejected` with the reason, visible, never pushed again,
 *        and the rest of the queue goes on;
 *     e. rows up to the answer's lastAppliedMutationId are settled too and go; the counters
 *        follow the server (lastSyncedMutationId; nextMutationId never at or below it).
 *     Base revisions: outbox rows are never rewritten (their opId's content hash covers
 *     baseRevision; a rewritten retry would be refused as 'op-reused'). A change queued behind
 *     another change of the same entry keeps the base it was written with, which may be older
 *     than the revision its predecessor just got. The server accepts that (push.ts 5f): only a
 *     revision written by ANOTHER device after the base is a conflict, so a device's own
 *     consecutive edits all apply, and an edit that did not see another device's change still
 *     conflicts, as it must. New edits are based on the entry's revision on this device, which
 *     (a) and pulls keep current.
 *  2. PULL pages after the stored cursor until hasMore is false. Each page, in ONE Dexie
 *     transaction together with the cursor: entries without queued changes take the server's
 *     version (a timeline row for another device's change), entries with queued changes keep
 *     the local one (their push settles them); conflict records are stored or refreshed
 *     (resolvedAt → resolved).
 *  NEW EPOCH (the server restored a backup; epoch-recovery.ts): the push names the epoch the
 *     device last saw and is answered with nothing applied, or a pull page shows the new epoch.
 *     Either way, in that answer's transaction, the changes the restore lost are queued again as
 *     first sent, the cursor is dropped, and the device re-pulls everything taking the server's
 *     versions whatever their revision; the push starts over, lost changes first. A restore
 *     noticed by the pull is followed by one more push and pull in the same run.
 *  3. Report the number of changes still queued (POST /sync/status), record lastSyncedAt and
 *     clear the last error. Any failure is recorded (lastSyncError) and thrown; a revoked or
 *     unknown token also marks the enrolment revoked, which stops further runs.
 */

export interface SyncSummary {
	/** Mutations sent (each attempt of a batch that got an answer). */
	pushed: number;
	applied: number;
	duplicates: number;
	conflicts: number;
	rejected: number;
	/** Changes received (entries and conflict records). */
	pulled: number;
	epochChanged: boolean;
	/** Set when the run did nothing, and why. */
	skipped?: 'not-enrolled' | 'revoked';
}

export interface SyncOptions {
	now?: () => Date;
	/** Mutations per push (default SYNC_LIMITS.pushBatch). */
	pushBatch?: number;
	/** Bytes of JSON per push before splitting (default SYNC_LIMITS.requestBytes). */
	maxRequestBytes?: number;
	/** Changes per pull page (default: the server's page, SYNC_LIMITS.pullPage). */
	pullPageSize?: number;
	/** false: only receive (a refresh that must not send yet). Default true. */
	push?: boolean;
}

interface RunContext {
	db: FieldMatrixDatabase;
	api: SyncApi;
	enrolment: Enrolment;
	deviceId: string;
	now: () => Date;
	summary: SyncSummary;
	/** Lost changes queued again since the last push (a new epoch noticed by the pull). */
	requeued: number;
	/** A new epoch was noticed in a push answer: the push starts over from the outbox's start. */
	restartPush: boolean;
}

export function emptySummary(): SyncSummary {
	return {
		pushed: 0,
		applied: 0,
		duplicates: 0,
		conflicts: 0,
		rejected: 0,
		pulled: 0,
		epochChanged: false
	};
}

export async function syncOnce(
	db: FieldMatrixDatabase,
	api: SyncApi,
	options: SyncOptions = {}
): Promise<SyncSummary> {
	const now = options.now ?? (() => new Date());
	const summary = emptySummary();
	// 0.
	const enrolment = await getEnrolment(db);
	if (!enrolment) return { ...summary, skipped: 'not-enrolled' };
	if (enrolment.revokedAt) return { ...summary, skipped: 'revoked' };
	const deviceId = (await deviceIdOf(db)) ?? enrolment.deviceId;
	const context: RunContext = {
		db,
		api,
		enrolment,
		deviceId,
		now,
		summary,
		requeued: 0,
		restartPush: false
	};

	try {
		await writeDeviceValue(db, 'lastSyncAttemptAt', now().toISOString());
		const pushes = writesMission(enrolment) && options.push !== false;
		if (pushes) await parkUnpushable(context);
		// 1.
		let refused = pushes ? await pushUnlessForbidden(context, options) : null;
		// 2.
		await pullChanges(context, options);
		if (pushes && !refused && context.requeued > 0) {
			// The pull found a new epoch and queued lost changes again: send them now.
			refused = await pushUnlessForbidden(context, options);
			await pullChanges(context, options);
		}
		// 3.
		await reportPending(context);
		if (refused) throw refused;
		await resilientWrite(db, () =>
			db.device.bulkPut([
				{ key: 'lastSyncedAt', value: now().toISOString() },
				{ key: 'lastSyncError', value: null }
			])
		);
		return summary;
	} catch (error) {
		await recordFailure(db, error, now());
		throw error;
	}
}

/** A push refused as such (a retired mission, another mission's data) is returned, not thrown:
 * receiving the mission's changes still works and is still worth doing. */
async function pushUnlessForbidden(context: RunContext, options: SyncOptions): Promise<unknown> {
	try {
		await pushOutbox(context, options);
		return null;
	} catch (error) {
		if (!(error instanceof SyncApiError && error.kind === 'forbidden')) throw error;
		return error;
	}
}

function writesMission(enrolment: Enrolment): boolean {
	return enrolment.role === 'focal-point' && enrolment.mission !== null;
}

function isPushable(context: RunContext) {
	const { enrolment, deviceId } = context;
	return (mutation: Mutation) =>
		mutation.deviceId === deviceId && mutation.payload.mission === enrolment.mission;
}

/** Step 0: rows the server would refuse as a whole request go aside, exportable. */
async function parkUnpushable(context: RunContext): Promise<void> {
	const { db } = context;
	const pushable = isPushable(context);
	await resilientWrite(db, () =>
		db.transaction('rw', [db.outbox, db.parked], async () => {
			const foreign = await db.outbox.filter((row) => !pushable(row)).toArray();
			if (foreign.length === 0) return;
			const at = context.now().toISOString();
			await db.parked.bulkPut(
				foreign.map((row) => parkedRow(row, 'other-mission', writerOf(row), at))
			);
			await db.outbox.bulkDelete(foreign.map((row) => row.mutationId));
		})
	);
}

/** Step 1: the whole outbox, batch after batch. */
async function pushOutbox(context: RunContext, options: SyncOptions = {}): Promise<void> {
	const { db } = context;
	const batchSize = options.pushBatch ?? SYNC_LIMITS.pushBatch;
	const maxBytes = options.maxRequestBytes ?? SYNC_LIMITS.requestBytes;
	const pushable = isPushable(context);
	context.requeued = 0;
	// Read by key range (one getAll), not by a filtered cursor (a round trip a row in Chromium).
	let after = 0;
	for (;;) {
		const rows = await db.outbox.where('mutationId').above(after).limit(batchSize).toArray();
		if (rows.length === 0) return;
		after = rows.at(-1)!.mutationId;
		const batch = rows.filter(pushable);
		if (batch.length === 0) continue;
		for (const part of splitBySize(batch, maxBytes)) {
			await pushPart(context, part);
			if (context.restartPush) break;
		}
		if (context.restartPush) {
			// A new epoch: the changes it lost were queued again, ahead of this batch.
			context.restartPush = false;
			after = 0;
			continue;
		}
		// Every row of the batch has an answer by now; one left means the server skipped it.
		const left = await db.outbox
			.where('mutationId')
			.anyOf(batch.map((m) => m.mutationId))
			.count();
		if (left === batch.length) {
			throw new SyncApiError('invalid-response', 'the server settled none of the mutations sent');
		}
		// Some skipped: sent again from the start of the queue.
		if (left > 0) after = 0;
	}
}

async function pushPart(context: RunContext, mutations: Mutation[]): Promise<void> {
	const { api, enrolment, deviceId, summary } = context;
	const { epoch } = await readPullPosition(context.db);
	let response: PushResponse;
	try {
		response = await api.push(enrolment.token, {
			deviceId,
			mutations,
			...(epoch !== null ? { epoch } : {})
		});
	} catch (error) {
		const tooLarge = error instanceof SyncApiError && error.kind === 'too-large';
		// An entry that exists in another mission on the server (push.ts 5e) refuses the whole
		// request: halving finds the one mutation, which is parked so the rest can go.
		const foreign = error instanceof SyncApiError && error.code === 'other-mission';
		if (!tooLarge && !foreign) throw error;
		if (mutations.length === 1) {
			const [mutation] = mutations;
			if (tooLarge) await rejectLocally(context, mutation, `too-large: ${error.message}`);
			else await parkLocally(context, mutation);
			return;
		}
		const half = Math.ceil(mutations.length / 2);
		await pushPart(context, mutations.slice(0, half));
		if (!context.restartPush) await pushPart(context, mutations.slice(half));
		return;
	}
	summary.pushed += mutations.length;
	await applyPushResponse(context, mutations, response);
}

/** Splits a batch so no request's JSON passes maxBytes (the server counts decompressed bytes). */
function splitBySize(batch: Mutation[], maxBytes: number): Mutation[][] {
	const envelope = 200;
	const encoder = new TextEncoder();
	const parts: Mutation[][] = [];
	let part: Mutation[] = [];
	let bytes = envelope;
	for (const mutation of batch) {
		const size = encoder.encode(JSON.stringify(mutation)).byteLength + 1;
		if (part.length > 0 && bytes + size > maxBytes) {
			parts.push(part);
			part = [];
			bytes = envelope;
		}
		part.push(mutation);
		bytes += size;
	}
	if (part.length > 0) parts.push(part);
	return parts;
}

async function parkLocally(context: RunContext, mutation: Mutation) {
	const { db } = context;
	await resilientWrite(db, () =>
		db.transaction('rw', [db.outbox, db.parked], async () => {
			const row = await db.outbox.get(mutation.mutationId);
			if (row?.opId !== mutation.opId) return;
			const at = context.now().toISOString();
			await db.parked.put(parkedRow(mutation, 'other-mission', writerOf(mutation), at));
			await db.outbox.delete(mutation.mutationId);
		})
	);
}

async function rejectLocally(context: RunContext, mutation: Mutation, reason: string) {
	const { db } = context;
	await resilientWrite(db, () =>
		db.transaction('rw', [db.outbox, db.rejected, db.conflicts], async () => {
			const row = await db.outbox.get(mutation.mutationId);
			if (row?.opId !== mutation.opId) return;
			await moveToRejected(context, mutation, reason);
		})
	);
}

async function moveToRejected(context: RunContext, mutation: Mutation, reason: string) {
	const { db } = context;
	await db.rejected.put({
		opId: mutation.opId,
		mutationId: mutation.mutationId,
		annotationId: mutation.annotationId,
		mutation,
		reason,
		rejectedAt: context.now().toISOString()
	});
	await db.outbox.delete(mutation.mutationId);
	await reopenDecision(context, mutation);
	context.summary.rejected++;
}

/** A decision on a conflict that did not apply leaves the conflict open, to be decided again. */
async function reopenDecision(context: RunContext, mutation: Mutation) {
	if (!mutation.resolvesConflictId) return;
	const conflict = await context.db.conflicts.get(mutation.resolvesConflictId);
	if (conflict?.state === 'resolving' && conflict.resolvingOpId === mutation.opId) {
		await context.db.conflicts.update(conflict.id, { state: 'open', resolvingOpId: null });
	}
}

async function markDecisionSettled(context: RunContext, mutation: Mutation, at: string) {
	if (!mutation.resolvesConflictId) return;
	const conflict = await context.db.conflicts.get(mutation.resolvesConflictId);
	if (conflict && conflict.state !== 'resolved') {
		// Provisional time; the pull brings the server's resolvedAt.
		await context.db.conflicts.update(conflict.id, {
			state: 'resolved',
			resolvedAt: conflict.resolvedAt ?? at,
			resolvingOpId: null
		});
	}
}

/**
 * Steps 1a–e for one answered batch, in one transaction. The rows and entries the answers touch
 * are read in bulk first and written in bulk after: a request per answer, awaited one by one,
 * made this transaction most of a first sync's time (4 of 8.6 s for 10,000 entries on
 * fake-indexeddb; IndexedDB in a browser also pays per request).
 */
async function applyPushResponse(
	context: RunContext,
	sent: Mutation[],
	response: PushResponse
): Promise<void> {
	const { db, summary, deviceId } = context;
	const byId = new Map(sent.map((mutation) => [mutation.mutationId, mutation]));
	const pushable = isPushable(context);
	const tables = [
		db.outbox,
		db.annotations,
		db.history,
		db.conflicts,
		db.rejected,
		db.parked,
		db.device
	];
	await resilientWrite(db, () =>
		db.transaction('rw', tables, async () => {
			const at = context.now().toISOString();
			const answers = response.results.filter((result) => byId.has(result.mutationId));
			// Rows still queued as sent: by opId (unique), keys only, no row read whole.
			const opIds = answers.map((result) => byId.get(result.mutationId)!.opId);
			const queuedAsSent = new Set(
				opIds.length > 0 ? await db.outbox.where('opId').anyOf(opIds).primaryKeys() : []
			);
			const queue = await queuedByEntry(db, [
				...new Set(answers.map((result) => byId.get(result.mutationId)!.annotationId))
			]);
			// A later change of the same entry still queued brings the entry's revision itself.
			const queuedAfter = (mutation: Mutation) =>
				[...(queue.get(mutation.annotationId) ?? [])].some((id) => id > mutation.mutationId);
			const settle = (mutation: Mutation) =>
				queue.get(mutation.annotationId)?.delete(mutation.mutationId);
			const revisions = new Map<string, number>();
			const answered: number[] = [];

			// Only awaits that reach IndexedDB in this loop: Dexie keeps its transaction across a
			// bounded number of other awaits (its zone echoes), which a batch of answers would pass.
			for (const result of answers) {
				const mutation = byId.get(result.mutationId)!;
				// Settled already (by another tab, or an earlier answer): nothing left to do.
				if (!queuedAsSent.has(mutation.mutationId)) continue;
				switch (result.status) {
					case 'applied': {
						summary.applied++;
						if (!queuedAfter(mutation)) revisions.set(mutation.annotationId, result.revision);
						if (mutation.resolvesConflictId) await markDecisionSettled(context, mutation, at);
						break;
					}
					case 'duplicate':
						// Settled by a request whose answer was lost: applied, or kept as a conflict.
						// The pull that follows brings the conflict's state if the decision settled it.
						summary.duplicates++;
						if (mutation.resolvesConflictId) await reopenDecision(context, mutation);
						break;
					case 'conflict': {
						summary.conflicts++;
						await storeConflict(db, result.conflict, at);
						if (!queuedAfter(mutation)) {
							// The server's current version, whatever revision the device last knew.
							revisions.delete(mutation.annotationId);
							await adoptServerVersion(db, result.conflict.server, deviceId, { force: true });
						}
						await reopenDecision(context, mutation);
						break;
					}
					case 'rejected':
						// Counted and deleted by moveToRejected.
						await moveToRejected(context, mutation, result.reason);
						settle(mutation);
						continue;
				}
				settle(mutation);
				answered.push(result.mutationId);
			}
			await deleteFromOutbox(db, answered);
			await takeRevisions(db, revisions);

			// e.
			const settled = await db.outbox
				.where('mutationId')
				.belowOrEqual(response.lastAppliedMutationId)
				.filter(pushable)
				.toArray();
			for (const mutation of settled) {
				summary.duplicates++;
				if (mutation.resolvesConflictId) await reopenDecision(context, mutation);
			}
			await db.outbox.bulkDelete(settled.map((mutation) => mutation.mutationId));
			await followServerCounters(db, response.lastAppliedMutationId);

			const { epoch } = await readPullPosition(db);
			if (epoch === null) {
				// First answer ever (the cursor is still null): from now on a restore is noticed,
				// even if the pull that would have stored the epoch never happens.
				await writeDeviceValue(db, 'syncEpoch', response.epoch);
			} else if (epoch !== response.epoch) {
				await noticeNewEpoch(context, response.epoch, response.lastAppliedMutationId);
				context.restartPush = true;
			}
		})
	);
}

/** The outbox's mutation ids for each of these entries, in one read. */
async function queuedByEntry(
	db: FieldMatrixDatabase,
	annotationIds: string[]
): Promise<Map<string, Set<number>>> {
	const queue = new Map<string, Set<number>>();
	if (annotationIds.length === 0) return queue;
	// The index's keys and their primary keys only: no row read whole.
	await db.outbox
		.where('annotationId')
		.anyOf(annotationIds)
		.eachKey((annotationId, cursor) => {
			const ids = queue.get(String(annotationId)) ?? new Set<number>();
			queue.set(String(annotationId), ids.add(Number(cursor.primaryKey)));
		});
	return queue;
}

/**
 * Deletes these outbox rows: as one range when they are all the rows between the first and the
 * last (a batch's usual answer), which IndexedDB does in one request instead of one each.
 */
async function deleteFromOutbox(db: FieldMatrixDatabase, mutationIds: number[]) {
	if (mutationIds.length === 0) return;
	const span = db.outbox
		.where('mutationId')
		.between(Math.min(...mutationIds), Math.max(...mutationIds), true, true);
	if ((await span.primaryKeys()).length === mutationIds.length) await span.delete();
	else await db.outbox.bulkDelete(mutationIds);
}

/** In the transaction of the answer that showed it (tables as in beginEpochRecovery). */
async function noticeNewEpoch(context: RunContext, epoch: string, lastApplied: number) {
	const { db, deviceId, enrolment, summary } = context;
	summary.epochChanged = true;
	const mission = writesMission(enrolment) ? enrolment.mission : null;
	context.requeued += await beginEpochRecovery(db, { epoch, deviceId, mission, lastApplied });
}

/**
 * The server's word on this device's settled mutations. The next mutation id never falls at or
 * below it: the server would take such a mutation for a retry and drop it (push.ts 5a), which
 * could only happen to a device whose counter went back (restored from an old backup).
 */
async function followServerCounters(db: FieldMatrixDatabase, lastApplied: number) {
	await writeDeviceValue(db, 'lastSyncedMutationId', lastApplied);
	const next = (await readDeviceValue(db, 'nextMutationId')) ?? 1;
	if (next <= lastApplied) await writeDeviceValue(db, 'nextMutationId', lastApplied + 1);
}

/** Step 2: every page after the cursor. */
async function pullChanges(context: RunContext, options: SyncOptions = {}): Promise<void> {
	const { db, api, enrolment, summary } = context;
	let { epoch, cursor } = await readPullPosition(db);
	// Recovering from a restore: read the mission whole, from the start, in this run.
	let recovering = Boolean(await readDeviceValue(db, RECOVERY_KEY));
	if (recovering) cursor = null;
	const seenConflicts = new Set<string>();
	// This device's own versions come as revisions only, unless a page had to be asked again whole.
	let whole = false;
	for (;;) {
		const page = await api.pull(enrolment.token, cursor, {
			limit: options.pullPageSize,
			ownAsRevisions: !recovering && !whole
		});
		// The server started over from the beginning (pull.ts 2); so does the device.
		const newEpoch = epoch !== null && page.epoch !== epoch;
		if (newEpoch) {
			recovering = true;
			seenConflicts.clear();
		}
		whole = !(await applyPullPage(context, page, { newEpoch, recovering }));
		if (whole) continue;
		for (const change of page.changes) {
			if (change.kind === 'conflict') seenConflicts.add(change.conflict.id);
		}
		summary.pulled += page.changes.length;
		epoch = page.epoch;
		cursor = page.cursor;
		if (!page.hasMore || page.changes.length === 0) break;
	}
	if (recovering) {
		await resilientWrite(db, () =>
			db.transaction('rw', [db.conflicts, db.device], () => finishEpochRecovery(db, seenConflicts))
		);
	}
}

/**
 * One page, in one transaction, read and written in bulk (see applyPushResponse). Returns false,
 * having written nothing, when the page names an own version the device no longer holds as it
 * wrote it: the page is then asked for again whole.
 */
async function applyPullPage(
	context: RunContext,
	page: PullResponse,
	{ newEpoch, recovering }: { newEpoch: boolean; recovering: boolean }
): Promise<boolean> {
	const { db, deviceId } = context;
	const tables = [
		db.annotations,
		db.history,
		db.outbox,
		db.conflicts,
		db.rejected,
		db.parked,
		db.device
	];
	return resilientWrite(db, () =>
		db.transaction('rw', tables, async () => {
			const at = context.now().toISOString();
			const own = page.changes.filter((change) => change.kind === 'own');
			// A restart from the beginning has none (pull.ts 4); one that does is asked for again.
			if (newEpoch && own.length > 0) return false;
			if (newEpoch) await noticeNewEpoch(context, page.epoch, page.lastAppliedMutationId);
			// Entries with queued changes (now including what a new epoch queued again) keep the
			// local version: their push settles them.
			const entryIds = page.changes.flatMap((change) =>
				change.kind === 'annotation'
					? [change.annotation.id]
					: change.kind === 'own'
						? [change.annotationId]
						: []
			);
			const queued = new Set(
				entryIds.length > 0 ? await db.outbox.where('annotationId').anyOf(entryIds).keys() : []
			);
			const unqueued = own.filter((change) => !queued.has(change.annotationId));
			// Nothing is written yet when this fails (no new epoch here).
			if (!(await takeOwnRevisions(db, unqueued, deviceId))) return false;
			const servers = page.changes.flatMap((change) =>
				change.kind === 'annotation' && !queued.has(change.annotation.id) ? [change.annotation] : []
			);
			for (const change of page.changes) {
				if (change.kind === 'conflict') await storeConflict(db, change.conflict, at);
			}
			await adoptServerVersions(db, servers, deviceId, { force: recovering });
			await writeDeviceValue(db, 'syncEpoch', page.epoch);
			await writeDeviceValue(db, 'pullCursor', page.cursor);
			await followServerCounters(db, page.lastAppliedMutationId);
			return true;
		})
	);
}

/** Step 3. Only a lost token matters here: the sync itself already succeeded. */
async function reportPending({ db, api, enrolment }: RunContext): Promise<void> {
	try {
		await api.reportStatus(enrolment.token, await db.outbox.count());
	} catch (error) {
		if (error instanceof SyncApiError && error.stopsSync) throw error;
	}
}

async function recordFailure(db: FieldMatrixDatabase, error: unknown, at: Date): Promise<void> {
	const record = errorRecord(error, at.toISOString());
	try {
		await resilientWrite(db, () =>
			db.transaction('rw', db.device, async () => {
				await writeDeviceValue(db, 'lastSyncError', record);
				if (error instanceof SyncApiError && error.stopsSync) {
					const enrolment = await readDeviceValue(db, 'enrolment');
					if (enrolment && !enrolment.revokedAt) {
						await writeDeviceValue(db, 'enrolment', { ...enrolment, revokedAt: record.at });
					}
				}
			})
		);
	} catch {
		// Storage failing too: the thrown sync error still tells the caller.
	}
}
