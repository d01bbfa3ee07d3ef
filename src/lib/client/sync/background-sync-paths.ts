/**
 * Where the Background Sync worker is built (vite.config.ts) and registered (browser.ts).
 * Its URL is stable (not hashed) so the browser's update check finds a new build at the same
 * address; its scope holds no page, so it never competes with the main worker.
 */
export const BACKGROUND_SYNC_WORKER_FILE = '_app/background-sync-worker.js';
export const BACKGROUND_SYNC_SCOPE = '/_app/background-sync/';
