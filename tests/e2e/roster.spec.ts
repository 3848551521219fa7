import { expect, expectAccessible, test } from './fixtures';
import { ADMIN, StaffPage } from './pages/staff-page';
import { RosterPage, uniqueName } from './pages/roster-page';

test.describe('the roster at a desk', () => {
  test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });

  test('an admin imports a small roster, sees the preview, commits it and finds a member', async ({ page }) => {
    const stamp = Date.now() % 100_000_000;
    const phone = (n: number) => `139${String(stamp + n).padStart(8, '0')}`;
    const first = uniqueName('甲', stamp);
    const second = uniqueName('乙', stamp);
    const staff = new StaffPage(page);
    const roster = new RosterPage(page);
    await staff.open();
    await staff.logIn(ADMIN.login, ADMIN.password);
    await staff.expectDesk(ADMIN.name);
    await roster.openMembers();

    await roster.chooseCsv([
      '姓名,单位,手机号,职务,联络员',
      `${first},民革中原区支部,${phone(1)},主委,是`,
      `${second},民盟中原区支部,${phone(2)},,否`,
      `丙某,没有这个支部,${phone(3)},,否`,
    ]);

    await expect(page.getByText('将新增 2 人，更新 0 人，未变 0 人，无法导入 1 行')).toBeVisible();
    await expect(roster.table('将新增的成员').locator('tbody tr')).toHaveCount(2);
    await expect(roster.table('无法导入的行')).toContainText('未知单位「没有这个支部」');
    await expectAccessible(page, 'the import preview');
    await roster.commit.click();
    await expect(page.getByRole('status')).toContainText('已导入：新增 2 人');

    await roster.search.fill(first);
    await roster.find.click();
    await expect(roster.rows).toHaveCount(1);
    await expect(roster.rows.first()).toContainText('民革中原区支部');
    await roster.rows.first().getByRole('link', { name: first }).click();
    await expect(page.getByRole('heading', { name: first, level: 1 })).toBeVisible();
    await expect(page.locator('dl')).toContainText(phone(1));
    await expectAccessible(page, 'a member page');

    // The same file again changes nothing.
    await roster.openMembers();
    await roster.chooseCsv([
      '姓名,单位,手机号,职务,联络员',
      `${first},民革中原区支部,${phone(1)},主委,是`,
      `${second},民盟中原区支部,${phone(2)},,否`,
    ]);
    await expect(page.getByText('将新增 0 人，更新 0 人，未变 2 人，无法导入 0 行')).toBeVisible();
    await expect(roster.commit).toBeDisabled();
  });

  test('an admin sees a retired unit marked and renames it; a reviewer sees the roster but no admin controls', async ({ page, browser }) => {
    const stamp = Date.now() % 100_000_000;
    const name = uniqueName('民革测试', stamp) + '支部';
    const renamed = uniqueName('民革改名', stamp) + '支部';
    const staff = new StaffPage(page);
    const roster = new RosterPage(page);
    await staff.open();
    await staff.logIn(ADMIN.login, ADMIN.password);
    await staff.expectDesk(ADMIN.name);
    // Added and retired back to back through the API: other specs running now count the units in the
    // member form, and a unit in use for the length of a click would make them flaky.
    const added = await page.request.post('/api/staff/units', { data: { name, group: '民主党派' } });
    expect(added.status()).toBe(201);
    const id = (await added.json()).find((u: { name: string }) => u.name === name).id;
    expect((await page.request.put(`/api/staff/units/${id}/retired`, { data: { on: true } })).ok()).toBe(true);
    await roster.openUnits();

    const row = roster.rows.filter({ hasText: name });
    await expect(row).toContainText('已停用');
    await expect(row.getByRole('button', { name: `恢复「${name}」` })).toBeVisible();
    await expectAccessible(page, 'the units page');
    await row.getByRole('button', { name: `改名「${name}」` }).click();
    await page.getByLabel('单位名称').last().fill(renamed);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect(page.getByText('已保存单位名称和分组')).toBeVisible();
    await expect(roster.rows.filter({ hasText: renamed })).toContainText('已停用');
    const offered = await page.request.get('/api/units');
    expect((await offered.json()).map((u: { name: string }) => u.name)).not.toContain(renamed);

    const reviewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const reviewerPage = await reviewerContext.newPage();
    const reviewer = new StaffPage(reviewerPage);
    await reviewer.open();
    await reviewer.logIn();
    await reviewer.expectDesk();
    await expect(reviewerPage.getByRole('link', { name: '单位管理' })).toHaveCount(0);
    await new RosterPage(reviewerPage).openMembers();
    await expect(reviewerPage.getByRole('heading', { name: '导入名册' })).toHaveCount(0);
    await reviewerContext.close();
  });
});
