import { describe, expect, it } from 'vitest';
import { mediumDate, mediumDateTime } from '$lib/i18n/console-dates';
import { interpolate, longDate } from '$lib/i18n/locale.svelte';
import { consoleEn } from '$lib/i18n/messages/console-en';
import { consoleFr } from '$lib/i18n/messages/console-fr';
import { en } from '$lib/i18n/messages/en';
import { fr } from '$lib/i18n/messages/fr';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
	it.each([
		['the app', en, fr],
		['the consoles (/hq, /admin)', consoleEn, consoleFr]
	] as [string, Record<string, string>, Record<string, string>][])(
		'French has every English key of %s, with a real translation and the same placeholders',
		(_, english, french) => {
			expect(Object.keys(french).sort()).toEqual(Object.keys(english).sort());
			for (const key of Object.keys(english)) {
				expect(french[key].trim(), key).not.toBe('');
				expect(placeholders(french[key]), key).toEqual(placeholders(english[key]));
			}
		}
	);

	it('the consoles add their messages only to pages that ask for them', () => {
		const shared = Object.keys(consoleEn).filter((key) => key in en);
		expect(shared).toEqual([]);
		expect(Object.keys(en).some((key) => key.startsWith('hq.') || key.startsWith('admin.'))).toBe(
			false
		);
	});

	it('fills placeholders and leaves unknown ones visible', () => {
		expect(interpolate(fr['recommendation.paragraph'], { paragraph: 135 })).toBe('Paragraphe 135');
		expect(interpolate(en['recommendation.paragraph'])).toBe('Paragraph {paragraph}');
	});

	it.each([
		['en', en],
		['fr', fr]
	] as const)('writes long dates in %s exactly as Intl does', (language, catalog) => {
		const calendar = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
		const local = new Intl.DateTimeFormat(language, { dateStyle: 'long' });
		// Every day of a leap year and the next, then timestamps read in the device's time zone.
		for (let day = 0; day < 731; day++) {
			const iso = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
			expect(longDate(iso, catalog)).toBe(calendar.format(new Date(iso)));
		}
		for (const iso of [
			'2024-03-01T23:30:00.000Z',
			'2025-12-31T00:15:00+02:00',
			'1999-07-04T12:00Z'
		]) {
			expect(longDate(iso, catalog)).toBe(local.format(new Date(iso)));
		}
		expect(() => longDate('not a date', catalog)).toThrow(RangeError);
	});
});

describe('medium dates and times (the consoles)', () => {
	it.each([
		['en', { ...en, ...consoleEn }],
		['fr', { ...fr, ...consoleFr }]
	] as const)('writes them in %s exactly as Intl does', (language, catalog) => {
		const calendar = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
		const withTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
		for (let day = 0; day < 731; day++) {
			const iso = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
			expect(mediumDate(iso, catalog)).toBe(calendar.format(new Date(iso)));
		}
		// Every quarter hour of two days, in the device's time zone: midnight, noon, AM and PM.
		for (let quarter = 0; quarter < 2 * 96; quarter++) {
			const iso = new Date(Date.UTC(2025, 11, 31) + quarter * 15 * 60_000 + 7_000).toISOString();
			expect(mediumDateTime(iso, catalog)).toBe(withTime.format(new Date(iso)));
		}
		expect(() => mediumDateTime('not a date', catalog)).toThrow(RangeError);
	});

	it('falls back to numbers before the consoles’ catalog is loaded', () => {
		expect(mediumDate('2025-03-01', en)).toBe('2025-3-1');
		expect(mediumDateTime('2025-03-01T09:05:00', en)).toBe('2025-3-1 09:05');
	});
});
