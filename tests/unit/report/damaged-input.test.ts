import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport, ReportParseError } from '../../../src/lib/report/report-parser';

const SEED = readFileSync('seeds/000_ad453c7417d56308.txt', 'utf8');

/** 1-based line number of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
	const at = text.indexOf(needle);
	if (at < 0) throw new Error(`not in text: ${needle}`);
	return text.slice(0, at).split('\n').length;
}

function replaceOnce(text: string, needle: string, replacement: string): string {
	if (!text.includes(needle)) throw new Error(`not in text: ${needle}`);
	return text.replace(needle, () => replacement);
}

/** Parses `text` and returns the error it must throw. */
function failure(text: string): ReportParseError {
	try {
		parseReport(text);
	} catch (error) {
		expect(error).toBeInstanceOf(ReportParseError);
		return error as ReportParseError;
	}
	throw new Error('parseReport accepted damaged input');
}

function expectFailure(text: string, line: number, message: RegExp) {
	const error = failure(text);
	expect(error.message).toMatch(new RegExp(`^line ${line}: `));
	expect(error.line).toBe(line);
	expect(error.message).toMatch(message);
}

describe('parseReport on damaged input', () => {
	it('accepts the seed as given, with Windows line endings or a byte-order mark', () => {
		const set = parseReport(SEED);
		expect(parseReport(SEED.replaceAll('\n', '\r\n'))).toEqual(set);
		expect(parseReport('\uFEFF' + SEED)).toEqual(set);
	});

	it('missing section heading in the middle: the next numeral is out of sequence', () => {
		const damaged = replaceOnce(SEED, '### III. Partnerships\n', '\n');
		expectFailure(
			damaged,
			lineOf(damaged, '## IV. Peacebuilding'),
			/section IV where section III was expected/
		);
	});

	it('missing first section heading: a paragraph before any section', () => {
		const damaged = replaceOnce(SEED, '## I. Introduction\n', '\n');
		expectFailure(damaged, lineOf(damaged, '22 Following'), /paragraph 22 .*before any section/);
	});

	it('a paragraph inserted before the first section', () => {
		const damaged = replaceOnce(
			SEED,
			'## I. Introduction',
			'21 An extra paragraph.\n\n## I. Introduction'
		);
		expectFailure(damaged, lineOf(damaged, '21 An extra'), /paragraph 21 .*before any section/);
		// Even straight after the summary, before the page's column header.
		const early = replaceOnce(
			SEED,
			'\n\nParagraph  \nin A/78/19\n\n## I.',
			'\n21 Extra.\n\nParagraph  \nin A/78/19\n\n## I.'
		);
		expectFailure(early, lineOf(early, '21 Extra.'), /paragraph 21 .*before any section/);
	});

	it('a section heading with nothing under it', () => {
		const damaged = replaceOnce(SEED, '## V. Performance', '## V. Empty\n\n## V. Performance');
		expectFailure(damaged, lineOf(damaged, '## V. Empty'), /section V has no recommendations/);
		const last = SEED.replace(/\n---\n\n<sup>a<\/sup>/, '\n## X. Nothing\n$&');
		expectFailure(last, lineOf(last, '## X. Nothing'), /section X has no recommendations/);
	});

	it('duplicated paragraph number', () => {
		const damaged = replaceOnce(
			SEED,
			'40 Implementation is ongoing.',
			'39 Implementation is ongoing.'
		);
		expectFailure(
			damaged,
			lineOf(SEED, '40 Implementation is ongoing.'),
			/duplicate paragraph number 39 \(already on line 45\)/
		);
	});

	it('paragraph numbers going backwards', () => {
		const damaged = replaceOnce(
			SEED,
			'40 Implementation is ongoing.',
			'37 Implementation is ongoing.'
		);
		expectFailure(damaged, 49, /paragraph number 37 follows 39: numbers must increase/);
	});

	it('truncated after a recommendation: footnote definitions missing', () => {
		const cut = SEED.slice(0, SEED.indexOf('150 The Secretary General'));
		expectFailure(
			cut,
			lineOf(SEED, 'The three workstreams linked to the Strategy'),
			/without the definition of footnote a \(used from line 78\).*truncated/
		);
		// Cut before any footnote marker was used: the missing block still gives it away.
		const early = SEED.slice(0, SEED.indexOf('40 Implementation'));
		expectFailure(
			early,
			lineOf(SEED, 'The Secretariat is in consultation with stakeholders to identify'),
			/ends without its footnote definitions: truncated/
		);
		// Only the end-of-report block missing.
		const noNotes = SEED.slice(0, SEED.lastIndexOf('---'));
		expectFailure(
			noNotes,
			lineOf(SEED, 'The Department of Peace Operations has developed several'),
			/footnote a/
		);
	});

	it('truncated mid-sentence', () => {
		const cut = SEED.slice(0, SEED.indexOf('malicious versus malicious'));
		expectFailure(cut, 419, /paragraph 146 stops mid-sentence \("….*the ratio of non-"\)/);
	});

	it('truncated in the front matter', () => {
		const cut = SEED.slice(0, SEED.indexOf('#### **Addendum**'));
		expectFailure(
			cut,
			cut.split('\n').length,
			/front matter is incomplete: missing the document type/
		);
		const noSummary = replaceOnce(
			SEED,
			SEED.slice(SEED.indexOf('Pursuant to'), SEED.indexOf('Paragraph  ')),
			''
		);
		expectFailure(noSummary, lineOf(noSummary, 'Paragraph  '), /the summary is missing/);
		const onlySummary = SEED.slice(0, SEED.indexOf('Paragraph  '));
		expectFailure(onlySummary, onlySummary.split('\n').length, /ends after its summary/);
	});

	it('front matter out of order or damaged', () => {
		expectFailure(
			replaceOnce(SEED, 'Agenda item 51', 'Agenda 51'),
			16,
			/expected the agenda item \("Agenda item 51"\), found "Agenda 51"/
		);
		expectFailure(replaceOnce(SEED, '25 October 2024', '31 June 2024'), 8, /expected the date/);
		expectFailure(
			replaceOnce(SEED, '## Seventy-ninth session', '## Seventy-tenth session'),
			14,
			/expected the session/
		);
		expectFailure(
			replaceOnce(SEED, '(A/79/553)', 'A/79/553'),
			28,
			/does not name the report this matrix supplements/
		);
	});

	it('an unrecognised line', () => {
		const table = replaceOnce(
			SEED,
			'41 The Secretary-General',
			'| a | table |\n\n41 The Secretary-General'
		);
		expectFailure(table, 53, /unrecognised line: "\| a \| table \|"/);
		const heading = replaceOnce(
			SEED,
			'41 The Secretary-General',
			'### A stray heading\n\n41 The Secretary-General'
		);
		expectFailure(heading, 53, /unrecognised line: "### A stray heading"/);
		const html = replaceOnce(
			SEED,
			'41 The Secretary-General',
			'<div>x</div>\n\n41 The Secretary-General'
		);
		expectFailure(html, 53, /unrecognised line/);
	});

	it('half a column header is not furniture', () => {
		const top = replaceOnce(
			SEED,
			'Paragraph  \nin A/78/19\n\nIn addition, please',
			'Paragraph\n\nIn addition, please'
		);
		expectFailure(top, 63, /column header "Paragraph" without its "in A\/…" line/);
		const bottom = replaceOnce(
			SEED,
			'Paragraph  \nin A/78/19\n\nIn addition, please',
			'in A/78/19\n\nIn addition, please'
		);
		expectFailure(bottom, 63, /without its "Paragraph" line/);
		const other = replaceOnce(
			SEED,
			'Paragraph  \nin A/78/19\n\nIn addition, please',
			'Paragraph\nin A/77/19\n\nIn addition, please'
		);
		expectFailure(other, 64, /refers to A\/77\/19, the report tracks A\/78\/19/);
	});

	it('markup it does not understand', () => {
		const damaged = replaceOnce(SEED, 'vetted using the', 'vetted <b>using</b> the');
		expectFailure(damaged, 45, /unrecognised markup "<b>"/);
		const link = replaceOnce(SEED, '[77/297](#)', '[the resolution](#)');
		expectFailure(link, 37, /link "the resolution" is not a recognised document symbol/);
	});

	it('footnotes: unknown marker, defined twice, or text after them', () => {
		expectFailure(
			replaceOnce(SEED, '48<sup>a</sup>', '48<sup>c</sup>'),
			78,
			/unknown footnote marker "c"/
		);
		const noB = SEED.slice(0, SEED.lastIndexOf('<sup>b</sup>'));
		expectFailure(
			noB,
			lineOf(SEED, '<sup>a</sup> More detailed'),
			/without the definition of footnote b \(used from line 304\)/
		);
		const twice = SEED + '\n<sup>b</sup> Again.\n';
		expectFailure(twice, lineOf(twice, '<sup>b</sup> Again.'), /footnote b is defined twice/);
		for (const extra of ['\n\n181 A late recommendation.', '\n181 A late recommendation.']) {
			const after = SEED.trimEnd() + extra;
			expectFailure(after, lineOf(after, '181 A late'), /unexpected line after the footnotes/);
		}
		// A soft-wrapped definition is still one definition.
		const wrapped = replaceOnce(SEED, 'to be understood in the', 'to be understood\nin the');
		expect(parseReport(wrapped).meta.footnotes[1].text).toBe(
			parseReport(SEED).meta.footnotes[1].text
		);
	});

	it('a text paragraph that only starts with a number is a continuation, not a recommendation', () => {
		const year = replaceOnce(
			SEED,
			'\n\n40 Implementation',
			'\n\n2023 was the first year of the vetting.\n\n13 selections were made.\n\n40 Implementation'
		);
		const r39 = parseReport(year).recommendations.find((r) => r.paragraph === 39)!;
		expect(r39.paragraphs.slice(2)).toEqual([
			'2023 was the first year of the vetting.',
			'13 selections were made.'
		]);
		// A number followed by a capitalised word is taken as a paragraph number and checked.
		const count = replaceOnce(
			SEED,
			'\n\n40 Implementation',
			'\n\n13 Member States did this.\n\n40 Implementation'
		);
		expectFailure(count, lineOf(count, '13 Member'), /paragraph number 13 follows 39/);
	});
});
