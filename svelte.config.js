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
		inlineStyleThreshold: 6144
	}
};

export default config;
