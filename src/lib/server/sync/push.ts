import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { mutationSchema, type Annotation, type Mutation } from '../../shared/annotation';
import {
	pushRequestSchema,
	SYNC_LIMITS,
	type Conflict,
	type MutationResult,
	type PushResponse
} from '../../shared/sync';
import { canonicalJson } from '../../report/canonical-json';
import { otherMissionError, writableMission } from '../auth/access';
import type { AuthenticatedDevice } from '../auth/tokens';
import { isPostgres, isUniqueViolation } from '../db/connection';
import type {
	AnnotationHistoryTable,
	AnnotationTable,
	ChangeLogTable,
	ConflictTable,
	Database,
	ProcessedOpTable
} from '../db/schema';
import { AppError } from '../errors';
import { issuesText } from '../http/json';

/*
 * PUSH: a device hands over the mutations in its outbox; each is settled exactly once.
 *
 * The model. A device numbers its mutations 1, 2, 3… (mutationId, strictly increasing) and gives
 * each an opId (UUIDv7). The server keeps, per device, the highest mutation id it has SETTLED
 * (`devices.last_applied_mutation_id`, answered as `lastAppliedMutationId`); settled means applied,
 * kept as a conflict, or rejected. The device pushes its outbox in order, one request at a time,
 * and drops a mutation once it has any answer. Retrying a request whose answer was lost is always
 * safe: everything already applied comes back `duplicate`. A device must not send id N while an
 * id below N is neither settled nor dropped by the device (a later lower id is refused, 5a).
 *
 * After a restore. A device that names the epoch it last saw (`epoch`) and finds another gets
 * an answer and nothing else:
 *  0. {epoch, results: [], lastAppliedMutationId}, nothing applied. The restored database went
 *     back to an older last settled id; mutations the device had pushed after that were
 *     acknowledged and dropped from its outbox, and are gone from the server. The device queues
 *     them again, exactly as first sent (same ids, opIds and content, rebuilt from its timeline:
 *     sync/epoch-recovery.ts), ahead of its newer changes, and pushes again. A mutation the
 *     restored database still has comes back `duplicate`, one it lost is settled anew.
 *
 * Before the transaction (route + parsePushRequest + push):
 *  1. The token's device must be a focal point of a mission that is not retired (else 403; an HQ
 *     viewer or admin never writes) and the body's deviceId must be that device (else 403). The
 *     body is at most SYNC_LIMITS.requestBytes decompressed and SYNC_LIMITS.pushBatch mutations
 *     (else 413). Only the envelope is parsed strictly: each mutation needs a readable mutationId
 *     (else 400 for the request); the rest of each mutation is checked on its own in step 5b.
 *  2. Scope: if any mutation's payload names another mission, the whole request is refused with
 *     403 and nothing is written. That is not a glitch of one entry to drop, it is an attempt on
 *     another mission's data (only a tampered client, or one re-enrolled into another mission
 *     with its old outbox, sends it; the latter exports those changes instead).
 *
 * In ONE transaction:
 *  3. Locks, so every read-check-write below is race-free. SQLite: the write lock, taken by
 *     `begin immediate`. PostgreSQL: the device's row (`for update`: one push per device at a
 *     time), then the rows of the entries the batch touches, in id order (so two pushes never
 *     wait on each other in a cycle). Two pushes that both create the same new entry, or use the
 *     same op id, cannot lock a row that does not exist yet: the second fails on the unique key,
 *     is rolled back whole and run again, and then sees the first one's row. Pushes of different
 *     devices on different entries thus run side by side until step 7.
 *  4. Read the device's last settled mutation id and the epoch, the batch's entries, the newest
 *     revision of each written by another device, and the op ids and conflicts the batch refers
 *     to.
 *  5. For each mutation, in ascending mutationId order whatever order it was sent in:
 *     a. mutationId <= last settled: `duplicate` if this very op (same content) was applied or
 *        kept as a conflict before (a retry); otherwise `rejected` ('stale-mutation-id': an id
 *        sent too late, or a retry of a rejected one), so the device keeps it in its rejected
 *        log instead of dropping it as delivered. No change either way.
 *     b. Re-parse with the shared mutationSchema; invalid: `rejected` with the reason.
 *     c. mutation.deviceId and payload.deviceId must be this device, payload.id the annotationId
 *        and the op must agree with payload.deleted: else `rejected`.
 *     d. opId processed before: same content `duplicate`, other content `rejected` ('op-reused',
 *        the 409 of a single mutation).
 *     e. The entry exists in another mission: 403 for the whole request, rolled back (see 2). An
 *        entry may not move to another recommendation: `rejected`.
 *     f. Conflict: the entry exists and baseRevision is not its revision, because another device
 *        wrote a revision after baseRevision (or the device claims a revision the server lacks,
 *        e.g. after a restore). The server keeps its value, stores the incoming version as a
 *        conflict record (never dropped), logs it, and answers `conflict` with both versions.
 *        Revisions this device wrote itself after baseRevision are no conflict: it made several
 *        edits before hearing back, each built on the last.
 *     g. Otherwise apply: revision = current + 1 (1 for a new entry), upsert the entry, keep a
 *        history row, append a change-log row. With resolvesConflictId naming an open conflict
 *        of this entry, mark it resolved (resolvedAt) and log that too; an unknown, foreign or
 *        already resolved one is ignored, the change itself still applies.
 *     h. Every mutation settled in b–g advances last settled to its id. Gaps are accepted (5 then
 *        7): a device skips the ids of mutations it dropped. Not a leap of more than
 *        MAX_MUTATION_GAP past last settled: the whole request gets 400 and nothing is written
 *        (an id near 2^53, once settled, would leave the device no id to send next).
 *  6. Write the rows, the device's last settled id and last seen.
 *  7. Last: take sequence numbers for the change-log rows from the `change-seq` counter and
 *     write them. Updating the counter row locks it until commit (PostgreSQL: across every
 *     process sharing the database; SQLite: the write lock already serializes), so sequence
 *     numbers are handed out in commit order and a pull can never see seq N+1 while seq N is
 *     still uncommitted (see pull.ts). Taken this late, the lock is held for one statement and
 *     the commit. Commit; answer {epoch, results in processing order, lastAppliedMutationId}.
 */

