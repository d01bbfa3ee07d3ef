import { pullResponseSchema, type Change } from '../../src/lib/shared/sync';
import { allocatePort, createServer, expect, test, type AppServer } from './fixtures';
import { POSTGRES_ADMIN_URL, postgresReachable, scratchDatabase } from '../postgres-admin';
import { apiDevice, newEntry, pushChanges, type ApiDevice } from './phone';

/*
 * Several app processes on one PostgreSQL (README "Deploy"): two real `node` servers share a
 * database while devices push through both at once and a third device keeps pulling from one of
 * them with its cursor. The pull must miss nothing, even though the two processes commit in an
 * order of their own (the change log's sequence is handed out in commit order: push.ts 7).
 */

const DEVICES = 8;
const BATCHES = 6;
const PER_BATCH = 10;

async function pullPage(server: AppServer, device: ApiDevice, cursor: string | null) {
	const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
	const response = await fetch(`${server.url}/api/v1/sync/pull${query}`, {
		headers: { Authorization: `Bearer ${device.token}` }
	});
	if (!response.ok) throw new Error(`pull ${response.status}: ${await response.text()}`);
	return pullResponseSchema.parse(await response.json());
}

// eslint-disable-next-line no-empty-pattern -- no fixture: this test starts its own two servers
test('two server processes on one PostgreSQL: a pull during concurrent pushes misses nothing', async ({}, testInfo) => {
	test.setTimeout(180_000);
	const reachable = await postgresReachable();
	if (!reachable && process.env.REQUIRE_POSTGRES === '1') {
		throw new Error(`PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} and REQUIRE_POSTGRES=1`);
	}
	test.skip(!reachable, `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}: skipped`);

	const database = await scratchDatabase('fieldmatrix_e2e');
	const env = { DATABASE_URL: database.url };
	const a = createServer(allocatePort(testInfo.workerIndex), 'build', env);
	const b = createServer(allocatePort(testInfo.workerIndex), 'build', env);
	try {
		await a.start(); // migrates the new database
		await b.start();

		const writers: ApiDevice[] = [];
		for (let i = 0; i < DEVICES; i++) {
			writers.push(await apiDevice(i % 2 ? b : a, 'MINUSCA', `Writer ${i}`));
		}
		const reader = await apiDevice(b, 'MINUSCA', 'Reader');

		// The reader pulls with its cursor, from process B, for as long as the pushes last.
		const seen = new Map<string, Change>();
		let cursor: string | null = null;
		let pushing = true;
		let pulls = 0;
		const drain = async () => {
			for (;;) {
				const page = await pullPage(b, reader, cursor);
				pulls++;
				for (const change of page.changes) {
					if (change.kind === 'annotation') seen.set(change.annotation.id, change);
				}
				cursor = page.cursor;
				if (!page.hasMore) return;
			}
		};
		const reading = (async () => {
			while (pushing) {
				await drain();
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			await drain();
		})();

		// Every writer pushes its batches one after another, through both processes in turn.
		const written = new Set<string>();
		await Promise.all(
			writers.map(async (writer, w) => {
				for (let batch = 0; batch < BATCHES; batch++) {
					const entries = Array.from({ length: PER_BATCH }, (_, i) =>
						newEntry(writer, {
							recommendationId: 'a78-19-p38',
							status: 'in-progress',
							note: `writer ${w}, batch ${batch}, entry ${i}`,
							progressDate: '2025-11-04'
						})
					);
					const results = await pushChanges((w + batch) % 2 ? b : a, writer, [
						...entries.map((entry) => ({ op: 'create' as const, entry, baseRevision: 0 }))
					]);
					expect(results.every((result) => result.status === 'applied')).toBe(true);
					for (const entry of entries) written.add(entry.id);
				}
			})
		);
		pushing = false;
		await reading;

		expect(written.size).toBe(DEVICES * BATCHES * PER_BATCH);
		expect(pulls).toBeGreaterThan(1);
		const missed = [...written].filter((id) => !seen.has(id));
		expect(missed, 'entries the incremental pull skipped').toEqual([]);
		expect(seen.size).toBe(written.size);
	} finally {
		await a.stop();
		await b.stop();
		await database.drop();
	}
});
