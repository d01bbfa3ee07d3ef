import { ReportParseError } from './errors';

/** Markdown text reduced to what a reader sees, plus what the markup carried. */
export interface CleanText {
	text: string;
	/** Footnote markers (`<sup>b</sup>`), in order of appearance. */
	markers: string[];
	/** Web links: `<https://…>` autolinks and `[label](https://…)` links. */
	links: string[];
	/** Labels of placeholder links `[77/297](#)`: the converter's way of marking symbols. */
	symbolLabels: string[];
}

// Escaped punctuation is parked in private-use characters while the markup is stripped, so
// that an escaped `\*` or `\(` can never be mistaken for markup.
const ESCAPE = /\\([!-/:-@[-`{-~])/g;
const PARKED = /\uE000([0-9a-f]+)\uE001/g;
const park = (s: string) =>
	s.replace(ESCAPE, (_, c: string) => `\uE000${c.charCodeAt(0).toString(16)}\uE001`);
const unpark = (s: string) =>
	s.replace(PARKED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const MARKER = /<sup>([^<>]*)<\/sup>/g;
const AUTOLINK = /<(https?:\/\/[^<>\s]+)>/g;
const LINK = /\[([^\]]*)\]\(([^()\s]*)\)/g;
const STRONG = /\*\*([^*]+)\*\*/g;
const EMPHASIS = /\*([^*\s](?:[^*]*[^*\s])?)\*/g;
/** Anything still looking like markup after stripping is a defect, not text. */
const LEFTOVER = /<\/?[A-Za-z][^>]*>|<https?:|\]\(|\*|`|^#{1,6}\s/;

/**
 * Strips the Markdown this report uses (footnote markers, links, emphasis, escapes) and
 * returns the plain text with the information the markup carried. Throws on any markup it
 * does not understand rather than letting it leak into the text.
 */
export function cleanText(raw: string, line: number): CleanText {
	const markers: string[] = [];
	const links: string[] = [];
	const symbolLabels: string[] = [];

	let text = park(raw)
		.replace(MARKER, (_, m: string) => {
			markers.push(m.trim());
			return '';
		})
		.replace(AUTOLINK, (_, url: string) => {
			links.push(url);
			return url;
		})
		.replace(LINK, (whole: string, label: string, href: string) => {
			if (href === '#' || href === '') symbolLabels.push(unpark(label).trim());
			else if (/^https?:\/\//.test(href)) links.push(href);
			else throw new ReportParseError(line, `unsupported link target in "${unpark(whole)}"`);
			return label;
		})
		.replace(STRONG, '$1')
		.replace(EMPHASIS, '$1')
		.replace(/[ \t]+/g, ' ')
		.trim();

	const leftover = LEFTOVER.exec(text);
	if (leftover) {
		const at = Math.max(0, leftover.index - 20);
		throw new ReportParseError(
			line,
			`unrecognised markup "${leftover[0]}" in "…${unpark(text.slice(at, at + 60))}…"`
		);
	}
	text = unpark(text);
	return { text, markers, links, symbolLabels };
}
