import { readFileSync } from 'node:fs';
import { type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { expect, expectAccessible, expectNoSidewaysOverflow, test } from './fixtures';
import { addMember, invite, type Member } from './api';
import { ADMIN, StaffPage } from './pages/staff-page';
import { SurveysStaffPage } from './pages/surveys-staff-page';

// 问卷, the whole flow on a phone (the project's default viewport, Pixel 7): an admin builds and
// publishes a four-question survey with one skip rule; a member answers it, offline for the last question
// and online again; the results hold the counts and the export holds the row.

/** China wall-clock time `hours` from now, as `<input type=datetime-local>` gives it. */
function chinaTime(hours: number): string {
  return new Date(Date.now() + (8 + hours) * 3600_000).toISOString().slice(0, 16);
}

type Question = Record<string, unknown>;

/** The four questions: 是否参加 (是/否), 参加过哪些 (only after 是; 其他 offered), 评分, 建议. */
function fourQuestions(): Question[] {
  return [
    {
      id: 1, title: '今年您是否参加过本单位组织的调研？', help: '', required: true,
      kind: { type: 'single_choice', options: [{ id: 1, label: '参加过' }, { id: 2, label: '没有参加' }], other: false },
    },
    {
      id: 2, title: '您参加过哪些形式的调研？', help: '', required: true,
      kind: {
        type: 'multiple_choice', other: true, min: 1, max: 2,
        options: [{ id: 1, label: '座谈会' }, { id: 2, label: '实地走访' }, { id: 3, label: '问卷调查' }],
      },
      show_if: { question: 1, any_of: [1] },
    },
    { id: 3, title: '您对今年调研组织工作的总体评价', help: '', required: true, kind: { type: 'rating' } },
    { id: 4, title: '对明年调研工作的建议', help: '', required: true, kind: { type: 'long_text' } },
  ];
}

/** Builds and publishes a survey for all units as the admin (the `request` context holds their session). */
async function publishSurvey(request: APIRequestContext, title: string, questions: Question[], more = {}) {
  const created = await request.post('/api/staff/surveys', {
    data: { definition: { title, intro: '请根据今年参加调研的实际情况作答，约需 2 分钟。', questions } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id: number = (await created.json()).id;
  const published = await request.post(`/api/staff/surveys/${id}/publish`, {
    data: {
      opens_at: chinaTime(-1), closes_at: chinaTime(24 * 7), audience: { type: 'all_units' },
      anonymous: false, editable_until_close: false, ...more,
    },
  });
  expect(published.status(), await published.text()).toBe(200);
  return id;
}

/** Opens the member's invitation on `page` and confirms it: the phone is then theirs. */
async function join(page: Page, request: APIRequestContext, member: Member) {
  await page.goto(await invite(request, member));
  await page.getByRole('button', { name: '是我本人，确认加入' }).click();
  await expect(page.getByRole('heading', { name: '我的', level: 1 })).toBeVisible();
}

const question = (page: Page, title: RegExp) => page.getByRole('group', { name: title });

/** The admin at a desk (a browser of their own, desktop size), with its page errors collected. */
async function adminDesk(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  const staff = new StaffPage(page);
  await staff.open();
  await staff.logIn(ADMIN.login, ADMIN.password);
  await staff.expectDesk(ADMIN.name);
  return { context, page, errors, surveys: new SurveysStaffPage(page) };
}

/** The four questions of `fourQuestions`, built and published to all units through the staff's builder. */
async function buildAndPublish(desk: Awaited<ReturnType<typeof adminDesk>>, title: string) {
  const { page, surveys } = desk;
  await surveys.openList();
  await page.getByRole('link', { name: '新建问卷' }).click();
  await surveys.title.fill(title);
  await surveys.intro.fill('请根据今年参加调研的实际情况作答，约需 2 分钟。');
  await surveys.addQuestion('单选');
  await surveys.writeQuestion(1, '今年您是否参加过本单位组织的调研？', ['参加过', '没有参加']);
  await surveys.addQuestion('多选');
  await surveys.writeQuestion(2, '您参加过哪些形式的调研？', ['座谈会', '实地走访', '问卷调查']);
  await surveys.question(2).getByLabel('最后加一项「其他」（成员可填写）').check();
  await surveys.question(2).getByLabel('最多选几项').fill('2');
  await surveys.showOnlyIf(2, '参加过');
  await surveys.addQuestion('评分');
  await surveys.writeQuestion(3, '您对今年调研组织工作的总体评价');
  await surveys.addQuestion('详答');
  await surveys.writeQuestion(4, '对明年调研工作的建议');
  await surveys.save.click();
  await expect(page.getByText('已保存', { exact: true })).toBeVisible();
  await surveys.publishForm.getByLabel('全部单位').check();
  await surveys.publishForm.getByRole('button', { name: '发布' }).click();
  await expect(surveys.publishForm.getByText('已发布')).toBeVisible();
  return Number(page.url().split('/').pop());
}

test('an admin publishes a four-question survey with a skip rule; a member answers it on a phone, the last answer offline; the results count it and the export holds the row', async ({ page, context, request, browser, baseURL }) => {
  test.setTimeout(90_000);
  const member = await addMember(request, '问卷答');
  const title = `2026 年度调研工作满意度调查 ${Date.now()}`;
  const desk = await adminDesk(browser, baseURL);
  const id = await buildAndPublish(desk, title);
  await join(page, request, member);

  // From the home page to the list: the survey, its closing date, not answered yet.
  await page.goto('/');
  await page.screenshot({ path: 'test-results/surveys-home.png' });
  await page.getByRole('link', { name: '问卷', exact: true }).click();
  await expect(page.getByRole('heading', { name: '问卷', level: 1 })).toBeVisible();
  const item = page.getByRole('link', { name: new RegExp(title) });
  await expect(item).toContainText('截止');
  await expect(item).toContainText('未填写');
  await item.click();

  // Four questions: one page, with the introduction first; the skipped question is not shown.
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.getByText('请根据今年参加调研的实际情况作答')).toBeVisible();
  await expect(question(page, /参加过哪些形式/)).toHaveCount(0);

  // Sent empty: each required question says what to fix, in the browser.
  await page.getByRole('button', { name: '提交问卷' }).click();
  await expect(question(page, /是否参加过/)).toContainText('本题必答，请作答');
  await expect(question(page, /总体评价/)).toContainText('本题必答，请作答');

  // 参加过 shows the skipped question; two options and 其他 are one too many.
  await question(page, /是否参加过/).getByText('参加过', { exact: true }).click();
  const forms = question(page, /参加过哪些形式/);
  await expect(forms).toBeVisible();
  await expect(question(page, /是否参加过/)).not.toContainText('本题必答');
  await forms.getByText('座谈会').click();
  await forms.getByText('实地走访').click();
  await forms.getByRole('textbox', { name: '其他（请注明）' }).fill('专题协商');
  await page.getByRole('button', { name: '提交问卷' }).click();
  await expect(forms).toContainText('最多选 2 项，现在选了 3 项');
  await forms.getByText('实地走访').click();
  await question(page, /总体评价/).getByRole('radio', { name: '4 分' }).check();
  await expectNoSidewaysOverflow(page, '问卷');
  await expectAccessible(page, '问卷');
  await page.screenshot({ path: 'test-results/surveys-answering.png', fullPage: true });

  // The answers are kept on the phone as they are given: a reload loses nothing.
  await expect(page.getByText('已自动保存在本机')).toBeVisible();
  await page.reload();
  await expect(question(page, /参加过哪些形式/).getByRole('checkbox', { name: '座谈会' })).toBeChecked();
  await expect(question(page, /参加过哪些形式/).getByRole('textbox', { name: '其他（请注明）' })).toHaveValue('专题协商');
  await expect(question(page, /总体评价/).getByRole('radio', { name: '4 分' })).toBeChecked();

  // The last question offline: the response waits on the phone.
  await context.setOffline(true);
  await question(page, /建议/).getByRole('textbox').fill('建议把调研成果的反馈时间提前到年中。');
  await page.getByRole('button', { name: '提交问卷' }).click();
  await expect(page.getByRole('heading', { name: '答卷待发送', level: 1 })).toBeVisible();
  const before = await (await request.get(`/api/staff/surveys/${id}/results`)).json();
  expect(before.responses).toBe(0);

  // Online again: it goes by itself, once.
  await context.setOffline(false);
  await expect(page.getByRole('heading', { name: '感谢参与', level: 1 })).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: 'test-results/surveys-thanks.png', fullPage: true });

  // The staff's results: the counts, the chart's table, and the export with the member's row.
  const { page: staffPage, surveys } = desk;
  await staffPage.goto(`/staff/surveys/${id}/results`);
  await expect(staffPage.getByRole('heading', { name: `问卷结果：${title}`, level: 1 })).toBeVisible();
  await expect(staffPage.getByText('共收到 1 份答卷')).toBeVisible();
  const joined = surveys.chartTable(1, '今年您是否参加过本单位组织的调研？');
  await expect(joined.getByRole('row', { name: '参加过' })).toHaveText(/参加过\s*1\s*100\.0%/);
  await expect(joined.getByRole('row', { name: '没有参加' })).toHaveText(/没有参加\s*0\s*0\.0%/);
  const formsTable = surveys.chartTable(2, '您参加过哪些形式的调研？');
  await expect(formsTable.getByRole('row', { name: '座谈会' })).toHaveText(/座谈会\s*1\s*100\.0%/);
  await expect(formsTable.getByRole('row', { name: '其他' })).toHaveText(/其他\s*1\s*100\.0%/);
  await expect(staffPage.getByText('平均 4.0 分')).toBeVisible();
  await staffPage.screenshot({ path: 'test-results/surveys-member-results.png', fullPage: true });
  const [download] = await Promise.all([
    staffPage.waitForEvent('download'),
    staffPage.getByRole('link', { name: '导出 CSV' }).click(),
  ]);
  const rows = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  expect(rows).toHaveLength(2);
  expect(rows[1]).toContain(member.name);
  expect(rows[1]).toContain('专题协商');
  expect(rows[1]).toContain('建议把调研成果的反馈时间提前到年中。');
  expect(desk.errors, 'page errors at the desk').toEqual([]);
  await desk.context.close();

  // Opened again, it says it is answered instead of a form; the list says so too.
  await page.reload();
  await expect(page.getByText('您已填写过本问卷')).toBeVisible();
  await expect(page.getByRole('button', { name: '提交问卷' })).toHaveCount(0);
  await page.goto('/surveys/');
  await expect(page.getByRole('link', { name: new RegExp(title) })).toContainText('已填写');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('jianyan.survey-')))).toEqual([]);
});