/** The envelope, strictly; each mutation only as far as its id (step 1). */
const pushEnvelopeSchema = z.object({
	deviceId: pushRequestSchema.shape.deviceId,
	epoch: z.string().min(1).max(64).optional(),
	mutations: z.array(z.looseObject({ mutationId: mutationSchema.shape.mutationId })).min(1)
});
/** How far past its last settled id a device may number a mutation (see 5h). */
export const MAX_MUTATION_GAP = 1_000_000;

const STALE_MUTATION_ID =
	'stale-mutation-id: changes numbered after this one were already settled; it was not applied';

export type PushEnvelope = z.infer<typeof pushEnvelopeSchema>;

export function parsePushRequest(body: unknown): PushEnvelope {
	const mutations = (body as { mutations?: unknown } | null)?.mutations;
	if (Array.isArray(mutations) && mutations.length > SYNC_LIMITS.pushBatch) {
		throw new AppError(
			413,
			'batch-too-large',
			`At most ${SYNC_LIMITS.pushBatch} mutations per push (got ${mutations.length}); send the rest in the next push.`
		);
	}
	const parsed = pushEnvelopeSchema.safeParse(body);
	if (!parsed.success) {
		throw new AppError(400, 'invalid-request', `Invalid push: ${issuesText(parsed.error)}`);
	}
	return parsed.data;
}

type Checked = { ok: true; mutation: Mutation } | { ok: false; reason: string };

