import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './report';

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).byteLength;

/** What the initial route loads, read off the built shell: JS and CSS, gzip. */
export function bundleSize(buildDir = 'build'): BenchRow[] {
	const html = readFileSync(join(buildDir, 'prerendered/index.html'), 'utf8');
	const assets = [
		...html.matchAll(/<link href="([^"]+)" rel="(modulepreload|stylesheet)"/g),
		...html.matchAll(/import\("([^"]+)"\)/g)
	].map((m) => m[1]);
	const unique = [...new Set(assets)];
	const size = (ext: string) =>
		unique
			.filter((url) => url.endsWith(ext))
			.reduce((sum, url) => sum + gz(readFileSync(join(buildDir, 'client', url))), 0);
	const js = size('.js');
	const css = size('.css');
	const shell = gz(Buffer.from(html));
	return [
		{
			group: 'bundle',
			metric: 'initial route JS (gzip; the chunks the shell preloads)',
			value: js / 1024,
			unit: 'KB',
			target: { op: '<=', value: 70 }
		},
		{ group: 'bundle', metric: 'initial route CSS (gzip)', value: css / 1024, unit: 'KB' },
		{ group: 'bundle', metric: 'HTML shell (gzip)', value: shell / 1024, unit: 'KB' }
	];
}
