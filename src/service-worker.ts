/// <reference lib="webworker" />
/**
 * The service worker (built by SvelteKit, manifest injected by Workbox through
 * @vite-pwa/sveltekit). Its one concern so far is reading offline:
 * - precache the app shell, the prerendered `/` and the dataset, by revision; a new deploy
 *   installs beside the old one and waits until the user chooses to reload;
 * - answer every navigation with the cached shell, so any deep link opens offline;
 * - never touch the API beyond the precached dataset: sync calls always go to the network.
 * Background Sync lives in a worker of its own (src/lib/client/sync/background-sync-worker.ts),
 * installed only on enrolled devices, so this script, which every first visit downloads, stays
 * small.
 */
import {
	cleanupOutdatedCaches,
	createHandlerBoundToURL,
	precacheAndRoute
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
	__WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(new NavigationRoute(createHandlerBoundToURL('/'), { denylist: [/^\/api\//] }));

self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first install has no page to disturb: take control at once so it works offline now.
self.addEventListener('activate', (event) => {
	event.waitUntil(self.clients.claim());
});
