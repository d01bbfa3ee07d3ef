/// <reference lib="webworker" />
/**
 * The service worker (built by SvelteKit, manifest injected by Workbox through
 * @vite-pwa/sveltekit). Its one concern so far is reading offline:
 * - precache the app shell, the prerendered `/` and the dataset, by revision; a new deploy
 *   installs beside the old one and waits until the user chooses to reload;
 * - answer every navigation with the cached shell, so any deep link opens offline (less the
 *   first visit's dataset preload); `/` with the picture of its first screen the device keeps;
 * - never touch the API beyond the precached dataset: sync calls always go to the network.
 * Background Sync lives in a worker of its own (src/lib/client/sync/background-sync-worker.ts),
 * installed only on enrolled devices, so this script, which every first visit downloads, stays
 * small.
 */
import {
	addRoute,
	cleanupOutdatedCaches,
	createHandlerBoundToURL,
	precache
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { DATASET_PRELOAD } from '$lib/shared/dataset-preload';
import {
	APP_ROOT_START,
	PICTURE_CACHE,
	PICTURE_KEY,
	PICTURE_STAMP
} from '$lib/shared/first-screen-picture';

declare const self: ServiceWorkerGlobalScope & {
	__WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

precache(self.__WB_MANIFEST);
cleanupOutdatedCaches();

const shell = createHandlerBoundToURL('/');
/**
 * The shell's head asks for the dataset, a first visit's head start
 * (src/lib/server/http/page-preloads.ts). A page this worker serves is past its first visit,
 * with the set in IndexedDB: the line goes, so a start neither reads the set out of the cache
 * nor leaves a preload unused.
 */
registerRoute(
	new NavigationRoute(
		async (options) => {
			const response = await shell(options);
			const headers = new Headers(response.headers);
			headers.delete('content-length');
			let html = (await response.text()).replace(DATASET_PRELOAD, '');
			// `/` with the home page's first screen as the device last drew it, if of this build.
			const picture =
				options.url.pathname === '/' &&
				!options.url.search &&
				(await caches.match(PICTURE_KEY, { cacheName: PICTURE_CACHE }));
			const stamp = picture && picture.headers.get(PICTURE_STAMP);
			if (stamp && html.includes(stamp)) {
				html = html.replace(APP_ROOT_START, APP_ROOT_START + (await picture.text()));
			}
			return new Response(html, { status: response.status, headers });
		},
		{ denylist: [/^\/api\//] }
	)
);
// The precache's own route after it: navigations, `/` included, take the one above.
addRoute();

self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first install has no page to disturb: take control at once so it works offline now.
self.addEventListener('activate', (event) => {
	event.waitUntil(self.clients.claim());
});
