import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createAnnotation } from '$lib/client/annotations/annotation-store';
import { readSyncCounters } from '$lib/client/annotations/device-state';
import { getProfile } from '$lib/client/annotations/profile';
import { readSyncStatus } from '$lib/client/sync/status';
import {
	DATASET_VERSION,
	RECOMMENDATION,
	useFreshDatabases,
	validInput,
	withProfile
} from '../fixtures/annotation-db';
import { readV2Rows, writeV2Database } from '../fixtures/v2-database';

const databases = useFreshDatabases('sync-upgrade');

describe('the v2 → v3 upgrade', () => {
	it('keeps entries, outbox, history and device state, and adds the sync tables', async () => {
		// Written by today's code, then read back as the v2 app would have stored it.
		const source = databases.fresh();
		await withProfile(source);
		const entry = await createAnnotation(source, {
			recommendationId: RECOMMENDATION,
			datasetVersion: DATASET_VERSION,
			input: validInput()
		});
		const rows = await readV2Rows(source);
		const name = `sync-upgrade-${crypto.randomUUID()}`;
		await writeV2Database(name, rows);

		const db = databases.fresh(name);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.annotations.get(entry.id)).toEqual(entry);
		expect(await db.outbox.count()).toBe(1);
		expect(await db.history.count()).toBe(1);
		expect(await getProfile(db)).toEqual(await getProfile(source));
		expect(await readSyncCounters(db)).toEqual(await readSyncCounters(source));
		for (const table of ['conflicts', 'rejected', 'parked'] as const) {
			expect(await db[table].count()).toBe(0);
		}
		expect(await db.conflicts.where('state').equals('open').count()).toBe(0);
		expect(await readSyncStatus(db)).toMatchObject({ state: 'not-enrolled', pending: 1 });
	});
});
