import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { AppError } from '../errors';

/**
 * A pull cursor: the database's epoch and the last change-log sequence number the device has.
 * Never a timestamp (clocks and commit order disagree). Opaque to the device: `<epoch>.<seq>`.
 */
export interface Cursor {
	epoch: string;
	seq: number;
}

export function encodeCursor(cursor: Cursor): string {
	return `${cursor.epoch}.${cursor.seq}`;
}

const CURSOR_PATTERN = /^([A-Za-z0-9_-]{8,64})\.(0|[1-9]\d{0,15})$/;

export function decodeCursor(text: string): Cursor {
	const match = CURSOR_PATTERN.exec(text);
	const seq = match ? Number(match[2]) : NaN;
	if (!match || !Number.isSafeInteger(seq)) {
		throw new AppError(
			400,
			'invalid-cursor',
			'The cursor is not one this server gave out; pull without a cursor to start from the beginning.'
		);
	}
	return { epoch: match[1], seq };
}

export async function currentEpoch(db: Kysely<Database>): Promise<string> {
	const row = await db
		.selectFrom('meta')
		.select('value')
		.where('key', '=', 'epoch')
		.executeTakeFirstOrThrow();
	return row.value;
}

/** The last sequence number handed out (committed); no change-log row is above it. */
export async function lastSequence(db: Kysely<Database>): Promise<number> {
	const row = await db
		.selectFrom('counters')
		.select('value')
		.where('name', '=', 'change-seq')
		.executeTakeFirstOrThrow();
	return Number(row.value);
}
