import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteWriter, type WriteUnit } from '../../src/lib/server/db/sqlite-writer';

/**
 * The SQLite writer thread (src/lib/server/db/sqlite-writer.ts): units share commits, each keeps
 * its own outcome, and none is reported committed before its group's COMMIT returned.
 */
describe('SQLite writer thread', () => {
	let dir: string;
	let path: string;
	let writer: SqliteWriter;

	/** What another connection sees: only what was committed. */
	const committedNames = () => {
		const db = new Sqlite(path, { readonly: true });
		try {
			return (db.prepare('select name from items order by name').all() as { name: string }[]).map(
				(row) => row.name
			);
		} finally {
			db.close();
		}
	};
	const insert = (unit: WriteUnit, name: string) =>
		unit.query('insert into items (name) values (?)', [name]);

	beforeEach(async () => {
		dir = mkdtempSync(join(tmpdir(), 'fieldmatrix-writer-'));
		path = join(dir, 'test.sqlite');
		writer = new SqliteWriter(path);
		const unit = await writer.begin();
		await unit.query('create table items (name text primary key)', []);
		await unit.commit();
	});
	afterEach(async () => {
		await writer.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('answers a unit only after its group committed, and commits the units waiting with it', async () => {
		const first = await writer.begin();
		// Queued while the first runs: it joins the first's group.
		const secondStarted = writer.begin();
		await insert(first, 'a');
		let firstCommitted = false;
		const firstDone = first.commit().then(() => (firstCommitted = true));

		const second = await secondStarted;
		await insert(second, 'b');
		// The first unit has ended but its group is open (the second is running): not committed,
		// not visible, not acknowledged.
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(firstCommitted).toBe(false);
		expect(committedNames()).toEqual([]);

		await second.commit();
		await firstDone;
		expect(committedNames()).toEqual(['a', 'b']);
	});

	it('rolls back a failing unit alone; the others of its group commit', async () => {
		const units = await Promise.allSettled(
			['a', 'b', 'a', 'c'].map(async (name) => {
				const unit = await writer.begin();
				try {
					// The second 'a' breaks the primary key.
					await insert(unit, `${name}-1`);
					await insert(unit, name);
				} catch (error) {
					await unit.rollback();
					throw error;
				}
				await unit.commit();
			})
		);
		expect(units.map((u) => u.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
		expect((units[2] as PromiseRejectedResult).reason).toMatchObject({
			code: 'SQLITE_CONSTRAINT_PRIMARYKEY'
		});
		// Nothing of the failed unit, not even its first statement.
		expect(committedNames()).toEqual(['a', 'a-1', 'b', 'b-1', 'c', 'c-1']);
	});

	it('runs many overlapping units one at a time, each whole', async () => {
		// Each chain starts its next unit the moment the last one is answered, so begin() is
		// called while the writer is being handed from one unit to the next.
		const chains = Array.from({ length: 20 }, async (_, chain) => {
			for (let round = 0; round < 5; round++) {
				const unit = await writer.begin();
				for (const part of ['x', 'y', 'z']) await insert(unit, `${chain}-${round}-${part}`);
				await unit.commit();
			}
		});
		await Promise.all(chains);
		expect(committedNames()).toHaveLength(20 * 5 * 3);
	});

	it('fails every unit of a group the writer thread lost, and carries on with a new one', async () => {
		const first = await writer.begin();
		const secondStarted = writer.begin();
		await insert(first, 'lost-1');
		const firstDone = first.commit();
		const second = await secondStarted;
		await insert(second, 'lost-2');

		// The thread dies with the group open (a crash, or the process killed).
		writer.crashForTests();
		await expect(firstDone).rejects.toThrow();
		// The unit still running may not write on (it would land outside any transaction).
		await expect(insert(second, 'lost-3')).rejects.toThrow();
		await expect(second.commit()).rejects.toThrow();

		const after = await writer.begin();
		await insert(after, 'kept');
		await after.commit();
		expect(committedNames()).toEqual(['kept']);
	});
});
