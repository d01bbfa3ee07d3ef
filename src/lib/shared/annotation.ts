// zod/mini: see recommendation.ts.
import * as z from './zod';
import { missionCodeSchema } from './recommendation';
import { PROGRESS_STATUSES } from './vocabulary';

/**
 * A mission's progress entry on one recommendation, written on a device, offline first, and
 * synced to Headquarters. Declared once; the device validates what the user types with it and
 * the server re-parses every incoming mutation with it.
 */

export { PROGRESS_STATUSES, type ProgressStatus } from './vocabulary';
export const progressStatusSchema = z.enum(PROGRESS_STATUSES);

export const LIMITS = {
	note: 4000,
	evidenceItems: 10,
	evidenceLabel: 200,
	evidenceUrl: 2000,
	evidenceSymbol: 100,
	author: 100
} as const;

/** A UN document symbol such as "S/2024/292" or "ST/SGB/2024/4" (letters, digits, / . - ( ) space). */
const documentSymbolSchema = z
	.string()
	.check(
		z.trim(),
		z.maxLength(LIMITS.evidenceSymbol),
		z.regex(/^[A-Z][A-Za-z0-9]*(?:[/.\-()][A-Za-z0-9().\- ]*)+$/, { error: 'invalid-symbol' })
	);

export const evidenceItemSchema = z.object({
	label: z
		.string()
		.check(z.trim(), z.minLength(1, { error: 'required' }), z.maxLength(LIMITS.evidenceLabel)),
	/** Only http(s): the UI makes it a link, so nothing else may become one. */
	url: z.optional(z.httpUrl({ error: 'invalid-url' }).check(z.maxLength(LIMITS.evidenceUrl))),
	symbol: z.optional(documentSymbolSchema)
});
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;

export const recommendationIdSchema = z.string().check(z.regex(/^a78-19-p\d{1,4}$/));
export const datasetVersionSchema = z.string().check(z.regex(/^[0-9a-f]{16}$/));
const isoDateTime = z.iso.datetime({ offset: true });

export const annotationSchema = z.object({
	/** UUIDv7, generated on the device: sortable by creation time, unique without a server. */
	id: z.uuidv7(),
	mission: missionCodeSchema,
	recommendationId: recommendationIdSchema,
	/** The dataset version the entry was written against. */
	datasetVersion: datasetVersionSchema,
	status: progressStatusSchema,
	/** Plain text: always shown as text, never as HTML. */
	note: z.string().check(z.maxLength(LIMITS.note)),
	evidence: z.array(evidenceItemSchema).check(z.maxLength(LIMITS.evidenceItems)),
	/** The day the progress refers to. */
	progressDate: z.iso.date(),
	author: z.string().check(z.trim(), z.minLength(1), z.maxLength(LIMITS.author)),
	deviceId: z.uuid(),
	createdAt: isoDateTime,
	updatedAt: isoDateTime,
	/** A tombstone: deleted entries are kept (and synced) so a deletion cannot be lost. */
	deleted: z.boolean(),
	/** The server's revision of the entry; 0 until the server has accepted a version of it. */
	revision: z.number().check(z.int(), z.nonnegative())
});
export type Annotation = z.infer<typeof annotationSchema>;

/**
 * What the user types in the editor. The progress date may not be later than today (one day of
 * slack for time zones ahead of the device's clock).
 */
export function annotationInputSchema(today: Date = new Date()) {
	const latest = new Date(today.getTime() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
	return z.object({
		status: progressStatusSchema,
		note: z.string().check(z.maxLength(LIMITS.note, { error: 'too-long' })),
		evidence: z
			.array(evidenceItemSchema)
			.check(z.maxLength(LIMITS.evidenceItems, { error: 'too-many' })),
		progressDate: z.iso
			.date({ error: 'invalid-date' })
			.check(z.refine((date) => date <= latest, { error: 'future-date' }))
	});
}
export type AnnotationInput = z.infer<ReturnType<typeof annotationInputSchema>>;

/** The kinds of change a device makes to an entry; each becomes one outbox mutation. */
export const ANNOTATION_OPS = ['create', 'update', 'delete', 'restore'] as const;
export const annotationOpSchema = z.enum(ANNOTATION_OPS);
export type AnnotationOp = z.infer<typeof annotationOpSchema>;

/** Bumped when the mutation payload changes shape; the server refuses versions it does not know. */
export const MUTATION_SCHEMA_VERSION = 1;

/**
 * One change, as queued in the device's outbox and pushed to the server. The payload is the
 * whole entry after the change (so replaying it is idempotent), and `baseRevision` is the
 * server revision the device last saw for the entry (0 for a new one): the server detects a
 * conflict when its revision moved on.
 */
export const mutationSchema = z.object({
	deviceId: z.uuid(),
	/** Strictly increasing per device, from 1. */
	mutationId: z.number().check(z.int(), z.positive(), z.maximum(Number.MAX_SAFE_INTEGER)),
	/** Unique id of this operation (UUIDv7): a retried request carries the same one. */
	opId: z.uuidv7(),
	op: annotationOpSchema,
	annotationId: z.uuidv7(),
	baseRevision: z.number().check(z.int(), z.nonnegative()),
	payload: annotationSchema,
	schemaVersion: z.literal(MUTATION_SCHEMA_VERSION),
	createdAt: isoDateTime,
	/** Set when this change settles a conflict the server kept (see sync.ts). */
	resolvesConflictId: z.optional(z.uuid())
});
export type Mutation = z.infer<typeof mutationSchema>;
