import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

/**
 * Hostile and broken input for the fuzz tests (server routes and the device's backup import):
 * strings a person or a tampered client may send, and bodies that are not what they claim.
 */

/** Strings that have broken text handling somewhere: each is tried on every text field. */
export const NASTY_STRINGS = [
	'',
	' ',
	'\u0000',
	'a\u0000b',
	'\uD800',
	'\uDFFF',
	'x\uDBFFy',
	'\uDC00\uD800',
	'\u202Eevil\u202C',
	'\u200B',
	'\u200D\u200C\u2060',
	'\uFEFF',
	'\u0007\u001b[31m',
	'\r\n\t',
	'\u2028\u2029',
	'مهمة حفظ السلام',
	'👩🏽‍⚕️🇺🇳',
	'e\u0301\u0301\u0301',
	'\uFFFD\uFFFE\uFFFF',
	"'; DROP TABLE devices; --",
	"' OR '1'='1",
	'" OR 1=1 --',
	'1; SELECT pg_sleep(10)',
	'%; --',
	'\\',
	'\\x00',
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'javascript:alert(1)',
	'"><svg onload=alert(1)>',
	'=HYPERLINK("http://evil.example")',
	'+cmd|" /C calc"!A0',
	'@SUM(1+1)',
	'${7*7}{{7*7}}',
	'../../../etc/passwd',
	'%00%ff%fe',
	'%zz',
	'__proto__',
	'constructor',
	'toString',
	'null',
	'undefined',
	'NaN',
	'-0',
	'1e309',
	'UNMISS',
	'unmiss',
	'UNMISS ',
	'a78-19-p38',
	'a78-19-p0',
	'00000000-0000-0000-0000-000000000000',
	'ffffffff-ffff-7fff-bfff-ffffffffffff',
	'2025-02-30',
	'9999-12-31T23:59:59.999Z',
	'0000-01-01T00:00:00Z',
	'2025-01-01T00:00:00+25:00'
] as const;

/** Any UTF-16 code unit, lone surrogates included (what `JSON.parse` can hand a server). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** A hostile string: a known nasty one, random UTF-16, random code points, or a mix. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
	{ weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{
		weight: 1,
		arbitrary: fc
			.tuple(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 10 }))
			.map(([a, b]) => a + b)
	}
);

/** A value of any JSON type other than what a field wants, including awkward numbers. */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
	fc.constantFrom(
		null,
		true,
		false,
		0,
		-1,
		-0,
		0.5,
		1e308,
		-1e308,
		Number.MAX_SAFE_INTEGER + 2,
		2 ** 63,
		[],
		{},
		[null],
		{ $ne: null },
		{ __proto__: null, toString: 'x' }
	),
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	hostileString,
	fc.array(hostileString, { maxLength: 3 }),
	fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
);

/** Every path to a leaf or a node of a JSON value (arrays by index). */
export function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
	const out: (string | number)[][] = prefix.length ? [prefix] : [];
	if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
	else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
	}
	return out;
}

/** A deep copy of `value` with the node at `path` replaced (or removed when `remove`). */
export function replaceAt(
	value: unknown,
	path: (string | number)[],
	replacement: unknown,
	remove = false
): unknown {
	const copy = structuredClone(value) as Record<string | number, unknown>;
	let node = copy;
	for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
	const last = path.at(-1)!;
	if (remove) {
		if (Array.isArray(node)) node.splice(Number(last), 1);
		else delete node[last];
	} else {
		Object.defineProperty(node, last, {
			value: replacement,
			enumerable: true,
			writable: true,
			configurable: true
		});
	}
	return copy;
}

/** What the fuzzer sends: a body as bytes or text, and headers. */
export interface HostileBody {
	kind: string;
	body: Uint8Array | string;
	headers: Record<string, string>;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

function text(kind: string, body: string, headers: Record<string, string> = {}): HostileBody {
	return { kind, body, headers: { ...JSON_HEADERS, ...headers } };
}

/** Nesting deeper than any recursive parser or validator should follow. */
const deepNesting: fc.Arbitrary<HostileBody> = fc
	.tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('[', '{"a":'))
	.map(([depth, open]) =>
		text('deep-nesting', open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth))
	);

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, encoded surrogates. */
const invalidUtf8: fc.Arbitrary<HostileBody> = fc
	.tuple(
		fc.constantFrom(
			[0xff],
			[0xc0, 0xaf],
			[0xe0, 0x80, 0xaf],
			[0xed, 0xa0, 0x80],
			[0xf8, 0x88, 0x80, 0x80, 0x80],
			[0x80],
			[0xc3]
		),
		fc.uint8Array({ maxLength: 32 })
	)
	.map(([bad, noise]) => {
		const head = new TextEncoder().encode('{"code":"');
		const tail = new TextEncoder().encode('"}');
		const body = new Uint8Array([...head, ...noise.filter((b) => b < 0x80), ...bad, ...tail]);
		return { kind: 'invalid-utf8', body, headers: { ...JSON_HEADERS } };
	});

