import type { CellProgress } from '$lib/shared/hq';
import type { Recommendation, Section } from '$lib/shared/recommendation';

/** The console's matrix as its components take it (shaped by routes/hq/hq-matrix.ts). */

export interface GridCell {
	mission: string;
	progress: CellProgress;
	/** The day the current progress refers to; null when not assessed. */
	progressDate: string | null;
	author: string | null;
	entryCount: number;
	openConflicts: number;
	/** Passes the progress filter (always, without one). */
	match: boolean;
}

export interface GridRow {
	recommendation: Recommendation;
	/** Words to highlight, from the search. */
	terms: string[];
	/** One per column, in the columns' order. */
	cells: GridCell[];
	/** No mission has an entry on it, whatever the filters. */
	unassessed: boolean;
}

export interface GridSection {
	section: Section;
	rows: GridRow[];
}

export interface GridColumn {
	code: string;
	name: string;
	retired: boolean;
	/** No device of the mission heard from for HQ_LIMITS.staleAfterDays days. */
	stale: boolean;
}

/** Where a cell (or a row's paragraph, without mission) leads. */
export type CellHref = (paragraph: number, mission?: string) => string;
