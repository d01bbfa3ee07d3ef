import {
	PICTURE_CACHE,
	PICTURE_ID,
	PICTURE_KEY,
	PICTURE_STAMP
} from '$lib/shared/first-screen-picture';

/**
 * In the page's place until the app replaces it: the app's elements drawing beside it are not
 * laid out or painted meanwhile. After 10 s it gives way whatever happens: an app stalled at
 * start (its database blocked, say) then shows its own state, not a page that looks ready.
 */
const PICTURE_STYLE =
	`<style>#${PICTURE_ID}~*{content-visibility:hidden;animation:${PICTURE_ID}-in 0s 10s forwards}` +
	`#${PICTURE_ID}{animation:${PICTURE_ID}-out 0s 10s forwards}` +
	`@keyframes ${PICTURE_ID}-in{to{content-visibility:visible}}` +
	`@keyframes ${PICTURE_ID}-out{to{display:none}}</style>`;

/**
 * The markup of what the app shows at the top of the page: its root's elements, without
 * scripts, ids, comments or the list's rows and sections that start past
 * `depth` (pixels from the top). Inert and hidden from assistive technology: it is a picture,
 * not the page.
 */
export function pictureOfFirstScreen(root: Element, depth: number): string {
	const copy = root.cloneNode(true) as Element;
	const below = (element: Element) => element.getBoundingClientRect().top + window.scrollY >= depth;
	// A copy is not laid out and copies attributes only: its elements are judged, and its fields
	// filled, by their originals, found in the same order.
	const pairs = (selector: string) => {
		const originals = root.querySelectorAll(selector);
		return [...copy.querySelectorAll(selector)].map((element, i) => [element, originals[i]]);
	};
	for (const [field, original] of pairs('input, select')) {
		if (original instanceof HTMLSelectElement) {
			field.querySelectorAll('option')[original.selectedIndex]?.setAttribute('selected', '');
		} else if (original instanceof HTMLInputElement) field.setAttribute('value', original.value);
	}
	for (const [element, original] of pairs('main li, main section')) {
		if (below(original)) element.remove();
	}
	const each = (selector: string, change: (element: Element) => void) =>
		copy.querySelectorAll(selector).forEach(change);
	// Never shown, so only a cost to parse: scripts, what a closed details holds.
	each(`script, #${PICTURE_ID}, details:not([open]) > :not(summary)`, (element) =>
		element.remove()
	);
	// The live page's own ids and test ids.
	each('[id], [data-testid]', (element) => {
		element.removeAttribute('id');
		element.removeAttribute('data-testid');
	});
	// What only the running app knows (online or not, say) keeps its place, blank.
	each('[data-live]', (element) => element.setAttribute('style', 'visibility:hidden'));
	// Svelte's empty comments: only a cost to parse.
	const comments = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
	const drop: Node[] = [];
	while (comments.nextNode()) drop.push(comments.currentNode);
	drop.forEach((comment) => comment.parentNode?.removeChild(comment));
	// The style inside: it goes with the picture.
	return `<div id="${PICTURE_ID}" inert aria-hidden="true">${PICTURE_STYLE}${copy.innerHTML}</div>`;
}

/**
 * Stores the picture of the home page as it is now drawn, for the service worker to show at the
 * next start. Only the plain home page at `home` (a start there shows no filters) once its list
 * is there: the person may have gone on since this was asked for.
 */
export async function storeFirstScreen(home: string): Promise<void> {
	const root = document.getElementById('main')?.parentElement;
	const stamp = document.querySelector('link[href*="/entry/app."]')?.getAttribute('href');
	if (!root || !stamp || !globalThis.caches) return;
	if (location.pathname !== home || location.search) return;
	if (!root.querySelector('main li a')) return;
	// Two screens: a phone turned on its side, or a new device's form above the list, still
	// shows rows (the picture itself does not scroll: the app replaces it first).
	const html = pictureOfFirstScreen(root, 2 * window.innerHeight);
	const cache = await caches.open(PICTURE_CACHE);
	await cache.put(
		PICTURE_KEY,
		new Response(html, { headers: { 'content-type': 'text/html', [PICTURE_STAMP]: stamp } })
	);
}
