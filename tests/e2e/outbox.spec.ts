import { expect, test } from './fixtures';
import { SubmitPage, validSubmission } from './pages/submit-page';
import { TrackPage } from './pages/track-page';
import { countSubmissions } from './db';

/** The outbox items this device keeps (one localStorage entry each). */
async function storedOutbox(page: import('@playwright/test').Page) {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('jianyan.outbox.'))
      .map((key) => JSON.parse(localStorage.getItem(key) ?? 'null')),
  );
}

test('a submission refused after it waited offline comes back with every word, to fix and send', async ({ page, context }) => {
  const form = new SubmitPage(page);
  await form.open();
  const input = validSubmission({ title: `关于离线后被退回修改的建议 ${Date.now()}` });
  await form.fill(input);
  await context.setOffline(true);
  await form.submit.click();
  // Waiting: the form is free again, the words are in the outbox.
  await expect(page.getByRole('heading', { name: '已存入待发送' })).toBeVisible();

  // Back online, the server refuses the content.
  await page.route('**/api/submissions', (route) =>
    route.fulfill({ status: 422, json: { message: '有几项需要修改', fields: { body: '请补充具体的建议措施' } } }),
  );
  // Coming back online sends it again at once.
  await context.setOffline(false);

  // The page says what to fix, with the member's full text in the form.
  await expect(page.locator('#body-error')).toHaveText('请补充具体的建议措施');
  await expect(form.title).toHaveValue(input.title);
  await expect(form.body).toHaveValue(input.body);
  await expect(form.cosigners).toHaveValue(input.cosigners ?? '');
  // The item is still on the device, marked for fixing: nothing but a 201 or the member takes it out.
  const stored = await storedOutbox(page);
  expect(stored.map((item) => [item.request.title, item.state])).toEqual([[input.title, 'NeedsFix']]);

  // A reload finds the same words still being fixed.
  await page.reload();
  await expect(form.body).toHaveValue(input.body);
  await expect(page.getByText('您在修改一条需要修改的建言')).toBeVisible();

  // Fixed and sent, it is stored once and leaves the outbox.
  await page.unroute('**/api/submissions');
  const fixedBody = `${input.body}建议由区住建局牵头，三个月内完成摸底。`;
  await form.body.fill(fixedBody);
  await form.submit.click();
  await form.receipt();
  expect(countSubmissions(input.title)).toBe(1);
  expect(await storedOutbox(page)).toEqual([]);
});

test('a refused item opened from 我的提交 is fixed in the form without touching the draft', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  const refused = validSubmission({ title: `关于从我的提交修改的建议 ${Date.now()}` });
  await form.fill(refused);
  await page.route('**/api/submissions', (route) =>
    route.fulfill({ status: 422, json: { message: '有几项需要修改', fields: { title: '案由请写得更具体' } } }),
  );
  await form.submit.click();
  await expect(page.locator('#title-error')).toHaveText('案由请写得更具体');
  // The member starts something else instead, and leaves a draft.
  await page.getByRole('button', { name: '先填写新的建言' }).click();
  await expect(form.title).toHaveValue('');
  await form.title.fill('关于另一件事的草稿标题');
  await expect(page.getByText('草稿已保存在本机')).toBeVisible();

  const track = new TrackPage(page);
  await track.open();
  const row = page.locator('.outbox-item').filter({ hasText: refused.title });
  await expect(row.locator('.badge')).toHaveText('需要修改');
  await row.getByRole('button', { name: '修改' }).click();

  await expect(form.title).toHaveValue(refused.title);
  await expect(form.body).toHaveValue(refused.body);
  await page.unroute('**/api/submissions');
  await form.title.fill(`${refused.title}（已修改）`);
  await form.submit.click();
  await form.receipt();
  expect(countSubmissions(`${refused.title}（已修改）`)).toBe(1);

  // The other draft is still there.
  await page.getByRole('button', { name: '再提交一条' }).click();
  await expect(form.title).toHaveValue('关于另一件事的草稿标题');
});

test('two tabs queue submissions at the same time and both are delivered', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const forms = [new SubmitPage(first), new SubmitPage(second)];
  const stamp = Date.now();
  const inputs = [
    validSubmission({ title: `关于第一个标签页的建议 ${stamp}` }),
    validSubmission({ title: `关于第二个标签页的建议 ${stamp}` }),
  ];
  for (const [index, form] of forms.entries()) {
    await form.open();
    await form.fill(inputs[index]);
  }
  await context.setOffline(true);

  await Promise.all(forms.map((form) => form.submit.click()));
  for (const page of [first, second]) {
    await expect(page.getByRole('heading', { name: '已存入待发送' })).toBeVisible();
  }
  // Each tab wrote only its own item: the device holds both, even once the first tab is closed and the
  // second opened again (so nothing but storage remembers them).
  const titles = (await storedOutbox(first)).map((item) => item.request.title).sort();
  expect(titles).toEqual(inputs.map((input) => input.title).sort());
  await first.close();
  const track = new TrackPage(second);
  await track.open();
  await expect(second.locator('.outbox-item')).toHaveCount(2);

  await context.setOffline(false);

  await expect(second.locator('.outbox-item')).toHaveCount(0, { timeout: 20_000 });
  for (const input of inputs) {
    await expect(track.receipts.filter({ hasText: input.title })).toContainText('已提交');
    expect(countSubmissions(input.title)).toBe(1);
  }
});

test('a device that will not store the outbox says so and keeps the draft', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  const input = validSubmission({ title: `关于存储已满时提交的建议 ${Date.now()}` });
  await form.fill(input);
  // Storage full: outbox items cannot be written (the draft was written before).
  await page.evaluate(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key.startsWith('jianyan.outbox.')) throw new DOMException('full', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  });
  await page.route('**/api/submissions', (route) => route.fulfill({ status: 503, json: { message: '服务暂时不可用', fields: {} } }));

  await form.submit.click();

  await expect(page.getByText('这台设备没能保存这条建言')).toBeVisible();
  // The draft is still on the device: a closed tab would not lose the words.
  const draft = await page.evaluate(() => JSON.parse(localStorage.getItem('jianyan.draft.submission') ?? 'null'));
  expect(draft?.title).toBe(input.title);
});
