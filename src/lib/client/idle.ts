/**
 * Runs `run` when the browser is next idle, `delayMs` from now (past a start's drawing, say);
 * returns what cancels it. Where requestIdleCallback is missing (Safari), a task stands in.
 */
export function whenIdleAfter(delayMs: number, run: () => void): () => void {
	const idle: Partial<Pick<Window, 'requestIdleCallback' | 'cancelIdleCallback'>> = window;
	let cancelIdle = () => {};
	const timer = setTimeout(() => {
		if (idle.requestIdleCallback) {
			const handle = idle.requestIdleCallback(run);
			cancelIdle = () => idle.cancelIdleCallback?.(handle);
		} else {
			const task = setTimeout(run);
			cancelIdle = () => clearTimeout(task);
		}
	}, delayMs);
	return () => {
		clearTimeout(timer);
		cancelIdle();
	};
}