/** Step 5b–c, the checks that need nothing from the database. */
function check(raw: unknown, deviceId: string): Checked {
	const parsed = mutationSchema.safeParse(raw);
	if (!parsed.success) return { ok: false, reason: `invalid: ${issuesText(parsed.error)}` };
	const mutation = parsed.data;
	const { payload } = mutation;
	if (mutation.deviceId !== deviceId || payload.deviceId !== deviceId) {
		return { ok: false, reason: 'wrong-device: the mutation was not written by this device' };
	}
	if (payload.id !== mutation.annotationId) {
		return { ok: false, reason: 'id-mismatch: payload.id is not the annotationId' };
	}
	if ((mutation.op === 'delete') !== payload.deleted) {
		return {
			ok: false,
			reason: `op-mismatch: a ${mutation.op} must have deleted=${mutation.op === 'delete'}`
		};
	}
	return { ok: true, mutation };
}

/** What an op does, to tell a retried op from a reused op id. */
function contentHash(mutation: Mutation): string {
	const { op, annotationId, baseRevision, payload, resolvesConflictId } = mutation;
	const content = {
		op,
		annotationId,
		baseRevision,
		payload,
		resolvesConflictId: resolvesConflictId ?? null
	};
	return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}

function chunks<T>(rows: T[], size = 100): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
	return out;
}

export function toConflict(row: ConflictTable): Conflict {
	return {
		id: row.id,
		annotationId: row.annotation_id,
		mission: row.mission as Conflict['mission'],
		server: JSON.parse(row.server_data) as Annotation,
		incoming: JSON.parse(row.incoming_data) as Annotation,
		deviceId: row.device_id,
		mutationId: Number(row.mutation_id),
		createdAt: row.created_at,
		resolvedAt: row.resolved_at
	};
}
/** `toConflict(row)` as JSON text, with the stored versions copied in as they are. */
export function conflictJson(row: ConflictTable): string {
	return (
		`{"id":${JSON.stringify(row.id)},"annotationId":${JSON.stringify(row.annotation_id)},` +
		`"mission":${JSON.stringify(row.mission)},"server":${row.server_data},` +
		`"incoming":${row.incoming_data},"deviceId":${JSON.stringify(row.device_id)},` +
		`"mutationId":${Number(row.mutation_id)},"createdAt":${JSON.stringify(row.created_at)},` +
		`"resolvedAt":${JSON.stringify(row.resolved_at)}}`
	);
}

async function assertCanPush(db: Kysely<Database>, device: AuthenticatedDevice, deviceId: string) {
	const mission = writableMission(device);
	if (deviceId !== device.id) {
		throw new AppError(
			403,
			'wrong-device',
			'The push names another device than the one this token belongs to.'
		);
	}
	const row = await db
		.selectFrom('missions')
		.select('retired_at')
		.where('code', '=', mission)
		.executeTakeFirst();
	if (!row || row.retired_at) {
		throw new AppError(
			403,
			'mission-retired',
			`Mission ${mission} is closed in FieldMatrix: it can be read but no longer changed.`
		);
	}
	return mission;
}

export async function push(
	db: Kysely<Database>,
	device: AuthenticatedDevice,
	envelope: PushEnvelope,
	now: Date = new Date()
): Promise<PushResponse> {
	// 1.
	const mission = await assertCanPush(db, device, envelope.deviceId);
	// 0. The epoch only changes while the server is stopped (admin new-epoch), so no race here.
	if (envelope.epoch !== undefined) {
		const current = await readEpochAndLastSettled(db, device.id);
		if (current.epoch !== envelope.epoch) return { ...current, results: [] };
	}
	// 2.
	for (const raw of envelope.mutations) {
		const target = (raw.payload as { mission?: unknown } | undefined)?.mission;
		if (typeof target === 'string' && target !== mission) throw otherMissionError(mission, target);
	}
	const ordered = [...envelope.mutations].sort((a, b) => a.mutationId - b.mutationId);
	const checked = ordered.map((raw) => ({ raw, result: check(raw, device.id) }));
	const valid = checked.flatMap(({ result }) => (result.ok ? [result.mutation] : []));
	const at = now.toISOString();

	const postgres = isPostgres(db);
	for (let attempt = 1; ; attempt++) {
		try {
			return await db
				.transaction()
				.execute((trx) => settle(trx, postgres, device, mission, checked, valid, at));
		} catch (error) {
			// 3: two pushes raced for an entry or op id neither could lock; the loser retries.
			if (!postgres || attempt >= RACE_RETRIES || !isRaceError(error)) throw error;
		}
	}
}

