import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { onlineOnlyFiles } from '$lib/build/online-only-chunks';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A client build as SvelteKit leaves it: Vite's manifest and the generated node modules. */
function fakeBuild(manifest: Record<string, object>, nodes: Record<string, string>): string {
	dir = mkdtempSync(join(tmpdir(), 'fm-build-'));
	mkdirSync(join(dir, 'client/.vite'), { recursive: true });
	mkdirSync(join(dir, 'generated/client-optimized/nodes'), { recursive: true });
	const keyed: Record<string, object> = {};
	for (const [key, chunk] of Object.entries(manifest)) {
		const node = /^node(\d)$/.exec(key);
		const path = node ? join(dir, `generated/client-optimized/nodes/${node[1]}.js`) : key;
		if (node) writeFileSync(path, `export { default } from "../../src/routes/${nodes[key]}";`);
		keyed[path] = chunk;
	}
	// Imports name manifest keys: rewrite the node aliases to their paths.
	const text = JSON.stringify(keyed).replace(/"node(\d)"/g, (_, n: string) =>
		JSON.stringify(join(dir, `generated/client-optimized/nodes/${n}.js`))
	);
	writeFileSync(join(dir, 'client/.vite/manifest.json'), text);
	return dir;
}

describe('onlineOnlyFiles', () => {
	it('keeps what the reading routes reach, and drops what only the consoles use', () => {
		const output = fakeBuild(
			{
				'app.js': {
					file: 'entry/app.js',
					isEntry: true,
					imports: ['shared.js'],
					dynamicImports: ['node0', 'node1', 'node2']
				},
				node0: { file: 'nodes/0.js', isEntry: true, imports: ['shared.js'], css: ['0.css'] },
				node1: { file: 'nodes/1.js', isEntry: true, imports: ['shared.js', 'charts.js'] },
				node2: { file: 'nodes/2.js', isEntry: true, dynamicImports: ['lazy.js'] },
				'shared.js': { file: 'chunks/shared.js' },
				'charts.js': { file: 'chunks/charts.js', css: ['charts.css'] },
				'lazy.js': { file: 'chunks/lazy.js' }
			},
			{ node0: '+page.svelte', node1: 'hq/+page.svelte', node2: 'settings/+page.svelte' }
		);
		expect(onlineOnlyFiles(output, /src\/routes\/hq\//)).toEqual(
			new Set(['nodes/1.js', 'chunks/charts.js', 'charts.css'])
		);
	});

	it('drops a lazily imported module that only the consoles ask for, with what it alone imports', () => {
		const output = fakeBuild(
			{
				'app.js': { file: 'entry/app.js', isEntry: true, dynamicImports: ['node0'] },
				node0: {
					file: 'nodes/0.js',
					isEntry: true,
					imports: ['src/lib/i18n/locale.ts']
				},
				'src/lib/i18n/locale.ts': {
					file: 'chunks/locale.js',
					dynamicImports: ['src/lib/i18n/messages/en.ts', 'src/lib/i18n/messages/console-en.ts']
				},
				'src/lib/i18n/messages/en.ts': { file: 'chunks/en.js' },
				'src/lib/i18n/messages/console-en.ts': {
					file: 'chunks/console-en.js',
					imports: ['console-words.js']
				},
				'console-words.js': { file: 'chunks/console-words.js' }
			},
			{ node0: '+page.svelte' }
		);
		expect(onlineOnlyFiles(output, /src\/routes\/hq\//, /^src\/lib\/i18n\/messages\/console-/)).toEqual(
			new Set(['chunks/console-en.js', 'chunks/console-words.js'])
		);
	});
});
