import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';

/**
 * A full dump of the database: every table the catalog lists (the app's, and Kysely's migration
 * bookkeeping), every row, ordered by the table's primary key. Taken from the catalog rather
 * than a fixed list so a table added later is compared too.
 *
 * `last_seen_at` of devices is left out unless asked for: every authenticated request records
 * when the device was last heard from (hooks.server.ts `touchLastSeen`, at most once a minute),
 * refused requests included, by design. Nothing else is excluded.
 */

export type Dump = Record<string, Record<string, unknown>[]>;

export interface DumpOptions {
	/** Keep `devices.last_seen_at` (default: left out, see above). */
	keepLastSeen?: boolean;
}

interface TableInfo {
	name: string;
	primaryKey: string[];
}

const catalogs = new WeakMap<Kysely<Database>, Promise<TableInfo[]>>();

/** The tables and their keys, read once per connection (tests do not change the schema). */
function tables(db: Kysely<Database>, kind: 'sqlite' | 'postgres'): Promise<TableInfo[]> {
	let catalog = catalogs.get(db);
	if (!catalog) {
		catalog = readCatalog(db, kind);
		catalogs.set(db, catalog);
	}
	return catalog;
}

async function readCatalog(
	db: Kysely<Database>,
	kind: 'sqlite' | 'postgres'
): Promise<TableInfo[]> {
	if (kind === 'sqlite') {
		const names = await sql<{ name: string }>`
			select name from sqlite_master
			where type = 'table' and name not like 'sqlite_%'
			order by name`.execute(db);
		const out: TableInfo[] = [];
		for (const { name } of names.rows) {
			const columns = await sql<{ name: string; pk: number }>`
				select name, pk from pragma_table_info(${name})`.execute(db);
			const primaryKey = columns.rows
				.filter((c) => c.pk > 0)
				.sort((a, b) => a.pk - b.pk)
				.map((c) => c.name);
			out.push({ name, primaryKey });
		}
		return out;
	}
	const names = await sql<{ name: string }>`
		select table_name as name from information_schema.tables
		where table_schema = current_schema() and table_type = 'BASE TABLE'
		order by table_name`.execute(db);
	const out: TableInfo[] = [];
	for (const { name } of names.rows) {
		const columns = await sql<{ name: string }>`
			select a.attname as name
			from pg_index i
			join lateral unnest(i.indkey) with ordinality as k(attnum, position) on true
			join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
			where i.indrelid = ${name}::regclass and i.indisprimary
			order by k.position`.execute(db);
		out.push({ name, primaryKey: columns.rows.map((c) => c.name) });
	}
	return out;
}

/** Values as both backends agree on them (PostgreSQL answers bigint as a string). */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(row)) {
		out[key] = typeof value === 'bigint' ? value.toString() : value;
	}
	return out;
}

export async function dumpDatabase(
	db: Kysely<Database>,
	kind: 'sqlite' | 'postgres',
	options: DumpOptions = {}
): Promise<Dump> {
	const dump: Dump = {};
	for (const table of await tables(db, kind)) {
		const order = table.primaryKey.length
			? sql.join(table.primaryKey.map((column) => sql.ref(column)))
			: sql.lit(1);
		const result = await sql<Record<string, unknown>>`
			select * from ${sql.table(table.name)} order by ${order}`.execute(db);
		let rows = result.rows.map(normalise);
		// Without a primary key (none of ours), order by content so the dump is still stable.
		if (!table.primaryKey.length) rows = rows.sort((a, b) => compareJson(a, b));
		if (table.name === 'devices' && !options.keepLastSeen) {
			rows = rows.map((row) => {
				const rest = { ...row };
				delete rest.last_seen_at;
				return rest;
			});
		}
		dump[table.name] = rows;
	}
	return dump;
}

function compareJson(a: unknown, b: unknown): number {
	const x = JSON.stringify(a);
	const y = JSON.stringify(b);
	return x < y ? -1 : x > y ? 1 : 0;
}

/** The tables whose rows differ, with a short description of the first difference of each. */
export function dumpDifferences(before: Dump, after: Dump): string[] {
	const out: string[] = [];
	for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
		const a = before[name] ?? [];
		const b = after[name] ?? [];
		if (JSON.stringify(a) === JSON.stringify(b)) continue;
		const index = a.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(b[i]));
		const at = index === -1 ? a.length : index;
		out.push(
			`${name}: ${a.length} → ${b.length} rows; first difference at #${at}: ` +
				`${JSON.stringify(a[at] ?? null).slice(0, 200)} → ${JSON.stringify(b[at] ?? null).slice(0, 200)}`
		);
	}
	return out;
}
