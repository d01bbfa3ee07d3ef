/**
 * Where a device gets the dataset of a given version. The version in the URL makes it
 * content-addressed: the server lets browsers cache it for good, and the service worker
 * precaches it like a hashed asset.
 */
export const DATASET_PATH = '/api/v1/recommendations';

export function datasetUrl(version: string): string {
	return `${DATASET_PATH}?v=${version}`;
}
