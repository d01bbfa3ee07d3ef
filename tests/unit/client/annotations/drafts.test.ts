import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
	discardDraft,
	draftFromAnnotation,
	draftKey,
	draftsFor,
	draftToInput,
	loadDraft,
	saveDraft,
	type AnnotationDraft
} from '$lib/client/annotations/drafts';
import { createAnnotation } from '$lib/client/annotations/annotation-store';
import {
	DATASET_VERSION,
	useFreshDatabases,
	validInput,
	withProfile
} from '../fixtures/annotation-db';

const databases = useFreshDatabases('drafts');

const typed: AnnotationDraft = {
	status: 'planned',
	note: 'Half typed <b>note',
	evidence: [
		{ label: ' Cable ', url: '', symbol: ' S/2024/292 ' },
		{ label: '', url: '', symbol: '' },
		{ label: '', url: 'not a url', symbol: '' }
	],
	progressDate: '2024-1'
};

describe('drafts', () => {
	it('keeps the raw editor state with savedAt, per key, until discarded', async () => {
		const db = databases.fresh();
		const key = draftKey('a78-19-p38');
		expect(key).toBe('a78-19-p38:new');
		expect(draftKey('a78-19-p38', 'abc')).toBe('a78-19-p38:abc');

		const stored = await saveDraft(db, key, typed);
		expect(await loadDraft(db, key)).toEqual(stored);
		expect(stored.draft).toEqual(typed);
		expect(Date.parse(stored.savedAt)).not.toBeNaN();

		await saveDraft(db, 'a78-19-p38:abc', typed);
		await saveDraft(db, 'a78-19-p380:new', typed);
		expect((await draftsFor(db, 'a78-19-p38')).map((d) => d.key).sort()).toEqual([
			'a78-19-p38:abc',
			'a78-19-p38:new'
		]);

		await discardDraft(db, key);
		expect(await loadDraft(db, key)).toBeUndefined();
	});

	it('turns into store input: trimmed, empty rows and fields left out', () => {
		expect(draftToInput(typed)).toEqual({
			status: 'planned',
			note: 'Half typed <b>note',
			evidence: [
				{ label: 'Cable', symbol: 'S/2024/292' },
				{ label: '', url: 'not a url' }
			],
			progressDate: '2024-1'
		});
	});

	it('round-trips an entry through the editor state', async () => {
		const db = databases.fresh();
		await withProfile(db);
		const entry = await createAnnotation(db, {
			recommendationId: 'a78-19-p38',
			datasetVersion: DATASET_VERSION,
			input: validInput()
		});
		const input = draftToInput(draftFromAnnotation(entry));
		expect(input).toEqual(validInput());
		expect(draftFromAnnotation()).toEqual({ status: '', note: '', evidence: [], progressDate: '' });
	});
});
