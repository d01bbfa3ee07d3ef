/**
 * Security headers for every response the server sends, static files included. Plain JS: the
 * launcher (src/cli/serve.js) runs without a build step and sets them before adapter-node's
 * static file server answers; the SvelteKit hook sets them on what it renders.
 *
 * The pages' own Content-Security-Policy (script hashes or nonces) comes from SvelteKit
 * (`kit.csp` in svelte.config.js); `frame-ancestors` cannot go in the `<meta>` policy of the
 * prerendered shell, so it travels here as a header of its own, which browsers enforce
 * alongside the page's policy.
 */
export const FRAME_ANCESTORS = "frame-ancestors 'none'";

/** @type {Readonly<Record<string, string>>} */
export const BASE_HEADERS = Object.freeze({
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
	// For browsers that predate frame-ancestors.
	'X-Frame-Options': 'DENY',
	'Content-Security-Policy': FRAME_ANCESTORS
});

/** What every response carries, scripts and styles included: no content-type sniffing. */
export const ASSET_HEADERS = Object.freeze({ 'X-Content-Type-Options': 'nosniff' });

/**
 * Static files that are never a document: the page policies (framing, referrer, permissions)
 * mean nothing on them, and on 2G each header line costs every one of the first visit's
 * requests. Everything else (pages, the prerendered shell, worker scripts) gets them all.
 */
const ASSET_PATH = /^\/(_app\/immutable\/|icons\/|manifest\.webmanifest$)/;

/**
 * The security headers for a request to `pathname`.
 * @param {string} pathname
 * @returns {Readonly<Record<string, string>>}
 */
export function headersFor(pathname) {
	return ASSET_PATH.test(pathname) ? ASSET_HEADERS : BASE_HEADERS;
}
