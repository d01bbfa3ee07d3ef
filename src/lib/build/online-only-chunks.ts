import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of Vite's build manifest this reads. */
interface ManifestChunk {
	file: string;
	src?: string;
	isEntry?: boolean;
	imports?: string[];
	dynamicImports?: string[];
	css?: string[];
}

/**
 * The client files only online-only routes use (their JS and CSS, and what they alone import),
 * read from SvelteKit's client build: Vite's manifest for the chunk graph, and the generated
 * node modules for which route each node renders. The service worker leaves them out of its
 * precache, so a phone's first visit does not download the Headquarters and admin consoles.
 * `onlineOnlyModule` names source modules that reading code imports lazily but only a console
 * asks for (the consoles' message catalogs): they count as online-only too.
 */
export function onlineOnlyFiles(
	outputDir: string,
	onlineOnlyRoute: RegExp,
	onlineOnlyModule?: RegExp
): Set<string> {
	const manifest = JSON.parse(
		readFileSync(join(outputDir, 'client/.vite/manifest.json'), 'utf8')
	) as Record<string, ManifestChunk>;
	const isOnlineOnlyNode = (key: string) =>
		/client-optimized\/nodes\/\d+\.js$/.test(key) &&
		onlineOnlyRoute.test(readFileSync(key, 'utf8'));
	const onlineNodes = new Set(
		Object.keys(manifest).filter(
			(key) => isOnlineOnlyNode(key) || (onlineOnlyModule?.test(key) ?? false)
		)
	);

	// Every other entry (the app's start, the reading routes' nodes) and what they reach,
	// without walking into an online-only node (the app's router imports every node lazily).
	const readerFiles = reachableFiles(
		manifest,
		Object.keys(manifest).filter((key) => manifest[key].isEntry && !onlineNodes.has(key)),
		onlineNodes
	);
	const consoleFiles = reachableFiles(manifest, [...onlineNodes], new Set());
	return new Set([...consoleFiles].filter((file) => !readerFiles.has(file)));
}

function reachableFiles(
	manifest: Record<string, ManifestChunk>,
	roots: string[],
	skip: Set<string>
): Set<string> {
	const seen = new Set<string>();
	const files = new Set<string>();
	const pending = [...roots];
	for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
		if (seen.has(key) || skip.has(key) || !manifest[key]) continue;
		seen.add(key);
		const chunk = manifest[key];
		files.add(chunk.file);
		for (const css of chunk.css ?? []) files.add(css);
		pending.push(...(chunk.imports ?? []), ...(chunk.dynamicImports ?? []));
	}
	return files;
}
