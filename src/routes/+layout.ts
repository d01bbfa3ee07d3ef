import { database } from '$lib/client/database';
import { prefetchDataset } from '$lib/client/recommendation-store';
import { locale } from '$lib/i18n/locale.svelte';
import type { LayoutLoad } from './$types';

// The app renders on the device from IndexedDB: the server only ships the shell, which the
// service worker serves for every route when offline.
export const ssr = false;

export const load = (async () => {
	// Dexie (the largest chunk) and, on a first visit, the recommendation set start downloading
	// now, alongside the language catalog, rather than one after the other once the layout
	// mounts: on a slow link that removes two rounds of waiting.
	prefetchDataset();
	void database();
	// The first render is in the user's language: its catalog is loaded before it.
	await locale.ready();
}) satisfies LayoutLoad;
