import 'fake-indexeddb/auto';
import { gunzipSync } from 'node:zlib';
import { Dexie } from 'dexie';
import { vi } from 'vitest';
import type { Annotation } from '../../../src/lib/shared/annotation';
import type { MissionCode } from '../../../src/lib/shared/missions';
import { createEnrolmentCode } from '../../../src/lib/server/admin/codes';
import { FieldMatrixDatabase } from '../../../src/lib/client/db';
import {
	createAnnotation,
	deleteAnnotation,
	updateAnnotation
} from '../../../src/lib/client/annotations/annotation-store';
import { readDeviceValue } from '../../../src/lib/client/annotations/device-state';
import { saveProfile } from '../../../src/lib/client/annotations/profile';
import { createApiClient, type SyncApi } from '../../../src/lib/client/sync/api-client';
import { openConflicts, resolveConflict } from '../../../src/lib/client/sync/conflicts';
import { enrolDevice } from '../../../src/lib/client/sync/enrolment';
import { sameVersion } from '../../../src/lib/client/sync/local-apply';
import { syncOnce, type SyncSummary } from '../../../src/lib/client/sync/sync-engine';
import type { Backend } from '../backends';
import { FAULT_ACTOR, FaultServer, type ServerBackup } from './fault-server';
import { Random } from './random';
import { readV2Rows, writeV2Database } from '../../unit/client/fixtures/v2-database';

/*
 * FAULT INJECTION: one seeded scenario.
 *
 * 2–4 devices, each a real Dexie database (fake-indexeddb, its own name) running the real client
 * code (annotation-store, conflicts, enrolment, syncOnce) against the real server (FaultServer:
 * hooks.server.ts and the route handlers on SQLite or PostgreSQL), through a simulated network.
 * The seed decides every step: who writes, edits, deletes, edits the same entry as another
 * device, decides a conflict, syncs, and which fault strikes where:
 *   network-down       the device is offline for a while (every request fails), then back;
 *   request-failed     one request of a sync fails before reaching the server;
 *   lost-ack           a push is committed by the server, its answer lost on the way back;
 *   duplicate          the network delivers a push twice;
 *   reorder            a copy of a push is delivered again later, after newer pushes;
 *   kill-mid-batch     the server dies after a few statements of a push (transaction never
 *                      commits) and restarts on the same database;
 *   kill-after-commit  the server dies after committing a push, before answering, and restarts;
 *   restore            the database is restored from a backup taken earlier, then new-epoch
 *                      (README "Restoring a backup"); devices push
 *                      between the two, so the restore loses changes they were told were saved;
 *   offline-90-days    a device that wrote offline comes back 90 days later (fake clock);
 *   tab-killed         the page dies inside a save, after the entry was written and before its
 *                      outbox row (the transaction never commits): nothing of it may remain;
 *   schema-upgrade     a device that wrote on the v2 database (outbox not empty) installs the
 *                      version with sync: Dexie upgrades to v3, the device enrols and pushes.
 * Then a fault-free ending (every device online, rounds of sync until nothing moves) and the
 * invariants (checkInvariants). The steps are logged so a failure prints how to replay it.
 */

