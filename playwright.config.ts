import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in a real Chromium against the built app served by `node build`.
 * Each test starts its own server on its own port (tests/e2e/fixtures.ts), so every test
 * gets a fresh origin: its own service worker and IndexedDB.
 */
const chromiumPath =
	process.env.PLAYWRIGHT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '');

export default defineConfig({
	testDir: 'tests/e2e',
	forbidOnly: !!process.env.CI,
	retries: 0,
	workers: 2,
	timeout: 60_000,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		browserName: 'chromium',
		trace: 'retain-on-failure',
		launchOptions: {
			// Debian's Chromium where present; otherwise Playwright's own download.
			executablePath: chromiumPath || undefined,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	}
});
