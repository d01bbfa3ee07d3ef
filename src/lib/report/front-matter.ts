import { cleanText } from './clean-text';
import { ReportParseError } from './errors';
import {
	COLUMN_HEADER_TOP,
	isBlank,
	isForeignBlock,
	isHeading,
	isRule,
	recommendationStart,
	sectionHeading
} from './lines';

export interface FrontMatter {
	body: string;
	session: number;
	agendaItem: number;
	agendaTitle: string;
	date: string;
	title: string;
	subtitle: string;
	documentType: string;
	supplements: string;
	tracks: string;
	summary: string;
}

const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December'
];

const UNITS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];
const ORDINAL_WORDS: Record<string, number> = Object.fromEntries([
	...UNITS.slice(1).map((w, i) => [w, i + 1] as const),
	...['ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth']
		.concat(['sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'])
		.map((w, i) => [w, i + 9] as const),
	...['twent', 'thirt', 'fort', 'fift', 'sixt', 'sevent', 'eight', 'ninet'].map(
		(w, i) => [`${w}ieth`, (i + 2) * 10] as const
	)
]);
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** "Seventy-ninth" → 79, "Eightieth" → 80 (sessions are printed as ordinal words). */
export function ordinalWords(words: string): number | undefined {
	const lower = words.toLowerCase();
	if (lower in ORDINAL_WORDS) return ORDINAL_WORDS[lower];
	const [tens, unit] = lower.split('-');
	const t = TENS.indexOf(tens);
	const u = unit === undefined ? undefined : ORDINAL_WORDS[unit];
	return t >= 0 && u !== undefined && u < 10 ? (t + 2) * 10 + u : undefined;
}

/** "25 October 2024" → "2024-10-25". */
function isoDate(text: string): string | undefined {
	const m = /^(\d{1,2}) (\p{L}+) (\d{4})$/u.exec(text);
	const month = m ? MONTHS.indexOf(m[2]) + 1 : 0;
	if (!m || month === 0) return undefined;
	const iso = `${m[3]}-${String(month).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
	const check = new Date(`${iso}T00:00:00Z`);
	return check.getUTCDate() === Number(m[1]) ? iso : undefined;
}

const headingText = (line: string, n: number) =>
	isHeading(line) && !sectionHeading(line)
		? cleanText(line.replace(/^#{1,6}\s+/, ''), n).text
		: undefined;

/** The front matter in the order the United Nations prints it; every step is required. */
const STEPS: ReadonlyArray<{
	name: string;
	match: (line: string, n: number) => string | number | undefined;
	field?: keyof FrontMatter;
}> = [
	{
		name: 'the issuing body ("# General Assembly")',
		field: 'body',
		match: (l, n) => (/^#\s/.test(l) ? headingText(l, n) : undefined)
	},
	{
		name: 'the distribution line ("Distr.: General")',
		match: (l) => (/^Distr\.:\s*\S/.test(l) ? l : undefined)
	},
	{ name: 'the date ("25 October 2024")', field: 'date', match: (l) => isoDate(l) },
	{
		name: 'the original language ("Original: English")',
		match: (l) => (/^Original:\s*\S/.test(l) ? l : undefined)
	},
	{
		name: 'the session ("## Seventy-ninth session")',
		field: 'session',
		match: (l, n) => {
			const m = /^(\S+) session$/.exec(headingText(l, n) ?? '');
			return m ? ordinalWords(m[1]) : undefined;
		}
	},
	{
		name: 'the agenda item ("Agenda item 51")',
		field: 'agendaItem',
		match: (l) => {
			const m = /^Agenda item (\d+)$/.exec(l);
			return m ? Number(m[1]) : undefined;
		}
	},
	{
		name: 'the agenda item title (a bold line)',
		field: 'agendaTitle',
		match: (l, n) => (/^\*\*[^*].*\*\*$/.test(l) ? cleanText(l, n).text : undefined)
	},
	{ name: 'the report title (a heading)', field: 'title', match: headingText },
	{ name: 'the subtitle (a heading)', field: 'subtitle', match: headingText },
	{ name: 'the document type (a heading, "Addendum")', field: 'documentType', match: headingText },
	{
		name: 'the summary heading ("##### *Summary*")',
		match: (l, n) => (headingText(l, n) === 'Summary' ? 'Summary' : undefined)
	}
];

/**
 * Reads the front matter up to the end of the summary. Returns the index of the first line of
 * the body. Throws, naming the line, when a step is missing, out of order or cut off.
 */
export function parseFrontMatter(lines: readonly string[]): { front: FrontMatter; next: number } {
	const front: Partial<Record<keyof FrontMatter, string | number>> = {};
	let i = 0;
	for (const step of STEPS) {
		while (i < lines.length && (isBlank(lines[i]) || isRule(lines[i]))) i++;
		if (i === lines.length) {
			throw new ReportParseError(i, `front matter is incomplete: missing ${step.name}`);
		}
		const value = step.match(lines[i], i + 1);
		if (value === undefined || value === '') {
			throw new ReportParseError(i + 1, `expected ${step.name}, found "${lines[i]}"`);
		}
		if (step.field) front[step.field] = value;
		i++;
	}

	// The summary runs up to the first page's column header (or the first section heading, or a
	// numbered paragraph, which the body parser then reports as coming before any section).
	let summaryLine = 0;
	const paragraphs: string[] = [];
	let joinNext = false;
	for (; i < lines.length; i++) {
		const line = lines[i];
		if (COLUMN_HEADER_TOP.test(line) || sectionHeading(line) || recommendationStart(line)) break;
		if (isBlank(line) || isRule(line)) {
			joinNext = false;
			continue;
		}
		if (isHeading(line) || isForeignBlock(line)) {
			throw new ReportParseError(i + 1, `unexpected line in the summary: "${line}"`);
		}
		const text = cleanText(line, i + 1).text;
		summaryLine ||= i + 1;
		if (joinNext) paragraphs[paragraphs.length - 1] += ' ' + text;
		else paragraphs.push(text);
		joinNext = true;
	}
	if (paragraphs.length === 0 || i === lines.length) {
		throw new ReportParseError(
			Math.min(i + 1, lines.length),
			paragraphs.length === 0
				? 'front matter is incomplete: the summary is missing'
				: 'the report ends after its summary'
		);
	}
	const summary = paragraphs.join('\n\n');

	const supplements =
		/\bsupplement(?:al|ary)? to the report of the Secretary-General \((A\/[^)\s]+)\)/.exec(summary);
	const tracks =
		/\breport of the Special Committee on its \d{4} substantive session \((A\/[^)\s]+)\)/.exec(
			summary
		);
	if (!supplements || !tracks) {
		throw new ReportParseError(
			summaryLine,
			`the summary does not name ${!supplements ? 'the report this matrix supplements' : 'the Special Committee report it tracks'}`
		);
	}
	return {
		front: {
			...(front as Omit<FrontMatter, 'summary' | 'supplements' | 'tracks'>),
			summary,
			supplements: supplements[1],
			tracks: tracks[1]
		},
		next: i
	};
}
