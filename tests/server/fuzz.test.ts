import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mutationSchema } from '../../src/lib/shared/annotation';
import {
	ADMIN_LIMITS,
	createCodeRequestSchema,
	createMissionRequestSchema,
	updateMissionRequestSchema
} from '../../src/lib/shared/admin';
import { CELL_PROGRESS, EXPORT_FORMATS, SECTION_NUMERALS } from '../../src/lib/shared/hq';
import { STATUS_CATEGORIES } from '../../src/lib/shared/vocabulary';
import {
	apiErrorSchema,
	enrolRequestSchema,
	pushResponseSchema,
	SYNC_LIMITS
} from '../../src/lib/shared/sync';
import { createEnrolmentCode } from '../../src/lib/server/admin/codes';
import { revokeDevice } from '../../src/lib/server/admin/devices';
import { createMission } from '../../src/lib/server/admin/missions';
import { enrol } from '../../src/lib/server/auth/enrolment';
import { setReportDataset } from '../../src/lib/server/hq/report-dataset';
import {
	NASTY_STRINGS,
	hostileAuthorization,
	hostileBody,
	hostileQuery,
	hostileString,
	type HostileBody
} from '../fuzz/hostile';
import { FUZZ_SEED, FuzzStats, fuzzRuns } from '../fuzz/settings';
import { seedDataset } from '../unit/seed-dataset';
import { dumpDatabase, dumpDifferences, type Dump } from './dump';
import {
	ACTOR,
	annotation,
	describeEachBackend,
	enrolDevice,
	mutation,
	syncClient,
	uuidv7,
	type TestDevice
} from './fixtures';
import { bodyOf, call } from './harness';

/*
 * Property-based fuzzing of every API route (fast-check): malformed JSON, wrong types, missing
 * fields, huge strings and batches, deep nesting, invalid UTF-8, Unicode edge cases, SQL and
 * HTML metacharacters, mutation ids from the future, forged device ids, bad gzip, oversized
 * bodies, bad query strings and bad tokens. For every input: never a 5xx; a 4xx is JSON
 * `{error, message}` and leaves the database exactly as it was (a full dump of every table, see
 * dump.ts); a 2xx must be an input the route's own rules accept, and its change is checked.
 *
 * `npm test` runs a few inputs per route; `npm run test:fuzz` runs hundreds and prints counts.
 */

const RUNS = fuzzRuns(12, 270);
const stats = new FuzzStats();
const dataset = seedDataset();
beforeAll(() => {
	setReportDataset(dataset);
	console.log(`API fuzz: seed ${FUZZ_SEED}, ${RUNS} runs per route and backend`);
});
afterAll(() => console.log(stats.report('API fuzz')));

type Auth = { kind: 'token'; token: string } | { kind: 'none' } | { kind: 'header'; value: string };

interface FuzzInput {
	method: string;
	path: string;
	body?: HostileBody;
	auth: Auth;
	ip: string;
	acceptEncoding?: string;
}

const FUZZ_MISSION = 'FUZZTARGET';
const MISSION_VALUES = ['UNMISS', 'MINUSMA', 'ZZZZZZ', FUZZ_MISSION, 'unmiss', 'UNMISS,MINUSMA'];
/** Stands for an unused enrolment code in generated bodies (replaced as the input is sent). */
const POOL_CODE = '@unused-code@';
const OTHER_MISSION = 'MINUSMA';

/** A path segment as a client would send it (lone surrogates become U+FFFD, as URLs do). */
function segment(value: string): string {
	const wellFormed = value.replace(
		/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
		'\uFFFD'
	);
	// Empty, `.` and `..` segments would change the path itself: no route of ours.
	if (wellFormed === '' || /^\.{1,2}$/.test(wellFormed)) return '...';
	return encodeURIComponent(wellFormed);
}

