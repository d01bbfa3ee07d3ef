import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Annotation } from '../../shared/annotation';
import { PULL_OWN_REVISIONS, SYNC_LIMITS, type Change, type PullResponse } from '../../shared/sync';
import { readableMission } from '../auth/access';
import type { AuthenticatedDevice } from '../auth/tokens';
import { isPostgres } from '../db/connection';
import type { ConflictTable, Database } from '../db/schema';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import { issuesText } from '../http/json';
import { conflictJson, toConflict } from './push';

/*
 * PULL: the changes after the device's cursor, in commit order, one page at a time.
 *
 *  1. Scope: a focal point reads its own mission only (asking for another → 403); an HQ viewer
 *     or admin reads every mission, or one with ?mission=.
 *  2. The cursor is `<epoch>.<seq>`. A malformed one → 400. One from another epoch (the database
 *     was restored from a backup), or beyond the last sequence handed out (restored without a
 *     new epoch), restarts from the beginning and answers the current epoch: the device pulls
 *     everything again and keeps its outbox.
 *  3. Read up to `limit` (at most SYNC_LIMITS.pullPage) change-log rows after the cursor's seq,
 *     in seq order, skipping rows a later row of the same entity supersedes: that later row is
 *     after the cursor too, so it comes in this page or a later one and the device gets each
 *     entity's newest version once. Entries come with tombstones; conflicts as they are now
 *     (with resolvedAt once resolved).
 *  4. `own=revision`: a version this device wrote goes out as its number only (kind `own`), as
 *     the device already holds it; not on a restart from the beginning (2), where the device
 *     takes every version whole.
 *
 * Why nothing is skipped under concurrency: seq numbers are handed out under a lock held until
 * commit (push.ts, step 7), so seq order is commit order: whenever a row is visible, every row
 * with a lower seq is visible too, and a cursor never passes a row committed later. (The
 * alternative, a database sequence, lets transaction B take seq 8, commit, and be pulled before
 * transaction A commits seq 7, which the device's cursor has then passed for good.)
 */

export const pullQuerySchema = z.object({
	cursor: z.string().max(200).optional(),
	limit: z.coerce.number().int().min(1).optional(),
	own: z.literal(PULL_OWN_REVISIONS).optional(),
	mission: z
		.string()
		.regex(/^[A-Z]{3,10}$/)
		.optional()
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

export function parsePullQuery(params: URLSearchParams): PullQuery {
	const parsed = pullQuerySchema.safeParse({
		cursor: params.get('cursor') || undefined,
		limit: params.get('limit') ?? undefined,
		own: params.get('own') ?? undefined,
		mission: params.get('mission') ?? undefined
	});
	if (!parsed.success) {
		throw new AppError(400, 'invalid-request', `Invalid pull: ${issuesText(parsed.error)}`);
	}
	return parsed.data;
}

/** One page as the database has it: entries' and conflicts' JSON text, not yet parsed. */
interface PullPage {
	epoch: string;
	rows: PullRow[];
	cursor: string;
	hasMore: boolean;
	lastAppliedMutationId: number;
	/** 4: versions this device wrote go out as revisions. */
	ownAsRevisions: boolean;
}

type PullRow = Awaited<ReturnType<typeof selectChanges>>[number];

/**
 * An entry's stored JSON as its UTF-8 bytes, as the database holds them: a page copies them into
 * the answer as they are. Read as text, each entry was decoded into a JS string and encoded back
 * (with French text, two-byte strings): under load, that was a third of the server's CPU.
 */
function jsonBytes(db: Kysely<Database>) {
	return isPostgres(db)
		? sql<Uint8Array | null>`convert_to(h.data, 'UTF8')`
		: sql<Uint8Array | null>`cast(h.data as blob)`;
}

const utf8 = new TextDecoder();

function selectChanges(db: Kysely<Database>, mission: string | null, after: number, limit: number) {
	let select = db
		.selectFrom('change_log as c')
		.leftJoin('annotation_history as h', (join) =>
			join
				.onRef('h.annotation_id', '=', 'c.entity_id')
				.onRef('h.revision', '=', 'c.revision')
				.on('c.kind', '=', 'annotation')
		)
		.leftJoin('conflicts as k', (join) =>
			join.onRef('k.id', '=', 'c.entity_id').on('c.kind', '=', 'conflict')
		)
		.select([
			'c.seq',
			'c.kind',
			jsonBytes(db).as('annotation'),
			'h.device_id as author_device',
			'k.id',
			'k.annotation_id',
			'k.mission',
			'k.server_data',
			'k.incoming_data',
			'k.device_id',
			'k.mutation_id',
			'k.op_id',
			'k.created_at',
			'k.resolved_at',
			'k.resolved_by_op'
		])
		.where('c.seq', '>', after)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('change_log as later')
						.select(sql.lit(1).as('one'))
						.whereRef('later.kind', '=', 'c.kind')
						.whereRef('later.entity_id', '=', 'c.entity_id')
						.whereRef('later.seq', '>', 'c.seq')
				)
			)
		)
		.orderBy('c.seq')
		.limit(limit + 1);
	if (mission) select = select.where('c.mission', '=', mission);
	return select.execute();
}

