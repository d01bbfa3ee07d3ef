import { safeParse, type core } from 'zod/mini';
import { AppError } from '../errors';

/**
 * Query parameters through a shared schema. Parameters listed as `repeatable` become arrays
 * (`?a=1&a=2` or `?a=1,2`; empty values dropped, so `?a=` is no filter); any other may appear once. A parameter the schema does not know, or a
 * value it refuses, is a 400 whose message names the parameter (and the value).
 */
export function parseQuery<T extends core.$ZodObject>(
	schema: T,
	params: URLSearchParams,
	options: { repeatable?: readonly string[]; what?: string } = {}
): core.output<T> {
	const what = options.what ?? 'query parameter';
	const repeatable = new Set(options.repeatable ?? []);
	const raw: Record<string, string | string[]> = {};
	for (const name of repeatable) raw[name] = [];
	for (const name of new Set(params.keys())) {
		const values = params.getAll(name);
		if (repeatable.has(name)) {
			raw[name] = values
				.flatMap((value) => value.split(','))
				.map((part) => part.trim())
				.filter((part) => part !== '');
			continue;
		}
		if (values.length > 1) {
			throw new AppError(
				400,
				'invalid-query',
				`Invalid ${what} \`${name}\`: give it at most once.`
			);
		}
		raw[name] = values[0];
	}
	const parsed = safeParse(schema, raw);
	if (parsed.success) return parsed.data;

	const issue = parsed.error.issues[0];
	if (issue.code === 'unrecognized_keys') {
		const known = Object.keys(schema._zod.def.shape);
		throw new AppError(
			400,
			'invalid-query',
			`Unknown ${what} ${issue.keys.map((key) => `\`${key}\``).join(', ')}: ` +
				(known.length
					? `this route takes ${known.map((key) => `\`${key}\``).join(', ')}.`
					: 'this route takes none.')
		);
	}
	const [name, index] = issue.path;
	const field = raw[String(name)];
	const value = Array.isArray(field) && typeof index === 'number' ? field[index] : field;
	const shown = typeof value === 'string' ? ` = "${value.slice(0, 60)}"` : '';
	throw new AppError(
		400,
		'invalid-query',
		`Invalid ${what} \`${String(name)}\`${shown}: ${issue.message}`
	);
}
