import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import type { FieldMatrixDatabase } from '$lib/client/db';
import {
	createAnnotation,
	deleteAnnotation,
	updateAnnotation
} from '$lib/client/annotations/annotation-store';
import { SaveError } from '$lib/client/annotations/errors';
import { classify } from '$lib/client/annotations/resilient-write';
import { saveDraft } from '$lib/client/annotations/drafts';
import {
	DATASET_VERSION,
	RECOMMENDATION,
	snapshotTables,
	useFreshDatabases,
	validInput,
	withProfile
} from '../fixtures/annotation-db';

const databases = useFreshDatabases('resilient');

function create(db: FieldMatrixDatabase) {
	return createAnnotation(db, {
		recommendationId: RECOMMENDATION,
		datasetVersion: DATASET_VERSION,
		input: validInput()
	});
}

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** Makes `method` of a table fail `times` times with `error()`, then behave again. */
function failing<T extends object>(table: T, method: keyof T, error: () => unknown, times = 1) {
	const original = table[method] as (...args: unknown[]) => unknown;
	let left = times;
	const spy = vi.spyOn(table, method as never).mockImplementation(((...args: unknown[]) => {
		if (left-- > 0) return Promise.reject(error());
		return original.apply(table, args);
	}) as never);
	return spy;
}

describe('a write is all or nothing', () => {
	it('leaves neither entry nor mutation when the outbox write fails after the entry write', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const saved = await create(db);
		const before = await snapshotTables(db);

		// Runs inside the transaction, after annotations.put and before the outbox row exists.
		let entryWritten = false;
		const injected = () => {
			entryWritten = true;
			throw new Error('injected between the entry and the outbox write');
		};
		db.annotations.hook('creating', () => void (entryWritten = true));
		db.outbox.hook('creating', injected);

		await expect(create(db)).rejects.toThrow(SaveError);
		await expect(updateAnnotation(db, saved.id, validInput({ note: 'x' }))).rejects.toThrow(
			SaveError
		);
		expect(entryWritten).toBe(true);
		expect(await snapshotTables(db)).toEqual(before);

		db.outbox.hook('creating').unsubscribe(injected);
		await expect(create(db)).resolves.toBeDefined();
	});

	it('leaves nothing when the history write fails last', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const before = await snapshotTables(db);
		failing(db.history, 'add', () => new Error('boom'));
		const error = await create(db).catch((e: unknown) => e);
		expect(error).toMatchObject({ name: 'SaveError', kind: 'unknown' });
		expect(await snapshotTables(db)).toEqual(before);
	});
});

describe('storage full', () => {
	const variants: [string, () => unknown][] = [
		['a QuotaExceededError', quota],
		['Dexie.QuotaExceededError', () => new Dexie.QuotaExceededError('full')],
		['an AbortError wrapping the quota', () => new Dexie.AbortError('aborted', quota())]
	];
	for (const [what, error] of variants) {
		it(`surfaces ${what} as SaveError 'quota' and writes nothing`, async () => {
			const db = databases.fresh();
			await withProfile(db);
			const saved = await create(db);
			const before = await snapshotTables(db);
			failing(db.outbox, 'add', error, Infinity);

			const result = await deleteAnnotation(db, saved.id).catch((e: unknown) => e);
			expect(result).toBeInstanceOf(SaveError);
			expect(result).toMatchObject({ kind: 'quota' });
			expect(await snapshotTables(db)).toEqual(before);
			// What was saved before is intact.
			expect(await db.annotations.get(saved.id)).toEqual(saved);
		});
	}

	it('is not retried', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const spy = failing(db.annotations, 'put', quota, Infinity);
		await expect(create(db)).rejects.toMatchObject({ kind: 'quota' });
		expect(spy).toHaveBeenCalledTimes(1);
	});

	it('also for drafts', async () => {
		const db = databases.fresh();
		failing(db.drafts, 'put', quota);
		const draft = { status: '', note: 'typed', evidence: [], progressDate: '' };
		await expect(saveDraft(db, 'a78-19-p38:new', draft)).rejects.toMatchObject({ kind: 'quota' });
	});
});

describe('database closed under the app', () => {
	it('reopens and retries once when the browser closed the database', async () => {
		const db = databases.fresh();
		await withProfile(db);
		db.close(); // as a mobile browser does with a backgrounded tab
		const open = vi.spyOn(db, 'open');
		const entry = await create(db);
		expect(open).toHaveBeenCalledTimes(1);
		expect(await db.annotations.get(entry.id)).toEqual(entry);
		expect(await db.outbox.count()).toBe(1);
	});

	it('retries the whole transaction after a DatabaseClosedError midway', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const spy = failing(db.outbox, 'add', () => new Dexie.DatabaseClosedError(), 1);
		const entry = await create(db);
		expect(spy).toHaveBeenCalledTimes(2);
		expect(await db.annotations.toArray()).toEqual([entry]);
		expect((await db.outbox.toArray()).map((m) => m.mutationId)).toEqual([1]);
		expect(await db.history.count()).toBe(1);
	});

	it('retries after an InvalidStateError', async () => {
		const db = databases.fresh();
		await withProfile(db);
		failing(db.annotations, 'put', () => new DOMException('closing', 'InvalidStateError'), 1);
		await expect(create(db)).resolves.toBeDefined();
		expect(await db.outbox.count()).toBe(1);
	});

	it("gives up after one retry with SaveError 'closed', having written nothing", async () => {
		const db = databases.fresh();
		await withProfile(db);
		const before = await snapshotTables(db);
		const spy = failing(db.outbox, 'add', () => new Dexie.DatabaseClosedError(), Infinity);
		await expect(create(db)).rejects.toMatchObject({ name: 'SaveError', kind: 'closed' });
		expect(spy).toHaveBeenCalledTimes(2);
		expect(await snapshotTables(db)).toEqual(before);
	});
});

describe('classify', () => {
	it('recognises what browsers and Dexie throw', () => {
		expect(classify(quota())).toBe('quota');
		expect(classify(new Dexie.BulkError('bulk', { 0: quota() }))).toBe('quota');
		expect(classify(new DOMException('', 'NS_ERROR_DOM_QUOTA_REACHED'))).toBe('quota');
		expect(classify(new Dexie.OpenFailedError('open', new Dexie.DatabaseClosedError()))).toBe(
			'closed'
		);
		const safari = new DOMException(
			'Connection to Indexed Database server lost. Refresh the page to try again',
			'UnknownError'
		);
		expect(classify(safari)).toBe('closed');
		expect(classify(new TypeError('bug'))).toBe('unknown');
		expect(classify(new SaveError('quota'))).toBeUndefined();
	});
});
