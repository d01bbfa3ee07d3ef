import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import expressPouchDB from 'express-pouchdb';
import HttpAdapter from 'pouchdb-adapter-http';
import MemoryAdapter from 'pouchdb-adapter-memory';
import PouchDB from 'pouchdb-core';
import Replication from 'pouchdb-replication';

/** Set in the PouchDB server's own process (see startPouchServer). */
const SERVE_ENV = 'FIELDMATRIX_BENCH_POUCH_PORT';

/** What the PouchDB server wrote as response bodies (after compression). */
export interface ServerTally {
	responses: number;
	bytes: number;
	/** Responses by Content-Encoding ('none' when plain). */
	encodings: Record<string, number>;
}

/**
 * The server process's body: express-pouchdb's minimum mode (the routes replication uses, and
 * its `compression` middleware, default options: above 1 KB, Brotli (quality 4) or gzip as the
 * client asks) on memory-adapter databases. The compressed bytes are counted here, below the
 * compression middleware, and handed to the parent over IPC when it asks.
 */
async function servePouchDB(port: number): Promise<void> {
	const Pouch = PouchDB.plugin(MemoryAdapter).plugin(HttpAdapter).plugin(Replication);
	const handle = expressPouchDB(Pouch.defaults({ adapter: 'memory' }), {
		mode: 'minimumForPouchDB'
	});
	const tally: ServerTally = { responses: 0, bytes: 0, encodings: {} };
	let inFlight = 0;
	const idle: (() => void)[] = [];
	const size = (chunk: unknown) =>
		typeof chunk === 'string' || chunk instanceof Uint8Array ? Buffer.byteLength(chunk) : 0;
	const server = createServer((request, response) => {
		inFlight++;
		// Wrapped before `compression` wraps them: what reaches these is what goes on the wire.
		const write = response.write.bind(response) as (...args: unknown[]) => boolean;
		const end = response.end.bind(response) as (...args: unknown[]) => typeof response;
		response.write = ((chunk: unknown, ...rest: unknown[]) => {
			tally.bytes += size(chunk);
			return write(chunk, ...rest);
		}) as typeof response.write;
		response.end = ((chunk: unknown, ...rest: unknown[]) => {
			tally.bytes += size(chunk);
			return end(chunk, ...rest);
		}) as typeof response.end;
		response.once('close', () => {
			tally.responses++;
			const encoding = String(response.getHeader('content-encoding') ?? 'none');
			tally.encodings[encoding] = (tally.encodings[encoding] ?? 0) + 1;
			if (--inFlight === 0) for (const resolve of idle.splice(0)) resolve();
		});
		handle(request, response);
	});
	process.on('message', (message) => {
		if (message !== 'tally') return;
		const send = () => process.send?.(structuredClone(tally));
		if (inFlight === 0) send();
		else idle.push(send);
	});
	server.listen(port, '127.0.0.1', () => process.send?.('ready'));
}

export interface PouchServer {
	url: string;
	tally(): Promise<ServerTally>;
	stop(): Promise<void>;
}

export async function startPouchServer(port: number): Promise<PouchServer> {
	// This same file, run by tsx (as `npm run bench` runs the benchmarks), in server mode.
	const child: ChildProcess = fork(import.meta.filename, [], {
		execArgv: ['--import', 'tsx'],
		env: { ...process.env, [SERVE_ENV]: String(port) },
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	await new Promise<void>((resolve, reject) => {
		child.once('message', () => resolve());
		child.once('exit', (code) => reject(new Error(`the PouchDB server exited: ${code}`)));
	});
	return {
		url: `http://127.0.0.1:${port}`,
		tally: () =>
			new Promise((resolve) => {
				child.once('message', (message) => resolve(message as ServerTally));
				child.send('tally');
			}),
		stop: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

// Run as the PouchDB server's own process (startPouchServer).
const servePort = process.env[SERVE_ENV];
if (servePort) void servePouchDB(Number(servePort));
