import type { StatusCategory } from '../shared/recommendation';
import { findRefs2023 } from './references';

/** Rough sentence split: good enough for the Secretariat's plain declarative prose. */
function sentences(paragraphs: readonly string[]): string[] {
	return paragraphs.flatMap((p) => p.split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?\p{Lu})/u));
}

/** A briefing to the Special Committee is promised (future tense, singular "briefing"). */
const BRIEFING_PROMISED =
	/\bbriefing\b.*\bwill be (?:provided|delivered|given|held|shared)\b|\bwill be (?:provided|delivered|given|held|shared)\b.*\bbriefing\b/i;
/** An update to the Special Committee is promised. */
const UPDATE_PROMISED =
	/\bupdate\b.*\bwill be (?:provided|delivered|given)\b|\bwill (?:provide|deliver|give) an? (?:further )?update\b/;

export interface StatusRule {
	category: StatusCategory;
	/** What the Secretariat's wording says, for documentation and the UI legend. */
	meaning: string;
	applies(paragraphs: readonly string[]): boolean;
}

/**
 * The rules, in priority order: the first that applies gives the category. The "lead" is the
 * first paragraph, where the Secretariat states its position; later paragraphs add detail.
 * Promises of a briefing or an update count wherever they appear, because the Secretariat
 * often closes a substantive answer with one (¶135, ¶162, ¶169) and that pending deliverable
 * is what the reader has to follow up on.
 */
export const STATUS_RULES: readonly StatusRule[] = [
	{
		// ¶68: "No status update requested from the Secretariat."
		category: 'no-update-requested',
		meaning: 'The Special Committee did not ask the Secretariat for a status update.',
		applies: ([lead]) => /\bno status update (?:was )?requested\b/i.test(lead)
	},
	{
		// ¶132: "This recommendation is addressed to Member States." Comes before the pending
		// deliverables: ¶85 also promises a briefing, but it is not for the Secretariat to act.
		category: 'member-states',
		meaning: 'The recommendation is addressed to Member States, not to the Secretariat.',
		applies: ([lead]) => /\baddressed to Member States\b/.test(lead)
	},
	{
		// ¶26 "The requested briefing will be provided to the Special Committee.", ¶77 "… will be
		// shared through an informal briefing.", and at the end of ¶135, ¶157 and ¶162.
		category: 'briefing-pending',
		meaning: 'A briefing to the Special Committee is yet to be provided.',
		applies: (paragraphs) => sentences(paragraphs).some((s) => BRIEFING_PROMISED.test(s))
	},
	{
		// ¶169 "The requested update will be provided to the Special Committee." and ¶159 "The
		// Secretariat will provide an update to the Special Committee …".
		category: 'update-pending',
		meaning: 'An update to the Special Committee is yet to be provided.',
		applies: (paragraphs) => sentences(paragraphs).some((s) => UPDATE_PROMISED.test(s))
	},
	{
		// ¶38 "Implementation is ongoing. Please refer to the status of recommendation 37 in the
		// … online repository … for 2023", possibly followed by "In addition, …". A pointer that
		// only comes later (¶43) supplements a substantive answer and does not count.
		category: 'ongoing-see-2023',
		meaning:
			'No change since 2023: implementation is ongoing, see the 2023 online repository entry.',
		applies: ([lead]) => findRefs2023(lead).length > 0
	},
	{
		// ¶65 "The Secretariat takes note of the Special Committee's recommendation."
		category: 'taken-note',
		meaning: 'The Secretariat takes note of the recommendation.',
		applies: ([lead]) => /\b(?:takes|has taken|took) note of\b/.test(lead)
	},
	{
		// The default: the Secretariat reports what it has done (¶22, ¶39, …).
		category: 'progress-reported',
		meaning: 'The Secretariat reports action taken or under way.',
		applies: () => true
	}
];

/** Category of a status text, given as its clean paragraphs. */
export function statusCategory(paragraphs: readonly string[]): StatusCategory {
	return STATUS_RULES.find((rule) => rule.applies(paragraphs))!.category;
}
