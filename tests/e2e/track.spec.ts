import { expect, test } from './fixtures';
import { createThroughApi } from './api';
import { TrackPage } from './pages/track-page';

test('a submission is found on 查询进度 with its code and secret', async ({ page, request }) => {
  const title = '关于菜市场周边占道经营的社情民意';
  const { code, secret } = await createThroughApi(request, title);
  const track = new TrackPage(page);
  await track.open();
  await expect(page.getByText('这台设备上还没有提交记录')).toBeVisible();

  await track.lookUp(code.toLowerCase(), secret);

  await track.expectSubmission(title, '已提交');
  expect(new URL(page.url()).search).toBe('');
  // Found once, it is kept on this device.
  await track.open();
  await expect(track.receipts).toContainText(title);
});

test('a wrong secret is refused with a message the member can act on', async ({ page, request }) => {
  const { code } = await createThroughApi(request, '关于增设社区快递柜的建议');
  const track = new TrackPage(page);
  await track.open();

  await track.lookUp(code, '0'.repeat(32));

  await expect(page.getByRole('alert')).toContainText('请核对回执编号和查询密码');
});

test('a malformed code is caught before anything is sent', async ({ page }) => {
  const track = new TrackPage(page);
  await track.open();

  await track.lookUp('12345', 'abc');

  await expect(page.getByRole('alert')).toContainText('JY-年份-编号');
});

test('a kept link opens the submission on another device', async ({ page, request }) => {
  const title = '关于老年人智能手机培训的建议';
  const { code, secret } = await createThroughApi(request, title);

  await page.goto(`/track/${code}#${secret}`);

  await new TrackPage(page).expectSubmission(title, '已提交');
});

test.describe('without the service worker (which would answer from its copy)', () => {
  test.use({ serviceWorkers: 'block' });

  test('a status that could not be fetched is fetched again without a reload', async ({ page, request }) => {
    const title = '关于老旧小区加装电梯的建议';
    const { code, secret } = await createThroughApi(request, title);
    const track = new TrackPage(page);
    await track.open();
    await track.lookUp(code, secret);
    await track.expectSubmission(title, '已提交');

    // The first status request of 查询进度 finds no network; later ones get through.
    let failed = 0;
    await page.route(`**/api/submissions/${code}**`, async (route) => {
      if (failed === 0) {
        failed += 1;
        await route.abort('internetdisconnected');
      } else {
        await route.continue();
      }
    });
    await track.open();
    const row = track.receipts.filter({ hasText: title });
    await expect(row).toContainText('暂时无法获取状态');
    await expect(row).toContainText('已提交', { timeout: 10_000 });
    expect(failed).toBe(1);
  });
});
