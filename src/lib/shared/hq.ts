// zod/mini: see recommendation.ts.
import * as z from './zod';
import { annotationSchema, progressStatusSchema, recommendationIdSchema } from './annotation';
import {
	missionCodeSchema,
	recommendationSchema,
	reportMetaSchema,
	sectionSchema,
	statusCategorySchema
} from './recommendation';
import { roleSchema } from './sync';
import { EXPORT_FORMATS, PROGRESS_STATUSES } from './vocabulary';

export { EXPORT_FORMATS };

/**
 * The Headquarters console's API (`/api/v1/hq/...`, HQ viewers and admins only): what each
 * route answers and the export filters, as schemas both ends parse with. The queries live in
 * `lib/server/hq/`, the export formats in `lib/server/exports/`.
 */

export const HQ_LIMITS = {
	/** A mission none of whose devices was heard from for this many days is stale. */
	staleAfterDays: 14,
	/** Entries (tombstones included) in one recommendation's detail. */
	recommendationEntries: 2000,
	/** History rows in one recommendation's detail, newest kept. */
	recommendationHistory: 5000,
	/** Open conflicts listed, oldest kept. */
	conflicts: 1000,
	/** Devices listed in the freshness view. */
	devices: 5000,
	/** ISO weeks in the activity chart, most recent kept. */
	activityWeeks: 156,
	/** Values of one export filter parameter. */
	filterValues: 50
} as const;

const isoDateTime = z.iso.datetime({ offset: true });
const count = z.number().check(z.int(), z.nonnegative());

/** What a (mission, recommendation) pair reads as: a progress status, or nothing recorded. */
export const NOT_ASSESSED = 'not-assessed';
export const CELL_PROGRESS = [...PROGRESS_STATUSES, NOT_ASSESSED] as const;
export const cellProgressSchema = z.enum(CELL_PROGRESS);
export type CellProgress = z.infer<typeof cellProgressSchema>;

/** The sections of A/78/19, as the export filter `section` takes them. */
export const SECTION_NUMERALS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX'] as const;
export const sectionNumeralSchema = z.enum(SECTION_NUMERALS);

export const hqMissionSchema = z.object({
	code: missionCodeSchema,
	name: z.string(),
	/** Closed in FieldMatrix: readable, no longer written to. */
	retired: z.boolean(),
	retiredAt: z.nullable(isoDateTime)
});
export type HqMission = z.infer<typeof hqMissionSchema>;

/** A mission's current progress on a recommendation: its newest non-deleted entry. */
export const currentProgressSchema = z.object({
	annotationId: z.uuidv7(),
	status: progressStatusSchema,
	/** The day the progress refers to. */
	progressDate: z.iso.date(),
	/** When the entry was last edited, by the device's clock. */
	updatedAt: isoDateTime,
	author: z.string()
});
export type CurrentProgress = z.infer<typeof currentProgressSchema>;

// GET /api/v1/hq/matrix ------------------------------------------------------------------------

/** One (mission, recommendation) pair that has entries (deleted ones included). */
export const matrixCellSchema = z.object({
	mission: missionCodeSchema,
	recommendationId: recommendationIdSchema,
	/** Null when every entry is deleted: the pair reads as not assessed. */
	current: z.nullable(currentProgressSchema),
	/** Entries, tombstones not counted. */
	entryCount: count,
	/** Conflicts on these entries that no one has settled yet. */
	openConflicts: count
});
export type MatrixCell = z.infer<typeof matrixCellSchema>;

export const hqMatrixSchema = z.object({
	generatedAt: isoDateTime,
	/** The report edition the server holds; cells may name recommendations it no longer has. */
	datasetVersion: z.string(),
	/** Every mission, by code. */
	missions: z.array(hqMissionSchema),
	/** Pairs with entries, by mission then paragraph; a missing pair is not assessed. */
	cells: z.array(matrixCellSchema)
});
export type HqMatrix = z.infer<typeof hqMatrixSchema>;

// GET /api/v1/hq/recommendations/[id] ----------------------------------------------------------

export const HISTORY_CHANGES = ['created', 'updated', 'deleted', 'restored'] as const;

