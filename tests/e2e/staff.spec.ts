import { expect, test } from './fixtures';
import { createThroughApi } from './api';
import { StaffPage, STAFF } from './pages/staff-page';
import { quotePrefixed, sheetRows } from './xlsx';

test('a staff member logs in, downloads the list as Excel with formulas kept as text, and logs out', async ({ page, request }) => {
  const title = `=HYPERLINK("http://evil.example","点击查看") ${Date.now()}`;
  const { code } = await createThroughApi(request, title);
  const staff = new StaffPage(page);
  await staff.open();
  await staff.expectLoginForm();

  await staff.logIn();
  await staff.expectDesk();
  await staff.search.fill(title.slice(-13));
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(staff.rows).toHaveCount(1);
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出 Excel' }).click();
  const download = await downloading;

  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const rows = sheetRows(await download.path());
  expect(rows[0][0]).toBe('回执编号');
  const row = rows.find((cells) => cells[0] === code);
  expect(row, `a row for ${code}`).toBeTruthy();
  const titleColumn = rows[0].indexOf('标题');
  // Exactly as typed (no apostrophe in the text), and marked as text so it never runs as a formula.
  expect(row![titleColumn]).toBe(title);
  expect(quotePrefixed(await download.path())[rows.indexOf(row!)][titleColumn]).toBe(true);

  // Still logged in after a reload (the session is a cookie); logged out for good after 退出登录.
  await page.reload();
  await staff.expectDesk();
  await staff.logout.click();
  await staff.expectLoginForm();
  await page.reload();
  await staff.expectLoginForm();
  // The app never holds the session: nothing about it is in script-readable storage.
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('staff')))).toEqual([]);
});

test('a wrong password is refused with a message, and what was typed stays', async ({ page }) => {
  const staff = new StaffPage(page);
  await staff.open();

  await staff.logIn(STAFF.login, 'not-the-password');

  await expect(page.getByRole('alert')).toContainText('账号或密码不正确');
  await expect(staff.login).toHaveValue(STAFF.login);
  await staff.password.fill(STAFF.password);
  await staff.submit.click();
  await staff.expectDesk();
});

test('empty fields are named before anything is sent', async ({ page }) => {
  const staff = new StaffPage(page);
  await staff.open();
  let sent = 0;
  await page.route('**/api/staff/session', async (route) => {
    // The app asks once at start who is logged in (GET); only a login would POST.
    if (route.request().method() === 'POST') sent += 1;
    await route.continue();
  });

  await staff.submit.click();

  await expect(page.locator('#login-error')).toHaveText('请输入账号');
  await expect(page.locator('#password-error')).toHaveText('请输入密码');
  expect(sent).toBe(0);
});

test('a session cookie that no longer works leads back to the login form', async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: 'jianyan_staff', value: 'no-longer-valid', url: `${baseURL}/api/staff/`, httpOnly: true, sameSite: 'Strict' }]);
  const staff = new StaffPage(page);

  await staff.open();

  await staff.expectLoginForm();
});

test("the members' service worker leaves the staff app alone", async ({ page }) => {
  // A member's visit installs the service worker, which answers every members' page with its shell.
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });

  const staff = new StaffPage(page);
  await staff.open();

  await staff.expectLoginForm();
});
