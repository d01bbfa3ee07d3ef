import { readFileSync } from 'node:fs';
import { datasetVersion } from 'virtual:fieldmatrix-dataset-version';
import { building } from '$app/environment';
import { env } from '$env/dynamic/private';
import type { Handle, ServerInit } from '@sveltejs/kit';
import { authenticate, touchLastSeen } from '$lib/server/auth/tokens';
import { hasServerContext, serverContext } from '$lib/server/context';
import { AppError } from '$lib/server/errors';
import { errorResponse } from '$lib/server/http/json';
import { withSecurityHeaders } from '$lib/server/http/security-headers';
import { datasetUrl } from '$lib/shared/dataset-url';
import { startServer } from '$lib/server/startup';

/**
 * Once per process, before the first request: open, create and migrate the database (the server
 * refuses to start on a database newer than the code). Not while building: prerendering `/`
 * needs no database.
 */
export const init: ServerInit = async () => {
	if (building) return;
	const { db } = await startServer(env.DATABASE_URL);
	// adapter-node's graceful shutdown: let in-flight transactions finish, then close the pool.
	process.once('sveltekit:shutdown', () => void db.destroy());
};

/**
 * The page asks for this build's recommendation set as soon as its HTML is parsed, beside the
 * app's own scripts: on a first visit over a slow link the set no longer waits for the scripts
 * to arrive and run (the app's own request for it takes this response). Later starts find it
 * in the service worker's precache: no bytes, online or off.
 */
const datasetPreload = `<link rel="preload" as="fetch" crossorigin href="${datasetUrl(datasetVersion)}">`;

/**
 * The prerendered shell (`/`, which the service worker also serves for every deep link) also
 * fetches the database chunk early: the first screen cannot show the list without it, and the
 * code only asks for it once the app's scripts have run. Its hashed name is only known once the
 * client is built, so it is read from the client's build manifest at prerender time (the
 * `dexie` chunk is named in vite.config.ts); pages rendered at run time go without.
 */
let shellPreloads: string | undefined;
function prerenderPreloads(): string {
	if (shellPreloads === undefined) {
		const manifest = JSON.parse(
			readFileSync('.svelte-kit/output/client/.vite/manifest.json', 'utf8')
		) as Record<string, { file: string; name?: string }>;
		const dexie = Object.values(manifest).find((chunk) => chunk.name === 'dexie');
		if (!dexie) throw new Error('prerender: no "dexie" chunk in the client build manifest');
		shellPreloads = `<link rel="modulepreload" href="/${dexie.file}">${datasetPreload}`;
	}
	return shellPreloads;
}

const withPreloads = ({ html }: { html: string }) =>
	html.replace('</head>', `${building ? prerenderPreloads() : datasetPreload}</head>`);

/** API requests: the bearer token → `locals.device`. Every response: security headers. */
export const handle: Handle = async ({ event, resolve }) => {
	event.locals.device = null;
	event.locals.authFailure = null;
	if (!building && event.url.pathname.startsWith('/api/') && hasServerContext()) {
		const { db } = serverContext();
		try {
			const auth = await authenticate(db, event.request.headers.get('authorization'));
			event.locals.device = auth.device;
			event.locals.authFailure = auth.failure;
			if (auth.device) await touchLastSeen(db, auth.device);
		} catch (error) {
			console.error('FieldMatrix: authentication failed:', error);
			return withSecurityHeaders(
				errorResponse(
					new AppError(503, 'unavailable', 'The server cannot reach its database; try again later.')
				)
			);
		}
	}
	return withSecurityHeaders(await resolve(event, { transformPageChunk: withPreloads }));
};