/** One version of an entry as the server applied it. */
export const historyEventSchema = z.object({
	annotationId: z.uuidv7(),
	revision: z.number().check(z.int(), z.positive()),
	/** When the server applied it (server clock). */
	appliedAt: isoDateTime,
	deviceId: z.uuid(),
	/** Derived from the previous version: a first version is `created`, a tombstone `deleted`. */
	change: z.enum(HISTORY_CHANGES),
	/** The entry as it was at this revision. */
	entry: annotationSchema
});
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const missionTimelineSchema = z.object({
	mission: hqMissionSchema,
	current: z.nullable(currentProgressSchema),
	/** Every entry, newest first (the device's order); `deleted: true` marks a tombstone. */
	entries: z.array(annotationSchema),
	/** Every applied version of those entries, newest first. */
	history: z.array(historyEventSchema),
	openConflicts: count
});
export type MissionTimeline = z.infer<typeof missionTimelineSchema>;

export const hqRecommendationSchema = z.object({
	recommendationId: recommendationIdSchema,
	/** Null when the current report has no such paragraph (entries kept from an older edition). */
	recommendation: z.nullable(recommendationSchema),
	/** Open missions and any mission with entries on it, by code. */
	missions: z.array(missionTimelineSchema),
	/** True when entries or history were cut at HQ_LIMITS (the newest are kept). */
	truncated: z.boolean()
});
export type HqRecommendation = z.infer<typeof hqRecommendationSchema>;

// GET /api/v1/hq/freshness ---------------------------------------------------------------------

export const hqDeviceSchema = z.object({
	id: z.uuid(),
	displayName: z.string(),
	role: roleSchema,
	enrolledAt: isoDateTime,
	/** Its last request to the server (recorded at most once a minute). */
	lastSeenAt: z.nullable(isoDateTime),
	/** Changes it held unsent when it last said so, and when that was. */
	pendingCount: z.nullable(count),
	pendingReportedAt: z.nullable(isoDateTime),
	revoked: z.boolean(),
	revokedAt: z.nullable(isoDateTime)
});
export type HqDevice = z.infer<typeof hqDeviceSchema>;

export const missionFreshnessSchema = z.object({
	mission: hqMissionSchema,
	/** Its devices, by enrolment. */
	devices: z.array(hqDeviceSchema),
	/** The last time any of its devices was heard from (pull, push or status). */
	lastSyncAt: z.nullable(isoDateTime),
	/** The last time a change of this mission (entry or conflict) reached the server. */
	lastChangeAt: z.nullable(isoDateTime),
	/** Unsent changes its unrevoked devices reported, summed. */
	pendingCount: count,
	/** No device heard from for HQ_LIMITS.staleAfterDays days, or ever. */
	stale: z.boolean()
});
export type MissionFreshness = z.infer<typeof missionFreshnessSchema>;

export const hqFreshnessSchema = z.object({
	generatedAt: isoDateTime,
	staleAfterDays: count,
	missions: z.array(missionFreshnessSchema),
	/** Recommendations of the report on which no mission has a (non-deleted) entry, in report order. */
	unassessedRecommendationIds: z.array(recommendationIdSchema),
	/** True when devices were cut at HQ_LIMITS.devices. */
	truncated: z.boolean()
});
export type HqFreshness = z.infer<typeof hqFreshnessSchema>;

// GET /api/v1/hq/conflicts ---------------------------------------------------------------------

/** The parts of a conflicting version a desk officer compares. */
export const conflictVersionSchema = z.object({
	status: progressStatusSchema,
	note: z.string(),
	progressDate: z.iso.date(),
	author: z.string(),
	updatedAt: isoDateTime,
	deleted: z.boolean(),
	revision: count
});
export type ConflictVersion = z.infer<typeof conflictVersionSchema>;

export const hqConflictSchema = z.object({
	id: z.uuid(),
	mission: missionCodeSchema,
	annotationId: z.uuidv7(),
	recommendationId: recommendationIdSchema,
	/** When the server kept the second version. */
	createdAt: isoDateTime,
	/** The device whose change arrived second. */
	deviceId: z.uuid(),
	/** What the server has (and keeps until someone settles the conflict). */
	server: conflictVersionSchema,
	/** The change that arrived on top of a revision its device had not seen. */
	incoming: conflictVersionSchema
});
export type HqConflict = z.infer<typeof hqConflictSchema>;

