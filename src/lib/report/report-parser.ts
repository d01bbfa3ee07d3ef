import { z } from 'zod';
import {
	footnoteMarkerSchema,
	recommendationSetSchema,
	type Footnote,
	type FootnoteMarker,
	type Recommendation,
	type RecommendationSet,
	type Section
} from '../shared/recommendation';
import { cleanText, type CleanText } from './clean-text';
import { ReportParseError } from './errors';
import { parseFrontMatter } from './front-matter';
import {
	COLUMN_HEADER_BOTTOM,
	COLUMN_HEADER_TOP,
	endsComplete,
	endsSentence,
	footnoteDefinition,
	isBlank,
	isForeignBlock,
	isHeading,
	isRule,
	recommendationStart,
	sectionHeading,
	startsLowercase
} from './lines';
import { missionsMentioned } from './missions-mentioned';
import { findDocuments, findRefs2023 } from './references';
import { statusCategory } from './status-category';

export { ReportParseError } from './errors';

/** A paragraph as found in the file: raw Markdown, possibly soft-wrapped over several lines. */
interface RawParagraph {
	raw: string;
	line: number;
	endLine: number;
}

interface Draft {
	paragraph: number;
	line: number;
	section: Section;
	markers: string[];
	paragraphs: RawParagraph[];
}

const ROMAN: ReadonlyArray<[string, number]> = [
	['C', 100],
	['XC', 90],
	['L', 50],
	['XL', 40],
	['X', 10],
	['IX', 9],
	['V', 5],
	['IV', 4],
	['I', 1]
];

function toRoman(n: number): string {
	let out = '';
	for (const [numeral, value] of ROMAN) {
		for (; n >= value; n -= value) out += numeral;
	}
	return out;
}

const excerpt = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);
const tail = (s: string, n = 40) => (s.length > n ? `…${s.slice(-n)}` : s);

function footnoteMarker(marker: string, line: number): FootnoteMarker {
	const parsed = footnoteMarkerSchema.safeParse(marker);
	if (!parsed.success) throw new ReportParseError(line, `unknown footnote marker "${marker}"`);
	return parsed.data;
}

/**
 * Page furniture split some sentences over two pages (¶123, ¶135, ¶146). A paragraph without
 * terminal punctuation followed by one starting in lower case is one paragraph; in the seed this
 * joins exactly those three and nothing else. A paragraph that ends mid-sentence and is not
 * continued that way is damage (typically a truncated file): throw rather than guess.
 */
function joinPageBreaks(draft: Draft): Array<RawParagraph & { clean: CleanText }> {
	const out: Array<RawParagraph & { clean: CleanText }> = [];
	for (const p of draft.paragraphs) {
		const clean = cleanText(p.raw, p.line);
		const prev = out.at(-1);
		if (prev && !endsSentence(prev.clean.text) && startsLowercase(clean.text)) {
			prev.raw += ' ' + p.raw;
			prev.endLine = p.endLine;
			prev.clean = cleanText(prev.raw, prev.line);
			continue;
		}
		if (prev) assertComplete(prev, draft);
		out.push({ ...p, clean });
	}
	assertComplete(out.at(-1)!, draft);
	return out;
}

function assertComplete(p: RawParagraph & { clean: CleanText }, draft: Draft) {
	if (endsComplete(p.clean.text)) return;
	throw new ReportParseError(
		p.endLine,
		`the text of paragraph ${draft.paragraph} stops mid-sentence ("${tail(p.clean.text)}") and ` +
			'is not continued by a lower-case paragraph: truncated or damaged text'
	);
}

/**
 * Parses the Markdown rendering of A/79/553/Add.1 (the Secretariat's status matrix of the
 * Special Committee's recommendations) into the recommendation set. Pure: no I/O, no clock.
 * Throws a `ReportParseError` ("line N: …") on anything it cannot account for, so that no text
 * is ever dropped silently.
 */
