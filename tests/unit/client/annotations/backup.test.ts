import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { FieldMatrixDatabase } from '$lib/client/db';
import {
	createAnnotation,
	deleteAnnotation,
	updateAnnotation
} from '$lib/client/annotations/annotation-store';
import {
	exportBackup,
	importBackup,
	MAX_BACKUP_BYTES,
	parseBackupFile,
	type Backup
} from '$lib/client/annotations/backup';
import { readSyncCounters, writeSyncCounters } from '$lib/client/annotations/device-state';
import { BackupError } from '$lib/client/annotations/errors';
import { getProfile } from '$lib/client/annotations/profile';
import { uuidv7 } from '$lib/client/annotations/uuid';
import {
	DATASET_VERSION,
	snapshotTables,
	useFreshDatabases,
	validInput,
	withProfile
} from '../fixtures/annotation-db';

const databases = useFreshDatabases('backup');

function write(db: FieldMatrixDatabase, recommendationId = 'a78-19-p38') {
	return createAnnotation(db, {
		recommendationId,
		datasetVersion: DATASET_VERSION,
		input: validInput()
	});
}

/** A device with some history: three entries, an update, a delete, two already synced. */
async function populated(): Promise<FieldMatrixDatabase> {
	const db = databases.fresh();
	await withProfile(db);
	const a = await write(db);
	await write(db, 'a78-19-p39');
	await db.outbox.clear(); // synced
	await writeSyncCounters(db, {
		nextMutationId: 3,
		lastSyncedMutationId: 2,
		lastSyncedAt: '2024-11-01T10:00:00.000Z'
	});
	await updateAnnotation(db, a.id, validInput({ status: 'implemented' }));
	const c = await write(db, 'a78-19-p40');
	await deleteAnnotation(db, c.id);
	return db;
}

/** Through JSON, as a file would carry it. */
const asFile = (backup: Backup): unknown => JSON.parse(JSON.stringify(backup));
const withoutTime = (backup: Backup) => ({ ...backup, exportedAt: undefined });

describe('exporting', () => {
	it('writes everything the focal point wrote, and nothing secret', async () => {
		const db = await populated();
		const backup = await exportBackup(db);
		expect(backup).toMatchObject({
			format: 'fieldmatrix-backup',
			version: 1,
			profile: await getProfile(db),
			device: { nextMutationId: 6, lastSyncedMutationId: 2 }
		});
		expect(backup.annotations).toHaveLength(3);
		expect(backup.outbox.map((m) => m.mutationId)).toEqual([3, 4, 5]);
		expect(backup.history).toHaveLength(5);
		expect(backup.history[0]).not.toHaveProperty('id');
		expect(asFile(backup)).toEqual(backup);
	});
});

describe('importing', () => {
	it('restores onto an empty device exactly (export again is identical but for exportedAt)', async () => {
		const source = await populated();
		const backup = await exportBackup(source);
		const target = databases.fresh();
		const result = await importBackup(target, asFile(backup));
		expect(result).toEqual({
			added: 3,
			updated: 0,
			unchanged: 0,
			mutationsAdded: 3,
			mutationsRenumbered: 0,
			historyAdded: 5,
			profileAdopted: true
		});
		expect(withoutTime(await exportBackup(target))).toEqual(withoutTime(backup));
		// The restored device carries on the same sequence.
		const next = await write(target);
		expect((await target.outbox.get(6))?.annotationId).toBe(next.id);
	});

	it('is idempotent: the same file twice adds nothing the second time', async () => {
		const source = await populated();
		const file = asFile(await exportBackup(source));
		const target = databases.fresh();
		await importBackup(target, file);
		const before = await snapshotTables(target);
		expect(await importBackup(target, file)).toEqual({
			added: 0,
			updated: 0,
			unchanged: 3,
			mutationsAdded: 0,
			mutationsRenumbered: 0,
			historyAdded: 0,
			profileAdopted: false
		});
		expect(await snapshotTables(target)).toEqual(before);
		// Importing a device's own backup into itself changes nothing either.
		const own = await snapshotTables(source);
		await importBackup(source, file);
		expect(await snapshotTables(source)).toEqual(own);
	});

	it('replaces an entry only with a newer version of it', async () => {
		const db = await populated();
		const old = asFile(await exportBackup(db));
		const [entry] = await db.annotations.toArray();
		const edited = await updateAnnotation(db, entry.id, validInput({ note: 'newer on device' }));
		const result = await importBackup(db, old);
		expect(result).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
		expect(await db.annotations.get(entry.id)).toEqual(edited);

		// The other way round: the file is newer (or same time, higher server revision).
		const newer = asFile(await exportBackup(db)) as Backup;
		const target = databases.fresh();
		await importBackup(target, old);
		expect(await importBackup(target, newer)).toMatchObject({ added: 0, updated: 1 });
		expect(await target.annotations.get(entry.id)).toEqual(edited);
		const bumped = { ...newer, annotations: newer.annotations.map((a) => ({ ...a, revision: 9 })) };
		expect(await importBackup(target, bumped)).toMatchObject({ updated: 3 });
	});

	it('renumbers this device’s mutations that collide with ids used since, after the counter', async () => {
		const db = databases.fresh();
		await withProfile(db);
		await write(db);
		const earlier = asFile(await exportBackup(db)) as Backup; // outbox: 1
		await write(db);
		const later = asFile(await exportBackup(db)) as Backup; // outbox: 1, 2
		// The device is reset to the earlier backup and the user writes again: a different 2.
		const reset = databases.fresh();
		await importBackup(reset, earlier);
		const other = await write(reset);
		expect((await reset.outbox.get(2))?.annotationId).toBe(other.id);

		const result = await importBackup(reset, later);
		expect(result).toMatchObject({ added: 1, mutationsAdded: 1, mutationsRenumbered: 1 });
		const outbox = await reset.outbox.orderBy('mutationId').toArray();
		expect(outbox.map((m) => m.mutationId)).toEqual([1, 2, 3]);
		expect(outbox[2].opId).toBe(later.outbox[1].opId);
		expect(new Set(outbox.map((m) => m.opId)).size).toBe(3);
		expect((await readSyncCounters(reset)).nextMutationId).toBe(4);
		expect(
			(await write(reset)) && (await reset.outbox.orderBy('mutationId').last())?.mutationId
		).toBe(4);
	});

	it('takes in another device’s unsent changes under this device’s sequence', async () => {
		const other = await populated();
		const file = asFile(await exportBackup(other)) as Backup;
		const db = databases.fresh();
		const profile = await withProfile(db, 'UNMISS', 'Jean');
		await write(db);
		const result = await importBackup(db, file);
		expect(result).toMatchObject({ added: 3, mutationsAdded: 3, mutationsRenumbered: 3 });
		const outbox = await db.outbox.orderBy('mutationId').toArray();
		expect(outbox.map((m) => [m.mutationId, m.deviceId])).toEqual(
			[1, 2, 3, 4].map((id) => [id, profile.deviceId])
		);
		// Sent by this device (the server takes only its own), but not re-attributed: the entries
		// keep their author and mission, and their opIds (so the server knows a change it has).
		expect(outbox.slice(1).every((m) => m.payload.deviceId === profile.deviceId)).toBe(true);
		expect(outbox.slice(1).every((m) => m.payload.author === 'Amina Focal')).toBe(true);
		expect(outbox.slice(1).map((m) => m.opId)).toEqual(file.outbox.map((m) => m.opId));
		expect(await getProfile(db)).toEqual(profile);
		expect(await readSyncCounters(db)).toMatchObject({
			nextMutationId: 5,
			lastSyncedMutationId: 0
		});
	});
});

