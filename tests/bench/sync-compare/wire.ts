/** What both bench devices count of the requests they make (in the page). */
export interface WireCount {
	requests: number;
	/** Request bodies as sent. */
	sent: number;
	/** Response bodies as received, compressed (NaN where the server counts them instead). */
	received: number;
	/** From sending each request to its answer's headers: network and server. */
	waitMs: number;
	/** Responses by Content-Encoding ('none' when plain). */
	encodings: Record<string, number>;
}

const utf8 = new TextEncoder();

/** A request body's size as it goes on the wire: the bench's clients send strings or bytes. */
export function requestBodyBytes(body: BodyInit | null | undefined): number {
	if (body === undefined || body === null) return 0;
	if (typeof body === 'string') return utf8.encode(body).byteLength;
	if (body instanceof Uint8Array) return body.byteLength;
	throw new Error(`unexpected request body type: ${Object.prototype.toString.call(body)}`);
}

/**
 * The resource timings of the page's fetches whose URL holds `part`, once there are `expected`
 * of them or a second has passed: an entry is added as its body ends, which may trail the
 * promise its caller awaited. Their encodedBodySize is the response body as received, before
 * inflating.
 */
export async function fetchTimings(
	part: string,
	expected: number
): Promise<PerformanceResourceTiming[]> {
	for (let tries = 0; ; tries++) {
		const entries = performance
			.getEntriesByType('resource')
			.filter(
				(entry): entry is PerformanceResourceTiming =>
					entry instanceof PerformanceResourceTiming &&
					entry.initiatorType === 'fetch' &&
					entry.name.includes(part)
			);
		if (entries.length >= expected || tries === 50) return entries;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
