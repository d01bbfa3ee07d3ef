import { expect, it } from 'vitest';
import { apiErrorSchema, enrolResponseSchema } from '../../src/lib/shared/sync';
import { createEnrolmentCode } from '../../src/lib/server/admin/codes';
import { createMission, updateMission } from '../../src/lib/server/admin/missions';
import { AppError } from '../../src/lib/server/errors';
import { dumpDatabase, dumpDifferences } from './dump';
import { ACTOR, describeEachBackend, enrolDevice } from './fixtures';
import { bodyOf, call } from './harness';

/*
 * Found by the fuzz tests (fuzz.test.ts): names and notes the server keeps in a text column as
 * they came. A NUL made PostgreSQL fail the request with a 500; an unpaired surrogate was stored
 * as U+FFFD on both backends, so the name kept was not the name sent. Both are now a 400 that
 * changes nothing, and any other Unicode is kept exactly.
 */

const UNSTORABLE = ['a\u0000b', '\u0000', 'x\uD800y', '\uDFFF', 'end\uDBFF'];
const KEPT = [
	'مهمة حفظ السلام',
	'\u202Eevil\u202C',
	'zero\u200Bwidth',
	'👩🏽‍⚕️🇺🇳',
	"'; DROP TABLE x; --"
];

describeEachBackend('names and notes with characters a database cannot keep', (suite) => {
	const fresh = () => {
		const letters = crypto.getRandomValues(new Uint8Array(6));
		return 'H' + [...letters].map((n) => String.fromCharCode(65 + (n % 26))).join('');
	};

	async function expectRefused(response: Response, error: string, before: unknown) {
		expect(response.status).toBe(400);
		const body = apiErrorSchema.parse(await bodyOf(response));
		expect(body.error).toBe(error);
		expect(body.message).toMatch(/NUL characters or unpaired surrogates/);
		const { db, backend } = suite();
		expect(dumpDifferences(before as never, await dumpDatabase(db, backend.name))).toEqual([]);
	}

	it('refuses them in a display name at enrolment, keeps any other text as sent', async () => {
		const { db, backend, context } = suite();
		for (const displayName of UNSTORABLE) {
			const { code } = await createEnrolmentCode(db, { role: 'hq-viewer', mission: null }, ACTOR);
			const before = await dumpDatabase(db, backend.name);
			const response = await call(context, 'POST', '/api/v1/enrol', {
				body: { code, deviceId: crypto.randomUUID(), displayName }
			});
			await expectRefused(response, 'invalid-request', before);
		}
		for (const displayName of KEPT) {
			const { code } = await createEnrolmentCode(db, { role: 'hq-viewer', mission: null }, ACTOR);
			const deviceId = crypto.randomUUID();
			const response = await call(context, 'POST', '/api/v1/enrol', {
				body: { code, deviceId, displayName }
			});
			expect(enrolResponseSchema.parse(await bodyOf(response)).displayName).toBe(displayName);
			const row = await db
				.selectFrom('devices')
				.select('display_name')
				.where('id', '=', deviceId)
				.executeTakeFirstOrThrow();
			expect(row.display_name).toBe(displayName);
		}
	});

	it('refuses them in mission names and code notes, from the web and the command line', async () => {
		const { db, backend, context } = suite();
		const admin = await enrolDevice(db, { role: 'admin', mission: null });
		const target = fresh();
		await createMission(db, { code: target, name: 'Target' }, ACTOR);
		for (const text of UNSTORABLE) {
			let before = await dumpDatabase(db, backend.name);
			await expectRefused(
				await call(context, 'POST', '/api/v1/admin/missions', {
					token: admin.token,
					body: { code: fresh(), name: text }
				}),
				'invalid-request',
				before
			);
			await expectRefused(
				await call(context, 'PATCH', `/api/v1/admin/missions/${target}`, {
					token: admin.token,
					body: { name: text }
				}),
				'invalid-request',
				before
			);
			await expectRefused(
				await call(context, 'POST', '/api/v1/admin/codes', {
					token: admin.token,
					body: { role: 'hq-viewer', note: text }
				}),
				'invalid-request',
				before
			);
			before = await dumpDatabase(db, backend.name);
			await expect(createMission(db, { code: fresh(), name: text }, ACTOR)).rejects.toThrow(
				AppError
			);
			await expect(updateMission(db, target, { name: text }, ACTOR)).rejects.toThrow(AppError);
			await expect(
				createEnrolmentCode(db, { role: 'hq-viewer', mission: null, note: text }, ACTOR)
			).rejects.toThrow(AppError);
			expect(dumpDifferences(before, await dumpDatabase(db, backend.name))).toEqual([]);
		}
		for (const text of KEPT) {
			const code = fresh();
			const created = await call(context, 'POST', '/api/v1/admin/missions', {
				token: admin.token,
				body: { code, name: text }
			});
			expect(created.status).toBe(201);
			const row = await db
				.selectFrom('missions')
				.select('name')
				.where('code', '=', code)
				.executeTakeFirstOrThrow();
			expect(row.name).toBe(text);
		}
	});
});
