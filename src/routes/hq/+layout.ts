import { locale } from '$lib/i18n/locale.svelte';
import type { LayoutLoad } from './$types';

export const load = (async () => {
	// The console's own messages: not part of the catalog a phone downloads on its first visit.
	await locale.includeConsoles();
}) satisfies LayoutLoad;
