import { BASE_HEADERS, FRAME_ANCESTORS } from './base-headers.js';

/**
 * The base security headers on a response SvelteKit produced. A page's own
 * Content-Security-Policy (SvelteKit's, with its nonce) is kept and gets `frame-ancestors` if
 * it lacks it; other responses get the base policy.
 */
export function withSecurityHeaders(response: Response): Response {
	let headers = response.headers;
	try {
		headers.set('X-Content-Type-Options', 'nosniff');
	} catch {
		// Headers of a fetched or redirect response are immutable: copy the response.
		response = new Response(response.body, response);
		headers = response.headers;
	}
	const pagePolicy = headers.get('Content-Security-Policy');
	for (const [name, value] of Object.entries(BASE_HEADERS)) headers.set(name, value);
	if (pagePolicy) {
		headers.set(
			'Content-Security-Policy',
			pagePolicy.includes('frame-ancestors') ? pagePolicy : `${pagePolicy}; ${FRAME_ANCESTORS}`
		);
	}
	return response;
}
