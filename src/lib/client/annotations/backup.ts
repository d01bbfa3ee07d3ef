import * as z from '$lib/shared/zod';
import {
	annotationOpSchema,
	annotationSchema,
	LIMITS,
	mutationSchema,
	recommendationIdSchema,
	type Annotation,
	type Mutation
} from '$lib/shared/annotation';
import { missionCodeSchema } from '$lib/shared/recommendation';
import type { DeviceProfile, FieldMatrixDatabase, HistoryEntry } from '../db';
import {
	readDeviceValue,
	readSyncCounters,
	writeDeviceValue,
	writeSyncCounters
} from './device-state';
import { BackupError } from './errors';
import { deviceProfileSchema } from './profile';
import { resilientWrite } from './resilient-write';

/**
 * A backup is everything the focal point wrote, as one JSON file they can keep off the device:
 * the way to carry unsent changes over a lost phone, a cleared browser or a change of person.
 *
 * Import merges, so importing a file twice, or an older one, never duplicates or loses anything:
 * entries by id (the newer wins), outbox mutations by opId, history rows by opId. A file is
 * checked whole before anything is written.
 */

export const BACKUP_FORMAT = 'fieldmatrix-backup';
export const BACKUP_VERSION = 1;
/** Of JSON text: far above what a mission writes, low enough to parse on a phone. */
export const MAX_BACKUP_BYTES = 20 * 1024 * 1024;

const isoDateTime = z.iso.datetime({ offset: true });

export const backupHistoryRowSchema = z.object({
	opId: z.uuidv7(),
	annotationId: z.uuidv7(),
	recommendationId: recommendationIdSchema,
	mission: missionCodeSchema,
	op: annotationOpSchema,
	snapshot: annotationSchema,
	at: isoDateTime,
	author: z.string().check(z.trim(), z.minLength(1), z.maxLength(LIMITS.author))
});
export type BackupHistoryRow = z.infer<typeof backupHistoryRowSchema>;

export const backupSchema = z
	.object({
		format: z.literal(BACKUP_FORMAT),
		version: z.literal(BACKUP_VERSION),
		exportedAt: isoDateTime,
		/** Without a token or anything secret, ever: the file is handed around. */
		profile: z.nullable(deviceProfileSchema),
		/** The mutation counter travels too, so a restored device never reuses a mutationId. */
		device: z.object({
			nextMutationId: z.number().check(z.int(), z.positive(), z.maximum(Number.MAX_SAFE_INTEGER)),
			lastSyncedMutationId: z.number().check(z.int(), z.nonnegative()),
			lastSyncedAt: z.nullable(isoDateTime)
		}),
		annotations: z.array(annotationSchema),
		outbox: z.array(mutationSchema),
		history: z.array(backupHistoryRowSchema)
	})
	.check(
		z.superRefine((backup, context) => {
			const duplicate = (list: string, field: string, keys: string[]) => {
				const seen = new Set<string>();
				keys.forEach((key, index) => {
					if (seen.has(key))
						context.addIssue({ code: 'custom', message: 'duplicate', path: [list, index, field] });
					seen.add(key);
				});
			};
			duplicate(
				'annotations',
				'id',
				backup.annotations.map((a) => a.id)
			);
			duplicate(
				'outbox',
				'opId',
				backup.outbox.map((m) => m.opId)
			);
			duplicate(
				'outbox',
				'mutationId',
				backup.outbox.map((m) => `${m.deviceId}/${m.mutationId}`)
			);
			duplicate(
				'history',
				'opId',
				backup.history.map((h) => h.opId)
			);
			if (!backup.profile && backup.outbox.length > 0) {
				context.addIssue({
					code: 'custom',
					message: 'unsent changes without a profile',
					path: ['profile']
				});
			}
		})
	);
export type Backup = z.infer<typeof backupSchema>;

