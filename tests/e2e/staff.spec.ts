import { expect, test } from './fixtures';
import { createThroughApi } from './api';
import { StaffPage, STAFF } from './pages/staff-page';
import { quotePrefixed, sheetRows } from './xlsx';

test('a staff member logs in, downloads the year as Excel with formulas kept as text, and logs out', async ({ page, request }) => {
  const title = `=HYPERLINK("http://evil.example","点击查看") ${Date.now()}`;
  const { code } = await createThroughApi(request, title);
  const staff = new StaffPage(page);
  await staff.open();
  await staff.expectLoginForm();

  await staff.logIn();
  await staff.expectWorkbench();
  const year = code.slice(3, 7);
  await expect(staff.year).toHaveValue(year);
  const downloading = page.waitForEvent('download');
  await staff.download.click();
  const download = await downloading;

  expect(download.suggestedFilename()).toBe(`建言列表-${year}年.xlsx`);
  await expect(page.getByRole('status')).toContainText('已下载');
  const rows = sheetRows(await download.path());
  expect(rows[0].slice(0, 4)).toEqual(['回执编号', '提交时间', '类别', '标题']);
  const row = rows.find((cells) => cells[0] === code);
  expect(row, `a row for ${code}`).toBeTruthy();
  // Exactly as typed (no apostrophe in the text), and marked as text so it never runs as a formula.
  expect(row![3]).toBe(title);
  const rowIndex = rows.indexOf(row!);
  expect(quotePrefixed(await download.path())[rowIndex][3]).toBe(true);

  // Still logged in after a reload; logged out for good after 退出登录.
  await page.reload();
  await staff.expectWorkbench();
  await staff.logout.click();
  await staff.expectLoginForm();
  await page.reload();
  await staff.expectLoginForm();
});

test('a wrong password is refused with a message, and what was typed stays', async ({ page }) => {
  const staff = new StaffPage(page);
  await staff.open();

  await staff.logIn(STAFF.login, 'not-the-password');

  await expect(page.getByRole('alert')).toContainText('账号或密码不正确');
  await expect(staff.login).toHaveValue(STAFF.login);
  await staff.password.fill(STAFF.password);
  await staff.submit.click();
  await staff.expectWorkbench();
});

test('empty fields are named before anything is sent', async ({ page }) => {
  const staff = new StaffPage(page);
  await staff.open();
  let sent = 0;
  await page.route('**/api/staff/session', async (route) => {
    sent += 1;
    await route.continue();
  });

  await staff.submit.click();

  await expect(page.locator('#login-error')).toHaveText('请输入账号');
  await expect(page.locator('#password-error')).toHaveText('请输入密码');
  expect(sent).toBe(0);
});

test('a kept session that no longer works leads back to the login form with the reason', async ({ page }) => {
  const staff = new StaffPage(page);
  await staff.open();
  // The app is up (and has read the empty storage) before a stale session is planted for the reload.
  await staff.expectLoginForm();
  await page.evaluate((name) => {
    const stale = { token: 'no-longer-valid', staff: { login: 'e2e', name }, expires_at: '2026-01-01T00:00:00+08:00' };
    localStorage.setItem('jianyan.staff.session', JSON.stringify(stale));
  }, STAFF.name);

  await page.reload();

  await staff.expectLoginForm();
  await expect(page.getByRole('alert')).toContainText('重新登录');
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
