import { liveQuery } from 'dexie';

export interface LiveState<T> {
	readonly current: T | undefined;
	readonly isLoading: boolean;
	readonly error: unknown;
}

/**
 * A Dexie live query as rune state: re-runs whenever the tables it read change, in this tab or
 * another. Subscribe from a component or an `$effect.root`; unsubscribes with it.
 */
export function liveState<T>(querier: () => T | Promise<T>): LiveState<T> {
	// Raw: query results are replaced whole, never mutated; a deep proxy would only cost time
	// and break identity (indexOf, Map lookups) between derived structures.
	let current = $state.raw<T | undefined>(undefined);
	let isLoading = $state(true);
	let error = $state<unknown>(undefined);

	$effect(() => {
		const subscription = liveQuery(querier).subscribe({
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
