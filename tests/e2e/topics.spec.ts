import { devices, type Browser, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { expect, expectAccessible, expectNoSidewaysOverflow, test } from './fixtures';
import { addMember, invite, logInAsAdmin } from './api';
import { addContact, joinOnPhone, pdfBytes, publishTopic, TopicsPage } from './pages/topics-page';

/** A second phone (its own browser context), its page errors failing the test like the first one's. */
async function secondPhone(browser: Browser, baseURL: string | undefined, problems: string[]) {
  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error at ${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console.error at ${page.url()}: ${message.text()}`);
    }
  });
  return { context, page };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/topics-${name}.png`, fullPage: true });
}

test('a contact claims a topic, a member sends a result with a PDF through a dropped network, and staff grade it 优秀', async ({ page, request, browser, baseURL }) => {
  test.setTimeout(120_000);
  const title = `关于老旧小区加装电梯的调研 ${Date.now() % 100000}`;
  const topicId = await publishTopic(request, title, 12);
  const contact = await addContact(request, '郑联络');
  const member = await addMember(request, '吴研究');
  const problems: string[] = [];

  // The unit's 联络员 sees the topic with its deadline, and claims it after a confirm.
  await joinOnPhone(page, await invite(request, contact), contact);
  const contactTopics = new TopicsPage(page);
  await contactTopics.list();
  const card = page.getByRole('link', { name: new RegExp(title) });
  await expect(card).toContainText('还剩 12 天');
  await expect(card).toContainText('本单位：未认领');
  await expectAccessible(page, '课题');
  await expectNoSidewaysOverflow(page, '课题');
  await shot(page, 'list');
  await card.click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.getByText('暂无其他单位认领')).toBeVisible();
  page.once('dialog', (dialog) => dialog.accept());
  await contactTopics.claim.click();
  await expect(contactTopics.giveBack).toBeVisible();
  await expect(page.getByText(`${contact.name} 于`)).toBeVisible();
  await expect(page.getByText('本单位：已认领')).toBeVisible();
  await expectAccessible(page, 'a claimed topic');
  await shot(page, 'topic-claimed');

  // A member of the unit writes a result and attaches a 3 MB PDF.
  const { context: memberContext, page: phone } = await secondPhone(browser, baseURL, problems);
  await joinOnPhone(phone, await invite(request, member), member);
  const topics = new TopicsPage(phone);
  await topics.topic(topicId, title);
  await expect(topics.claim).toHaveCount(0);
  await topics.submitResult.click();
  await expect(phone.getByRole('heading', { name: '提交调研成果', level: 1 })).toBeVisible();
  const resultTitle = `加装电梯调研报告 ${Date.now() % 100000}`;
  await topics.title.fill(resultTitle);
  await topics.summary.fill('资金分摊按楼层系数，维护费用纳入物业。');
  await topics.body.fill('调研走访了三个街道的十二个小区，发现主要障碍在于低层住户的意见和资金分摊方式。建议出台分摊指引并设立维护基金。');
  const pdf = pdfBytes(3 * 1024 * 1024);
  await topics.files.setInputFiles({ name: '调研报告.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(phone.getByText('调研报告.pdf')).toBeVisible();
  await expectAccessible(phone, 'the result form with a file');
  await shot(phone, 'result-form');

  // The network drops after the first chunk reached the server (and the member saw it move), and comes
  // back a little later.
  const patches: number[] = [];
  let creates = 0;
  let release = () => {};
  const seenProgress = new Promise<void>((resolve) => { release = resolve; });
  await phone.route('**/api/uploads**', async (route) => {
    const method = route.request().method();
    if (method === 'POST') creates += 1;
    if (method === 'PATCH') {
      patches.push(Number(route.request().headers()['upload-offset']));
      if (patches.length === 2) {
        await seenProgress;
        await memberContext.setOffline(true);
        await route.abort('internetdisconnected');
        return;
      }
    }
    await route.continue();
  });
  await topics.send.click();
  const bar = phone.getByRole('progressbar', { name: '调研报告.pdf 上传进度' });
  await expect(bar).toHaveAttribute('value', /^[1-9]\d*$/);
  await expect(phone.getByText(/附件上传 [1-9]\d*%/)).toBeVisible();
  release();
  await expect(phone.getByText(/联网后会自动从中断的地方继续上传/)).toBeVisible({ timeout: 20_000 });
  await shot(phone, 'result-offline');
  await memberContext.setOffline(false);
  const code = await topics.receiptCode();
  expect(code).toMatch(/^JY-\d{4}-\d+$/);
  await shot(phone, 'result-receipt');
  expect(creates, 'the upload was created once and resumed, not started over').toBe(1);
  expect(patches[0]).toBe(0);
  expect(patches[2], `the first PATCH after the network came back (offsets ${patches})`).toBeGreaterThan(0);

  // Staff see it on the topic's board, download the very bytes, and grade it 优秀.
  await logInAsAdmin(request);
  const board = await (await request.get(`/api/staff/topics/${topicId}/board`)).json();
  const row = board.rows.find((r: { unit: { name: string } }) => r.unit.name === member.unit);
  expect(row.state).toBe('submitted');
  expect(row.results.map((r: { code: string }) => r.code)).toContain(code);
  const detail = await (await request.get(`/api/staff/submissions/${code}`)).json();
  expect(detail.attachments).toHaveLength(1);
  const download = await request.get(`/api/staff/attachments/${detail.attachments[0].id}`);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toContain('attachment');
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  expect(sha(await download.body())).toBe(sha(pdf));
  const graded = await request.post(`/api/staff/submissions/${code}/grade`, { data: { grade: 'excellent', comment: '数据扎实' } });
  expect(graded.status(), await graded.text()).toBe(200);

  // The member sees the grade on the topic page.
  await topics.topic(topicId, title);
  await expect(phone.getByText('评审：优秀')).toBeVisible();
  await expect(phone.getByText(resultTitle)).toBeVisible();
  await shot(phone, 'topic-graded');
  await memberContext.close();
  expect(problems).toEqual([]);
});

test('a member who is not the contact is told who claims, and the contact gives a topic back before any result', async ({ page, request, browser, baseURL }) => {
  const title = `关于夜间经济街区管理的调研 ${Date.now() % 100000}`;
  const topicId = await publishTopic(request, title, 3);
  const member = await addMember(request, '孙成员');
  await joinOnPhone(page, await invite(request, member), member);
  const topics = new TopicsPage(page);
  await topics.topic(topicId, title);
  await expect(topics.claim).toHaveCount(0);
  await expect(page.getByText('认领由本单位联络员办理，请联系联络员')).toBeVisible();
  await page.goto(`/topics/${topicId}/result`);
  await expect(page.getByText('本单位还没有认领这个课题，认领后才能提交调研成果')).toBeVisible();

  const contact = await addContact(request, '钱联络');
  const problems: string[] = [];
  const { context, page: contactPhone } = await secondPhone(browser, baseURL, problems);
  await joinOnPhone(contactPhone, await invite(request, contact), contact);
  const contactTopics = new TopicsPage(contactPhone);
  await contactTopics.topic(topicId, title);
  contactPhone.once('dialog', (dialog) => dialog.accept());
  await contactTopics.claim.click();
  contactPhone.once('dialog', (dialog) => dialog.accept());
  await contactTopics.giveBack.click();
  await expect(contactTopics.claim).toBeVisible();
  await expect(contactPhone.getByText('本单位：未认领')).toBeVisible();
  await context.close();
  expect(problems).toEqual([]);
});

test('a device that has not joined is told how to join, on the list and on the form with files', async ({ page }) => {
  await page.goto('/topics/');
  await expect(page.getByRole('heading', { name: '课题', level: 1 })).toBeVisible();
  await expect(page.getByText('请打开统战部或本单位联络员发给您的个人邀请链接')).toBeVisible();
  await page.goto('/topics/submit');
  await expect(page.getByRole('heading', { name: '提交建言', level: 1 })).toBeVisible();
  await expect(page.getByText('请打开统战部或本单位联络员发给您的个人邀请链接')).toBeVisible();
  await expectAccessible(page, 'topics, not joined');
});

test('the result form keeps what was typed across a reload, and the members\' form links to the form with files', async ({ page, request }) => {
  const title = `关于社区养老服务的调研 ${Date.now() % 100000}`;
  const topicId = await publishTopic(request, title, 20);
  const contact = await addContact(request, '冯联络');
  await joinOnPhone(page, await invite(request, contact), contact);
  const topics = new TopicsPage(page);
  await topics.topic(topicId, title);
  page.once('dialog', (dialog) => dialog.accept());
  await topics.claim.click();
  await topics.submitResult.click();
  await topics.title.fill('社区养老服务调研报告');
  await topics.body.fill('走访了五个社区的日间照料中心。');
  await expect(page.getByText('草稿已保存在本机')).toBeVisible();
  await page.reload();
  await expect(topics.title).toHaveValue('社区养老服务调研报告');
  await expect(topics.body).toHaveValue('走访了五个社区的日间照料中心。');
  // Too short a body is refused in the browser with what to fix, before anything is sent.
  await topics.send.click();
  await expect(page.locator('#body-error')).toContainText('20');
  await expect(page.getByText('有几项需要修改')).toBeVisible();

  await page.goto('/submit');
  await page.getByRole('link', { name: '需要附上文件？' }).click();
  await expect(page.getByRole('heading', { name: '提交建言', level: 1 })).toBeVisible();
  await expect(page.getByText(`领衔人：${contact.name}（${contact.unit}）`)).toBeVisible();
  await expect(page.getByLabel('添加附件')).toBeAttached();
  await expectAccessible(page, 'the form with files');
  await expectNoSidewaysOverflow(page, 'the form with files');
  await shot(page, 'submit-with-files');
});
