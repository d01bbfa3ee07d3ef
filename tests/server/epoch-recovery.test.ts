import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnrolmentCode } from '../../src/lib/server/admin/codes';
import { FieldMatrixDatabase } from '../../src/lib/client/db';
import {
	createAnnotation,
	updateAnnotation
} from '../../src/lib/client/annotations/annotation-store';
import { createApiClient } from '../../src/lib/client/sync/api-client';
import { enrolDevice } from '../../src/lib/client/sync/enrolment';
import { sameVersion } from '../../src/lib/client/sync/local-apply';
import { syncOnce } from '../../src/lib/client/sync/sync-engine';
import type { Annotation } from '../../src/lib/shared/annotation';
import { backends } from './backends';
import { FAULT_ACTOR, FaultServer } from './faults/fault-server';
import { asFetchResponse } from './faults/scenario';

/*
 * A server restored from a backup (README "Restoring a backup") lost changes its devices were
 * told were saved. Scripted, on each backend: each device queues its lost changes again exactly
 * as first sent (client/sync/epoch-recovery.ts), so every change ends on the server once, and a
 * lost change that meets a newer edit made after the restore becomes a conflict, not an
 * overwrite.
 */

let databases = 0;
let server: FaultServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

async function device(on: FaultServer, name: string) {
	const db = new FieldMatrixDatabase(`epoch-recovery-${process.pid}-${++databases}`);
	const network = { pullsToDrop: 0 };
	const api = createApiClient({
		baseUrl: 'http://localhost',
		fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
			const request = new Request(input, init);
			const url = new URL(request.url);
			if (url.pathname.endsWith('/pull') && network.pullsToDrop > 0) {
				network.pullsToDrop--;
				throw new TypeError('fetch failed: the network dropped');
			}
			const headers: Record<string, string> = { 'accept-encoding': 'gzip' };
			request.headers.forEach((value, key) => (headers[key] = value));
			const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
			return asFetchResponse(
				await on.request(request.method, `${url.pathname}${url.search}`, headers, body)
			);
		}
	});
	const { code } = await createEnrolmentCode(
		on.db,
		{ mission: 'UNMISS', role: 'focal-point' },
		FAULT_ACTOR
	);
	await enrolDevice(db, api, { code, displayName: name });
	const input = (note: string) => ({
		status: 'in-progress',
		note,
		evidence: [],
		progressDate: '2025-11-04'
	});
	return {
		db,
		network,
		sync: () => syncOnce(db, api),
		create: (note: string) =>
			createAnnotation(db, {
				recommendationId: 'a78-19-p38',
				datasetVersion: '0123456789abcdef',
				input: input(note)
			}),
		edit: (id: string, note: string) => updateAnnotation(db, id, input(note))
	};
}

async function serverNote(on: FaultServer, id: string) {
	const row = await on.db
		.selectFrom('annotations')
		.select(['data', 'revision'])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
	return { note: (JSON.parse(row.data) as Annotation).note, revision: Number(row.revision) };
}

describe.each(backends)('a server restored from a backup [$name]', (backend) => {
	it.skipIf(backend.skip)(
		'gets back every change it lost, once, and keeps a post-restore edit as a conflict',
		async () => {
			server = await FaultServer.start(backend);
			const a = await device(server, 'Amina');
			const b = await device(server, 'Bertrand');
			const e1 = await a.create('A one');
			await a.sync();
			await b.sync();

			const backup = await server.backup();
			await a.edit(e1.id, 'A two');
			const e2 = await a.create('A new');
			await a.sync();
			const e3 = await b.create('B after the backup');
			await b.sync();
			expect(await a.db.outbox.count()).toBe(0);
			// Written after the restore is done below, but before A hears of it: still queued.
			await a.edit(e2.id, 'A queued');

			await server.restore(backup);
			expect(await serverNote(server, e1.id)).toEqual({ note: 'A one', revision: 1 });
			await expect(serverNote(server, e2.id)).rejects.toThrow();

			// B had nothing queued: the pull notices the new epoch, B queues its lost entry again
			// and sends it in the same run; its copy of e1 goes back to what the server has.
			const recovered = await b.sync();
			expect(recovered).toMatchObject({ epochChanged: true, applied: 1, rejected: 0 });
			expect(await serverNote(server, e3.id)).toEqual({ note: 'B after the backup', revision: 1 });
			expect(await b.db.annotations.get(e1.id)).toMatchObject({ note: 'A one', revision: 1 });

			// After the restore, B edits e1 without ever having seen A's lost "A two".
			await b.edit(e1.id, 'B after the restore');
			await b.sync();

			// A's push is refused as from the old epoch; A queues its lost changes first.
			const summary = await a.sync();
			expect(summary).toMatchObject({ epochChanged: true, rejected: 0, conflicts: 1 });
			expect(await serverNote(server, e2.id)).toEqual({ note: 'A queued', revision: 2 });
			// B's post-restore edit is not overwritten by A's older lost one: both are kept.
			expect(await serverNote(server, e1.id)).toEqual({
				note: 'B after the restore',
				revision: 2
			});
			const conflicts = await server.db.selectFrom('conflicts').selectAll().execute();
			expect(conflicts).toHaveLength(1);
			expect(JSON.parse(conflicts[0].incoming_data)).toMatchObject({ note: 'A two' });
			expect(conflicts[0].resolved_at).toBeNull();

			await b.sync();
			await a.sync();

			// Every change either device saved is on the server exactly once.
			const history = await server.db.selectFrom('annotation_history').select('op_id').execute();
			const kept = [...history.map((row) => row.op_id), conflicts[0].op_id];
			for (const d of [a, b]) {
				const saved = (await d.db.history.toArray()).filter((row) => row.sent);
				for (const row of saved) {
					expect(
						kept.filter((op) => op === row.opId),
						row.snapshot.note
					).toHaveLength(1);
				}
			}
			expect(kept).toHaveLength(6);

			// Both devices hold exactly the server's entries and see the conflict.
			const rows = await server.db.selectFrom('annotations').selectAll().execute();
			for (const d of [a, b]) {
				expect(await d.db.outbox.count()).toBe(0);
				expect(await d.db.rejected.count()).toBe(0);
				expect(await d.db.annotations.count()).toBe(rows.length);
				for (const row of rows) {
					const serverVersion = { ...JSON.parse(row.data), revision: Number(row.revision) };
					expect(sameVersion((await d.db.annotations.get(row.id))!, serverVersion)).toBe(true);
				}
				expect(await d.db.conflicts.toArray()).toEqual([
					expect.objectContaining({ id: conflicts[0].id, state: 'open' })
				]);
			}
		}
	);

	it.skipIf(backend.skip)(
		'notices the restore on a device whose only answer so far was a push',
		async () => {
			server = await FaultServer.start(backend);
			const c = await device(server, 'Chidi');
			const backup = await server.backup();
			const entry = await c.create('C, acknowledged after the backup');
			// The push is answered; the pull that would have stored the epoch never arrives.
			c.network.pullsToDrop = 1;
			await expect(c.sync()).rejects.toThrow(/network/);
			expect(await c.db.outbox.count()).toBe(0);

			await server.restore(backup);
			expect(await c.sync()).toMatchObject({ epochChanged: true, applied: 1 });
			expect(await serverNote(server, entry.id)).toEqual({
				note: 'C, acknowledged after the backup',
				revision: 1
			});
		}
	);
});
