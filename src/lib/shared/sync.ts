// zod/mini: see recommendation.ts.
import * as z from './zod';
import { annotationSchema, mutationSchema } from './annotation';
import { missionCodeSchema } from './recommendation';
import { isStorableText } from './text';

/**
 * The sync protocol between a device and Headquarters, as schemas both ends parse with.
 * The algorithm is written down in `lib/server/sync/push.ts` and in the README.
 */

export const SYNC_LIMITS = {
	/** Mutations in one push. */
	pushBatch: 200,
	/** Bytes of one request body, decompressed. */
	requestBytes: 2 * 1024 * 1024,
	/** Changes in one pull page. */
	pullPage: 500
} as const;

export const ROLES = ['focal-point', 'hq-viewer', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const pushRequestSchema = z.object({
	deviceId: z.uuid(),
	/**
	 * The server epoch the device last saw. When it is not the server's (a backup was restored),
	 * nothing is applied: the answer only tells the new epoch and the device's last settled id,
	 * so the device can queue again what the restore lost before anything newer (push.ts 0).
	 */
	epoch: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
	mutations: z.array(mutationSchema).check(z.minLength(1), z.maxLength(SYNC_LIMITS.pushBatch))
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/** A second version of an entry that the server kept beside the current one, for a person to settle. */
export const conflictSchema = z.object({
	id: z.uuid(),
	annotationId: z.uuidv7(),
	mission: missionCodeSchema,
	/** What the server had when the incoming change arrived (and still has until resolved). */
	server: annotationSchema,
	/** The change that arrived on top of a revision the device had not seen. */
	incoming: annotationSchema,
	deviceId: z.uuid(),
	mutationId: z.number().check(z.int(), z.positive()),
	createdAt: z.iso.datetime({ offset: true }),
	resolvedAt: z.nullable(z.iso.datetime({ offset: true }))
});
export type Conflict = z.infer<typeof conflictSchema>;

export const mutationResultSchema = z.discriminatedUnion('status', [
	z.object({ status: z.literal('applied'), mutationId: z.number(), revision: z.number() }),
	z.object({ status: z.literal('duplicate'), mutationId: z.number() }),
	z.object({
		status: z.literal('conflict'),
		mutationId: z.number(),
		conflict: conflictSchema
	}),
	z.object({ status: z.literal('rejected'), mutationId: z.number(), reason: z.string() })
]);
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.object({
	epoch: z.string(),
	results: z.array(mutationResultSchema),
	/** The highest mutation id of this device the server has settled (applied, kept or refused). */
	lastAppliedMutationId: z.number().check(z.int(), z.nonnegative())
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const changeSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('annotation'), seq: z.number(), annotation: annotationSchema }),
	z.object({ kind: z.literal('conflict'), seq: z.number(), conflict: conflictSchema }),
	/**
	 * A version the pulling device wrote itself, when it asked for those as revisions
	 * (PULL_OWN_REVISIONS): it holds the content already and only learns the server's number.
	 * updatedAt lets it check that the version it holds is this one.
	 */
	z.object({
		kind: z.literal('own'),
		seq: z.number(),
		annotationId: z.uuidv7(),
		revision: z.number().check(z.int(), z.nonnegative()),
		updatedAt: z.iso.datetime({ offset: true })
	})
]);
export type Change = z.infer<typeof changeSchema>;

/**
 * The pull query value (`own=revision`) by which a device asks for its own versions as `own`
 * changes: a focal point's first sync would otherwise download again every entry it just sent.
 * Never honoured on a restart from the beginning (new epoch, restored server): there the device
 * takes every version whole.
 */
export const PULL_OWN_REVISIONS = 'revision';

export const pullResponseSchema = z.object({
	/** Identifies the server database; a new epoch (restored backup) means: pull everything again. */
	epoch: z.string(),
	changes: z.array(changeSchema),
	/** Opaque: pass it back as `cursor` to get what follows. */
	cursor: z.string(),
	hasMore: z.boolean(),
	lastAppliedMutationId: z.number().check(z.int(), z.nonnegative())
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export const enrolRequestSchema = z.object({
	code: z.string().check(z.trim(), z.minLength(4), z.maxLength(32)),
	// Lowercase, as crypto.randomUUID makes it: one device, one spelling (admin revoke lowercases).
	deviceId: z.uuid().check(z.regex(/^[0-9a-f-]+$/, 'A device id is a lowercase UUID.')),
	displayName: z
		.string()
		.check(
			z.trim(),
			z.minLength(1),
			z.maxLength(100),
			z.refine(isStorableText, 'A name cannot contain NUL characters or unpaired surrogates.')
		)
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const enrolResponseSchema = z.object({
	token: z.string(),
	role: roleSchema,
	mission: z.nullable(missionCodeSchema),
	displayName: z.string()
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

/** Every error the API answers has this body. */
export const apiErrorSchema = z.object({ error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof apiErrorSchema>;