export const FAULT_KINDS = [
	'network-down',
	'request-failed',
	'lost-ack',
	'duplicate',
	'reorder',
	'kill-mid-batch',
	'kill-after-commit',
	'restore',
	'offline-90-days',
	'tab-killed',
	'schema-upgrade'
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScenarioOptions {
	seed: number;
	backend: Backend;
	/**
	 * Test hook, to prove the checks can fail: runs just before the invariants are checked, with
	 * the server's database and each device's.
	 */
	beforeCheck?: (server: FaultServer, devices: FieldMatrixDatabase[]) => Promise<void>;
}

export interface ScenarioResult {
	seed: number;
	backend: Backend['name'];
	devices: number;
	steps: string[];
	faults: Record<FaultKind, number>;
	/** Entries created (and reported saved) on the devices. */
	entriesWritten: number;
	/** Every change reported saved: creates, edits, deletes, conflict decisions. */
	changesWritten: number;
	conflicts: number;
	/** Saved changes the server holds neither as a version nor as a kept conflict. */
	lost: number;
	/** Saved changes the server holds more than once. */
	duplicated: number;
	converged: boolean;
	/** Every invariant broken, in words; empty when the scenario passed. */
	failures: string[];
}

/** A change a device reported saved. */
interface SavedChange {
	opId: string;
	annotationId: string;
	note: string;
	deleted: boolean;
	device: number;
	decision: boolean;
}

type NetworkFaultKind =
	'request-failed' | 'lost-ack' | 'duplicate' | 'reorder' | 'kill-mid-batch' | 'kill-after-commit';

interface NetworkPlan {
	kind: NetworkFaultKind;
	/** The request (request-failed: any; the others: push) of the next sync it strikes. */
	at: number;
	requests: number;
	pushes: number;
}

interface SimDevice {
	index: number;
	name: string;
	mission: MissionCode;
	db: FieldMatrixDatabase;
	api: SyncApi;
	online: boolean;
	/** Still on the v2 app: writes offline, cannot sync until it upgrades. */
	legacy: boolean;
	/** Offline since this step, for the 90-day fault. */
	offlineSince: number | null;
	plan: NetworkPlan | null;
	/** A fault struck during the current sync (its failure is expected). */
	struck: boolean;
}

interface DelayedPush {
	device: number;
	headers: Record<string, string>;
	body: Uint8Array;
}

const DATASET_VERSION = '0123456789abcdef';
const RECOMMENDATIONS = ['a78-19-p38', 'a78-19-p40', 'a78-19-p52'];
const DAY_MS = 24 * 60 * 60 * 1000;
/** Fake clock start: the same for every seed, so a replay sees the same dates. */
const CLOCK_START = Date.parse('2026-01-05T08:00:00.000Z');
let databaseCount = 0;

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
	vi.useFakeTimers({ toFake: ['Date'], now: CLOCK_START });
	const server = await FaultServer.start(options.backend);
	const scenario = new Scenario(options, server);
	try {
		return await scenario.run();
	} finally {
		await scenario.close();
		await server.stop();
		vi.useRealTimers();
	}
}

class Scenario {
	private readonly random: Random;
	/** Draws of faults added later, so they leave every older seed's steps as they were. */
	private readonly sideRandom: Random;
	private readonly devices: SimDevice[] = [];
	private readonly saved = new Map<string, SavedChange>();
	/** Entry ids in the order they were created, to pick from deterministically. */
	private readonly entryIds: string[] = [];
	private readonly delayed: DelayedPush[] = [];
	private readonly steps: string[] = [];
	private readonly failures: string[] = [];
	private readonly faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<
		FaultKind,
		number
	>;
	private backup: ServerBackup | null = null;
	/** The step at which the backup taken is restored. */
	private restoreAt = 0;
	private step = 0;

	constructor(
		private readonly options: ScenarioOptions,
		private readonly server: FaultServer
	) {
		this.random = new Random(options.seed);
		this.sideRandom = new Random(options.seed ^ 0x5eed);
	}

	async run(): Promise<ScenarioResult> {
		const count = this.random.int(2, 4);
		const secondMission = this.random.chance(0.3);
		for (let index = 0; index < count; index++) {
			// The first two always share a mission, so concurrent edits happen.
			const mission = secondMission && index === count - 1 && count > 2 ? 'MINUSCA' : 'UNMISS';
			const legacy = index > 0 && this.random.chance(0.15);
			this.devices.push(await this.addDevice(index, mission, legacy));
		}
		const stepCount = this.random.int(12, 28);
		for (this.step = 1; this.step <= stepCount; this.step++) {
			vi.setSystemTime(Date.now() + this.random.int(1_000, 120_000));
			if (this.backup && this.step >= this.restoreAt) await this.restore();
			else await this.randomStep();
		}
		await this.finish();
		return this.check();
	}

	async close(): Promise<void> {
		for (const device of this.devices) {
			device.db.close();
			await Dexie.delete(device.db.name);
		}
	}

	private log(text: string): void {
		this.steps.push(`${this.step}: ${text}`);
	}

	private fail(text: string): void {
		this.failures.push(text);
	}

