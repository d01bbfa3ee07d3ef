/** The part of autocannon 9's programmatic API the sync load benchmark uses (it ships no types). */
declare module 'autocannon' {
	import type { EventEmitter } from 'node:events';

	export type Context = Record<string, unknown>;

	export interface RequestDefinition {
		method?: 'GET' | 'POST';
		path?: string;
		headers?: Record<string, string>;
		body?: string | Buffer;
		/** Called before each send; answer the request to send (null: skip it). */
		setupRequest?: (request: RequestDefinition, context: Context) => RequestDefinition | null;
		onResponse?: (
			status: number,
			body: string,
			context: Context,
			headers: Record<string, string>
		) => void;
	}

	export interface Options {
		url: string;
		connections?: number;
		pipelining?: number;
		/** Requests per second per connection. */
		connectionRate?: number;
		/** Requests in total, shared evenly between the connections. */
		amount?: number;
		duration?: number;
		/** Seconds. */
		timeout?: number;
		requests?: RequestDefinition[];
		/** Called with each connection's client when it is created. */
		setupClient?: (client: unknown) => void;
	}

	export interface Histogram {
		average: number;
		mean: number;
		stddev: number;
		min: number;
		max: number;
		p50: number;
		p90: number;
		p99: number;
		totalCount?: number;
	}

	export interface Result {
		latency: Histogram;
		requests: Histogram & { sent: number };
		duration: number;
		errors: number;
		timeouts: number;
		mismatches: number;
		non2xx: number;
		resets: number;
		statusCodeStats: Record<string, { count: number }>;
	}

	export default function autocannon(options: Options): EventEmitter & PromiseLike<Result>;
}
