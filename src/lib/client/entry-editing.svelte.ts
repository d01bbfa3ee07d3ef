import type { Annotation } from '$lib/shared/annotation';
import type { AnnotationDraft } from './db';
import { db } from './db';
import {
	createAnnotation,
	deleteAnnotation,
	restoreAnnotation,
	updateAnnotation
} from './annotations/annotation-store';
import {
	discardDraft,
	draftFromAnnotation,
	draftKey,
	draftsFor,
	draftToInput,
	saveDraft
} from './annotations/drafts';
import {
	AnnotationError,
	SaveError,
	ValidationError,
	type ValidationIssue
} from './annotations/errors';

/** What the editor on a recommendation page is doing. */
export interface EditorSession {
	mode: 'new' | 'edit';
	annotationId?: string;
	key: string;
	initial: AnnotationDraft;
	/** Opened from a draft that survived a reload or a killed tab. */
	restored: boolean;
}

export type SaveMessage =
	| { kind: 'saved' }
	| { kind: 'invalid' }
	| { kind: 'quota' | 'closed' }
	| { kind: 'unknown'; reason: string }
	| { kind: 'already-synced' };

const AUTOSAVE_MS = 400;

/** A failed write, as the page words it. */
function failure(error: unknown): SaveMessage {
	if (error instanceof SaveError && error.kind !== 'unknown') return { kind: error.kind };
	if (error instanceof AnnotationError && error.kind === 'already-synced') {
		return { kind: 'already-synced' };
	}
	return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
}

/**
 * The progress editor's controller for one recommendation: opens entries, autosaves the draft
 * as the user types (so a killed tab loses nothing), saves through the annotation store and
 * turns its typed errors into what the page shows. The editor component stays presentational.
 */
export function createEntryEditing(recommendationId: string, datasetVersion: () => string) {
	let session = $state<EditorSession | undefined>(undefined);
	let issues = $state.raw<ValidationIssue[]>([]);
	let saving = $state(false);
	let message = $state<SaveMessage | undefined>(undefined);
	/** The latest draft typed, not yet written to the drafts table. */
	let latest: AnnotationDraft | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let dirty = $state(false);
	/** The draft write under way, so a save never races an autosave into a stale draft. */
	let draftWrite: Promise<void> = Promise.resolve();
	let restoreTried = false;

	function flushDraft(): Promise<void> {
		clearTimeout(timer);
		timer = undefined;
		if (!session || !latest) return draftWrite;
		const { key } = session;
		const draft = latest;
		draftWrite = draftWrite.then(async () => {
			try {
				await saveDraft(db, key, draft);
			} catch {
				// The draft is still in memory; the next keystroke tries again.
			}
		});
		return draftWrite;
	}

	function open(next: EditorSession) {
		session = next;
		issues = [];
		message = undefined;
		latest = undefined;
		dirty = next.restored;
	}

	return {
		get session() {
			return session;
		},
		get issues() {
			return issues;
		},
		get saving() {
			return saving;
		},
		get message() {
			return message;
		},
		/** An open editor with changes not saved as an entry (drafts are kept regardless). */
		get hasUnsavedChanges() {
			return session !== undefined && dirty;
		},

		/** Reopens the editor on a draft left by a reload or a killed tab. */
		async restoreDraft(entries: readonly Annotation[]) {
			// Once per page: a draft is restored when the page opens, not after later saves.
			if (session || restoreTried) return;
			restoreTried = true;
			const drafts = await draftsFor(db, recommendationId);
			const newest = drafts.sort((a, b) => b.savedAt.localeCompare(a.savedAt))[0];
			if (!newest) return;
			const annotationId = newest.key.slice(recommendationId.length + 1);
			const isNew = annotationId === 'new';
			if (!isNew && !entries.some((e) => e.id === annotationId)) return;
			open({
				mode: isNew ? 'new' : 'edit',
				annotationId: isNew ? undefined : annotationId,
				key: newest.key,
				initial: newest.draft,
				restored: true
			});
		},

		openNew(today: string) {
			open({
				mode: 'new',
				key: draftKey(recommendationId),
				initial: { ...draftFromAnnotation(), progressDate: today },
				restored: false
			});
		},

		openEdit(entry: Annotation) {
			open({
				mode: 'edit',
				annotationId: entry.id,
				key: draftKey(recommendationId, entry.id),
				initial: draftFromAnnotation(entry),
				restored: false
			});
		},

		change(draft: AnnotationDraft) {
			latest = draft;
			dirty = true;
			message = undefined;
			clearTimeout(timer);
			timer = setTimeout(() => void flushDraft(), AUTOSAVE_MS);
		},

		/** Writes the draft now (the page is being hidden or left). */
		flush: flushDraft,

		async save(draft: AnnotationDraft) {
			if (!session) return;
			latest = draft;
			saving = true;
			issues = [];
			const { key, annotationId } = session;
			// No autosave may land after the save discards the draft.
			clearTimeout(timer);
			timer = undefined;
			await draftWrite;
			const started = performance.now();
			try {
				const input = draftToInput(draft);
				if (annotationId) await updateAnnotation(db, annotationId, input, { discardDraft: key });
				else
					await createAnnotation(
						db,
						{ recommendationId, datasetVersion: datasetVersion(), input },
						{ discardDraft: key }
					);
				// Only now, after the transaction committed, does the user read "saved".
				performance.measure('fieldmatrix:save-entry', { start: started });
				latest = undefined;
				dirty = false;
				session = undefined;
				message = { kind: 'saved' };
			} catch (error) {
				if (error instanceof ValidationError) {
					issues = error.issues;
					message = { kind: 'invalid' };
				} else {
					// Keep what was typed: write the draft again (it may have failed with the save).
					await flushDraft();
					message = failure(error);
				}
			} finally {
				saving = false;
			}
		},

		async cancel() {
			if (!session) return;
			clearTimeout(timer);
			await draftWrite;
			if (!session) return;
			const { key } = session;
			session = undefined;
			latest = undefined;
			dirty = false;
			issues = [];
			message = undefined;
			await discardDraft(db, key);
		},

		async remove(entry: Annotation) {
			message = undefined;
			try {
				await deleteAnnotation(db, entry.id);
			} catch (error) {
				message = failure(error);
			}
		},

		async undoDelete(entry: Annotation) {
			message = undefined;
			try {
				await restoreAnnotation(db, entry.id);
			} catch (error) {
				message = failure(error);
			}
		}
	};
}

export type EntryEditing = ReturnType<typeof createEntryEditing>;
