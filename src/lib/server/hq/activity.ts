import type { Kysely } from 'kysely';
import { PROGRESS_STATUSES, type ProgressStatus } from '../../shared/annotation';
import { HQ_LIMITS, type ActivityWeek, type HqActivity } from '../../shared/hq';
import type { Database } from '../db/schema';
import { isoWeekLabel, isoWeekStart, nextWeek } from './iso-week';
import { appliedVersions } from './scans';

function emptyWeek(weekStart: Date): ActivityWeek {
	const byStatus = {} as Record<ProgressStatus, number>;
	for (const status of PROGRESS_STATUSES) byStatus[status] = 0;
	return {
		week: isoWeekLabel(weekStart),
		weekStart: weekStart.toISOString().slice(0, 10),
		byStatus,
		deletions: 0,
		total: 0
	};
}

/**
 * Progress over time: the versions the server applied (annotation_history) per ISO week of
 * their application, by the status they gave the entry; tombstones counted apart. Quiet weeks
 * between the first and the last are present with zeros, so a chart can plot them as they come.
 */
export async function hqActivity(
	db: Kysely<Database>,
	mission: string | null
): Promise<HqActivity> {
	const weeks = new Map<number, ActivityWeek>();
	for await (const { appliedAt, entry } of appliedVersions(db, mission)) {
		const start = isoWeekStart(new Date(appliedAt));
		let week = weeks.get(start.getTime());
		if (!week) weeks.set(start.getTime(), (week = emptyWeek(start)));
		week.total++;
		if (entry.deleted) week.deletions++;
		else week.byStatus[entry.status]++;
	}
	const starts = [...weeks.keys()].sort((a, b) => a - b);
	if (starts.length === 0) return { mission, weeks: [], truncated: false };

	const last = starts[starts.length - 1];
	const capped = last - (HQ_LIMITS.activityWeeks - 1) * 7 * 24 * 60 * 60 * 1000;
	const first = Math.max(starts[0], capped);
	const series: ActivityWeek[] = [];
	for (let start = new Date(first); start.getTime() <= last; start = nextWeek(start)) {
		series.push(weeks.get(start.getTime()) ?? emptyWeek(start));
	}
	return { mission, weeks: series, truncated: starts[0] < capped };
}
