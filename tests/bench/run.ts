/**
 * `npm run bench`: builds (via the npm script), measures and prints a table; writes
 * tests/bench/results.json. Benchmarks measure; they never fail the test suite.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { launchChromium, startApp } from './browser';
import { bundleSize } from './bundle-size';
import { datasetSize } from './dataset-size';
import { firstLoad, SLOW_3G, UNTHROTTLED } from './first-load';
import { hqConsole } from './hq';
import { interactionLatency } from './interaction';
import { lighthouseScores } from './lighthouse';
import { progressRecording } from './progress';
import { printTable, writeResults, type BenchRow } from './report';
import { searchLatency } from './search';
import { syncComparison } from './sync-compare';
import { syncLoad } from './sync-load';
import { syncVolume } from './sync-volume';

const rows: BenchRow[] = [];
rows.push(...bundleSize());

const app = await startApp(4700);
rows.push(...(await datasetSize(app.url)));
await app.stop();

rows.push(...(await searchLatency()));

const browser = await launchChromium();
try {
	rows.push(...(await firstLoad(browser, 4701, UNTHROTTLED)));
	rows.push(...(await firstLoad(browser, 4702, SLOW_3G)));
	rows.push(...(await progressRecording(browser, 4703)));
	rows.push(...(await orFailedRow('interaction', () => interactionLatency(browser, 4706))));
	rows.push(...(await orFailedRow('HQ console', () => hqConsole(browser, 4704))));
} finally {
	await browser.close();
}
rows.push(...(await orFailedRow('Lighthouse', () => lighthouseScores(4705))));

/** A sync benchmark that throws (a server error, say) shows as a row; the table still prints. */
async function orFailedRow(group: string, run: () => Promise<BenchRow[]>): Promise<BenchRow[]> {
	try {
		return await run();
	} catch (error) {
		console.error(error);
		return [{ group, metric: 'FAILED', value: NaN, unit: '', note: String(error).slice(0, 200) }];
	}
}

/**
 * Lets the disk catch up before a measure that waits on fsync: what the build, the browsers and
 * Lighthouse's traces left to write back otherwise lands inside the load test's commits (its p99
 * at 1,000/s was 380–440 ms right after Lighthouse, 46–57 ms run alone).
 */
async function settleDisk(): Promise<void> {
	execFileSync('sync');
	await new Promise((resolve) => setTimeout(resolve, 5_000));
}

// Against the build just made (`npm run bench` builds first), each on a fresh database.
// The load test first: its latency is the most sensitive to a disk still flushing what the
// volume runs (100,000 entries) wrote and deleted.
await settleDisk();
rows.push(...(await orFailedRow('sync load', () => syncLoad('build', 4712))));
rows.push(...(await orFailedRow('sync volume', () => syncVolume('build', 4720))));
rows.push(...(await orFailedRow('sync side by side', () => syncComparison('build', 4714))));

printTable(rows);
writeResults('tests/bench/results.json', rows, {
	date: new Date().toISOString(),
	machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
	node: process.version
});
console.log('\nwritten: tests/bench/results.json');