describe('a bad backup', () => {
	async function refused(file: unknown, message: RegExp, path?: string) {
		const db = await populated();
		const before = await snapshotTables(db);
		const importing = importBackup(db, file);
		await expect(importing).rejects.toThrow(BackupError);
		await expect(importing).rejects.toMatchObject({
			kind: 'invalid',
			message: expect.stringMatching(message)
		});
		if (path) await expect(importing).rejects.toMatchObject({ path });
		expect(await snapshotTables(db)).toEqual(before);
	}

	it('is refused whole with the first bad place named, and changes nothing', async () => {
		const good = asFile(await exportBackup(await populated())) as Backup;
		const badNote = structuredClone(good);
		badNote.annotations[2].note = 'x'.repeat(5000);
		await refused(badNote, /annotations\[2\]\.note/, 'annotations[2].note');

		const badUrl = structuredClone(good);
		badUrl.outbox[1].payload.evidence[1].url = 'javascript:alert(1)';
		await refused(badUrl, /outbox\[1\]\.payload\.evidence\[1\]\.url: invalid-url/);

		const duplicated = structuredClone(good);
		duplicated.annotations.push(duplicated.annotations[0]);
		await refused(duplicated, /annotations\[3\]\.id: duplicate/);

		const noProfile = { ...structuredClone(good), profile: null };
		await refused(noProfile, /profile/);
	});

	it('is refused when it is not a backup at all', async () => {
		await refused({ hello: 'world' }, /not a FieldMatrix backup/, 'format');
		await refused(null, /not a FieldMatrix backup/);
		await refused(
			{ format: 'fieldmatrix-backup', version: 2 },
			/version 2 is not supported/,
			'version'
		);
		await refused({ format: 'fieldmatrix-backup', version: 1 }, /exportedAt/);
		// A tampered version deep enough to overflow String() still gets a plain refusal.
		const deep = JSON.parse('['.repeat(20_000) + ']'.repeat(20_000)) as unknown;
		await refused(
			{ format: 'fieldmatrix-backup', version: deep },
			/version of type array is not supported/,
			'version'
		);
	});

	it('is refused before parsing when too large or not JSON', async () => {
		const big = new Blob(['x'.repeat(MAX_BACKUP_BYTES + 1)]);
		await expect(parseBackupFile(big)).rejects.toMatchObject({ kind: 'too-large' });
		await expect(parseBackupFile('é'.repeat(MAX_BACKUP_BYTES / 2 + 1))).rejects.toMatchObject({
			kind: 'too-large'
		});
		await expect(parseBackupFile('{"format": ')).rejects.toMatchObject({ kind: 'not-json' });
		await expect(parseBackupFile(new Blob(['{"a":1}']))).resolves.toEqual({ a: 1 });
	});

	it('with a fresh uuid still has to be well formed', async () => {
		const good = asFile(await exportBackup(await populated())) as Backup;
		const bad = structuredClone(good);
		bad.history[0].opId = uuidv7().replace(/^./, 'z');
		await refused(bad, /history\[0\]\.opId/);
	});
});
