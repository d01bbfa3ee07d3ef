import { readFileSync } from 'node:fs';
import { buildDataset } from '$lib/report/dataset';
import type { Dataset } from '$lib/shared/recommendation';

/** The real dataset, built from the seed as the app's build does. */
export function seedDataset(): Dataset {
	return buildDataset(readFileSync('seeds/000_ad453c7417d56308.txt', 'utf8'));
}