	// ---- devices ---------------------------------------------------------------------------

	private async addDevice(index: number, mission: MissionCode, legacy: boolean) {
		const name = `fault-device-${process.pid}-${++databaseCount}`;
		const db = new FieldMatrixDatabase(name);
		const device: SimDevice = {
			index,
			name: `Device ${index}`,
			mission,
			db,
			api: undefined as unknown as SyncApi,
			online: true,
			legacy,
			offlineSince: null,
			plan: null,
			struck: false
		};
		device.api = createApiClient({
			baseUrl: 'http://localhost',
			fetch: (input: RequestInfo | URL, init?: RequestInit) => this.deviceFetch(device, input, init)
		});
		if (legacy) {
			// The first-run picker of the v2 app: a profile, no enrolment.
			await saveProfile(db, { mission, displayName: device.name });
			this.log(`d${index} starts on the v2 app (${mission}), not enrolled`);
		} else {
			await this.enrol(device);
			this.log(`d${index} enrols (${mission})`);
		}
		return device;
	}

	private async enrol(device: SimDevice): Promise<void> {
		const { code } = await createEnrolmentCode(
			this.server.db,
			{ mission: device.mission, role: 'focal-point' },
			FAULT_ACTOR
		);
		await enrolDevice(device.db, device.api, { code, displayName: device.name });
	}

	/**
	 * schema-upgrade: the device's v2 database (its tables as the v2 app had them, outbox not
	 * empty) is opened by today's code, which upgrades it to v3; then it enrols as the same
	 * person for the same mission, which keeps the outbox.
	 */
	private async upgrade(device: SimDevice): Promise<void> {
		const pending = await device.db.outbox.count();
		const rows = await readV2Rows(device.db);
		device.db.close();
		await Dexie.delete(device.db.name);
		await writeV2Database(device.db.name, rows);
		device.db = new FieldMatrixDatabase(device.db.name);
		await device.db.open();
		if (device.db.verno !== 3) this.fail(`d${device.index}: upgraded to v${device.db.verno}`);
		if ((await device.db.outbox.count()) !== pending) {
			this.fail(`d${device.index}: the upgrade changed the outbox (${pending} rows before)`);
		}
		await this.enrol(device);
		if ((await device.db.outbox.count()) !== pending) {
			this.fail(`d${device.index}: enrolling after the upgrade changed the outbox`);
		}
		device.legacy = false;
		this.faults['schema-upgrade']++;
		this.log(`d${device.index} upgrades v2 → v3 with ${pending} unsent change(s), enrols`);
	}

	// ---- the network -----------------------------------------------------------------------

	private async deviceFetch(
		device: SimDevice,
		input: RequestInfo | URL,
		init?: RequestInit
	): Promise<Response> {
		const request = new Request(input, init);
		const url = new URL(request.url);
		if (!device.online) throw new TypeError('fetch failed: the network is down');
		const isPush = url.pathname === '/api/v1/sync/push';
		let fault: NetworkFaultKind | null = null;
		const plan = device.plan;
		if (plan) {
			plan.requests++;
			if (isPush) plan.pushes++;
			const index = plan.kind === 'request-failed' ? plan.requests : isPush ? plan.pushes : -1;
			if (index === plan.at) {
				fault = plan.kind;
				device.plan = null;
				device.struck = true;
			}
		}
		if (fault === 'request-failed') {
			this.faults['request-failed']++;
			throw new TypeError('fetch failed: connection reset before the server read the request');
		}

		const headers: Record<string, string> = {};
		request.headers.forEach((value, key) => (headers[key] = value));
		headers['accept-encoding'] = 'gzip';
		const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
		const path = `${url.pathname}${url.search}`;
		const send = () => this.server.request(request.method, path, headers, body);

		let answer: Response;
		switch (fault) {
			case 'kill-mid-batch': {
				this.server.kill.arm(this.random.int(1, 12));
				answer = await quietly(send);
				const died = this.server.kill.fired;
				await this.server.restart();
				// Statements ran out before the push did: it committed, then the server died.
				this.faults[died ? 'kill-mid-batch' : 'kill-after-commit']++;
				this.log(
					died
						? `   server killed mid-push (HTTP ${answer.status}), restarted`
						: `   server killed after the push committed, restarted`
				);
				throw new TypeError('fetch failed: socket hang up (the server died)');
			}
			case 'kill-after-commit':
				answer = await send();
				await answer.arrayBuffer();
				await this.server.restart();
				this.faults['kill-after-commit']++;
				throw new TypeError('fetch failed: socket hang up (the server died)');
			case 'duplicate': {
				const first = await send();
				answer = await send();
				this.faults.duplicate++;
				// Either copy's answer may be the one that arrives.
				if (this.random.chance(0.5)) answer = first;
				break;
			}
			case 'reorder':
				answer = await send();
				if (body) {
					this.delayed.push({ device: device.index, headers, body });
					this.faults.reorder++;
				}
				break;
			default:
				answer = await send();
		}
		const response = await asFetchResponse(answer);
		if (fault === 'lost-ack') {
			this.faults['lost-ack']++;
			throw new TypeError('fetch failed: the connection dropped before the answer arrived');
		}
		return response;
	}

