import { requireDevice } from '../auth/access';
import type { AuthenticatedDevice, AuthFailure } from '../auth/tokens';
import { AppError } from '../errors';

/**
 * The Headquarters console reads every mission's data at once: HQ viewers and admins only. No or
 * a bad token is a 401 (requireDevice); a focal point's device, which may read its own mission
 * through sync only, gets a 403 before anything is read.
 */
export function requireHqReader(auth: {
	device: AuthenticatedDevice | null;
	authFailure: AuthFailure | null;
}): AuthenticatedDevice {
	const device = requireDevice(auth);
	if (device.role !== 'hq-viewer' && device.role !== 'admin') {
		throw new AppError(
			403,
			'hq-only',
			'The Headquarters console is for HQ viewers and administrators; this device is a mission focal point’s.'
		);
	}
	return device;
}
