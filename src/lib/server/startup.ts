import { hasActiveAdmin } from './admin/bootstrap';
import { enrolmentRateLimiter } from './auth/rate-limit';
import { setServerContext, type ServerContext } from './context';
import { openDatabase } from './db/open';

export const BOOTSTRAP_HINT =
	'No administrator yet: run `npm run admin -- bootstrap-admin` to create an enrolment code for the first one.';

/**
 * Opens (creates, migrates) the database and makes it the server's. Throws, so the server does
 * not start, when the database is newer than the code or unreachable.
 */
export async function startServer(
	databaseUrl: string | undefined,
	log: (message: string) => void = console.log
): Promise<ServerContext> {
	const handle = await openDatabase(databaseUrl);
	const context: ServerContext = {
		db: handle.db,
		kind: handle.kind,
		enrolLimiter: enrolmentRateLimiter()
	};
	setServerContext(context);
	log(`FieldMatrix: database ${handle.description}`);
	if (!(await hasActiveAdmin(handle.db))) log(`FieldMatrix: ${BOOTSTRAP_HINT}`);
	return context;
}
