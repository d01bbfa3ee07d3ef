/// <reference lib="webworker" />
/**
 * The Background Sync worker: a second, module service worker with its own scope
 * (BACKGROUND_SYNC_SCOPE, which holds no page), registered only on an enrolled device whose
 * browser has Background Sync (Chromium). When connectivity returns the browser fires `sync`,
 * even with no tab open, and this worker runs the same sync as the tabs, under the same Web Lock.
 *
 * Why not in the main worker: the sync engine and Dexie would make the worker script every
 * first visit downloads 50 KB (gzip) heavier, for readers who never enrol. As a module worker
 * built with the app, this one imports the very chunks the app already loaded, so it costs an
 * enrolled device almost nothing to install.
 */
import { BACKGROUND_SYNC_TAG, runBackgroundSync } from './browser';

/** The Background Sync event, which TypeScript's webworker library does not declare yet. */
interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
	readonly lastChance: boolean;
}

declare const self: ServiceWorkerGlobalScope;

// Nothing to cache or wait for: take over the (page-less) scope at once, so `sync` can be
// registered as soon as the worker is installed.
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('sync', (event) => {
	const sync = event as SyncEvent;
	if (sync.tag !== BACKGROUND_SYNC_TAG) return;
	// A rejection makes the browser retry later, with its own backoff.
	sync.waitUntil(runBackgroundSync());
});
