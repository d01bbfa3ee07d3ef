import type { ParamMatcher } from '@sveltejs/kit';

/** A paragraph number of A/78/19: 1 to 4 digits, no leading zero. */
export const match = ((param: string): param is string =>
	/^[1-9]\d{0,3}$/.test(param)) satisfies ParamMatcher;
