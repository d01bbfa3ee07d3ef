import { config } from 'zod/mini';

/**
 * zod/mini, set up for where it runs. Modules the browser loads import `z` from here, not from
 * `zod/mini`, so this runs before their first schema is built.
 *
 * Pages run under a Content-Security-Policy without 'unsafe-eval' (svelte.config.js): zod's
 * compiled fast path would be refused there, and even its probe for it is reported as a policy
 * violation. So the browser parses without it; the server keeps it.
 */
if (typeof document !== 'undefined') config({ jitless: true });

export * from 'zod/mini';
