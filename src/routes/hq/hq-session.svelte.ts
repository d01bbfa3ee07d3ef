import { database } from '$lib/client/database';
import { blocksHq, hqAccess, hqFailure, type HqApi, type HqFailure } from '$lib/client/hq-api';

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: HqFailure };

/**
 * This device's access to the HQ API, shared by the console's pages. It is read from the
 * stored enrolment first (no request for a device that cannot be let in), then every call goes
 * through `run`: a 401 or 403 from any of them blocks the page, which then says why instead of
 * showing stale figures.
 */
export class HqSession {
	checking = $state(true);
	/** The device's own database could not be read (storage blocked or broken). */
	storageError = $state<string | null>(null);
	blocked = $state<HqFailure | null>(null);
	ready = $state(false);
	#api: HqApi | undefined;

	async open(): Promise<void> {
		try {
			const access = await hqAccess(await database());
			if (access.state === 'ready') {
				this.#api = access.api;
				this.ready = true;
			} else {
				this.blocked = { kind: access.state };
			}
		} catch (error) {
			this.storageError = String(error);
		} finally {
			this.checking = false;
		}
	}

	async run<T>(call: (api: HqApi) => Promise<T>): Promise<Outcome<T>> {
		if (!this.#api) return { ok: false, failure: this.blocked ?? { kind: 'not-enrolled' } };
		try {
			return { ok: true, value: await call(this.#api) };
		} catch (error) {
			const failure = hqFailure(error);
			if (blocksHq(failure)) this.blocked = failure;
			return { ok: false, failure };
		}
	}
}

/**
 * The console's last view (its query string), for the recommendation page's way back: drilling
 * into a cell and returning keeps the filters. Memory only; a reload starts afresh.
 */
export const consoleView = { search: '' };
