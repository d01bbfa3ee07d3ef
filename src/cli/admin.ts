/**
 * `npm run admin -- <command>` (`tsx src/cli/admin.ts <command>`): administration from a shell on
 * the server; `npm run admin -- help` lists the commands. Uses DATABASE_URL like the server
 * (default sqlite:data/fieldmatrix.sqlite, relative to the working directory).
 */
import { runAdmin } from '../lib/server/admin/cli';

process.exitCode = await runAdmin(process.argv.slice(2), {
	databaseUrl: process.env.DATABASE_URL,
	out: (text) => console.log(text),
	err: (text) => console.error(text)
});
