/**
 * A defect in the report text. The message always starts with the 1-based line number
 * ("line 57: …") so whoever fixes the source knows where to look.
 */
export class ReportParseError extends Error {
	readonly line: number;

	constructor(line: number, message: string) {
		super(`line ${line}: ${message}`);
		this.name = 'ReportParseError';
		this.line = line;
	}
}
