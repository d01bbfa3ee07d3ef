import { readFileSync } from 'node:fs';
import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { runnerImport, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import type { ManifestTransform } from 'workbox-build';
import { COMPILE_HINT, startupChunks, type OutputChunk } from './src/lib/build/compile-hints.js';
import { DATABASE_CHUNK } from './src/lib/build/database-chunk.js';
import { onlineOnlyFiles } from './src/lib/build/online-only-chunks.js';
import { BACKGROUND_SYNC_WORKER_FILE } from './src/lib/client/sync/background-sync-paths.js';
import type { Dataset } from './src/lib/shared/recommendation';

/** The report as given; parsed once per build into the versioned dataset. */
const SEED_FILE = 'seeds/000_ad453c7417d56308.txt';
const DATASET_MODULE = 'virtual:fieldmatrix-dataset';
/** Only the version: small enough for the device's bundle. */
const DATASET_VERSION_MODULE = 'virtual:fieldmatrix-dataset-version';

/**
 * Parses the seed at build time and hands the dataset to the server as a virtual module,
 * so the server never parses at run time and the service worker can precache it by version.
 */
function datasetModule(dataset: Dataset): Plugin {
	const resolved = '\0' + DATASET_MODULE;
	const resolvedVersion = '\0' + DATASET_VERSION_MODULE;
	return {
		name: 'fieldmatrix-dataset',
		resolveId(id) {
			if (id === DATASET_MODULE) return resolved;
			if (id === DATASET_VERSION_MODULE) return resolvedVersion;
			return undefined;
		},
		load(id) {
			if (id === resolvedVersion) {
				return `export const datasetVersion = ${JSON.stringify(dataset.version)};`;
			}
			if (id !== resolved) return undefined;
			this.addWatchFile(SEED_FILE);
			return [
				`export const datasetVersion = ${JSON.stringify(dataset.version)};`,
				`export const datasetJson = ${JSON.stringify(JSON.stringify(dataset))};`
			].join('\n');
		}
	};
}

/**
 * Builds the Background Sync worker as one more entry of SvelteKit's client build, at a stable
 * URL: a module worker whose imports are the app's own hashed chunks, already in the HTTP cache
 * of a device that ran the app (src/lib/client/sync/background-sync-worker.ts says why).
 */
function backgroundSyncWorker(): Plugin {
	let clientBuild = false;
	return {
		name: 'fieldmatrix-background-sync-worker',
		apply: 'build',
		configResolved(config) {
			// SvelteKit builds the server first, then the client with the same plugins.
			clientBuild = !config.build.ssr;
		},
		buildStart() {
			if (!clientBuild) return;
			this.emitFile({
				type: 'chunk',
				id: 'src/lib/client/sync/background-sync-worker.ts',
				fileName: BACKGROUND_SYNC_WORKER_FILE
			});
		}
	};
}

/**
 * The precache list: build paths to URLs, without the online-only consoles' files. Giving
 * Workbox a transform replaces @vite-pwa/sveltekit's own (which is not exported), so this one
 * also maps paths to URLs as it does, for the two kinds of file this app precaches; any other
 * kind fails the build rather than being precached under a wrong URL.
 */
const precacheUrls: ManifestTransform = (entries) => {
	const consoles = onlineOnlyFiles(
		'.svelte-kit/output',
		/src\/routes\/(hq|admin)\//,
		/^src\/lib\/i18n\/messages\/console-/
	);
	const manifest = entries
		.map((entry) => ({ ...entry, url: precacheUrl(entry.url) }))
		.filter((entry) => !consoles.has(entry.url.slice(1)));
	return { manifest, warnings: [] };
};

function precacheUrl(path: string): string {
	if (path.startsWith('client/')) return '/' + path.slice('client/'.length);
	if (path === 'prerendered/pages/index.html') return '/';
	if (path.startsWith('/')) return path; // additionalManifestEntries: already a URL
	throw new Error(`precache: no URL known for ${path}`);
}

/**
 * Fewer, larger chunks for the reading app. Left alone, the bundler gives each module shared by
 * two routes (or by the Background Sync worker) a chunk of its own: the first visit made 40
 * requests, half of them under 1 KB, each paying ~330 bytes of headers. The first screen's
 * shared modules go into one chunk and the framework's small pieces into another; everything
 * else (other routes, the consoles, the sync engine) is left where the bundler puts it.
 */
const FIRST_SCREEN_MODULES = new RegExp(
	'[\\\\/]src[\\\\/]lib[\\\\/](' +
		[
			'shared/(vocabulary|missions|dataset-url|first-screen-picture)',
			'i18n/locale\\.svelte',
			'client/(database|idle|live-query\\.svelte|recommendation-store|search|catalog\\.svelte)',
			'client/(mission-progress\\.svelte|sync-status\\.svelte|matrix-filters|storage-status)',
			'client/annotations/(annotation-queries|device-state)',
			'components/(LanguageSwitch|ProgressBadge|CategoryBadge|HighlightedText|render-in-slices\\.svelte)'
		].join('|') +
		')\\.'
);

function fewerChunks(): Plugin {
	let clientBuild = false;
	return {
		name: 'fieldmatrix-fewer-chunks',
		apply: 'build',
		configResolved(config) {
			clientBuild = !config.build.ssr;
		},
		outputOptions(options) {
			if (!clientBuild) return undefined;
			return {
				...options,
				codeSplitting: {
					groups: [
						// Libraries that load late (Dexie and zod after the first screen, search on the
						// first search) keep chunks of their own: captured first, the groups below
						// cannot pull them in as dependencies.
						...['minisearch', 'workbox-window'].map((library) => ({
							name: library,
							test: new RegExp(`node_modules[\\\\/]${library}[\\\\/]`),
							priority: 3
						})),
						{
							// With the app's database class, which only `database()` imports, late.
							name: DATABASE_CHUNK,
							test: /node_modules[\\/]dexie[\\/]|[\\/]src[\\/]lib[\\/]client[\\/]db\./,
							priority: 3
						},
						{
							// With the dataset's schema, which it arrives to check.
							name: 'zod',
							test: /node_modules[\\/]zod[\\/]|[\\/]src[\\/]lib[\\/]shared[\\/](recommendation|zod)\./,
							priority: 3
						},
						{
							// Saving the first run's mission form: loaded together when a new device saves it.
							name: 'first-run',
							test: /[\\/]src[\\/]lib[\\/]client[\\/](profile-form|annotations[\\/]errors)\./,
							priority: 1
						},
						// Svelte and SvelteKit apart: the Background Sync worker imports Svelte's runtime
						// (the sync engine's modules use runes) but must not evaluate SvelteKit's router,
						// which reads `document` as it loads.
						{
							// With the bundler's own few lines of module helpers (and Vite's preload helper), which
							// every chunk imports.
							name: 'svelte',
							test: /node_modules[\\/]svelte[\\/]|rolldown[\\/]runtime|vite[\\/]preload-helper/,
							minShareCount: 2,
							priority: 2
						},
						{
							name: 'kit',
							test: /node_modules[\\/]@sveltejs[\\/]kit[\\/]/,
							minShareCount: 2,
							priority: 2
						},
						{
							// The first screen's own shared modules (the matrix, its filters and status
							// line), in one chunk. A module left off this list still works: the bundler
							// chunks it as usual, and the first-load bench shows the extra request.
							name: 'first-screen',
							test: FIRST_SCREEN_MODULES,
							minShareCount: 2,
							priority: 2
						}
					]
				}
			};
		}
	};
}

/** The chunks every start of the app runs begin with V8's compile hint (compile-hints.ts). */
function startupCompileHints(): Plugin {
	let clientBuild = false;
	return {
		name: 'fieldmatrix-startup-compile-hints',
		apply: 'build',
		configResolved(config) {
			clientBuild = !config.build.ssr;
		},
		generateBundle(_, bundle) {
			if (!clientBuild) return;
			const outputs = bundle as unknown as Record<string, OutputChunk & { code: string }>;
			for (const fileName of startupChunks(outputs, [DATABASE_CHUNK, 'zod'])) {
				outputs[fileName].code = COMPILE_HINT + outputs[fileName].code;
			}
		}
	};
}

/** The parser is app code: load it through Vite's module runner, as the app resolves it. */
async function loadDataset(): Promise<{ dataset: Dataset; url: string }> {
	const [{ module: parser }, { module: urls }] = await Promise.all([
		runnerImport<typeof import('./src/lib/report/dataset')>('./src/lib/report/dataset.ts', {
			configFile: false
		}),
		runnerImport<typeof import('./src/lib/shared/dataset-url')>('./src/lib/shared/dataset-url.ts', {
			configFile: false
		})
	]);
	const dataset = parser.buildDataset(readFileSync(SEED_FILE, 'utf8'));
	return { dataset, url: urls.datasetUrl(dataset.version) };
}

export default defineConfig(async () => {
	const { dataset, url } = await loadDataset();
	return {
		resolve: {
			// Dexie's package entry wraps its ES5 UMD build (97 KB minified); its modern ES module
			// build is the same library in 86 KB. One copy of Dexie is bundled either way.
			// workbox-window's `module` entry is its ES5 build too: 2.0 KB Brotli, against 1.2 KB
			// for its ES2017 build (every browser with service workers runs ES2017).
			alias: [
				{ find: /^dexie$/, replacement: 'dexie/dist/modern/dexie.mjs' },
				{ find: /^workbox-window$/, replacement: 'workbox-window/build/workbox-window.prod.mjs' }
			]
		},
		plugins: [
			datasetModule(dataset),
			sveltekit(),
			backgroundSyncWorker(),
			fewerChunks(),
			startupCompileHints(),
			SvelteKitPWA({
				strategies: 'injectManifest',
				srcDir: 'src',
				filename: 'service-worker.ts',
				// Registered by hand with workbox-window (src/lib/client/app-update.svelte.ts).
				injectRegister: false,
				registerType: 'prompt',
				manifest: false,
				injectManifest: {
					// Icons are left to the browser, which fetches them when the app is installed.
					globPatterns: ['client/**/*.{js,css,svg,webmanifest}', 'prerendered/**/*.html'],
					// Installed by enrolled devices on their own (backgroundSyncWorker above).
					globIgnores: [`client/${BACKGROUND_SYNC_WORKER_FILE}`],
					// The dataset is served by the API, not a file. Its URL carries its version, so
					// (like the hashed JS) it needs no revision and the worker's install can take it
					// from the HTTP cache the page just filled: no second download.
					additionalManifestEntries: [{ url, revision: null }],
					// /hq and /admin are online-only laptop consoles (their data comes from the API):
					// a phone reading offline never needs their code, so its first visit skips it.
					manifestTransforms: [precacheUrls]
				}
			})
		],
		test: {
			include: ['tests/unit/**/*.test.ts'],
			environment: 'node'
		}
	};
});
