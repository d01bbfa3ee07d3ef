import { forgetFirstScreen } from '$lib/shared/first-screen-picture';
import type { FieldMatrixDatabase } from './db';

let opening: Promise<FieldMatrixDatabase> | undefined;

/**
 * The device's database, loaded on first use. Dexie is the largest library in the app (about
 * 29 KB gzip): loading it as its own chunk, started by the layout as it mounts, keeps it out of
 * the first screen's bundle, so the page's own code parses while Dexie downloads alongside.
 */
export function database(): Promise<FieldMatrixDatabase> {
	opening ??= import('./db').then((module) => {
		// The stored picture of the home page shows the list: a change to it makes it stale.
		module.whenListChanges(forgetFirstScreen);
		return module.db;
	});
	return opening;
}
