import { describe, expect, it } from 'vitest';
import { interpolate } from '$lib/i18n/locale.svelte';
import { en } from '$lib/i18n/messages/en';
import { fr } from '$lib/i18n/messages/fr';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
	it('French has every English key, with a real translation and the same placeholders', () => {
		expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
		for (const key of Object.keys(en) as (keyof typeof en)[]) {
			expect(fr[key].trim(), key).not.toBe('');
			expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
		}
	});

	it('fills placeholders and leaves unknown ones visible', () => {
		expect(interpolate(fr['recommendation.paragraph'], { paragraph: 135 })).toBe('Paragraphe 135');
		expect(interpolate(en['recommendation.paragraph'])).toBe('Paragraph {paragraph}');
	});
});
