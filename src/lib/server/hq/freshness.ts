import type { Kysely } from 'kysely';
import { HQ_LIMITS, type HqDevice, type HqFreshness } from '../../shared/hq';
import type { Dataset } from '../../shared/recommendation';
import type { Database } from '../db/schema';
import { tallyPairs } from './cells';
import { listHqMissions } from './missions';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whose data is fresh: per mission, its devices (last seen, unsent changes they reported), when
 * it last synced and whether it went quiet; and the recommendations no mission has assessed.
 * `now` is a parameter so that tests can move time.
 */
export async function hqFreshness(
	db: Kysely<Database>,
	dataset: Dataset,
	now: Date
): Promise<HqFreshness> {
	const missions = await listHqMissions(db);
	const deviceRows = await db
		.selectFrom('devices')
		.select([
			'id',
			'mission',
			'role',
			'display_name',
			'enrolled_at',
			'last_seen_at',
			'pending_count',
			'pending_reported_at',
			'revoked_at'
		])
		.where('mission', 'is not', null)
		.orderBy('mission')
		.orderBy('enrolled_at')
		.orderBy('id')
		.limit(HQ_LIMITS.devices + 1)
		.execute();
	const lastChanges = await db
		.selectFrom('change_log')
		.select(['mission', (eb) => eb.fn.max('committed_at').as('last')])
		.groupBy('mission')
		.execute();
	const lastChangeAt = new Map(lastChanges.map((row) => [row.mission, row.last]));
	const pairs = await tallyPairs(db);

	const devicesByMission = new Map<string, HqDevice[]>();
	for (const row of deviceRows.slice(0, HQ_LIMITS.devices)) {
		const device: HqDevice = {
			id: row.id,
			displayName: row.display_name,
			role: row.role,
			enrolledAt: row.enrolled_at,
			lastSeenAt: row.last_seen_at,
			pendingCount: row.pending_count === null ? null : Number(row.pending_count),
			pendingReportedAt: row.pending_reported_at,
			revoked: row.revoked_at !== null,
			revokedAt: row.revoked_at
		};
		const list = devicesByMission.get(row.mission!) ?? [];
		list.push(device);
		devicesByMission.set(row.mission!, list);
	}

	const staleBefore = new Date(now.getTime() - HQ_LIMITS.staleAfterDays * DAY_MS).toISOString();
	const assessed = new Set(
		[...pairs.values()].filter((pair) => pair.entryCount > 0).map((pair) => pair.recommendationId)
	);
	return {
		generatedAt: now.toISOString(),
		staleAfterDays: HQ_LIMITS.staleAfterDays,
		missions: missions.map((mission) => {
			const devices = devicesByMission.get(mission.code) ?? [];
			// ISO 8601 UTC text: the greatest string is the latest time.
			const lastSyncAt = devices.reduce<string | null>(
				(last, device) =>
					device.lastSeenAt && (!last || device.lastSeenAt > last) ? device.lastSeenAt : last,
				null
			);
			return {
				mission,
				devices,
				lastSyncAt,
				lastChangeAt: lastChangeAt.get(mission.code) ?? null,
				pendingCount: devices
					.filter((device) => !device.revoked)
					.reduce((sum, device) => sum + (device.pendingCount ?? 0), 0),
				stale: lastSyncAt === null || lastSyncAt < staleBefore
			};
		}),
		unassessedRecommendationIds: dataset.recommendations
			.filter((r) => !assessed.has(r.id))
			.map((r) => r.id),
		truncated: deviceRows.length > HQ_LIMITS.devices
	};
}
