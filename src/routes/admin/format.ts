import type { AdminFailure } from '$lib/client/admin-api';
import type { AdminDevice } from '$lib/shared/admin';
import type { Role } from '$lib/shared/sync';
import { t, type MessageKey } from '$lib/i18n/locale.svelte';

/** How the admin page words things; reactive to the language where it reads `t` or `locale`. */

export function roleLabel(role: Role): string {
	return t(`admin.role.${role}`);
}

export function missionLabel(mission: string | null): string {
	return mission ?? t('admin.everyMission');
}

const ACTIONS = new Set([
	'mission.create',
	'mission.rename',
	'mission.retire',
	'code.create',
	'code.revoke',
	'device.enrol',
	'device.re-enrol',
	'device.enrol-retry',
	'device.revoke',
	'epoch.new'
]);

/** A known action in words; another (from a newer server) as recorded. */
export function actionLabel(action: string): string {
	return ACTIONS.has(action) ? t(`admin.action.${action}` as MessageKey) : action;
}

/** `device:<id>` as the device's name when it is listed; `cli:<user>@<host>` as the command. */
export function actorLabel(actor: string, devices: readonly AdminDevice[] | undefined): string {
	if (actor.startsWith('device:')) {
		const id = actor.slice('device:'.length);
		const device = devices?.find((d) => d.id === id);
		return device ? t('admin.audit.device', { name: device.displayName }) : actor;
	}
	if (actor.startsWith('cli:')) return t('admin.audit.cli', { user: actor.slice('cli:'.length) });
	return actor;
}

export function detailsText(details: Record<string, unknown>): string {
	return Object.entries(details)
		.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
		.join(', ');
}

/** A failed call in words: the fixed cases translated, the rest in the server's own message. */
export function failureText(failure: AdminFailure): string {
	switch (failure.kind) {
		case 'not-admin':
			return t('admin.notAdmin');
		case 'revoked':
			return t('admin.revoked');
		case 'not-enrolled':
			return t('admin.notEnrolled');
		case 'offline':
			return t('admin.offline');
		case 'refused':
			return t('admin.refused', { reason: failure.message });
	}
}
