import { describe, expect, it } from 'vitest';
import type { HqMatrix, MatrixCell } from '$lib/shared/hq';
import { seedDataset } from '../seed-dataset';
import {
	exportFilterOf,
	filtersFromForm,
	hasHqFilters,
	hqFiltersToSearch,
	parseHqFilters
} from '../../../src/routes/hq/hq-filters';
import {
	cellIndex,
	countsByMission,
	countsBySection,
	filterByProgress,
	gridRowMaker,
	gridRows,
	groupBySection,
	matrixColumns,
	missionsWithCells
} from '../../../src/routes/hq/hq-matrix';

const dataset = seedDataset();

describe('the HQ console’s view in the URL', () => {
	it('reads the export filters’ names and values, dropping what it does not know', () => {
		const filters = parseHqFilters(
			new URLSearchParams(
				'q=protection&section=VII&category=taken-note&progress=not-assessed&mission=UNMISS&view=list'
			)
		);
		expect(filters).toEqual({
			q: 'protection',
			section: 'VII',
			category: 'taken-note',
			progress: 'not-assessed',
			mission: 'UNMISS',
			view: 'list'
		});
		expect(
			parseHqFilters(
				new URLSearchParams('section=7&category=x&progress=done&mission=unmiss&view=table')
			)
		).toEqual({ q: '', view: 'grid' });
	});

	it('writes it back in a stable order, the grid view and an empty search left out', () => {
		const filters = parseHqFilters(new URLSearchParams('mission=UNMISS&q=%20vetting%20&view=grid'));
		expect(hqFiltersToSearch(filters)).toBe('?q=vetting&mission=UNMISS');
		expect(hqFiltersToSearch({ q: ' ', view: 'grid' })).toBe('');
		expect(hasHqFilters({ q: '', view: 'list' })).toBe(false);
		expect(hasHqFilters({ q: '', view: 'grid', section: 'II' })).toBe(true);
	});

	it('hands the exports the four filters and never the search', () => {
		expect(exportFilterOf({ q: 'words', view: 'list', section: 'II', mission: 'UNMISS' })).toEqual({
			section: ['II'],
			category: [],
			progress: [],
			mission: ['UNMISS']
		});
	});

	it('takes the form’s values through the same rules', () => {
		expect(
			filtersFromForm({ q: 'x', section: 'II', progress: 'bogus', mission: '' }, 'list')
		).toEqual({ q: 'x', section: 'II', view: 'list' });
	});
});

