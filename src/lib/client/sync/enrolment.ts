import { enrolRequestSchema, type EnrolResponse, type Role } from '$lib/shared/sync';
import type { MissionCode } from '$lib/shared/missions';
import type {
	DeviceProfile,
	Enrolment,
	FieldMatrixDatabase,
	HistoryEntry,
	ParkedIdentity,
	ParkedMutation
} from '../db';
import { readDeviceValue, readSyncCounters, writeDeviceValue } from '../annotations/device-state';
import { ValidationError } from '../annotations/errors';
import { resilientWrite } from '../annotations/resilient-write';
import { BACKUP_FORMAT, BACKUP_VERSION, type Backup } from '../annotations/backup';
import type { Mutation } from '$lib/shared/annotation';
import type { SyncApi } from './api-client';
import { writePullPosition } from './sync-state';

/**
 * Enrolment: a one-time code from Headquarters becomes this device's token, role and mission.
 *
 * The rule that protects people's work: unsent changes are pushed only under the identity that
 * wrote them. When the phone is enrolled by another person or for another mission (or for a role
 * that never writes) while its outbox still holds the previous person's changes, those are moved
 * to `parked`, in the same transaction that stores the new token, so no push can ever carry them
 * under the new identity. They stay on the device, listed and exportable (exportParked), until
 * someone discards them. The same person enrolling for the mission they already chose in the
 * first-run picker keeps the outbox: that is the picker path growing into sync.
 *
 * Devices never enrolled keep working exactly as before: the picker sets the profile and the
 * sync engine leaves them alone.
 */

export interface EnrolInput {
	/** As typed; the server ignores case, spaces and dashes. */
	code: string;
	displayName: string;
}

export interface EnrolOutcome {
	role: Role;
	mission: MissionCode | null;
	displayName: string;
	/** Unsent changes set aside because another identity enrolled (0 when none). */
	parked: number;
	/** The profile now in force (unchanged for an HQ viewer or administrator). */
	profile: DeviceProfile | undefined;
}

/**
 * Redeems the code. Throws ValidationError for input that cannot be sent (the server would
 * refuse it) and SyncApiError as the server answered (`invalid-code`, `code-used`,
 * `code-expired`, `code-revoked`, `mission-retired`, `device-enrolled`, rate limit, network).
 * On failure nothing changes on the device.
 */
export async function enrolDevice(
	db: FieldMatrixDatabase,
	api: SyncApi,
	input: EnrolInput,
	now: () => Date = () => new Date()
): Promise<EnrolOutcome> {
	const deviceId = await stableDeviceId(db);
	const request = enrolRequestSchema.safeParse({
		code: input.code,
		deviceId,
		displayName: input.displayName
	});
	if (!request.success) throw ValidationError.fromZod(request.error);

	const answer = await api.enrol(request.data);

	return resilientWrite(db, () =>
		db.transaction('rw', [db.device, db.outbox, db.parked], async () => {
			const at = now().toISOString();
			const profile = await readDeviceValue(db, 'profile');
			const previous = await readDeviceValue(db, 'enrolment');
			const writer: ParkedIdentity | null = profile
				? { deviceId, mission: profile.mission, displayName: profile.displayName }
				: previous?.mission
					? { deviceId, mission: previous.mission, displayName: previous.displayName }
					: null;
			const parked = await parkForeignMutations(db, answer, writer, deviceId, at);

			const enrolment: Enrolment = {
				token: answer.token,
				role: answer.role,
				mission: answer.mission,
				displayName: answer.displayName,
				deviceId,
				enrolledAt: at,
				revokedAt: null
			};
			await writeDeviceValue(db, 'enrolment', enrolment);
			let current = profile;
			if (answer.role === 'focal-point' && answer.mission) {
				current = { deviceId, mission: answer.mission, displayName: answer.displayName };
				await writeDeviceValue(db, 'profile', current);
			}
			// Another mission, or a token the server may have issued on a restored database: pull
			// everything again (idempotent: nothing already here is duplicated).
			await writePullPosition(db, { epoch: null, cursor: null });
			await writeDeviceValue(db, 'lastSyncError', null);
			return {
				role: answer.role,
				mission: answer.mission,
				displayName: answer.displayName,
				parked,
				profile: current
			};
		})
	);
}

/** The same person: names compared without case or extra spaces. */
function samePerson(a: string, b: string): boolean {
	const norm = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
	return norm(a) === norm(b);
}

