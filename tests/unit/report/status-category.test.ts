import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../../src/lib/report/report-parser';
import { STATUS_RULES, statusCategory } from '../../../src/lib/report/status-category';
import { STATUS_CATEGORIES, type StatusCategory } from '../../../src/lib/shared/recommendation';

const recs = parseReport(readFileSync('seeds/000_ad453c7417d56308.txt', 'utf8')).recommendations;
const categoryOf = (paragraph: number) => recs.find((r) => r.paragraph === paragraph)!.category;

describe('status categories', () => {
	it('has exactly one rule per category, the default last', () => {
		expect(STATUS_RULES.map((r) => r.category).sort()).toEqual([...STATUS_CATEGORIES].sort());
		expect(STATUS_RULES.at(-1)!.category).toBe('progress-reported');
		for (const rule of STATUS_RULES) expect(rule.meaning).not.toBe('');
	});

	it.each<[StatusCategory, number[]]>([
		// "Implementation is ongoing. Please refer to the status of recommendation 37 …"; ¶54 adds
		// "In addition, …"; ¶158 points without saying "ongoing".
		['ongoing-see-2023', [38, 54, 74, 158]],
		// Alone (¶26, ¶145), as an informal briefing (¶77), closing a substantive answer (¶135,
		// ¶162) or after a 2023 pointer (¶157).
		['briefing-pending', [26, 77, 135, 145, 157, 162]],
		// Closing a substantive answer (¶169) or after taking note (¶159).
		['update-pending', [159, 169]],
		['taken-note', [65, 86, 87, 161]],
		// ¶85 also promises a briefing: addressed to Member States wins.
		['member-states', [85, 132]],
		['no-update-requested', [68]],
		// Substantive text; ¶43 only mentions a 2023 pointer in its last paragraph.
		['progress-reported', [22, 39, 43, 64, 146]]
	])('%s: %j', (category, paragraphs) => {
		for (const p of paragraphs) expect([p, categoryOf(p)]).toEqual([p, category]);
	});

	it('classifies the whole seed', () => {
		const counts = Object.fromEntries(STATUS_CATEGORIES.map((c) => [c, 0]));
		for (const r of recs) counts[r.category]++;
		expect(counts).toEqual({
			'ongoing-see-2023': 22,
			'progress-reported': 80,
			'briefing-pending': 9,
			'update-pending': 2,
			'taken-note': 5,
			'member-states': 2,
			'no-update-requested': 1
		});
		const of = (c: StatusCategory) => recs.filter((r) => r.category === c).map((r) => r.paragraph);
		expect(of('briefing-pending')).toEqual([26, 56, 77, 82, 118, 135, 145, 157, 162]);
		expect(of('taken-note')).toEqual([65, 86, 87, 88, 161]);
		expect(of('ongoing-see-2023')).toEqual([
			38, 40, 42, 46, 50, 54, 57, 63, 74, 76, 80, 99, 101, 104, 105, 117, 128, 131, 137, 140, 152,
			158
		]);
	});

	it('applies the rules in priority order', () => {
		const pointer =
			"Implementation is ongoing. Please refer to the status of recommendation 5 in the Secretariat's online repository of recommendations of the Special Committee for 2023.";
		const briefing =
			'A briefing to the Special Committee will be delivered prior to its next session.';
		const update = 'The requested update will be provided to the Special Committee.';
		expect(statusCategory(['No status update requested from the Secretariat.', briefing])).toBe(
			'no-update-requested'
		);
		expect(statusCategory(['This recommendation is addressed to Member States. ' + briefing])).toBe(
			'member-states'
		);
		expect(statusCategory([pointer, briefing])).toBe('briefing-pending');
		expect(statusCategory(['Missions did things.', update])).toBe('update-pending');
		expect(statusCategory([pointer, update])).toBe('update-pending');
		expect(statusCategory([pointer, 'In addition, missions did things.'])).toBe('ongoing-see-2023');
		expect(statusCategory(['Missions did things.', 'In addition, p' + pointer.slice(28)])).toBe(
			'progress-reported'
		);
		expect(statusCategory(['The Secretariat takes note of the recommendation.'])).toBe(
			'taken-note'
		);
		expect(statusCategory(['Missions did things.'])).toBe('progress-reported');
	});

	it('does not mistake past briefings or plural updates for pending ones', () => {
		expect(
			statusCategory(['The Department provided a briefing on women and peace and security.'])
		).toBe('progress-reported');
		expect(
			statusCategory(['The Service will continue to request quarterly updates from the field.'])
		).toBe('progress-reported');
		expect(statusCategory(['Briefings to the Security Council will be provided monthly.'])).toBe(
			'progress-reported'
		);
	});
});