export async function exportBackup(db: FieldMatrixDatabase): Promise<Backup> {
	// One read transaction: a consistent snapshot even while the sync engine drains the outbox.
	return db.transaction('r', [db.annotations, db.outbox, db.history, db.device], async () => {
		const profile = await readDeviceValue(db, 'profile');
		const counters = await readSyncCounters(db);
		return {
			format: BACKUP_FORMAT,
			version: BACKUP_VERSION,
			exportedAt: new Date().toISOString(),
			profile: profile ? profileForExport(profile) : null,
			device: counters,
			annotations: await db.annotations.toArray(),
			outbox: await db.outbox.toArray(),
			history: (await db.history.toArray()).map(withoutLocalId)
		};
	});
}

function profileForExport({ deviceId, mission, displayName }: DeviceProfile): DeviceProfile {
	return { deviceId, mission, displayName };
}

function withoutLocalId(row: HistoryEntry): BackupHistoryRow {
	const { opId, annotationId, recommendationId, mission, op, snapshot, at, author } = row;
	return { opId, annotationId, recommendationId, mission, op, snapshot, at, author };
}

/** The JSON of a chosen file (or pasted text), refused when too large or not JSON. */
export async function parseBackupFile(source: Blob | string): Promise<unknown> {
	const size = typeof source === 'string' ? utf8Length(source) : source.size;
	if (size > MAX_BACKUP_BYTES) {
		throw new BackupError(
			'too-large',
			`the file is ${Math.ceil(size / 1024 / 1024)} MB; a backup is at most ${MAX_BACKUP_BYTES / 1024 / 1024} MB`
		);
	}
	const text = typeof source === 'string' ? source : await source.text();
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new BackupError('not-json', 'the file is not a FieldMatrix backup (not JSON)');
	}
}

function utf8Length(text: string): number {
	// Cheap bound first: a UTF-16 code unit is at most 3 bytes of UTF-8.
	return text.length * 3 <= MAX_BACKUP_BYTES ? text.length : new TextEncoder().encode(text).length;
}

/** Checks a parsed file whole; throws a BackupError naming the first bad place. */
export function validateBackup(json: unknown): Backup {
	const head = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
	if (head.format !== BACKUP_FORMAT) {
		throw new BackupError('invalid', 'the file is not a FieldMatrix backup', 'format');
	}
	if (head.version !== BACKUP_VERSION) {
		throw new BackupError(
			'invalid',
			`backup version ${describeVersion(head.version)} is not supported (this app reads version ${BACKUP_VERSION})`,
			'version'
		);
	}
	const parsed = backupSchema.safeParse(json);
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	const path = formatPath(issue.path);
	throw new BackupError(
		'invalid',
		`the backup is damaged at ${path || 'its top level'}: ${issue.message}`,
		path
	);
}

/** Names a file's version without stringifying what a tampered file put there (a deep array overflows String()). */
function describeVersion(version: unknown): string {
	return typeof version === 'number' || typeof version === 'string'
		? JSON.stringify(version).slice(0, 40)
		: `of type ${Array.isArray(version) ? 'array' : version === null ? 'null' : typeof version}`;
}

