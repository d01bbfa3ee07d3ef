import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { revokeDevice } from '$lib/server/admin/devices';
import { createAnnotation } from '$lib/client/annotations/annotation-store';
import { validateBackup } from '$lib/client/annotations/backup';
import { readDeviceValue } from '$lib/client/annotations/device-state';
import { ValidationError } from '$lib/client/annotations/errors';
import { getProfile, saveProfile } from '$lib/client/annotations/profile';
import { SyncApiError } from '$lib/client/sync/api-client';
import { discardParked, enrolDevice, exportParked, listParked } from '$lib/client/sync/enrolment';
import { readSyncStatus } from '$lib/client/sync/status';
import { syncOnce } from '$lib/client/sync/sync-engine';
import {
	DATASET_VERSION,
	RECOMMENDATION,
	useFreshDatabases,
	validInput
} from '../fixtures/annotation-db';
import { ACTOR, deviceOn, enrolledDevice, serverEntry, useTestServer } from './test-server';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const server = useTestServer();
const databases = useFreshDatabases('sync-enrolment');
const fresh = () => databases.fresh();

describe('enrolment', () => {
	it('stores token, role and mission and makes the profile the enrolled one', async () => {
		const db = fresh();
		const outcome = await enrolDevice(db, server().api(), {
			code: (await server().code({ mission: 'UNMISS' })).toLowerCase(),
			displayName: '  Amina Focal '
		});
		expect(outcome).toMatchObject({
			role: 'focal-point',
			mission: 'UNMISS',
			displayName: 'Amina Focal',
			parked: 0
		});
		const enrolment = await readDeviceValue(db, 'enrolment');
		expect(enrolment).toMatchObject({
			role: 'focal-point',
			mission: 'UNMISS',
			displayName: 'Amina Focal',
			revokedAt: null,
			token: expect.stringMatching(/^fm1_/)
		});
		const profile = await getProfile(db);
		expect(profile).toEqual({
			deviceId: enrolment!.deviceId,
			mission: 'UNMISS',
			displayName: 'Amina Focal'
		});
		expect(await readSyncStatus(db)).toMatchObject({ state: 'syncing', role: 'focal-point' });
		await syncOnce(db, server().api());
		expect(await readSyncStatus(db)).toMatchObject({ state: 'up-to-date', mission: 'UNMISS' });
	});

	it('refuses bad input before sending, and says what the server refused', async () => {
		const db = fresh();
		await expect(
			enrolDevice(db, server().api(), { code: 'x', displayName: 'Amina' })
		).rejects.toBeInstanceOf(ValidationError);
		const code = await server().code();
		await enrolDevice(db, server().api(), { code, displayName: 'Amina' });
		const again = await enrolDevice(fresh(), server().api(), { code, displayName: 'Amina' }).catch(
			(e: unknown) => e
		);
		expect(again).toBeInstanceOf(SyncApiError);
		expect(again).toMatchObject({ kind: 'client', status: 410, code: 'code-used' });
		// An enrolled device must be revoked by HQ before it enrols again.
		const twice = await enrolDevice(db, server().api(), {
			code: await server().code(),
			displayName: 'Amina'
		}).catch((e: unknown) => e);
		expect(twice).toMatchObject({ status: 409, code: 'device-enrolled' });
		expect((await readDeviceValue(db, 'enrolment'))?.mission).toBe('UNMISS');
	});

	it('keeps the picker’s unsent changes when the same person enrols for the same mission', async () => {
		const db = fresh();
		const profile = await saveProfile(db, { mission: 'UNMISS', displayName: 'Amina Focal' });
		const entry = await createAnnotation(db, {
			recommendationId: RECOMMENDATION,
			datasetVersion: DATASET_VERSION,
			input: validInput()
		});
		const outcome = await enrolDevice(db, server().api(), {
			code: await server().code(),
			displayName: 'amina  focal'
		});
		expect(outcome.parked).toBe(0);
		expect((await getProfile(db))?.deviceId).toBe(profile.deviceId);
		expect(await syncOnce(db, server().api())).toMatchObject({ applied: 1 });
		expect(await serverEntry(server(), entry.id)).toBeDefined();
	});

	it('parks the previous person’s unsent changes at a re-enrolment and never pushes them', async () => {
		const first = await enrolledDevice(server(), fresh, { name: 'Amina Focal' });
		const synced = await first.write({ note: 'synced by Amina' });
		await first.sync();
		const unsent = [
			await first.write({ note: 'unsent 1' }),
			await first.write({ note: 'unsent 2' })
		];
		const deviceId = (await getProfile(first.db))!.deviceId;
		const nextBefore = await readDeviceValue(first.db, 'nextMutationId');

		// Amina leaves; HQ revokes the phone and enrols it for Bertrand.
		await revokeDevice(server().context.db, deviceId, ACTOR);
		const outcome = await enrolDevice(first.db, server().api(), {
			code: await server().code(),
			displayName: 'Bertrand Successor'
		});
		expect(outcome.parked).toBe(2);
		expect(await first.db.outbox.count()).toBe(0);
		const parked = await listParked(first.db);
		expect(parked.map((p) => p.annotationId)).toEqual(unsent.map((e) => e.id));
		expect(parked[0]).toMatchObject({
			reason: 're-enrolled',
			previous: { deviceId, mission: 'UNMISS', displayName: 'Amina Focal' }
		});
		expect(await readSyncStatus(first.db)).toMatchObject({ parked: 2, pending: 0 });

		const bertrand = deviceOn(first.db, first.api);
		const own = await bertrand.write({ note: 'Bertrand’s first entry' });
		expect((await readDeviceValue(first.db, 'nextMutationId'))!).toBe(nextBefore! + 1);
		const summary = await bertrand.sync();
		expect(summary).toMatchObject({ pushed: 1, applied: 1 });
		for (const entry of unsent) expect(await serverEntry(server(), entry.id)).toBeUndefined();
		expect(await serverEntry(server(), own.id)).toMatchObject({
			data: { author: 'Bertrand Successor' }
		});
		expect(await serverEntry(server(), synced.id)).toBeDefined();

		// Exportable as a backup file naming Amina (and carrying no token).
		const file = await exportParked(first.db);
		expect(file).not.toBeNull();
		const checked = validateBackup(JSON.parse(JSON.stringify(file)));
		expect(checked.profile).toEqual({ deviceId, mission: 'UNMISS', displayName: 'Amina Focal' });
		expect(checked.outbox.map((m) => m.annotationId)).toEqual(unsent.map((e) => e.id));
		expect(checked.history.map((h) => h.annotationId)).toEqual(unsent.map((e) => e.id));
		expect(JSON.stringify(file)).not.toContain('fm1_');

		await discardParked(first.db);
		expect(await exportParked(first.db)).toBeNull();
	});

	it('parks changes for another mission when the phone is enrolled for a new one', async () => {
		const db = fresh();
		await saveProfile(db, { mission: 'MINUSCA', displayName: 'Amina Focal' });
		await createAnnotation(db, {
			recommendationId: RECOMMENDATION,
			datasetVersion: DATASET_VERSION,
			input: validInput()
		});
		const outcome = await enrolDevice(db, server().api(), {
			code: await server().code({ mission: 'UNMISS' }),
			displayName: 'Amina Focal'
		});
		expect(outcome).toMatchObject({ parked: 1, mission: 'UNMISS' });
		expect((await getProfile(db))?.mission).toBe('UNMISS');
		expect(await syncOnce(db, server().api())).toMatchObject({ pushed: 0 });
	});

	it('parks, before pushing, unsent changes of another mission left by a forced profile change', async () => {
		const device = await enrolledDevice(server(), fresh, { name: 'Amina Focal' });
		await saveProfile(device.db, { mission: 'UNMIK', displayName: 'Amina Focal' });
		const foreign = await device.write({ note: 'for UNMIK' });
		await saveProfile(
			device.db,
			{ mission: 'UNMISS', displayName: 'Amina Focal' },
			{ allowPendingChanges: true }
		);
		const own = await device.write({ note: 'for UNMISS' });
		const summary = await device.sync();
		expect(summary).toMatchObject({ pushed: 1, applied: 1 });
		expect(await serverEntry(server(), own.id)).toBeDefined();
		expect(await serverEntry(server(), foreign.id)).toBeUndefined();
		expect(await listParked(device.db)).toMatchObject([
			{ annotationId: foreign.id, reason: 'other-mission', previous: { mission: 'UNMIK' } }
		]);
	});

	it('enrols an HQ viewer, who receives every mission and sends nothing', async () => {
		const writer = await enrolledDevice(server(), fresh, { mission: 'UNMISS' });
		const entry = await writer.write({ note: 'for HQ' });
		await writer.sync();
		const db = fresh();
		const outcome = await enrolDevice(db, server().api(), {
			code: await server().code({ mission: null, role: 'hq-viewer' }),
			displayName: 'HQ Desk'
		});
		expect(outcome).toMatchObject({ role: 'hq-viewer', mission: null, profile: undefined });
		expect(await readDeviceValue(db, 'deviceId')).toBe(
			(await readDeviceValue(db, 'enrolment'))!.deviceId
		);
		const summary = await syncOnce(db, server().api());
		expect(summary.pushed).toBe(0);
		expect(await db.annotations.get(entry.id)).toMatchObject({ note: 'for HQ' });
	});
});
