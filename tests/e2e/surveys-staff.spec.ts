import { readFileSync } from 'node:fs';
import { request as newRequest } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { addMember, invite, logInAsAdmin } from './api';
import { ADMIN, StaffPage } from './pages/staff-page';
import { SurveysStaffPage } from './pages/surveys-staff-page';
import { sheetRows } from './xlsx';

/** Sends one response to a public-link survey from a device of its own (its own cookie jar). */
async function answerByLink(baseURL: string, key: string, answers: unknown[]) {
  const device = await newRequest.newContext({ baseURL });
  expect((await device.get(`/api/surveys/link/${key}`)).status()).toBe(200);
  const sent = await device.post(`/api/surveys/link/${key}/responses`, {
    data: { answers },
    headers: { 'Idempotency-Key': crypto.randomUUID() },
  });
  expect(sent.status(), await sent.text()).toBe(201);
  await device.dispose();
}

test.describe('问卷 at a desk', () => {
  test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });

  test('an admin builds a four-question survey with a skip rule, publishes it by link, and reads the counts, the chart tables and both exports', async ({ page, baseURL }) => {
    const stamp = Date.now();
    const surveyTitle = `会议反馈 ${stamp}`;
    const staff = new StaffPage(page);
    const surveys = new SurveysStaffPage(page);
    await staff.open();
    await staff.logIn(ADMIN.login, ADMIN.password);
    await staff.expectDesk(ADMIN.name);
    await surveys.openList();
    await page.getByRole('link', { name: '新建问卷' }).click();

    // Saving with no title and no question is refused in the browser, naming what to fix.
    await surveys.save.click();
    await expect(page.getByRole('alert')).toContainText('请填写问卷标题');
    await expect(page.getByRole('alert')).toContainText('请至少添加一道题');
    await expect(surveys.title).toHaveAccessibleDescription('请填写问卷标题');

    await surveys.title.fill(surveyTitle);
    await surveys.intro.fill('请就本次协商座谈会谈谈您的看法。');
    await surveys.addQuestion('单选');
    // The new question's title box has the keyboard.
    await expect(surveys.question(1).getByLabel('题目', { exact: true })).toBeFocused();
    await surveys.writeQuestion(1, '您是否参加了本次会议', ['参加了', '没参加']);
    await surveys.addQuestion('多选');
    await surveys.writeQuestion(2, '您关注的议题', ['教育', '医疗', '环保']);
    await surveys.question(2).getByLabel('最后加一项「其他」（成员可填写）').check();
    await surveys.question(2).getByLabel('最多选几项').fill('2');
    await surveys.showOnlyIf(2, '参加了');
    await surveys.addQuestion('评分');
    await surveys.writeQuestion(3, '您对本次会议的总体评价');
    await surveys.addQuestion('详答');
    await surveys.writeQuestion(4, '您还有什么建议');
    await surveys.question(4).getByLabel('必答').uncheck();

    // The phone preview follows the skip rule: 第 2 题 shows only once 参加了 is picked there.
    await expect(surveys.preview.getByText(surveyTitle)).toBeVisible();
    await expect(surveys.preview.getByText('您关注的议题')).toHaveCount(0);
    await surveys.preview.getByRole('radio', { name: '参加了' }).check();
    const topicsShown = surveys.preview.getByRole('group', { name: /您关注的议题/ });
    await expect(topicsShown).toBeVisible();
    await expect(topicsShown.getByRole('checkbox', { name: '其他', exact: true })).toBeVisible();

    // Reorder with the keyboard: 下移 keeps the focus on the moved question's button, 上移 puts it back.
    await surveys.question(3).getByRole('button', { name: '下移第 3 题' }).focus();
    await page.keyboard.press('Enter');
    await expect(surveys.question(4).getByLabel('题目', { exact: true })).toHaveValue('您对本次会议的总体评价');
    await expect(surveys.question(4).getByRole('button', { name: '下移第 4 题' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(surveys.question(4).getByRole('button', { name: '上移第 4 题' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(surveys.question(3).getByLabel('题目', { exact: true })).toHaveValue('您对本次会议的总体评价');

    await surveys.save.click();
    await expect(page.getByText('已保存', { exact: true })).toBeVisible();
    await expect(page).toHaveURL(/\/staff\/surveys\/\d+$/);
    const id = Number(page.url().split('/').pop());
    // The saved survey comes back from the server as typed, skip rule included.
    await page.reload();
    await expect(surveys.title).toHaveValue(surveyTitle);
    await expect(surveys.question(2).getByLabel('仅在前面某题选了特定选项时显示')).toBeChecked();
    await page.screenshot({ path: 'test-results/surveys-builder.png', fullPage: true });
    await expectAccessible(page, 'the survey builder');

    // Publish to anyone with the link: the link and its QR code appear.
    await surveys.publishForm.getByLabel('持链接者均可填写（不限名册，每台设备一份）').check();
    await surveys.publishForm.getByRole('button', { name: '发布' }).click();
    await expect(surveys.publishForm.getByText('已发布')).toBeVisible();
    await expect(page.getByRole('img', { name: '填写链接的二维码' })).toBeVisible();
    const link = await surveys.link.inputValue();
    const key = link.split('/link/')[1];
    expect(key).toBeTruthy();

    // Two devices answer: one attended (and typed a suggestion), one did not (so 第 2 题 was skipped).
    await answerByLink(baseURL!, key, [
      { question: 1, value: { type: 'choice', options: [1] } },
      { question: 2, value: { type: 'choice', options: [1, 3] } },
      { question: 3, value: { type: 'rating', value: 5 } },
      { question: 4, value: { type: 'text', value: `会议材料请提前三天发放 ${stamp}` } },
    ]);
    await answerByLink(baseURL!, key, [
      { question: 1, value: { type: 'choice', options: [2] } },
      { question: 3, value: { type: 'rating', value: 2 } },
    ]);

    await page.getByRole('link', { name: '查看结果' }).click();
    await expect(page.getByRole('heading', { name: `问卷结果：${surveyTitle}`, level: 1 })).toBeVisible();
    await expect(page.getByText('共收到 2 份答卷')).toBeVisible();
    const attended = surveys.chartTable(1, '您是否参加了本次会议');
    await expect(attended.getByRole('row', { name: '参加了' })).toHaveText(/参加了\s*1\s*50\.0%/);
    // 第 2 题 was answered by one response: both picks count 100%.
    const topics = surveys.chartTable(2, '您关注的议题');
    await expect(topics.getByRole('row', { name: '教育' })).toHaveText(/教育\s*1\s*100\.0%/);
    await expect(topics.getByRole('row', { name: '医疗' })).toHaveText(/医疗\s*0\s*0\.0%/);
    await expect(page.getByText('平均 3.5 分')).toBeVisible();
    await expect(page.getByText(`会议材料请提前三天发放 ${stamp}`)).toBeVisible();
    const suggestions = page.getByRole('region', { name: '第 4 题 您还有什么建议' });
    await suggestions.getByLabel('搜索第 4 题的回答').fill('不存在的词');
    await suggestions.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(page.getByText('共 0 条回答')).toBeVisible();
    await expect(page.getByRole('table', { name: /每日答卷数/ })).toContainText('2');
    await page.screenshot({ path: 'test-results/surveys-results.png', fullPage: true });
    await expectAccessible(page, 'the survey results');

    // Both exports hold the attended response's row.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
    const csvText = readFileSync((await csv.path())!, 'utf8');
    expect(csvText).toContain(`会议材料请提前三天发放 ${stamp}`);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
    const rows = sheetRows((await xlsx.path())!);
    expect(rows.filter((row) => row.includes(`会议材料请提前三天发放 ${stamp}`))).toHaveLength(1);

    // Now that answers exist, removing a question is refused and the server's reason is shown.
    await page.goto(`/staff/surveys/${id}`);
    await expect(page.getByText('这份问卷已有答卷')).toBeVisible();
    await surveys.question(4).getByRole('button', { name: '删除第 4 题' }).click();
    await surveys.save.click();
    await expect(page.getByRole('form', { name: '问卷内容' }).getByRole('alert')).toContainText('不能删除题目');
    // What was typed stays on the page.
    await expect(surveys.title).toHaveValue(surveyTitle);
  });

  test('an admin duplicates an earlier survey from the list and gets a new draft with the same questions', async ({ page, request }) => {
    const stamp = Date.now();
    const title = `年度工作评议 ${stamp}`;
    await logInAsAdmin(request);
    const created = await request.post('/api/staff/surveys', {
      data: {
        definition: {
          title,
          intro: '',
          questions: [
            { id: 1, title: '您对统战部今年工作的总体评价', required: true, kind: { type: 'rating' } },
            { id: 2, title: '明年最希望加强的工作', required: false, kind: { type: 'long_text' } },
          ],
        },
      },
    });
    expect(created.status(), await created.text()).toBe(201);

    const staff = new StaffPage(page);
    const surveys = new SurveysStaffPage(page);
    await staff.open();
    await staff.logIn(ADMIN.login, ADMIN.password);
    await surveys.openList();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });
    await expect(row).toContainText('未发布');
    await row.getByRole('button', { name: `复制「${title}」` }).click();

    await expect(page.getByRole('heading', { name: '编辑问卷', level: 1 })).toBeVisible();
    await expect(surveys.title).toHaveValue(new RegExp(`^${title}`));
    await expect(surveys.title).not.toHaveValue(title);
    await expect(surveys.question(1).getByLabel('题目', { exact: true })).toHaveValue('您对统战部今年工作的总体评价');
    await expect(surveys.question(2).getByLabel('题目', { exact: true })).toHaveValue('明年最希望加强的工作');
    await expect(page.getByText('已收到 0 份答卷')).toBeVisible();
    // The list now holds both.
    await surveys.openList();
    await expect(page.getByRole('link', { name: new RegExp(`^${title}`) })).toHaveCount(2);
    await page.screenshot({ path: 'test-results/surveys-list.png', fullPage: true });
    await expectAccessible(page, 'the survey list');
  });

  test('a survey for all units shows the response rate per unit and breaks a question down by unit', async ({ page, request, baseURL }) => {
    const stamp = Date.now();
    const title = `民主党派需求调研 ${stamp}`;
    const member = await addMember(request, `${'赵钱孙李周吴郑王'[stamp % 8]}晓问`);
    const token = (await invite(request, member)).split('#')[1];
    const created = await request.post('/api/staff/surveys', {
      data: {
        definition: {
          title,
          intro: '',
          questions: [{
            id: 1, title: '您最需要的支持', required: true,
            kind: { type: 'single_choice', options: [{ id: 1, label: '调研经费' }, { id: 2, label: '培训' }], other: false },
          }],
        },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const id = (await created.json()).id;
    const china = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
    const published = await request.post(`/api/staff/surveys/${id}/publish`, {
      data: { opens_at: china(Date.now() - 60_000), closes_at: china(Date.now() + 86_400_000), audience: { type: 'all_units' }, anonymous: false },
    });
    expect(published.status(), await published.text()).toBe(200);

    // The member answers from their own joined device.
    const phone = await newRequest.newContext({ baseURL });
    expect((await phone.post('/api/member/join', { data: { token } })).status()).toBe(200);
    const sent = await phone.post(`/api/member/surveys/${id}/responses`, {
      data: { answers: [{ question: 1, value: { type: 'choice', options: [2] } }] },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });
    expect(sent.status(), await sent.text()).toBe(201);
    await phone.dispose();

    const staff = new StaffPage(page);
    await staff.open(`/staff/surveys/${id}/results`);
    await staff.logIn(ADMIN.login, ADMIN.password);
    await expect(page.getByRole('heading', { name: `问卷结果：${title}`, level: 1 })).toBeVisible();
    const rates = page.getByRole('table', { name: '各单位答卷率（已答 / 名册人数）' });
    await expect(rates.getByRole('row', { name: new RegExp(`^${member.unit}`) })).toContainText('1');
    const breakdown = page.getByRole('table', { name: '您最需要的支持 · 各单位的回答' });
    await expect(breakdown.getByRole('row', { name: new RegExp(`^${member.unit}`) })).toHaveText(new RegExp(`${member.unit}\\s*1\\s*0（0\\.0%）\\s*1（100\\.0%）`));
    await page.screenshot({ path: 'test-results/surveys-units.png', fullPage: true });
  });
});