async function readEpochAndLastSettled(db: Kysely<Database>, deviceId: string) {
	const row = await db
		.selectFrom('devices')
		.select((eb) => [
			'last_applied_mutation_id',
			eb.selectFrom('meta').select('value').where('key', '=', 'epoch').as('epoch')
		])
		.where('id', '=', deviceId)
		.executeTakeFirstOrThrow();
	return { epoch: String(row.epoch), lastAppliedMutationId: Number(row.last_applied_mutation_id) };
}

/** How often a push that lost a race (see step 3) is run again before it fails. */
const RACE_RETRIES = 5;

function isRaceError(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	// Deadlock, serialization failure, or a unique key another push took first.
	return code === '40P01' || code === '40001' || isUniqueViolation(error);
}

type PendingChange = Omit<ChangeLogTable, 'seq'>;

/** Steps 3–7, in the push's transaction. */
async function settle(
	trx: Transaction<Database>,
	postgres: boolean,
	device: AuthenticatedDevice,
	mission: string,
	checked: { raw: PushEnvelope['mutations'][number]; result: Checked }[],
	valid: Mutation[],
	at: string
): Promise<PushResponse> {
	// 3, 4.
	const state = await readState(trx, postgres, device.id, valid);
	let lastSettled = state.lastSettled;

	const annotations = new Map<string, AnnotationTable>();
	const history: AnnotationHistoryTable[] = [];
	const changes: PendingChange[] = [];
	const processed: ProcessedOpTable[] = [];
	const newConflicts: ConflictTable[] = [];
	const resolved: ConflictTable[] = [];
	const results: MutationResult[] = [];
	const logChange = (kind: ChangeLogTable['kind'], entityId: string, revision: number) =>
		changes.push({ mission, kind, entity_id: entityId, revision, committed_at: at });

	// 5.
	for (const { raw, result } of checked) {
		const mutationId = raw.mutationId;
		// a.
		if (mutationId <= lastSettled) {
			const known =
				result.ok && state.ops.get(result.mutation.opId) === contentHash(result.mutation);
			results.push(
				known
					? { status: 'duplicate', mutationId }
					: { status: 'rejected', mutationId, reason: STALE_MUTATION_ID }
			);
			continue;
		}
		// h. Whatever follows settles this mutation.
		if (mutationId > state.lastSettled + MAX_MUTATION_GAP) {
			throw new AppError(
				400,
				'mutation-id-too-far',
				`Mutation id ${mutationId} is more than ${MAX_MUTATION_GAP} past the last one settled for this device (${state.lastSettled}); a device numbers its changes one after another.`
			);
		}
		lastSettled = mutationId;
		// b, c.
		if (!result.ok) {
			results.push({ status: 'rejected', mutationId, reason: result.reason });
			continue;
		}
		const mutation = result.mutation;
		const { payload, annotationId } = mutation;
		// d.
		const hash = contentHash(mutation);
		const seen = state.ops.get(mutation.opId);
		if (seen) {
			results.push(
				seen === hash
					? { status: 'duplicate', mutationId }
					: {
							status: 'rejected',
							mutationId,
							reason: 'op-reused: this opId was already used for a different change'
						}
			);
			continue;
		}
		const current = state.entries.get(annotationId);
		// e.
		if (current && current.mission !== mission) throw otherMissionError(mission, current.mission);
		if (current && current.recommendation_id !== payload.recommendationId) {
			results.push({
				status: 'rejected',
				mutationId,
				reason: 'immutable-field: an entry cannot move to another recommendation'
			});
			continue;
		}
		state.ops.set(mutation.opId, hash);
		const op = { op_id: mutation.opId, device_id: device.id, mutation_id: mutationId };

		// f.
		const foreign = state.foreignRevision.get(annotationId) ?? 0;
		const conflicting =
			current !== undefined &&
			(mutation.baseRevision > current.revision ||
				(mutation.baseRevision < current.revision && foreign > mutation.baseRevision));
		if (current && conflicting) {
			const conflict: ConflictTable = {
				id: randomUUID(),
				annotation_id: annotationId,
				mission,
				server_data: current.data,
				incoming_data: JSON.stringify(payload),
				device_id: device.id,
				mutation_id: mutationId,
				op_id: mutation.opId,
				created_at: at,
				resolved_at: null,
				resolved_by_op: null
			};
			newConflicts.push(conflict);
			state.conflicts.set(conflict.id, conflict);
			logChange('conflict', conflict.id, 0);
			processed.push({ ...op, content_hash: hash, outcome: 'conflict', processed_at: at });
			results.push({ status: 'conflict', mutationId, conflict: toConflict(conflict) });
			continue;
		}

		// g.
		const revision = (current?.revision ?? 0) + 1;
		const data = JSON.stringify({ ...payload, revision } satisfies Annotation);
		const entry: AnnotationTable = {
			id: annotationId,
			mission,
			recommendation_id: payload.recommendationId,
			revision,
			data,
			updated_at: at
		};
		state.entries.set(annotationId, entry);
		annotations.set(annotationId, entry);
		history.push({
			annotation_id: annotationId,
			revision,
			mission,
			data,
			...op,
			applied_at: at
		});
		logChange('annotation', annotationId, revision);
		processed.push({ ...op, content_hash: hash, outcome: 'applied', processed_at: at });
		const settles = mutation.resolvesConflictId
			? state.conflicts.get(mutation.resolvesConflictId)
			: undefined;
		if (settles && settles.annotation_id === annotationId && !settles.resolved_at) {
			settles.resolved_at = at;
			settles.resolved_by_op = mutation.opId;
			if (!newConflicts.includes(settles)) resolved.push(settles);
			logChange('conflict', settles.id, 0);
		}
		results.push({ status: 'applied', mutationId, revision });
	}

	// 6.
	for (const rows of chunks([...annotations.values()])) {
		await trx
			.insertInto('annotations')
			.values(rows)
			.onConflict((oc) =>
				oc.column('id').doUpdateSet((eb) => ({
					revision: eb.ref('excluded.revision'),
					data: eb.ref('excluded.data'),
					updated_at: eb.ref('excluded.updated_at')
				}))
			)
			.execute();
	}
	for (const rows of chunks(history))
		await trx.insertInto('annotation_history').values(rows).execute();
	for (const rows of chunks(newConflicts)) await trx.insertInto('conflicts').values(rows).execute();
	for (const conflict of resolved) {
		await trx
			.updateTable('conflicts')
			.set({ resolved_at: conflict.resolved_at, resolved_by_op: conflict.resolved_by_op })
			.where('id', '=', conflict.id)
			.execute();
	}
	for (const rows of chunks(processed))
		await trx.insertInto('processed_ops').values(rows).execute();
	await trx
		.updateTable('devices')
		.set({ last_applied_mutation_id: lastSettled, last_seen_at: at })
		.where('id', '=', device.id)
		.execute();
	// 7.
	if (changes.length > 0) await appendChanges(trx, postgres, changes);
	return { epoch: state.epoch, results, lastAppliedMutationId: lastSettled };
}

