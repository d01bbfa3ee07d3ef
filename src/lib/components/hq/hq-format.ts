import { locale, t } from '$lib/i18n/locale.svelte';
import type { CellProgress } from '$lib/shared/hq';
import { STATUS_SYMBOLS } from '../ProgressBadge.svelte';

/** Wording shared by the HQ components; reactive to the language (reads `locale` and `t`). */

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per language and style: making one costs far more than formatting, and the
 * matrix formats a date in each of its ~1,400 cells.
 */
function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale.current} ${JSON.stringify(options)}`;
	let found = formatters.get(key);
	if (!found) formatters.set(key, (found = new Intl.DateTimeFormat(locale.current, options)));
	return found;
}

/** "3 Mar 2025": a progress date where width is short. A calendar date: formatted in UTC. */
export function shortDate(isoDate: string): string {
	return formatter({ dateStyle: 'medium', timeZone: 'UTC' }).format(
		new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)
	);
}

/** Date and time: when a device was last heard from, when a change arrived. */
export function formatDateTime(iso: string): string {
	return formatter({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** What a chart stacks: the progress scale, and deletions in the activity over time. */
export type ChartSeries = CellProgress | 'deleted';

export const SERIES_SYMBOLS: Record<ChartSeries, string> = { ...STATUS_SYMBOLS, deleted: '×' };

export function seriesLabel(series: ChartSeries): string {
	return series === 'deleted' ? t('hq.charts.deleted') : t(`progress.${series}`);
}
