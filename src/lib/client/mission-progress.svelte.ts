import { createContext } from 'svelte';
import type { MissionCode } from '$lib/shared/missions';
import {
	currentStatusByRecommendation,
	pendingAnnotationIds,
	pendingCount,
	type CurrentStatus
} from './annotations/annotation-queries';
import { readDeviceValue } from './annotations/device-state';
import type { DeviceProfile } from './db';
import { liveState } from './live-query.svelte';

export interface MissionProgress {
	profile: DeviceProfile | undefined;
	/** Current status per recommendation id, for the profile's mission. */
	statuses: Map<string, CurrentStatus>;
	/** Entries with changes not yet sent to Headquarters. */
	pendingIds: Set<string>;
	/** Recommendations with such entries: the matrix filter "changed since last sync". */
	changedRecommendationIds: Set<string>;
	pendingCount: number;
}

const EMPTY: MissionProgress = {
	profile: undefined,
	statuses: new Map(),
	pendingIds: new Set(),
	changedRecommendationIds: new Set(),
	pendingCount: 0
};

/**
 * What the device knows of its mission's progress, live from Dexie: every save (in any tab)
 * shows at once in the matrix, the header's count of unsent changes and the summary.
 */
export function useMissionProgress() {
	const state = liveState(async (db): Promise<MissionProgress> => {
		const profile = await readDeviceValue(db, 'profile');
		const [pendingIds, count, statuses] = await Promise.all([
			pendingAnnotationIds(db),
			pendingCount(db),
			profile
				? currentStatusByRecommendation(db, profile.mission as MissionCode)
				: Promise.resolve(new Map<string, CurrentStatus>())
		]);
		const changed = await db.annotations.bulkGet([...pendingIds]);
		const changedRecommendationIds = new Set(
			changed.flatMap((entry) => (entry ? [entry.recommendationId] : []))
		);
		return { profile, statuses, pendingIds, changedRecommendationIds, pendingCount: count };
	});
	return {
		get current(): MissionProgress {
			return state.current ?? EMPTY;
		},
		get isLoading() {
			return state.isLoading;
		}
	};
}

export type MissionProgressState = ReturnType<typeof useMissionProgress>;

export const [getMissionProgress, setMissionProgress] = createContext<MissionProgressState>();