/**
 * Step 7: take the next sequence numbers and log the changes, as the transaction's last
 * statements. Taking them locks the counter row until commit, which orders the change log by
 * commit; so everything else a push does runs before, beside other pushes.
 */
async function appendChanges(
	trx: Transaction<Database>,
	postgres: boolean,
	changes: PendingChange[]
): Promise<void> {
	const n = changes.length;
	if (postgres) {
		// One statement, one round trip while the lock is held.
		const column = <K extends keyof PendingChange>(key: K) => changes.map((c) => c[key]);
		await sql`with taken as (
				update counters set value = value + ${n} where name = 'change-seq' returning value
			)
			insert into change_log (seq, mission, kind, entity_id, revision, committed_at)
			select taken.value - ${n} + v.ord, v.mission, v.kind, v.entity_id, v.revision, v.committed_at
			from taken, unnest(
				${column('mission')}::text[], ${column('kind')}::text[], ${column('entity_id')}::text[],
				${column('revision')}::integer[], ${column('committed_at')}::text[]
			) with ordinality as v(mission, kind, entity_id, revision, committed_at, ord)`.execute(trx);
		return;
	}
	const counter = await trx
		.updateTable('counters')
		.set((eb) => ({ value: eb('value', '+', n) }))
		.where('name', '=', 'change-seq')
		.returning('value')
		.executeTakeFirstOrThrow();
	const first = Number(counter.value) - n + 1;
	const rows = changes.map((change, i) => ({ seq: first + i, ...change }));
	for (const part of chunks(rows)) await trx.insertInto('change_log').values(part).execute();
}

