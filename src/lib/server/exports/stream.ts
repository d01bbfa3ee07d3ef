import type { ExportFormat } from '../../shared/hq';

/** Chunks this small are joined before they are sent, so a response is not thousands of writes. */
const FLUSH_BYTES = 16 * 1024;

/**
 * Text produced on demand into a byte stream: the next chunk is pulled from the generator only
 * when the client reads (backpressure down to the database pages), and a client that goes away
 * stops the generator. A failure mid-way aborts the response: its status was already sent.
 */
export function textStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
	const iterator = chunks[Symbol.asyncIterator]();
	const encoder = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			let text = '';
			try {
				for (;;) {
					const next = await iterator.next();
					if (next.done) {
						if (text) controller.enqueue(encoder.encode(text));
						controller.close();
						return;
					}
					text += next.value;
					if (text.length >= FLUSH_BYTES) break;
				}
			} catch (error) {
				console.error('FieldMatrix: an export failed while streaming:', error);
				controller.error(error);
				return;
			}
			controller.enqueue(encoder.encode(text));
		},
		async cancel() {
			await iterator.return?.(undefined);
		}
	});
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
	csv: 'text/csv; charset=utf-8; header=present',
	json: 'application/json; charset=utf-8',
	md: 'text/markdown; charset=utf-8',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
};

/** `fieldmatrix-c34-2025-03-01.csv`: the day it was made, so successive exports do not collide. */
export function exportFileName(format: ExportFormat, exportedAt: Date): string {
	return `fieldmatrix-c34-${exportedAt.toISOString().slice(0, 10)}.${format}`;
}

/** A download: attachment with a dated file name, never cached (it is per person and moment). */
export function attachment(
	format: ExportFormat,
	body: ReadableStream<Uint8Array> | Uint8Array,
	exportedAt: Date
): Response {
	return new Response(body as BodyInit, {
		headers: {
			'Content-Type': CONTENT_TYPES[format],
			'Content-Disposition': `attachment; filename="${exportFileName(format, exportedAt)}"`,
			'Cache-Control': 'no-store',
			Vary: 'Authorization'
		}
	});
}
