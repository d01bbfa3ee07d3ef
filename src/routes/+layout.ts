import { error } from '@sveltejs/kit';
import { locale } from '$lib/i18n/locale.svelte';
import type { LayoutLoad } from './$types';

// The app renders on the device from IndexedDB: the server only ships the shell, which the
// service worker serves for every route when offline.
export const ssr = false;

export const load = (async () => {
	// The shell comes from the service worker's cache, without the server's X-Frame-Options and
	// frame-ancestors headers: so the app itself refuses to run inside another site's frame,
	// where its buttons (revoke, retire, delete) could be clicked through a disguise.
	if (window.top !== window.self) error(403, 'FieldMatrix does not run inside a frame.');
	// The first render is in the user's language: its catalog is loaded before it.
	await locale.ready();
}) satisfies LayoutLoad;
