import type { Page } from '@playwright/test';
import { admin, expect, policyViolations, test } from './fixtures';
import { apiDevice, enrolHq, enrolledPhone, newEntry, pushChanges } from './phone';

/**
 * The browser side of the app's defences: every response, static files included, carries the
 * security headers (page policies on everything that could be a document); pages run only this origin's scripts and SvelteKit's own hashed or
 * nonce-carrying start-up script; no other site can frame the app. (Every e2e test also fails
 * on any policy violation its pages log: fixtures.ts.)
 */

const BASE_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'x-frame-options': 'DENY'
};

/** The directives of a policy, by name. */
function directives(policy: string): Map<string, string[]> {
	return new Map(
		policy
			.split(';')
			.map((part) => part.trim().split(/\s+/))
			.filter(([name]) => name)
			.map(([name, ...values]) => [name, values])
	);
}

function expectStrictScripts(policy: string, inline: RegExp) {
	const scripts = directives(policy).get('script-src') ?? [];
	expect(scripts).toContain("'self'");
	expect(scripts.some((value) => inline.test(value))).toBe(true);
	for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
		expect(scripts).not.toContain(unsafe);
	}
	expect(directives(policy).get('object-src')).toEqual(["'none'"]);
	expect(directives(policy).get('default-src')).toEqual(["'self'"]);
}

