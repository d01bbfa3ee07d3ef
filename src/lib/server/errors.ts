/**
 * An error meant for the person or device that caused it: an HTTP status, a stable machine code
 * and a message a human can act on. The API answers it as `{ error, message }` (apiErrorSchema);
 * the admin command prints the message.
 */
export class AppError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
		this.name = 'AppError';
	}
}
