import { inflateRawSync } from 'node:zlib';
import { beforeAll, expect, it } from 'vitest';
import type { Annotation } from '../../src/lib/shared/annotation';
import { HQ_LIMITS, hqExportSchema } from '../../src/lib/shared/hq';
import { apiErrorSchema } from '../../src/lib/shared/sync';
import { createMission, retireMission } from '../../src/lib/server/admin/missions';
import { AppError } from '../../src/lib/server/errors';
import { CSV_COLUMNS } from '../../src/lib/server/exports/csv';
import { docxExport } from '../../src/lib/server/exports/docx';
import { exportScope } from '../../src/lib/server/exports/scope';
import { setReportDataset } from '../../src/lib/server/hq/report-dataset';
import { seedDataset } from '../unit/seed-dataset';
import {
	ACTOR,
	annotation,
	describeEachBackend,
	enrolDevice,
	mutation,
	syncClient,
	type TestDevice
} from './fixtures';
import { bodyOf, call } from './harness';

const dataset = seedDataset();
beforeAll(() => setReportDataset(dataset));

/** RFC 4180, strictly: CRLF after every record, quotes only around a whole field. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted) {
			if (char !== '"') field += char;
			else if (text[i + 1] === '"') field += text[++i];
			else {
				quoted = false;
				if (!/^(,|\r\n)/.test(text.slice(i + 1, i + 3)))
					throw new Error(`text after quote at ${i}`);
			}
		} else if (char === '"') {
			if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
			quoted = true;
		} else if (char === ',') {
			row.push(field);
			field = '';
		} else if (char === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else if (char === '\r' || char === '\n') {
			throw new Error(`bare line break outside quotes at ${i}`);
		} else field += char;
	}
	if (quoted || field !== '' || row.length > 0)
		throw new Error('the last record does not end with CRLF');
	return rows;
}

/** The files of a zip archive (stored or deflated), read through its central directory. */
function unzip(bytes: Uint8Array): Map<string, string> {
	const buffer = Buffer.from(bytes);
	const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	if (end < 0) throw new Error('not a zip archive');
	const count = buffer.readUInt16LE(end + 10);
	let offset = buffer.readUInt32LE(end + 16);
	const files = new Map<string, string>();
	for (let i = 0; i < count; i++) {
		if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory');
		const method = buffer.readUInt16LE(offset + 10);
		const size = buffer.readUInt32LE(offset + 20);
		const nameLength = buffer.readUInt16LE(offset + 28);
		const extraLength = buffer.readUInt16LE(offset + 30);
		const commentLength = buffer.readUInt16LE(offset + 32);
		const local = buffer.readUInt32LE(offset + 42);
		const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
		if (buffer.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header: ${name}`);
		const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
		const data = buffer.subarray(start, start + size);
		files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
		offset += 46 + nameLength + extraLength + commentLength;
	}
	return files;
}

/** The text of a WordprocessingML part: runs joined, entities decoded. */
function xmlText(xml: string): string {
	return xml
		.replace(/<w:br\/>/g, '\n')
		.replace(/<\/w:p>/g, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&amp;/g, '&');
}

const TRICKY_NOTE =
	'Training in Côte d’Ivoire and "Côte d\'Ivoire", with commas, quotes\nand a second line\r\nand a third.';
const FORMULA_NOTE = '=HYPERLINK("http://attacker.example","click")';
const MARKUP_NOTE =
	'**not bold** <script>alert(1)</script> [link](javascript:alert(1))\n# not a heading';

describeEachBackend('HQ exports', (suite) => {
	const sync = syncClient(suite);
	const today = () => new Date().toISOString().slice(0, 10);
	let viewer: TestDevice;
	let juba: TestDevice;
	let abidjan: TestDevice;
	const recorded: Record<string, Annotation> = {};
	const openMissions: string[] = [];

	const get = (path: string, device: TestDevice | null = viewer) =>
		call(suite().context, 'GET', path, { token: device?.token });

	async function record(device: TestDevice, entries: Annotation[]) {
		for (let i = 0; i < entries.length; i += 200) {
			const batch = entries.slice(i, i + 200);
			const { results } = await sync.pushOk(
				device,
				batch.map((entry) => mutation(device, entry, { baseRevision: entry.revision }))
			);
			expect(results.every((r) => r.status === 'applied')).toBe(true);
		}
	}

	beforeAll(async () => {
		const { db } = suite();
		viewer = await enrolDevice(db, { role: 'hq-viewer', mission: null });
		await createMission(
			db,
			{ code: 'UNOCI', name: 'Opération des Nations Unies en Côte d’Ivoire, "ONUCI"' },
			ACTOR
		);
		juba = await enrolDevice(db, { mission: 'UNMISS', name: 'Juba' });
		abidjan = await enrolDevice(db, { mission: 'UNOCI', name: 'Abidjan' });
		const bamako = await enrolDevice(db, { mission: 'MINUSMA', name: 'Bamako' });

		recorded.tricky = annotation(juba, {
			status: 'in-progress',
			progressDate: '2025-02-03',
			note: TRICKY_NOTE,
			author: '@Focal, "A."',
			evidence: [
				{ label: '+1 report, annex', symbol: 'S/2024/292', url: 'https://example.org/a?b=1,2' }
			]
		});
		recorded.older = annotation(juba, { status: 'planned', progressDate: '2024-11-01' });
		recorded.formula = annotation(juba, {
			recommendationId: 'a78-19-p39',
			status: 'needs-hq-support',
			note: FORMULA_NOTE,
			author: '-Dupont'
		});
		recorded.markup = annotation(juba, {
			recommendationId: 'a78-19-p113',
			status: 'implemented',
			note: MARKUP_NOTE
		});
		await record(juba, [recorded.tricky, recorded.older, recorded.formula, recorded.markup]);
		recorded.mali = annotation(bamako, { status: 'implemented', note: 'Before the withdrawal.' });
		await record(bamako, [recorded.mali]);
		// Retired missions: one with an entry (shown there only), one with none (no gap rows).
		await retireMission(db, 'MINUSMA', ACTOR);
		await retireMission(db, 'UNTSO', ACTOR);

		// More entries on one pair than a database page holds (keyset pages of 500).
		const many = Array.from({ length: 1100 }, (_, i) =>
			annotation(abidjan, {
				recommendationId: 'a78-19-p41',
				status: 'in-progress',
				progressDate: `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
				note: `Entry ${i}`
			})
		);
		await record(abidjan, many);
		recorded.newestOfMany = many
			.filter((e) => e.progressDate === '2025-01-28')
			.sort(
				(a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || (a.id < b.id ? 1 : -1)
			)[0];

		const missions = await db.selectFrom('missions').select(['code', 'retired_at']).execute();
		openMissions.push(
			...missions
				.filter((m) => !m.retired_at)
				.map((m) => m.code)
				.sort()
		);
	});

	async function csv(query = '') {
		const response = await get(`/api/v1/hq/export.csv${query}`);
		expect(response.status).toBe(200);
		const bytes = new Uint8Array(await response.arrayBuffer());
		return {
			response,
			bytes,
			rows: parseCsv(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''))
		};
	}

	const rowsAsObjects = (rows: string[][]) =>
		rows.slice(1).map((row) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]])));

	it('exports a CSV: BOM, RFC 4180, one row per recommendation × mission, gaps included', async () => {
		const { response, bytes, rows } = await csv();
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="fieldmatrix-c34-${today()}.csv"`
		);
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(rows[0]).toEqual([...CSV_COLUMNS]);
		expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);

		const records = rowsAsObjects(rows);
		// Every open mission on every recommendation, plus the retired MINUSMA where it recorded.
		expect(records).toHaveLength(dataset.recommendations.length * openMissions.length + 1);
		expect(records.filter((r) => r.mission === 'UNTSO')).toEqual([]);
		expect(records.filter((r) => r.mission === 'MINUSMA').map((r) => r.recommendation_id)).toEqual([
			'a78-19-p38'
		]);
		// Report order, missions by code within a recommendation.
		const order = records.map((r) => r.recommendation_id).filter((id, i, all) => all[i - 1] !== id);
		expect(order).toEqual(dataset.recommendations.map((r) => r.id));

		const row = (mission: string, id: string) =>
			records.find((r) => r.mission === mission && r.recommendation_id === id)!;
		expect(row('UNMISS', 'a78-19-p38')).toEqual({
			paragraph: '38',
			recommendation_id: 'a78-19-p38',
			section: 'II',
			section_title: 'Conduct of peacekeepers and peacekeeping operations',
			status_category: 'ongoing-see-2023',
			mission: 'UNMISS',
			mission_name: 'United Nations Mission in South Sudan',
			progress: 'in-progress',
			progress_date: '2025-02-03',
			updated_at: recorded.tricky.updatedAt,
			// Starts with @: defused.
			author: `'@Focal, "A."`,
			entry_count: '2',
			note: TRICKY_NOTE,
			evidence: `'+1 report, annex (S/2024/292) <https://example.org/a?b=1,2>`
		});
		const formula = row('UNMISS', 'a78-19-p39');
		expect(formula.note).toBe(`'${FORMULA_NOTE}`);
		expect(formula.author).toBe(`'-Dupont`);
		expect(row('UNOCI', 'a78-19-p22')).toMatchObject({
			mission_name: 'Opération des Nations Unies en Côte d’Ivoire, "ONUCI"',
			progress: 'not-assessed',
			progress_date: '',
			updated_at: '',
			author: '',
			entry_count: '0',
			note: ''
		});
		expect(row('UNOCI', 'a78-19-p41')).toMatchObject({
			entry_count: '1100',
			progress_date: '2025-01-28',
			note: recorded.newestOfMany.note
		});
	});

	it('streams the body in several chunks and stops when the client goes away', async () => {
		const response = await get('/api/v1/hq/export.csv');
		expect(response.body).toBeInstanceOf(ReadableStream);
		const reader = response.body!.getReader();
		let chunks = 0;
		for (;;) {
			const { done } = await reader.read();
			if (done) break;
			chunks++;
		}
		expect(chunks).toBeGreaterThan(1);

		const abandoned = await get('/api/v1/hq/export.md');
		const partial = abandoned.body!.getReader();
		expect((await partial.read()).done).toBe(false);
		await partial.cancel();
	});

	it('filters by section, category, progress and mission (repeatable, comma-separated too)', async () => {
		const sectionOf = new Map(dataset.recommendations.map((r) => [r.id, r]));
		const repeated = rowsAsObjects((await csv('?section=II&section=VII')).rows);
		const commas = rowsAsObjects((await csv('?section=II,VII')).rows);
		expect(commas).toEqual(repeated);
		expect(new Set(repeated.map((r) => r.section))).toEqual(new Set(['II', 'VII']));
		const inSections = dataset.recommendations.filter((r) =>
			['II', 'VII'].includes(r.section.numeral)
		);
		expect(repeated).toHaveLength(inSections.length * openMissions.length + 1);

		const category = rowsAsObjects((await csv('?category=briefing-pending')).rows);
		expect(category.length).toBeGreaterThan(0);
		expect(
			category.every((r) => sectionOf.get(r.recommendation_id)!.category === 'briefing-pending')
		).toBe(true);

		const implemented = rowsAsObjects((await csv('?progress=implemented')).rows);
		expect(implemented.map((r) => [r.mission, r.recommendation_id])).toEqual([
			['MINUSMA', 'a78-19-p38'],
			['UNMISS', 'a78-19-p113']
		]);
		const gaps = rowsAsObjects((await csv('?progress=not-assessed&mission=UNMISS')).rows);
		expect(gaps).toHaveLength(dataset.recommendations.length - 3);
		expect(gaps.every((r) => r.progress === 'not-assessed' && r.mission === 'UNMISS')).toBe(true);

		// A retired mission asked for by name: its gaps too.
		const untso = rowsAsObjects((await csv('?mission=UNTSO')).rows);
		expect(untso).toHaveLength(dataset.recommendations.length);

		const combined = rowsAsObjects(
			(await csv('?section=II&progress=in-progress&mission=UNMISS,UNOCI')).rows
		);
		expect(combined.map((r) => [r.mission, r.recommendation_id])).toEqual([
			['UNMISS', 'a78-19-p38'],
			['UNOCI', 'a78-19-p41']
		]);
	});

	it('answers 400 naming the parameter to a bad filter, in every format, never 5xx', async () => {
		const cases: [string, string][] = [
			['section=X', '`section`'],
			['section=ii', '`section`'],
			['section=X,II', '`section`'],
			['category=done', '`category`'],
			['progress=finished', '`progress`'],
			['mission=unmiss', '`mission`'],
			['mission=NOSUCH', '`mission`'],
			['sector=II', '`sector`'],
			[Array.from({ length: HQ_LIMITS.filterValues + 1 }, () => 'section=I').join('&'), '`section`']
		];
		for (const format of ['csv', 'json', 'md', 'docx']) {
			for (const [query, named] of cases) {
				const response = await get(`/api/v1/hq/export.${format}?${query}`);
				expect(response.status, `${format}?${query}`).toBe(400);
				const body = apiErrorSchema.parse(await bodyOf(response));
				expect(body.error).toBe('invalid-query');
				expect(body.message, `${format}?${query}`).toContain(named);
			}
		}
		expect((await get('/api/v1/hq/export.pdf')).status).toBe(404);
		expect((await get('/api/v1/hq/export.CSV')).status).toBe(404);
	});

	it('exports JSON in the shared schema: report metadata and each mission’s current entry', async () => {
		const response = await get('/api/v1/hq/export.json?mission=UNMISS&section=II');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="fieldmatrix-c34-${today()}.json"`
		);
		const exported = hqExportSchema.parse(JSON.parse(await response.text()));
		expect(exported.dataset).toEqual({
			version: dataset.version,
			meta: dataset.meta,
			sections: dataset.sections
		});
		expect(exported.filters).toEqual({
			section: ['II'],
			category: [],
			progress: [],
			mission: ['UNMISS']
		});
		expect(exported.missions.map((m) => m.code)).toEqual(['UNMISS']);
		const ids = dataset.recommendations.filter((r) => r.section.numeral === 'II').map((r) => r.id);
		expect(exported.recommendations.map((r) => r.recommendation.id)).toEqual(ids);
		const p38 = exported.recommendations.find((r) => r.recommendation.id === 'a78-19-p38')!;
		expect(p38.recommendation).toEqual(dataset.recommendations.find((r) => r.id === 'a78-19-p38'));
		expect(p38.missions).toEqual([
			{
				mission: 'UNMISS',
				progress: 'in-progress',
				current: { ...recorded.tricky, revision: 1 },
				entryCount: 2
			}
		]);
		const all = hqExportSchema.parse(
			JSON.parse(await (await get('/api/v1/hq/export.json')).text())
		);
		expect(all.recommendations).toHaveLength(dataset.recommendations.length);
	});

	it('drafts the report in Markdown, in the seed’s matrix form, with the footnotes', async () => {
		const response = await get('/api/v1/hq/export.md');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="fieldmatrix-c34-${today()}.md"`
		);
		const text = await response.text();
		expect(text.startsWith(`# ${dataset.meta.body}\n`)).toBe(true);
		expect(text).toContain(`## ${dataset.meta.title}`);
		expect(text).toContain(`### ${dataset.meta.subtitle}`);
		expect(text).toContain(dataset.meta.summary);

		// Sections and paragraphs in report order, each followed by its mission updates.
		let at = 0;
		let section = '';
		for (const r of dataset.recommendations) {
			if (r.section.numeral !== section) {
				section = r.section.numeral;
				const heading = `\n## ${r.section.numeral}. ${r.section.title}\n`;
				at = text.indexOf(heading, at);
				expect(at, heading).toBeGreaterThan(0);
			}
			const markers = r.footnotes.map((m) => `[^${m}]`).join('');
			const paragraph = `\n${r.paragraph}${markers} ${r.paragraphs[0]}\n`;
			at = text.indexOf(paragraph, at);
			expect(at, `paragraph ${r.paragraph}`).toBeGreaterThan(0);
			for (const more of r.paragraphs.slice(1)) expect(text.indexOf(more, at)).toBeGreaterThan(at);
			expect(text.indexOf('**Mission updates**', at)).toBeGreaterThan(at);
		}
		expect(text.match(/\*\*Mission updates\*\*/g)).toHaveLength(dataset.recommendations.length);
		for (const note of dataset.meta.footnotes)
			expect(text).toContain(`\n[^${note.marker}]: ${note.text}`);

		/** The mission updates of a paragraph: the list after its text, up to the blank line. */
		const block = (paragraph: number) => {
			const start = text.search(new RegExp(`\\n${paragraph}(\\[\\^[ab]\\])* `));
			const heading = '**Mission updates**\n\n';
			const list = text.indexOf(heading, start) + heading.length;
			return text.slice(list, text.indexOf('\n\n', list));
		};
		expect(block(38)).toContain(
			'- **MINUSMA** (United Nations Multidimensional Integrated Stabilization Mission in Mali): ● Implemented, 2025-01-10'
		);
		expect(block(38)).toContain(
			'- **UNMISS** (United Nations Mission in South Sudan): ◐ In progress, 2025-02-03, @Focal, "A."'
		);
		expect(block(38)).toContain(
			'Evidence: +1 report, annex (S/2024/292) <https://example.org/a?b=1,2>'
		);
		expect(block(38)).toMatch(/- Not yet assessed: MINURSO, MINUSCA, .*UNOCI/);
		// What missions typed reads as text: escaped, never markup.
		const markup = block(113);
		expect(markup).toContain(
			'\\*\\*not bold\\*\\* \\<script\\>alert(1)\\</script\\> \\[link\\](javascript:alert(1))'
		);
		expect(markup).toContain('\\\n  \\# not a heading');
		expect(markup).not.toContain('<script>');
	});

	it('drafts the report as a valid Word document with footnotes', async () => {
		const response = await get('/api/v1/hq/export.docx?section=II,VI');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
		);
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="fieldmatrix-c34-${today()}.docx"`
		);
		const files = unzip(new Uint8Array(await response.arrayBuffer()));
		expect([...files.keys()]).toEqual(
			expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/footnotes.xml'])
		);
		const document = xmlText(files.get('word/document.xml')!);
		expect(document).toContain(dataset.meta.title);
		expect(document).toContain('II. Conduct of peacekeepers and peacekeeping operations');
		expect(document).toContain('VI. Politics');
		expect(document).not.toContain('I. Introduction');
		expect(document).toContain(
			dataset.recommendations.find((r) => r.paragraph === 38)!.paragraphs[0]
		);
		expect(document).toContain('Mission updates');
		expect(document).toContain(
			'Training in Côte d’Ivoire and "Côte d\'Ivoire", with commas, quotes\nand a second line\nand a third.'
		);
		expect(document).toContain('◐ In progress');
		expect(document).toContain('https://example.org/a?b=1,2');
		expect(document).toContain('Limited to section II, VI.');
		// Paragraph 113 (section VI) carries footnote b, 48 (section II) footnote a.
		const footnotes = xmlText(files.get('word/footnotes.xml')!);
		for (const note of dataset.meta.footnotes) expect(footnotes).toContain(note.text);
		const references = files.get('word/document.xml')!.match(/<w:footnoteReference /g) ?? [];
		const expected = dataset.recommendations
			.filter((r) => ['II', 'VI'].includes(r.section.numeral))
			.reduce((sum, r) => sum + r.footnotes.length, 0);
		expect(references).toHaveLength(expected);
	});

	it('caps the Word draft, which is built in memory, with a 413 before building it', async () => {
		const scope = await exportScope(
			suite().db,
			dataset,
			{ section: [], category: [], progress: [], mission: [] },
			new Date()
		);
		const refusal = await docxExport(suite().db, scope, 2).catch((error: unknown) => error);
		expect(refusal).toBeInstanceOf(AppError);
		expect(refusal).toMatchObject({ status: 413, code: 'export-too-large' });
	});
});
