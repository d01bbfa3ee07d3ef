/// <reference lib="webworker" />
/**
 * The service worker (built by SvelteKit, manifest injected by Workbox through
 * @vite-pwa/sveltekit). Its one concern so far is reading offline:
 * - precache the app shell, the prerendered `/` and the dataset, by revision; a new deploy
 *   installs beside the old one and waits until the user chooses to reload;
 * - answer every navigation with the cached shell, so any deep link opens offline;
 * - never touch the API beyond the precached dataset: sync calls always go to the network;
 * - Background Sync (Chromium): when a tab's sync failed for want of a network, the tab asked
 *   for a `sync` event; the browser fires it once connectivity returns, even with no tab open,
 *   and the worker runs the same sync as the tabs, under the same Web Lock. Browsers without
 *   it (Safari, Firefox) sync from the open app on `online`, on becoming visible and every minute.
 */
import {
	cleanupOutdatedCaches,
	createHandlerBoundToURL,
	precacheAndRoute
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { BACKGROUND_SYNC_TAG, runBackgroundSync } from '$lib/client/sync/browser';

/** The Background Sync event, which TypeScript's webworker library does not declare yet. */
interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
	readonly lastChance: boolean;
}

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

self.addEventListener('sync', (event) => {
	const sync = event as SyncEvent;
	if (sync.tag !== BACKGROUND_SYNC_TAG) return;
	// A rejection makes the browser retry later, with its own backoff.
	sync.waitUntil(runBackgroundSync());
});
