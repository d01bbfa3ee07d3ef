import type { HqFailure } from '$lib/client/hq-api';
import { t } from '$lib/i18n/locale.svelte';

/** How the HQ pages word things (dates: lib/components/hq/hq-format.ts). */

/** A failed call in words: the fixed cases translated, the rest in the server's own message. */
export function failureText(failure: HqFailure): string {
	switch (failure.kind) {
		case 'not-hq':
			return t('hq.notHq');
		case 'revoked':
			return t('hq.revoked');
		case 'not-enrolled':
			return t('hq.notEnrolled');
		case 'offline':
			return t('hq.offline');
		case 'refused':
			return t('hq.refused', { reason: failure.message });
	}
}

/** `a78-19-p38` → 38. */
export function paragraphOf(recommendationId: string): number {
	return Number(recommendationId.slice(recommendationId.lastIndexOf('p') + 1));
}
