import { describe, expect, it } from 'vitest';
import { startupChunks, type OutputChunk } from '$lib/build/compile-hints';

const chunk = (name: string, imports: string[] = [], facade: string | null = null): OutputChunk => ({
	type: 'chunk',
	name,
	isEntry: name.startsWith('entry/') || name.startsWith('nodes/'),
	facadeModuleId: facade,
	imports
});

/** The generated node modules, as SvelteKit writes them: which route each node renders. */
const facades: Record<string, string> = {
	'nodes/3.js': 'export { default as component } from "../../../../src/routes/+page.svelte";',
	'nodes/5.js': 'export { default as component } from "../../../../src/routes/hq/+page.svelte";'
};

describe('startupChunks: what every start of the app evaluates', () => {
	const bundle = {
		'start.js': chunk('entry/start', ['kit.js']),
		'app.js': chunk('entry/app', ['svelte.js']),
		'kit.js': chunk('kit', ['svelte.js']),
		'svelte.js': chunk('svelte'),
		'0.js': chunk('nodes/0', ['first-screen.js']),
		'1.js': chunk('nodes/1'),
		'3.js': chunk('nodes/3', ['first-screen.js', 'slices.js'], 'nodes/3.js'),
		'5.js': chunk('nodes/5', ['hq-only.js', 'svelte.js'], 'nodes/5.js'),
		'first-screen.js': chunk('first-screen'),
		'slices.js': chunk('slices'),
		'hq-only.js': chunk('hq-only'),
		'dexie.js': chunk('dexie'),
		'zod.js': chunk('zod', ['schemas.js']),
		'schemas.js': chunk('schemas'),
		'minisearch.js': chunk('minisearch'),
		'app.css': { type: 'asset' as const }
	};

	it('takes the start entries, the root layout and error, the home page and what they import', () => {
		const found = startupChunks(bundle, ['dexie', 'zod'], (id) => facades[id]);
		expect([...found].sort()).toEqual(
			[
				'0.js',
				'1.js',
				'3.js',
				'app.js',
				'dexie.js',
				'first-screen.js',
				'kit.js',
				'schemas.js',
				'slices.js',
				'start.js',
				'svelte.js',
				'zod.js'
			].sort()
		);
	});

	it('leaves out other routes and what loads later', () => {
		const found = startupChunks(bundle, [], (id) => facades[id]);
		expect(found.has('5.js')).toBe(false);
		expect(found.has('hq-only.js')).toBe(false);
		expect(found.has('minisearch.js')).toBe(false);
		expect(found.has('dexie.js')).toBe(false);
	});
});
