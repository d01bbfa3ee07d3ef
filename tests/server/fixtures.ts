import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Annotation, AnnotationOp, Mutation } from '../../src/lib/shared/annotation';
import {
	pullResponseSchema,
	pushResponseSchema,
	type ApiError,
	type Change,
	type PullResponse,
	type PushResponse,
	type Role
} from '../../src/lib/shared/sync';
import { createEnrolmentCode } from '../../src/lib/server/admin/codes';
import { enrol } from '../../src/lib/server/auth/enrolment';
import { RateLimiter } from '../../src/lib/server/auth/rate-limit';
import { authenticate, type AuthenticatedDevice } from '../../src/lib/server/auth/tokens';
import type { ServerContext } from '../../src/lib/server/context';
import type { DatabaseHandle } from '../../src/lib/server/db/connection';
import type { Database } from '../../src/lib/server/db/schema';
import { backends, type Backend, type TestDatabase } from './backends';
import { bodyOf, call } from './harness';

/** A UUIDv7 (what devices use for entry and op ids): 48-bit ms time, version 7, variant 10. */
export function uuidv7(time = Date.now()): string {
	const bytes = randomBytes(16);
	bytes.writeUIntBE(time, 0, 6);
	bytes[6] = (bytes[6] & 0x0f) | 0x70;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const ACTOR = 'test:suite';

/** The entry or conflict a pulled change is about. */
export function changeId(change: Change): string {
	if (change.kind === 'conflict') return change.conflict.id;
	return change.kind === 'annotation' ? change.annotation.id : change.annotationId;
}

export interface Suite {
	backend: Backend;
	database: TestDatabase;
	handle: DatabaseHandle;
	db: Kysely<Database>;
	context: ServerContext;
}

/**
 * The same suite on every backend: `describeEachBackend('push', (suite) => { it(…) })`, with a
 * fresh database for the suite (SQLite temp file / new PostgreSQL database), dropped after.
 */
export function describeEachBackend(title: string, body: (suite: () => Suite) => void): void {
	describe.each(backends)(`${title} [$name]`, (backend) => {
		describe.skipIf(backend.skip)(backend.name, () => {
			let suite: Suite | undefined;
			beforeAll(async () => {
				const database = await backend.create();
				const handle = await database.open();
				suite = {
					backend,
					database,
					handle,
					db: handle.db,
					context: {
						db: handle.db,
						kind: handle.kind,
						enrolLimiter: new RateLimiter({ limit: 1000, windowMs: 60_000 })
					}
				};
			});
			afterAll(async () => {
				await suite?.db.destroy();
				await suite?.database.drop();
			});
			body(() => {
				if (!suite) throw new Error('suite not set up');
				return suite;
			});
		});
	});
}

export interface TestDevice {
	id: string;
	token: string;
	device: AuthenticatedDevice;
	mission: string | null;
	nextMutationId: number;
}

export async function enrolDevice(
	db: Kysely<Database>,
	options: { role?: Role; mission?: string | null; name?: string } = {}
): Promise<TestDevice> {
	const role = options.role ?? 'focal-point';
	const mission = options.mission === undefined ? 'UNMISS' : options.mission;
	const { code } = await createEnrolmentCode(db, { role, mission }, ACTOR);
	const id = crypto.randomUUID();
	const { token } = await enrol(db, { code, deviceId: id, displayName: options.name ?? 'Test' });
	const auth = await authenticate(db, `Bearer ${token}`);
	if (!auth.device) throw new Error('enrolled device does not authenticate');
	return { id, token, device: auth.device, mission, nextMutationId: 1 };
}

const DATASET_VERSION = '0123456789abcdef';

export function annotation(device: TestDevice, overrides: Partial<Annotation> = {}): Annotation {
	const now = new Date().toISOString();
	return {
		id: uuidv7(),
		mission: (device.mission ?? 'UNMISS') as Annotation['mission'],
		recommendationId: 'a78-19-p38',
		datasetVersion: DATASET_VERSION,
		status: 'in-progress',
		note: 'Training planned for the second quarter.',
		evidence: [{ label: 'Report', symbol: 'S/2024/292' }],
		progressDate: '2025-01-10',
		author: 'A. Focal',
		deviceId: device.id,
		createdAt: now,
		updatedAt: now,
		deleted: false,
		revision: 0,
		...overrides
	};
}

/** The next mutation of the device's outbox (ids from 1, in order, unless given). */
export function mutation(
	device: TestDevice,
	payload: Annotation,
	options: {
		op?: AnnotationOp;
		baseRevision?: number;
		mutationId?: number;
		opId?: string;
		resolvesConflictId?: string;
	} = {}
): Mutation {
	const mutationId = options.mutationId ?? device.nextMutationId;
	device.nextMutationId = Math.max(device.nextMutationId, mutationId + 1);
	return {
		deviceId: device.id,
		mutationId,
		opId: options.opId ?? uuidv7(),
		op: options.op ?? (payload.deleted ? 'delete' : 'update'),
		annotationId: payload.id,
		baseRevision: options.baseRevision ?? 0,
		payload,
		schemaVersion: 1,
		createdAt: new Date().toISOString(),
		...(options.resolvesConflictId ? { resolvesConflictId: options.resolvesConflictId } : {})
	};
}

/** Every row of the tables a push or pull may touch, to prove a refused request changed nothing. */
export async function snapshot(db: Kysely<Database>) {
	const tables = [
		'annotations',
		'annotation_history',
		'conflicts',
		'processed_ops',
		'change_log',
		'counters'
	] as const;
	const out: Record<string, unknown[]> = {};
	for (const table of tables) out[table] = await db.selectFrom(table).selectAll().execute();
	out.devices = await db
		.selectFrom('devices')
		.select(['id', 'last_applied_mutation_id', 'revoked_at'])
		.orderBy('id')
		.execute();
	for (const rows of Object.values(out))
		rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
	return out;
}

/** Test-side view of the sync endpoints, through the HTTP harness. */
export function syncClient(suite: () => Suite) {
	const client = {
		async push(device: TestDevice, mutations: unknown[], deviceId = device.id, epoch?: string) {
			const response = await call(suite().context, 'POST', '/api/v1/sync/push', {
				token: device.token,
				body: { deviceId, mutations, ...(epoch === undefined ? {} : { epoch }) }
			});
			return { status: response.status, body: await bodyOf<PushResponse & ApiError>(response) };
		},
		async pushOk(device: TestDevice, mutations: unknown[]) {
			const { status, body } = await client.push(device, mutations);
			if (status !== 200) throw new Error(`push ${status}: ${JSON.stringify(body)}`);
			return pushResponseSchema.parse(body);
		},
		async pull(device: TestDevice, query: Record<string, string | number> = {}) {
			const params = new URLSearchParams(
				Object.entries(query).map(([k, v]) => [k, String(v)] as [string, string])
			);
			const response = await call(suite().context, 'GET', `/api/v1/sync/pull?${params}`, {
				token: device.token
			});
			return { status: response.status, body: await bodyOf<PullResponse & ApiError>(response) };
		},
		/** Every page from `cursor` on; checks each page and that seqs strictly increase. */
		async pullAll(device: TestDevice, query: Record<string, string | number> = {}) {
			const pages: PullResponse[] = [];
			let cursor = query.cursor === undefined ? undefined : String(query.cursor);
			for (;;) {
				const { status, body } = await client.pull(device, {
					...query,
					...(cursor === undefined ? {} : { cursor })
				});
				if (status !== 200) throw new Error(`pull ${status}: ${JSON.stringify(body)}`);
				const page = pullResponseSchema.parse(body);
				pages.push(page);
				cursor = page.cursor;
				if (!page.hasMore) break;
			}
			const changes = pages.flatMap((page) => page.changes);
			const seqs = changes.map((change) => change.seq);
			for (let i = 1; i < seqs.length; i++) {
				if (!(seqs[i] > seqs[i - 1])) throw new Error(`seq not increasing: ${seqs.join(',')}`);
			}
			return { pages, changes, last: pages.at(-1)! };
		}
	};
	return client;
}
