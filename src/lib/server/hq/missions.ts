import type { Kysely } from 'kysely';
import type { HqMission } from '../../shared/hq';
import type { Database } from '../db/schema';

/** Every mission, by code: the report's twelve and those Headquarters created. */
export async function listHqMissions(db: Kysely<Database>): Promise<HqMission[]> {
	const rows = await db
		.selectFrom('missions')
		.select(['code', 'name', 'retired_at'])
		.orderBy('code')
		.execute();
	return rows.map((row) => ({
		code: row.code,
		name: row.name,
		retired: row.retired_at !== null,
		retiredAt: row.retired_at
	}));
}
