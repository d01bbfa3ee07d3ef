import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { BenchRow } from './report';

/** The dataset as served by the running app. */
export async function datasetSize(url: string): Promise<BenchRow[]> {
	const raw = Buffer.from(await (await fetch(`${url}/api/v1/recommendations`)).arrayBuffer());
	const group = 'dataset';
	return [
		{ group, metric: 'raw JSON', value: raw.byteLength / 1024, unit: 'KB' },
		{ group, metric: 'gzip', value: gzipSync(raw, { level: 9 }).byteLength / 1024, unit: 'KB' },
		{
			group,
			metric: 'brotli (served to browsers)',
			value:
				brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength /
				1024,
			unit: 'KB'
		}
	];
}
