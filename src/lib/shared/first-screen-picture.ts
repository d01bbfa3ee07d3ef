/**
 * A picture of the home page's first screen, shown the moment an offline start's HTML is parsed
 * and replaced by the live app once it has drawn (about a second later on a slow phone).
 *
 * - The device stores it (src/lib/client/first-screen-picture.ts) after the home page has drawn
 *   its list: the markup of the top of the page, inert, with the build's app entry as a stamp.
 * - The service worker (src/service-worker.ts) puts it into the shell it serves for `/` when the
 *   shell is of the same build (the stamp), so the markup's classes match the shell's styles.
 * - The root layout removes it in the same frame as the app's first page appears.
 * - Whatever changes what the list shows (entries, pending changes, the set, the profile, the
 *   language) forgets it; the home page takes a new one once it has drawn again.
 */

// One short name for all three: each is in the first load's bytes.
export const PICTURE_CACHE = 'first-screen';
/** The picture's key in its cache (never fetched). */
export const PICTURE_KEY = '/first-screen';
/** The picture's element in the page. */
export const PICTURE_ID = 'first-screen';
/** Header of the stored picture: the app entry's URL of the build that drew it. */
export const PICTURE_STAMP = 'x-app-entry';
/** Where the picture goes in the shell: the start of the app's root element (src/app.html). */
export const APP_ROOT_START = '<div style="display: contents">';

/** Drops the stored picture: what it shows has changed. Harmless where there is no Cache API. */
export function forgetFirstScreen(): void {
	void globalThis.caches?.delete(PICTURE_CACHE).catch(() => undefined);
}
