import { expect, it } from 'vitest';
import { recordAudit } from '../../src/lib/server/admin/audit';
import { dumpDatabase, dumpDifferences } from './dump';
import { ACTOR, describeEachBackend, enrolDevice } from './fixtures';

/** The dump the hostile-input tests compare must see a change anywhere, and only there. */
describeEachBackend('database dump', (suite) => {
	it('lists every table, ordered by primary key, and sees any change but a device’s last seen', async () => {
		const { db, backend } = suite();
		const device = await enrolDevice(db);
		const before = await dumpDatabase(db, backend.name);
		expect(Object.keys(before)).toEqual(
			expect.arrayContaining([
				'meta',
				'counters',
				'missions',
				'enrolment_codes',
				'devices',
				'audit_log',
				'annotations',
				'annotation_history',
				'conflicts',
				'processed_ops',
				'change_log'
			])
		);
		expect(before.missions.map((m) => m.code)).toEqual(
			[...before.missions.map((m) => m.code as string)].sort()
		);
		expect(dumpDifferences(before, await dumpDatabase(db, backend.name))).toEqual([]);

		await db
			.updateTable('devices')
			.set({ last_seen_at: '2020-01-01T00:00:00.000Z' })
			.where('id', '=', device.id)
			.execute();
		expect(dumpDifferences(before, await dumpDatabase(db, backend.name))).toEqual([]);
		const kept = await dumpDatabase(db, backend.name, { keepLastSeen: true });
		expect(kept.devices.find((d) => d.id === device.id)?.last_seen_at).toBe(
			'2020-01-01T00:00:00.000Z'
		);

		await recordAudit(db, { actor: ACTOR, action: 'test.touch', subject: null });
		await db.updateTable('meta').set({ value: 'x' }).where('key', '=', 'epoch').execute();
		const changed = dumpDifferences(before, await dumpDatabase(db, backend.name));
		expect(changed.map((line) => line.split(':')[0])).toEqual(['audit_log', 'meta']);
	});
});
