import { expect, test } from './fixtures';
import { SubmitPage, validSubmission } from './pages/submit-page';
import { TrackPage } from './pages/track-page';
import { countSubmissions } from './db';

test('a member submits a suggestion in Chinese and gets a tracking code', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  const input = validSubmission({ title: '关于社区养老服务站延长开放时间的建议' });

  await form.fill(input);
  await form.submit.click();

  const code = await form.receipt();
  await expect(page.locator('.receipt .badge')).toHaveText('已提交');

  // The receipt is kept on the device and leads to the status page.
  const track = new TrackPage(page);
  await track.open();
  await expect(track.receipts.filter({ hasText: input.title })).toContainText(code);
  await track.receipts.filter({ hasText: input.title }).getByRole('link').click();
  await track.expectSubmission(input.title, '已提交');
  await expect(page.locator('.submission-view .code')).toHaveText(code);
});

test('tapping 提交 twice in a row stores the submission once', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  const input = validSubmission({ title: `关于连点两次提交按钮的建议 ${Date.now()}` });
  await form.fill(input);

  await form.submit.dblclick();

  await form.receipt();
  expect(countSubmissions(input.title)).toBe(1);
});

test('an invalid phone number shows the message beside the field and posts nothing', async ({ page }) => {
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url());
  });
  const form = new SubmitPage(page);
  await form.open();

  await form.fill(validSubmission({ phone: '1381234' }));
  await form.submit.click();

  await expect(page.locator('#phone-error')).toHaveText(/手机号码应为 11 位数字/);
  await expect(form.phone).toHaveAttribute('aria-invalid', 'true');
  await expect(form.phone).toBeFocused();
  await expect(form.receiptHeading).toHaveCount(0);
  expect(posts).toEqual([]);
});

test('tapping 提交 straight from a bad field still submits the form and names every problem', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  await form.phone.fill('123');

  // The phone field still has the focus: the tap blurs it and must still reach the button.
  await form.submit.click();

  await expect(form.alert).toContainText('有几项需要修改');
  await expect(page.locator('#title-error')).toHaveText('请填写案由（标题）');
  await expect(page.locator('#body-error')).toContainText('请填写内容');
  await expect(page.locator('#unit-error')).toHaveText('请选择所在单位');
  await expect(page.locator('#phone-error')).toContainText('11 位数字');
  await expect(form.title).toBeFocused();
});

test('leaving a field shows its message while the member is still typing elsewhere', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();

  await form.title.fill('短');
  await form.body.focus();

  await expect(page.locator('#title-error')).toHaveText(/案由至少 5 个字/);
  await form.title.fill('关于加强校园周边交通管理的建议');
  await expect(page.locator('#title-error')).toBeEmpty();
});

test('a failed answer keeps every typed character in the outbox and a retry delivers it once', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  const input = validSubmission({ title: '关于夜间公交线路优化的建议' });
  await form.fill(input);

  // First attempt: the server stores it, but the answer is lost on the way back.
  let firstCode = '';
  let attempts = 0;
  await page.route('**/api/submissions', async (route) => {
    attempts += 1;
    if (attempts === 1) {
      const response = await route.fetch();
      firstCode = (await response.json()).code;
      await route.fulfill({ status: 503, json: { message: '服务暂时不可用', fields: {} } });
    } else {
      await route.continue();
    }
  });
  await form.submit.click();

  await expect(page.getByRole('heading', { name: '已存入待发送' })).toBeVisible();
  await expect(form.alert).toContainText('不会丢失');
  await page.getByRole('button', { name: '立即重试' }).click();

  const code = await form.receipt();
  expect(attempts).toBe(2);
  expect(code).toBe(firstCode);
});

test('a refused submission comes back into the form with the server\'s message', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  await form.fill(validSubmission());
  await page.route('**/api/submissions', (route) =>
    route.fulfill({ status: 422, json: { message: '有几项需要修改', fields: { title: '这个案由已经有人提过了' } } }),
  );

  await form.submit.click();

  await expect(page.locator('#title-error')).toHaveText('这个案由已经有人提过了');
  await expect(form.title).toHaveValue(validSubmission().title);
  await expect(form.body).toHaveValue(validSubmission().body);
});

test('a draft survives a reload and can be discarded', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  await form.title.fill('关于规范共享单车停放的建议');
  await form.body.fill('地铁站口共享单车乱停乱放，占用盲道和消防通道。');
  await expect(page.getByText('草稿已保存在本机')).toBeVisible();

  await page.reload();

  await expect(form.title).toHaveValue('关于规范共享单车停放的建议');
  await expect(form.body).toHaveValue('地铁站口共享单车乱停乱放，占用盲道和消防通道。');
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: '清除草稿' }).click();
  await expect(form.title).toHaveValue('');
  await page.reload();
  await expect(form.title).toHaveValue('');
});

test('查看进度 on the receipt opens the submission at its own address, and reload and back keep to it', async ({ page }) => {
  const form = new SubmitPage(page);
  await form.open();
  const input = validSubmission({ title: `关于回执跳转地址的建议 ${Date.now()}` });
  await form.fill(input);
  // The member leaves the last field by tapping 提交, as on a phone: its message timer is still running
  // when the page changes.
  await form.submit.click();
  const code = await form.receipt();

  await page.getByRole('link', { name: '查看进度' }).click();

  const track = new TrackPage(page);
  await track.expectSubmission(input.title, '已提交');
  await expect(page).toHaveURL(new RegExp(`/track/${code}#[0-9a-f]{32}$`));
  await page.reload();
  await track.expectSubmission(input.title, '已提交');
  await page.goBack();
  await expect(page).toHaveURL(/\/submit$/);
  await expect(page.getByRole('heading', { name: '提交建言' })).toBeVisible();
  await expect(form.title).toBeVisible();
});
