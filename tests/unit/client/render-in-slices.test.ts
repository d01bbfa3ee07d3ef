import { describe, expect, it } from 'vitest';
import { nextSliceSize } from '$lib/components/render-in-slices.svelte';

describe('nextSliceSize: rows for the next slice, from the last one’s pace', () => {
	it('keeps a slice that took its budget', () => {
		expect(nextSliceSize(4, 8, 8)).toBe(4);
	});

	it('shrinks a slow slice to what fits the budget, never below one row', () => {
		// A phone four times slower: 24 rows in 40 ms, so 5 rows make 8 ms.
		expect(nextSliceSize(24, 40, 8)).toBe(5);
		expect(nextSliceSize(2, 100, 8)).toBe(1);
	});

	it('grows a quick slice at most twofold at a time, up to a cap', () => {
		expect(nextSliceSize(4, 1, 8)).toBe(8);
		// A slice that drew nothing it could time (rows of a hidden section) is not a pace.
		expect(nextSliceSize(4, 0, 8)).toBe(8);
		expect(nextSliceSize(48, 1, 8)).toBe(64);
	});
});
