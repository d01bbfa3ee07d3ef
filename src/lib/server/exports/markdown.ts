import type { Kysely } from 'kysely';
import type { EvidenceItem } from '../../shared/annotation';
import type { ExportCell } from '../../shared/hq';
import type { Recommendation } from '../../shared/recommendation';
import type { Database } from '../db/schema';
import { consolidatedRecommendations } from './consolidated';
import { NO_MATCH, NO_UPDATE, titleBlock } from './draft';
import { progressLabel, progressWithSymbol } from './labels';
import type { ExportScope } from './scope';

/**
 * The Markdown draft of next year's report, in the seed's own form: the title block, then for
 * each paragraph of A/78/19 under its section heading the Secretariat's current text (its
 * footnote markers as `[^a]`) and a "Mission updates" list; the report's footnotes at the end.
 * What missions typed is escaped: it reads as text, never as markup.
 */

/** Backslash-escapes what Markdown (CommonMark, GFM) would read as markup within a line. */
export function markdownText(text: string): string {
	return text.replace(/[\\`*_[\]<>|~&]/g, (char) => `\\${char}`);
}

/** …and at the start of a line, what would open a heading, list or rule (`>` is done above). */
function markdownLine(line: string): string {
	return markdownText(line)
		.replace(/^[#+\-=]/, (mark) => `\\${mark}`)
		.replace(/^(\d+)([.)])/, (_, digits: string, mark: string) => `${digits}\\${mark}`);
}

/** A note over several lines, as hard-broken lines of one list item. */
function noteLines(note: string): string[] {
	return note
		.split(/\r\n|\r|\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '')
		.map(markdownLine);
}

function safeUrl(url: string): string | null {
	try {
		// Serialised, a URL has no space, < or >: it cannot break out of an autolink.
		return new URL(url).href;
	} catch {
		return null;
	}
}

function evidenceText(item: EvidenceItem): string {
	const url = item.url ? safeUrl(item.url) : null;
	return [
		markdownText(item.label),
		item.symbol ? `(${markdownText(item.symbol)})` : '',
		url ? `<${url}>` : ''
	]
		.filter(Boolean)
		.join(' ');
}

function missionUpdate(cell: ExportCell, names: Map<string, string>): string {
	const entry = cell.current!;
	const head =
		`- **${cell.mission}** (${markdownText(names.get(cell.mission) ?? cell.mission)}): ` +
		`${progressWithSymbol(cell.progress)}, ${entry.progressDate}, ${markdownText(entry.author)}`;
	const lines = [head, ...noteLines(entry.note)];
	if (entry.evidence.length) lines.push(`Evidence: ${entry.evidence.map(evidenceText).join('; ')}`);
	return lines.join('\\\n  ');
}

function recommendationBlock(
	recommendation: Recommendation,
	cells: ExportCell[],
	names: Map<string, string>
): string {
	const markers = recommendation.footnotes.map((marker) => `[^${marker}]`).join('');
	const [first, ...rest] = recommendation.paragraphs;
	const out = [`${recommendation.paragraph}${markers} ${first}`, ...rest, '**Mission updates**'];
	const assessed = cells.filter((cell) => cell.current);
	const missing = cells.filter((cell) => !cell.current).map((cell) => cell.mission);
	const list = assessed.map((cell) => missionUpdate(cell, names));
	if (missing.length) list.push(`- ${progressLabel('not-assessed')}: ${missing.join(', ')}`);
	out.push(list.length ? list.join('\n') : `_${NO_UPDATE}_`);
	return `${out.join('\n\n')}\n\n`;
}

export async function* markdownExport(
	db: Kysely<Database>,
	scope: ExportScope
): AsyncGenerator<string> {
	const { meta } = scope.dataset;
	const title = titleBlock(meta, scope.filter, scope.exportedAt);
	yield [
		`# ${title.body}`,
		`${title.draftLine}\\\n${title.previousLine}`,
		'Original: English',
		'---',
		`**${title.agendaTitle}**`,
		`## ${title.title}`,
		`### ${title.subtitle}`,
		`#### ${title.documentType} (draft)`,
		'##### *Summary*',
		title.summary,
		`*${title.filters}*`,
		`${title.paragraphColumn.replace(' in ', '\\\nin ')}`,
		''
	].join('\n\n');

	const names = new Map(scope.missions.map((m) => [m.code, m.name]));
	let section = 0;
	for await (const { recommendation, missions } of consolidatedRecommendations(db, scope)) {
		let text = '';
		if (recommendation.section.ordinal !== section) {
			section = recommendation.section.ordinal;
			text += `## ${recommendation.section.numeral}. ${recommendation.section.title}\n\n`;
		}
		yield text + recommendationBlock(recommendation, missions, names);
	}
	if (section === 0) yield `_${NO_MATCH}_\n\n`;

	yield `---\n\n${meta.footnotes.map((note) => `[^${note.marker}]: ${note.text}`).join('\n\n')}\n`;
}
