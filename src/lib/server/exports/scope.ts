import type { Kysely } from 'kysely';
import {
	EXPORT_FILTER_PARAMS,
	exportFilterSchema,
	type ExportFilter,
	type HqMission
} from '../../shared/hq';
import type { Dataset, Recommendation } from '../../shared/recommendation';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { listHqMissions } from '../hq/missions';
import { parseQuery } from '../hq/query-params';

/** The export filters from the query string; 400 naming the parameter when one is wrong. */
export function parseExportFilter(params: URLSearchParams): ExportFilter {
	return parseQuery(exportFilterSchema, params, {
		repeatable: EXPORT_FILTER_PARAMS,
		what: 'filter'
	});
}

/** What an export covers, settled (and checked) before its first byte is sent. */
export interface ExportScope {
	dataset: Dataset;
	filter: ExportFilter;
	/** The missions asked for, or every mission; by code. */
	missions: HqMission[];
	/** After the section and category filters, in report order. */
	recommendations: Recommendation[];
	exportedAt: Date;
}

export async function exportScope(
	db: Kysely<Database>,
	dataset: Dataset,
	filter: ExportFilter,
	exportedAt: Date
): Promise<ExportScope> {
	const all = await listHqMissions(db);
	const unknown = filter.mission.filter((code) => !all.some((m) => m.code === code));
	if (unknown.length > 0) {
		throw new AppError(
			400,
			'invalid-query',
			`Invalid filter \`mission\` = "${unknown[0]}": there is no such mission.`
		);
	}
	const missions = filter.mission.length ? all.filter((m) => filter.mission.includes(m.code)) : all;
	const recommendations = dataset.recommendations.filter(
		(r) =>
			(filter.section.length === 0 ||
				(filter.section as readonly string[]).includes(r.section.numeral)) &&
			(filter.category.length === 0 || filter.category.includes(r.category))
	);
	return { dataset, filter, missions, recommendations, exportedAt };
}