const malformedJson = (valid: string): fc.Arbitrary<HostileBody> =>
	fc.oneof(
		fc
			.integer({ min: 0, max: Math.max(0, valid.length - 1) })
			.map((cut) => text('truncated-json', valid.slice(0, cut))),
		fc
			.constantFrom(
				'',
				'{',
				'}',
				'{"a":1,}',
				"{'a':1}",
				'NaN',
				'undefined',
				'{"a":01}',
				'[1,2',
				'{"a":"\\x00"}',
				'{"a":"\\ud800"',
				'\u0000',
				'{}{}'
			)
			.map((body) => text('malformed-json', body)),
		fc.string({ unit: codeUnit, maxLength: 60 }).map((body) => text('malformed-json', body))
	);

/** Claims to be gzip and is not, or is gzip of something broken, or another encoding. */
const badEncoding = (valid: string): fc.Arbitrary<HostileBody> =>
	fc.oneof(
		fc
			.uint8Array({ minLength: 0, maxLength: 64 })
			.map((bytes) => ({ kind: 'bad-gzip', body: bytes, headers: { 'Content-Encoding': 'gzip' } })),
		fc.integer({ min: 1, max: 30 }).map((cut) => {
			const full = gzipSync(valid);
			return {
				kind: 'truncated-gzip',
				body: new Uint8Array(full.subarray(0, Math.max(1, full.length - cut))),
				headers: { 'Content-Encoding': 'gzip' }
			};
		}),
		fc.constant({
			kind: 'gzip-of-invalid-utf8',
			body: new Uint8Array(gzipSync(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))),
			headers: { 'Content-Encoding': 'gzip' }
		}),
		fc
			.constantFrom('br', 'deflate', 'compress', 'gzip, gzip', 'x-unknown', 'identity;q=0')
			.map((encoding) => ({
				kind: 'unsupported-encoding',
				body: valid,
				headers: { 'Content-Encoding': encoding }
			}))
	);

/** Over the byte cap: padded, or declared so by Content-Length, or a gzip bomb. */
const oversized = (capBytes: number): fc.Arbitrary<HostileBody> =>
	fc.oneof(
		fc
			.integer({ min: capBytes + 1, max: capBytes + 4096 })
			.map((size) => text('oversized', `{"pad":"${'x'.repeat(size)}"}`)),
		fc.constant(text('oversized-declared', '{}', { 'Content-Length': String(capBytes + 1) })),
		fc.constant(null).map(() => ({
			kind: 'gzip-bomb',
			body: gzipBomb(capBytes * 4),
			headers: { 'Content-Encoding': 'gzip' }
		}))
	);

const bombs = new Map<number, Uint8Array>();

/** `size` bytes of JSON whitespace, gzipped (a thousandth of that): made once per size. */
function gzipBomb(size: number): Uint8Array {
	let bomb = bombs.get(size);
	if (!bomb) {
		bomb = new Uint8Array(gzipSync(Buffer.alloc(size, 0x20)));
		bombs.set(size, bomb);
	}
	return bomb;
}

export interface BodyOptions {
	/** A well-formed body for the route, to damage. */
	valid: fc.Arbitrary<unknown>;
	/** The route's byte cap. */
	capBytes: number;
	/** Route-specific hostile bodies (sent as JSON). */
	extra?: fc.Arbitrary<unknown>;
}

/** Damages a valid body: one field of the wrong type, missing, hostile text, or huge. */
function damaged(valid: fc.Arbitrary<unknown>): fc.Arbitrary<HostileBody> {
	return valid.chain((body) => {
		const all = paths(body);
		if (all.length === 0) return fc.constant(text('json', JSON.stringify(body)));
		const path = fc.constantFrom(...all);
		return fc.oneof(
			fc
				.tuple(path, wrongTypeValue)
				.map(([p, v]) => text('wrong-type', JSON.stringify(replaceAt(body, p, v)))),
			path.map((p) => text('missing-field', JSON.stringify(replaceAt(body, p, null, true)))),
			fc
				.tuple(path, hostileString)
				.map(([p, v]) => text('hostile-text', JSON.stringify(replaceAt(body, p, v)))),
			fc
				.tuple(path, fc.integer({ min: 1_000, max: 300_000 }))
				.map(([p, n]) => text('huge-string', JSON.stringify(replaceAt(body, p, 'x'.repeat(n))))),
			fc.tuple(path, fc.integer({ min: 500, max: 50_000 })).map(([p, depth]) => {
				const marker = '"__DEEP__"';
				const json = JSON.stringify(replaceAt(body, p, '__DEEP__'));
				return text('deep-field', json.replace(marker, '['.repeat(depth) + ']'.repeat(depth)));
			}),
			fc
				.tuple(
					fc.constantFrom('__proto__', 'constructor', 'prototype'),
					fc.jsonValue({ maxDepth: 2 })
				)
				.map(([key, v]) => {
					const json = JSON.stringify(body);
					const injected =
						json.startsWith('{') && json.length > 2
							? `{${JSON.stringify(key)}:${JSON.stringify(v ?? null)},${json.slice(1)}`
							: json;
					return text('prototype-key', injected);
				})
		);
	});
}

