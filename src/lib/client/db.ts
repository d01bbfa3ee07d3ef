import { Dexie, type EntityTable } from 'dexie';
import type { Recommendation, ReportMeta, Section } from '$lib/shared/recommendation';

/**
 * The one Dexie database of the device. Every `version(n).stores()` ever shipped stays here,
 * in order, so a device on any earlier version upgrades with its data.
 *
 * The recommendation set (tables `recommendations` and `datasetInfo`) is replaceable as a
 * whole when a new dataset version arrives; anything the user writes lives in other tables
 * that a dataset replacement never touches.
 */

/** The single row of `datasetInfo`: what the stored recommendation set is. */
export interface DatasetInfo {
	key: 'current';
	version: string;
	meta: ReportMeta;
	sections: Section[];
	count: number;
	storedAt: string;
}

export class FieldMatrixDatabase extends Dexie {
	recommendations!: EntityTable<Recommendation, 'id'>;
	datasetInfo!: EntityTable<DatasetInfo, 'key'>;

	constructor(name = 'fieldmatrix') {
		super(name);
		// v1: the recommendation set.
		this.version(1).stores({
			recommendations: 'id, &order, &paragraph, section.ordinal, category',
			datasetInfo: 'key'
		});
	}
}

export const db = new FieldMatrixDatabase();
