import { forgetFirstScreen } from '$lib/shared/first-screen-picture';
import type { ConsoleMessageKey } from './messages/console-en';
import type { MessageKey as AppMessageKey } from './messages/en';

/**
 * UI language. A hand-written typed catalog rather than Paraglide: Paraglide 2 loads its
 * inlang plugins from a CDN at build time, which these machines cannot reach. TypeScript keeps
 * the catalogs complete (fr is typed against en's keys). Each catalog is its own chunk, loaded
 * before the first render (root +layout.ts) and on a switch: a phone downloads one language.
 * The online-only consoles (/hq, /admin) add their own catalog when opened (includeConsoles),
 * so a phone never downloads their 230 messages.
 */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export type MessageKey = AppMessageKey | ConsoleMessageKey;
/** The app's messages, plus the consoles' once a console page asked for them. */
export type Catalog = Record<AppMessageKey, string> & Partial<Record<ConsoleMessageKey, string>>;

const loaders: Record<Locale, () => Promise<Record<AppMessageKey, string>>> = {
	en: () => import('./messages/en').then((m) => m.en),
	fr: () => import('./messages/fr').then((m) => m.fr)
};
const consoleLoaders: Record<Locale, () => Promise<Record<ConsoleMessageKey, string>>> = {
	en: () => import('./messages/console-en').then((m) => m.consoleEn),
	fr: () => import('./messages/console-fr').then((m) => m.consoleFr)
};
const STORAGE_KEY = 'fieldmatrix.locale';

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language chosen on this device, or null. Where the site's storage is blocked, reading
 * localStorage throws: the choice is then not remembered, and the app still starts.
 */
function storedLocale(): string | null {
	try {
		return window.localStorage?.getItem(STORAGE_KEY) ?? null;
	} catch {
		return null;
	}
}

function rememberLocale(locale: Locale): void {
	try {
		window.localStorage?.setItem(STORAGE_KEY, locale);
	} catch {
		// Blocked or full: the choice lasts until the page is closed.
	}
}

function initialLocale(): Locale {
	if (typeof window === 'undefined') return 'en';
	const stored = storedLocale();
	if (isLocale(stored)) return stored;
	return navigator.language?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

class LocaleState {
	current = $state<Locale>(initialLocale());
	catalog = $state.raw<Catalog | undefined>(undefined);
	#app: Partial<Record<Locale, Record<AppMessageKey, string>>> = {};
	#consoles: Partial<Record<Locale, Record<ConsoleMessageKey, string>>> = {};
	#withConsoles = false;

	async #load(locale: Locale): Promise<Catalog> {
		const app = (this.#app[locale] ??= await loaders[locale]());
		if (!this.#withConsoles) return app;
		const consoles = (this.#consoles[locale] ??= await consoleLoaders[locale]());
		return { ...app, ...consoles };
	}

	/** Loads the current language's catalog; the app renders once it resolved. */
	async ready(): Promise<void> {
		this.catalog = await this.#load(this.current);
		document.documentElement.lang = this.current;
	}

	/** For /hq and /admin (their +page.ts): adds the consoles' messages, in every language used. */
	async includeConsoles(): Promise<void> {
		this.#withConsoles = true;
		await this.ready();
	}

	async set(locale: Locale): Promise<void> {
		const catalog = await this.#load(locale);
		this.current = locale;
		this.catalog = catalog;
		rememberLocale(locale);
		document.documentElement.lang = locale;
		// The home page's stored picture is in the other language.
		forgetFirstScreen();
	}
}

export const locale = new LocaleState();

type Params = Record<string, string | number>;

/** Fills `{name}` placeholders; an unknown one stays visible rather than vanishing. */
export function interpolate(template: string, params: Params = {}): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}

/** The message in the current language (reactive: reads the locale's catalog rune). */
export function t(key: MessageKey, params?: Params): string {
	return interpolate(locale.catalog?.[key] ?? key, params);
}

// Making an Intl object costs far more than using one (tens of milliseconds for the first on a
// slow phone), and a screen formats dozens of counts: one per language.
const pluralRules: Partial<Record<Locale, Intl.PluralRules>> = {};

type PluralBase<K> = K extends `${infer Base}_one` ? Base : never;

/** Picks `key_one` / `key_other` by the current language's plural rules (0 is singular in French). */
export function tn(base: PluralBase<MessageKey>, count: number, params: Params = {}): string {
	const rules = (pluralRules[locale.current] ??= new Intl.PluralRules(locale.current));
	const rule = rules.select(count) === 'one' ? 'one' : 'other';
	return t(`${base}_${rule}` as MessageKey, { count, ...params });
}

/**
 * Formats an ISO date or timestamp in the current language. A date-only value is a calendar
 * date: read in UTC so it never shifts by a day with the device's time zone.
 */
export function formatDate(iso: string): string {
	return longDate(iso, locale.catalog);
}

// Dates are written from the catalog's patterns and month names, as Intl's dateStyle "long" and
// "medium" (and timeStyle "short") write them: a unit test holds them equal in both languages.
// Not Intl itself: a page's first Intl.DateTimeFormat costs 60–120 ms on a slow phone, and
// the home page's report date and the HQ console's "as of" are on the first screen. The
// consoles' medium dates are in console-dates.ts, out of a phone's first load.
export type DateCatalog = Partial<
	Pick<Catalog, 'date.long' | 'date.months' | Extract<ConsoleMessageKey, `date.${string}`>>
>;

/** The date's day, month and year: a date-only value in UTC, a timestamp in the device's zone. */
export function calendarDay(iso: string): { date: Date; day: number; month: number; year: number } {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${iso}`);
	const utc = /^\d{4}-\d{2}-\d{2}$/.test(iso);
	return utc
		? { date, day: date.getUTCDate(), month: date.getUTCMonth(), year: date.getUTCFullYear() }
		: { date, day: date.getDate(), month: date.getMonth(), year: date.getFullYear() };
}

/** A date from a pattern of {day}, {month} and {year} and the month names (numbers without). */
export function writeDate(
	iso: string,
	pattern: string | undefined,
	months: string | undefined
): string {
	const { day, month, year } = calendarDay(iso);
	return interpolate(pattern ?? '{year}-{month}-{day}', {
		day,
		month: months?.split(',')[month] ?? month + 1,
		year
	});
}

/** "March 1, 2024", "1 mars 2024". */
export function longDate(iso: string, catalog: DateCatalog | undefined): string {
	return writeDate(iso, catalog?.['date.long'], catalog?.['date.months']);
}
