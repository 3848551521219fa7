import { type Page } from '@playwright/test';
import { expect, expectAccessible, expectNoSidewaysOverflow, test } from './fixtures';
import { SubmitPage, validSubmission } from './pages/submit-page';
import { ADMIN, StaffPage } from './pages/staff-page';
import { createThroughApi } from './api';

/** The members' pages in every state worth seeing, each reached the way a member reaches it. */
const memberPages: [string, (page: Page) => Promise<void>][] = [
  ['home', async (page) => {
    await page.goto('/');
    await expect(page.getByRole('link', { name: /提交建言/ })).toBeVisible();
  }],
  ['the form with every message showing', async (page) => {
    const form = new SubmitPage(page);
    await form.open();
    await form.phone.fill('123');
    await form.submit.click();
    await expect(page.locator('#title-error')).toBeVisible();
  }],
  ['the receipt', async (page) => {
    const form = new SubmitPage(page);
    await form.open();
    await form.fill(validSubmission({ title: `关于无障碍检查回执页的建议 ${Date.now()}` }));
    await form.submit.click();
    await form.receipt();
  }],
  ['a submission waiting to be sent, then 我的提交', async (page) => {
    const form = new SubmitPage(page);
    await form.open();
    await form.fill(validSubmission({ title: `关于无障碍检查待发送的建议 ${Date.now()}` }));
    await page.route('**/api/submissions', (route) => route.fulfill({ status: 503, json: { message: '服务暂时不可用', fields: {} } }));
    await form.submit.click();
    await expect(page.getByRole('heading', { name: '已存入待发送' })).toBeVisible();
  }],
  ['查询进度 with a waiting item and a receipt', async (page) => {
    const form = new SubmitPage(page);
    await form.open();
    await form.fill(validSubmission({ title: `关于无障碍检查查询页的建议 ${Date.now()}` }));
    await page.route('**/api/submissions', (route) => route.fulfill({ status: 422, json: { message: '有几项需要修改', fields: { title: '请写得更具体' } } }));
    await form.submit.click();
    await expect(page.getByText('您在修改一条需要修改的建言')).toBeVisible();
    await page.unroute('**/api/submissions');
    const { code, secret } = await createThroughApi(page.request, `关于无障碍检查的另一条建议 ${Date.now()}`);
    await page.goto(`/track/${code}#${secret}`);
    await expect(page.locator('.submission-view .code')).toHaveText(code);
    await page.goto('/track');
    await expect(page.locator('.outbox-item')).toHaveCount(1);
    await expect(page.locator('ul.receipts a')).toHaveCount(1);
  }],
  ['a submission\'s page', async (page) => {
    const { code, secret } = await createThroughApi(page.request, `关于无障碍检查详情页的建议 ${Date.now()}`);
    await page.goto(`/track/${code}#${secret}`);
    await expect(page.locator('.submission-view .code')).toHaveText(code);
  }],
  ['an address that leads nowhere', async (page) => {
    await page.goto('/no/such/page');
    await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
  }],
];

for (const [name, reach] of memberPages) {
  test(`members: ${name} has no axe violation`, async ({ page }) => {
    await reach(page);
    await expectAccessible(page, name);
  });

  test(`members: ${name} fits 320 px with the text at 200 %`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await reach(page);
    await expectNoSidewaysOverflow(page, `${name} at 320 px`);
    // The member's phone set to large text: every rem and em grows with the root size.
    await page.evaluate(() => {
      const root = document.documentElement;
      root.style.fontSize = `${parseFloat(getComputedStyle(root).fontSize) * 2}px`;
    });
    await expectNoSidewaysOverflow(page, `${name} at 320 px with 200 % text`);
  });
}

test.describe('staff, at a desk', () => {
  test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

  test('the login form, with a refusal, has no axe violation', async ({ page }) => {
    const staff = new StaffPage(page);
    await staff.open();
    await staff.expectLoginForm();
    await expectAccessible(page, 'the staff login form');
    await staff.logIn('e2e', 'wrong-password-1');
    await expect(page.getByRole('alert')).toBeVisible();
    await expectAccessible(page, 'the staff login form with a refusal');
  });

  test('the list, a submission, the audit log and an unknown staff address have no axe violation', async ({ page, request }) => {
    const { code } = await createThroughApi(request, `关于无障碍检查工作台的建议 ${Date.now()}`);
    const staff = new StaffPage(page);
    await staff.open();
    await staff.logIn(ADMIN.login, ADMIN.password);
    await staff.expectDesk(ADMIN.name);
    await expect(staff.row(code)).toBeVisible();
    await expectAccessible(page, 'the list');
    await staff.row(code).getByRole('link', { name: code }).click();
    await expect(page.locator('.desk-submission .code')).toHaveText(code);
    await expectAccessible(page, 'a submission at the desk');
    await page.getByRole('link', { name: '操作日志' }).click();
    await expect(page.getByRole('heading', { name: '操作日志', level: 1 })).toBeVisible();
    await expectAccessible(page, 'the audit log');
    await page.goto('/staff/no/such/page');
    await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
    await expectAccessible(page, 'an unknown staff address');
  });
});
