import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldMatrixDatabase } from '$lib/client/db';
import { createAnnotation, deleteAnnotation } from '$lib/client/annotations/annotation-store';
import {
	backupSchema,
	exportBackup,
	importBackup,
	MAX_BACKUP_BYTES,
	parseBackupFile,
	validateBackup,
	type Backup
} from '$lib/client/annotations/backup';
import { BackupError } from '$lib/client/annotations/errors';
import { hostileBody, hostileString, type HostileBody } from '../../../fuzz/hostile';
import { FUZZ_SEED, FuzzStats, fuzzRuns } from '../../../fuzz/settings';
import {
	DATASET_VERSION,
	snapshotTables,
	useFreshDatabases,
	validInput,
	withProfile
} from '../fixtures/annotation-db';

/*
 * The device's backup import, fuzzed (fast-check): a chosen file is read (parseBackupFile),
 * checked whole (validateBackup) and merged (importBackup). Whatever the file holds (broken
 * JSON, invalid UTF-8, wrong types, missing fields, hostile text, deep nesting, counters from
 * the future, another device's changes), the import either takes a file its schema accepts or
 * refuses it with a BackupError saying where, and a refused file changes nothing on the device.
 */

const RUNS = fuzzRuns(60, 1200);
const stats = new FuzzStats();
afterAll(() => console.log(stats.report('Backup import fuzz', 'errors other than BackupError')));

const databases = useFreshDatabases('backup-fuzz');

/** A device with entries, an outbox and history, as a file would come from. */
async function populated(): Promise<FieldMatrixDatabase> {
	const db = databases.fresh();
	await withProfile(db);
	const input = { datasetVersion: DATASET_VERSION, input: validInput() };
	const a = await createAnnotation(db, { recommendationId: 'a78-19-p38', ...input });
	await createAnnotation(db, { recommendationId: 'a78-19-p39', ...input });
	await deleteAnnotation(db, a.id);
	return db;
}

/** The file's text as a browser would read it (invalid UTF-8 becomes U+FFFD in Blob.text()). */
function asFile(body: HostileBody): Blob | string {
	return typeof body.body === 'string'
		? body.body
		: new Blob([body.body as Uint8Array<ArrayBuffer>]);
}

/** Values a tampered file may put where a backup has counters and ids. */
function tampered(backup: Backup): fc.Arbitrary<unknown> {
	const big = fc.constantFrom(
		Number.MAX_SAFE_INTEGER,
		Number.MAX_SAFE_INTEGER + 1,
		2 ** 63,
		-1,
		0,
		1.5,
		1e308
	);
	return fc.oneof(
		// Counters from the future (or the past).
		big.map((n) => ({ ...backup, device: { ...backup.device, nextMutationId: n } })),
		big.map((n) => ({
			...backup,
			outbox: backup.outbox.map((m, i) => ({ ...m, mutationId: i === 0 ? n : m.mutationId }))
		})),
		// Another device's changes, under a forged id.
		fc.uuid().map((id) => ({
			...backup,
			outbox: backup.outbox.map((m) => ({
				...m,
				deviceId: id,
				payload: { ...m.payload, deviceId: id }
			}))
		})),
		// The same entry twice, or unsent changes without a profile.
		fc.constant({ ...backup, annotations: [...backup.annotations, backup.annotations[0]] }),
		fc.constant({ ...backup, profile: null }),
		// Hostile text in every text field of an entry.
		hostileString.map((text) => ({
			...backup,
			annotations: backup.annotations.map((a) => ({ ...a, note: text, author: text })),
			profile: backup.profile && { ...backup.profile, displayName: text }
		})),
		fc.constantFrom(null, [], 'fieldmatrix-backup', { format: 'fieldmatrix-backup', version: 2 })
	);
}

describe('backup import, fuzzed', () => {
	let valid: Backup;
	beforeAll(async () => {
		valid = JSON.parse(JSON.stringify(await exportBackup(await populated()))) as Backup;
		console.log(`Backup import fuzz: seed ${FUZZ_SEED}, ${RUNS} runs per property`);
	});

	function files(): fc.Arbitrary<HostileBody> {
		return hostileBody({
			valid: fc.constant(valid),
			// Oversized files are tried against the real cap, but only just over it.
			capBytes: MAX_BACKUP_BYTES,
			extra: tampered(valid)
		});
	}

	it('reads any file into a backup its schema accepts, or refuses it with a BackupError', async () => {
		await fc.assert(
			fc.asyncProperty(files(), async (file) => {
				let outcome = 'accepted';
				try {
					const backup = validateBackup(await parseBackupFile(asFile(file)));
					expect(backupSchema.safeParse(backup).success).toBe(true);
				} catch (error) {
					if (!(error instanceof BackupError)) stats.serverErrors++;
					expect(error, file.kind).toBeInstanceOf(BackupError);
					const { kind, message } = error as BackupError;
					expect(['not-json', 'too-large', 'invalid']).toContain(kind);
					expect(message.length).toBeGreaterThan(10);
					outcome = kind;
				}
				stats.record('parse + validate', outcome);
			}),
			{ numRuns: RUNS, seed: FUZZ_SEED }
		);
	}, 600_000);

	it('leaves the device’s database unchanged when it refuses a file', async () => {
		const db = await populated();
		let before = await snapshotTables(db);
		await fc.assert(
			fc.asyncProperty(files(), async (file) => {
				let json: unknown;
				try {
					json = await parseBackupFile(asFile(file));
				} catch (error) {
					if (!(error instanceof BackupError)) stats.serverErrors++;
					expect(error).toBeInstanceOf(BackupError);
					stats.record('import', 'refused unread');
					return;
				}
				try {
					await importBackup(db, json);
				} catch (error) {
					if (!(error instanceof BackupError)) stats.serverErrors++;
					expect(error).toBeInstanceOf(BackupError);
					stats.record('import', 'refused');
					stats.databaseChecks++;
					expect(await snapshotTables(db)).toEqual(before);
					return;
				}
				// Taken: only a file the schema accepts.
				expect(backupSchema.safeParse(json).success).toBe(true);
				stats.record('import', 'merged');
				stats.acceptedChanges++;
				before = await snapshotTables(db);
			}),
			{ numRuns: RUNS, seed: FUZZ_SEED + 1 }
		);
	}, 600_000);
});
