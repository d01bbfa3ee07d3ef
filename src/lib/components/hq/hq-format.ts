import { formatShortDate } from '$lib/i18n/console-dates';
import { t } from '$lib/i18n/locale.svelte';
import type { CellProgress } from '$lib/shared/hq';
import { STATUS_SYMBOLS } from '../ProgressBadge.svelte';

/** Wording shared by the HQ components; reactive to the language (reads `locale` and `t`). */

/** "3 Mar 2025": a progress date where width is short. A calendar date: formatted in UTC. */
export function shortDate(isoDate: string): string {
	return formatShortDate(isoDate.slice(0, 10));
}

/** What a chart stacks: the progress scale, and deletions in the activity over time. */
export type ChartSeries = CellProgress | 'deleted';

export const SERIES_SYMBOLS: Record<ChartSeries, string> = { ...STATUS_SYMBOLS, deleted: '×' };

export function seriesLabel(series: ChartSeries): string {
	return series === 'deleted' ? t('hq.charts.deleted') : t(`progress.${series}`);
}
