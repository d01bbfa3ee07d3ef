import { describe, expect, it } from 'vitest';
import { backends } from '../server/backends';
import {
	FAULT_KINDS,
	failureReport,
	runScenario,
	type FaultKind,
	type ScenarioResult
} from '../server/faults/scenario';

/**
 * The soak: `npm run test:soak` runs FAULT_SCENARIOS (default 1,000) seeded fault-injection
 * scenarios on each backend (FAULT_BACKEND=sqlite|postgres for one), seeds FAULT_SEED_START
 * (default 1000) onwards, and prints the figures. FAULT_SEED=<n> replays one scenario, printing
 * its steps.
 */

const replay = process.env.FAULT_SEED === undefined ? null : Number(process.env.FAULT_SEED);
const count = replay === null ? Number(process.env.FAULT_SCENARIOS ?? 1000) : 1;
const firstSeed = replay ?? Number(process.env.FAULT_SEED_START ?? 1000);
const only = process.env.FAULT_BACKEND;

describe.each(backends.filter((b) => !only || b.name === only))('soak [$name]', (backend) => {
	it.skipIf(backend.skip)(`${count} scenarios`, async () => {
		const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<
			FaultKind,
			number
		>;
		const failed: ScenarioResult[] = [];
		let entries = 0;
		let changes = 0;
		let conflicts = 0;
		let lost = 0;
		let duplicated = 0;
		let converged = 0;
		const started = Date.now();
		for (let seed = firstSeed; seed < firstSeed + count; seed++) {
			const result = await runScenario({ seed, backend });
			for (const kind of FAULT_KINDS) faults[kind] += result.faults[kind];
			entries += result.entriesWritten;
			changes += result.changesWritten;
			conflicts += result.conflicts;
			lost += result.lost;
			duplicated += result.duplicated;
			if (result.converged) converged++;
			if (result.failures.length > 0) {
				failed.push(result);
				console.error(failureReport(result));
			} else if (replay !== null) {
				console.log(result.steps.join('\n'));
			}
		}
		const seconds = Math.round((Date.now() - started) / 1000);
		console.log(
			[
				`Fault-injection soak on ${backend.name}: seeds ${firstSeed}–${firstSeed + count - 1}`,
				`  scenarios        ${count} (${failed.length} failed, ${seconds} s)`,
				'  faults injected:',
				...FAULT_KINDS.map((kind) => `    ${kind.padEnd(18)} ${faults[kind]}`),
				`  entries written  ${entries} (${changes} changes saved: creates, edits, deletes, decisions)`,
				`  conflicts kept   ${conflicts}`,
				`  lost             ${lost}`,
				`  duplicated       ${duplicated}`,
				`  converged        ${((100 * converged) / count).toFixed(1)} % (${converged}/${count})`,
				...(failed.length > 0 ? [`  failed seeds     ${failed.map((r) => r.seed).join(', ')}`] : [])
			].join('\n')
		);
		expect(failed.map((r) => r.seed)).toEqual([]);
	});
});
