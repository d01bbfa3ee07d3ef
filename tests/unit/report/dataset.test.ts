import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/lib/report/canonical-json';
import { buildDataset, datasetVersion } from '../../../src/lib/report/dataset';
import { parseReport } from '../../../src/lib/report/report-parser';
import { datasetSchema } from '../../../src/lib/shared/recommendation';

const SEED = readFileSync('seeds/000_ad453c7417d56308.txt', 'utf8');

describe('buildDataset', () => {
	const dataset = buildDataset(SEED);

	it('is the parsed set plus a 16-hex-digit version, and passes the schema', () => {
		expect(datasetSchema.safeParse(dataset).success).toBe(true);
		expect(dataset.version).toMatch(/^[0-9a-f]{16}$/);
		const { version, ...set } = dataset;
		expect(set).toEqual(parseReport(SEED));
		expect(version).toBe(datasetVersion(set));
	});

	it('gives the same version for the same input', () => {
		expect(buildDataset(SEED).version).toBe(dataset.version);
		// Line endings are not content.
		expect(buildDataset(SEED.replaceAll('\n', '\r\n')).version).toBe(dataset.version);
	});

	it('changes the version when one character of a status text changes (¶39: database → databases)', () => {
		const edited = SEED.replace('The Clear Check database', 'The Clear Check databases');
		expect(edited).not.toBe(SEED);
		expect(buildDataset(edited).version).not.toBe(dataset.version);
	});

	it('does not depend on the order in which object keys were built', () => {
		const set = parseReport(SEED);
		const reordered = {
			recommendations: set.recommendations,
			sections: set.sections,
			meta: Object.fromEntries(Object.entries(set.meta).reverse()) as typeof set.meta
		};
		expect(datasetVersion(reordered)).toBe(dataset.version);
	});
});

describe('canonicalJson', () => {
	it('sorts keys at every level and keeps array order', () => {
		expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }, 3] })).toBe('{"a":[{"c":2,"d":1},3],"b":1}');
		expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
	});
});
