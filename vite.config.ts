import { readFileSync } from 'node:fs';
import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { runnerImport, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
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
			alias: [{ find: /^dexie$/, replacement: 'dexie/dist/modern/dexie.mjs' }]
		},
		plugins: [
			datasetModule(dataset),
			sveltekit(),
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
					// The dataset is served by the API, not a file. Its URL carries its version, so
					// (like the hashed JS) it needs no revision and the worker's install can take it
					// from the HTTP cache the page just filled: no second download.
					additionalManifestEntries: [{ url, revision: null }]
				}
			})
		],
		test: {
			include: ['tests/unit/**/*.test.ts'],
			environment: 'node'
		}
	};
});
