import type { Kysely } from 'kysely';
import type { HqExport } from '../../shared/hq';
import type { Database } from '../db/schema';
import { consolidatedRecommendations } from './consolidated';
import type { ExportScope } from './scope';

/**
 * The JSON export (hqExportSchema): written as it is read, the document's head first, then the
 * recommendations one by one, so it is never whole in memory.
 */
export async function* jsonExport(
	db: Kysely<Database>,
	scope: ExportScope
): AsyncGenerator<string> {
	const { dataset } = scope;
	const head: Omit<HqExport, 'recommendations'> = {
		exportedAt: scope.exportedAt.toISOString(),
		filters: scope.filter,
		dataset: { version: dataset.version, meta: dataset.meta, sections: dataset.sections },
		missions: scope.missions
	};
	const opening = JSON.stringify(head);
	// `{...head` without its closing brace, then the array.
	yield `${opening.slice(0, -1)},"recommendations":[`;
	let first = true;
	for await (const item of consolidatedRecommendations(db, scope)) {
		yield `${first ? '' : ','}\n${JSON.stringify(item)}`;
		first = false;
	}
	yield '\n]}\n';
}
