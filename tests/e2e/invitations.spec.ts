import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, expectAccessible, test } from './fixtures';
import { ADMIN, StaffPage } from './pages/staff-page';

// The e2e server's database (see playwright.config.ts). Members go on the roster straight into it: the
// roster import is its own area, and this test is about invitations.
const database = path.resolve(__dirname, '../../target/e2e/e2e.db');

/** Puts a member on the roster and returns their id. */
function addMember(name: string, unitId: number, phone: string): number {
  const script =
    'import sqlite3, sys\n' +
    'db = sqlite3.connect(sys.argv[1])\n' +
    'now = "2026-11-01T09:00:00+08:00"\n' +
    'row = db.execute("INSERT INTO members (name, unit_id, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",\n' +
    '                 (sys.argv[2], int(sys.argv[3]), sys.argv[4], now, now)).fetchone()\n' +
    'db.commit()\n' +
    'print(row[0])';
  return Number(execFileSync('python3', ['-c', script, database, name, String(unitId), phone]).toString().trim());
}

/** An 11-digit mobile number no other test uses. */
function uniquePhone(): string {
  return `13${String(Date.now() * 1000 + Math.floor(Math.random() * 1000)).slice(-9)}`;
}

test('an admin shows a member their invitation as link and QR code, ends a device, and prints the unit sheet', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const name = '赵立新';
  const id = addMember(name, 2, uniquePhone());
  addMember('钱文华', 2, uniquePhone());
  const staff = new StaffPage(page);
  await staff.open(`/staff/members/${id}/access`);
  await staff.logIn(ADMIN.login, ADMIN.password);

  // The access page: no device yet; a new link, its QR code, copied.
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await expect(page.getByText('还没有设备加入')).toBeVisible();
  await page.getByRole('button', { name: '生成邀请链接' }).click();
  const link = page.getByRole('textbox', { name: '邀请链接' });
  await expect(link).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/me\/join#[A-Za-z0-9_-]{22}$/);
  await expect(page.getByRole('img', { name: `${name}的邀请二维码` }).locator('svg')).toBeVisible();
  await page.getByRole('button', { name: '复制链接' }).click();
  await expect(page.getByRole('status')).toHaveText('已复制');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await link.inputValue());
  await expectAccessible(page, "a member's access page");

  // A phone joins with the link; the page lists it, and 结束 ends it.
  const token = (await link.inputValue()).split('#')[1];
  const preview = await page.request.post('/api/member/join/preview', { data: { token } });
  expect(await preview.json()).toMatchObject({ name, unit: expect.any(String) });
  const joined = await page.request.post('/api/member/join', { data: { token } });
  expect(joined.status()).toBe(200);
  await page.reload();
  const devices = page.getByRole('table', { name: '已加入的设备' });
  await expect(devices.getByRole('row')).toHaveCount(2);
  await expect(devices).toContainText('Android · Chrome');
  await devices.getByRole('button', { name: /^结束 Android · Chrome/ }).click();
  await expect(page.getByRole('status')).toContainText('已结束');
  await expect(page.getByText('还没有设备加入')).toBeVisible();
  expect((await page.request.get('/api/member/me')).status()).toBe(401);

  // The unit's printed sheet: one card per active member, each with name, unit and QR code.
  await page.getByRole('link', { name: '打印本单位的邀请卡' }).click();
  await expect(page).toHaveURL(/\/staff\/units\/2\/invitations$/);
  await page.getByRole('button', { name: '生成邀请卡' }).click();
  const cards = page.getByRole('list', { name: '邀请卡' }).getByRole('listitem');
  const card = cards.filter({ hasText: name });
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('img', { name: `${name}的邀请二维码` }).locator('svg')).toBeVisible();
  await expect(cards.filter({ hasText: '钱文华' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: '打印' })).toBeVisible();
  await expectAccessible(page, "a unit's invitation sheet");
});

test("a joined member's own answers never enter the service worker's cache", async ({ page }) => {
  // A member joined on this browser (the cookie is the context's), through the API.
  const id = addMember('孙立平', 3, uniquePhone());
  const login = await page.request.post('/api/staff/session', { data: { login: ADMIN.login, password: ADMIN.password } });
  expect(login.status()).toBe(200);
  const invitation = await (await page.request.post(`/api/staff/members/${id}/invitation`)).json();
  const joined = await page.request.post('/api/member/join', { data: { token: invitation.link.split('#')[1] } });
  expect(joined.status()).toBe(200);
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    }
  });

  const statuses = await page.evaluate(async () =>
    Promise.all(['/api/member/me', '/api/member/submissions', '/api/units'].map(async (p) => (await fetch(p)).status)));

  expect(statuses).toEqual([200, 200, 200]);
  const cached = await page.evaluate(async () =>
    (await (await caches.open('jianyan-api')).keys()).map((request) => new URL(request.url).pathname));
  expect(cached, 'answers everyone may see are still kept').toContain('/api/units');
  expect(cached.filter((p) => p.startsWith('/api/member'))).toEqual([]);
});

test('an admin finds the guest-submission setting under 设置, on by default, and saves it', async ({ page }) => {
  const staff = new StaffPage(page);
  await staff.open('/staff/');
  await staff.logIn(ADMIN.login, ADMIN.password);

  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '设置' }).click();

  await expect(page.getByRole('heading', { name: '设置', level: 1 })).toBeVisible();
  const guests = page.getByRole('checkbox', { name: /允许未加入的人员提交/ });
  await expect(guests).toBeChecked();
  await expectAccessible(page, 'the settings page');
  // Saved as it is: other tests on this server submit as guests at the same time.
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存');
});
