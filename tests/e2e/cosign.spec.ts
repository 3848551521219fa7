import { devices, type Browser, type Page } from '@playwright/test';
import { expect, expectAccessible, expectNoSidewaysOverflow, test } from './fixtures';
import { addMember, invite, logInAsAdmin, type Member } from './api';

/** A phone of its own (a browser context), with its page errors collected for the test to check. */
async function phone(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  return { context, page, errors };
}

/** Opens an invitation on `page` and confirms that it is the member's own. */
async function join(page: Page, link: string, member: Member) {
  await page.goto(link);
  await page.getByRole('button', { name: '是我本人，确认加入' }).click();
  await expect(page.getByRole('heading', { name: '我的', level: 1 })).toBeVisible();
  await expect(page.locator('main')).toContainText(`${member.name}（${member.unit}）`);
}

test('a lead asks a member from the roster to co-sign; once they confirm, staff get it with them marked confirmed', async ({ page, request, browser, baseURL }) => {
  const lead = await addMember(request, '贺领衔');
  // A name of its own for each run (the search lists every 甘联…; the button names the one to add).
  const digits = '一二三四五六七八九十';
  const suffix = Array.from({ length: 3 }, () => digits[Math.floor(Math.random() * digits.length)]).join('');
  const cosigner = await addMember(request, `甘联名${suffix}`);
  await join(page, await invite(request, lead), lead);

  // 发起联名建言, from 我的.
  await page.getByRole('link', { name: '发起联名建言' }).click();
  await expect(page.getByRole('heading', { name: '发起联名建言', level: 1 })).toBeVisible();
  await page.getByRole('searchbox', { name: '按姓名查找联名人' }).fill('甘联');
  await page.getByRole('button', { name: '查找' }).click();
  await page.getByRole('button', { name: `添加联名人 ${cosigner.name}` }).click();
  await expect(page.getByRole('list', { name: '已选的联名人' })).toContainText(`${cosigner.name}（${cosigner.unit}）`);
  // Checked before the long title is typed: a text box scrolls its own text, which is not the page's.
  await expectNoSidewaysOverflow(page, '发起联名建言');
  // Sent too early: the messages name what to fix, and the search and the choice stay as they were.
  await page.getByRole('button', { name: '发出联名邀请' }).click();
  await expect(page.getByText('请填写案由（标题）')).toBeVisible();
  await expect(page.getByRole('searchbox', { name: '按姓名查找联名人' })).toHaveValue('甘联');
  await expect(page.getByRole('button', { name: `添加联名人 ${cosigner.name}` })).toBeDisabled();
  const title = `关于老旧小区增设休息座椅的建议 ${Date.now()}`;
  await page.getByLabel('案由（标题）').fill(title);
  await page.getByLabel('现状与问题、建议').fill('老旧小区步道沿线没有座椅，老人散步无处歇脚。建议结合微更新项目，在步道沿线每隔百米设置座椅。');
  await page.getByLabel('其他联名人（选填）').fill('赵六');
  await expectAccessible(page, '发起联名建言');

  // Nothing typed is lost on a reload.
  await page.reload();
  await expect(page.getByLabel('案由（标题）')).toHaveValue(title);
  await expect(page.getByRole('list', { name: '已选的联名人' })).toContainText(cosigner.name);
  await page.getByRole('button', { name: '发出联名邀请' }).click();
  await expect(page.getByRole('heading', { name: '已发出联名邀请', level: 1 })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('jianyan.draft.cosign'))).toBeNull();

  // The co-signer, on their own phone, sees the request in 我的 and confirms.
  const second = await phone(browser, baseURL);
  await join(second.page, await invite(request, cosigner), cosigner);
  const asking = second.page.getByRole('region', { name: '待我确认的联名' });
  await expect(asking).toContainText(`${lead.name}（${lead.unit}）邀请您联名`);
  await expect(asking).toContainText(title);
  await expectAccessible(second.page, '我的, with a request to co-sign');
  await asking.getByRole('button', { name: '同意联名' }).click();
  await expect(second.page.getByRole('region', { name: '待我确认的联名' })).toHaveCount(0);
  await second.context.close();
  expect(second.errors).toEqual([]);

  // Everyone answered: the lead's 我的 shows it sent, with its code.
  await page.goto('/me/');
  const mine = page.getByRole('region', { name: '我发起的联名' });
  await expect(mine).toContainText(`${cosigner.name}（${cosigner.unit}）：已同意`);
  await expect(mine).toContainText('赵六：未在名册中，未确认');
  const code = (await mine.locator('a.code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^JY-\d{4}-\d+$/);
  await expect(page.getByRole('region', { name: '我的提交' })).toContainText(title);

  // Staff see who confirmed.
  await logInAsAdmin(request);
  const stored = await (await request.get(`/api/staff/submissions/${code}`)).json();
  expect(stored.name).toBe(lead.name);
  expect(stored.cosigners).toEqual([cosigner.name, '赵六']);
  expect(stored.confirmed_cosigners).toEqual([cosigner.name]);
});
