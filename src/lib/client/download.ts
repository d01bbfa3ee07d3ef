/** Hands `blob` to the user as a file (the browser's download), e.g. an export. */
export function downloadBlob(fileName: string, blob: Blob): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.click();
	// The download has started by then; the URL only holds the blob in memory.
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Hands `data` to the user as a JSON file (the browser's download), e.g. a backup. */
export function downloadJson(fileName: string, data: unknown): void {
	downloadBlob(fileName, new Blob([JSON.stringify(data, null, 1)], { type: 'application/json' }));
}
