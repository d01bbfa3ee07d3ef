import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

/**
 * The server tests: `npx vitest run -c tests/server/vitest.config.ts`, from the project root.
 * SvelteKit's plugin only to resolve $lib, $app and $env in the routes and hooks the HTTP tests
 * call.
 */
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['tests/server/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 60_000
	}
});
