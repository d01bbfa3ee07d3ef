/**
 * JSON with object keys sorted at every level and no whitespace, so equal data always gives
 * equal text (and an equal hash), whatever order the parser happened to build objects in.
 */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(
					Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
						a < b ? -1 : a > b ? 1 : 0
					)
				)
			: v
	);
}
