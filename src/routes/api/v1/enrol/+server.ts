import { enrolRequestSchema } from '$lib/shared/sync';
import { enrol } from '$lib/server/auth/enrolment';
import { addressKey, limited } from '$lib/server/auth/rate-limit';
import { serverContext } from '$lib/server/context';
import { api, json, parseWith, readJson } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** Redeems a one-time code: {code, deviceId, displayName} → {token, role, mission, displayName}. */
export const POST: RequestHandler = ({ request, getClientAddress }) =>
	api(async () => {
		const { db, enrolLimiter } = serverContext();
		const result = await limited(enrolLimiter, clientAddress(getClientAddress), async () =>
			enrol(db, parseWith(enrolRequestSchema, await readJson(request)))
		);
		return json(request, result);
	});

function clientAddress(getClientAddress: () => string): string {
	try {
		return addressKey(getClientAddress());
	} catch {
		return 'unknown';
	}
}
