// Modules that vite.config.ts generates at build time (the first is server-only).
declare module 'virtual:fieldmatrix-dataset' {
	/** Content hash of the dataset (16 hex digits). */
	export const datasetVersion: string;
	/** The dataset as JSON text, validated by `datasetSchema` at build time. */
	export const datasetJson: string;
}

declare module 'virtual:fieldmatrix-dataset-version' {
	/** The version of the dataset this build ships (client-safe: no data). */
	export const datasetVersion: string;
}
