import { chromium, type Browser } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';

/** The app itself lives in app.ts, for the benchmarks that need no browser. */
export { startApp, type App, type AppOptions } from './app';

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
