import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A release of its own: a copy of dist/ served by a second server, so this test can publish a "new
// release" (an asset renamed, as a rebuild renames it) without touching what other tests load.
const root = path.resolve(__dirname, '../..');
let base = '';
let server: ChildProcess;
let dist: string;

test.beforeAll(async ({}, workerInfo) => {
  // One server per worker, so repeated runs never share a port or a release folder.
  const port = 8300 + workerInfo.workerIndex;
  base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'jianyan-release-'));
  dist = path.join(dir, 'dist');
  cpSync(path.join(root, 'dist'), dist, { recursive: true });
  server = spawn(path.join(root, 'target/debug/jianyan'),
    ['serve', '--addr', `127.0.0.1:${port}`, '--db', path.join(dir, 'release.db'), '--static', dist],
    { stdio: 'ignore' });
  await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 20_000 }).toBe(200);
});

test.afterAll(() => {
  server?.kill();
});

/** Paths the service worker keeps in its shell cache. */
async function cachedPaths(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('jianyan-shell');
    return (await cache.keys()).map((request) => new URL(request.url).pathname).sort();
  });
}

test('a new release replaces the cached shell and its old assets', async ({ page }) => {
  await page.goto(`${base}/`);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  const css = readdirSync(dist).find((file) => /^main-.*\.css$/.test(file)) ?? '';
  await expect.poll(() => cachedPaths(page)).toContain(`/${css}`);

  // Publish: the stylesheet gets a new hashed name and index.html names it.
  const renamed = css.replace(/^main-/, 'main-0');
  renameSync(path.join(dist, css), path.join(dist, renamed));
  for (const file of readdirSync(dist).filter((f) => f.startsWith('index.html'))) {
    if (file !== 'index.html') renameSync(path.join(dist, file), path.join(dist, `stale-${file}`));
  }
  const index = path.join(dist, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replaceAll(css, renamed).replace(/ integrity="[^"]*"/g, ''));
  // Last-Modified counts whole seconds: a release published within the second of the first visit would be
  // answered 304. Real releases are minutes apart; say so to the file system.
  const later = new Date(Date.now() + 5_000);
  utimesSync(index, later, later);

  await page.reload();

  await expect.poll(() => cachedPaths(page)).toContain(`/${renamed}`);
  expect(await cachedPaths(page)).not.toContain(`/${css}`);
  await expect(page.getByRole('heading', { name: '同心建言', level: 1 })).toBeVisible();
});
