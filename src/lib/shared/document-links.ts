import type { DocumentRef } from './recommendation';

/** Where a cited UN document can be read: the Official Document System, by symbol. */
export function documentUrl(ref: DocumentRef): string {
	let symbol = ref.symbol;
	if (ref.kind === 'ga-resolution') symbol = `A/RES/${ref.symbol}`;
	if (ref.kind === 'sc-resolution') symbol = `S/RES/${ref.symbol.replace(/\s+/g, '')}`;
	return `https://docs.un.org/en/${symbol}`;
}
