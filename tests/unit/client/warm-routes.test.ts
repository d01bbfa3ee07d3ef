import { describe, expect, it } from 'vitest';
import { recommendationPageFrom } from '$lib/client/warm-routes';

describe('recommendationPageFrom', () => {
	it("warms Headquarters' own recommendation page on the HQ console", () => {
		expect(recommendationPageFrom('/hq')).toBe('/hq/recommendations/1');
		expect(recommendationPageFrom('/hq/recommendations/135')).toBe('/hq/recommendations/1');
	});

	it("warms the device's recommendation page everywhere a focal point reads", () => {
		for (const path of ['/', '/recommendations/135', '/settings']) {
			expect(recommendationPageFrom(path)).toBe('/recommendations/1');
		}
		// A path that only starts like /hq is not the console.
		expect(recommendationPageFrom('/hqx')).toBe('/recommendations/1');
	});

	it('warms nothing on the admin console, which links to no recommendation', () => {
		expect(recommendationPageFrom('/admin')).toBeUndefined();
	});
});
