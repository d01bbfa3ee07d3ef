/**
 * The admin command (src/cli/admin.ts): administration from a shell on the server, through the
 * same functions the HQ web pages will use, each writing the audit log.
 */
import { parseArgs } from 'node:util';
import { cliActor } from './actor';
import { listAudit } from './audit';
import { bootstrapAdmin } from './bootstrap';
import { createEnrolmentCode, listEnrolmentCodes, revokeEnrolmentCode } from './codes';
import { listDevices, revokeDevice } from './devices';
import { newEpoch } from './epoch';
import { createMission, listMissions, retireMission } from './missions';
import { openDatabase } from '../db/open';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import type { Kysely } from 'kysely';
import { roleSchema } from '../../shared/sync';

const USAGE = `Usage: npm run admin -- <command>

  create-mission CODE "Name"       add a mission (CODE: 3-10 capital letters)
  retire-mission CODE              close a mission: readable, no more changes or enrolments
  list-missions
  create-code --role focal-point|hq-viewer|admin [--mission CODE] [--expires-days N] [--note TEXT]
                                   a one-time enrolment code (focal-point needs --mission)
  list-codes
  revoke-code CODE|ID              withdraw an unused code
  list-devices
  revoke-device DEVICE_ID          end a device's access (it keeps its local data)
  new-epoch                        after restoring a backup: make every device re-pull
  bootstrap-admin                  the first administrator's enrolment code
  audit [--limit N]                the latest administrative actions

DATABASE_URL selects the database (default sqlite:data/fieldmatrix.sqlite).`;

class UsageError extends Error {}

function table(rows: Record<string, unknown>[]): string {
	if (rows.length === 0) return '(none)';
	const columns = Object.keys(rows[0]);
	const cell = (value: unknown) => (value === null || value === undefined ? '-' : String(value));
	const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
	const line = (values: string[]) =>
		values
			.map((v, i) => v.padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	return [line(columns), ...rows.map((row) => line(columns.map((c) => cell(row[c]))))].join('\n');
}

function positional(args: string[], count: number, usage: string): string[] {
	if (args.length !== count) throw new UsageError(`Usage: npm run admin -- ${usage}`);
	return args;
}

async function run(db: Kysely<Database>, command: string, args: string[]): Promise<string> {
	const actor = cliActor();
	switch (command) {
		case 'create-mission': {
			const [code, name] = positional(args, 2, 'create-mission CODE "Name"');
			const mission = await createMission(db, { code, name }, actor);
			return `Mission ${mission.code} created: ${mission.name}`;
		}
		case 'retire-mission': {
			const [code] = positional(args, 1, 'retire-mission CODE');
			await retireMission(db, code, actor);
			return `Mission ${code} retired.`;
		}
		case 'list-missions':
			return table(
				(await listMissions(db)).map((m) => ({
					code: m.code,
					name: m.name,
					retired: m.retired_at
				}))
			);
		case 'create-code': {
			const { values } = parseArgs({
				args,
				options: {
					mission: { type: 'string' },
					role: { type: 'string' },
					'expires-days': { type: 'string' },
					note: { type: 'string' }
				}
			});
			const role = roleSchema.safeParse(values.role);
			if (!role.success) throw new UsageError('--role must be focal-point, hq-viewer or admin.');
			const days = values['expires-days'];
			if (days !== undefined && !/^\d+$/.test(days)) {
				throw new UsageError('--expires-days must be a whole number of days.');
			}
			const created = await createEnrolmentCode(
				db,
				{
					mission: values.mission ?? null,
					role: role.data,
					expiresDays: days === undefined ? undefined : Number(days),
					note: values.note
				},
				actor
			);
			return [
				`Enrolment code: ${created.code}`,
				`  role ${created.role}, mission ${created.mission ?? '(all)'}, expires ${created.expiresAt}`,
				'  It enrols one device, once. It is not stored and cannot be shown again.'
			].join('\n');
		}
		case 'list-codes':
			return table(
				(await listEnrolmentCodes(db)).map((c) => ({
					id: c.id,
					status: c.status,
					role: c.role,
					mission: c.mission,
					expires: c.expires_at,
					device: c.used_by_device,
					note: c.note
				}))
			);
		case 'revoke-code': {
			const [code] = positional(args, 1, 'revoke-code CODE|ID');
			const { id } = await revokeEnrolmentCode(db, code, actor);
			return `Enrolment code ${id} revoked.`;
		}
		case 'list-devices':
			return table(
				(await listDevices(db)).map((d) => ({
					id: d.id,
					name: d.display_name,
					role: d.role,
					mission: d.mission,
					enrolled: d.enrolled_at,
					'last seen': d.last_seen_at,
					pending: d.pending_count,
					'last mutation': d.last_applied_mutation_id,
					revoked: d.revoked_at
				}))
			);
		case 'revoke-device': {
			const [id] = positional(args, 1, 'revoke-device DEVICE_ID');
			const { alreadyRevoked } = await revokeDevice(db, id, actor);
			return alreadyRevoked
				? `Device ${id} was already revoked.`
				: `Device ${id} revoked: its next request is refused. It keeps its local data.`;
		}
		case 'new-epoch': {
			positional(args, 0, 'new-epoch');
			const { previous, epoch } = await newEpoch(db, actor);
			return `Epoch ${previous} → ${epoch}: every device will pull everything again.`;
		}
		case 'bootstrap-admin': {
			positional(args, 0, 'bootstrap-admin');
			const created = await bootstrapAdmin(db, actor);
			return [
				`Administrator enrolment code: ${created.code} (expires ${created.expiresAt})`,
				'  Enrol the administrator’s device with it. It works once and is not shown again.'
			].join('\n');
		}
		case 'audit': {
			const { values } = parseArgs({ args, options: { limit: { type: 'string' } } });
			const rows = await listAudit(db, values.limit ? Number(values.limit) : 50);
			return table(
				rows.map((r) => ({
					at: r.at,
					actor: r.actor,
					action: r.action,
					subject: r.subject,
					details: r.details
				}))
			);
		}
		default:
			throw new UsageError(`Unknown command ${command}.\n\n${USAGE}`);
	}
}

export interface AdminIo {
	databaseUrl?: string;
	out: (text: string) => void;
	err: (text: string) => void;
}

/** Runs one command; the exit code: 0 done, 1 refused or failed, 2 wrong usage. */
export async function runAdmin(argv: string[], io: AdminIo): Promise<number> {
	const [command, ...args] = argv;
	if (!command || command === 'help' || command === '--help' || command === '-h') {
		io.out(USAGE);
		return command ? 0 : 2;
	}
	let handle;
	try {
		handle = await openDatabase(io.databaseUrl, { poolSize: 1 });
	} catch (error) {
		io.err(error instanceof Error ? error.message : String(error));
		return 1;
	}
	try {
		io.out(await run(handle.db, command, args));
		return 0;
	} catch (error) {
		if (error instanceof UsageError) {
			io.err(error.message);
			return 2;
		}
		if (error instanceof AppError) {
			io.err(`Error: ${error.message}`);
			return 1;
		}
		if (
			error instanceof TypeError &&
			'code' in error &&
			String(error.code).startsWith('ERR_PARSE_ARGS')
		) {
			io.err(`${error.message}\n\n${USAGE}`);
			return 2;
		}
		throw error;
	} finally {
		await handle.db.destroy();
	}
}
