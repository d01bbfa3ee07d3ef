import { MISSIONS, type MissionCode } from '../shared/missions';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Each mission is recognised by its acronym ("UNMISS") or by its full name, with or without the
 * acronym after it: ¶54 names "the United Nations Military Observer Group in India and
 * Pakistan" and never says UNMOGIP. Place names alone ("Abyei", "Kosovo") do not count.
 */
const PATTERNS = MISSIONS.map((mission) => ({
	code: mission.code as MissionCode,
	acronym: new RegExp(`\\b${mission.code}\\b`),
	name: new RegExp(mission.name.split(' ').map(escape).join('\\s+'))
}));

/** Missions a text names, in order of first mention. */
export function missionsMentioned(text: string): MissionCode[] {
	const hits: Array<{ at: number; code: MissionCode }> = [];
	for (const { code, acronym, name } of PATTERNS) {
		const at = [acronym.exec(text)?.index, name.exec(text)?.index].filter(
			(i): i is number => i !== undefined
		);
		if (at.length > 0) hits.push({ at: Math.min(...at), code });
	}
	return hits.sort((a, b) => a.at - b.at).map((hit) => hit.code);
}
