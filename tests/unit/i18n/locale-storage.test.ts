import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the module, so its first language is read again from these globals. */
async function freshLocale(storage: () => Storage, language: string) {
	vi.stubGlobal('window', Object.defineProperty({}, 'localStorage', { get: storage }));
	vi.stubGlobal('navigator', { language });
	vi.stubGlobal('document', { documentElement: { lang: '' } });
	vi.resetModules();
	return (await import('$lib/i18n/locale.svelte')).locale;
}

function memoryStorage(): Storage {
	const items = new Map<string, string>();
	return {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value)
	} as Storage;
}

describe('the language on a device', () => {
	afterEach(() => {
		vi.unstubAllGlobals();
		vi.resetModules();
	});

	it('is remembered from one start to the next', async () => {
		const storage = memoryStorage();
		const first = await freshLocale(() => storage, 'en-GB');
		expect(first.current).toBe('en');
		await first.set('fr');
		const next = await freshLocale(() => storage, 'en-GB');
		expect(next.current).toBe('fr');
	});

	it('where the site’s storage is blocked: the browser’s language, switchable, not remembered', async () => {
		// Chromium with the site's storage blocked throws on reading window.localStorage itself.
		const denied = (): Storage => {
			throw new DOMException('Access is denied for this document.', 'SecurityError');
		};
		const locale = await freshLocale(denied, 'fr-FR');
		expect(locale.current).toBe('fr');
		await locale.set('en');
		expect(locale.current).toBe('en');
	});
});
