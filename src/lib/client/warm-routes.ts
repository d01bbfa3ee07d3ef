import { preloadCode } from '$app/navigation';

/** Any paragraph: preloading code needs a path the route matches, not a real recommendation. */
const RECOMMENDATION_PAGE = '/recommendations/1';
/** Past the first screen's drawing: parsing the code meanwhile delayed a repeat start. */
const AFTER_START_MS = 2_000;

/**
 * Loads the recommendation page's code ahead, when the browser is idle a little after start,
 * so the first tap on a row does not wait for its chunks (a quarter of a second on a slow
 * phone). Only once a worker serves the page: the chunks then come from its cache, never from
 * a 2G link the first visit needs for the set.
 */
export function warmRecommendationPage(): void {
	setTimeout(() => {
		const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 0));
		idle(() => void preloadCode(RECOMMENDATION_PAGE).catch(() => undefined));
	}, AFTER_START_MS);
}
