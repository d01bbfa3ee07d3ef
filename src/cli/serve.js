#!/usr/bin/env node
/**
 * Serves a built app: adapter-node's own server (`<build>/index.js`: PORT, HOST, graceful
 * shutdown, body size limit), plus the security headers on EVERY response (src/lib/server/
 * http/base-headers.js says which on a static asset, which on the rest). Without this,
 * the files adapter-node serves itself (the prerendered shell at `/`, scripts, the service
 * worker) would go out without them: the hook in src/hooks.server.ts only sees what SvelteKit
 * renders. Usage: `node src/cli/serve.js [buildDir]` (default `build`).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { headersFor } from '../lib/server/http/base-headers.js';

const buildDir = resolve(process.argv[2] ?? 'build');
/** @type {{ server: { server: import('node:http').Server } }} */
const app = await import(pathToFileURL(resolve(buildDir, 'index.js')).href);

// Set before any handler runs; a handler's own headers (a page's full policy) replace them.
// The listener goes in now, before the event loop can deliver the first request.
app.server.server.prependListener('request', (request, response) => {
	const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
	for (const [name, value] of Object.entries(headersFor(pathname))) {
		response.setHeader(name, value);
	}
	if (pathname.startsWith(IMMUTABLE_PREFIX)) {
		withoutValidators(response);
		// HTTP/1.1 connections persist unless told otherwise: `Connection: keep-alive` and
		// `Keep-Alive: timeout=5` (~42 bytes) say nothing a browser needs, on each of a first
		// visit's script requests. Removed, Node sends neither and still keeps the connection.
		response.removeHeader('Connection');
	}
});

/**
 * The build's hashed files never change under their name and are served `immutable`: a browser
 * never revalidates them, so the ETag and Last-Modified the static server adds are ~75 bytes of
 * headers each that no one reads, paid by each of the first visit's requests over 2G. (The
 * static server passes its headers to writeHead in one object; that object is shared between
 * requests, so it is copied, not edited.)
 */
const IMMUTABLE_PREFIX = '/_app/immutable/';

/** @param {import('node:http').ServerResponse} response */
function withoutValidators(response) {
	const writeHead = response.writeHead;
	/** @type {(status: number, ...rest: unknown[]) => import('node:http').ServerResponse} */
	const trimmed = (status, ...rest) => {
		const last = rest.at(-1);
		if (last && typeof last === 'object' && !Array.isArray(last)) {
			const kept = { .../** @type {Record<string, unknown>} */ (last) };
			delete kept.ETag;
			delete kept['Last-Modified'];
			rest[rest.length - 1] = kept;
		}
		return writeHead.call(response, status, .../** @type {[]} */ (rest));
	};
	response.writeHead = /** @type {typeof response.writeHead} */ (trimmed);
}