export function parseReport(text: string): RecommendationSet {
	const lines = text
		.replace(/^\uFEFF/, '')
		.split(/\r\n|\r|\n/)
		.map((line) => line.trim());
	const { front, next } = parseFrontMatter(lines);
	const idPrefix = front.tracks.toLowerCase().replace('/', '').replaceAll('/', '-');

	const sections: Section[] = [];
	const drafts: Draft[] = [];
	const definitions: Array<{ marker: FootnoteMarker; raw: string; line: number }> = [];
	const paragraphLines = new Map<number, number>();
	let section: Section | undefined;
	let sectionLine = 0;
	let sectionSize = 0;
	let current: Draft | undefined;
	// What the previous non-blank line was: consecutive prose lines are one soft-wrapped paragraph.
	let previous: 'prose' | 'footnote' | 'other' = 'other';

	const closeSection = () => {
		if (section && sectionSize === 0) {
			throw new ReportParseError(sectionLine, `section ${section.numeral} has no recommendations`);
		}
	};

	for (let i = next; i < lines.length; i++) {
		const line = lines[i];
		const n = i + 1;

		if (isBlank(line) || isRule(line)) {
			previous = 'other';
			continue;
		}
		if (COLUMN_HEADER_TOP.test(line)) {
			const bottom = COLUMN_HEADER_BOTTOM.exec(lines[i + 1] ?? '');
			if (!bottom) {
				throw new ReportParseError(n, 'column header "Paragraph" without its "in A/…" line');
			}
			if (bottom[1] !== front.tracks) {
				throw new ReportParseError(
					n + 1,
					`column header refers to ${bottom[1]}, the report tracks ${front.tracks}`
				);
			}
			i++;
			previous = 'other';
			continue;
		}
		if (COLUMN_HEADER_BOTTOM.test(line)) {
			throw new ReportParseError(n, `column header "${line}" without its "Paragraph" line`);
		}

		// The footnote definitions close the report: nothing but more of them may follow.
		if (definitions.length > 0) {
			const def = footnoteDefinition(line);
			if (def) {
				definitions.push({ marker: footnoteMarker(def.marker, n), raw: def.text, line: n });
				previous = 'footnote';
			} else if (
				previous === 'footnote' &&
				!isHeading(line) &&
				!isForeignBlock(line) &&
				!recommendationStart(line)
			) {
				// A soft-wrapped definition.

				definitions[definitions.length - 1].raw += ' ' + line;
			} else {
				throw new ReportParseError(n, `unexpected line after the footnotes: "${excerpt(line)}"`);
			}
			continue;
		}

		const heading = sectionHeading(line);
		if (heading) {
			closeSection();
			const ordinal = sections.length + 1;
			if (heading.numeral !== toRoman(ordinal)) {
				throw new ReportParseError(
					n,
					`section ${heading.numeral} where section ${toRoman(ordinal)} was expected ` +
						'(missing or misnumbered section heading)'
				);
			}
			section = { numeral: heading.numeral, ordinal, title: cleanText(heading.title, n).text };
			sections.push(section);
			sectionLine = n;
			sectionSize = 0;
			current = undefined;
			previous = 'other';
			continue;
		}

		const start = recommendationStart(line);
		if (start) {
			if (!section) {
				throw new ReportParseError(
					n,
					`paragraph ${start.paragraph} comes before any section heading`
				);
			}
			const seen = paragraphLines.get(start.paragraph);
			if (seen !== undefined) {
				throw new ReportParseError(
					n,
					`duplicate paragraph number ${start.paragraph} (already on line ${seen})`
				);
			}
			const last = drafts.at(-1);
			if (last && start.paragraph < last.paragraph) {
				throw new ReportParseError(
					n,
					`paragraph number ${start.paragraph} follows ${last.paragraph}: numbers must increase`
				);
			}
			current = {
				paragraph: start.paragraph,
				line: n,
				section,
				markers: start.markers,
				paragraphs: [{ raw: start.text, line: n, endLine: n }]
			};
			drafts.push(current);
			paragraphLines.set(start.paragraph, n);
			sectionSize++;
			previous = 'prose';
			continue;
		}

		const def = footnoteDefinition(line);
		if (def) {
			closeSection();
			definitions.push({ marker: footnoteMarker(def.marker, n), raw: def.text, line: n });
			previous = 'footnote';
			continue;
		}

		if (isHeading(line) || isForeignBlock(line)) {
			throw new ReportParseError(n, `unrecognised line: "${excerpt(line)}"`);
		}
		// Any other text continues the current recommendation.
		if (!current) {
			throw new ReportParseError(
				n,
				section
					? `text in section ${section.numeral} before its first recommendation`
					: 'text before the first section heading'
			);
		}
		const paragraphs = current.paragraphs;
		if (previous === 'prose') {
			paragraphs[paragraphs.length - 1].raw += ' ' + line;
			paragraphs[paragraphs.length - 1].endLine = n;
		} else {
			paragraphs.push({ raw: line, line: n, endLine: n });
		}
		previous = 'prose';
	}
	closeSection();

	let lastLine = lines.length;
	while (lastLine > 1 && isBlank(lines[lastLine - 1])) lastLine--;
	if (drafts.length === 0) throw new ReportParseError(lastLine, 'no recommendations found');
	const firstUse = new Map<FootnoteMarker, number>();
	const recommendations = drafts.map((draft, order): Recommendation => {
		const paragraphs = joinPageBreaks(draft);
		const used = [
			...draft.markers.map((m) => ({ m, line: draft.line })),
			...paragraphs.flatMap((p) => p.clean.markers.map((m) => ({ m, line: p.line })))
		];
		const markers = used.map(({ m, line }) => footnoteMarker(m, line));
		used.forEach(({ line }, i) => {
			if (!firstUse.has(markers[i])) firstUse.set(markers[i], line);
		});
		const texts = paragraphs.map((p) => p.clean.text);
		const all = texts.join('\n');
		return {
			id: `${idPrefix}-p${draft.paragraph}`,
			paragraph: draft.paragraph,
			order,
			section: draft.section,
			paragraphs: texts,
			footnotes: [...new Set(markers)],
			refs2023: findRefs2023(all),
			documents: findDocuments(
				all,
				paragraphs.flatMap((p) => p.clean.symbolLabels),
				draft.line
			),
			links: [...new Set(paragraphs.flatMap((p) => p.clean.links))],
			missions: missionsMentioned(all),
			category: statusCategory(texts)
		};
	});

	const footnotes: Footnote[] = [];
	for (const def of definitions) {
		if (footnotes.some((f) => f.marker === def.marker)) {
			throw new ReportParseError(def.line, `footnote ${def.marker} is defined twice`);
		}
		const clean = cleanText(def.raw, def.line);
		footnotes.push({
			marker: def.marker,
			text: clean.text,
			...(clean.links.length > 0 ? { url: clean.links[0] } : {})
		});
	}
	for (const [marker, line] of firstUse) {
		if (!footnotes.some((f) => f.marker === marker)) {
			throw new ReportParseError(
				lastLine,
				`the report ends without the definition of footnote ${marker} (used from line ${line}): ` +
					'truncated file?'
			);
		}
	}

	// The matrix always closes with its footnotes (at least `a`, the online repository). Requiring
	// them is what catches a file cut between two recommendations before any marker was used.
	if (definitions.length === 0) {
		throw new ReportParseError(
			lastLine,
			'the report ends without its footnote definitions: truncated file?'
		);
	}

	const parsed = recommendationSetSchema.safeParse({
		meta: { ...front, footnotes },
		sections,
		recommendations
	});
	if (!parsed.success) {
		throw new Error(`parsed report does not match the schema:\n${z.prettifyError(parsed.error)}`);
	}
	return parsed.data;
}
