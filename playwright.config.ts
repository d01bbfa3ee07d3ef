import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './tests/chromium';

/**
 * End-to-end tests in a real Chromium against the built app served by `node build`.
 * Each test starts its own server on its own port (tests/e2e/fixtures.ts), so every test
 * gets a fresh origin: its own service worker and IndexedDB.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	forbidOnly: !!process.env.CI,
	retries: 0,
	workers: 2,
	timeout: 60_000,
	reporter: 'list',
	use: {
		browserName: 'chromium',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: chromiumPath,
			args: chromiumArgs
		}
	}
});
