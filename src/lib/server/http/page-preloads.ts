import { readFileSync } from 'node:fs';
import { datasetVersion } from 'virtual:fieldmatrix-dataset';
import { datasetUrl } from '$lib/shared/dataset-url';

/**
 * The page asks for this build's recommendation set as soon as its HTML is parsed, beside the
 * app's own scripts: on a first visit over a slow link the set no longer waits for the scripts
 * to arrive and run (the app's own request for it takes this response). The service worker
 * serves later starts a shell without it (src/service-worker.ts).
 */
const datasetPreload = `<link rel="preload" as="fetch" crossorigin href="${datasetUrl(datasetVersion)}">`;

/**
 * The prerendered shell (`/`, which the service worker also serves for every deep link) also
 * fetches the database chunk early: the first screen cannot show the list without it, and the
 * code only asks for it once the app's scripts have run. Its hashed name is only known once the
 * client is built, so it is read from the client's build manifest at prerender time (the
 * `dexie` chunk is named in vite.config.ts); pages rendered at run time go without.
 */
let shellPreloads: string | undefined;
function prerenderPreloads(): string {
	if (shellPreloads === undefined) {
		const manifest = JSON.parse(
			readFileSync('.svelte-kit/output/client/.vite/manifest.json', 'utf8')
		) as Record<string, { file: string; name?: string }>;
		const dexie = Object.values(manifest).find((chunk) => chunk.name === 'dexie');
		if (!dexie) throw new Error('prerender: no "dexie" chunk in the client build manifest');
		shellPreloads = `<link rel="modulepreload" href="/${dexie.file}">${datasetPreload}`;
	}
	return shellPreloads;
}

/** What goes at the end of a page's head: while prerendering, the shell's preloads. */
export function pagePreloads(prerendering: boolean): string {
	return prerendering ? prerenderPreloads() : datasetPreload;
}