	/** Late copies of earlier pushes arrive now, after newer ones; nobody reads the answers. */
	private async deliverDelayed(): Promise<void> {
		for (const push of this.delayed.splice(0)) {
			const answer = await this.server.request(
				'POST',
				'/api/v1/sync/push',
				push.headers,
				push.body
			);
			this.log(`   a late copy of a d${push.device} push arrives: HTTP ${answer.status}`);
			if (answer.status >= 500) this.fail(`a late duplicate push got HTTP ${answer.status}`);
			await answer.arrayBuffer();
		}
	}

	// ---- steps -----------------------------------------------------------------------------

	private async randomStep(): Promise<void> {
		const action = this.random.weighted({
			write: 22,
			edit: 16,
			delete: 5,
			concurrentEdit: 7,
			decide: 5,
			sync: 22,
			syncWithFault: 18,
			parallelSync: 4,
			networkDown: 3,
			networkUp: 3,
			lateCopies: 2,
			restart: 1,
			backup: 1,
			offline90: 1,
			upgrade: 2
		});
		const device = this.random.pick(this.devices);
		switch (action) {
			case 'write':
				return this.write(device);
			case 'edit':
				return this.edit(device);
			case 'delete':
				return this.remove(device);
			case 'concurrentEdit':
				return this.concurrentEdit();
			case 'decide':
				return this.decide(device);
			case 'sync':
				return this.sync(device);
			case 'syncWithFault':
				return this.syncWithFault(device);
			case 'parallelSync':
				return this.parallelSync();
			case 'networkDown':
				if (device.online && !device.legacy) {
					device.online = false;
					device.offlineSince = this.step;
					this.faults['network-down']++;
					this.log(`d${device.index} loses the network`);
				}
				return;
			case 'networkUp':
				return this.networkUp(device);
			case 'lateCopies':
				if (this.backup) return;
				return this.deliverDelayed();
			case 'restart':
				if (this.backup && this.server.backend.name === 'postgres') return;
				this.log('server restarts');
				return this.server.restart();
			case 'backup':
				if (this.backup || this.faults.restore > 0) return;
				this.backup = await this.server.backup();
				this.restoreAt = this.step + this.random.int(2, 5);
				this.log(`server: backup taken (restored at step ${this.restoreAt})`);
				return;
			case 'offline90':
				return this.offline90Days(device);
			case 'upgrade':
				if (device.legacy) return this.upgrade(device);
				return;
		}
	}

	private async restore(): Promise<void> {
		if (!this.backup) return;
		await this.server.restore(this.backup);
		this.backup = null;
		this.faults.restore++;
		this.log('server: restored from the backup, new epoch');
	}

	private async record(device: SimDevice, entry: Annotation, decision = false): Promise<void> {
		const latest = await device.db.outbox.where('annotationId').equals(entry.id).last();
		if (!latest || this.saved.has(latest.opId)) {
			this.fail(`d${device.index}: a reported save of ${entry.id} left no outbox row`);
			return;
		}
		this.saved.set(latest.opId, {
			opId: latest.opId,
			annotationId: entry.id,
			note: latest.payload.note,
			deleted: latest.payload.deleted,
			device: device.index,
			decision
		});
	}

