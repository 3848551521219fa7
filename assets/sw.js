// 同心建言 service worker: the app shell opens without a network after the first visit.
//
// - Pages (navigations): network first, so a new release is picked up at once; the cached page when
//   offline. Four shells: the members' index.html for every page but /me/… and /topics/…,
//   whose account app (joining, 我的) and topics app (课题; its forms with attachments a fourth) are
//   bundles of their own, each kept in a cache of its own.
// - Hashed assets (name-<hash>.js/.wasm/.css/.svg): cache first; their names change with every release.
// - Other files the page names (the manifest, icons): network first, so a changed one is picked up; the
//   cached copy when offline.
// - GET /api/*: network first, the last answer when offline (e.g. the unit list for the form). An /api/
//   address opened as a page is the server's answer, never the shell. An answer marked
//   `Cache-Control: no-store` (a joined member's own data, /api/member/*) is never kept: the next
//   person on a shared phone must not read it offline.
// - Left to the browser entirely: /staff/ (a desk app, not for offline use, whose pages must not be
//   answered with the members' shell), /api/staff (staff data never enters a cache), every POST (the
//   app's outbox sends submissions), other origins.
//
// Each time index.html is fetched, the assets it names are cached, and only once every one of them is
// does that index.html become the shell and those of older releases go. A release with an asset that
// cannot be fetched leaves the shell already cached, which still works offline.
const SHELL = 'jianyan-shell';
// Each app's page and the cache that keeps it with its assets.
const SHELLS = {
  '/': SHELL, '/me/': 'jianyan-shell-me', '/surveys/': 'jianyan-shell-surveys',
  '/topics/': 'jianyan-shell-topics', '/topics/send/': 'jianyan-shell-topics-send',
};
const API = 'jianyan-api';
// An asset named in a page: quoted (the loader's import) or an unquoted attribute value (the minified
// HTML writes href=/main-….css).
const ASSET = /(?:["']|=)(\/[\w.\-\/]+\.(?:js|wasm|css|svg|png|webmanifest))(?=["'\s>])/g;
// Trunk names built files name-<hash>.ext (the hash a u64 in hex): such a name never changes content.
const HASHED = /-[0-9a-f]{8,16}(?:_bg)?\.\w+$/;

self.addEventListener('install', (event) => {
  event.waitUntil(fetch('/', { cache: 'no-cache' }).then((page) => keepShell(page, '/')).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (/^\/(staff|api\/staff)(\/|$)/.test(path)) return;
  if (path === '/api' || path.startsWith('/api/')) {
    if (request.mode !== 'navigate') event.respondWith(networkFirst(request, API));
  } else if (request.mode === 'navigate') {
    event.respondWith(navigation(event, shellOf(path)));
  } else if (HASHED.test(path)) {
    event.respondWith(cacheFirst(request));
  } else if (path !== '/sw.js') {
    event.respondWith(networkFirst(request, SHELL));
  }
});

/** The app whose page a navigation to `path` opens: its own bundle's for /me/…, /surveys/… and /topics/…, and the
 * topics' forms with attachments (/topics/submit, /topics/<id>/result) theirs. */
function shellOf(path) {
  if (/^\/topics\/(submit|\d+\/result)\/?$/.test(path)) return '/topics/send/';
  for (const app of ['/me', '/surveys', '/topics']) {
    if (path === app || path.startsWith(app + '/')) return app + '/';
  }
  return '/';
}

async function navigation(event, shell) {
  try {
    const response = await fetch(shell, { cache: 'no-cache' });
    // A release that cannot be kept whole is simply not kept; the page itself still opens.
    if (response.ok) event.waitUntil(keepShell(response.clone(), shell).catch(() => {}));
    return response;
  } catch (offline) {
    const cached = await caches.match(shell, { cacheName: SHELLS[shell] });
    if (cached) return cached;
    throw offline;
  }
}

/** Makes `response` (an app's index.html) the `shell`, once every asset it names is in its cache. */
async function keepShell(response, shell) {
  if (!response.ok) return;
  const html = await response.clone().text();
  const assets = [...new Set([...html.matchAll(ASSET)].map((match) => match[1]))];
  const cache = await caches.open(SHELLS[shell]);
  const fetched = await Promise.all(assets.map(async (asset) => {
    if (HASHED.test(asset) && (await cache.match(asset))) return null;
    const answer = await fetch(asset, { cache: 'no-cache' });
    if (!answer.ok) throw new Error(`${asset}: ${answer.status}`);
    return [asset, answer];
  }));
  for (const entry of fetched) {
    if (entry) await cache.put(entry[0], entry[1]);
  }
  await cache.put(shell, response);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path !== shell && !assets.includes(path)) await cache.delete(request);
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

async function networkFirst(request, cacheName) {
  try {
    const response = await fetch(request);
    // Only answers everyone may see: a submission's status carries the member's secret in a header, and
    // a member's own data (sent by cookie) is marked no-store.
    const personal = /no-store/i.test(response.headers.get('Cache-Control') || '');
    if (response.ok && !request.headers.has('Authorization') && !personal) {
      const cache = await caches.open(cacheName);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(request, { cacheName });
    if (cached) return cached;
    throw offline;
  }
}
