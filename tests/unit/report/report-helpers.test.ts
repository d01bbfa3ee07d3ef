import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/lib/report/clean-text';
import { ordinalWords } from '../../../src/lib/report/front-matter';
import { recommendationStart, sectionHeading } from '../../../src/lib/report/lines';
import { missionsMentioned } from '../../../src/lib/report/missions-mentioned';
import { documentKind, findDocuments, findRefs2023 } from '../../../src/lib/report/references';

describe('cleanText', () => {
	it('strips the markup this report uses and keeps what it carried', () => {
		expect(
			cleanText(
				'In [2719 \\(2023\\)](#), see <https://example.org/a_b> and *inter alia* Kosovo<sup>b</sup> **now**.',
				1
			)
		).toEqual({
			text: 'In 2719 (2023), see https://example.org/a_b and inter alia Kosovo now.',
			markers: ['b'],
			links: ['https://example.org/a_b'],
			symbolLabels: ['2719 (2023)']
		});
	});

	it('keeps escaped punctuation literal and rejects unknown markup', () => {
		expect(cleanText('5 \\* 3 \\[sic\\]', 1).text).toBe('5 * 3 [sic]');
		expect(() => cleanText('a <em>b</em>', 7)).toThrow(/^line 7: unrecognised markup "<em>"/);
		expect(() => cleanText('a ** b', 7)).toThrow(/^line 7: unrecognised markup "\*"/);
		expect(() => cleanText('[x](mailto:a@b)', 7)).toThrow(/^line 7: unsupported link target/);
	});
});

describe('line shapes', () => {
	it('recognises the three heading styles of sections', () => {
		expect(sectionHeading('## I. Introduction')).toEqual({ numeral: 'I', title: 'Introduction' });
		expect(sectionHeading('### III. Partnerships')).toEqual({
			numeral: 'III',
			title: 'Partnerships'
		});
		expect(sectionHeading('## **VIII. Safety and security**')).toEqual({
			numeral: 'VIII',
			title: 'Safety and security'
		});
		expect(sectionHeading('## Seventy-ninth session')).toBeUndefined();
		expect(sectionHeading('## **VIII. Unbalanced')).toBeUndefined();
	});

	it('tells paragraph numbers from numbers in prose', () => {
		expect(recommendationStart('38 Implementation is ongoing.')).toEqual({
			paragraph: 38,
			markers: [],
			text: 'Implementation is ongoing.'
		});
		expect(recommendationStart('48<sup>a</sup> The Secretariat')).toEqual({
			paragraph: 48,
			markers: ['a'],
			text: 'The Secretariat'
		});
		expect(recommendationStart('2023 was a year.')).toBeUndefined();
		expect(recommendationStart('13 selections were made.')).toBeUndefined();
		expect(recommendationStart('35 per cent of posts.')).toBeUndefined();
		expect(recommendationStart('10:1 was the ratio.')).toBeUndefined();
	});
});

describe('ordinalWords', () => {
	it('reads session numbers', () => {
		expect(ordinalWords('Seventy-ninth')).toBe(79);
		expect(ordinalWords('Eightieth')).toBe(80);
		expect(ordinalWords('First')).toBe(1);
		expect(ordinalWords('Nineteenth')).toBe(19);
		expect(ordinalWords('Seventy-tenth')).toBeUndefined();
		expect(ordinalWords('Seventy')).toBeUndefined();
	});
});

describe('references', () => {
	it('classifies document symbols by shape', () => {
		expect(documentKind('77/297')).toBe('ga-resolution');
		expect(documentKind('2719 (2023)')).toBe('sc-resolution');
		expect(documentKind('ST/SGB/2024/4')).toBe('sg-bulletin');
		expect(documentKind('ST/AI/2021/4/Rev.1')).toBe('administrative-instruction');
		expect(documentKind('S/2024/292')).toBe('sc-document');
		expect(documentKind('A/77/19')).toBe('ga-document');
		expect(documentKind('the resolution')).toBeUndefined();
	});

	it('takes bare resolution numbers only after "resolution"', () => {
		expect(
			findDocuments(
				'Under resolutions 2719 (2023) and 2720 (2023), the 2025/26 budget, 24/7 support, 26 per cent (409).',
				[],
				1
			).map((d) => d.symbol)
		).toEqual(['2719 (2023)', '2720 (2023)']);
		expect(findDocuments('General Assembly resolution 76/274 (see A/77/19).', [], 1)).toEqual([
			{ symbol: '76/274', kind: 'ga-resolution' },
			{ symbol: 'A/77/19', kind: 'ga-document' }
		]);
	});

	it('counts only pointers into the 2023 repository', () => {
		expect(
			findRefs2023(
				'Please refer to the status of recommendation 37 in the Secretariat’s online repository of recommendations of the Special Committee for 2023. See recommendation 17 of the report of the Secretary-General and item 175 below.'
			)
		).toEqual([37]);
	});
});

describe('missionsMentioned', () => {
	it('matches acronyms and full names, not places', () => {
		expect(
			missionsMentioned(
				'The United Nations Military Observer Group in India and Pakistan, UNMISS and the United Nations Mission in South Sudan; Abyei, Kosovo and Mali.'
			)
		).toEqual(['UNMOGIP', 'UNMISS']);
		expect(missionsMentioned('MONUSCO’s withdrawal')).toEqual(['MONUSCO']);
	});
});
