import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One measured figure, with the target it is held to (if any). */
export interface BenchRow {
	group: string;
	metric: string;
	value: number;
	unit: string;
	/** e.g. '<= 70' — compared with `value`. */
	target?: { op: '<=' | '>='; value: number };
	note?: string;
}

export function met(row: BenchRow): boolean | undefined {
	if (!row.target) return undefined;
	return row.target.op === '<=' ? row.value <= row.target.value : row.value >= row.target.value;
}

export function percentile(samples: number[], p: number): number {
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

const round = (value: number) =>
	Math.abs(value) >= 100 ? Math.round(value) : Number(value.toFixed(2));

export function printTable(rows: BenchRow[]): void {
	const lines = rows.map((row) => {
		const verdict = met(row);
		return [
			row.group,
			row.metric,
			// NaN: not measured (PostgreSQL unreachable, or the benchmark failed); the note says why.
			Number.isNaN(row.value) ? 'skipped' : `${round(row.value)} ${row.unit}`,
			row.target ? `${row.target.op} ${round(row.target.value)} ${row.unit}` : '',
			verdict === undefined ? '' : verdict ? 'met' : 'MISSED',
			row.note ?? ''
		];
	});
	const header = ['group', 'metric', 'value', 'target', '', 'note'];
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const format = (cells: string[]) =>
		cells
			.map((c, i) => c.padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	console.log(format(header));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const line of lines) console.log(format(line));
}

export function writeResults(path: string, rows: BenchRow[], meta: Record<string, unknown>): void {
	mkdirSync(dirname(path), { recursive: true });
	const results = rows.map((row) => ({ ...row, value: round(row.value), met: met(row) }));
	writeFileSync(path, JSON.stringify({ ...meta, results }, null, '\t') + '\n');
}
