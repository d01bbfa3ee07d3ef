// The app renders on the device from IndexedDB: the server only ships the shell, which the
// service worker serves for every route when offline.
export const ssr = false;