async function parkForeignMutations(
	db: FieldMatrixDatabase,
	answer: EnrolResponse,
	writer: ParkedIdentity | null,
	deviceId: string,
	at: string
): Promise<number> {
	const writes = answer.role === 'focal-point' && answer.mission !== null;
	const sameIdentity =
		writes &&
		writer !== null &&
		writer.mission === answer.mission &&
		samePerson(writer.displayName, answer.displayName);
	const rows = await db.outbox.toArray();
	const parked: ParkedMutation[] = [];
	for (const mutation of rows) {
		const pushable =
			sameIdentity && mutation.payload.mission === answer.mission && mutation.deviceId === deviceId;
		if (pushable) continue;
		const reason: ParkedMutation['reason'] = !writes
			? 'read-only'
			: !sameIdentity
				? 're-enrolled'
				: 'other-mission';
		const who = reason === 'other-mission' ? writerOf(mutation) : (writer ?? writerOf(mutation));
		parked.push(parkedRow(mutation, reason, who, at));
	}
	await db.parked.bulkPut(parked);
	await db.outbox.bulkDelete(parked.map((row) => row.mutationId));
	return parked.length;
}

/** Who wrote a mutation, as far as the mutation says. */
export function writerOf(mutation: Mutation): ParkedIdentity {
	return {
		deviceId: mutation.deviceId,
		mission: mutation.payload.mission,
		displayName: mutation.payload.author
	};
}

export function parkedRow(
	mutation: Mutation,
	reason: ParkedMutation['reason'],
	previous: ParkedIdentity | null,
	at: string
): ParkedMutation {
	return {
		opId: mutation.opId,
		mutationId: mutation.mutationId,
		annotationId: mutation.annotationId,
		mutation,
		reason,
		previous,
		parkedAt: at
	};
}

/**
 * The device id enrolment sends: the profile's; for a device without one (enrolling before the
 * picker, or an HQ viewer), one created now and kept, so a retried enrolment sends the same id.
 */
async function stableDeviceId(db: FieldMatrixDatabase): Promise<string> {
	return resilientWrite(db, () =>
		db.transaction('rw', db.device, async () => {
			const profile = await readDeviceValue(db, 'profile');
			if (profile) return profile.deviceId;
			const kept = await readDeviceValue(db, 'deviceId');
			if (kept) return kept;
			const id = crypto.randomUUID();
			await writeDeviceValue(db, 'deviceId', id);
			return id;
		})
	);
}

export async function isEnrolled(db: FieldMatrixDatabase): Promise<boolean> {
	return (await readDeviceValue(db, 'enrolment')) !== undefined;
}

/** Parked changes, oldest first. */
export function listParked(db: FieldMatrixDatabase): Promise<ParkedMutation[]> {
	return db.parked.orderBy('mutationId').toArray();
}

/**
 * The parked changes as a backup file (the format of annotations/backup.ts), to hand to
 * Headquarters or import on the previous person's new device. Null when nothing is parked.
 * The file carries the identity that wrote them, never a token.
 */
export async function exportParked(db: FieldMatrixDatabase): Promise<Backup | null> {
	return db.transaction('r', [db.parked, db.history, db.device], async () => {
		const parked = await db.parked.orderBy('mutationId').toArray();
		if (parked.length === 0) return null;
		const last = parked.at(-1)!;
		const profile: DeviceProfile = last.previous ?? writerOf(last.mutation);
		const latest = new Map(parked.map((row) => [row.annotationId, row.mutation.payload]));
		const history = await db.history
			.where('opId')
			.anyOf(parked.map((row) => row.opId))
			.toArray();
		return {
			format: BACKUP_FORMAT,
			version: BACKUP_VERSION,
			exportedAt: new Date().toISOString(),
			profile: {
				deviceId: profile.deviceId,
				mission: profile.mission,
				displayName: profile.displayName
			},
			device: await readSyncCounters(db),
			annotations: [...latest.values()],
			outbox: parked.map((row) => row.mutation),
			history: history.map(withoutLocalId)
		};
	});
}

function withoutLocalId(row: HistoryEntry): Backup['history'][number] {
	const { opId, annotationId, recommendationId, mission, op, snapshot, at, author } = row;
	return { opId, annotationId, recommendationId, mission, op, snapshot, at, author };
}

/** Removes parked changes for good (after they were exported); all of them without `opIds`. */
export async function discardParked(db: FieldMatrixDatabase, opIds?: string[]): Promise<void> {
	await resilientWrite(db, () => (opIds ? db.parked.bulkDelete(opIds) : db.parked.clear()));
}
