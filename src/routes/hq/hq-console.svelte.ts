import type { HqActivity, HqConflicts, HqFreshness, HqMatrix } from '$lib/shared/hq';
import type { HqFailure } from '$lib/client/hq-api';
import type { HqSession } from './hq-session.svelte';

/**
 * What the console shows, from the server: the matrix's cells, each mission's freshness, the
 * open conflicts, and the activity per week (of one mission when the mission filter is set).
 * Online only: nothing is kept on the device but the report itself.
 */
export class HqConsole {
	matrix = $state.raw<HqMatrix | undefined>(undefined);
	freshness = $state.raw<HqFreshness | undefined>(undefined);
	conflicts = $state.raw<HqConflicts | undefined>(undefined);
	activity = $state.raw<HqActivity | undefined>(undefined);
	/** Why something could not be loaded (offline, server error); the first failure. */
	loadFailure = $state<HqFailure | null>(null);
	loading = $state(false);

	readonly #session: HqSession;
	/** Only the newest activity request may set `activity` (the mission filter can change fast). */
	#activityRequest = 0;

	constructor(session: HqSession) {
		this.#session = session;
	}

	async load(mission?: string): Promise<void> {
		this.loading = true;
		try {
			// The matrix first, alone: the server answers it fastest without the others competing
			// for its one process, and the browser draws it while they are computed.
			const matrix = await this.#session.run(async (api) => (this.matrix = await api.matrix()));
			const outcomes = [
				matrix,
				...(await Promise.all([
					this.#session.run(async (api) => (this.freshness = await api.freshness())),
					this.#session.run(async (api) => (this.conflicts = await api.conflicts())),
					this.loadActivity(mission)
				]))
			];
			const failed = outcomes.find((outcome) => !outcome.ok);
			this.loadFailure = failed && !failed.ok ? failed.failure : null;
		} finally {
			this.loading = false;
		}
	}

	loadActivity(mission?: string) {
		const request = ++this.#activityRequest;
		return this.#session.run(async (api) => {
			const activity = await api.activity(mission);
			if (request === this.#activityRequest) this.activity = activity;
		});
	}

	/** After the first load: the mission filter changed, and the activity chart follows it. */
	async reloadActivity(mission?: string): Promise<void> {
		const outcome = await this.loadActivity(mission);
		if (!outcome.ok) this.loadFailure = outcome.failure;
	}
}
