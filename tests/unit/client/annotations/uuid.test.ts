import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUuidV7Generator, uuidv7, uuidv7Time } from '$lib/client/annotations/uuid';

const schema = z.uuidv7();

describe('uuidv7', () => {
	it('makes RFC 9562 version 7 ids that carry the creation time', () => {
		const before = Date.now();
		const id = uuidv7();
		expect(schema.safeParse(id).success).toBe(true);
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(uuidv7Time(id)).toBeGreaterThanOrEqual(before);
		expect(uuidv7Time(id)).toBeLessThanOrEqual(Date.now());
	});

	it('sorts by creation, also many within one millisecond', () => {
		const ids = Array.from({ length: 5000 }, () => uuidv7());
		expect([...ids].sort()).toEqual(ids);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(schema.safeParse(id).success).toBe(true);
	});

	it('stays monotonic when the clock steps back or the counter overflows', () => {
		const uuidv7 = createUuidV7Generator();
		const ms = Date.UTC(2030, 0, 1);
		const ids = [uuidv7(ms + 10)];
		for (let i = 0; i < 5000; i++) ids.push(uuidv7(ms)); // clock went back 10 ms
		ids.push(uuidv7(ms + 1000));
		expect([...ids].sort()).toEqual(ids);
		expect(uuidv7Time(ids[1])).toBeGreaterThanOrEqual(ms + 10);
		expect(uuidv7Time(ids.at(-1)!)).toBe(ms + 1000);
	});

	it('encodes the 48-bit timestamp big-endian', () => {
		const ms = 0x0193_4567_89ab;
		const id = createUuidV7Generator()(ms);
		expect(id.slice(0, 13)).toBe('01934567-89ab');
		expect(uuidv7Time(id)).toBe(ms);
	});
});
