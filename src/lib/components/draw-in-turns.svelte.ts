import { onFirstScreen } from './render-in-slices.svelte';

/**
 * How many of a page's `parts` below its first screen to draw, once `ready()`: on the app's first
 * screen, one a task, each after a frame is painted, so the first screen is not held up by what
 * is below it (the HQ console's charts and panels cost as much as its matrix's first rows, and
 * Lighthouse counts such a task four times over). On any later screen, and after a reload or
 * back/forward start, all at once, as renderInSlices draws. Call it before the lists of the same
 * screen that use renderInSlices (the first of them ends the first screen).
 */
export function drawInTurns(ready: () => boolean, parts: number) {
	let drawn = $state(onFirstScreen() ? 0 : parts);

	$effect(() => {
		if (!ready() || drawn >= parts) return;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const frame = requestAnimationFrame(() => (timer = setTimeout(() => drawn++)));
		return () => {
			cancelAnimationFrame(frame);
			clearTimeout(timer);
		};
	});

	return {
		get drawn() {
			return drawn;
		}
	};
}
