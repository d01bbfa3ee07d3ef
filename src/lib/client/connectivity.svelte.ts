/** Whether the browser believes it has a network; follows `online` / `offline` events. */
class Connectivity {
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

	constructor() {
		if (typeof window === 'undefined') return;
		window.addEventListener('online', () => (this.online = true));
		window.addEventListener('offline', () => (this.online = false));
	}
}

export const connectivity = new Connectivity();
