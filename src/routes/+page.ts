// The shell at `/` is prerendered so the service worker can precache it as the navigation
// fallback for every deep link.
export const prerender = true;
