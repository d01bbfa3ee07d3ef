import {
	Document,
	ExternalHyperlink,
	FootnoteReferenceRun,
	HeadingLevel,
	Packer,
	Paragraph,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType,
	type ParagraphChild
} from 'docx';
import type { Kysely } from 'kysely';
import type { EvidenceItem } from '../../shared/annotation';
import type { ExportRecommendation } from '../../shared/hq';
import type { Recommendation } from '../../shared/recommendation';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { consolidatedRecommendations } from './consolidated';
import { NO_MATCH, NO_UPDATE, titleBlock } from './draft';
import { progressLabel, progressWithSymbol } from './labels';
import type { ExportScope } from './scope';

/**
 * The Word draft: the Markdown draft's content (title page, sections, the Secretariat's text,
 * each paragraph's mission updates as a table) with the report's footnotes as Word footnotes.
 *
 * Unlike the other formats it is NOT streamed: the `docx` library builds the whole document in
 * memory and zips it at the end. So it is capped: at most DOCX_MAX_UPDATES mission updates
 * (3,000: about 12 MB of notes at the 4,000-character maximum, every mission on every paragraph
 * of the report with room to spare); beyond that the request is refused with 413 before any of
 * it is built, and the filters or the streamed formats serve.
 */
export const DOCX_MAX_UPDATES = 3000;

