import { liveQuery } from 'dexie';

export interface LiveState<T> {
	readonly current: T | undefined;
	readonly isLoading: boolean;
	readonly error: unknown;
}

/**
 * A Dexie live query as rune state: re-runs whenever the tables it read change, in this tab or
 * another, and whenever `dependencies` (read here, so tracked) change. Create it while a
 * component initialises; it unsubscribes with the component.
 */
export function liveState<T, D = undefined>(
	querier: (dependencies: D) => T | Promise<T>,
	dependencies?: () => D
): LiveState<T> {
	// Raw: query results are replaced whole, never mutated; a deep proxy would only cost time
	// and break identity (indexOf, Map lookups) between derived structures.
	let current = $state.raw<T | undefined>(undefined);
	let isLoading = $state(true);
	let error = $state<unknown>(undefined);

	$effect(() => {
		const deps = dependencies?.() as D;
		const subscription = liveQuery(() => querier(deps)).subscribe({
			next: (value) => {
				current = value;
				isLoading = false;
				error = undefined;
			},
			error: (e: unknown) => {
				error = e;
				isLoading = false;
			}
		});
		return () => subscription.unsubscribe();
	});

	return {
		get current() {
			return current;
		},
		get isLoading() {
			return isLoading;
		},
		get error() {
			return error;
		}
	};
}
