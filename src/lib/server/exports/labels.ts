import type { CellProgress } from '../../shared/hq';
import { en } from '../../i18n/messages/en';

/**
 * The progress scale as people read it in the exports (the report is English): the app's own
 * English wording, and its symbols (README, "Progress scale"), so the printout matches the screen.
 */
const SYMBOLS: Record<CellProgress, string> = {
	'not-started': '□',
	planned: '◇',
	'in-progress': '◐',
	implemented: '●',
	'not-applicable': '—',
	'needs-hq-support': '!',
	'not-assessed': '○'
};

export function progressLabel(progress: CellProgress): string {
	return en[`progress.${progress}`];
}

export function progressWithSymbol(progress: CellProgress): string {
	return `${SYMBOLS[progress]} ${progressLabel(progress)}`;
}

/** "25 October 2024", as UN documents write dates. */
export function longDate(isoDate: string): string {
	return new Date(`${isoDate.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	});
}
