/**
 * Runs `run` when the browser is next idle, `delayMs` from now (past a start's drawing, say);
 * returns what cancels it. Where requestIdleCallback is missing (Safari), a task stands in.
 */
export function whenIdleAfter(delayMs: number, run: () => void): () => void {
	const idle = window.requestIdleCallback ?? setTimeout;
	const cancelIdle = window.cancelIdleCallback ?? clearTimeout;
	let handle = 0;
	const timer = setTimeout(() => (handle = idle(run)), delayMs);
	return () => {
		clearTimeout(timer);
		cancelIdle(handle);
	};
}
