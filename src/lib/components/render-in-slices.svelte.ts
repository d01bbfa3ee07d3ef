import { flushSync } from 'svelte';

let firstScreenDrawn = false;

/**
 * A slice's drawing, as this device times it. Small: the frame also lays out and paints it, and
 * Lighthouse, timing a page on a fast machine for a phone four times slower, counts it 4×.
 */
const SLICE_BUDGET_MS = 4;
const MAX_SLICE = 64;

/**
 * Rows for the next slice, from how long the last one took: a laptop draws several a frame, a
 * phone four times slower one or two. At most double: one quick slice (rows of a hidden
 * section, say) does not make the next one long.
 */
export function nextSliceSize(size: number, spentMs: number, budgetMs = SLICE_BUDGET_MS): number {
	const paced = Math.round((size * budgetMs) / Math.max(spentMs, 0.5));
	return Math.max(1, Math.min(paced, size * 2, MAX_SLICE));
}

/** The app's first screen of a visit: not a reload or back/forward, whose scroll is restored. */
export function onFirstScreen(): boolean {
	const navigation = globalThis.performance?.getEntriesByType?.('navigation')[0] as
		PerformanceNavigationTiming | undefined;
	return !firstScreenDrawn && navigation?.type !== 'reload' && navigation?.type !== 'back_forward';
}

/**
 * How many rows of a long list to draw. On the app's first screen, a phone four times slower
 * than a laptop spends ~300 ms drawing a 121-row list in one task, and shows nothing until it
 * ends: there the first screenful is drawn at once and the rest in slices, each as many rows as
 * the last one's pace fits in the budget. Any later screen (and a reload or a back/forward
 * start, whose scroll position the browser restores) draws everything at once, so a restored
 * position always finds its row.
 */
export function renderInSlices(total: () => number, first = 16, slice = 24) {
	const sliced = onFirstScreen();
	firstScreenDrawn = true;
	let limit = $state(sliced ? first : Infinity);
	let size = slice;
	let firstPainted = false;

	$effect(() => {
		if (limit >= total()) {
			limit = Infinity;
			return;
		}
		// Each slice a task of its own, timed with its drawing. The first waits until the first
		// rows are painted; the next follow at once, the browser painting and answering input
		// between them (one slice a frame made the whole matrix take 3 s on a busy machine).
		let frame: number | undefined;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const drawSlice = () => {
			const start = performance.now();
			firstPainted = true;
			flushSync(() => (limit += size));
			size = nextSliceSize(size, performance.now() - start);
		};
		if (firstPainted) timer = setTimeout(drawSlice);
		else frame = requestAnimationFrame(() => (timer = setTimeout(drawSlice)));
		return () => {
			if (frame !== undefined) cancelAnimationFrame(frame);
			clearTimeout(timer);
		};
	});

	return {
		get limit() {
			return limit;
		}
	};
}
