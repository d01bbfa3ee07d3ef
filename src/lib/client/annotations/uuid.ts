/**
 * UUIDv7 (RFC 9562, section 5.7): 48 bits of Unix milliseconds, then randomness, so ids sort by
 * creation time and need no server to be unique.
 *
 * Monotonic within this page (RFC 9562 section 6.2, method 1): `rand_a` (12 bits) is a counter
 * seeded randomly each new millisecond and incremented within one; if it overflows, or the clock
 * steps back, the timestamp is carried forward instead, so a later id never sorts before an
 * earlier one. `rand_b` (62 bits) is always fresh randomness.
 */

/** A generator with its own monotonic state (tests make their own; the app shares `uuidv7`). */
export function createUuidV7Generator(): (now?: number) => string {
	let lastMs = -1;
	let counter = 0;

	return (now = Date.now()) => {
		const random = crypto.getRandomValues(new Uint8Array(10));
		let ms = now;
		if (ms > lastMs) {
			// The top bit stays clear: room for at least 2048 increments within this millisecond.
			counter = ((random[0] & 0x07) << 8) | random[1];
		} else {
			ms = lastMs;
			counter++;
			if (counter > 0xfff) {
				ms++;
				counter = 0;
			}
		}
		lastMs = ms;

		const bytes = new Uint8Array(16);
		// 48-bit big-endian timestamp; two steps because bitwise operators are 32-bit.
		const high = Math.floor(ms / 2 ** 32);
		const low = ms >>> 0;
		bytes[0] = (high >>> 8) & 0xff;
		bytes[1] = high & 0xff;
		bytes[2] = (low >>> 24) & 0xff;
		bytes[3] = (low >>> 16) & 0xff;
		bytes[4] = (low >>> 8) & 0xff;
		bytes[5] = low & 0xff;
		bytes[6] = 0x70 | (counter >>> 8); // version 7
		bytes[7] = counter & 0xff;
		bytes.set(random.subarray(2), 8);
		bytes[8] = 0x80 | (bytes[8] & 0x3f); // variant 10

		const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
	};
}

/** A new UUIDv7; `now` only for tests, the app always uses the clock. */
export const uuidv7: (now?: number) => string = createUuidV7Generator();

/** The creation time an id carries (Unix milliseconds). */
export function uuidv7Time(id: string): number {
	return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
