import { expect, expectAccessible, test } from './fixtures';
import { joinedContact, publishTopicThroughApi } from './topics-api';
import { ADMIN, STAFF, StaffPage } from './pages/staff-page';
import { TopicsStaffPage } from './pages/topics-staff-page';

// Deadlines in this year, so the topics show in the overview's default year (a topic's year is its deadline's).
const year = new Date().getFullYear();
/** A name of its own for each run: no digits (a roster name is letters). */
const suffix = () => Array.from({ length: 3 }, () => '一二三四五六七八九十'[Math.floor(Math.random() * 10)]).join('');
const shot = (name: string) => ({ path: `test-results/topics-staff-${name}.png`, fullPage: true });

test.describe('党委出题 at the desk', () => {
  test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });

  test('an admin is told what to fix, publishes a topic, edits it and sees the change old beside new in 版本记录', async ({ page }) => {
    const title = `老旧小区加装电梯的推进办法 ${Date.now()}`;
    const staff = new StaffPage(page);
    const topics = new TopicsStaffPage(page);
    await staff.open('/staff/topics');
    await staff.logIn(ADMIN.login, ADMIN.password);
    await expect(page.getByRole('heading', { name: '课题总览', level: 1 })).toBeVisible();
    await page.getByRole('link', { name: '新建课题' }).click();
    await expect(page.getByRole('heading', { name: '新建课题', level: 1 })).toBeVisible();

    // Only a title: publishing says what is missing, and keeps what was typed.
    await topics.title.fill(title);
    await topics.publish.click();
    await expect(page.getByRole('alert')).toContainText('有几处需要修改');
    await expect(page.getByText('请填写课题背景')).toBeVisible();
    await expect(page.getByText('请填写截止日期，格式如 2026-12-31')).toBeVisible();
    await expect(topics.title).toHaveValue(title);
    await page.screenshot(shot('editor-errors'));

    await topics.background.fill('辖区老旧小区多，加装电梯推进缓慢，低层住户与高层住户意见分歧大。');
    await topics.questions.fill('一、主要阻力在哪里？\n二、资金如何分摊？');
    await topics.issuer.selectOption({ label: '区委' });
    await topics.category.fill('城市治理');
    await topics.deadline.fill(`${year}-12-31`);
    await topics.publish.click();
    await topics.expectNotice('已发布');
    await expect(page).toHaveURL(/\/staff\/topics\/\d+\/edit/);
    await expect(page.locator('.topic-state')).toContainText('已发布 第 1 版');
    await expect(topics.versions).toContainText('首次发布');

    // An edit after publishing is version 2, its changes shown field by field.
    await topics.deadline.fill(`${year}-12-30`);
    await topics.category.fill('基层治理');
    await topics.saveChanges.click();
    await topics.expectNotice('已保存修改，现为第 2 版');
    await expect(topics.change(2, '截止日期')).toContainText(`${year}-12-31`);
    await expect(topics.change(2, '截止日期')).toContainText(`${year}-12-30`);
    await expect(topics.change(2, '类别')).toContainText('城市治理');
    await expect(topics.change(2, '类别')).toContainText('基层治理');
    await expect(topics.change(2, '背景')).toHaveCount(0);
    await page.screenshot(shot('editor-versions'));
    await expectAccessible(page, 'the topic editor with its versions');

    // The overview lists it with its issuer, state and deadline.
    await topics.nav.click();
    const row = topics.overviewRow(title);
    await expect(row).toContainText('区委');
    await expect(row).toContainText('已发布');
    await expect(row).toContainText(`${year}-12-30`);
    await page.screenshot(shot('overview'));
    await expectAccessible(page, 'the topics overview');
  });

  test("the board shows a contact's claim made through the API, and a reviewer claims for another unit", async ({ page, request, baseURL }) => {
    const units: { id: number; name: string }[] = await (await request.get('/api/units')).json();
    expect(units.length).toBeGreaterThan(1);
    const title = `新就业群体参与社区治理的路径 ${Date.now()}`;
    const id = await publishTopicThroughApi(request, title, [units[0].id, units[1].id], `${year}-12-31`);
    const contact = await joinedContact(request, baseURL!, `林联络${suffix()}`);
    const claimed = await contact.device.post(`/api/member/topics/${id}/claim`);
    expect(claimed.status(), await claimed.text()).toBe(200);

    const staff = new StaffPage(page);
    const topics = new TopicsStaffPage(page);
    await staff.open(`/staff/topics/${id}`);
    await staff.logIn();
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(topics.boardRow(units[0].name)).toContainText('已认领');
    await expect(topics.boardRow(units[0].name)).toContainText(contact.name);
    await expect(topics.boardRow(units[1].name)).toContainText('未认领');
    await expect(topics.boardRow(units[0].name).getByRole('button')).toHaveCount(0);

    await page.getByRole('button', { name: `代「${units[1].name}」认领` }).click();
    await topics.expectNotice(`已代「${units[1].name}」认领`);
    await expect(topics.boardRow(units[1].name)).toContainText('已认领');
    await expect(topics.boardRow(units[1].name)).toContainText(`${STAFF.name}（工作人员代认领）`);
    await expect(page.locator('.board-counts')).toContainText('已认领 2');
    await page.screenshot(shot('board'));
    await expectAccessible(page, 'the topic board');
    await contact.device.dispose();
  });

  test('an admin approves one 自主选题 with a deadline and declines another with the reason it needs', async ({ page, request, baseURL }) => {
    const stamp = Date.now();
    const contact = await joinedContact(request, baseURL!, `周联络${suffix()}`);
    const approveTitle = `社区托育服务供给调研 ${stamp}`;
    const declineTitle = `夜间经济业态布局调研 ${stamp}`;
    for (const title of [approveTitle, declineTitle]) {
      const sent = await contact.device.post('/api/member/proposals', {
        data: { title, background: '双职工家庭托育需求大，普惠托位不足。', plan: '走访 10 个社区，三个月内形成报告。' },
      });
      expect(sent.status(), await sent.text()).toBe(201);
    }

    const staff = new StaffPage(page);
    const topics = new TopicsStaffPage(page);
    await staff.open('/staff/proposals');
    await staff.logIn(ADMIN.login, ADMIN.password);
    await expect(page.getByRole('heading', { name: '自主选题申报', level: 1 })).toBeVisible();

    const approve = topics.proposal(approveTitle);
    await expect(approve).toContainText('待审核');
    await expect(approve).toContainText(contact.name);
    await approve.getByRole('button', { name: '同意立项' }).click();
    await expect(approve.getByText('同意立项请填写截止日期')).toBeVisible();
    await approve.getByLabel('截止日期').fill(`${year}-12-31`);
    await approve.getByRole('button', { name: '同意立项' }).click();
    await expect(approve).toContainText('已同意立项');

    const decline = topics.proposal(declineTitle);
    await decline.getByRole('button', { name: '不同意' }).click();
    await expect(decline.getByText('请填写不同意的理由，联络员会看到')).toBeVisible();
    await decline.getByLabel('不同意的理由（联络员会看到）').fill('与今年党委出题的夜间经济课题重复，请认领该课题。');
    await decline.getByRole('button', { name: '不同意' }).click();
    await expect(decline).toContainText('未同意：与今年党委出题的夜间经济课题重复');
    await page.screenshot(shot('proposals'));
    await expectAccessible(page, 'the proposals');

    // The approved one is a topic now, for that unit, already claimed by it.
    await approve.getByRole('link', { name: '查看课题看板' }).click();
    await expect(page.getByRole('heading', { name: approveTitle, level: 1 })).toBeVisible();
    await expect(topics.boardRow(contact.unit.name)).toContainText('已认领');
    await contact.device.dispose();
  });

  test('a reviewer finds a result by its topic, grades it 优秀 with a comment, and the list and board show it', async ({ page, request, baseURL }) => {
    const units: { id: number; name: string }[] = await (await request.get('/api/units')).json();
    const stamp = Date.now();
    const topicTitle = `营商环境优化的堵点调研 ${stamp}`;
    const id = await publishTopicThroughApi(request, topicTitle, [units[0].id], `${year}-12-31`);
    const contact = await joinedContact(request, baseURL!, `吴联络${suffix()}`);
    expect((await contact.device.post(`/api/member/topics/${id}/claim`)).status()).toBe(200);
    const resultTitle = `关于营商环境堵点的调研报告 ${stamp}`;
    const sent = await contact.device.post('/api/submissions', {
      data: {
        kind: 'research_report',
        topic_id: id,
        summary: '走访 30 家企业，梳理出审批、融资、用工三类堵点。',
        title: resultTitle,
        body: '调研组走访辖区 30 家中小企业，发现审批环节多、融资难、用工成本高三类问题，并提出对应建议。',
        unit_id: contact.unit.id,
        name: contact.name,
        phone: contact.phone,
        cosigners: [],
      },
    });
    expect(sent.status(), await sent.text()).toBe(201);
    const { code } = await sent.json();

    const staff = new StaffPage(page);
    await staff.open(`/staff/?topic=${id}`);
    await staff.logIn();
    await expect(page.getByLabel('课题')).toHaveValue(String(id));
    await expect(staff.rows).toHaveCount(1);
    await staff.row(code).getByRole('link', { name: code }).click();
    const part = page.getByRole('region', { name: '调研课题与评审' });
    await expect(part.getByRole('link', { name: topicTitle })).toBeVisible();
    await expect(part).toContainText('走访 30 家企业');
    await expect(part).toContainText('尚未评定');

    await part.getByRole('button', { name: '评定等级' }).click();
    await expect(part.getByRole('alert')).toContainText('请选择等级');
    await part.getByRole('radio', { name: '优秀' }).check();
    await part.getByLabel('评语').fill('问题找得准，建议可操作。');
    await part.getByRole('button', { name: '评定等级' }).click();
    await expect(part.getByRole('status')).toContainText('已评定为「优秀」');
    await expect(part).toContainText(`优秀：问题找得准，建议可操作。 · ${STAFF.name}`);
    await page.screenshot(shot('grading'));
    await expectAccessible(page, 'a graded result');

    await page.goto(`/staff/?topic=${id}`);
    await expect(staff.row(code)).toContainText('评审优秀');
    await page.goto(`/staff/topics/${id}`);
    const row = new TopicsStaffPage(page).boardRow(units[0].name);
    await expect(row).toContainText('已评审');
    await expect(row.getByRole('link', { name: resultTitle })).toBeVisible();
    await expect(row).toContainText('优秀');
    await contact.device.dispose();
  });

  test('a topic past its deadline is marked overdue on the overview and on its board', async ({ page, request }) => {
    const today = new Date();
    test.skip(today.getMonth() === 0 && today.getDate() === 1, 'no earlier day in this year to be overdue since');
    const units: { id: number; name: string }[] = await (await request.get('/api/units')).json();
    const title = `河道保洁长效机制调研 ${Date.now()}`;
    const id = await publishTopicThroughApi(request, title, [units[0].id], `${year}-01-01`);
    const staff = new StaffPage(page);
    const topics = new TopicsStaffPage(page);
    await staff.open('/staff/topics?overdue=true');
    await staff.logIn();
    const row = topics.overviewRow(title);
    await expect(row).toHaveClass(/overdue/);
    await expect(row).toContainText('已逾期');
    await row.getByRole('link', { name: title }).click();
    await expect(page).toHaveURL(new RegExp(`/staff/topics/${id}$`));
    await expect(topics.boardRow(units[0].name)).toHaveClass(/overdue/);
    await expect(topics.boardRow(units[0].name)).toContainText('已逾期');
    await expect(page.locator('.board-counts')).toContainText('逾期 1');
  });
});
