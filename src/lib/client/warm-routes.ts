import { preloadCode } from '$app/navigation';
import { resolve } from '$app/paths';
import { whenIdleAfter } from './idle';

/** Past the first screen's drawing: parsing the code meanwhile delayed a repeat start. */
const AFTER_START_MS = 2_000;

/**
 * The recommendation page a tap from `pathname` opens (any paragraph: preloading code needs a
 * path the route matches, not a real recommendation). Headquarters' matrix opens its own page,
 * with every mission's entries; the admin console links to none.
 */
export function recommendationPageFrom(pathname: string): string | undefined {
	const within = (root: string) => pathname === root || pathname.startsWith(`${root}/`);
	const paragraph = { paragraph: '1' };
	if (within(resolve('/hq')))
		return resolve('/hq/recommendations/[paragraph=paragraph]', paragraph);
	if (within(resolve('/admin'))) return undefined;
	return resolve('/recommendations/[paragraph=paragraph]', paragraph);
}

/**
 * Loads the code of the recommendation page the current screen opens, when the browser is idle
 * a little after start, so the first tap on a row does not wait for its chunks (a quarter of a
 * second on a slow phone). Only once a worker serves the page: the chunks then come from its
 * cache, never from a 2G link the first visit needs for the set.
 */
export function warmRecommendationPage(): void {
	whenIdleAfter(AFTER_START_MS, () => {
		// Where the person is by then: a start on the home page may have gone on to /hq.
		const target = recommendationPageFrom(location.pathname);
		if (target) void preloadCode(target).catch(() => undefined);
	});
}
