import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { databaseChunkFile } from '$lib/build/database-chunk';
import type { BenchRow } from './report';

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).byteLength;

/**
 * What the initial route loads, read off the built shell: JS and CSS, gzip. The JS is given
 * twice: the app's entry (what runs before the app starts) and, with it, the database chunk the
 * shell also preloads (src/hooks.server.ts) so that it downloads beside the entry.
 */
export function bundleSize(buildDir = 'build'): BenchRow[] {
	const html = readFileSync(join(buildDir, 'prerendered/index.html'), 'utf8');
	const links = [...html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0]);
	const attribute = (tag: string, name: string) =>
		new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
	const assets = [
		...links
			.filter((tag) => /^(modulepreload|stylesheet)$/.test(attribute(tag, 'rel') ?? ''))
			.map((tag) => attribute(tag, 'href')!),
		...[...html.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1])
	];
	const dexie = `/${databaseChunkFile()}`;
	const unique = [...new Set(assets)];
	const size = (ext: string, urls = unique) =>
		urls
			.filter((url) => url.endsWith(ext))
			.reduce((sum, url) => sum + gz(readFileSync(join(buildDir, 'client', url))), 0);
	const entryJs = size(
		'.js',
		unique.filter((url) => url !== dexie)
	);
	const js = size('.js');
	const css = size('.css');
	const shell = gz(Buffer.from(html));
	return [
		{
			group: 'bundle',
			metric: "initial route JS (gzip): the app's entry, what runs before it starts",
			value: entryJs / 1024,
			unit: 'KB',
			target: { op: '<=', value: 70 }
		},
		{
			group: 'bundle',
			metric: 'with the database chunk (Dexie) the shell also preloads',
			value: js / 1024,
			unit: 'KB',
			note: unique.includes(dexie)
				? 'downloads beside the entry, runs once the app asks'
				: 'not preloaded'
		},
		{ group: 'bundle', metric: 'initial route CSS (gzip)', value: css / 1024, unit: 'KB' },
		{ group: 'bundle', metric: 'HTML shell (gzip)', value: shell / 1024, unit: 'KB' }
	];
}
