// zod/mini: see recommendation.ts.
import * as z from './zod';
import { MISSION_CODE_PATTERN } from './missions';
import { missionCodeSchema } from './recommendation';
import { ROLES, roleSchema } from './sync';
import { isStorableText } from './text';

/**
 * Administration from the web (`/api/v1/admin/...`, the /admin page): what the admin command
 * does, as requests and answers both ends parse. The rules and messages match the ones
 * lib/server/admin/*.ts applies for the command line (tests/server/admin-api.test.ts checks
 * that they agree), so a request refused here would be refused there too.
 */

export const ADMIN_LIMITS = {
	/** Bytes of one request body: a mission or a code is a few hundred. */
	requestBytes: 16 * 1024,
	missionName: 200,
	note: 200,
	/** How long an enrolment code stays valid, in whole days (as `create-code --expires-days`). */
	codeDays: { min: 1, max: 90, default: 7 },
	/** Audit entries per page. */
	auditPage: 200,
	auditDefault: 50
} as const;

const MESSAGES = {
	missionCode: 'A mission code is 3 to 10 capital letters, e.g. UNMISS.',
	missionName: `A mission needs a name of at most ${ADMIN_LIMITS.missionName} characters.`,
	text: 'Names and notes cannot contain NUL characters or unpaired surrogates.',
	role: 'The role is focal-point, hq-viewer or admin.',
	expiry: `A code lasts ${ADMIN_LIMITS.codeDays.min} to ${ADMIN_LIMITS.codeDays.max} whole days.`,
	note: `The note is at most ${ADMIN_LIMITS.note} characters.`,
	missionRequired: 'A focal point’s code needs a mission.'
} as const;

const timestamp = z.string();

// Missions

export const adminMissionSchema = z.object({
	code: missionCodeSchema,
	name: z.string(),
	createdAt: timestamp,
	retiredAt: z.nullable(timestamp)
});
export type AdminMission = z.infer<typeof adminMissionSchema>;

const missionNameSchema = z
	.string(MESSAGES.missionName)
	.check(
		z.trim(),
		z.minLength(1, MESSAGES.missionName),
		z.maxLength(ADMIN_LIMITS.missionName, MESSAGES.missionName),
		z.refine(isStorableText, MESSAGES.text)
	);

export const createMissionRequestSchema = z.object({
	code: z
		.string(MESSAGES.missionCode)
		.check(z.trim(), z.regex(MISSION_CODE_PATTERN, MESSAGES.missionCode)),
	name: missionNameSchema
});
export type CreateMissionRequest = z.infer<typeof createMissionRequestSchema>;

/** Rename, retire, or both at once. A retired mission is not reopened (the command cannot either). */
export const updateMissionRequestSchema = z
	.object({
		name: z.optional(missionNameSchema),
		retired: z.optional(
			z.literal(true, 'A retired mission cannot be reopened: `retired` can only be true.')
		)
	})
	.check(
		z.refine((body) => body.name !== undefined || body.retired !== undefined, {
			error: 'Send a new `name`, or `retired: true`, or both.'
		})
	);
export type UpdateMissionRequest = z.infer<typeof updateMissionRequestSchema>;

export const missionListResponseSchema = z.object({ missions: z.array(adminMissionSchema) });
export type MissionListResponse = z.infer<typeof missionListResponseSchema>;
export const missionResponseSchema = z.object({ mission: adminMissionSchema });
export type MissionResponse = z.infer<typeof missionResponseSchema>;

// Enrolment codes

export const CODE_STATUSES = ['active', 'used', 'expired', 'revoked'] as const;
export const codeStatusSchema = z.enum(CODE_STATUSES);
export type CodeStatus = z.infer<typeof codeStatusSchema>;

