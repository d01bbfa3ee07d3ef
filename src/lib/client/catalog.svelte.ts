import { createContext } from 'svelte';
import type { Recommendation } from '$lib/shared/recommendation';
import { database } from './database';
import type { DatasetInfo } from './db';
import { liveState } from './live-query.svelte';
import { refreshDataset } from './recommendation-store';
import { buildSearchIndex, type RecommendationIndex } from './search';

export interface Catalog {
	info: DatasetInfo;
	recommendations: Recommendation[];
	byParagraph: Map<number, Recommendation>;
}

/**
 * The recommendation set as the UI reads it: live from Dexie (so a new dataset stored by any
 * tab shows at once), with its search index. The network only ever refreshes Dexie.
 */
export function useCatalog() {
	const stored = liveState(async (db): Promise<Catalog | null> => {
		const [info, recommendations] = await Promise.all([
			db.datasetInfo.get('current'),
			db.recommendations.orderBy('order').toArray()
		]);
		if (!info) return null;
		return {
			info,
			recommendations,
			byParagraph: new Map(recommendations.map((r) => [r.paragraph, r]))
		};
	});

	// The search index is built on the first search, for the set it was asked for.
	let index = $state.raw<{ of: Recommendation[]; index: RecommendationIndex }>();
	let indexing: Recommendation[] | undefined;

	function searchIndex(): RecommendationIndex | undefined {
		const recommendations = stored.current?.recommendations;
		if (!recommendations) return undefined;
		if (index?.of === recommendations) return index.index;
		if (indexing !== recommendations) {
			indexing = recommendations;
			void buildSearchIndex(recommendations).then((built) => {
				if (indexing === recommendations) index = { of: recommendations, index: built };
			});
		}
		return undefined;
	}

	let refreshError = $state<string | undefined>(undefined);
	let refreshing = $state(false);

	async function refresh() {
		refreshing = true;
		try {
			await refreshDataset(await database());
			refreshError = undefined;
		} catch (e) {
			refreshError = e instanceof Error ? e.message : String(e);
		} finally {
			refreshing = false;
		}
	}

	return {
		get current() {
			return stored.current ?? undefined;
		},
		/** True until Dexie answered and, on a device with no copy, the first download ended. */
		get isLoading() {
			return stored.isLoading || (stored.current === null && refreshing);
		},
		get error() {
			return stored.error ?? (stored.current === null ? refreshError : undefined);
		},
		refresh,
		/** The search index, or undefined while it is being built (reactive: read it again). */
		searchIndex
	};
}

export type CatalogState = ReturnType<typeof useCatalog>;

/** The layout creates the catalog once; pages read it from context. */
export const [getCatalog, setCatalog] = createContext<CatalogState>();
