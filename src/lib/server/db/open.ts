import type { Migration } from 'kysely';
import { MISSIONS } from '../../shared/missions';
import { connect, type DatabaseHandle } from './connection';
import { migrate, MIGRATIONS } from './migrate';

/**
 * Opens the database the server or the admin command uses: creates it if missing, migrates it
 * (or refuses, when it is newer than the code) and makes sure the missions the report knows
 * exist. Closes it again when any of that fails.
 */
export async function openDatabase(
	url?: string,
	options: { migrations?: Record<string, Migration>; poolSize?: number } = {}
): Promise<DatabaseHandle> {
	const handle = connect(url, { poolSize: options.poolSize });
	try {
		await migrate(handle.db, handle.description, options.migrations ?? MIGRATIONS);
		const now = new Date().toISOString();
		// Never overwrites: HQ may have renamed or retired one of them.
		await handle.db
			.insertInto('missions')
			.values(MISSIONS.map(({ code, name }) => ({ code, name, created_at: now, retired_at: null })))
			.onConflict((oc) => oc.column('code').doNothing())
			.execute();
	} catch (error) {
		await handle.db.destroy();
		throw error;
	}
	return handle;
}