	private note(device: SimDevice, what: string): string {
		return `seed ${this.options.seed}, step ${this.step}: ${what} by d${device.index}`;
	}

	private async write(device: SimDevice): Promise<void> {
		if (this.sideRandom.chance(0.15)) await this.killedWrite(device);
		const entry = await createAnnotation(device.db, {
			recommendationId: this.random.pick(RECOMMENDATIONS),
			datasetVersion: DATASET_VERSION,
			input: input(this.note(device, 'written'), this.random)
		});
		this.entryIds.push(entry.id);
		await this.record(device, entry);
		this.log(`d${device.index} writes e${this.entryIds.length - 1}`);
	}

	/**
	 * tab-killed: the page dies inside a save, between writing the entry and its outbox row (a
	 * throwing outbox hook stands for the death: the transaction never commits). The save must
	 * fail and leave the device's tables exactly as they were; the user was never told "saved".
	 */
	private async killedWrite(device: SimDevice): Promise<void> {
		const tables = ['annotations', 'outbox', 'history', 'device'] as const;
		const dump = async () =>
			JSON.stringify(await Promise.all(tables.map((table) => device.db.table(table).toArray())));
		const before = await dump();
		const die = () => {
			throw new Error('the tab was killed');
		};
		device.db.outbox.hook('creating', die);
		let saved = false;
		try {
			await createAnnotation(device.db, {
				recommendationId: this.sideRandom.pick(RECOMMENDATIONS),
				datasetVersion: DATASET_VERSION,
				input: input(this.note(device, 'killed mid-save'), this.sideRandom)
			});
			saved = true;
		} catch {
			// The save failed, as it must.
		} finally {
			device.db.outbox.hook('creating').unsubscribe(die);
		}
		if (saved) this.fail(`d${device.index}: a save killed before its outbox row reported saved`);
		if ((await dump()) !== before) {
			this.fail(`d${device.index}: a save killed before its outbox row left something behind`);
		}
		this.faults['tab-killed']++;
		this.log(`d${device.index}'s tab is killed mid-save: nothing of it remains`);
	}

	/** The entries of the device's mission it holds and may still edit, in creation order. */
	private async editable(device: SimDevice): Promise<{ index: number; entry: Annotation }[]> {
		const held = await device.db.annotations.bulkGet(this.entryIds);
		return held
			.map((entry, index) => ({ index, entry }))
			.filter(
				(item): item is { index: number; entry: Annotation } =>
					item.entry !== undefined && !item.entry.deleted && item.entry.mission === device.mission
			);
	}

	private async edit(device: SimDevice): Promise<void> {
		const candidates = await this.editable(device);
		if (candidates.length === 0) return this.write(device);
		const { index, entry } = this.random.pick(candidates);
		const saved = await updateAnnotation(
			device.db,
			entry.id,
			input(this.note(device, 'edited'), this.random)
		);
		await this.record(device, saved);
		this.log(`d${device.index} edits e${index}`);
	}

	private async remove(device: SimDevice): Promise<void> {
		const candidates = await this.editable(device);
		if (candidates.length === 0) return;
		const { index, entry } = this.random.pick(candidates);
		await this.record(device, await deleteAnnotation(device.db, entry.id));
		this.log(`d${device.index} deletes e${index}`);
	}

	/** Two devices change the same entry before either hears of the other's change. */
	private async concurrentEdit(): Promise<void> {
		const pairs: { a: SimDevice; b: SimDevice; index: number; id: string }[] = [];
		for (const a of this.devices) {
			for (const b of this.devices) {
				if (a.index >= b.index || a.mission !== b.mission) continue;
				const onA = await this.editable(a);
				const onB = new Set((await this.editable(b)).map((item) => item.entry.id));
				for (const { index, entry } of onA) {
					if (onB.has(entry.id)) pairs.push({ a, b, index, id: entry.id });
				}
			}
		}
		if (pairs.length === 0) return;
		const { a, b, index, id } = this.random.pick(pairs);
		for (const device of [a, b]) {
			const deleting = device === b && this.random.chance(0.25);
			const saved = deleting
				? await deleteAnnotation(device.db, id)
				: await updateAnnotation(device.db, id, input(this.note(device, 'edited'), this.random));
			await this.record(device, saved);
		}
		this.log(`d${a.index} and d${b.index} both change e${index}`);
	}

