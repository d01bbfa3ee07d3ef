import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Who may import what (../shared/STYLE.md): enforced where a rule can see it. */
const boundaries = {
	shared: ['$lib/client/*', '$lib/server/*', '$lib/components/*', '$lib/report/*', 'dexie'],
	report: ['$lib/client/*', '$lib/server/*', '$lib/components/*', 'dexie'],
	server: ['$lib/client/*', '$lib/components/*', 'dexie'],
	client: ['$lib/server/*', '$env/static/private', '$env/dynamic/private'],
	components: ['$lib/server/*', 'dexie', '$lib/client/db', '$lib/client/*.svelte']
};

const restrict = (folder, patterns) => ({
	files: [`src/lib/${folder}/**/*.{ts,svelte}`],
	rules: {
		'no-restricted-imports': [
			'error',
			{
				patterns: [
					...patterns.map((group) => ({
						group: [group],
						message: `src/lib/${folder} may not import this (see STYLE.md).`
					})),
					{ group: ['**/routes/**', '$routes/*'], message: 'lib never imports from routes.' }
				]
			}
		]
	}
});

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node }
		},
		rules: {
			// TypeScript does this better, and knows the globals of each environment.
			'no-undef': 'off'
		}
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: {
					// Outside SvelteKit's generated tsconfig (the worker has its own lib).
					allowDefaultProject: ['playwright.config.ts', 'src/service-worker.ts']
				},
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			// Dexie and the sync loop are all promises: none may be dropped by accident.
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error'
		}
	},
	{
		// Client state is Dexie live-query snapshots, replaced whole, never mutated in place:
		// plain Map/Set/Date are right there, and Svelte's reactive versions would only cost.
		files: ['src/lib/client/**/*.ts', 'src/lib/i18n/**/*.ts'],
		rules: { 'svelte/prefer-svelte-reactivity': 'off' }
	},
	...Object.entries(boundaries).map(([folder, patterns]) => restrict(folder, patterns)),
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'test-results/',
			'playwright-report/',
			'tests/e2e/.tmp/',
			'tests/bench/.tmp/'
		]
	}
);