async function readPage(
	db: Kysely<Database>,
	device: AuthenticatedDevice,
	query: PullQuery
): Promise<PullPage> {
	// 1.
	const mission = readableMission(device, query.mission ?? null);
	// 2. The epoch, the last sequence handed out and the device's last settled id, in one read.
	const requested = query.cursor ? decodeCursor(query.cursor) : null;
	const state = await db
		.selectFrom('meta')
		.where('meta.key', '=', 'epoch')
		.select((eb) => [
			'meta.value as epoch',
			eb.selectFrom('counters').select('value').where('name', '=', 'change-seq').as('lastSeq'),
			eb
				.selectFrom('devices')
				.select('last_applied_mutation_id')
				.where('id', '=', device.id)
				.as('lastApplied')
		])
		.executeTakeFirstOrThrow();
	const epoch = state.epoch;
	const stale =
		requested && (requested.epoch !== epoch || requested.seq > Number(state.lastSeq ?? 0));
	const after = requested && !stale ? requested.seq : 0;
	const limit = Math.min(query.limit ?? SYNC_LIMITS.pullPage, SYNC_LIMITS.pullPage);

	// 3. One statement: one consistent snapshot of the log and what it points at.
	const rows = await selectChanges(db, mission, after, limit);
	const page = rows.slice(0, limit);
	return {
		epoch,
		rows: page,
		cursor: encodeCursor({ epoch, seq: page.length > 0 ? Number(page.at(-1)!.seq) : after }),
		hasMore: rows.length > limit,
		lastAppliedMutationId: Number(state.lastApplied ?? 0),
		ownAsRevisions: query.own === PULL_OWN_REVISIONS && !stale
	};
}

/** 4: this version is the pulling device's own, and it asked for those as revisions. */
function isOwn(page: { ownAsRevisions: boolean }, device: AuthenticatedDevice, row: PullRow) {
	return page.ownAsRevisions && row.author_device === device.id;
}

function conflictRow(row: PullRow): ConflictTable {
	return {
		id: row.id!,
		annotation_id: row.annotation_id!,
		mission: row.mission!,
		server_data: row.server_data!,
		incoming_data: row.incoming_data!,
		device_id: row.device_id!,
		mutation_id: Number(row.mutation_id),
		op_id: row.op_id!,
		created_at: row.created_at!,
		resolved_at: row.resolved_at,
		resolved_by_op: row.resolved_by_op
	};
}

export async function pull(
	db: Kysely<Database>,
	device: AuthenticatedDevice,
	query: PullQuery
): Promise<PullResponse> {
	const { rows, ...page } = await readPage(db, device, query);
	const changes: Change[] = rows.map((row) => {
		const seq = Number(row.seq);
		if (row.kind === 'annotation') {
			const annotation = JSON.parse(utf8.decode(row.annotation!)) as Annotation;
			if (!isOwn(page, device, row)) return { kind: 'annotation', seq, annotation };
			const { id: annotationId, revision, updatedAt } = annotation;
			return { kind: 'own', seq, annotationId, revision, updatedAt };
		}
		return { kind: 'conflict', seq, conflict: toConflict(conflictRow(row)) };
	});
	return {
		epoch: page.epoch,
		changes,
		cursor: page.cursor,
		hasMore: page.hasMore,
		lastAppliedMutationId: page.lastAppliedMutationId
	};
}

/**
 * The same answer as `pull`, as JSON in UTF-8: the entries' stored JSON (written by push.ts from
 * a parsed Annotation) is copied into the page byte for byte, not parsed and serialized again.
 */
export async function pullJson(
	db: Kysely<Database>,
	device: AuthenticatedDevice,
	query: PullQuery
): Promise<Buffer> {
	const page = await readPage(db, device, query);
	const parts: (string | Uint8Array)[] = [`{"epoch":${JSON.stringify(page.epoch)},"changes":[`];
	page.rows.forEach((row, i) => {
		const seq = Number(row.seq);
		const comma = i > 0 ? ',' : '';
		if (row.kind === 'conflict') {
			parts.push(
				`${comma}{"kind":"conflict","seq":${seq},"conflict":${conflictJson(conflictRow(row))}}`
			);
		} else if (!isOwn(page, device, row)) {
			parts.push(`${comma}{"kind":"annotation","seq":${seq},"annotation":`, row.annotation!, '}');
		} else {
			// Parsed for three fields: still far less than the entry's bytes on a 2G link.
			const { id, revision, updatedAt } = JSON.parse(utf8.decode(row.annotation!)) as Annotation;
			parts.push(
				`${comma}{"kind":"own","seq":${seq},"annotationId":${JSON.stringify(id)},` +
					`"revision":${revision},"updatedAt":${JSON.stringify(updatedAt)}}`
			);
		}
	});
	parts.push(
		`],"cursor":${JSON.stringify(page.cursor)},"hasMore":${page.hasMore},` +
			`"lastAppliedMutationId":${page.lastAppliedMutationId}}`
	);
	return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}