/** Control characters XML 1.0 cannot carry: a note holding one must not corrupt the file. */
function xmlSafe(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** Lines of typed text as runs with line breaks between them. */
function lines(text: string): TextRun[] {
	return xmlSafe(text)
		.split(/\r\n|\r|\n/)
		.map((line, i) => new TextRun({ text: line, break: i === 0 ? 0 : 1 }));
}

function cell(children: ParagraphChild[]): TableCell {
	return new TableCell({ children: [new Paragraph({ children })] });
}

function evidenceRuns(evidence: readonly EvidenceItem[]): ParagraphChild[] {
	const runs: ParagraphChild[] = [];
	evidence.forEach((item, i) => {
		if (i > 0) runs.push(new TextRun({ text: '', break: 1 }));
		runs.push(new TextRun(xmlSafe(item.symbol ? `${item.label} (${item.symbol})` : item.label)));
		let url: string | null = null;
		try {
			url = item.url ? new URL(item.url).href : null;
		} catch {
			url = null;
		}
		if (url) {
			runs.push(new TextRun(' '));
			runs.push(
				new ExternalHyperlink({
					link: url,
					children: [new TextRun({ text: url, style: 'Hyperlink' })]
				})
			);
		}
	});
	return runs;
}

function updatesTable(item: ExportRecommendation, names: Map<string, string>): Table | null {
	const assessed = item.missions.filter((m) => m.current);
	if (assessed.length === 0) return null;
	const header = new TableRow({
		tableHeader: true,
		children: ['Mission', 'Status', 'Date', 'Note', 'Evidence'].map((title) =>
			cell([new TextRun({ text: title, bold: true })])
		)
	});
	const rows = assessed.map((m) => {
		const entry = m.current!;
		return new TableRow({
			children: [
				cell([
					new TextRun({ text: m.mission, bold: true }),
					new TextRun({ text: xmlSafe(names.get(m.mission) ?? ''), break: 1 })
				]),
				cell([new TextRun(progressWithSymbol(m.progress))]),
				cell([new TextRun(entry.progressDate)]),
				cell([
					...lines(entry.note),
					new TextRun({ text: `— ${xmlSafe(entry.author)}`, break: 1, italics: true })
				]),
				cell(evidenceRuns(entry.evidence))
			]
		});
	});
	return new Table({ rows: [header, ...rows], width: { size: 100, type: WidthType.PERCENTAGE } });
}

export async function docxExport(
	db: Kysely<Database>,
	scope: ExportScope,
	maxUpdates = DOCX_MAX_UPDATES
): Promise<Uint8Array> {
	const items: ExportRecommendation[] = [];
	let updates = 0;
	for await (const item of consolidatedRecommendations(db, scope)) {
		updates += item.missions.filter((m) => m.current).length;
		if (updates > maxUpdates) {
			throw new AppError(
				413,
				'export-too-large',
				`The Word draft holds at most ${maxUpdates} mission updates and these filters select more: narrow them (section, mission), or export CSV, JSON or Markdown, which have no limit.`
			);
		}
		items.push(item);
	}

	const { meta } = scope.dataset;
	const title = titleBlock(meta, scope.filter, scope.exportedAt);
	const footnoteText = new Map(meta.footnotes.map((note) => [note.marker, note.text]));
	// Word numbers footnotes per reference: each use of a report note becomes its own footnote.
	const footnotes: Record<number, { children: Paragraph[] }> = {};
	let nextFootnote = 1;
	const footnoteRuns = (recommendation: Recommendation) =>
		recommendation.footnotes.map((marker) => {
			const id = nextFootnote++;
			footnotes[id] = { children: [new Paragraph(` ${footnoteText.get(marker) ?? marker}`)] };
			return new FootnoteReferenceRun(id);
		});

	const titlePage = [
		new Paragraph({ children: [new TextRun({ text: title.body, bold: true, size: 32 })] }),
		new Paragraph(title.draftLine),
		new Paragraph(title.previousLine),
		new Paragraph('Original: English'),
		new Paragraph({ children: [new TextRun({ text: title.agendaTitle, bold: true })] }),
		new Paragraph({ text: title.title, heading: HeadingLevel.TITLE }),
		new Paragraph({ text: title.subtitle, heading: HeadingLevel.HEADING_2 }),
		new Paragraph({ text: `${title.documentType} (draft)`, heading: HeadingLevel.HEADING_3 }),
		new Paragraph({ children: [new TextRun({ text: 'Summary', italics: true })] }),
		new Paragraph(title.summary),
		new Paragraph({ children: [new TextRun({ text: title.filters, italics: true })] })
	];

	const names = new Map(scope.missions.map((m) => [m.code, m.name]));
	const body: (Paragraph | Table)[] = [
		new Paragraph({ children: [new TextRun({ text: title.paragraphColumn, italics: true })] })
	];
	let section = 0;
	for (const item of items) {
		const { recommendation } = item;
		if (recommendation.section.ordinal !== section) {
			section = recommendation.section.ordinal;
			body.push(
				new Paragraph({
					text: `${recommendation.section.numeral}. ${recommendation.section.title}`,
					heading: HeadingLevel.HEADING_1
				})
			);
		}
		const [first, ...rest] = recommendation.paragraphs;
		body.push(
			new Paragraph({
				children: [
					new TextRun({ text: String(recommendation.paragraph), bold: true }),
					...footnoteRuns(recommendation),
					new TextRun(` ${first}`)
				]
			}),
			...rest.map((text) => new Paragraph(text)),
			new Paragraph({ text: 'Mission updates', heading: HeadingLevel.HEADING_4, keepNext: true })
		);
		const table = updatesTable(item, names);
		body.push(
			table ?? new Paragraph({ children: [new TextRun({ text: NO_UPDATE, italics: true })] })
		);
		const missing = item.missions.filter((m) => !m.current).map((m) => m.mission);
		if (missing.length)
			body.push(new Paragraph(`${progressLabel('not-assessed')}: ${missing.join(', ')}`));
	}
	if (items.length === 0)
		body.push(new Paragraph({ children: [new TextRun({ text: NO_MATCH, italics: true })] }));

	const document = new Document({
		creator: 'FieldMatrix',
		title: `${title.title} (draft)`,
		description: title.filters,
		footnotes,
		sections: [{ children: titlePage }, { children: body }]
	});
	return new Uint8Array(await Packer.toBuffer(document));
}
