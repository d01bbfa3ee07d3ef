import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/lib/report/clean-text';
import { parseReport } from '../../../src/lib/report/report-parser';
import {
	recommendationSetSchema,
	type Recommendation
} from '../../../src/lib/shared/recommendation';

const SEED = readFileSync('seeds/000_ad453c7417d56308.txt', 'utf8');
const set = parseReport(SEED);
const recs = set.recommendations;

function rec(paragraph: number): Recommendation {
	const found = recs.find((r) => r.paragraph === paragraph);
	if (!found) throw new Error(`no recommendation ${paragraph}`);
	return found;
}

/** Paragraph number → value, for the recommendations where `pick` gives something non-empty. */
function nonEmpty<T>(pick: (r: Recommendation) => T[]): Record<number, T[]> {
	return Object.fromEntries(
		recs.filter((r) => pick(r).length > 0).map((r) => [r.paragraph, pick(r)])
	);
}

describe('parseReport on the seed (A/79/553/Add.1)', () => {
	it('passes the schema', () => {
		expect(recommendationSetSchema.safeParse(set).success).toBe(true);
	});

	it('reads the front matter', () => {
		expect(set.meta).toMatchObject({
			body: 'General Assembly',
			session: 79,
			agendaItem: 51,
			agendaTitle:
				'Comprehensive review of the whole question of peacekeeping operations in all their aspects',
			date: '2024-10-25',
			title:
				'Implementation of the recommendations of the Special Committee on Peacekeeping Operations',
			subtitle: 'Report of the Secretary-General',
			documentType: 'Addendum',
			supplements: 'A/79/553',
			tracks: 'A/78/19'
		});
		expect(set.meta.summary).toMatch(/^Pursuant to the request of the Special Committee/);
		expect(set.meta.summary).toMatch(
			/2023 online repository of recommendations for further information\.$/
		);
	});

	it('reads the footnote definitions at the end', () => {
		const url =
			'https://peacekeeping.un.org/en/recommendations-of-special-committee-peacekeeping-operations-c34';
		expect(set.meta.footnotes).toEqual([
			{
				marker: 'a',
				text:
					'More detailed information is available at the online repository of recommendations ' +
					`of the Special Committee on Peacekeeping Operations, available at ${url}.`,
				url
			},
			{
				marker: 'b',
				text: 'All references to Kosovo are to be understood in the context of Security Council resolution 1244 (1999).'
			}
		]);
	});

	it('finds 121 recommendations in strictly increasing paragraph order', () => {
		expect(recs).toHaveLength(121);
		expect(recs[0].paragraph).toBe(22);
		expect(recs.at(-1)!.paragraph).toBe(180);
		recs.forEach((r, i) => {
			expect(r.order).toBe(i);
			expect(r.id).toBe(`a78-19-p${r.paragraph}`);
			if (i > 0) expect(r.paragraph).toBeGreaterThan(recs[i - 1].paragraph);
		});
	});

	it('reads the nine sections, whatever their heading level, and assigns the recommendations', () => {
		expect(set.sections).toEqual([
			{ numeral: 'I', ordinal: 1, title: 'Introduction' },
			{ numeral: 'II', ordinal: 2, title: 'Conduct of peacekeepers and peacekeeping operations' },
			{ numeral: 'III', ordinal: 3, title: 'Partnerships' },
			{ numeral: 'IV', ordinal: 4, title: 'Peacebuilding and sustaining peace' },
			{ numeral: 'V', ordinal: 5, title: 'Performance and accountability' },
			{ numeral: 'VI', ordinal: 6, title: 'Politics' },
			{ numeral: 'VII', ordinal: 7, title: 'Protection' },
			{ numeral: 'VIII', ordinal: 8, title: 'Safety and security' },
			{ numeral: 'IX', ordinal: 9, title: 'Women and peace and security' }
		]);
		const counts = set.sections.map(
			(s) => recs.filter((r) => r.section.numeral === s.numeral).length
		);
		expect(counts).toEqual([2, 13, 16, 16, 15, 12, 14, 18, 15]);
		// Boundaries: the first and last recommendation of each section.
		const bounds = set.sections.map((s) => {
			const inSection = recs.filter((r) => r.section.numeral === s.numeral);
			return [inSection[0].paragraph, inSection.at(-1)!.paragraph];
		});
		expect(bounds).toEqual([
			[22, 26],
			[38, 50],
			[54, 70],
			[74, 89],
			[93, 107],
			[112, 123],
			[127, 140],
			[145, 162],
			[166, 180]
		]);
		for (const r of recs) expect(r.section).toEqual(set.sections[r.section.ordinal - 1]);
	});

	it('keeps full texts byte for byte', () => {
		expect(rec(26).paragraphs).toEqual([
			'The requested briefing will be provided to the Special Committee.'
		]);
		expect(rec(39).paragraphs).toEqual([
			'All personnel continue to be vetted using the Case Management Tracking System for prior records of misconduct. The Clear Check database continues to be used by United Nations system entities in recruitment processes to screen civilian personnel against records of sexual exploitation and abuse and sexual harassment.',
			'The Secretariat is in consultation with stakeholders to identify further remedial measures to prevent sexual exploitation and abuse in peacekeeping operations.'
		]);
		expect(rec(65).paragraphs).toEqual([
			"The Secretariat takes note of the Special Committee's recommendation."
		]);
		// Curly quotes and dashes stay as in the source.
		expect(rec(148).paragraphs[0]).toContain('“UN’s MindCompanion”');
		expect(rec(49).paragraphs[0]).toContain('2023–2030.” This strategy');
	});

	it('removes page furniture inside a recommendation', () => {
		// ¶43: a column header between the second and third paragraph.
		expect(rec(43).paragraphs).toHaveLength(3);
		expect(rec(43).paragraphs[2]).toBe(
			"In addition, please refer to the status of recommendation 42 in the Secretariat's online repository of recommendations of the Special Committee for 2023."
		);
		// ¶77 is followed by the italic header and a rule; ¶78 starts clean.
		expect(rec(77).paragraphs).toEqual([
			'Lessons learned and best practices will be shared through an informal briefing.'
		]);
		expect(rec(78).paragraphs[0]).toMatch(/^In line with the 2023 revised/);
		expect(rec(78).paragraphs).toHaveLength(2);
	});

	it('joins sentences split by a page break', () => {
		expect(rec(123).paragraphs).toHaveLength(1);
		expect(rec(123).paragraphs[0]).toContain(
			'Briefings on Abyei continued to provide a frank assessment of the impact of the ongoing crisis in the Sudan on UNISFA operations and mandate implementation. The Secretary-General has continued'
		);
		expect(rec(135).paragraphs).toHaveLength(1);
		expect(rec(135).paragraphs[0]).toContain(
			'Peacekeeping missions are empowering local communities to identify and report harmful narratives.'
		);
		expect(rec(146).paragraphs).toHaveLength(2);
		expect(rec(146).paragraphs[0]).toContain(
			'However, the ratio of non-malicious versus malicious fatalities has consistently increased.'
		);
	});

	it('joins nothing else: every other paragraph is one line of the source', () => {
		const sourceParagraphs = new Set(
			SEED.split('\n')
				.map((line) => line.trim().replace(/^\d+(?:<sup>\w<\/sup>)?\s/, ''))
				.filter((line) => /^[\p{L}"“(]/u.test(line) && !/^(?:Paragraph|in A\/)/.test(line))
				.map((line) => cleanText(line, 0).text)
		);
		const joined = recs.flatMap((r) =>
			r.paragraphs.filter((p) => !sourceParagraphs.has(p)).map(() => r.paragraph)
		);
		expect(joined).toEqual([123, 135, 146]);
		expect(recs.reduce((n, r) => n + r.paragraphs.length, 0)).toBe(222);
	});

	it('leaves no markup or furniture in the text', () => {
		const texts = [
			...recs.flatMap((r) => r.paragraphs),
			set.meta.summary,
			...set.meta.footnotes.map((f) => f.text),
			...set.sections.map((s) => s.title)
		];
		for (const text of texts) {
			expect(text).not.toMatch(
				/\*|<\/?sup>|\\[()[\]]|\]\(|<https?:|\bParagraph\b|in A\/78\/19|^---|\n/
			);
			expect(text).toBe(text.trim());
			expect(text).not.toMatch(/ {2}/);
		}
		expect(rec(139).paragraphs[0]).toContain('This includes, inter alia, guiding');
	});

	it('records footnote markers and removes them from the text', () => {
		const withA = recs.filter((r) => r.footnotes.includes('a')).map((r) => r.paragraph);
		expect(withA).toEqual([
			48, 67, 68, 76, 83, 89, 95, 107, 112, 129, 130, 149, 154, 162, 166, 167, 168, 169, 170, 175,
			179, 180
		]);
		expect(nonEmpty((r) => r.footnotes.filter((m) => m === 'b'))).toEqual({ 113: ['b'] });
		expect(rec(113).footnotes).toEqual(['b']);
		expect(rec(113).paragraphs[0]).toContain('stability in Kosovo and the wider region.');
		expect(rec(48).paragraphs[0]).toMatch(/^The Secretariat continues its efforts/);
	});

	it('finds the pointers to 2023 recommendations', () => {
		expect(nonEmpty((r) => r.refs2023)).toEqual({
			38: [37],
			40: [44],
			42: [38],
			43: [42],
			46: [42],
			50: [36],
			54: [52],
			57: [53],
			63: [62],
			74: [95],
			76: [90],
			80: [84],
			99: [121],
			101: [125],
			104: [118],
			105: [119],
			117: [139],
			128: [164],
			131: [152],
			137: [159],
			140: [183],
			152: [177],
			157: [196],
			158: [197]
		});
		// "recommendation 17 of the report of the Secretary-General" is not a 2023 pointer.
		expect(rec(174).refs2023).toEqual([]);
	});

	it('finds the documents cited, linked or not, and cleans their links', () => {
		expect(nonEmpty((r) => r.documents)).toEqual({
			22: [{ symbol: '77/297', kind: 'ga-resolution' }],
			44: [
				{ symbol: 'ST/SGB/2024/4', kind: 'sg-bulletin' },
				{ symbol: 'ST/AI/2021/4/Rev.1', kind: 'administrative-instruction' }
			],
			49: [
				{ symbol: '76/274', kind: 'ga-resolution' },
				{ symbol: 'A/77/19', kind: 'ga-document' }
			],
			64: [{ symbol: '2719 (2023)', kind: 'sc-resolution' }],
			70: [{ symbol: '2719 (2023)', kind: 'sc-resolution' }],
			84: [{ symbol: '2717 (2023)', kind: 'sc-resolution' }],
			112: [{ symbol: '1244 (1999)', kind: 'sc-resolution' }],
			116: [{ symbol: '2709 (2023)', kind: 'sc-resolution' }],
			121: [{ symbol: '2666 (2022)', kind: 'sc-resolution' }],
			134: [{ symbol: 'S/2024/292', kind: 'sc-document' }],
			150: [{ symbol: 'ST/SGB/2024/3', kind: 'sg-bulletin' }],
			155: [{ symbol: '2589 (2021)', kind: 'sc-resolution' }],
			174: [{ symbol: 'S/2022/280', kind: 'sc-document' }]
		});
		expect(rec(22).paragraphs[0]).toMatch(/^Following the adoption of resolution 77\/297 by/);
		expect(rec(64).paragraphs[0]).toContain('Security Council resolution 2719 (2023), the');
		expect(rec(44).paragraphs[0]).toContain(
			'Framework (ST/SGB/2024/4) and the corresponding revised administrative instruction on the Performance Management and Development System (ST/AI/2021/4/Rev.1).'
		);
	});

	it('collects web links and keeps the URL as plain text', () => {
		expect(nonEmpty((r) => r.links)).toEqual({
			38: [
				'https://peacekeeping.un.org/en/recommendations-of-special-committee-peacekeeping-operations-c34'
			],
			40: ['https://conduct.unmissions.org'],
			93: ['https://pcrs.un.org/Resources/Forms/AllItems.aspx'],
			117: ['https://peacekeeping.un.org/en/action-peacekeeping']
		});
		expect(rec(40).paragraphs[1]).toContain(
			'field missions (https://conduct.unmissions.org) contains'
		);
		expect(rec(93).paragraphs[0]).toContain(
			'(see https://pcrs.un.org/Resources/Forms/AllItems.aspx, under Peacekeeping Performance).'
		);
	});

	it('finds the missions mentioned, by acronym or full name, in order of mention', () => {
		expect(rec(55).missions).toEqual(['MONUSCO', 'MINUSCA', 'UNMISS', 'UNISFA']);
		// Named in full only, never by acronym.
		expect(rec(54).missions).toEqual(['MINUSCA', 'UNMOGIP']);
		expect(rec(47).missions).toEqual(['MINUSMA']);
		// "Abyei" and "Mali" are places, not missions.
		expect(rec(26).missions).toEqual([]);
		expect(new Set(recs.flatMap((r) => r.missions)).size).toBe(12);
		expect(nonEmpty((r) => r.missions)).toEqual({
			47: ['MINUSMA'],
			54: ['MINUSCA', 'UNMOGIP'],
			55: ['MONUSCO', 'MINUSCA', 'UNMISS', 'UNISFA'],
			74: ['MINUSCA', 'UNMISS', 'MONUSCO'],
			76: ['UNMISS'],
			78: ['MONUSCO'],
			84: ['MONUSCO', 'MINUSCA'],
			98: ['MINUSMA'],
			107: ['UNISFA'],
			112: ['MONUSCO', 'UNMIK'],
			113: ['MINUSCA', 'UNMIK'],
			116: ['MINUSCA', 'UNISFA', 'UNMISS'],
			119: ['MINUSCA', 'MONUSCO', 'UNMISS', 'UNISFA', 'UNIFIL', 'UNDOF', 'UNTSO', 'UNFICYP'],
			121: ['MONUSCO', 'UNMISS'],
			123: ['MINUSCA', 'MINURSO', 'UNISFA', 'UNMIK', 'UNFICYP'],
			130: ['MINUSMA', 'MONUSCO'],
			134: ['MINUSCA', 'UNMISS'],
			136: ['UNMISS', 'MONUSCO'],
			138: ['MINUSCA'],
			151: ['MINUSCA'],
			154: ['MINUSCA', 'MONUSCO', 'UNMISS', 'UNISFA', 'UNFICYP', 'UNMIK', 'MINUSMA', 'MINURSO'],
			155: ['MINUSCA', 'MONUSCO', 'MINUSMA'],
			162: ['UNIFIL', 'UNDOF'],
			166: ['UNIFIL', 'UNMISS', 'MONUSCO', 'MINUSCA'],
			167: ['MONUSCO'],
			168: ['MINUSCA', 'MONUSCO'],
			170: ['UNMISS'],
			171: ['MONUSCO', 'UNMIK', 'MINUSCA'],
			172: ['MONUSCO', 'UNMISS', 'MINUSCA'],
			173: ['UNMISS', 'MINUSCA', 'MONUSCO'],
			180: ['UNMISS', 'MONUSCO', 'MINUSCA']
		});
	});

	it('is deterministic', () => {
		expect(parseReport(SEED)).toEqual(set);
	});
});
