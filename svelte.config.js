import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// Workbox (through @vite-pwa/sveltekit) builds the service worker, not SvelteKit.
		serviceWorker: { register: false },
		// The shell at `/` answers every deep link offline: its asset URLs must be absolute.
		paths: { relative: false },
		// The first screen's small stylesheets go inline in the shell: one request fewer each
		// (a response's headers alone are ~330 bytes) on a 2G first visit.
		inlineStyleThreshold: 6144,
		// Scripts only from this origin, plus SvelteKit's own inline start-up script, which it
		// hashes (the prerendered shell, as a <meta> policy) or gives a nonce (rendered pages).
		// Styles allow inline: Svelte sets style attributes, and a style cannot run code.
		// `frame-ancestors` also goes out as a header on every response (src/cli/serve.js).
		// Fetches, workers, fonts and the manifest fall back to default-src: this origin only.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