test('every response carries the security headers; pages run only their own scripts', async ({
	page,
	server
}) => {
	await page.goto(server.url);
	const script = await page.evaluate(
		() => document.querySelector<HTMLLinkElement>('link[rel="modulepreload"]')?.href ?? ''
	);
	expect(script).toMatch(/\/_app\/immutable\/.+\.js$/);

	const requests = [
		['GET', '/'],
		['GET', '/settings'],
		['GET', '/recommendations/135'],
		['GET', '/service-worker.js'],
		['GET', '/favicon.svg'],
		['GET', '/api/v1/recommendations'],
		['POST', '/api/v1/sync/push'],
		['GET', '/no-such-page']
	] as const;
	// Scripts, styles and the manifest are never documents: no sniffing, and no page policies.
	for (const path of [new URL(script).pathname, '/manifest.webmanifest']) {
		const headers = (await page.request.get(server.url + path)).headers();
		expect(headers['x-content-type-options'], path).toBe('nosniff');
		expect(headers['content-security-policy'], path).toBeUndefined();
	}
	// Hashed build files are immutable: no validators to pay for on every first-visit request.
	const hashed = (await page.request.get(script)).headers();
	expect(hashed['cache-control']).toContain('immutable');
	expect(hashed['etag']).toBeUndefined();
	expect(hashed['last-modified']).toBeUndefined();
	// Nor the keep-alive lines, which HTTP/1.1 assumes anyway.
	expect(hashed['connection']).toBeUndefined();
	expect(hashed['keep-alive']).toBeUndefined();
	// The shell is revalidated: it keeps them.
	expect((await page.request.get(server.url + '/')).headers()['etag']).toBeTruthy();
	for (const [method, path] of requests) {
		const response = await page.request.fetch(server.url + path, { method });
		expect(response.status(), `${method} ${path}`).toBeLessThan(500);
		const headers = response.headers();
		for (const [name, value] of Object.entries(BASE_HEADERS)) {
			expect(headers[name], `${name} on ${method} ${path}`).toBe(value);
		}
		expect(headers['permissions-policy'], path).toContain('camera=()');
		const policy = directives(headers['content-security-policy'] ?? '');
		expect(policy.get('frame-ancestors'), `frame-ancestors on ${method} ${path}`).toEqual([
			"'none'"
		]);
	}

	// The prerendered shell carries its script policy in a <meta>, with the start-up script's hash.
	const shell = await (await page.request.get(server.url)).text();
	const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(shell)?.[1];
	expect(meta, 'the shell’s <meta> policy').toBeTruthy();
	expectStrictScripts(meta!.replaceAll('&#39;', "'"), /^'sha256-/);

	// A rendered page carries it as a header, with a fresh nonce each time.
	const first = (await page.request.get(`${server.url}/settings`)).headers();
	const second = (await page.request.get(`${server.url}/settings`)).headers();
	expectStrictScripts(first['content-security-policy'], /^'nonce-/);
	expect(first['content-security-policy']).not.toBe(second['content-security-policy']);
});

test('no other site can frame the app', async ({ browser, server }) => {
	// A context of its own: the refusals below are logged as policy violations, on purpose.
	const context = await browser.newContext();
	const page = await context.newPage();
	// Any page, another site's or the app's own, is refused (frame-ancestors 'none').
	await page.setContent(
		`<iframe id="shell" src="${server.url}/"></iframe><iframe id="page" src="${server.url}/settings"></iframe>`
	);
	for (const id of ['shell', 'page']) {
		const frame = await (await page.locator(`#${id}`).elementHandle())!.contentFrame();
		await expect.poll(() => frame!.url()).toMatch(/^chrome-error:/);
	}
	// The frames were refused, not loaded: nothing of the app runs inside them.
	expect(page.frames().some((frame) => frame.url().startsWith(server.url))).toBe(false);
	await context.close();
});

/** Markup that runs code if anything renders it as HTML (or lets it out of an attribute). */
const attack = (where: string) =>
	`"><img src=x onerror=alert('${where}')><script>alert('${where}')</script>`;

test('markup in every user-supplied field stays text: on the phone and at Headquarters', async ({
	browser,
	page,
	server
}) => {
	test.setTimeout(90_000);
	const dialogs: string[] = [];
	const watch = (target: Page) =>
		target.on(
			'dialog',
			(dialog) => void dialog.dismiss().then(() => dialogs.push(dialog.message()))
		);

	// A mission whose name, a device whose display name, and an entry whose note and evidence
	// carry markup; the evidence link also tries to break out of its query string.
	admin(server, 'create-mission', 'XSSM', `Mission ${attack('mission')}`);
	const device = await apiDevice(server, 'XSSM', `Name ${attack('author')}`);
	const note = `Note ${attack('note')}`;
	const label = `Label ${attack('label')}`;
	const results = await pushChanges(server, device, [
		{
			op: 'create',
			entry: newEntry(device, {
				recommendationId: 'a78-19-p135',
				status: 'in-progress',
				note,
				progressDate: '2025-03-01',
				evidence: [{ label, url: `https://example.org/?q="><script>alert('url')</script>` }]
			}),
			baseRevision: 0
		}
	]);
	expect(results.map((result) => result.status)).toEqual(['applied']);

	// A focal point of that mission, whose own name is markup too, reads it on the phone.
	const phoneContext = await browser.newContext();
	const phoneViolations = policyViolations(phoneContext);
	const phone = await enrolledPhone(phoneContext, server, `Phone ${attack('phone')}`, 'XSSM');
	watch(phone);
	await phone.goto(`${server.url}/recommendations/135`);
	await expect(phone.getByText(note, { exact: true })).toBeVisible();
	await expect(phone.getByText(label)).toBeVisible();
	await expectInert(phone);
	await phone.goto(`${server.url}/settings`);
	await expectInert(phone);
	await phoneContext.close();
	expect(phoneViolations).toEqual([]);

	// Headquarters: the matrix (the mission's name heads a column) and the side-by-side page.
	watch(page);
	await enrolHq(page, server);
	await page.goto(`${server.url}/hq`);
	await expect(page.getByTestId('hq-column').filter({ hasText: 'XSSM' })).toBeVisible();
	await expectInert(page);
	await page.goto(`${server.url}/hq/recommendations/135`);
	await expect(page.getByText(note, { exact: true })).toBeVisible();
	await expectInert(page);

	expect(dialogs).toEqual([]);
});

/** No element the payloads would have created, and the only links out are http(s). */
async function expectInert(page: Page) {
	await expect(page.locator('img[src="x"], script:not([src]):has-text("alert")')).toHaveCount(0);
	const hrefs = await page
		.locator('a[href]')
		.evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
	for (const href of hrefs) expect(href).toMatch(/^https?:/);
}
