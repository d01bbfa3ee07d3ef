import { locale } from '$lib/i18n/locale.svelte';
import type { LayoutLoad } from './$types';

// The app renders on the device from IndexedDB: the server only ships the shell, which the
// service worker serves for every route when offline.
export const ssr = false;

export const load = (async () => {
	// The first render is in the user's language: its catalog is loaded before it.
	await locale.ready();
}) satisfies LayoutLoad;
