import type { MatrixRow } from '$lib/client/matrix-filters';
import type { GridCell, GridRow, GridSection } from '$lib/components/hq/matrix-types';
import {
	CELL_PROGRESS,
	NOT_ASSESSED,
	type CellProgress,
	type HqMatrix,
	type HqMission,
	type MatrixCell
} from '$lib/shared/hq';
import type { Section } from '$lib/shared/recommendation';

/**
 * The console's matrix from the server's cells (`GET /api/v1/hq/matrix`: only the pairs with
 * entries) and the recommendations the device's catalog selected (search, section, category):
 * every pair becomes a cell, a missing one `not-assessed`. Pure, for the page and its tests.
 */

export interface CellIndex {
	byPair: Map<string, MatrixCell>;
	assessed: Set<string>;
}

const pair = (mission: string, recommendationId: string) => `${mission} ${recommendationId}`;

/** Built once per answer of the server, not on every filter change. */
export function cellIndex(matrix: HqMatrix): CellIndex {
	return {
		byPair: new Map(matrix.cells.map((cell) => [pair(cell.mission, cell.recommendationId), cell])),
		assessed: new Set(
			matrix.cells.filter((cell) => cell.current).map((cell) => cell.recommendationId)
		)
	};
}

/**
 * The columns: the mission asked for, else every open mission and the retired ones that
 * recorded something (as the exports do: a retired mission's gaps will never be filled).
 */
export function matrixColumns(matrix: HqMatrix, mission?: string): HqMission[] {
	if (mission) return matrix.missions.filter((m) => m.code === mission);
	const recorded = new Set(matrix.cells.map((cell) => cell.mission));
	return matrix.missions.filter((m) => !m.retired || recorded.has(m.code));
}

function gridCell(mission: string, cell: MatrixCell | undefined): GridCell {
	const current = cell?.current ?? null;
	return {
		mission,
		progress: current?.status ?? NOT_ASSESSED,
		progressDate: current?.progressDate ?? null,
		author: current?.author ?? null,
		entryCount: cell?.entryCount ?? 0,
		openConflicts: cell?.openConflicts ?? 0,
		match: true
	};
}

/**
 * The rows for the catalog's selection, each built once per (columns, cells) and handed out
 * again as the same object while the filters change: the matrix then redraws only the rows that
 * came or went, not all 1,400 cells. A search's matched words make a fresh copy.
 */
export function gridRowMaker(columns: readonly HqMission[], index: CellIndex) {
	const built = new Map<string, GridRow>();
	return (rows: readonly MatrixRow[]): GridRow[] =>
		rows.map(({ recommendation, terms }) => {
			let row = built.get(recommendation.id);
			if (!row) {
				row = {
					recommendation,
					terms: [],
					unassessed: !index.assessed.has(recommendation.id),
					cells: columns.map((m) =>
						gridCell(m.code, index.byPair.get(pair(m.code, recommendation.id)))
					)
				};
				built.set(recommendation.id, row);
			}
			return terms.length > 0 ? { ...row, terms } : row;
		});
}

export function gridRows(
	rows: readonly MatrixRow[],
	columns: readonly HqMission[],
	index: CellIndex
): GridRow[] {
	return gridRowMaker(columns, index)(rows);
}

/** The recommendations of `rows`, for the grid's visibility. */
export function visibleIds(rows: readonly GridRow[]): Set<string> {
	return new Set(rows.map((row) => row.recommendation.id));
}

/**
 * The missions to show: all of them, or with a progress filter those that have a matching cell
 * in the rows shown (asked "who needs HQ support?", the grid answers with those missions only).
 */
export function missionsWithCells(
	rows: readonly GridRow[],
	columns: readonly HqMission[],
	progress?: CellProgress
): Set<string> {
	if (!progress) return new Set(columns.map((m) => m.code));
	return new Set(
		columns
			.filter((_, i) => rows.some((row) => row.cells[i].progress === progress))
			.map((m) => m.code)
	);
}

/** The search's matched words, by recommendation (those with some). */
export function searchTerms(rows: readonly MatrixRow[]): Map<string, string[]> {
	return new Map(
		rows.filter((row) => row.terms.length > 0).map((row) => [row.recommendation.id, row.terms])
	);
}

/** Rows where some cell has `progress`, those cells marked: the others stay blank on screen. */
export function filterByProgress(rows: readonly GridRow[], progress?: CellProgress): GridRow[] {
	if (!progress) return [...rows];
	return rows.flatMap((row) => {
		const cells = row.cells.map((cell) => ({ ...cell, match: cell.progress === progress }));
		return cells.some((cell) => cell.match) ? [{ ...row, cells }] : [];
	});
}

/** Rows by section, in report order; sections with no row left out. */
export function groupBySection(rows: readonly GridRow[], sections: readonly Section[]) {
	return sections
		.map((section): GridSection => ({
			section,
			rows: rows.filter((row) => row.recommendation.section.ordinal === section.ordinal)
		}))
		.filter((group) => group.rows.length > 0);
}

export type ProgressCounts = Record<CellProgress, number>;

export function emptyCounts(): ProgressCounts {
	return Object.fromEntries(CELL_PROGRESS.map((status) => [status, 0])) as ProgressCounts;
}

/** (recommendation, mission) pairs per section, by current progress. */
export function countsBySection(rows: readonly GridRow[], sections: readonly Section[]) {
	return groupBySection(rows, sections).map(({ section, rows }) => {
		const counts = emptyCounts();
		for (const row of rows) for (const cell of row.cells) counts[cell.progress]++;
		return { section, counts };
	});
}

/** Recommendations per mission (column), by the mission's current progress. */
export function countsByMission(rows: readonly GridRow[], columns: readonly HqMission[]) {
	return columns.map((mission, i) => {
		const counts = emptyCounts();
		for (const row of rows) counts[row.cells[i].progress]++;
		return { mission, counts };
	});
}
