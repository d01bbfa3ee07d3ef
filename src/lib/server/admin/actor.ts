import { hostname, userInfo } from 'node:os';

/** Who ran the admin command, for the audit log. */
export function cliActor(): string {
	let user = process.env.USER ?? 'unknown';
	try {
		user = userInfo().username;
	} catch {
		// No passwd entry (some containers): keep $USER.
	}
	return `cli:${user}@${hostname()}`;
}

/** An administrator acting from the web, as their device (the same name enrolment uses). */
export function deviceActor(deviceId: string): string {
	return `device:${deviceId}`;
}
