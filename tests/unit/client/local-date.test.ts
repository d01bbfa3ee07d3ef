import { describe, expect, it } from 'vitest';
import { localIsoDate } from '$lib/client/local-date';

describe('localIsoDate', () => {
	it('is the day on the device calendar, as an <input type="date"> value', () => {
		expect(localIsoDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
		expect(localIsoDate(new Date(2024, 11, 31, 0, 0))).toBe('2024-12-31');
	});

	it('reads as toLocaleDateString("en-CA") does, which it replaces', () => {
		for (const date of [new Date(2026, 11, 3), new Date(1999, 5, 30, 12), new Date()]) {
			expect(localIsoDate(date)).toBe(date.toLocaleDateString('en-CA'));
		}
	});
});
