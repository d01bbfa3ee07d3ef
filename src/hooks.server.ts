import { building } from '$app/environment';
import { env } from '$env/dynamic/private';
import type { Handle, ServerInit } from '@sveltejs/kit';
import { authenticate, touchLastSeen } from '$lib/server/auth/tokens';
import { hasServerContext, serverContext } from '$lib/server/context';
import { AppError } from '$lib/server/errors';
import { errorResponse } from '$lib/server/http/json';
import { withSecurityHeaders } from '$lib/server/http/security-headers';
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
 * Page heads get the preloads of a first visit (src/lib/server/http/page-preloads.ts). Loaded
 * with the first page rendered: it reads the build's dataset module, which an API-only process,
 * such as the server tests, does not have.
 */
async function withPreloads({ html }: { html: string }): Promise<string> {
	const { pagePreloads } = await import('$lib/server/http/page-preloads');
	return html.replace('</head>', `${pagePreloads(building)}</head>`);
}

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
