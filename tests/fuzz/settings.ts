/**
 * How much to fuzz. `npm test` runs a quick set; `npm run test:fuzz` sets FUZZ_FULL=1.
 * FUZZ_RUNS overrides the runs per property; FUZZ_SEED replays a run (the seed is printed at the
 * start, and fast-check prints the failing property's own seed and path).
 */
export const FUZZ_FULL = process.env.FUZZ_FULL === '1';

export function fuzzRuns(quick: number, full: number): number {
	const forced = Number(process.env.FUZZ_RUNS);
	if (Number.isInteger(forced) && forced > 0) return forced;
	return FUZZ_FULL ? full : quick;
}

/**
 * The quick set (`npm test`) runs one fixed seed, so the gate is reproducible; the full run
 * (`npm run test:fuzz`) draws a new one each time to explore further.
 */
const QUICK_SEED = 20261128;

export const FUZZ_SEED: number = (() => {
	const given = Number(process.env.FUZZ_SEED);
	if (process.env.FUZZ_SEED && Number.isInteger(given)) return given;
	return FUZZ_FULL ? Math.floor(Math.random() * 2 ** 31) : QUICK_SEED;
})();

/** Counts of one fuzz run, printed at its end. */
export class FuzzStats {
	readonly routes = new Map<string, { inputs: number; statuses: Map<number | string, number> }>();
	/** 5xx answers, or errors other than the ones the code under test throws on purpose. */
	serverErrors = 0;
	databaseChecks = 0;
	acceptedChanges = 0;

	/** An input and what came of it: an HTTP status, or a named outcome. */
	record(route: string, status: number | string): void {
		let entry = this.routes.get(route);
		if (!entry) {
			entry = { inputs: 0, statuses: new Map() };
			this.routes.set(route, entry);
		}
		entry.inputs++;
		entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
		if (typeof status === 'number' && status >= 500) this.serverErrors++;
	}

	get inputs(): number {
		let total = 0;
		for (const { inputs } of this.routes.values()) total += inputs;
		return total;
	}

	report(title: string, unexpected = '5xx'): string {
		const width = Math.max(...[...this.routes.keys()].map((k) => k.length), 10);
		const lines = [`${title} (seed ${FUZZ_SEED}; replay with FUZZ_SEED=${FUZZ_SEED})`];
		const all = new Map<number | string, number>();
		for (const [route, { inputs, statuses }] of this.routes) {
			const codes = [...statuses]
				.sort(([a], [b]) => String(a).localeCompare(String(b)))
				.map(([status, n]) => `${status}×${n}`)
				.join(' ');
			lines.push(`  ${route.padEnd(width)}  ${String(inputs).padStart(6)} inputs  ${codes}`);
			for (const [status, n] of statuses) all.set(status, (all.get(status) ?? 0) + n);
		}
		const codes = [...all]
			.sort(([a], [b]) => String(a).localeCompare(String(b)))
			.map(([status, n]) => `${status}×${n}`)
			.join(' ');
		lines.push(
			`  total: ${this.inputs} inputs; outcomes: ${codes}; ${unexpected}: ${this.serverErrors}; ` +
				`database-unchanged checks: ${this.databaseChecks} (plus ${this.acceptedChanges} ` +
				`accepted inputs whose change was checked)`
		);
		return lines.join('\n');
	}
}
