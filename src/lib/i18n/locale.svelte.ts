import { en, type MessageKey } from './messages/en';
import { fr } from './messages/fr';

/**
 * UI language. A hand-written typed catalog rather than Paraglide: Paraglide 2 loads its
 * inlang plugins from a CDN at build time, which these machines cannot reach. TypeScript keeps
 * the catalogs complete (fr is typed against en's keys).
 */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, fr };
const STORAGE_KEY = 'fieldmatrix.locale';

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function initialLocale(): Locale {
	if (typeof window === 'undefined') return 'en';
	const stored = window.localStorage?.getItem(STORAGE_KEY);
	if (isLocale(stored)) return stored;
	return navigator.language?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

class LocaleState {
	current = $state<Locale>(initialLocale());

	set(locale: Locale) {
		this.current = locale;
		window.localStorage?.setItem(STORAGE_KEY, locale);
		document.documentElement.lang = locale;
	}
}

export const locale = new LocaleState();

type Params = Record<string, string | number>;

export function format(locale: Locale, key: MessageKey, params: Params = {}): string {
	const template = catalogs[locale][key];
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}

/** The message in the current language (reactive: reads the locale rune). */
export function t(key: MessageKey, params?: Params): string {
	return format(locale.current, key, params);
}

type PluralBase<K> = K extends `${infer Base}_one` ? Base : never;

/** Picks `key_one` / `key_other` by the current language's plural rules (0 is singular in French). */
export function tn(base: PluralBase<MessageKey>, count: number, params: Params = {}): string {
	const rule = new Intl.PluralRules(locale.current).select(count) === 'one' ? 'one' : 'other';
	return format(locale.current, `${base}_${rule}` as MessageKey, { count, ...params });
}

/**
 * Formats an ISO date or timestamp in the current language. A date-only value is a calendar
 * date: formatted in UTC so it never shifts by a day with the device's time zone.
 */
export function formatDate(iso: string): string {
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
	const formatter = new Intl.DateTimeFormat(locale.current, {
		dateStyle: 'long',
		timeZone: dateOnly ? 'UTC' : undefined
	});
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a value formatted once, not state
	return formatter.format(new Date(iso));
}