describe('the HQ console’s matrix', () => {
	const current = (status: 'in-progress' | 'implemented', date: string) => ({
		annotationId: '0190f1c4-6a2e-7cc1-8b52-3c1f0e9d4a10',
		status,
		progressDate: date,
		updatedAt: `${date}T08:00:00.000Z`,
		author: 'A. Focal'
	});
	const cells: MatrixCell[] = [
		{
			mission: 'UNMISS',
			recommendationId: 'a78-19-p38',
			current: current('in-progress', '2025-01-10'),
			entryCount: 2,
			openConflicts: 1
		},
		{
			mission: 'MONUSCO',
			recommendationId: 'a78-19-p38',
			current: current('implemented', '2025-02-01'),
			entryCount: 1,
			openConflicts: 0
		},
		// Every entry deleted: the pair reads as not assessed.
		{
			mission: 'MONUSCO',
			recommendationId: 'a78-19-p39',
			current: null,
			entryCount: 0,
			openConflicts: 0
		}
	];
	const mission = (code: string, retired = false) => ({
		code,
		name: code,
		retired,
		retiredAt: retired ? '2025-01-01T00:00:00.000Z' : null
	});
	const matrix: HqMatrix = {
		generatedAt: '2025-02-02T00:00:00.000Z',
		datasetVersion: dataset.version,
		missions: [
			mission('MINURSO', true),
			mission('MONUSCO'),
			mission('OLDMIS', true),
			mission('UNMISS')
		],
		cells: [...cells, { ...cells[1], mission: 'OLDMIS' }]
	};
	const rows = dataset.recommendations.map((recommendation) => ({ recommendation, terms: [] }));

	it('has a column per open mission, and per retired one that recorded something', () => {
		expect(matrixColumns(matrix).map((m) => m.code)).toEqual(['MONUSCO', 'OLDMIS', 'UNMISS']);
		expect(matrixColumns(matrix, 'MINURSO').map((m) => m.code)).toEqual(['MINURSO']);
	});

	it('fills every pair, a missing or all-deleted one as not assessed', () => {
		const columns = matrixColumns(matrix);
		const grid = gridRows(rows, columns, cellIndex(matrix));
		expect(grid).toHaveLength(dataset.recommendations.length);
		const p38 = grid.find((row) => row.recommendation.paragraph === 38)!;
		expect(p38.cells.map((c) => c.progress)).toEqual(['implemented', 'implemented', 'in-progress']);
		expect(p38.cells[2]).toMatchObject({
			progressDate: '2025-01-10',
			openConflicts: 1,
			entryCount: 2
		});
		expect(p38.unassessed).toBe(false);
		const p39 = grid.find((row) => row.recommendation.paragraph === 39)!;
		expect(p39.cells.map((c) => c.progress)).toEqual([
			'not-assessed',
			'not-assessed',
			'not-assessed'
		]);
		expect(p39.unassessed).toBe(true);
	});

	it('hands out the same row objects while the filters change, so only new rows redraw', () => {
		const make = gridRowMaker(matrixColumns(matrix), cellIndex(matrix));
		const all = make(rows);
		const some = make(rows.slice(10, 20));
		expect(some.every((row, i) => row === all[10 + i])).toBe(true);
		const searched = make([{ ...rows[10], terms: ['vetting'] }]);
		expect(searched[0]).not.toBe(all[10]);
		expect(searched[0]).toEqual({ ...all[10], terms: ['vetting'] });
	});

	it('keeps the rows where a cell has the progress asked for, marking those cells', () => {
		const grid = gridRows(rows, matrixColumns(matrix), cellIndex(matrix));
		const shown = filterByProgress(grid, 'in-progress');
		expect(shown.map((row) => row.recommendation.paragraph)).toEqual([38]);
		expect(shown[0].cells.map((c) => c.match)).toEqual([false, false, true]);
		expect(filterByProgress(grid, 'not-assessed')).toHaveLength(dataset.recommendations.length - 1);
		expect(filterByProgress(grid)).toHaveLength(grid.length);
	});

	it('leaves only the missions with a matching cell when the progress is filtered', () => {
		const columns = matrixColumns(matrix);
		const grid = gridRows(rows, columns, cellIndex(matrix));
		expect([...missionsWithCells(grid, columns)]).toEqual(['MONUSCO', 'OLDMIS', 'UNMISS']);
		expect([...missionsWithCells(grid, columns, 'in-progress')]).toEqual(['UNMISS']);
		expect([...missionsWithCells(grid, columns, 'not-started')]).toEqual([]);
	});

	it('counts pairs per section and recommendations per mission for the charts', () => {
		const columns = matrixColumns(matrix);
		const grid = gridRows(rows, columns, cellIndex(matrix));
		const bySection = countsBySection(grid, dataset.sections);
		const total = (counts: Record<string, number>) =>
			Object.values(counts).reduce((a, b) => a + b, 0);
		expect(bySection.map((s) => total(s.counts))).toEqual(
			groupBySection(grid, dataset.sections).map((g) => g.rows.length * columns.length)
		);
		const byMission = countsByMission(grid, columns);
		expect(
			byMission.map((m) => [m.mission.code, m.counts.implemented, m.counts['in-progress']])
		).toEqual([
			['MONUSCO', 1, 0],
			['OLDMIS', 1, 0],
			['UNMISS', 0, 1]
		]);
		expect(byMission.every((m) => total(m.counts) === dataset.recommendations.length)).toBe(true);
	});
});
