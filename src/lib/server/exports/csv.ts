import type { Kysely } from 'kysely';
import type { EvidenceItem } from '../../shared/annotation';
import type { Database } from '../db/schema';
import { consolidatedRecommendations } from './consolidated';
import type { ExportScope } from './scope';

/**
 * CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads accents right), RFC 4180
 * (CRLF line ends; a field with a comma, quote or line break is quoted, its quotes doubled),
 * ISO dates, one row per recommendation × mission, `not-assessed` rows included so gaps show.
 */

export const CSV_COLUMNS = [
	'paragraph',
	'recommendation_id',
	'section',
	'section_title',
	'status_category',
	'mission',
	'mission_name',
	'progress',
	'progress_date',
	'updated_at',
	'author',
	'entry_count',
	'note',
	'evidence'
] as const;

/**
 * One field. Text a spreadsheet would take for a formula (= + - @, or a tab or carriage return
 * before one) gets a leading single quote: a note must never run as a formula on a desk
 * officer's machine (OWASP "CSV injection").
 */
export function csvField(value: string | number | null): string {
	if (value === null) return '';
	if (typeof value === 'number') return String(value);
	const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly (string | number | null)[]): string {
	return `${values.map(csvField).join(',')}\r\n`;
}

/** "Report (S/2024/292) <https://…>; …". */
function evidenceText(evidence: readonly EvidenceItem[]): string {
	return evidence
		.map((item) =>
			[item.label, item.symbol ? `(${item.symbol})` : '', item.url ? `<${item.url}>` : '']
				.filter(Boolean)
				.join(' ')
		)
		.join('; ');
}

export async function* csvExport(db: Kysely<Database>, scope: ExportScope): AsyncGenerator<string> {
	const names = new Map(scope.missions.map((m) => [m.code, m.name]));
	yield `\uFEFF${csvRow(CSV_COLUMNS)}`;
	for await (const { recommendation: r, missions } of consolidatedRecommendations(db, scope)) {
		let rows = '';
		for (const cell of missions) {
			const entry = cell.current;
			rows += csvRow([
				r.paragraph,
				r.id,
				r.section.numeral,
				r.section.title,
				r.category,
				cell.mission,
				names.get(cell.mission) ?? '',
				cell.progress,
				entry?.progressDate ?? null,
				entry?.updatedAt ?? null,
				entry?.author ?? null,
				cell.entryCount,
				entry?.note ?? null,
				entry ? evidenceText(entry.evidence) : null
			]);
		}
		yield rows;
	}
}
