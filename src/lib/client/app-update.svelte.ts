import type { Workbox } from 'workbox-window';

/**
 * Registers the Workbox service worker and tells the UI when a new version is waiting.
 * A new version never takes over by itself: the user chooses when to reload.
 */
class AppUpdate {
	available = $state(false);
	/** A worker serves this page: the app's code is on the device, reading it costs no network. */
	controlled = $state(false);
	#workbox: Workbox | undefined;

	async register() {
		if (this.#workbox || !('serviceWorker' in navigator)) return;
		// Loaded after the first screen: nothing on it needs the worker.
		const { Workbox } = await import('workbox-window');
		const workbox = new Workbox('/service-worker.js', { scope: '/' });
		workbox.addEventListener('waiting', () => (this.available = true));
		// Once the new worker controls the page, load the code it serves.
		workbox.addEventListener('controlling', (event) => {
			if (event.isUpdate) window.location.reload();
			else this.controlled = true;
		});
		this.controlled = navigator.serviceWorker.controller !== null;
		this.#workbox = workbox;
		void workbox.register();
		// Look for a new deploy when the user comes back to the app.
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible') void this.check();
		});
	}

	async check() {
		try {
			await this.#workbox?.update();
		} catch {
			// Offline or server down: the next check will try again.
		}
	}

	reload() {
		if (!this.#workbox) return window.location.reload();
		this.#workbox.messageSkipWaiting();
	}
}

export const appUpdate = new AppUpdate();
