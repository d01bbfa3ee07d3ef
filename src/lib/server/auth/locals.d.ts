import type { AuthenticatedDevice, AuthFailure } from './tokens';

// What hooks.server.ts puts on every request (may move into src/app.d.ts).
declare global {
	namespace App {
		interface Locals {
			/** The enrolled, unrevoked device whose bearer token came with the request. */
			device: AuthenticatedDevice | null;
			/** Why a request that carried a token has no device. */
			authFailure: AuthFailure | null;
		}
	}
}
