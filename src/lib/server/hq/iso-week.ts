/**
 * ISO 8601 weeks (Monday to Sunday; week 1 holds the year's first Thursday), in UTC like every
 * server timestamp. Computed here rather than in SQL: SQLite and PostgreSQL spell it differently.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The Monday (00:00 UTC) of the ISO week holding `at`. */
export function isoWeekStart(at: Date): Date {
	const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
	const sinceMonday = (day.getUTCDay() + 6) % 7;
	return new Date(day.getTime() - sinceMonday * DAY_MS);
}

/** "2025-W02". */
export function isoWeekLabel(weekStart: Date): string {
	// The week belongs to the year of its Thursday.
	const thursday = new Date(weekStart.getTime() + 3 * DAY_MS);
	const year = thursday.getUTCFullYear();
	const firstThursdayWeek = isoWeekStart(new Date(Date.UTC(year, 0, 4)));
	const week = Math.round((weekStart.getTime() - firstThursdayWeek.getTime()) / (7 * DAY_MS)) + 1;
	return `${year}-W${String(week).padStart(2, '0')}`;
}

export function nextWeek(weekStart: Date): Date {
	return new Date(weekStart.getTime() + 7 * DAY_MS);
}
