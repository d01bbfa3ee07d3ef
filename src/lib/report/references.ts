import type { DocumentKind, DocumentRef } from '../shared/recommendation';
import { ReportParseError } from './errors';

/**
 * "Please refer to the status of recommendation 37 in the Secretariat's online repository of
 * recommendations of the Special Committee for 2023" → 37. Only pointers into the 2023
 * repository count: "recommendation 17 of the report of the Secretary-General" (¶174) and
 * "item 175 below" (¶169) are other documents or this report.
 */
const REF_2023 =
	/\bstatus of recommendations? (\d+(?:(?:,| and| or)\s*\d+)*) in the Secretariat['’]s online repository\b[^.]*?\bfor 2023\b/g;

/** Paragraph numbers of the 2023 recommendations a status text points to, in text order. */
export function findRefs2023(text: string): number[] {
	const refs: number[] = [];
	for (const match of text.matchAll(REF_2023)) {
		for (const n of match[1].match(/\d+/g) ?? []) refs.push(Number(n));
	}
	return [...new Set(refs)];
}

/** Document kinds by the shape of the symbol, most specific first. */
const DOCUMENT_SHAPES: ReadonlyArray<[RegExp, DocumentKind]> = [
	[/^ST\/SGB\//, 'sg-bulletin'],
	[/^ST\/AI\//, 'administrative-instruction'],
	[/^S\/RES\//, 'sc-resolution'],
	[/^A\/RES\//, 'ga-resolution'],
	[/^S\//, 'sc-document'],
	[/^A\//, 'ga-document'],
	// Security Council resolutions are cited by number and year: "2719 (2023)".
	[/^\d{1,4} \(\d{4}\)$/, 'sc-resolution'],
	// General Assembly resolutions by session and number: "77/297".
	[/^\d{1,3}\/\d{1,4}$/, 'ga-resolution']
];

export function documentKind(symbol: string): DocumentKind | undefined {
	return DOCUMENT_SHAPES.find(([shape]) => shape.test(symbol))?.[1];
}

/** United Nations document symbols: unambiguous wherever they appear. */
const SYMBOL =
	/\b(?:ST\/SGB|ST\/AI|A|S)\/(?:RES\/)?\d+(?:\/\d+)*(?:\/(?:Rev|Add|Corr|Amend)\.\d+)*/g;
/** Bare resolution numbers: only documents when linked or introduced by "resolution(s)". */
const SC_RESOLUTION = /\b\d{1,4} \(\d{4}\)/g;
const GA_RESOLUTION = /(?<![/\d])\d{1,3}\/\d{1,4}(?![/\d])/g;
const RESOLUTION_CONTEXT =
	/\bresolutions?\s+(?:(?:\d{1,4} \(\d{4}\)|\d{1,3}\/\d{1,4}),?\s+(?:and\s+)?)*$/;

/**
 * Documents a status text cites, in order of first mention: symbols (ST/SGB/2024/4, S/2024/292,
 * A/77/19), and resolutions, whether written as placeholder links (`[77/297](#)`, as the
 * converter marks them) or as plain text after "resolution" ("resolution 1244 (1999)").
 * A placeholder link that is not a recognisable symbol is an error: it would otherwise vanish.
 */
export function findDocuments(
	text: string,
	symbolLabels: readonly string[],
	line: number
): DocumentRef[] {
	for (const label of symbolLabels) {
		if (!documentKind(label)) {
			throw new ReportParseError(line, `link "${label}" is not a recognised document symbol`);
		}
	}
	const linked = new Set(symbolLabels);
	const found: Array<{ at: number; symbol: string }> = [];
	for (const m of text.matchAll(SYMBOL)) found.push({ at: m.index, symbol: m[0] });
	for (const pattern of [SC_RESOLUTION, GA_RESOLUTION]) {
		for (const m of text.matchAll(pattern)) {
			const before = text.slice(Math.max(0, m.index - 80), m.index);
			if (linked.has(m[0]) || RESOLUTION_CONTEXT.test(before)) {
				found.push({ at: m.index, symbol: m[0] });
			}
		}
	}
	// A linked label the scan missed (odd spacing, say) still counts, after those in the text.
	for (const label of symbolLabels) found.push({ at: Infinity, symbol: label });

	const seen = new Set<string>();
	const documents: DocumentRef[] = [];
	for (const { symbol } of found.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1))) {
		if (seen.has(symbol)) continue;
		seen.add(symbol);
		documents.push({ symbol, kind: documentKind(symbol)! });
	}
	return documents;
}
