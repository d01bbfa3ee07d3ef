/**
 * Text the server keeps in a column as it came (names, notes). Two kinds of character cannot be
 * kept: NUL, which PostgreSQL refuses in text (the request failed with a 500), and an unpaired
 * UTF-16 surrogate, which is not Unicode and which SQLite and PostgreSQL silently replaced with
 * U+FFFD (the name stored was not the name sent). Both are refused with the field's message.
 * Progress entries travel and are stored as JSON, escaped, and need no such rule.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(text: string): boolean {
	return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}
