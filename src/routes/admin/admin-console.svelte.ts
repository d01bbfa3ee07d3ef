import {
	adminFailure,
	blocksConsole,
	type AdminApi,
	type AdminFailure
} from '$lib/client/admin-api';
import type { AdminCode, AdminDevice, AdminMission, AuditEntry } from '$lib/shared/admin';
import { failureText } from './format';

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: AdminFailure };

export interface ConfirmRequest {
	title: string;
	message: string;
	confirmLabel: string;
}

/** Asks the person to confirm a destructive action (ConfirmDialog.svelte). */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

type List = 'missions' | 'codes' | 'devices' | 'audit';

/**
 * What the admin page shows, and the actions on it. Each action runs against the server (this
 * page is online only: administration is never queued offline), then reloads what it changed
 * and the audit log's first page. A 401 or 403 from any call blocks the whole console: the page
 * then says why instead of showing stale lists.
 */
export class AdminConsole {
	missions = $state.raw<AdminMission[] | undefined>(undefined);
	codes = $state.raw<AdminCode[] | undefined>(undefined);
	devices = $state.raw<AdminDevice[] | undefined>(undefined);
	audit = $state.raw<AuditEntry[] | undefined>(undefined);
	/** Where the next page of the audit log starts; null when everything is shown. */
	auditNext = $state<string | null>(null);
	blocked = $state<AdminFailure | null>(null);
	/** Why the lists could not be loaded (offline, server error). */
	loadFailure = $state<AdminFailure | null>(null);

	readonly #api: AdminApi;
	/** This browser's own device, which the page never offers to revoke. */
	readonly deviceId: string;

	constructor(api: AdminApi, deviceId: string) {
		this.#api = api;
		this.deviceId = deviceId;
	}

	async #run<T>(call: (api: AdminApi) => Promise<T>): Promise<Outcome<T>> {
		try {
			return { ok: true, value: await call(this.#api) };
		} catch (error) {
			const failure = adminFailure(error);
			if (blocksConsole(failure)) this.blocked = failure;
			return { ok: false, failure };
		}
	}

	async #reload(list: List): Promise<Outcome<unknown>> {
		switch (list) {
			case 'missions':
				return this.#run(async (api) => (this.missions = await api.listMissions()));
			case 'codes':
				return this.#run(async (api) => (this.codes = await api.listCodes()));
			case 'devices':
				return this.#run(async (api) => (this.devices = await api.listDevices()));
			case 'audit':
				return this.#run(async (api) => {
					const page = await api.auditPage();
					this.audit = page.entries;
					this.auditNext = page.nextBefore;
				});
		}
	}

	/** Loads every list; the first failure is kept in `loadFailure`. */
	async load(lists: List[] = ['missions', 'codes', 'devices', 'audit']): Promise<void> {
		const outcomes = await Promise.all(lists.map((list) => this.#reload(list)));
		const failed = outcomes.find((outcome) => !outcome.ok);
		this.loadFailure = failed && !failed.ok ? failed.failure : null;
	}

	async loadOlderAudit(): Promise<Outcome<void>> {
		const before = this.auditNext;
		if (!before) return { ok: true, value: undefined };
		return this.#run(async (api) => {
			const page = await api.auditPage({ before });
			this.audit = [...(this.audit ?? []), ...page.entries];
			this.auditNext = page.nextBefore;
		});
	}

	/** Runs a change, then reloads `lists` and the audit log (whether it succeeded or not). */
	async #change<T>(call: (api: AdminApi) => Promise<T>, lists: List[]): Promise<Outcome<T>> {
		const outcome = await this.#run(call);
		if (!this.blocked) await this.load([...lists, 'audit']);
		return outcome;
	}

	createMission(code: string, name: string) {
		return this.#change((api) => api.createMission({ code, name }), ['missions']);
	}

	renameMission(code: string, name: string) {
		return this.#change((api) => api.updateMission(code, { name }), ['missions']);
	}

	retireMission(code: string) {
		return this.#change((api) => api.updateMission(code, { retired: true }), ['missions']);
	}

	createCode(request: Parameters<AdminApi['createCode']>[0]) {
		return this.#change((api) => api.createCode(request), ['codes']);
	}

	revokeCode(id: string) {
		return this.#change((api) => api.revokeCode(id), ['codes']);
	}

	revokeDevice(id: string) {
		return this.#change((api) => api.revokeDevice(id), ['devices']);
	}
}

/** A section's pending action and what came of it, said in words under its form. */
export class ActionFeedback {
	busy = $state(false);
	result = $state<{ tone: 'success' | 'error'; text: string } | undefined>(undefined);

	async run<T>(
		action: () => Promise<Outcome<T>>,
		success: (value: T) => string
	): Promise<Outcome<T>> {
		this.busy = true;
		try {
			const outcome = await action();
			this.result = outcome.ok
				? { tone: 'success', text: success(outcome.value) }
				: { tone: 'error', text: failureText(outcome.failure) };
			return outcome;
		} finally {
			this.busy = false;
		}
	}
}