	private async decide(device: SimDevice): Promise<void> {
		const open = (await openConflicts(device.db)).filter((c) => c.mission === device.mission);
		if (open.length === 0) return;
		const conflict = this.random.pick(open);
		const choice = this.random.pick(['mine', 'theirs'] as const);
		const entry = await resolveConflict(device.db, conflict.id, choice);
		await this.record(device, entry, true);
		this.log(
			`d${device.index} decides a conflict on e${this.entryIds.indexOf(entry.id)}: ${choice}`
		);
	}

	private async sync(device: SimDevice): Promise<void> {
		if (device.legacy) return;
		device.struck = false;
		const pushBatch = this.random.chance(0.3) ? this.random.int(1, 3) : undefined;
		let outcome: string;
		try {
			const summary = await syncOnce(device.db, device.api, { pushBatch });
			outcome = summaryText(summary);
		} catch (error) {
			outcome = `failed: ${(error as Error).message}`;
			// A sync with no fault on its way must succeed.
			if (device.online && !device.struck) {
				this.fail(`d${device.index}: a fault-free sync failed: ${(error as Error).message}`);
			}
		}
		const plan = device.plan;
		device.plan = null;
		this.log(
			`d${device.index} syncs${pushBatch ? ` (batches of ${pushBatch})` : ''}${
				plan ? ` [${plan.kind} at #${plan.at}, ${device.struck ? 'struck' : 'not reached'}]` : ''
			}${device.online ? '' : ' offline'} → ${outcome}`
		);
	}

	private async syncWithFault(device: SimDevice): Promise<void> {
		if (device.legacy || !device.online) return this.sync(device);
		// Push faults need something to push.
		if ((await device.db.outbox.count()) === 0) await this.write(device);
		const pending = await device.db.outbox.count();
		const kind: NetworkFaultKind =
			pending === 0
				? 'request-failed'
				: this.random.weighted({
						'request-failed': 3,
						'lost-ack': 3,
						duplicate: 2,
						reorder: 2,
						'kill-mid-batch': 2,
						'kill-after-commit': 1
					});
		// Pushes go in batches of 1–3 mutations now and then, so a fault may strike a later one.
		const at = this.random.int(1, kind === 'request-failed' ? 3 : 2);
		device.plan = { kind, at, requests: 0, pushes: 0 };
		return this.sync(device);
	}

	/** Two devices sync at the same time (no fault: one server, two requests in flight). */
	private async parallelSync(): Promise<void> {
		const ready = this.devices.filter((d) => !d.legacy && d.online);
		if (ready.length < 2) return;
		const a = this.random.pick(ready);
		const b = this.random.pick(ready.filter((d) => d !== a));
		const results = await Promise.allSettled([syncOnce(a.db, a.api), syncOnce(b.db, b.api)]);
		results.forEach((result, i) => {
			if (result.status === 'rejected') {
				this.fail(`d${[a, b][i].index}: a fault-free parallel sync failed: ${result.reason}`);
			}
		});
		this.log(`d${a.index} and d${b.index} sync at the same time`);
	}

	private networkUp(device: SimDevice): void {
		if (device.online) return;
		device.online = true;
		device.offlineSince = null;
		this.log(`d${device.index} has the network again`);
	}

	/** offline-90-days: the device wrote offline; 90 days later it comes back and syncs. */
	private async offline90Days(device: SimDevice): Promise<void> {
		if (device.legacy) return;
		if (device.online) {
			device.online = false;
			this.faults['network-down']++;
		}
		await this.write(device);
		vi.setSystemTime(Date.now() + 90 * DAY_MS);
		this.faults['offline-90-days']++;
		this.log(`d${device.index} stays offline for 90 days`);
		this.networkUp(device);
		const enrolment = await readDeviceValue(device.db, 'enrolment');
		await this.sync(device);
		const after = await readDeviceValue(device.db, 'enrolment');
		if (enrolment && !enrolment.revokedAt && after?.revokedAt) {
			this.fail(`d${device.index}: its token stopped working after 90 days offline`);
		}
	}

	// ---- the fault-free ending ------------------------------------------------------------

	private async finish(): Promise<void> {
		this.step = 0;
		this.steps.push('end: every fault cleared, every device online, sync until quiescent');
		await this.restore();
		await this.deliverDelayed();
		for (const device of this.devices) {
			device.online = true;
			device.plan = null;
			if (device.legacy) await this.upgrade(device);
		}
		for (let round = 1; round <= 6; round++) {
			let moved = 0;
			for (const device of this.devices) {
				try {
					const summary = await syncOnce(device.db, device.api);
					moved += summary.pushed + summary.pulled;
				} catch (error) {
					this.fail(`d${device.index}: final sync round ${round} failed: ${error}`);
					return;
				}
			}
			if (moved === 0) return;
		}
		this.fail('the devices did not become quiescent in 6 fault-free rounds');
	}

	// ---- the invariants --------------------------------------------------------------------

	private async check(): Promise<ScenarioResult> {
		await this.options.beforeCheck?.(
			this.server,
			this.devices.map((device) => device.db)
		);
		const db = this.server.db;
		const history = await db
			.selectFrom('annotation_history')
			.select(['op_id', 'data', 'annotation_id'])
			.execute();
		const conflictRows = await db.selectFrom('conflicts').selectAll().execute();
		const annotations = await db.selectFrom('annotations').selectAll().execute();

		// 1. Every saved change is on the server exactly once, as a version or a kept conflict.
		const versionsByOp = group(history, (row) => row.op_id);
		const conflictsByOp = group(conflictRows, (row) => row.op_id);
		let lost = 0;
		let duplicated = 0;
		for (const change of this.saved.values()) {
			const versions = versionsByOp.get(change.opId) ?? [];
			const kept = conflictsByOp.get(change.opId) ?? [];
			const copies = [
				...versions.map((row) => JSON.parse(row.data) as Annotation),
				...kept.map((row) => JSON.parse(row.incoming_data) as Annotation)
			];
			const what = `d${change.device}'s change ${change.opId} of ${change.annotationId}`;
			if (copies.length === 0) {
				lost++;
				this.fail(`LOST: ${what} ("${change.note}") is not on the server`);
			} else if (copies.length > 1) {
				duplicated++;
				this.fail(`DUPLICATED: ${what} is on the server ${copies.length} times`);
			} else if (copies[0].note !== change.note || copies[0].deleted !== change.deleted) {
				lost++;
				this.fail(`LOST: ${what}: the server holds other words ("${copies[0].note}")`);
			}
		}
		for (const row of history) {
			if (!this.saved.has(row.op_id)) {
				duplicated++;
				this.fail(`DUPLICATED: a version of ${row.annotation_id} no device saved (${row.op_id})`);
			}
		}
		const serverIds = new Set(annotations.map((row) => row.id));
		for (const id of new Set([...this.saved.values()].map((c) => c.annotationId))) {
			if (!serverIds.has(id)) this.fail(`LOST: entry ${id} is not on the server`);
		}

		// 2. No conflict was settled by anything but a person's decision.
		const decisions = new Set(
			[...this.saved.values()].filter((c) => c.decision).map((c) => c.opId)
		);
		for (const row of conflictRows) {
			if (row.resolved_at && !(row.resolved_by_op && decisions.has(row.resolved_by_op))) {
				this.fail(`conflict ${row.id} was resolved without a decision (${row.resolved_by_op})`);
			}
		}

		// 3. Each device: nothing stuck or refused, exactly the server's state of its mission,
		//    every conflict record as the server has it.
		let converged = true;
		for (const device of this.devices) {
			const tag = `d${device.index}`;
			const before = this.failures.length;
			for (const table of ['outbox', 'rejected', 'parked'] as const) {
				const rows = await device.db[table].count();
				if (rows > 0) this.fail(`${tag}: ${rows} row(s) left in ${table}`);
			}
			const enrolment = await readDeviceValue(device.db, 'enrolment');
			if (!enrolment || enrolment.revokedAt) this.fail(`${tag}: not enrolled or revoked`);

			const local = new Map((await device.db.annotations.toArray()).map((e) => [e.id, e]));
			const expected = annotations.filter((row) => row.mission === device.mission);
			for (const row of expected) {
				const server = { ...(JSON.parse(row.data) as Annotation), revision: Number(row.revision) };
				const mine = local.get(row.id);
				if (!mine) this.fail(`${tag}: lacks entry ${row.id} (revision ${row.revision})`);
				else if (!sameVersion(mine, server)) {
					this.fail(
						`${tag}: entry ${row.id} differs: device r${mine.revision} "${mine.note}", server r${server.revision} "${server.note}"`
					);
				}
				local.delete(row.id);
			}
			for (const extra of local.values()) {
				this.fail(`${tag}: holds entry ${extra.id} (r${extra.revision}) the server lacks`);
			}

			const records = new Map((await device.db.conflicts.toArray()).map((c) => [c.id, c]));
			for (const row of conflictRows.filter((c) => c.mission === device.mission)) {
				const record = records.get(row.id);
				const state = row.resolved_at ? 'resolved' : 'open';
				if (!record) this.fail(`${tag}: conflict ${row.id} is not visible on the device`);
				else if (record.state !== state) {
					this.fail(`${tag}: conflict ${row.id} is ${record.state} here, ${state} on the server`);
				}
				records.delete(row.id);
			}
			for (const extra of records.keys())
				this.fail(`${tag}: conflict ${extra} unknown to the server`);
			if (this.failures.length > before) converged = false;
		}

		return {
			seed: this.options.seed,
			backend: this.server.backend.name,
			devices: this.devices.length,
			steps: this.steps,
			faults: this.faults,
			entriesWritten: this.entryIds.length,
			changesWritten: this.saved.size,
			conflicts: conflictRows.length,
			lost,
			duplicated,
			converged,
			failures: this.failures
		};
	}
}

