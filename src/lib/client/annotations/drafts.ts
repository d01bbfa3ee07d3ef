import type { AnnotationDraft, FieldMatrixDatabase, StoredDraft } from '../db';
import type { UncheckedInput } from './annotation-store';
import { resilientWrite } from './resilient-write';

/**
 * Autosaved editor state, so what is typed survives a killed tab before it is saved. Drafts are
 * raw (strings as typed, never validated) and are never synced or exported.
 */

export type { AnnotationDraft, StoredDraft };

export function draftKey(recommendationId: string, annotationId?: string): string {
	return `${recommendationId}:${annotationId ?? 'new'}`;
}

export function saveDraft(
	db: FieldMatrixDatabase,
	key: string,
	draft: AnnotationDraft
): Promise<StoredDraft> {
	const stored: StoredDraft = { key, draft, savedAt: new Date().toISOString() };
	return resilientWrite(db, async () => {
		await db.drafts.put(stored);
		return stored;
	});
}

export function loadDraft(db: FieldMatrixDatabase, key: string): Promise<StoredDraft | undefined> {
	return db.drafts.get(key);
}

export function discardDraft(db: FieldMatrixDatabase, key: string): Promise<void> {
	return resilientWrite(db, () => db.drafts.delete(key));
}

/** The drafts of one recommendation (new entry and edits), e.g. to offer "resume editing". */
export function draftsFor(
	db: FieldMatrixDatabase,
	recommendationId: string
): Promise<StoredDraft[]> {
	return db.drafts.where('key').startsWith(`${recommendationId}:`).toArray();
}

/**
 * The draft as the store's input: text trimmed, empty optional fields left out (an empty URL
 * box is "no URL", not an invalid one) and empty evidence rows dropped. Still unchecked.
 */
export function draftToInput(draft: AnnotationDraft): UncheckedInput {
	const evidence = draft.evidence
		.map(({ label, url, symbol }) => ({
			label: label.trim(),
			url: url.trim(),
			symbol: symbol.trim()
		}))
		.filter((item) => item.label || item.url || item.symbol)
		.map(({ label, url, symbol }) => ({
			label,
			...(url ? { url } : {}),
			...(symbol ? { symbol } : {})
		}));
	return {
		status: draft.status,
		note: draft.note,
		evidence,
		progressDate: draft.progressDate.trim()
	};
}

/** The editor's starting state for an existing entry, or an empty new one. */
export function draftFromAnnotation(
	entry?: Pick<UncheckedInput, 'status' | 'note' | 'evidence' | 'progressDate'>
): AnnotationDraft {
	return {
		status: entry?.status ?? '',
		note: entry?.note ?? '',
		evidence: (entry?.evidence ?? []).map(({ label, url, symbol }) => ({
			label,
			url: url ?? '',
			symbol: symbol ?? ''
		})),
		progressDate: entry?.progressDate ?? ''
	};
}
