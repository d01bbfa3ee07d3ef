import type { FieldMatrixDatabase } from '../db';
import { AnnotationLayerError, SaveError, type SaveErrorKind } from './errors';

/**
 * Runs one write (a function that does ONE Dexie transaction) so that storage failures come out
 * as a typed SaveError. IndexedDB transactions are all or nothing, so a failed attempt wrote
 * nothing and retrying it whole is safe.
 *
 * Mobile browsers close the database under a backgrounded tab (and iOS loses its connection to
 * the IndexedDB server): then the database is reopened and the write retried once.
 */
export async function resilientWrite<T>(
	db: FieldMatrixDatabase,
	write: () => Promise<T>
): Promise<T> {
	try {
		return await write();
	} catch (error) {
		const kind = classify(error);
		if (kind !== 'closed') throw kind ? new SaveError(kind, { cause: error }) : error;
	}
	try {
		await reopen(db);
		return await write();
	} catch (error) {
		const kind = classify(error);
		throw kind ? new SaveError(kind, { cause: error }) : error;
	}
}

async function reopen(db: FieldMatrixDatabase): Promise<void> {
	// An open-looking handle whose connection died must be dropped before opening anew.
	if (db.isOpen()) db.close({ disableAutoOpen: false });
	await db.open();
}

/** undefined: not a storage failure (refused input, a bug) — passed on as it is. */
export function classify(error: unknown): SaveErrorKind | undefined {
	if (error instanceof AnnotationLayerError) return undefined;
	if (someCause(error, isQuota)) return 'quota';
	if (someCause(error, isClosed)) return 'closed';
	return 'unknown';
}

function isQuota(error: ErrorLike): boolean {
	// Firefox before 68 used its own name; code 22 is the legacy DOMException code.
	return (
		error.name === 'QuotaExceededError' ||
		error.name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
		(error.name === 'DOMException' && error.code === 22)
	);
}

function isClosed(error: ErrorLike): boolean {
	return (
		error.name === 'DatabaseClosedError' ||
		error.name === 'InvalidStateError' ||
		// Safari/iOS: "Connection to Indexed Database server lost. Refresh the page to try again"
		(error.name === 'UnknownError' && /connection.*lost/i.test(error.message ?? ''))
	);
}

interface ErrorLike {
	name?: unknown;
	message?: string;
	code?: unknown;
	inner?: unknown;
	cause?: unknown;
	failures?: unknown;
}

/**
 * Dexie wraps the browser's error (`inner`, e.g. an AbortError whose cause was the quota), and a
 * bulk operation lists one per failed row (`failures`): look through all of them.
 */
function someCause(error: unknown, test: (e: ErrorLike) => boolean, depth = 0): boolean {
	if (depth > 5 || typeof error !== 'object' || error === null) return false;
	const e = error as ErrorLike;
	if (test(e)) return true;
	const nested: unknown[] = [e.inner, e.cause];
	if (Array.isArray(e.failures)) nested.push(...(e.failures as unknown[]));
	else if (e.failures && typeof e.failures === 'object') nested.push(...Object.values(e.failures));
	return nested.some((inner) => someCause(inner, test, depth + 1));
}
