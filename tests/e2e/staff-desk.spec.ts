import { devices } from '@playwright/test';
import { expect, test } from './fixtures';
import { createThroughApi } from './api';
import { ADMIN, StaffPage } from './pages/staff-page';

test.describe('at a desk', () => {
  test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });

  test('a reviewer finds a submission, accepts, assigns and replies; the member rates 不满意 and it is handled again', async ({ page, browser, request, baseURL }) => {
    const stamp = Date.now();
    const title = `关于社区养老驿站服务标准的建议 ${stamp}`;
    const { code, secret } = await createThroughApi(request, title,
      '社区养老驿站收费标准不一、服务内容不透明，老人和家属难以比较选择。建议统一公示服务清单和收费标准。');
    const staff = new StaffPage(page);
    await staff.open();
    await staff.logIn();
    await staff.expectDesk();

    // Filter by unit, then search a four-character substring of the body: the row is there.
    await staff.unit.selectOption({ index: 1 });
    await expect(page).toHaveURL(/unit=\d+/);
    await staff.search.fill('收费标准');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(page).toHaveURL(/q=/);
    await expect(staff.row(code)).toBeVisible();
    // The view is in the address: a reload shows the same.
    await page.reload();
    await expect(staff.row(code)).toBeVisible();

    await staff.row(code).getByRole('link', { name: code }).click();
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await staff.act('受理');
    await expect(page.locator('.desk-submission .badge')).toHaveText('已受理');
    await staff.act('交办', { '承办单位': '区民政局' });
    await expect(page.locator('.desk-submission .badge')).toHaveText('已交办');
    await staff.act('开始办理');
    await expect(page.locator('.desk-submission .badge')).toHaveText('办理中');
    await staff.act('答复', { '答复内容（提交人会看到）': '区民政局已制定驿站服务清单模板，下月起统一公示。' });
    await expect(page.locator('.desk-submission .badge')).toHaveText('已答复');

    // The member, on a phone: 查询进度 shows the reply; they rate it 不满意 with why.
    const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL });
    const member = await phone.newPage();
    // A second context, outside the shared fixture's watch: its page errors are collected here.
    const memberErrors: string[] = [];
    member.on('pageerror', (error) => memberErrors.push(error.message));
    await member.goto(`/track/${code}#${secret}`);
    await expect(member.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(member.getByRole('list', { name: '办理进度' })).toContainText('区民政局已制定驿站服务清单模板');
    await member.getByRole('radio', { name: '不满意' }).check();
    await member.getByLabel('意见（不满意时必填）').fill('只公示清单不够，收费标准仍未统一。');
    await member.getByRole('button', { name: '提交评价' }).click();
    await expect(member.locator('.submission-view .badge')).toHaveText('办理中');
    await phone.close();
    expect(memberErrors).toEqual([]);

    // Back at the desk, it is being handled again, with the member's reason on the timeline.
    await page.reload();
    await expect(page.locator('.desk-submission .badge')).toHaveText('办理中');
    await expect(page.locator('.timeline')).toContainText('收费标准仍未统一');
  });

  test("a returned submission is revised on the member's phone and comes back under the same code", async ({ page, browser, request, baseURL }) => {
    const title = `关于背街小巷路灯维修的建议 ${Date.now()}`;
    const { code, secret } = await createThroughApi(request, title);
    const staff = new StaffPage(page);
    await staff.open(`/staff/submissions/${code}`);
    await staff.logIn();
    await staff.act('退回修改', { '退回原因（提交人会看到）': '请写明具体是哪几条小巷' });
    await expect(page.locator('.desk-submission .badge')).toHaveText('退回修改');

    const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL });
    const member = await phone.newPage();
    const memberErrors: string[] = [];
    member.on('pageerror', (error) => memberErrors.push(error.message));
    await member.goto(`/track/${code}#${secret}`);
    await expect(member.getByRole('list', { name: '办理进度' })).toContainText('请写明具体是哪几条小巷');
    await member.getByRole('button', { name: '修改后重新提交' }).click();
    // The member's own text, in the form, with the reason.
    await expect(member.getByLabel('案由', { exact: true })).toHaveValue(title);
    await expect(member.getByRole('alert')).toContainText('请写明具体是哪几条小巷');
    const body = member.getByLabel('内容', { exact: true });
    await body.fill(`${await body.inputValue()}涉及建设路东三巷、桐柏路北二巷。`);
    await member.getByRole('button', { name: '提交', exact: true }).click();
    await expect(member.getByRole('heading', { name: '提交成功' })).toBeVisible();
    await expect(member.locator('.receipt .code')).toHaveText(code);
    await phone.close();
    expect(memberErrors).toEqual([]);

    await page.reload();
    await expect(page.locator('.desk-submission .badge')).toHaveText('已提交');
    await expect(page.locator('.body-text')).toContainText('建设路东三巷');
    await expect(page.locator('.timeline')).toContainText('重新提交');
  });

  test('a reviewer records an adoption with a PDF; the link downloads the same file, and a program is turned back', async ({ page, request }) => {
    const { code } = await createThroughApi(request, `关于社区食堂补贴的建议 ${Date.now()}`);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
      '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const staff = new StaffPage(page);
    await staff.open(`/staff/submissions/${code}`);
    await staff.logIn();
    const form = page.getByRole('form', { name: '记录采用' });

    // A program renamed or not is turned back in the browser, before anything is sent.
    await form.getByLabel('采用文件').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
    await expect(form.getByRole('alert')).toContainText('只能上传 PDF');

    await form.getByLabel('采用单位').fill('区政府办公室');
    await form.getByLabel('采用日期').fill('2026-03-01');
    await form.getByLabel('采用文件').setInputFiles({ name: '区政府采用通知.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect(form.getByRole('alert')).toHaveCount(0);
    await form.getByRole('button', { name: '记录采用' }).click();

    const link = page.getByRole('link', { name: '区政府采用通知.pdf' });
    await expect(link).toBeVisible();
    await expect(page.locator('.timeline')).toContainText('被区级采用（区政府办公室）');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('区政府采用通知.pdf');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(path)).equals(pdf)).toBe(true);
    // The same address as the browser's session fetches it: the type is the file's, never sniffed.
    const response = await page.request.get((await link.getAttribute('href'))!);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
  });

  test('a logged-out visitor opening a deep staff address logs in and lands on that address', async ({ page, request }) => {
    const { code } = await createThroughApi(request, `关于深链接登录的建议 ${Date.now()}`);
    const staff = new StaffPage(page);

    await staff.open(`/staff/submissions/${code}`);
    await staff.expectLoginForm();
    await staff.logIn();

    await expect(page).toHaveURL(new RegExp(`/staff/submissions/${code}$`));
    await expect(page.locator('.desk-submission .code')).toHaveText(code);
  });

  test('an admin reads the audit log; a reviewer is not offered it', async ({ page }) => {
    const staff = new StaffPage(page);
    await staff.open();
    await staff.logIn(ADMIN.login, ADMIN.password);
    await staff.expectDesk(ADMIN.name);

    await page.getByRole('link', { name: '操作日志' }).click();

    await expect(page.getByRole('heading', { name: '操作日志', level: 1 })).toBeVisible();
    await expect(page.locator('table.desk-list tbody')).toContainText(ADMIN.login);
  });
});
