import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseMatrixFilters, selectRows } from '$lib/client/matrix-filters';
import { buildSearchIndex } from '$lib/client/search';
import { buildDataset } from '$lib/report/dataset';
import { percentile, type BenchRow } from './report';

/** Search as the user types it: every prefix of a few realistic queries, over the real set. */
export async function searchLatency(): Promise<BenchRow[]> {
	const { recommendations } = buildDataset(readFileSync('seeds/000_ad453c7417d56308.txt', 'utf8'));
	const buildStart = performance.now();
	const index = await buildSearchIndex(recommendations);
	const buildMs = performance.now() - buildStart;
	const queries = [
		'sexual exploitation and abuse',
		'harmful information',
		'MONUSCO',
		'peacebuilding commission',
		'gender parity',
		'capability readiness',
		'disinformaton',
		'135'
	].flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
	const samples: number[] = [];
	for (let round = 0; round < 5; round++) {
		for (const q of queries) {
			const started = performance.now();
			selectRows(recommendations, parseMatrixFilters(new URLSearchParams({ q })), index);
			samples.push(performance.now() - started);
		}
	}
	const group = 'search (Node, MiniSearch)';
	return [
		{ group, metric: 'build the index', value: buildMs, unit: 'ms' },
		{
			group,
			metric: `query p50 (${samples.length} keystrokes)`,
			value: percentile(samples, 50),
			unit: 'ms'
		},
		{
			group,
			metric: 'query p95',
			value: percentile(samples, 95),
			unit: 'ms',
			target: { op: '<=', value: 50 }
		}
	];
}
