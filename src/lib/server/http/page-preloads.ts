import { datasetVersion } from 'virtual:fieldmatrix-dataset';
import { databaseChunkFile } from '$lib/build/database-chunk';
import { datasetPreload } from '$lib/shared/dataset-preload';

/**
 * The page asks for this build's recommendation set as soon as its HTML is parsed, beside the
 * app's own scripts: on a first visit over a slow link the set no longer waits for the scripts
 * to arrive and run (the app's own request for it takes this response). The service worker
 * serves later starts a shell without it (src/service-worker.ts).
 */
const setPreload = datasetPreload(datasetVersion);

/**
 * The prerendered shell (`/`, which the service worker also serves for every deep link) also
 * fetches the database chunk early: the first screen cannot show the list without it, and the
 * code only asks for it once the app's scripts have run. Its hashed name is only known once the
 * client is built, so it is read from the client's build manifest at prerender time; pages
 * rendered at run time go without.
 */
let shellPreloads: string | undefined;
function prerenderPreloads(): string {
	shellPreloads ??= `<link rel="modulepreload" href="/${databaseChunkFile()}">${setPreload}`;
	return shellPreloads;
}

/** What goes at the end of a page's head: while prerendering, the shell's preloads. */
export function pagePreloads(prerendering: boolean): string {
	return prerendering ? prerenderPreloads() : setPreload;
}
