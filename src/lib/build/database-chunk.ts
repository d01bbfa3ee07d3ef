import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The client chunk that holds Dexie and the app's database class (named in vite.config.ts). */
export const DATABASE_CHUNK = 'dexie';

/**
 * The database chunk's hashed file (`_app/immutable/chunks/….js`), read from Vite's manifest of
 * SvelteKit's client build: the prerendered shell preloads it, the bench weighs it apart.
 */
export function databaseChunkFile(outputDir = '.svelte-kit/output'): string {
	const manifest = JSON.parse(
		readFileSync(join(outputDir, 'client/.vite/manifest.json'), 'utf8')
	) as Record<string, { file: string; name?: string }>;
	const chunk = Object.values(manifest).find((entry) => entry.name === DATABASE_CHUNK);
	if (!chunk) throw new Error(`no "${DATABASE_CHUNK}" chunk in the client build manifest`);
	return chunk.file;
}