function describeInput(input: FuzzInput): string {
	const body = input.body
		? ` ${input.body.kind} ${JSON.stringify(input.body.headers)} ` +
			(typeof input.body.body === 'string'
				? JSON.stringify(input.body.body.slice(0, 300))
				: `${input.body.body.byteLength} bytes`)
		: '';
	return `${input.method} ${input.path.slice(0, 300)} auth=${input.auth.kind}${body}`;
}

describeEachBackend('fuzz: hostile input to every API route', (suite) => {
	let focal: TestDevice;
	let writer: TestDevice;
	let viewer: TestDevice;
	let admin: TestDevice;
	let revoked: TestDevice;
	let victim: TestDevice;
	/** An unused enrolment code, replaced once a device redeems it (see POOL_CODE). */
	let poolCode: string;
	let revocableCodeId: string;
	let usedCodeId: string;
	let baseline: Dump;
	let epoch: string;

	const dump = () => dumpDatabase(suite().db, suite().backend.name);
	const newPoolCode = async () =>
		(await createEnrolmentCode(suite().db, { role: 'focal-point', mission: OTHER_MISSION }, ACTOR))
			.code;

	beforeAll(async () => {
		const { db } = suite();
		await createMission(db, { code: FUZZ_MISSION, name: 'Fuzz target' }, ACTOR);
		focal = await enrolDevice(db, { mission: 'UNMISS', name: 'Fuzz focal' });
		writer = await enrolDevice(db, { mission: 'UNMISS', name: 'Fuzz writer' });
		viewer = await enrolDevice(db, { role: 'hq-viewer', mission: null, name: 'Fuzz desk' });
		admin = await enrolDevice(db, { role: 'admin', mission: null, name: 'Fuzz admin' });
		revoked = await enrolDevice(db, { mission: 'UNMISS', name: 'Fuzz revoked' });
		await revokeDevice(db, revoked.id, ACTOR);
		victim = await enrolDevice(db, { mission: OTHER_MISSION, name: 'Fuzz victim' });
		poolCode = await newPoolCode();
		revocableCodeId = (await createEnrolmentCode(db, { role: 'hq-viewer', mission: null }, ACTOR))
			.id;
		const used = await createEnrolmentCode(db, { role: 'hq-viewer', mission: null }, ACTOR);
		usedCodeId = used.id;
		await enrol(db, { code: used.code, deviceId: crypto.randomUUID(), displayName: 'Used' });
		// Something for the read routes and exports to read: an entry, a conflict on it, and
		// entries full of hostile text (control characters, lone surrogates, markup, formulas).
		const sync = syncClient(suite);
		const entry = annotation(writer);
		await sync.pushOk(writer, [mutation(writer, entry, { op: 'create' })]);
		const stored = NASTY_STRINGS.filter((text) => text.trim().length > 0).slice(0, 40);
		const hostile = await sync.pushOk(
			writer,
			stored.map((text, i) =>
				mutation(
					writer,
					annotation(writer, {
						recommendationId: `a78-19-p${39 + i}`,
						note: text,
						author: text,
						evidence: [{ label: text, url: 'https://example.org/?q=%3Cscript%3E' }]
					}),
					{ op: 'create' }
				)
			)
		);
		expect(hostile.results.map((r) => r.status)).toEqual(stored.map(() => 'applied'));
		await sync.pushOk(focal, [
			mutation(focal, { ...entry, deviceId: focal.id, note: 'Other view' }, { baseRevision: 0 })
		]);
		baseline = await dump();
		epoch = String(baseline.meta.find((row) => row.key === 'epoch')?.value);
	});

	/** The route's own token mostly; sometimes none, a broken one, or another device's. */
	function auth(right: TestDevice | null, others: TestDevice[]): fc.Arbitrary<Auth> {
		const wrong = [revoked, ...others].map((d) => ({ kind: 'token', token: d.token }) as Auth);
		return fc.oneof(
			{
				weight: right ? 10 : 1,
				arbitrary: fc.constant<Auth>(
					right ? { kind: 'token', token: right.token } : { kind: 'none' }
				)
			},
			{ weight: 1, arbitrary: fc.constant<Auth>({ kind: 'none' }) },
			{
				weight: 1,
				arbitrary: hostileAuthorization.map((value) => ({ kind: 'header', value }) as Auth)
			},
			{ weight: 1, arbitrary: fc.constantFrom(...wrong) }
		);
	}

	const ip = fc.integer({ min: 1, max: 254 }).map((n) => `198.51.100.${n}`);
	const acceptEncoding = fc.option(
		fc.constantFrom('gzip', 'gzip;q=0', '*', 'br, gzip;q=0.5', 'gzip;q=NaN', ',,,;', 'identity'),
		{ nil: undefined }
	);

	function getInput(
		path: fc.Arbitrary<string>,
		known: readonly string[],
		right: TestDevice,
		others: TestDevice[],
		plausible: readonly string[] = []
	): fc.Arbitrary<FuzzInput> {
		return fc
			.record({
				path,
				query: hostileQuery(known, plausible),
				auth: auth(right, others),
				ip,
				acceptEncoding
			})
			.map(({ path, query, ...rest }) => ({
				method: 'GET',
				path: query ? `${path}?${query}` : path,
				...rest
			}));
	}

	function bodyInput(
		method: string,
		path: fc.Arbitrary<string>,
		body: fc.Arbitrary<HostileBody>,
		right: TestDevice | null,
		others: TestDevice[]
	): fc.Arbitrary<FuzzInput> {
		return fc
			.record({ path, body, auth: auth(right, others), ip, acceptEncoding })
			.map((input) => ({ method, ...input }));
	}

	/** The body as the server would have parsed it, when it is JSON at all. */
	function parsedBody(input: FuzzInput): unknown {
		const body = input.body;
		if (!body || typeof body.body !== 'string' || body.headers['Content-Encoding'])
			return undefined;
		try {
			return JSON.parse(body.body) as unknown;
		} catch {
			return undefined;
		}
	}

	interface RouteFuzz {
		name: string;
		input: () => fc.Arbitrary<FuzzInput>;
		/**
		 * For an input the route accepted (2xx): asserts that it should have, and checks what it
		 * changed, given the dump after. Absent: the route only reads, the database must not change.
		 */
		accepted?: (input: FuzzInput, response: unknown, after: Dump) => void;
	}

	const constant = fc.constant;
	const ROUTES: RouteFuzz[] = [
		{
			name: 'POST /api/v1/enrol',
			input: () =>
				bodyInput(
					'POST',
					constant('/api/v1/enrol'),
					hostileBody({
						capBytes: SYNC_LIMITS.requestBytes,
						valid: fc.record({
							code: fc.constantFrom(POOL_CODE, 'ABCDE-23456', 'abcde 23456'),
							deviceId: fc.uuid(),
							displayName: fc.string({ minLength: 1, maxLength: 20 })
						}),
						extra: fc.record({
							code: fc.oneof(hostileString, fc.constant(POOL_CODE)),
							deviceId: fc.oneof(hostileString, fc.constantFrom(focal.id, revoked.id)),
							displayName: hostileString
						})
					}),
					null,
					[focal]
				),
			accepted: (input, response, after) => {
				const request = enrolRequestSchema.parse(parsedBody(input));
				expect(request.code.toUpperCase().replace(/[\s-]/g, '')).toBe(
					poolCode.replace(/[\s-]/g, '')
				);
				const device = after.devices.find((d) => d.id === request.deviceId);
				expect(device?.display_name, 'the name is stored as sent').toBe(request.displayName);
				expect(response).toMatchObject({ displayName: request.displayName });
			}
		},
		{
			name: 'POST /api/v1/sync/push',
			input: () => {
				const mutationId = fc.oneof(
					fc.integer({ min: 1, max: 1000 }),
					fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 52, 2 ** 31)
				);
				// Forged: written as another device, so nothing here may ever apply.
				const forged = fc
					.record({ mutationId, forgedDevice: fc.uuid(), deleted: fc.boolean() })
					.map(({ mutationId, forgedDevice, deleted }) =>
						mutation(focal, annotation(focal, { deviceId: forgedDevice, deleted }), {
							mutationId
						})
					);
				return bodyInput(
					'POST',
					constant('/api/v1/sync/push'),
					hostileBody({
						capBytes: SYNC_LIMITS.requestBytes,
						valid: fc.record({
							deviceId: constant(focal.id),
							mutations: fc.array(forged, { minLength: 1, maxLength: 3 })
						}),
						extra: fc.oneof(
							// Another device's id on the envelope.
							fc.record({
								deviceId: fc.oneof(fc.uuid(), constant(writer.id), constant(viewer.id)),
								mutations: fc.array(forged, { minLength: 1, maxLength: 2 })
							}),
							// Another mission's entry.
							forged.map((m) => ({
								deviceId: focal.id,
								mutations: [{ ...m, payload: { ...m.payload, mission: OTHER_MISSION } }]
							})),
							// More than a push may carry.
							fc.integer({ min: SYNC_LIMITS.pushBatch + 1, max: 2000 }).map((n) => ({
								deviceId: focal.id,
								mutations: Array.from({ length: n }, (_, i) => ({ mutationId: i + 1 }))
							})),
							// Ids that are not ids.
							fc.record({
								deviceId: constant(focal.id),
								mutations: fc.array(
									fc.record({ mutationId: fc.oneof(hostileString, fc.double(), fc.constant(0)) }),
									{ minLength: 1, maxLength: 3 }
								)
							})
						)
					}),
					focal,
					[viewer, admin]
				);
			},
			accepted: (_input, response, after) => {
				// Every mutation here is forged: each is refused and only settles the device's ids.
				const body = pushResponseSchema.parse(response);
				expect(body.results.map((r) => r.status)).toEqual(body.results.map(() => 'rejected'));
				const expected = structuredClone(baseline);
				const row = expected.devices.find((d) => d.id === focal.id)!;
				row.last_applied_mutation_id = after.devices.find(
					(d) => d.id === focal.id
				)!.last_applied_mutation_id;
				expect(Number(row.last_applied_mutation_id)).toBe(body.lastAppliedMutationId);
				expect(dumpDifferences(expected, after)).toEqual([]);
			}
		},
		{
			name: 'GET /api/v1/sync/pull',
			input: () =>
				getInput(
					constant('/api/v1/sync/pull'),
					['cursor', 'limit', 'mission'],
					focal,
					[viewer],
					[
						...MISSION_VALUES,
						`${epoch}.0`,
						`${epoch}.1`,
						`${epoch}.99999999`,
						`${epoch}.9999999999999999`,
						`${epoch}.-1`,
						`${epoch}.01`,
						`other-epoch.1`,
						'500',
						'501'
					]
				)
		},
		{
			name: 'POST /api/v1/sync/status',
			input: () =>
				bodyInput(
					'POST',
					constant('/api/v1/sync/status'),
					hostileBody({
						capBytes: SYNC_LIMITS.requestBytes,
						valid: fc.record({ pendingCount: fc.nat(1_000_000) }),
						extra: fc.record({
							pendingCount: fc.oneof(
								fc.integer({ min: -1e9, max: -1 }),
								fc.integer({ min: 1_000_001 }),
								fc.double({ noInteger: true }),
								hostileString
							)
						})
					}),
					focal,
					[]
				),
			accepted: (input, _response, after) => {
				const body = parsedBody(input) as { pendingCount: unknown };
				expect(Number.isInteger(body.pendingCount)).toBe(true);
				const row = after.devices.find((d) => d.id === focal.id)!;
				expect(Number(row.pending_count)).toBe(body.pendingCount);
				const expected = structuredClone(baseline);
				const before = expected.devices.find((d) => d.id === focal.id)!;
				before.pending_count = row.pending_count;
				before.pending_reported_at = row.pending_reported_at;
				expect(dumpDifferences(expected, after)).toEqual([]);
			}
		},
		...(['matrix', 'freshness'] as const).map((name) => ({
			name: `GET /api/v1/hq/${name}`,
			input: () => getInput(constant(`/api/v1/hq/${name}`), [], viewer, [focal])
		})),
		...(['conflicts', 'activity'] as const).map((name) => ({
			name: `GET /api/v1/hq/${name}`,
			input: () =>
				getInput(constant(`/api/v1/hq/${name}`), ['mission'], admin, [focal], MISSION_VALUES)
		})),
		{
			name: 'GET /api/v1/hq/recommendations/[id]',
			input: () =>
				getInput(
					fc
						.oneof(
							hostileString,
							constant('a78-19-p38'),
							fc.nat(99999).map((n) => `a78-19-p${n}`)
						)
						.map((id) => `/api/v1/hq/recommendations/${segment(id)}`),
					[],
					viewer,
					[focal]
				)
		},
		{
			name: 'GET /api/v1/hq/export.[format]',
			input: () =>
				getInput(
					fc.constantFrom(...EXPORT_FORMATS).map((format) => `/api/v1/hq/export.${format}`),
					['section', 'category', 'progress', 'mission'],
					viewer,
					[focal],
					[...SECTION_NUMERALS, 'X', 'i', ...STATUS_CATEGORIES, ...CELL_PROGRESS, ...MISSION_VALUES]
				)
		},
		...(['missions', 'codes', 'devices', 'audit'] as const).map((name) => ({
			name: `GET /api/v1/admin/${name}`,
			input: () =>
				getInput(
					constant(`/api/v1/admin/${name}`),
					name === 'audit' ? ['before', 'limit'] : [],
					admin,
					[viewer, focal],
					name === 'audit'
						? [
								'200',
								'201',
								'2025-01-01T00:00:00Z',
								'2025-01-01T00:00:00.000Z~00000000-0000-4000-8000-000000000000',
								'2025-01-01T00:00:00.000Z~x',
								'2025-01-01T00:00:00.000Z~~',
								'9999-12-31T23:59:59.999Z',
								'275760-09-13T00:00:00.000Z',
								'2025-13-45T99:99:99Z'
							]
						: []
				)
		})),
		{
			name: 'POST /api/v1/admin/missions',
			input: () =>
				bodyInput(
					'POST',
					constant('/api/v1/admin/missions'),
					hostileBody({
						capBytes: ADMIN_LIMITS.requestBytes,
						valid: fc.record({
							code: fc.stringMatching(/^[A-Z]{3,10}$/),
							name: fc.string({ minLength: 1, maxLength: 30 })
						}),
						extra: fc.record({ code: hostileString, name: hostileString })
					}),
					admin,
					[viewer, focal]
				),
			accepted: (input, _response, after) => {
				const request = createMissionRequestSchema.parse(parsedBody(input));
				expect(baseline.missions.some((m) => m.code === request.code)).toBe(false);
				const row = after.missions.find((m) => m.code === request.code);
				expect(row?.name, 'the name is stored as sent').toBe(request.name);
			}
		},
		{
			name: 'PATCH /api/v1/admin/missions/[code]',
			input: () =>
				bodyInput(
					'PATCH',
					fc
						.oneof(
							{ weight: 3, arbitrary: constant(FUZZ_MISSION) },
							{
								weight: 2,
								// Never a mission the other routes' devices belong to.
								arbitrary: hostileString.filter((s) => !['UNMISS', OTHER_MISSION].includes(s))
							}
						)
						.map((code) => `/api/v1/admin/missions/${segment(code)}`),
					hostileBody({
						capBytes: ADMIN_LIMITS.requestBytes,
						valid: fc.record(
							{ name: fc.string({ minLength: 1, maxLength: 30 }), retired: constant(true) },
							{ requiredKeys: [] }
						),
						extra: fc.record({
							name: hostileString,
							retired: fc.oneof(fc.boolean(), hostileString)
						})
					}),
					admin,
					[viewer, focal]
				),
			accepted: (input, _response, after) => {
				expect(input.path).toBe(`/api/v1/admin/missions/${FUZZ_MISSION}`);
				const request = updateMissionRequestSchema.parse(parsedBody(input));
				const row = after.missions.find((m) => m.code === FUZZ_MISSION);
				if (request.name !== undefined) expect(row?.name).toBe(request.name);
				if (request.retired) expect(row?.retired_at).not.toBeNull();
			}
		},
		{
			name: 'POST /api/v1/admin/codes',
			input: () =>
				bodyInput(
					'POST',
					constant('/api/v1/admin/codes'),
					hostileBody({
						capBytes: ADMIN_LIMITS.requestBytes,
						valid: fc.record(
							{
								role: fc.constantFrom('focal-point', 'hq-viewer', 'admin'),
								mission: fc.constantFrom(FUZZ_MISSION, OTHER_MISSION, null),
								expiresDays: fc.integer({ min: 1, max: 90 }),
								note: fc.string({ maxLength: 30 })
							},
							{ requiredKeys: ['role', 'mission'] }
						),
						extra: fc.record({
							role: fc.oneof(hostileString, fc.constantFrom('focal-point', 'admin')),
							mission: fc.oneof(
								hostileString,
								fc.constantFrom('ZZZZZZ', FUZZ_MISSION, OTHER_MISSION, null)
							),
							expiresDays: fc.oneof(fc.integer(), fc.double(), hostileString),
							note: hostileString
						})
					}),
					admin,
					[viewer, focal]
				),
			accepted: (input, response, after) => {
				const request = createCodeRequestSchema.parse(parsedBody(input));
				const { id } = response as { id: string };
				const row = after.enrolment_codes.find((c) => c.id === id);
				expect(row?.note ?? null, 'the note is stored as sent').toBe(request.note || null);
				expect(row?.mission ?? null).toBe(request.mission ?? null);
			}
		},
		{
			name: 'POST /api/v1/admin/codes/[id]/revoke',
			input: () =>
				bodyInput(
					'POST',
					fc
						.oneof(hostileString, fc.uuid(), constant(revocableCodeId), constant(usedCodeId))
						.map((id) => `/api/v1/admin/codes/${segment(id)}/revoke`),
					hostileBody({ capBytes: ADMIN_LIMITS.requestBytes, valid: fc.constant({}) }),
					admin,
					[viewer, focal]
				),
			accepted: (input, response, after) => {
				expect(input.path).toBe(`/api/v1/admin/codes/${revocableCodeId}/revoke`);
				expect(response).toEqual({ id: revocableCodeId });
				expect(
					after.enrolment_codes.find((c) => c.id === revocableCodeId)?.revoked_at
				).toBeTruthy();
			}
		},
		{
			name: 'POST /api/v1/admin/devices/[id]/revoke',
			input: () =>
				bodyInput(
					'POST',
					fc
						.oneof(
							hostileString,
							fc.uuid(),
							constant(victim.id),
							constant(admin.id),
							constant(admin.id.toUpperCase())
						)
						.map((id) => `/api/v1/admin/devices/${segment(id)}/revoke`),
					hostileBody({ capBytes: ADMIN_LIMITS.requestBytes, valid: fc.constant({}) }),
					admin,
					[viewer, focal]
				),
			accepted: (input, response, after) => {
				// The victim, or a device the enrolment fuzzing enrolled under a nasty (valid) id.
				const id = decodeURIComponent(input.path.split('/')[5]);
				expect(baseline.devices.some((d) => d.id === id && d.id !== admin.id)).toBe(true);
				expect(response).toMatchObject({ id });
				expect(after.devices.find((d) => d.id === id)?.revoked_at).toBeTruthy();
			}
		}
	];

	/** The input as sent: POOL_CODE replaced by the code currently unused. */
	function materialise(input: FuzzInput): FuzzInput {
		const body = input.body;
		if (!body || typeof body.body !== 'string' || !body.body.includes(`"${POOL_CODE}"`)) {
			return input;
		}
		return {
			...input,
			body: { ...body, body: body.body.replaceAll(`"${POOL_CODE}"`, JSON.stringify(poolCode)) }
		};
	}

	async function send(input: FuzzInput): Promise<Response> {
		const headers: Record<string, string> = { ...input.body?.headers };
		if (input.acceptEncoding) headers['Accept-Encoding'] = input.acceptEncoding;
		if (input.auth.kind === 'header') headers.Authorization = input.auth.value;
		return call(suite().context, input.method, input.path, {
			rawBody: input.body?.body,
			headers,
			token: input.auth.kind === 'token' ? input.auth.token : undefined,
			ip: input.ip
		});
	}

	async function readAnswer(response: Response): Promise<unknown> {
		const type = response.headers.get('content-type') ?? '';
		if (!type.startsWith('application/json')) {
			await response.arrayBuffer();
			return undefined;
		}
		return bodyOf(response);
	}

	it.each(ROUTES.map((route, index) => [route.name, route, index] as const))(
		'%s: a 4xx with a JSON message and nothing changed, never a 5xx',
		async (_name, route, index) => {
			await fc.assert(
				fc.asyncProperty(route.input(), async (generated) => {
					const input = materialise(generated);
					const what = describeInput(input);
					const response = await send(input);
					stats.record(`${route.name} [${suite().backend.name}]`, response.status);
					expect(response.status, what).toBeLessThan(500);
					const answer = await readAnswer(response);
					const after = await dump();
					if (response.status >= 400 || !route.accepted) {
						if (response.status >= 400) {
							expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
							const error = apiErrorSchema.parse(answer);
							expect(error.message.length, what).toBeGreaterThan(10);
						} else {
							expect(response.status, what).toBeLessThan(400);
						}
						stats.databaseChecks++;
						expect(dumpDifferences(baseline, after), what).toEqual([]);
						return;
					}
					// Accepted: only what the route's rules allow, and the change is what was asked.
					try {
						route.accepted(input, answer, after);
					} finally {
						baseline = after;
						if (input.body !== generated.body) {
							poolCode = await newPoolCode();
							baseline = await dump();
						}
					}
					stats.acceptedChanges++;
				}),
				{ numRuns: RUNS, seed: FUZZ_SEED + index, endOnFailure: false }
			);
		},
		30 * 60_000
	);

	it(
		'keeps hostile text of an accepted entry byte for byte (NUL, lone surrogates, RTL, HTML, SQL)',
		async () => {
			const sync = syncClient(suite);
			const nonEmpty = hostileString.filter((s) => s.trim().length > 0);
			await fc.assert(
				fc.asyncProperty(
					fc.record({
						note: hostileString,
						author: nonEmpty,
						label: nonEmpty,
						symbol: fc.option(hostileString, { nil: undefined })
					}),
					async ({ note, author, label, symbol }) => {
						const entry = annotation(writer, {
							id: uuidv7(),
							note,
							author,
							evidence: [{ label, ...(symbol === undefined ? {} : { symbol }) }]
						});
						const sent = mutation(writer, entry, { op: 'create' });
						const parsed = mutationSchema.safeParse(sent);
						const { status, body } = await sync.push(writer, [sent]);
						stats.record(`push of hostile text [${suite().backend.name}]`, status);
						expect(status).toBe(200);
						const [result] = pushResponseSchema.parse(body).results;
						if (!parsed.success) {
							expect(result.status).toBe('rejected');
							return;
						}
						expect(result.status).toBe('applied');
						stats.acceptedChanges++;
						const row = await suite()
							.db.selectFrom('annotations')
							.select('data')
							.where('id', '=', entry.id)
							.executeTakeFirstOrThrow();
						const stored = JSON.parse(row.data) as typeof entry;
						expect(stored.note).toBe(parsed.data.payload.note);
						expect(stored.author).toBe(parsed.data.payload.author);
						expect(stored.evidence).toEqual(parsed.data.payload.evidence);
					}
				),
				{ numRuns: RUNS, seed: FUZZ_SEED + ROUTES.length }
			);
			baseline = await dump();
		},
		30 * 60_000
	);
});
