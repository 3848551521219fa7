import { devices, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { expect, expectAccessible, expectNoSidewaysOverflow, test } from './fixtures';
import { addMember, invite, type Member } from './api';

/** A phone of its own (a browser context), with its page errors collected for the test to check. */
async function phone(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/** Opens an invitation on `page` and confirms that it is the member's own. */
async function join(page: Page, link: string, member: Member) {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: `欢迎，${member.name}（${member.unit}）`, level: 1 })).toBeVisible();
  // The token left the address bar (and so the history) as soon as the page read it.
  expect(new URL(page.url()).hash).toBe('');
  await page.getByRole('button', { name: '是我本人，确认加入' }).click();
  await expect(page).toHaveURL(/\/me\/$/);
  await expect(page.getByRole('heading', { name: '我的', level: 1 })).toBeVisible();
  await expect(page.locator('main')).toContainText(`${member.name}（${member.unit}）`);
}

test('a member opens their invitation on a phone, confirms, and submits with the form filled in', async ({ page, request }) => {
  const member = await addMember(request, '林秀英');
  const link = await invite(request, member);

  await page.goto(link);
  await expect(page.getByRole('heading', { name: `欢迎，${member.name}（${member.unit}）`, level: 1 })).toBeVisible();
  await expectAccessible(page, 'the invitation page');
  await expectNoSidewaysOverflow(page, 'the invitation page');
  await page.getByRole('button', { name: '是我本人，确认加入' }).click();
  await expect(page.getByRole('heading', { name: '我的', level: 1 })).toBeVisible();
  await expectAccessible(page, '我的');

  // The form: who sends it comes from the roster, not from typing.
  await page.goto('/submit');
  await expect(page.getByText(`领衔人：${member.name}（${member.unit}）`)).toBeVisible();
  await expect(page.getByLabel('姓名')).toHaveCount(0);
  const title = `关于社区助餐点延长供餐时间的建议 ${Date.now()}`;
  await page.getByLabel('案由').fill(title);
  await page.getByLabel('内容').fill('社区助餐点只供应午餐，独居老人晚餐无处解决。建议试点延长至晚餐时段，并提供送餐上门服务。');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await expect(page.getByText('提交成功')).toBeVisible();
  const code = (await page.locator('.receipt .code').first().textContent())?.trim() ?? '';
  expect(code).toMatch(/^JY-\d{4}-\d+$/);

  // Staff see the roster's name and phone on it; 我的 lists it.
  const stored = await (await request.get(`/api/staff/submissions/${code}`)).json();
  expect(stored.name).toBe(member.name);
  expect(stored.phone).toBe(member.phone);
  await page.goto('/me/');
  await expect(page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
});

test('a second phone joins through the first one\'s one-time QR link and sees the same 我的提交', async ({ page, request, browser, baseURL }) => {
  const member = await addMember(request, '周文博');
  await join(page, await invite(request, member), member);
  const title = `关于增设小区快递柜的建议 ${Date.now()}`;
  const sent = await page.request.post('/api/submissions', {
    data: {
      kind: 'suggestion', title, body: '部分老旧小区没有快递柜，快递堆放在门岗，丢件频发。建议由街道协调增设智能快递柜。',
      unit_id: 1, name: member.name, phone: member.phone, cosigners: [],
    },
  });
  expect(sent.status(), await sent.text()).toBe(201);

  await page.goto('/me/');
  await page.getByRole('button', { name: '显示二维码' }).click();
  await expect(page.getByRole('img', { name: '加入我的账户的二维码' })).toBeVisible();
  const link = new URL((await page.locator('.link-box').textContent()) ?? '');

  const second = await phone(browser, baseURL);
  await join(second.page, link.pathname + link.hash, member);
  await expect(second.page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
  // The link worked once.
  const third = await phone(browser, baseURL);
  await third.page.goto(link.pathname + link.hash);
  await expect(third.page.getByRole('heading', { name: '无法加入', level: 1 })).toBeVisible();
  await third.context.close();

  // Staff end the second phone: it is a guest's again, and its form asks for the details.
  const access = await (await request.get(`/api/staff/members/${member.id}/access`)).json();
  expect(access.devices).toHaveLength(2);
  // Devices come oldest first: the second phone is the last.
  const newest = access.devices[access.devices.length - 1];
  const ended = await request.delete(`/api/staff/members/${member.id}/devices/${newest.id}`);
  expect(ended.status()).toBeLessThan(300);
  await second.page.goto('/me/');
  await expect(second.page.locator('main')).toContainText('请打开统战部或本单位联络员发给您的个人邀请链接');
  await second.page.goto('/submit');
  await expect(second.page.getByLabel('姓名')).toBeVisible();
  await second.context.close();
  expect(second.errors).toEqual([]);
});

test('退出此设备 keeps what the member typed when they choose to keep it', async ({ page, request }) => {
  const member = await addMember(request, '郑海燕');
  await join(page, await invite(request, member), member);
  await page.goto('/submit');
  const title = '关于规范共享单车停放的建议';
  await page.getByLabel('案由').fill(title);
  await expect(page.getByText('草稿已保存在本机')).toBeVisible();

  await page.goto('/me/');
  await page.getByRole('button', { name: '退出此设备' }).click();
  await page.getByRole('button', { name: '保留在本机，退出' }).click();
  // The home page, once the session has ended (`/me/` itself ends in a slash too).
  await page.waitForURL((url) => url.pathname === '/');

  await page.goto('/submit');
  await expect(page.getByLabel('案由')).toHaveValue(title);
  await expect(page.getByLabel('姓名')).toBeVisible();
  await page.goto('/me/');
  await expect(page.locator('main')).toContainText('请打开统战部或本单位联络员发给您的个人邀请链接');
});

test('我的 opens without a network once visited, says so, and keeps no member answer in a cache', async ({ page, context, request }) => {
  const member = await addMember(request, '孙立群');
  await join(page, await invite(request, member), member);
  // The account app keeps its own shell, as the members' app does (assets/sw.js).
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    }
  });
  await page.reload();
  await expect(page.locator('main')).toContainText(`${member.name}（${member.unit}）`);
  const cachedPaths = () => page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
  // The shell is kept once every asset it names is (in the background of the navigation).
  await expect.poll(async () => (await cachedPaths()).includes('/me/'), { timeout: 15_000 }).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: '我的', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('网络连接失败');
  await context.setOffline(false);

  // Nothing under /api/member/ in any cache: the next person on a shared phone finds none of it.
  const cached = await cachedPaths();
  expect(cached.some((path) => path.startsWith('/me/'))).toBe(true);
  expect(cached.filter((path) => path.startsWith('/api/member'))).toEqual([]);
});

test.describe('guests turned away', () => {
  // The answer is routed in the page; a service worker would fetch it past the route.
  test.use({ serviceWorkers: 'block' });

  test('with guest submissions off, a guest\'s form says how to join as soon as it opens', async ({ page }) => {
    // The answer the server gives a device that has not joined while guests are off (member_sessions.rs
    // turns the setting off for real; here it stays on, so that the tests running beside this one can
    // submit).
    const message = '现在只有已加入的成员可以提交：请向本单位联络员或统战部索取邀请链接（或二维码），在手机上打开加入后再提交；您填写的内容仍保存在本机';
    await page.route('**/api/units', (route) => route.fulfill({
      status: 403, contentType: 'application/json', body: JSON.stringify({ message, fields: {} }),
    }));
    await page.goto('/submit');
    await expect(page.locator('.field').filter({ hasText: '所在单位' })).toContainText('索取邀请链接');
    await expect(page.getByRole('button', { name: '重新加载' })).toBeVisible();
  });
});
