// 同心建言 service worker: the app shell opens without a network after the first visit.
//
// - Pages (navigations): network first, so a new release is picked up at once; the cached index.html
//   when offline.
// - Hashed assets (name-<hash>.js/.wasm/.css): cache first; their names change with every release.
// - GET /api/*: network first, the last answer when offline (e.g. the unit list for the form).
// - Anything else, and every POST, is left to the browser: submissions go through the app's outbox.
// - The staff's app under /staff/ is left to the browser entirely: it is a desk app, not for offline use,
//   and its pages must not be answered with the members' shell.
//
// Each time index.html is fetched, the assets it names are cached and those of older releases dropped,
// so a new release replaces the cached one without a version number to bump here.
const SHELL = 'jianyan-shell';
const API = 'jianyan-api';
const ASSET = /["'](\/[\w.\-\/]+\.(?:js|wasm|css|svg|png|webmanifest))["']/g;

self.addEventListener('install', (event) => {
  event.waitUntil(fetch('/', { cache: 'no-cache' }).then(keepShell).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/staff' || url.pathname.startsWith('/staff/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(event));
  } else if (url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname !== '/sw.js') {
    event.respondWith(cacheFirst(request));
  }
});

async function navigation(event) {
  try {
    const response = await fetch('/', { cache: 'no-cache' });
    if (response.ok) event.waitUntil(keepShell(response.clone()));
    return response;
  } catch (offline) {
    const cached = await caches.match('/', { cacheName: SHELL });
    if (cached) return cached;
    throw offline;
  }
}

async function keepShell(response) {
  if (!response.ok) return;
  const html = await response.clone().text();
  const assets = new Set([...html.matchAll(ASSET)].map((match) => match[1]));
  const cache = await caches.open(SHELL);
  await cache.put('/', response);
  await Promise.all([...assets].map(async (asset) => {
    if (await cache.match(asset)) return;
    const fetched = await fetch(asset);
    if (fetched.ok) await cache.put(asset, fetched);
  }));
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path !== '/' && !assets.has(path)) await cache.delete(request);
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    // Only answers everyone may see: a submission's status carries the member's secret in a header.
    if (response.ok && !request.headers.has('Authorization')) {
      const cache = await caches.open(API);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(request, { cacheName: API });
    if (cached) return cached;
    throw offline;
  }
}
