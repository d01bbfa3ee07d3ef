import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

/** A running `node build` server: the real app, on a port of its own. */
export interface AppServer {
	url: string;
	port: number;
	/** The server's own database (SQLite file), as `DATABASE_URL`. */
	databaseUrl: string;
	/** The build folder this server serves (a private copy when the test changes it). */
	buildDir: string;
	stop(): Promise<void>;
	/** Kills the process with SIGKILL, as a power cut or the OOM killer would: no clean-up. */
	crash(): Promise<void>;
	start(): Promise<void>;
}

let nextPort = 4100;

/** Ports are unique per worker and per test, so each test gets a fresh origin. */
export function allocatePort(workerIndex: number): number {
	return 20_000 + workerIndex * 1000 + nextPort++ - 4100;
}

async function answers(url: string): Promise<boolean> {
	try {
		await fetch(url, { signal: AbortSignal.timeout(2000) });
		return true;
	} catch {
		return false;
	}
}

async function waitForServer(url: string, child: ChildProcess, log: string[]): Promise<void> {
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited: ${log.join('')}`);
		try {
			const response = await fetch(url);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`server did not start at ${url}: ${log.join('')}`);
}

export function createServer(
	port: number,
	buildDir = 'build',
	env: Record<string, string> = {}
): AppServer {
	let child: ChildProcess | undefined;
	const url = `http://127.0.0.1:${port}`;
	const databaseUrl =
		env.DATABASE_URL ?? `sqlite:${join(tmpdir(), `fieldmatrix-e2e-${port}-${Date.now()}.sqlite`)}`;
	return {
		url,
		port,
		databaseUrl,
		buildDir,
		async start() {
			// A server left over on this port would answer in place of this one, with another database.
			if (await answers(url)) throw new Error(`port ${port} is already in use by another server`);
			const log: string[] = [];
			child = spawn(process.execPath, ['src/cli/serve.js', buildDir], {
				env: {
					...process.env,
					PORT: String(port),
					HOST: '127.0.0.1',
					...env,
					// Each server its own database, like its own origin.
					DATABASE_URL: databaseUrl
				},
				stdio: ['ignore', 'pipe', 'pipe']
			});
			child.stdout?.on('data', (chunk) => log.push(String(chunk)));
			child.stderr?.on('data', (chunk) => log.push(String(chunk)));
			await waitForServer(url, child, log);
		},
		async stop() {
			await signal('SIGTERM');
		},
		async crash() {
			await signal('SIGKILL');
		}
	};

	async function signal(name: NodeJS.Signals) {
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child?.once('exit', resolve));
		child.kill(name);
		await exited;
	}
}

/**
 * A private copy of the build, for tests that "deploy" a changed version. Inside the project,
 * so the server still resolves its packages from node_modules.
 */
export function copyBuild(): { dir: string; remove(): void } {
	mkdirSync('tests/e2e/.tmp', { recursive: true });
	const dir = mkdtempSync(join('tests/e2e/.tmp', 'build-'));
	cpSync('build', dir, { recursive: true });
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What Chromium logs when the Content-Security-Policy refuses something. */
const POLICY_VIOLATION = /Content Security Policy|Refused to (execute|load|apply|connect|frame)/;

/** The policy violations `context`'s pages log from now on (the array fills as they happen). */
export function policyViolations(context: BrowserContext): string[] {
	const violations: string[] = [];
	context.on('console', (message) => {
		if (POLICY_VIOLATION.test(message.text())) violations.push(message.text());
	});
	return violations;
}

export const test = base.extend<{ server: AppServer }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright reads fixture names from this pattern
	server: async ({}, use, testInfo) => {
		const server = createServer(allocatePort(testInfo.workerIndex));
		await server.start();
		await use(server);
		await server.stop();
	},
	// Every test's pages run under the app's real policy: anything it refuses fails the test,
	// so a policy too strict for the app (or code that needs eval) shows up wherever it happens.
	context: async ({ context }, use) => {
		const violations = policyViolations(context);
		await use(context);
		expect(violations, 'Content-Security-Policy violations').toEqual([]);
	}
});

export { expect };

/** Runs `npm run admin -- …` against the server's database; answers what it printed. */
export function admin(server: AppServer, ...args: string[]): string {
	return execFileSync(
		process.execPath,
		['node_modules/tsx/dist/cli.mjs', 'src/cli/admin.ts', ...args],
		{
			env: { ...process.env, DATABASE_URL: server.databaseUrl },
			encoding: 'utf8'
		}
	);
}

/** A fresh one-time enrolment code for a focal point of `mission`. */
export function enrolmentCode(server: AppServer, mission: string): string {
	const printed = admin(server, 'create-code', '--mission', mission, '--role', 'focal-point');
	const code = /Enrolment code: (\S+)/.exec(printed)?.[1];
	if (!code) throw new Error(`no code in: ${printed}`);
	return code;
}

/** Waits until a service worker controls the page (first install claims it). */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (navigator.serviceWorker.controller) return;
		await new Promise<void>((resolve) =>
			navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true })
		);
	});
}

/** The app's code files the page has loaded so far (built, hashed: `/_app/immutable/`). */
export function loadedCode(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		performance
			.getEntriesByType('resource')
			.map((entry) => entry.name)
			.filter((name) => name.includes('/_app/immutable/'))
	);
}

/** Waits until the whole recommendation set is in IndexedDB. */
export async function waitForStoredSet(page: Page): Promise<void> {
	await expect(page.getByTestId('result-count')).toHaveText(
		/^\d+ recommendations?$|^\d+ recommandations?$/
	);
}

/** A first visit that stores the set, then chooses a mission (MONUSCO) on the home page's form. */
export async function setUpMission(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await waitForStoredSet(page);
	await waitForServiceWorker(page);
	await page.getByLabel('Mission', { exact: true }).selectOption('MONUSCO');
	await page.getByLabel('Your name').fill('Amina Diallo');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('heading', { name: 'Progress of MONUSCO' })).toBeVisible();
}
