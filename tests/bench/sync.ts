/**
 * The sync benchmarks alone, without building: `npx tsx tests/bench/sync.ts` after a build. They
 * serve a private copy of build/, which a new build may replace meanwhile. (`npm run bench`
 * runs them too, on the build it has just made, and writes results.json.)
 */
import { existsSync } from 'node:fs';
import { printTable } from './report';
import { syncLoad } from './sync-load';
import { copyBuild } from './sync-support';
import { syncVolume } from './sync-volume';

if (!existsSync('build/index.js')) throw new Error('No build/: run `npm run build` first.');
const build = copyBuild();
try {
	const started = performance.now();
	const rows = [...(await syncVolume(build.dir)), ...(await syncLoad(build.dir))];
	printTable(rows);
	console.log(`\n${Math.round((performance.now() - started) / 1000)} s`);
} finally {
	build.remove();
}
