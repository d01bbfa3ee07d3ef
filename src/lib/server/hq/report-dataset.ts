import type { Dataset, Recommendation } from '../../shared/recommendation';

/**
 * The report the HQ views and exports are built on: the dataset the build parsed from the seed
 * (`virtual:fieldmatrix-dataset`, read once per process), unless a test set one. Imported
 * lazily, so code that sets the dataset (the server tests, which have no build) never needs the
 * virtual module.
 */
let current: Promise<Dataset> | null = null;

export function setReportDataset(dataset: Dataset | null): void {
	current = dataset ? Promise.resolve(dataset) : null;
}

export function reportDataset(): Promise<Dataset> {
	current ??= import('virtual:fieldmatrix-dataset').then(
		// Validated by datasetSchema when the build made it.
		({ datasetJson }) => JSON.parse(datasetJson) as Dataset,
		(error: unknown) => {
			current = null;
			throw error;
		}
	);
	return current;
}

const byId = new WeakMap<Dataset, Map<string, Recommendation>>();

/** The dataset's recommendations by id. */
export function recommendationsById(dataset: Dataset): Map<string, Recommendation> {
	let index = byId.get(dataset);
	if (!index) {
		index = new Map(dataset.recommendations.map((r) => [r.id, r]));
		byId.set(dataset, index);
	}
	return index;
}
