import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

/** The fault-injection soak (`npm run test:soak`): long, so outside `npm test`. */
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['tests/soak/**/*.test.ts'],
		environment: 'node',
		testTimeout: 4 * 60 * 60 * 1000,
		hookTimeout: 60_000
	}
});
