import { describe, expect, it } from 'vitest';
import { matrixFiltersToSearch, parseMatrixFilters, selectRows } from '$lib/client/matrix-filters';
import { buildSearchIndex, highlightRuns, searchRecommendations } from '$lib/client/search';
import { seedDataset } from '../seed-dataset';

const { recommendations } = seedDataset();
const index = await buildSearchIndex(recommendations);
const paragraphsOf = (ids: string[]) =>
	ids.map((id) => recommendations.find((r) => r.id === id)!.paragraph);

describe('search', () => {
	it('finds words anywhere in the status text', () => {
		const hits = searchRecommendations(index, 'memorial wall');
		expect(paragraphsOf(hits.map((h) => h.id))).toContain(22);
	});

	it('matches prefixes as the user types', () => {
		const hits = searchRecommendations(index, 'disinform');
		expect(paragraphsOf(hits.map((h) => h.id))).toContain(135);
		expect(hits[0].terms.some((term) => term.startsWith('disinform'))).toBe(true);
	});

	it('forgives a typo in a longer word', () => {
		const hits = searchRecommendations(index, 'peacebuildng');
		expect(hits.length).toBeGreaterThan(0);
		expect(hits.flatMap((h) => h.terms)).toContain('peacebuilding');
	});

	it('finds a paragraph by its number and a mission by its full name', () => {
		expect(paragraphsOf(searchRecommendations(index, '135').map((h) => h.id))[0]).toBe(135);
		const byName = searchRecommendations(index, 'India Pakistan');
		expect(paragraphsOf(byName.map((h) => h.id))).toContain(54);
	});

	it('answers nothing for an empty query', () => {
		expect(searchRecommendations(index, '   ')).toEqual([]);
	});

	it('highlights whole matched words, in any case, leaving the text intact', () => {
		const text = 'Harmful information; harmfully HARMFUL.';
		const runs = highlightRuns(text, ['harmful']);
		expect(runs.map((r) => r.text).join('')).toBe(text);
		expect(runs.filter((r) => r.match).map((r) => r.text)).toEqual(['Harmful', 'HARMFUL']);
		// Regex metacharacters in terms are literal.
		expect(
			highlightRuns('a (b) c', ['(b)'])
				.map((r) => r.text)
				.join('')
		).toBe('a (b) c');
	});

	it('highlights the words the index holds: accented, numbers, symbols cut at punctuation', () => {
		const text = 'Sécurité des données (S/RES/2378, 2023); sécuritaire.';
		const runs = highlightRuns(text, ['sécurité', '2378', 'res']);
		expect(runs.map((r) => r.text).join('')).toBe(text);
		expect(runs.filter((r) => r.match).map((r) => r.text)).toEqual(['Sécurité', 'RES', '2378']);
	});

	it('highlights every word a search matched, in every row of a broad query', () => {
		// A one-letter query matches most of the set through prefixes: each row marks its words.
		for (const hit of searchRecommendations(index, 's').slice(0, 20)) {
			const text = recommendations.find((r) => r.id === hit.id)!.paragraphs.join('\n');
			const marked = highlightRuns(text, hit.terms)
				.filter((r) => r.match)
				.map((r) => r.text.toLowerCase());
			expect(marked.length).toBeGreaterThan(0);
			for (const word of marked) expect(hit.terms).toContain(word);
		}
	});
});

describe('matrix filters in the URL', () => {
	it('round-trips through the query string', () => {
		const filters = parseMatrixFilters(
			new URLSearchParams('q=harmful&section=7&category=briefing-pending&mission=UNMISS&footnote=a')
		);
		expect(filters).toEqual({
			q: 'harmful',
			section: 7,
			category: 'briefing-pending',
			mission: 'UNMISS',
			footnote: 'a'
		});
		expect(matrixFiltersToSearch(filters)).toBe(
			'?q=harmful&section=7&category=briefing-pending&mission=UNMISS&footnote=a'
		);
	});

	it('drops malformed values instead of failing', () => {
		const filters = parseMatrixFilters(
			new URLSearchParams('section=abc&category=nope&mission=<script>&footnote=z')
		);
		expect(filters).toEqual({ q: '' });
		expect(matrixFiltersToSearch(filters)).toBe('');
	});

	it('filters by section, category, mission and footnote, keeping report order', () => {
		const rows = selectRows(
			recommendations,
			parseMatrixFilters(new URLSearchParams('section=7')),
			index
		)!;
		expect(rows.length).toBe(14);
		expect(rows.every((r) => r.recommendation.section.numeral === 'VII')).toBe(true);
		const orders = rows.map((r) => r.recommendation.order);
		expect(orders).toEqual([...orders].sort((a, b) => a - b));

		const withB = selectRows(
			recommendations,
			parseMatrixFilters(new URLSearchParams('footnote=b')),
			index
		)!;
		expect(withB.map((r) => r.recommendation.paragraph)).toEqual([113]);

		const unmiss = selectRows(
			recommendations,
			parseMatrixFilters(new URLSearchParams('mission=UNMISS')),
			index
		)!;
		expect(unmiss.length).toBeGreaterThan(0);
		expect(unmiss.every((r) => r.recommendation.missions.includes('UNMISS'))).toBe(true);

		const noUpdate = selectRows(
			recommendations,
			parseMatrixFilters(new URLSearchParams('category=no-update-requested')),
			index
		)!;
		expect(noUpdate.map((r) => r.recommendation.paragraph)).toEqual([68]);
	});

	it('waits for the index before answering a search, not before filtering', () => {
		const search = parseMatrixFilters(new URLSearchParams('q=harmful'));
		expect(selectRows(recommendations, search, undefined)).toBeUndefined();
		const filter = parseMatrixFilters(new URLSearchParams('section=1'));
		expect(selectRows(recommendations, filter, undefined)?.length).toBe(2);
	});

	it('combines search and filters, carrying the matched words', () => {
		const rows = selectRows(
			recommendations,
			parseMatrixFilters(new URLSearchParams('q=harmful&section=7')),
			index
		)!;
		expect(rows.map((r) => r.recommendation.paragraph)).toContain(135);
		expect(rows.every((r) => r.recommendation.section.ordinal === 7)).toBe(true);
		expect(rows.every((r) => r.terms.length > 0)).toBe(true);
	});
});