interface PushState {
	epoch: string;
	lastSettled: number;
	entries: Map<string, AnnotationTable>;
	/** Per entry, the newest revision another device wrote. */
	foreignRevision: Map<string, number>;
	/** opId → content hash, of every op applied or kept as a conflict. */
	ops: Map<string, string>;
	conflicts: Map<string, ConflictTable>;
}

async function readState(
	trx: Transaction<Database>,
	postgres: boolean,
	deviceId: string,
	mutations: Mutation[]
): Promise<PushState> {
	// PostgreSQL: the device's row first (its pushes queue here), then its entries' rows in id
	// order (every push locks in the same order, so two never wait on each other).
	let deviceQuery = trx
		.selectFrom('devices')
		.select((eb) => [
			'last_applied_mutation_id',
			eb.selectFrom('meta').select('value').where('key', '=', 'epoch').as('epoch')
		])
		.where('id', '=', deviceId);
	if (postgres) deviceQuery = deviceQuery.forUpdate();
	const device = await deviceQuery.executeTakeFirstOrThrow();
	const state: PushState = {
		epoch: String(device.epoch),
		lastSettled: Number(device.last_applied_mutation_id),
		entries: new Map(),
		foreignRevision: new Map(),
		ops: new Map(),
		conflicts: new Map()
	};
	const annotationIds = [...new Set(mutations.map((m) => m.annotationId))].sort();
	const opIds = [...new Set(mutations.map((m) => m.opId))];
	const conflictIds = [
		...new Set(mutations.flatMap((m) => (m.resolvesConflictId ? [m.resolvesConflictId] : [])))
	];
	for (const ids of chunks(annotationIds)) {
		let entries = trx.selectFrom('annotations').selectAll().where('id', 'in', ids).orderBy('id');
		if (postgres) entries = entries.forUpdate();
		for (const row of await entries.execute()) {
			state.entries.set(row.id, { ...row, revision: Number(row.revision) });
		}
	}
	// After the locks: a statement that starts now sees what the pushes we waited for wrote.
	const existing = [...state.entries.keys()];
	for (const ids of chunks(existing)) {
		const foreign = await trx
			.selectFrom('annotation_history')
			.select((eb) => ['annotation_id', eb.fn.max('revision').as('revision')])
			.where('annotation_id', 'in', ids)
			.where('device_id', '<>', deviceId)
			.groupBy('annotation_id')
			.execute();
		for (const row of foreign) state.foreignRevision.set(row.annotation_id, Number(row.revision));
	}
	for (const ids of chunks(opIds)) {
		const rows = await trx
			.selectFrom('processed_ops')
			.select(['op_id', 'content_hash'])
			.where('op_id', 'in', ids)
			.execute();
		for (const row of rows) state.ops.set(row.op_id, row.content_hash);
	}
	for (const ids of chunks(conflictIds)) {
		for (const row of await trx
			.selectFrom('conflicts')
			.selectAll()
			.where('id', 'in', ids)
			.execute()) {
			state.conflicts.set(row.id, row);
		}
	}
	return state;
}
