import { readFileSync } from 'node:fs';

/**
 * V8's per-file compile hint (Chromium 136 and later; other engines ignore a comment): the
 * functions after it in a file are compiled as the file streams in, on a background thread, and
 * go into its code cache. Without it, each was compiled on the main thread at its first call:
 * 470–520 ms of an offline start at CPU 4×, 7–74 ms with it (a trace of each). Put on top of a
 * chunk; Vite then puts its one-line preload map above it in the chunks that have one.
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/** The part of a bundler's output chunk this reads. */
export interface OutputChunk {
	type: 'chunk';
	name: string;
	isEntry: boolean;
	facadeModuleId: string | null;
	imports: string[];
}

/**
 * The entries every start of the app runs: SvelteKit's start and app, its root layout and error
 * nodes (0 and 1), and the home page's node (the app's first screen).
 */
function isStartEntry(chunk: OutputChunk, readFacade: (id: string) => string): boolean {
	if (!chunk.isEntry) return false;
	if (['entry/start', 'entry/app', 'nodes/0', 'nodes/1'].includes(chunk.name)) return true;
	return (
		/^nodes\/\d+$/.test(chunk.name) &&
		chunk.facadeModuleId !== null &&
		/src\/routes\/\+page\.svelte["']/.test(readFacade(chunk.facadeModuleId))
	);
}

/**
 * The client chunks a start of the app evaluates: the start entries, the chunks they import
 * statically, and the named chunks it loads at once though not statically (`alsoNamed`: the
 * database and the dataset's schema, which the shell preloads). Not the other routes, the
 * consoles or what loads later: compiled whole for nothing until they are asked for.
 */
export function startupChunks(
	bundle: Record<string, OutputChunk | { type: 'asset' }>,
	alsoNamed: readonly string[],
	readFacade: (id: string) => string = (id) => readFileSync(id, 'utf8')
): Set<string> {
	const chunks = Object.entries(bundle).filter(
		(entry): entry is [string, OutputChunk] => entry[1].type === 'chunk'
	);
	const found = new Set<string>();
	const visit = (fileName: string) => {
		const chunk = bundle[fileName];
		if (found.has(fileName) || chunk?.type !== 'chunk') return;
		found.add(fileName);
		chunk.imports.forEach(visit);
	};
	for (const [fileName, chunk] of chunks) {
		if (isStartEntry(chunk, readFacade) || alsoNamed.includes(chunk.name)) visit(fileName);
	}
	return found;
}
