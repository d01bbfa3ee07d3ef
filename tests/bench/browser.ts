import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';

/** The real app (`node build`) on a port of its own, and Debian's Chromium where present. */
export async function startApp(port: number): Promise<{ url: string; stop(): Promise<void> }> {
	const child: ChildProcess = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_URL: `sqlite:${join(tmpdir(), `fieldmatrix-bench-${port}-${Date.now()}.sqlite`)}`
		},
		stdio: 'ignore'
	});
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 200; i++) {
		try {
			if ((await fetch(url)).ok) break;
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
	return {
		url,
		stop: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
