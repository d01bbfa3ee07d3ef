import type { ExportFilter } from '../../shared/hq';
import type { ReportMeta } from '../../shared/recommendation';
import { longDate } from './labels';

/**
 * What the Markdown and Word drafts of next year's report share: the title block's wording and
 * the line saying which filters made it. The body follows the report's own matrix: sections in
 * order, each paragraph of A/78/19 with the Secretariat's current text, then the missions'
 * updates.
 */

export interface TitleBlock {
	body: string;
	draftLine: string;
	previousLine: string;
	agendaTitle: string;
	title: string;
	subtitle: string;
	documentType: string;
	summary: string;
	filters: string;
	/** The head of the matrix's paragraph column, as in the report. */
	paragraphColumn: string;
}

export function titleBlock(meta: ReportMeta, filter: ExportFilter, exportedAt: Date): TitleBlock {
	return {
		body: meta.body,
		draftLine: `Draft compiled on ${longDate(exportedAt.toISOString())} from the mission updates recorded in FieldMatrix`,
		previousLine: `Previous edition: ${longDate(meta.date)} (session ${meta.session}, agenda item ${meta.agendaItem}; supplements ${meta.supplements})`,
		agendaTitle: meta.agendaTitle,
		title: meta.title,
		subtitle: meta.subtitle,
		documentType: meta.documentType,
		summary: meta.summary,
		filters: describeFilters(filter),
		paragraphColumn: `Paragraph in ${meta.tracks}`
	};
}

export function describeFilters(filter: ExportFilter): string {
	const parts = [
		filter.section.length ? `section ${filter.section.join(', ')}` : '',
		filter.category.length ? `status category ${filter.category.join(', ')}` : '',
		filter.progress.length ? `mission progress ${filter.progress.join(', ')}` : '',
		filter.mission.length ? `mission ${filter.mission.join(', ')}` : ''
	].filter(Boolean);
	return parts.length ? `Limited to ${parts.join('; ')}.` : 'All recommendations, all missions.';
}

export const NO_MATCH = 'No recommendation matches these filters.';
export const NO_UPDATE = 'No mission has recorded progress on this recommendation.';
