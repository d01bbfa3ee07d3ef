/**
 * Headers every response gets. The full Content-Security-Policy comes later; for now only
 * `frame-ancestors`, which does not touch SvelteKit's inline bootstrap script.
 */
const HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
	// For browsers that predate frame-ancestors.
	'X-Frame-Options': 'DENY'
};
const FRAME_ANCESTORS = "frame-ancestors 'none'";

export function withSecurityHeaders(response: Response): Response {
	let headers = response.headers;
	try {
		headers.set('X-Content-Type-Options', 'nosniff');
	} catch {
		// Headers of a fetched or redirect response are immutable: copy the response.
		response = new Response(response.body, response);
		headers = response.headers;
	}
	for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value);
	const csp = headers.get('Content-Security-Policy');
	if (!csp) headers.set('Content-Security-Policy', FRAME_ANCESTORS);
	else if (!csp.includes('frame-ancestors')) {
		headers.set('Content-Security-Policy', `${csp}; ${FRAME_ANCESTORS}`);
	}
	return response;
}
