export interface StorageStatus {
	/** undefined when the browser has no StorageManager.persisted(). */
	persisted: boolean | undefined;
	usage: number | undefined;
	quota: number | undefined;
}

export async function readStorageStatus(): Promise<StorageStatus> {
	const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
	const [persisted, estimate] = await Promise.all([
		storage?.persisted ? storage.persisted() : Promise.resolve(undefined),
		storage?.estimate ? storage.estimate() : Promise.resolve(undefined)
	]);
	return { persisted, usage: estimate?.usage, quota: estimate?.quota };
}

/** Asks the browser not to evict this origin's data; answers whether it agreed. */
export async function requestPersistentStorage(): Promise<boolean | undefined> {
	const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
	if (!storage?.persist) return undefined;
	if (await storage.persisted()) return true;
	return storage.persist();
}

export function formatBytes(bytes: number, locale: string): string {
	const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: units[unit],
		unitDisplay: 'short',
		maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0
	}).format(value);
}
