import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createThroughApi } from './api';
import { SubmitPage, validSubmission } from './pages/submit-page';
import { TrackPage } from './pages/track-page';

// Stored XSS: what a member types comes back from the server and onto other pages. Each payload leaves
// an element behind, loads /x or sets window.__xss if the app ever hands member text to the HTML parser.
// The CSP would block the handlers even then, so the rendering itself is checked, not only the CSP.
// Titles must be 5–60 characters on one line; bodies at least 20.
const IMG_TITLE = '<img src=x onerror="window.__xss=1">关于加装电梯的建议';
const SCRIPT_TITLE = '<script>window.__xss=2</script>关于增设快递柜的建议';
const BODY =
  '<script>window.__xss=3</script><iframe src="javascript:window.__xss=4"></iframe>' +
  '<svg onload="window.__xss=5"></svg>老旧小区没有电梯，老年居民上下楼十分困难，建议加装。';

/** Signs an injected payload would leave outside the DOM: a request for its image, a CSP refusal. */
function watch(page: Page) {
  const signs: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/x') signs.push(`loaded ${request.url()}`);
  });
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) signs.push(message.text());
  });
  return signs;
}

/** Nothing from a payload became an element, and nothing of it ran. */
async function expectInert(page: Page, where: string) {
  const injected = page.locator('img[src="x"], iframe, svg[onload]');
  await expect(injected, `${where}: no element from a payload`).toHaveCount(0);
  // Playwright's text selectors skip <script> contents, so scripts are read in the page.
  const scripts = await page.evaluate(() => [...document.scripts].filter((s) => s.text.includes('__xss')).length);
  expect(scripts, `${where}: no script from a payload`).toBe(0);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss), `${where}: nothing ran`).toBeUndefined();
}

test('HTML in a title and body stays text on the receipt, 查询进度 and the status page', async ({ page }) => {
  const signs = watch(page);
  const form = new SubmitPage(page);
  await form.open();

  await form.fill(validSubmission({ title: IMG_TITLE, body: BODY }));
  await form.submit.click();

  const code = await form.receipt();
  await expectInert(page, 'receipt');

  const track = new TrackPage(page);
  await track.open();
  const row = track.receipts.filter({ hasText: code });
  // textContent holds the markup itself only if it was inserted as text.
  await expect(row).toContainText(IMG_TITLE);
  await expectInert(page, '查询进度');

  await row.getByRole('link').click();
  await track.expectSubmission(IMG_TITLE, '已提交');
  await expectInert(page, 'status page');
  expect(signs).toEqual([]);
});

test('HTML sent straight to the API stays text on the status page and 查询进度', async ({ page, request }) => {
  const signs = watch(page);
  const { code, secret } = await createThroughApi(request, SCRIPT_TITLE, BODY);

  await page.goto(`/track/${code}#${secret}`);

  const track = new TrackPage(page);
  await track.expectSubmission(SCRIPT_TITLE, '已提交');
  await expectInert(page, 'status page');
  // Opening the link keeps the receipt on this device, so the title is listed too.
  await track.open();
  await expect(track.receipts.filter({ hasText: code })).toContainText(SCRIPT_TITLE);
  await expectInert(page, '查询进度');
  expect(signs).toEqual([]);
});
