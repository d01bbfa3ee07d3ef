import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AppOptions {
	/** The build to serve; a private copy when build/ may be rebuilt meanwhile (copyBuild). */
	buildDir?: string;
	/** Default: a fresh SQLite file in the temp directory. */
	databaseUrl?: string;
}

export interface App {
	url: string;
	/** The server process, to read its memory from /proc. */
	pid: number;
	databaseUrl: string;
	stop(): Promise<void>;
}

/** The real app, served as `npm start` serves it (src/cli/serve.js), on a port of its own. */
export async function startApp(port: number, options: AppOptions = {}): Promise<App> {
	// A server left running on this port (a script that died before stop()) would answer the
	// wait below, and every measure would go to it and its own database.
	const taken = await fetch(`http://127.0.0.1:${port}`).then(
		() => true,
		() => false
	);
	if (taken) throw new Error(`port ${port} is taken: stop what listens there first`);
	const databaseUrl =
		options.databaseUrl ??
		`sqlite:${join(tmpdir(), `fieldmatrix-bench-${port}-${Date.now()}.sqlite`)}`;
	// BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops.
	const profile = process.env.BENCH_CPU_PROF
		? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
		: [];
	const child: ChildProcess = spawn(
		process.execPath,
		[...profile, 'src/cli/serve.js', options.buildDir ?? 'build'],
		{
			env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl },
			stdio: ['ignore', 'ignore', 'pipe']
		}
	);
	// Kept for the error below: a server that fails to start says why on stderr.
	let stderr = '';
	child.stderr?.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-4000)));
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error(`the app exited at start: ${stderr}`);
		if (i >= 200) {
			child.kill('SIGKILL');
			throw new Error(`the app did not answer at ${url}: ${stderr}`);
		}
		try {
			if ((await fetch(url)).ok) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		url,
		pid: child.pid ?? -1,
		databaseUrl,
		stop: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}