function formatPath(path: PropertyKey[]): string {
	return path
		.map((key, index) =>
			typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`
		)
		.join('');
}

export interface ImportResult {
	/** Entries, by what the import did to each. */
	added: number;
	updated: number;
	unchanged: number;
	/** Outbox mutations the device did not have. */
	mutationsAdded: number;
	/** Of those, how many got a new mutationId (another device's, or an id this device used). */
	mutationsRenumbered: number;
	historyAdded: number;
	/** The database had no profile and took the file's (a restore onto an empty device). */
	profileAdopted: boolean;
}

export async function importBackup(db: FieldMatrixDatabase, json: unknown): Promise<ImportResult> {
	const backup = validateBackup(json);
	const tables = [db.annotations, db.outbox, db.history, db.device];
	return resilientWrite(db, () =>
		db.transaction('rw', tables, async () => {
			const result: ImportResult = {
				added: 0,
				updated: 0,
				unchanged: 0,
				mutationsAdded: 0,
				mutationsRenumbered: 0,
				historyAdded: 0,
				profileAdopted: false
			};
			let profile = await readDeviceValue(db, 'profile');
			if (!profile && backup.profile) {
				profile = backup.profile;
				await writeDeviceValue(db, 'profile', profile);
				result.profileAdopted = true;
			}

			const accepted = await mergeAnnotations(db, backup.annotations, result);
			await db.annotations.bulkPut(accepted);

			const counters = await readSyncCounters(db);
			const sameDevice = profile !== undefined && backup.profile?.deviceId === profile.deviceId;
			const { rows, renumbered, next } = await newMutations(
				db,
				backup.outbox,
				profile,
				counters.nextMutationId
			);
			result.mutationsAdded = rows.length;
			result.mutationsRenumbered = renumbered;
			await db.outbox.bulkAdd(rows);
			await writeSyncCounters(db, {
				nextMutationId: Math.max(next, sameDevice ? backup.device.nextMutationId : 0),
				lastSyncedMutationId: Math.max(
					counters.lastSyncedMutationId,
					sameDevice ? backup.device.lastSyncedMutationId : 0
				),
				lastSyncedAt: later(counters.lastSyncedAt, sameDevice ? backup.device.lastSyncedAt : null)
			});

			const known = new Set(
				(
					await db.history
						.where('opId')
						.anyOf(backup.history.map((h) => h.opId))
						.toArray()
				).map((h) => h.opId)
			);
			const history = backup.history.filter((row) => !known.has(row.opId));
			await db.history.bulkAdd(history);
			result.historyAdded = history.length;
			return result;
		})
	);
}

async function mergeAnnotations(
	db: FieldMatrixDatabase,
	imported: Annotation[],
	result: ImportResult
): Promise<Annotation[]> {
	const existing = await db.annotations.bulkGet(imported.map((entry) => entry.id));
	const accepted: Annotation[] = [];
	imported.forEach((entry, index) => {
		const local = existing[index];
		if (!local) result.added++;
		else if (isNewer(entry, local)) result.updated++;
		else return void result.unchanged++;
		accepted.push(entry);
	});
	return accepted;
}

function isNewer(candidate: Annotation, local: Annotation): boolean {
	const byTime = Date.parse(candidate.updatedAt) - Date.parse(local.updatedAt);
	return byTime > 0 || (byTime === 0 && candidate.revision > local.revision);
}

/**
 * The file's mutations this device lacks (by opId), in their order, with mutationIds that keep
 * this device's sequence strictly increasing: an id is kept only if it is this device's and was
 * never issued here (>= the counter); any other gets the next free id. A mutation that was
 * already pushed may so be pushed again under a new id, with its same opId: the server must
 * recognise it by opId (see the report of this change).
 */
async function newMutations(
	db: FieldMatrixDatabase,
	imported: Mutation[],
	profile: DeviceProfile | undefined,
	counter: number
): Promise<{ rows: Mutation[]; renumbered: number; next: number }> {
	const known = new Set(
		(
			await db.outbox
				.where('opId')
				.anyOf(imported.map((m) => m.opId))
				.toArray()
		).map((m) => m.opId)
	);
	const rows: Mutation[] = [];
	let renumbered = 0;
	let next = counter;
	const fresh = imported
		.filter((m) => !known.has(m.opId))
		.sort((a, b) => a.mutationId - b.mutationId);
	for (const mutation of fresh) {
		// validateBackup guarantees a profile whenever the file has mutations.
		const deviceId = profile?.deviceId ?? mutation.deviceId;
		if (mutation.deviceId === deviceId && mutation.mutationId >= next) {
			rows.push(mutation);
			next = mutation.mutationId + 1;
		} else {
			// The server accepts only its own device's versions (payload.deviceId included); the
			// author and mission in the payload stay as written.
			const payload = { ...mutation.payload, deviceId };
			rows.push({ ...mutation, deviceId, mutationId: next++, payload });
			renumbered++;
		}
	}
	return { rows, renumbered, next };
}

function later(a: string | null, b: string | null): string | null {
	if (a === null || b === null) return a ?? b;
	return Date.parse(b) > Date.parse(a) ? b : a;
}
