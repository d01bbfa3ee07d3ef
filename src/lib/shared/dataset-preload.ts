import { datasetUrl } from './dataset-url';

/**
 * The page head's preload of a dataset version: written into pages by the server
 * (src/lib/server/http/page-preloads.ts), taken out by the service worker (DATASET_PRELOAD).
 */
export function datasetPreload(version: string): string {
	return `<link rel="preload" as="fetch" crossorigin href="${datasetUrl(version)}">`;
}

/** Finds the tag datasetPreload writes, whatever the version. */
export const DATASET_PRELOAD = new RegExp(
	datasetPreload('VERSION')
		.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
		.replace('VERSION', '[^"]+')
);
