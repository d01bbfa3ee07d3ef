import type { FieldMatrixDatabase } from './db';
import { database } from './database';

export interface LiveState<T> {
	readonly current: T | undefined;
	readonly isLoading: boolean;
	readonly error: unknown;
}

/**
 * A Dexie live query as rune state: re-runs whenever the tables it read change, in this tab or
 * another, and whenever `dependencies` (read here, so tracked) change. Create it while a
 * component initialises; it unsubscribes with the component. The querier receives the device's
 * database, which (with Dexie) loads on the first live query.
 */
export function liveState<T, D = undefined>(
	querier: (db: FieldMatrixDatabase, dependencies: D) => T | Promise<T>,
	dependencies?: () => D
): LiveState<T> {
	// Raw: query results are replaced whole, never mutated; a deep proxy would only cost time
	// and break identity (indexOf, Map lookups) between derived structures.
	let current = $state.raw<T | undefined>(undefined);
	let isLoading = $state(true);
	let error = $state<unknown>(undefined);

	$effect(() => {
		const deps = dependencies?.() as D;
		let unsubscribe: (() => void) | undefined;
		let stopped = false;
		void Promise.all([import('dexie'), database()]).then(
			([{ liveQuery }, db]) => {
				if (stopped) return;
				const subscription = liveQuery(() => querier(db, deps)).subscribe({
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
				unsubscribe = () => subscription.unsubscribe();
			},
			(e: unknown) => {
				error = e;
				isLoading = false;
			}
		);
		return () => {
			stopped = true;
			unsubscribe?.();
		};
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
