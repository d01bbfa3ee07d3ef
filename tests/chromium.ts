import { existsSync } from 'node:fs';

/**
 * The Chromium every browser test and benchmark drives: PLAYWRIGHT_CHROMIUM, else Debian's,
 * else (undefined) Playwright's own download.
 */
export const chromiumPath: string | undefined =
	process.env.PLAYWRIGHT_CHROMIUM ??
	(existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Quiet on a closed network: no background connections, no first-run work. */
export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];
