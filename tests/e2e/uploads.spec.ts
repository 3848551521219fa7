import { createHash } from 'node:crypto';
import { expect, test } from './fixtures';
import { addMember, invite, logInAsAdmin } from './api';
import { joinOnPhone, pdfBytes } from './pages/topics-page';
import { StaffPage } from './pages/staff-page';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('a file sent with a submission survives a reload mid-upload: kept in IndexedDB, resumed from the server\'s offset, sent once', async ({ page, request }) => {
  test.setTimeout(90_000);
  const member = await addMember(request, '钱上传');
  await joinOnPhone(page, await invite(request, member), member);
  await page.goto('/topics/submit');
  const title = `社区停车难的建议 ${Date.now() % 100000}`;
  await page.getByLabel('标题', { exact: true }).fill(title);
  await page.getByLabel('内容', { exact: true }).fill('小区周边停车位不足，夜间占道停车严重，建议错时开放机关单位停车场并增设临时泊位。');
  const files = page.getByLabel('添加附件');

  // The browser turns back a program before anything is sent, in the server's words.
  await files.setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await expect(page.getByText(/setup\.exe：只能上传 PDF、Word、Excel、WPS 文档或 PNG、JPEG 图片/)).toBeVisible();
  const pdf = pdfBytes(2 * 1024 * 1024 + 4321);
  await files.setInputFiles({ name: '停车调查.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(page.getByText('停车调查.pdf')).toBeVisible();

  // The third chunk never arrives: the connection fails from then on, and the member closes the page
  // (a reload: nothing of the page's memory is left, only localStorage and IndexedDB).
  const patches: number[] = [];
  let creates = 0;
  let broken = false;
  let failing = () => {};
  const failed = new Promise<void>((resolve) => { failing = resolve; });
  await page.route('**/api/uploads**', async (route) => {
    const method = route.request().method();
    if (method === 'POST') creates += 1;
    if (method === 'PATCH') {
      patches.push(Number(route.request().headers()['upload-offset']));
      if (patches.length === 3) broken = true;
      if (broken) {
        failing();
        await route.abort('connectionreset');
        return;
      }
    }
    await route.continue();
  });
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await failed;
  const beforeReload = patches.length;
  broken = false;
  await page.reload();

  // The outbox starts again by itself, asks the server's offset, and goes on from there.
  await expect.poll(async () => {
    const mine = await (await page.request.get('/api/member/submissions')).json();
    return mine.map((s: { title: string }) => s.title);
  }, { timeout: 45_000 }).toContain(title);
  const resumedAt = patches[beforeReload];
  expect(creates, 'one upload, resumed rather than started over').toBe(1);
  expect(resumedAt, `the first PATCH after the reload (offsets ${patches})`).toBe(2 * 512 * 1024);
  await expect(page.getByRole('heading', { name: '待发送' })).toHaveCount(0);

  // Staff get the very bytes, once.
  const mine = await (await page.request.get('/api/member/submissions')).json();
  const sent = mine.filter((s: { title: string }) => s.title === title);
  expect(sent).toHaveLength(1);
  await logInAsAdmin(request);
  const detail = await (await request.get(`/api/staff/submissions/${sent[0].code}`)).json();
  expect(detail.attachments.map((f: { name: string }) => f.name)).toEqual(['停车调查.pdf']);
  const download = await request.get(`/api/staff/attachments/${detail.attachments[0].id}`);
  expect(download.status()).toBe(200);
  expect(download.headers()['x-content-type-options']).toBe('nosniff');
  expect(sha(await download.body())).toBe(sha(pdf));
  await page.screenshot({ path: 'test-results/uploads-after-reload.png', fullPage: true });

  // On the desk, the submission lists its file as a download link with its size.
  const staff = new StaffPage(page);
  await staff.open(`/staff/submissions/${sent[0].code}`);
  await staff.logIn();
  await expect(page.getByRole('heading', { name: '附件（1 个）' })).toBeVisible();
  const link = page.getByRole('link', { name: '停车调查.pdf' });
  await expect(link).toHaveAttribute('href', `/api/staff/attachments/${detail.attachments[0].id}`);
  await expect(page.locator('.submission-files')).toContainText('2.0 MB');
  await page.screenshot({ path: 'test-results/uploads-staff-detail.png', fullPage: true });
});
