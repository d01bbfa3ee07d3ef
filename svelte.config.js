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
		paths: { relative: false }
	}
};

export default config;
