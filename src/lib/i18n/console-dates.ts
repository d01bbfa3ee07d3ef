import { calendarDay, interpolate, locale, writeDate, type DateCatalog } from './locale.svelte';

/**
 * The consoles' (/hq, /admin) dates, written from their catalog as Intl's dateStyle "medium" and
 * timeStyle "short" write them (a unit test holds them equal in both languages; why not Intl:
 * locale.svelte.ts). Apart from locale.svelte.ts so that a phone's first load does not carry them.
 * Reactive to the language: they read the locale's catalog.
 */

/** Date and time, where the hour matters: when a device was last heard from, an audit entry. */
export function formatDateTime(iso: string): string {
	return mediumDateTime(iso, locale.catalog);
}

/** "3 Mar 2025": a date where width is short. */
export function formatShortDate(iso: string): string {
	return mediumDate(iso, locale.catalog);
}

/** "Mar 1, 2024", "1 mars 2024": the consoles' catalog has the pattern and short month names. */
export function mediumDate(iso: string, catalog: DateCatalog | undefined): string {
	return writeDate(iso, catalog?.['date.medium'], catalog?.['date.monthsShort']);
}

/** "Mar 1, 2024, 9:05 PM", "1 mars 2024, 21:05": in the device's time zone. */
export function mediumDateTime(iso: string, catalog: DateCatalog | undefined): string {
	const { date } = calendarDay(iso);
	const hour = date.getHours();
	const minute = String(date.getMinutes()).padStart(2, '0');
	const time =
		catalog?.['date.hourCycle'] === '12'
			? `${hour % 12 || 12}:${minute} ${catalog['date.dayPeriods']?.split(',')[hour < 12 ? 0 : 1]}`
			: `${String(hour).padStart(2, '0')}:${minute}`;
	return interpolate(catalog?.['date.dateTime'] ?? '{date} {time}', {
		date: mediumDate(iso, catalog),
		time
	});
}
