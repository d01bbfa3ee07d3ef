import type { core } from 'zod/mini';

/**
 * The errors the annotation layer throws, typed so the UI can say what happened (in the user's
 * language) without parsing messages. Each carries a stable `kind` or `code`.
 */

/** Base of every error this layer throws on purpose (as opposed to storage or bugs). */
export class AnnotationLayerError extends Error {}

/** The codes the shared schemas put on their issues; anything else maps to the closest one. */
export const VALIDATION_CODES = [
	'required',
	'too-long',
	'too-many',
	'invalid-url',
	'invalid-symbol',
	'invalid-date',
	'future-date',
	'invalid'
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

export interface ValidationIssue {
	/** Where in the input, e.g. `['evidence', 2, 'url']`. */
	path: PropertyKey[];
	code: ValidationCode;
	/** zod's own text, for logs. */
	message: string;
}

/** The input was refused; nothing was written. */
export class ValidationError extends AnnotationLayerError {
	override readonly name = 'ValidationError';
	constructor(readonly issues: ValidationIssue[]) {
		const first = issues[0];
		super(
			first ? `invalid ${first.path.map(String).join('.') || 'input'}: ${first.code}` : 'invalid'
		);
	}

	static fromZod(error: core.$ZodError): ValidationError {
		return new ValidationError(
			error.issues.map((issue) => ({
				path: issue.path,
				code: validationCode(issue),
				message: issue.message
			}))
		);
	}
}

function validationCode(issue: core.$ZodIssue): ValidationCode {
	if ((VALIDATION_CODES as readonly string[]).includes(issue.message)) {
		return issue.message as ValidationCode;
	}
	// Checks the schemas declare without their own code (e.g. the label's maximum length).
	if (issue.code === 'too_big') return issue.origin === 'array' ? 'too-many' : 'too-long';
	if (issue.code === 'too_small') return 'required';
	return 'invalid';
}

export type AnnotationErrorKind =
	/** No profile on this device yet: the first-run picker (or enrolment) must come first. */
	| 'no-profile'
	| 'not-found'
	/** A tombstone cannot be edited or deleted again; restore it first. */
	| 'deleted'
	/** The entry belongs to another mission than the profile's. */
	| 'other-mission'
	/** The deletion already left the device: it can no longer be undone here. */
	| 'already-synced';

/** A write refused for what it asks, not for how storage behaved; nothing was written. */
export class AnnotationError extends AnnotationLayerError {
	override readonly name = 'AnnotationError';
	constructor(
		readonly kind: AnnotationErrorKind,
		message: string
	) {
		super(message);
	}
}

export type SaveErrorKind = 'quota' | 'closed' | 'unknown';

/**
 * Storage failed: the write did not happen (a transaction is all or nothing), and what was
 * saved before is untouched. 'quota': the device is out of space; 'closed': the browser closed
 * the database and reopening did not help (a reload usually does).
 */
export class SaveError extends AnnotationLayerError {
	override readonly name = 'SaveError';
	constructor(
		readonly kind: SaveErrorKind,
		options?: { cause?: unknown }
	) {
		super(`not saved (${kind})`, options);
	}
}

/** Changing who writes while the outbox still holds someone else's unsent changes. */
export class ProfileChangeError extends AnnotationLayerError {
	override readonly name = 'ProfileChangeError';
	constructor(readonly pending: number) {
		super(
			`${pending} change(s) not yet sent were made under the current profile: ` +
				'export a backup, or confirm with allowPendingChanges'
		);
	}
}

export type BackupErrorKind = 'too-large' | 'not-json' | 'invalid';

/** A backup file refused before anything was written. */
export class BackupError extends AnnotationLayerError {
	override readonly name = 'BackupError';
	constructor(
		readonly kind: BackupErrorKind,
		message: string,
		/** The first bad place in the file, e.g. `annotations[3].note`. */
		readonly path?: string
	) {
		super(message);
	}
}
