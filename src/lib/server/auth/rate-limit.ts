import ipaddr from 'ipaddr.js';
import { AppError } from '../errors';

/**
 * A sliding-window limit on attempts per key (the client IP for enrolment), in memory. Each
 * attempt takes a slot before it runs, so a burst of parallel guesses is limited as well; a
 * successful attempt gives its slot back, so colleagues enrolling from one office (one NAT
 * address) are not locked out by each other. In memory means per process: with several
 * processes the limit is per process, still far below what guessing a code would need.
 */
export interface RateLimitOptions {
	limit: number;
	windowMs: number;
	now?: () => number;
}

export type RateLimitDecision =
	{ allowed: true; release: () => void } | { allowed: false; retryAfterSeconds: number };

const MAX_KEYS = 10_000;

export class RateLimiter {
	readonly #attempts = new Map<string, number[]>();
	readonly #limit: number;
	readonly #windowMs: number;
	readonly #now: () => number;

	constructor({ limit, windowMs, now = Date.now }: RateLimitOptions) {
		this.#limit = limit;
		this.#windowMs = windowMs;
		this.#now = now;
	}

	attempt(key: string): RateLimitDecision {
		const now = this.#now();
		if (this.#attempts.size > MAX_KEYS) this.#sweep(now);
		const times = (this.#attempts.get(key) ?? []).filter((t) => t > now - this.#windowMs);
		if (times.length >= this.#limit) {
			this.#attempts.set(key, times);
			const retryAfterMs = times[0] + this.#windowMs - now;
			return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
		}
		times.push(now);
		this.#attempts.set(key, times);
		return {
			allowed: true,
			release: () => {
				const current = this.#attempts.get(key);
				const index = current?.indexOf(now) ?? -1;
				if (current && index >= 0) current.splice(index, 1);
			}
		};
	}

	#sweep(now: number) {
		for (const [key, times] of this.#attempts) {
			if (times.every((t) => t <= now - this.#windowMs)) this.#attempts.delete(key);
		}
	}
}

/**
 * The key a client address is limited under. IPv6: its /64 network, since one subscriber gets a
 * whole /64 and could otherwise take a new address for every guess. IPv4 (also IPv4-mapped
 * IPv6): the address.
 */
export function addressKey(address: string): string {
	const plain = address.replace(/^\[|\]$/g, '');
	if (!ipaddr.isValid(plain)) return plain;
	const parsed = ipaddr.parse(plain);
	if (parsed.kind() === 'ipv4') return parsed.toString();
	const v6 = parsed as ipaddr.IPv6;
	if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
	return `${new ipaddr.IPv6([...v6.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}

/** Enrolment: 10 failed attempts per client address (IPv6: per /64) per 10 minutes. */
export function enrolmentRateLimiter(): RateLimiter {
	return new RateLimiter({ limit: 10, windowMs: 10 * 60 * 1000 });
}

/**
 * Runs `attempt` if `key` has a slot left (429 with Retry-After if not); the slot is given back
 * when the attempt succeeds, kept when it fails.
 */
export async function limited<T>(
	limiter: RateLimiter,
	key: string,
	attempt: () => Promise<T>
): Promise<T> {
	const decision = limiter.attempt(key);
	if (!decision.allowed) {
		const minutes = Math.ceil(decision.retryAfterSeconds / 60);
		throw new AppError(
			429,
			'rate-limited',
			`Too many enrolment attempts from this network; try again in ${minutes} minute(s).`,
			{ 'Retry-After': String(decision.retryAfterSeconds) }
		);
	}
	const result = await attempt();
	decision.release();
	return result;
}
