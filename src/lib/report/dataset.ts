import { createHash } from 'node:crypto';
import { datasetSchema, type Dataset, type RecommendationSet } from '../shared/recommendation';
import { canonicalJson } from './canonical-json';
import { parseReport } from './report-parser';

/**
 * Build/server-time only (node:crypto keeps it synchronous, so vite.config can call it at load).
 * The parser itself stays pure and runs anywhere.
 */

/** First 16 hex digits of the SHA-256 of the set's canonical JSON: changes with any content. */
export function datasetVersion(set: RecommendationSet): string {
	return createHash('sha256').update(canonicalJson(set), 'utf8').digest('hex').slice(0, 16);
}

/** Parses the report and stamps the result with its content version. */
export function buildDataset(text: string): Dataset {
	const set = parseReport(text);
	return datasetSchema.parse({ ...set, version: datasetVersion(set) });
}
