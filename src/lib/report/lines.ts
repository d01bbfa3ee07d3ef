/** Classifiers for the lines of the Markdown rendering. Lines arrive trimmed. */

export const isBlank = (line: string) => line === '';

/** Horizontal rules: the converter's page and block separators. */
export const isRule = (line: string) => /^(?:-{3,}|\*{3,}|_{3,})$/.test(line);

/**
 * The running column header repeated on every page, "Paragraph  \nin A/78/19", sometimes in
 * italics. It spans two lines; the first alone or the second alone is a damaged header.
 */
export const COLUMN_HEADER_TOP = /^\*?Paragraph\*?$/;
export const COLUMN_HEADER_BOTTOM = /^\*?in (A\/\d+\/\d+)\*?$/;

/** "## I. Introduction", "### III. Partnerships", "## **VIII. Safety and security**". */
const SECTION_HEADING = /^#{1,6}\s+(\*\*)?([IVXLC]+)\.\s+(.+?)\1$/;

export function sectionHeading(line: string): { numeral: string; title: string } | undefined {
	const m = SECTION_HEADING.exec(line);
	return m ? { numeral: m[2], title: m[3].trim() } : undefined;
}

export const isHeading = (line: string) => /^#{1,6}\s/.test(line);

/**
 * A recommendation starts with its paragraph number in A/78/19, optionally followed by footnote
 * markers, then the text: "38 Implementation…", "48<sup>a</sup> The Secretariat…".
 *
 * Prose can begin with a number too, so the number must look like a paragraph number: at most
 * three digits (so "2023 saw…" is a year, not a paragraph) and followed by a marker or by a
 * capitalised word (so "13 selections were made…" or "35 per cent…" are quantities). The caller
 * then requires the number to exceed the previous one: a duplicate or a step backwards is a
 * damaged file and an error, never silently folded into the previous recommendation.
 */
const RECOMMENDATION_START = /^([1-9]\d{0,2})((?:<sup>[^<>]*<\/sup>)*)[ \t]+(\S.*)$/;

export function recommendationStart(
	line: string
): { paragraph: number; markers: string[]; text: string } | undefined {
	const m = RECOMMENDATION_START.exec(line);
	if (!m) return undefined;
	const markers = [...m[2].matchAll(/<sup>([^<>]*)<\/sup>/g)].map((s) => s[1].trim());
	if (markers.length === 0 && !/^["“‘'(]?\p{Lu}/u.test(m[3])) return undefined;
	return { paragraph: Number(m[1]), markers, text: m[3] };
}

/** End-of-report footnote definition: "<sup>a</sup> More detailed information…". */
const FOOTNOTE_DEFINITION = /^<sup>([^<>]*)<\/sup>\s*(\S.*)$/;

export function footnoteDefinition(line: string): { marker: string; text: string } | undefined {
	const m = FOOTNOTE_DEFINITION.exec(line);
	return m ? { marker: m[1].trim(), text: m[2] } : undefined;
}

/**
 * Block-level Markdown this report never uses for content: HTML blocks, quotes, tables, lists,
 * code fences. Such a line is not prose and must not be taken as a continuation paragraph.
 */
export const isForeignBlock = (line: string) => /^(?:<|>|\||[-*+]\s|\d+[.)]\s|```|~~~)/.test(line);

/** Terminal punctuation, possibly inside closing quotes or brackets: "… 2023–2030.”" */
export const endsSentence = (text: string) => /[.!?…]["'”’)\]]*$/.test(text);

/** A paragraph may also end by introducing a list with a colon. */
export const endsComplete = (text: string) => endsSentence(text) || /:["'”’)\]]*$/.test(text);

/** Text that carries on a sentence from the previous page starts in lower case. */
export const startsLowercase = (text: string) => /^\p{Ll}/u.test(text);
