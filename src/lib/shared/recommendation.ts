// zod/mini: the same zod, tree-shakeable, so the device downloads only the checks it uses.
import * as z from './zod';
import { MISSION_CODE_PATTERN, MISSION_CODES } from './missions';
import { FOOTNOTE_MARKERS, STATUS_CATEGORIES } from './vocabulary';

export { STATUS_CATEGORIES, type StatusCategory, type FootnoteMarker } from './vocabulary';

/**
 * The recommendation set: what the report parser produces and what the device caches.
 * Declared once, parsed on the server (at build/start) and on the device (after download).
 */

/** A mission the report names (the parser finds only these). */
export const reportMissionSchema = z.enum(MISSION_CODES);
/** Any mission, including those Headquarters created after the report. */
export const missionCodeSchema = z.string().check(z.regex(MISSION_CODE_PATTERN));

export const footnoteMarkerSchema = z.enum(FOOTNOTE_MARKERS);

export const footnoteSchema = z.object({
	marker: footnoteMarkerSchema,
	text: z.string().check(z.minLength(1)),
	/** The link the note points to, when it has one (note `a`: the online repository). */
	url: z.optional(z.url())
});
export type Footnote = z.infer<typeof footnoteSchema>;

export const sectionSchema = z.object({
	/** Roman numeral as printed: "I", "II", … */
	numeral: z.string().check(z.regex(/^[IVXLC]+$/)),
	/** 1-based position of the section in the report. */
	ordinal: z.number().check(z.int(), z.positive()),
	title: z.string().check(z.minLength(1))
});
export type Section = z.infer<typeof sectionSchema>;

/** See `vocabulary.ts` and `lib/report/status-category.ts`. */
export const statusCategorySchema = z.enum(STATUS_CATEGORIES);

export const documentKindSchema = z.enum([
	'ga-resolution',
	'sc-resolution',
	'sg-bulletin',
	'administrative-instruction',
	'sc-document',
	'ga-document'
]);
export type DocumentKind = z.infer<typeof documentKindSchema>;

export const documentRefSchema = z.object({
	/** The symbol as a reader would cite it: "77/297", "2719 (2023)", "ST/SGB/2024/4". */
	symbol: z.string().check(z.minLength(1)),
	kind: documentKindSchema
});
export type DocumentRef = z.infer<typeof documentRefSchema>;

export const recommendationSchema = z.object({
	/** Stable id derived from the paragraph of A/78/19: "a78-19-p38". */
	id: z.string().check(z.regex(/^a78-19-p\d+$/)),
	paragraph: z.number().check(z.int(), z.positive()),
	/** 0-based position in the report. */
	order: z.number().check(z.int(), z.nonnegative()),
	section: sectionSchema,
	/** The Secretariat's status text, one clean paragraph per entry, page furniture removed. */
	paragraphs: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
	footnotes: z.array(footnoteMarkerSchema),
	/** Paragraph numbers of 2023 recommendations the text refers to. */
	refs2023: z.array(z.number().check(z.int(), z.positive())),
	documents: z.array(documentRefSchema),
	links: z.array(z.url()),
	missions: z.array(reportMissionSchema),
	category: statusCategorySchema
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const reportMetaSchema = z.object({
	body: z.string().check(z.minLength(1)), // "General Assembly"
	session: z.number().check(z.int(), z.positive()), // 79
	agendaItem: z.number().check(z.int(), z.positive()), // 51
	agendaTitle: z.string().check(z.minLength(1)),
	date: z.iso.date(), // "2024-10-25"
	title: z.string().check(z.minLength(1)),
	subtitle: z.string().check(z.minLength(1)), // "Report of the Secretary-General"
	documentType: z.string().check(z.minLength(1)), // "Addendum"
	supplements: z.string().check(z.minLength(1)), // "A/79/553"
	tracks: z.string().check(z.minLength(1)), // "A/78/19"
	summary: z.string().check(z.minLength(1)),
	footnotes: z.array(footnoteSchema)
});
export type ReportMeta = z.infer<typeof reportMetaSchema>;

export const recommendationSetSchema = z.object({
	meta: reportMetaSchema,
	sections: z.array(sectionSchema).check(z.minLength(1)),
	recommendations: z.array(recommendationSchema).check(z.minLength(1))
});
export type RecommendationSet = z.infer<typeof recommendationSetSchema>;

/** The set as shipped to devices: versioned by a hash of its content. */
export const datasetSchema = z.extend(recommendationSetSchema, {
	version: z.string().check(z.regex(/^[0-9a-f]{16}$/))
});
export type Dataset = z.infer<typeof datasetSchema>;