/** A code as listed: everything but the code itself, which is never stored. */
export const adminCodeSchema = z.object({
	id: z.string(),
	mission: z.nullable(z.string()),
	role: roleSchema,
	note: z.nullable(z.string()),
	createdAt: timestamp,
	createdBy: z.string(),
	expiresAt: timestamp,
	usedAt: z.nullable(timestamp),
	usedByDevice: z.nullable(z.string()),
	revokedAt: z.nullable(timestamp),
	status: codeStatusSchema
});
export type AdminCode = z.infer<typeof adminCodeSchema>;

export const createCodeRequestSchema = z
	.object({
		role: z.enum(ROLES, MESSAGES.role),
		/** Null or absent: every mission (HQ viewer, administrator). */
		mission: z.optional(
			z.nullable(
				z.string(MESSAGES.missionCode).check(z.regex(MISSION_CODE_PATTERN, MESSAGES.missionCode))
			)
		),
		expiresDays: z.optional(
			z
				.number(MESSAGES.expiry)
				.check(
					z.int(MESSAGES.expiry),
					z.gte(ADMIN_LIMITS.codeDays.min, MESSAGES.expiry),
					z.lte(ADMIN_LIMITS.codeDays.max, MESSAGES.expiry)
				)
		),
		note: z.optional(
			z.nullable(
				z
					.string(MESSAGES.note)
					.check(
						z.trim(),
						z.maxLength(ADMIN_LIMITS.note, MESSAGES.note),
						z.refine(isStorableText, MESSAGES.text)
					)
			)
		)
	})
	.check(
		z.refine((body) => body.role !== 'focal-point' || !!body.mission, {
			error: MESSAGES.missionRequired,
			path: ['mission']
		})
	);
export type CreateCodeRequest = z.infer<typeof createCodeRequestSchema>;

export const codeListResponseSchema = z.object({ codes: z.array(adminCodeSchema) });
export type CodeListResponse = z.infer<typeof codeListResponseSchema>;

/** The answer to creating a code: the only time the code itself is ever shown. */
export const createdCodeResponseSchema = z.object({
	id: z.string(),
	code: z.string(),
	mission: z.nullable(z.string()),
	role: roleSchema,
	expiresAt: timestamp
});
export type CreatedCodeResponse = z.infer<typeof createdCodeResponseSchema>;

export const revokeCodeResponseSchema = z.object({ id: z.string() });
export type RevokeCodeResponse = z.infer<typeof revokeCodeResponseSchema>;

// Devices

export const adminDeviceSchema = z.object({
	id: z.string(),
	mission: z.nullable(z.string()),
	role: roleSchema,
	displayName: z.string(),
	enrolledAt: timestamp,
	lastSeenAt: z.nullable(timestamp),
	revokedAt: z.nullable(timestamp),
	/** Changes waiting on the device when it last said (sync status), if it ever did. */
	pendingCount: z.nullable(z.number()),
	pendingReportedAt: z.nullable(timestamp),
	lastAppliedMutationId: z.number()
});
export type AdminDevice = z.infer<typeof adminDeviceSchema>;

export const deviceListResponseSchema = z.object({ devices: z.array(adminDeviceSchema) });
export type DeviceListResponse = z.infer<typeof deviceListResponseSchema>;

export const revokeDeviceResponseSchema = z.object({
	id: z.string(),
	alreadyRevoked: z.boolean()
});
export type RevokeDeviceResponse = z.infer<typeof revokeDeviceResponseSchema>;

// Audit log

export const auditEntrySchema = z.object({
	id: z.string(),
	at: timestamp,
	/** `cli:<user>@<host>` or `device:<id>`. */
	actor: z.string(),
	action: z.string(),
	subject: z.nullable(z.string()),
	details: z.record(z.string(), z.unknown())
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Newest first; pass `nextBefore` back as `?before=` for the page after (null: no more). */
export const auditPageSchema = z.object({
	entries: z.array(auditEntrySchema),
	nextBefore: z.nullable(z.string())
});
export type AuditPage = z.infer<typeof auditPageSchema>;
