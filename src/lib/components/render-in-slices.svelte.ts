let firstScreenDrawn = false;

/**
 * How many rows of a long list to draw. On the app's first screen, a phone four times slower
 * than a laptop spends ~300 ms drawing a 121-row list in one task, and shows nothing until it
 * ends: there the first screenful is drawn at once and the rest a slice per frame. Any later
 * screen (and a reload or a back/forward start, whose scroll position the browser restores)
 * draws everything at once, so a restored position always finds its row.
 */
export function renderInSlices(total: () => number, first = 16, slice = 24) {
	const navigation = globalThis.performance?.getEntriesByType?.('navigation')[0] as
		PerformanceNavigationTiming | undefined;
	const sliced =
		!firstScreenDrawn && navigation?.type !== 'reload' && navigation?.type !== 'back_forward';
	firstScreenDrawn = true;
	let limit = $state(sliced ? first : Infinity);

	$effect(() => {
		if (limit >= total()) {
			limit = Infinity;
			return;
		}
		// After the next frame is painted, in a task of its own.
		let timer: ReturnType<typeof setTimeout> | undefined;
		const frame = requestAnimationFrame(() => (timer = setTimeout(() => (limit += slice))));
		return () => {
			cancelAnimationFrame(frame);
			clearTimeout(timer);
		};
	});

	return {
		get limit() {
			return limit;
		}
	};
}