/** Every kind of broken body, around a route's valid one. */
export function hostileBody({ valid, capBytes, extra }: BodyOptions): fc.Arbitrary<HostileBody> {
	const validText = valid.map((v) => JSON.stringify(v));
	return fc.oneof(
		{ weight: 8, arbitrary: damaged(valid) },
		{ weight: 2, arbitrary: validText.chain(malformedJson) },
		{ weight: 1, arbitrary: invalidUtf8 },
		{ weight: 1, arbitrary: deepNesting },
		{ weight: 2, arbitrary: validText.chain(badEncoding) },
		{ weight: 1, arbitrary: oversized(capBytes) },
		{
			weight: 2,
			arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => text('random-json', JSON.stringify(v)))
		},
		...(extra
			? [{ weight: 4, arbitrary: extra.map((v) => text('route-specific', JSON.stringify(v))) }]
			: [])
	);
}

/** A query string: known and unknown parameters with hostile values, repeats, bad escapes. */
export function hostileQuery(
	known: readonly string[],
	/** Values the route's parameters take, and near misses (the fuzzer tries them on any). */
	plausible: readonly string[] = []
): fc.Arbitrary<string> {
	const names = known.length ? known : ['x'];
	const name = fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom(...names) },
		{ weight: 1, arbitrary: hostileString }
	);
	const value = fc.oneof(
		hostileString,
		fc.constantFrom(...names, ...NUMBERS, ...plausible),
		fc.nat().map(String)
	);
	return fc.oneof(
		{
			weight: 1,
			// One parameter given many times (or as a long comma-separated list).
			arbitrary: fc
				.tuple(fc.constantFrom(...names), fc.integer({ min: 2, max: 120 }), fc.boolean())
				.map(([n, count, commas]) => {
					const values = Array.from(
						{ length: count },
						(_, i) => plausible[i % Math.max(1, plausible.length)] ?? String(i)
					);
					return commas
						? new URLSearchParams([[n, values.join(',')]]).toString()
						: new URLSearchParams(values.map((v) => [n, v])).toString();
				})
		},
		{
			weight: 4,
			arbitrary: fc
				.array(fc.tuple(name, value), { maxLength: 4 })
				.map((pairs) => new URLSearchParams(pairs).toString())
		},
		{
			weight: 1,
			arbitrary: fc.constantFrom(
				'%',
				'%zz',
				'a=%ff%fe',
				'&&&=',
				'=',
				`${known[0] ?? 'x'}=%00`,
				`${known[0] ?? 'x'}=${'A'.repeat(100_000)}`,
				`${known[0] ?? 'x'}=1&${known[0] ?? 'x'}=2`,
				`${known[0] ?? 'x'}[]=1`,
				'a'.repeat(50_000)
			)
		}
	);
}

const NUMBERS = [
	'0',
	'-1',
	'1',
	'1.5',
	'1e3',
	'1e400',
	'0x10',
	'+1',
	' 1',
	'9007199254740993',
	'99999999999999999999',
	'Infinity',
	'NaN'
];

/** An Authorization header a client should never send, valid tokens' shape included. */
export const hostileAuthorization: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom(
		'Bearer',
		'Bearer ',
		'bearer fm1_',
		'Basic YWRtaW46YWRtaW4=',
		`Bearer fm1_${'A'.repeat(43)}`,
		`Bearer fm1_${'A'.repeat(42)}=`,
		`Bearer fm1_${'-'.repeat(43)}`,
		`Bearer fm1_${'A'.repeat(43)} extra`,
		`Bearer ${'x'.repeat(8000)}`,
		"Bearer ' OR 1=1 --"
	),
	fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((body) => `Bearer fm1_${body}`),
	fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((s) => `Bearer ${s}`)
);
