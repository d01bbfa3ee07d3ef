/**
 * The peacekeeping missions the report names, by acronym. Used by the report parser (missions
 * mentioned), by the first-run mission picker and, later, by enrolment.
 */
export const MISSIONS = [
	{ code: 'MINURSO', name: 'United Nations Mission for the Referendum in Western Sahara' },
	{
		code: 'MINUSCA',
		name: 'United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic'
	},
	{
		code: 'MINUSMA',
		name: 'United Nations Multidimensional Integrated Stabilization Mission in Mali'
	},
	{
		code: 'MONUSCO',
		name: 'United Nations Organization Stabilization Mission in the Democratic Republic of the Congo'
	},
	{ code: 'UNDOF', name: 'United Nations Disengagement Observer Force' },
	{ code: 'UNFICYP', name: 'United Nations Peacekeeping Force in Cyprus' },
	{ code: 'UNIFIL', name: 'United Nations Interim Force in Lebanon' },
	{ code: 'UNISFA', name: 'United Nations Interim Security Force for Abyei' },
	{ code: 'UNMIK', name: 'United Nations Interim Administration Mission in Kosovo' },
	{ code: 'UNMISS', name: 'United Nations Mission in South Sudan' },
	{ code: 'UNMOGIP', name: 'United Nations Military Observer Group in India and Pakistan' },
	{ code: 'UNTSO', name: 'United Nations Truce Supervision Organization' }
] as const;

export type KnownMissionCode = (typeof MISSIONS)[number]['code'];

/**
 * Any mission's code: the ones above and those Headquarters creates later (letters, 3 to 10),
 * which entries, enrolments and sync must accept as well.
 */
export type MissionCode = string;
export const MISSION_CODE_PATTERN = /^[A-Z]{3,10}$/;

export const MISSION_CODES = MISSIONS.map((m) => m.code) as [MissionCode, ...MissionCode[]];
