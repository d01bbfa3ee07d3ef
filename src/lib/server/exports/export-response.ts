import type { Kysely } from 'kysely';
import type { ExportFilter, ExportFormat } from '../../shared/hq';
import type { Dataset } from '../../shared/recommendation';
import type { Database } from '../db/schema';
import { csvExport } from './csv';
import { docxExport } from './docx';
import { jsonExport } from './json';
import { markdownExport } from './markdown';
import { exportScope } from './scope';
import { attachment, textStream } from './stream';

/**
 * `GET /api/v1/hq/export.<format>`: everything that can fail with a 4xx (filters, unknown
 * missions, the Word cap) is settled before the response starts; CSV, JSON and Markdown then
 * stream page by page.
 */
export async function exportResponse(
	db: Kysely<Database>,
	dataset: Dataset,
	format: ExportFormat,
	filter: ExportFilter,
	now: Date = new Date()
): Promise<Response> {
	const scope = await exportScope(db, dataset, filter, now);
	switch (format) {
		case 'csv':
			return attachment(format, textStream(csvExport(db, scope)), now);
		case 'json':
			return attachment(format, textStream(jsonExport(db, scope)), now);
		case 'md':
			return attachment(format, textStream(markdownExport(db, scope)), now);
		case 'docx':
			return attachment(format, await docxExport(db, scope), now);
	}
}