function input(note: string, random: Random) {
	return {
		status: random.pick(['planned', 'in-progress', 'implemented', 'needs-hq-support']),
		note,
		evidence: random.chance(0.5) ? [{ label: 'Code Cable', symbol: 'S/2024/292' }] : [],
		progressDate: '2025-11-04'
	};
}

function summaryText(summary: SyncSummary): string {
	const parts = [
		`pushed ${summary.pushed}`,
		`applied ${summary.applied}`,
		`duplicates ${summary.duplicates}`,
		`conflicts ${summary.conflicts}`,
		`pulled ${summary.pulled}`
	];
	if (summary.rejected) parts.push(`REJECTED ${summary.rejected}`);
	if (summary.epochChanged) parts.push('new epoch');
	return parts.join(', ');
}

function group<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const row of rows) {
		const k = key(row);
		map.set(k, [...(map.get(k) ?? []), row]);
	}
	return map;
}

/** A fetch Response as the page gets it: decompressed, whatever the wire carried. */
export async function asFetchResponse(answer: Response): Promise<Response> {
	const bytes = new Uint8Array(await answer.arrayBuffer());
	const plain =
		answer.headers.get('content-encoding') === 'gzip' ? new Uint8Array(gunzipSync(bytes)) : bytes;
	const headers = new Headers(answer.headers);
	headers.delete('content-encoding');
	headers.delete('content-length');
	return new Response(plain, { status: answer.status, headers });
}

/** The server logs the 500 of a killed request; the kill is the test's own doing. */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
	const error = console.error;
	console.error = () => undefined;
	try {
		return await run();
	} finally {
		console.error = error;
	}
}

/** How to replay a failed scenario, with its steps and what broke. */
export function failureReport(result: ScenarioResult): string {
	return [
		`Fault-injection scenario failed: seed ${result.seed} on ${result.backend}.`,
		`Replay: FAULT_SEED=${result.seed} FAULT_BACKEND=${result.backend} npm run test:soak`,
		'Broken invariants:',
		...result.failures.map((failure) => `  - ${failure}`),
		'Steps:',
		...result.steps.map((step) => `  ${step}`)
	].join('\n');
}
