import { expect, test } from './fixtures';

test('the release build starts in the browser without errors', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { name: '同心建言', level: 1 })).toBeVisible();
  // Only the running app (not the static skeleton) routes without a page load and fills the unit list.
  await page.getByRole('link', { name: /提交建言/ }).click();
  await expect(page.getByRole('heading', { name: '提交建言' })).toBeVisible();
  await expect(page.getByLabel('所在单位').locator('option')).toHaveCount(12);
  // Opened directly, another page runs index.html's placeholder script too (allowed by the CSP's hash).
  await page.goto('/track');
  await expect(page.getByRole('heading', { name: '查询进度', level: 1 })).toBeVisible();

  expect(problems).toEqual([]);
});

test('an unknown address shows a page that leads back home', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
  await page.getByRole('link', { name: '返回首页' }).click();
  await expect(page.getByRole('link', { name: /查询进度/ })).toBeVisible();
});

test.describe('before the app starts', () => {
  // The wasm is held back on purpose, and the loader says it could not fetch it.
  test.use({ tolerate: [/Failed to fetch/] });

  test('the page painted before the app starts says what the app then shows', async ({ page }) => {
    for (const [path, heading] of [['/submit', '提交建言'], ['/track', '查询进度']]) {
      // index.html's own text, as a phone sees it before the wasm arrives.
      await page.route('**/*.wasm', (route) => route.abort());
      await page.goto(path);
      const painted = await page.locator('main').innerText();
      await page.unroute('**/*.wasm');
      // The app's own text for the same page.
      await page.goto(path);
      await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
      const intro = (await page.locator('p.intro').innerText()).trim();
      expect(painted).toContain(heading);
      expect(painted).toContain(intro);
    }
  });
});
