import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { SubmitPage, validSubmission } from './pages/submit-page';
import { TrackPage } from './pages/track-page';
import { countSubmissions } from './db';

/** Waits until the service worker controls the page, so reloads and offline loads go through it. */
async function waitForServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    }
  });
}

test('a submission made offline waits as 待发送 and is delivered once when the network returns', async ({ page, context }) => {
  const form = new SubmitPage(page);
  await form.open();
  const input = validSubmission({ title: `关于离线提交的建议 ${Date.now()}` });
  await form.fill(input);

  await context.setOffline(true);
  await form.submit.click();

  await expect(page.getByRole('heading', { name: '已存入待发送' })).toBeVisible();
  await expect(page.locator('.receipt .badge')).toHaveText('待发送');
  expect(countSubmissions(input.title)).toBe(0);

  await context.setOffline(false);

  await form.receipt();
  expect(countSubmissions(input.title)).toBe(1);
});

test('items waiting in the outbox survive a reload and are delivered later', async ({ page, context }) => {
  const form = new SubmitPage(page);
  await form.open();
  await waitForServiceWorker(page);
  const input = validSubmission({ title: `关于重新打开后发送的建议 ${Date.now()}` });
  await form.fill(input);
  await context.setOffline(true);
  await form.submit.click();
  await expect(page.getByRole('heading', { name: '已存入待发送' })).toBeVisible();

  await page.reload();
  const track = new TrackPage(page);
  await track.open();
  await expect(page.locator('.outbox-item')).toContainText(input.title);
  await expect(page.locator('.outbox-item .badge')).toHaveText('待发送');
  // (No row count here: with a service worker in control, Chromium's offline emulation can let a request
  // reach the server and drop only its answer, which is the lost-answer case the idempotency key covers.)

  await context.setOffline(false);

  await expect(page.locator('.outbox-item')).toHaveCount(0, { timeout: 20_000 });
  // Delivered, it moves to the receipts on the same screen, and stays there after a reload.
  await expect(track.receipts.filter({ hasText: input.title })).toContainText('已提交');
  await page.reload();
  await expect(track.receipts.filter({ hasText: input.title })).toContainText('已提交');
  expect(countSubmissions(input.title)).toBe(1);
});

test('a server error once, then success, stores the submission once', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  const input = validSubmission({ title: `关于服务器出错后重试的建议 ${Date.now()}` });
  await form.fill(input);
  let attempts = 0;
  await page.route('**/api/submissions', async (route) => {
    attempts += 1;
    if (attempts === 1) await route.fulfill({ status: 500, json: { message: '服务器出了点问题', fields: {} } });
    else await route.continue();
  });

  await form.submit.click();

  // The outbox retries by itself after a short backoff.
  await form.receipt();
  expect(attempts).toBe(2);
  expect(countSubmissions(input.title)).toBe(1);
});

test('the app opens without a network after a first visit', async ({ page, context }) => {
  await page.goto('/submit');
  await waitForServiceWorker(page);
  // The unit list is answered from the cache too.
  await page.reload();
  await expect(page.getByLabel('所在单位').locator('option')).toHaveCount(12);

  await context.setOffline(true);
  await page.goto('/track');

  await expect(page.getByRole('heading', { name: '查询进度', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: '同心建言' }).click();
  await page.getByRole('link', { name: /提交建言/ }).click();
  await expect(page.getByLabel('所在单位').locator('option')).toHaveCount(12);
});
