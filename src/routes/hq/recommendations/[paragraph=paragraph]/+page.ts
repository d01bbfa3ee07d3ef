import type { PageLoad } from './$types';

export const load = (({ params }) => ({ paragraph: Number(params.paragraph) })) satisfies PageLoad;