test('a long survey goes one question per screen with a progress bar, and an anonymous one says nobody can link the answers to the member', async ({ page, request }) => {
  const member = await addMember(request, '问卷长');
  const title = `社区服务需求调查 ${Date.now()}`;
  const questions: Question[] = [
    ...fourQuestions(),
    { id: 5, title: '您每周可用于调研的时间（小时）', help: '', required: false, kind: { type: 'number', min: 0, max: 40, integer: false } },
    { id: 6, title: '您所在的社区', help: '', required: false, kind: { type: 'short_text' } },
  ];
  await publishSurvey(request, title, questions, { anonymous: true });
  await join(page, request, member);
  await page.goto('/surveys/');
  await page.getByRole('link', { name: new RegExp(title) }).click();

  // The first screen: the introduction and the plain statement about anonymity.
  await expect(page.getByText('任何人（包括统战部工作人员）都无法把答卷与您本人对应起来')).toBeVisible();
  await page.getByRole('button', { name: '开始填写' }).click();
  await expect(page.getByText('第 1 题，共 5 题')).toBeVisible();
  // A required question cannot be passed unanswered.
  await page.getByRole('button', { name: '下一题' }).click();
  await expect(question(page, /是否参加过/)).toContainText('本题必答，请作答');
  // 没有参加 skips the second question: five screens, not six.
  await question(page, /是否参加过/).getByText('没有参加').click();
  await page.getByRole('button', { name: '下一题' }).click();
  await expect(page.getByText('第 2 题，共 5 题')).toBeVisible();
  await expect(question(page, /总体评价/)).toBeVisible();
  await page.getByRole('button', { name: '上一题' }).click();
  await expect(question(page, /是否参加过/).getByRole('radio', { name: '没有参加' })).toBeChecked();
  await page.getByRole('button', { name: '下一题' }).click();
  await question(page, /总体评价/).getByRole('radio', { name: '5 分' }).check();
  await page.getByRole('button', { name: '下一题' }).click();
  await question(page, /建议/).getByRole('textbox').fill('多组织线上交流。');
  await page.getByRole('button', { name: '下一题' }).click();
  await question(page, /可用于调研的时间/).getByRole('textbox').fill('三个');
  await page.getByRole('button', { name: '下一题' }).click();
  await expect(question(page, /可用于调研的时间/)).toContainText('“三个”不是数字');
  await question(page, /可用于调研的时间/).getByRole('textbox').fill('3.5');
  await page.getByRole('button', { name: '下一题' }).click();
  await expect(page.getByText('第 5 题，共 5 题')).toBeVisible();
  await page.screenshot({ path: 'test-results/surveys-step.png', fullPage: true });
  await page.getByRole('button', { name: '提交问卷' }).click();
  await expect(page.getByRole('heading', { name: '感谢参与', level: 1 })).toBeVisible({ timeout: 20_000 });
});
