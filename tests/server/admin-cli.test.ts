import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { enrol } from '../../src/lib/server/auth/enrolment';
import { authenticate } from '../../src/lib/server/auth/tokens';
import { listAudit } from '../../src/lib/server/admin/audit';
import { runAdmin } from '../../src/lib/server/admin/cli';
import { setServerContext } from '../../src/lib/server/context';
import { currentEpoch } from '../../src/lib/server/sync/cursor';
import { BOOTSTRAP_HINT, startServer } from '../../src/lib/server/startup';
import { describeEachBackend } from './fixtures';

const run = promisify(execFile);

describeEachBackend('admin command', (suite) => {
	/** The real entry point, as `npm run admin -- …` runs it (slow: a new process). */
	async function spawnAdmin(...args: string[]) {
		try {
			const { stdout, stderr } = await run('node_modules/.bin/tsx', ['src/cli/admin.ts', ...args], {
				env: { ...process.env, DATABASE_URL: suite().database.url }
			});
			return { code: 0, stdout, stderr };
		} catch (error) {
			const failed = error as { code: number; stdout: string; stderr: string };
			return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
		}
	}
	/** The same commands in process. */
	async function admin(...args: string[]) {
		let stdout = '';
		let stderr = '';
		const code = await runAdmin(args, {
			databaseUrl: suite().database.url,
			out: (text) => (stdout += `${text}\n`),
			err: (text) => (stderr += `${text}\n`)
		});
		return { code, stdout, stderr };
	}
	const codeIn = (stdout: string) => /code: ([2-9A-Z]{5}-[2-9A-Z]{5})/.exec(stdout)?.[1];

	it('bootstraps the first administrator, which the server start asks for until it exists', async () => {
		const messages: string[] = [];
		const context = await startServer(suite().database.url, (m) => messages.push(m));
		setServerContext(null);
		await context.db.destroy();
		expect(messages.join('\n')).toContain(BOOTSTRAP_HINT);
		expect(BOOTSTRAP_HINT).toContain('npm run admin -- bootstrap-admin');

		const first = await spawnAdmin('bootstrap-admin');
		expect(first.code).toBe(0);
		const code = codeIn(first.stdout);
		expect(code).toBeDefined();
		const { token, role, mission } = await enrol(suite().db, {
			code: code!,
			deviceId: crypto.randomUUID(),
			displayName: 'HQ admin'
		});
		expect({ role, mission }).toEqual({ role: 'admin', mission: null });
		expect((await authenticate(suite().db, `Bearer ${token}`)).device?.role).toBe('admin');

		const again = await spawnAdmin('bootstrap-admin');
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/already enrolled/);
		const later: string[] = [];
		const restarted = await startServer(suite().database.url, (m) => later.push(m));
		setServerContext(null);
		await restarted.db.destroy();
		expect(later.join('\n')).not.toContain(BOOTSTRAP_HINT);
	});

	it('creates missions and codes, lists and revokes, starts a new epoch, all audited', async () => {
		expect((await admin('create-mission', 'UNTEST', 'Test Mission')).code).toBe(0);
		expect((await admin('list-missions')).stdout).toMatch(/UNTEST\s+Test Mission/);
		const duplicate = await admin('create-mission', 'UNTEST', 'Again');
		expect(duplicate.code).toBe(1);
		expect(duplicate.stderr).toMatch(/already exists/);
		expect((await admin('create-mission', 'bad', 'x')).code).toBe(1);

		const created = await admin(
			'create-code',
			'--mission',
			'UNMISS',
			'--role',
			'focal-point',
			'--expires-days',
			'3'
		);
		expect(created.code).toBe(0);
		const code = codeIn(created.stdout)!;
		expect((await admin('create-code', '--role', 'focal-point')).stderr).toMatch(/needs a mission/);
		expect((await admin('create-code', '--mission', 'UNMISS', '--role', 'boss')).code).toBe(2);

		const deviceId = crypto.randomUUID();
		await enrol(suite().db, { code, deviceId, displayName: 'Juba tablet' });
		expect((await admin('list-codes')).stdout).toMatch(/used\s+focal-point\s+UNMISS/);
		expect((await admin('list-devices')).stdout).toContain(deviceId);

		const spare = codeIn((await admin('create-code', '--role', 'hq-viewer')).stdout)!;
		expect((await admin('revoke-code', spare)).code).toBe(0);
		await expect(
			enrol(suite().db, { code: spare, deviceId: crypto.randomUUID(), displayName: 'x' })
		).rejects.toMatchObject({ code: 'code-revoked' });

		// Pasted in capitals, the id still names the device.
		expect((await admin('revoke-device', deviceId.toUpperCase())).stdout).toMatch(/revoked/);
		const devices = (await admin('list-devices')).stdout;
		expect(devices.split('\n').find((line) => line.includes(deviceId))).toMatch(
			/\d{4}-\d\d-\d\dT.*Z\s*$/
		);

		const epoch = await currentEpoch(suite().db);
		expect((await admin('new-epoch')).code).toBe(0);
		expect(await currentEpoch(suite().db)).not.toBe(epoch);

		const actions = (await listAudit(suite().db)).map((entry) => entry.action);
		for (const action of [
			'mission.create',
			'code.create',
			'code.revoke',
			'device.revoke',
			'epoch.new'
		]) {
			expect(actions).toContain(action);
		}
		expect((await admin('nonsense')).code).toBe(2);
	});
});