export const hqConflictsSchema = z.object({
	/** Open conflicts, oldest first. */
	conflicts: z.array(hqConflictSchema),
	/** True when more than HQ_LIMITS.conflicts are open (the oldest are listed). */
	truncated: z.boolean()
});
export type HqConflicts = z.infer<typeof hqConflictsSchema>;

// GET /api/v1/hq/activity ----------------------------------------------------------------------

export const activityWeekSchema = z.object({
	/** ISO 8601 week, e.g. "2025-W02". */
	week: z.string().check(z.regex(/^\d{4}-W\d{2}$/)),
	/** Its Monday. */
	weekStart: z.iso.date(),
	/** Versions applied that week, by the status they gave the entry (tombstones not counted). */
	byStatus: z.record(progressStatusSchema, count),
	/** Tombstones applied that week. */
	deletions: count,
	/** All versions applied that week. */
	total: count
});
export type ActivityWeek = z.infer<typeof activityWeekSchema>;

export const hqActivitySchema = z.object({
	/** The mission asked for with `?mission=`, or null for all. */
	mission: z.nullable(missionCodeSchema),
	/** Consecutive weeks (quiet ones with zeros) from the first with activity to the last. */
	weeks: z.array(activityWeekSchema),
	/** True when older weeks were cut at HQ_LIMITS.activityWeeks. */
	truncated: z.boolean()
});
export type HqActivity = z.infer<typeof hqActivitySchema>;

/** `?mission=` of the conflicts and activity routes. */
export const missionQuerySchema = z.strictObject({ mission: z.optional(missionCodeSchema) });
export type MissionQuery = z.infer<typeof missionQuerySchema>;

// GET /api/v1/hq/export.{csv,json,md,docx} ------------------------------------------------------

export const exportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

const filterValues = <T extends z.ZodMiniType>(value: T) =>
	z.array(value).check(z.maxLength(HQ_LIMITS.filterValues));

/**
 * The export filters, as query parameters. Each may be repeated (or comma-separated): values of
 * one parameter are alternatives, parameters combine. Absent or empty means no filter.
 */
export const exportFilterSchema = z.strictObject({
	/** Sections of the report, by numeral: `section=II&section=VII`. */
	section: filterValues(sectionNumeralSchema),
	/** The status category of the Secretariat's text. */
	category: filterValues(statusCategorySchema),
	/** A mission's current progress, `not-assessed` for none. */
	progress: filterValues(cellProgressSchema),
	/** Mission codes (must exist). */
	mission: filterValues(missionCodeSchema)
});
export type ExportFilter = z.infer<typeof exportFilterSchema>;
export const EXPORT_FILTER_PARAMS = ['section', 'category', 'progress', 'mission'] as const;

/** One (recommendation, mission) pair of an export. */
export const exportCellSchema = z.object({
	mission: missionCodeSchema,
	progress: cellProgressSchema,
	/** The newest non-deleted entry, whole; null when not assessed. */
	current: z.nullable(annotationSchema),
	/** Entries, tombstones not counted. */
	entryCount: count
});
export type ExportCell = z.infer<typeof exportCellSchema>;

export const exportRecommendationSchema = z.object({
	recommendation: recommendationSchema,
	/** Open missions (and retired ones where they recorded something), by code, after filters. */
	missions: z.array(exportCellSchema)
});
export type ExportRecommendation = z.infer<typeof exportRecommendationSchema>;

/** The JSON export: the report's metadata and, per recommendation, each mission's progress. */
export const hqExportSchema = z.object({
	exportedAt: isoDateTime,
	filters: exportFilterSchema,
	dataset: z.object({
		version: z.string(),
		meta: reportMetaSchema,
		sections: z.array(sectionSchema)
	}),
	missions: z.array(hqMissionSchema),
	/** In report order; a recommendation left with no mission after the filters is left out. */
	recommendations: z.array(exportRecommendationSchema)
});
export type HqExport = z.infer<typeof hqExportSchema>;
