import { type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';

// A release of its own for each test: a copy of dist/ served by a second server, so a test can publish a
// "new release" (an asset renamed, as a rebuild renames it) without touching what other tests load.
const root = path.resolve(__dirname, '../..');
let base = '';
let server: ChildProcess;
let dist: string;

let port = 0;

/** Starts the release's server; it reads the page's script hashes for its CSP at start, as in production. */
async function startServer() {
  const dir = path.dirname(dist);
  server = spawn(path.join(root, 'target/debug/jianyan'),
    ['serve', '--addr', `127.0.0.1:${port}`, '--db', path.join(dir, 'release.db'), '--static', dist],
    { stdio: 'ignore' });
  await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 20_000 }).toBe(200);
}

async function stopServer() {
  const stopped = new Promise((resolve) => server.once('exit', resolve));
  server.kill();
  await stopped;
}

test.beforeEach(async ({}, testInfo) => {
  // One port per worker, so tests running side by side never share a server or a release folder.
  port = 8300 + testInfo.workerIndex;
  base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'jianyan-release-'));
  dist = path.join(dir, 'dist');
  cpSync(path.join(root, 'dist'), dist, { recursive: true });
  await startServer();
});

test.afterEach(async () => {
  await stopServer();
  rmSync(path.dirname(dist), { recursive: true, force: true });
});

/** Paths the service worker keeps in its shell cache. */
async function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('jianyan-shell');
    return (await cache.keys()).map((request) => new URL(request.url).pathname).sort();
  });
}

/** Opens the home screen and waits until the service worker controls it with a complete shell. */
async function visitOnce(page: Page) {
  await page.goto(`${base}/`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    }
  });
  const css = readdirSync(dist).find((file) => /^main-.*\.css$/.test(file)) ?? '';
  await expect.poll(() => cachedPaths(page)).toContain(`/${css}`);
  return css;
}

/** Publishes a release whose index.html names `renamed` where it named `file`, and restarts the server. */
async function publish(file: string, renamed: string) {
  for (const other of readdirSync(dist).filter((f) => f.startsWith('index.html'))) {
    if (other !== 'index.html') rmSync(path.join(dist, other));
  }
  const index = path.join(dist, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replaceAll(file, renamed).replace(/ integrity=("[^"]*"|[^\s>]+)/g, ''));
  // Last-Modified counts whole seconds: a release published within the second of the first visit would be
  // answered 304. Real releases are minutes apart; say so to the file system.
  const later = new Date(Date.now() + 5_000);
  utimesSync(index, later, later);
  await stopServer();
  await startServer();
}

test('a new release replaces the cached shell and its old assets', async ({ page }) => {
  const css = await visitOnce(page);

  // Publish: the stylesheet gets a new hashed name and index.html names it.
  const renamed = css.replace(/^main-/, 'main-0');
  renameSync(path.join(dist, css), path.join(dist, renamed));
  await publish(css, renamed);
  await page.reload();

  await expect.poll(() => cachedPaths(page)).toContain(`/${renamed}`);
  expect(await cachedPaths(page)).not.toContain(`/${css}`);
  await expect(page.getByRole('heading', { name: '同心建言', level: 1 })).toBeVisible();
});

test.describe('a broken release', () => {
  // The page of the broken release itself cannot load its script, and says so: that is the point.
  test.use({ tolerate: [/jianyan-members-0|dynamically imported module|Failed to load module script/] });

  test('with an asset that cannot be fetched leaves the old shell working offline', async ({ page, context }) => {
  await visitOnce(page);
  const script = readdirSync(dist).find((file) => /^jianyan-members-.*\.js$/.test(file)) ?? '';
  expect(script).not.toBe('');
  // Publish a release whose script is missing (a half-copied deploy).
  await publish(script, script.replace(/^jianyan-members-/, 'jianyan-members-0'));
  const broken = page.waitForResponse((response) => response.url().includes('jianyan-members-0'));
  await page.reload();
  await broken;
  // The old shell and every asset it names are still in the cache.
  await expect.poll(() => cachedPaths(page)).toContain(`/${script}`);

  await context.setOffline(true);
  await page.goto(`${base}/submit`);

  // The app itself (not just the painted page) runs: the form is there.
  await expect(page.getByLabel('案由', { exact: true })).toBeVisible();
  });
});

test('the manifest and icons are fetched again, not kept from the first visit forever', async ({ page }) => {
  await visitOnce(page);
  const manifestFile = path.join(dist, 'manifest.webmanifest');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.short_name = '同心建言新版';
  writeFileSync(manifestFile, JSON.stringify(manifest));
  rmSync(`${manifestFile}.br`, { force: true });
  rmSync(`${manifestFile}.gz`, { force: true });
  // A later Last-Modified, as a release minutes after the first visit would have.
  const later = new Date(Date.now() + 5_000);
  utimesSync(manifestFile, later, later);

  const fetched = await page.evaluate(async () => (await (await fetch('/manifest.webmanifest')).json()).short_name);

  expect(fetched).toBe('同心建言新版');
});

test('an /api/ address opened as a page is the server\'s answer, and staff requests never pass the cache', async ({ page }) => {
  await visitOnce(page);

  const health = await page.goto(`${base}/api/health`);
  expect(health?.fromServiceWorker()).toBe(false);
  expect(await page.locator('body').innerText()).not.toContain('同心建言');

  await page.goto(`${base}/`);
  const staff = page.waitForResponse((response) => response.url().endsWith('/api/staff/session'));
  await page.evaluate(() => fetch('/api/staff/session').catch(() => null));
  expect((await staff).fromServiceWorker()).toBe(false);
  const apiCache = await page.evaluate(async () =>
    (await (await caches.open('jianyan-api')).keys()).map((request) => new URL(request.url).pathname));
  expect(apiCache.filter((p) => p.startsWith('/api/staff'))).toEqual([]);
});
