#!/usr/bin/env node
/**
 * `npm start`: builds the app when the build is missing or older than its sources, then
 * serves it (the PWA and the API, one Node process) on http://localhost:3000 by default.
 * PORT, HOST and DATABASE_URL are read from the environment.
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const builtMarker = join(root, 'build/handler.js');
const sources = ['src', 'static', 'seeds', 'svelte.config.js', 'vite.config.ts', 'package.json'];

/**
 * Newest modification time under `path`, in ms.
 * @param {string} path
 * @returns {number}
 */
function newest(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), 0);
}

function needsBuild() {
	if (!existsSync(builtMarker)) return true;
	const builtAt = statSync(builtMarker).mtimeMs;
	return sources.some((source) => newest(join(root, source)) > builtAt);
}

if (needsBuild()) {
	console.log('FieldMatrix: building the app (first start or sources changed)…');
	const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (build.status !== 0) process.exit(build.status ?? 1);
}

const env = {
	...process.env,
	PORT: process.env.PORT ?? '3000',
	// adapter-node's default (512K) is below the sync API's own cap (2 MiB), which answers
	// oversize requests with a clear 413 of its own.
	BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '3M'
};
console.log(`FieldMatrix: serving on http://localhost:${env.PORT}`);
const server = spawn(process.execPath, [join(root, 'src/cli/serve.js'), join(root, 'build')], {
	cwd: root,
	env,
	stdio: 'inherit'
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.on(signal, () => server.kill(signal));
}
server.on('exit', (code) => process.exit(code ?? 0));
