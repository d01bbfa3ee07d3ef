import { AppError } from '../errors';
import type { AuthenticatedDevice, AuthFailure } from './tokens';

/**
 * Who may do what. A focal point reads and writes its own mission only; an HQ viewer reads every
 * mission and writes nothing; an admin reads every mission and administers, but does not record
 * a mission's progress. Anything else is a 403 before any data is touched.
 */

const REVOKED_MESSAGE =
	'This device’s access was revoked by Headquarters. It keeps its local data: export its unsent ' +
	'changes (Settings) and send them to Headquarters, or ask for a new enrolment code.';

export function requireDevice(auth: {
	device: AuthenticatedDevice | null;
	authFailure: AuthFailure | null;
}): AuthenticatedDevice {
	if (auth.device) return auth.device;
	const challenge = { 'WWW-Authenticate': 'Bearer' };
	if (auth.authFailure === 'revoked')
		throw new AppError(401, 'revoked', REVOKED_MESSAGE, challenge);
	if (auth.authFailure === 'invalid-token') {
		throw new AppError(
			401,
			'invalid-token',
			'This device is not enrolled with this server (unknown token). Enrol it with a code from Headquarters.',
			challenge
		);
	}
	throw new AppError(
		401,
		'unauthenticated',
		'This request needs an enrolled device: send its token as `Authorization: Bearer <token>`.',
		challenge
	);
}

/** The mission a device may write to; 403 for any device that may not write. */
export function writableMission(device: AuthenticatedDevice): string {
	if (device.role !== 'focal-point' || !device.mission) {
		throw new AppError(
			403,
			'read-only',
			'This device may read but not record progress: only a mission focal point’s device can.'
		);
	}
	return device.mission;
}

/** The mission a read is limited to, or null for all missions. */
export function readableMission(
	device: AuthenticatedDevice,
	requested: string | null
): string | null {
	if (device.role !== 'focal-point') return requested;
	if (!device.mission || (requested !== null && requested !== device.mission)) {
		throw new AppError(
			403,
			'other-mission',
			`This device belongs to mission ${device.mission ?? '(none)'} and may not read another mission’s data.`
		);
	}
	return device.mission;
}

export function otherMissionError(deviceMission: string, target: string): AppError {
	return new AppError(
		403,
		'other-mission',
		`This device belongs to mission ${deviceMission} and may not change mission ${target}’s data; nothing was saved.`
	);
}
