import { expect, type Locator, type Page } from '@playwright/test';

/** The staff's topic pages under /staff/topics and /staff/proposals (the desk's 课题 entry). */
export class TopicsStaffPage {
  readonly nav: Locator;
  readonly title: Locator;
  readonly background: Locator;
  readonly questions: Locator;
  readonly issuer: Locator;
  readonly category: Locator;
  readonly deadline: Locator;
  readonly saveDraft: Locator;
  readonly publish: Locator;
  readonly saveChanges: Locator;
  readonly versions: Locator;
  readonly board: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '课题', exact: true });
    this.title = page.getByLabel('课题名称');
    this.background = page.getByLabel('背景', { exact: true });
    this.questions = page.getByLabel('需回答的问题');
    this.issuer = page.getByLabel('出题单位');
    this.category = page.getByLabel('类别', { exact: true });
    this.deadline = page.getByLabel('截止日期');
    this.saveDraft = page.getByRole('button', { name: '保存草稿' });
    this.publish = page.getByRole('button', { name: '发布', exact: true });
    this.saveChanges = page.getByRole('button', { name: '保存修改' });
    this.versions = page.getByRole('region', { name: '版本记录' });
    this.board = page.getByRole('table', { name: '各单位的认领和成果' });
  }

  /** The overview's row of the topic titled `title`. */
  overviewRow(title: string): Locator {
    return this.page.locator('table.topics-overview tbody tr').filter({ has: this.page.getByRole('link', { name: title, exact: true }) });
  }

  /** The board's row of the unit named `unit`. */
  boardRow(unit: string): Locator {
    return this.board.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: unit, exact: true }) });
  }

  /** The change `label` in version `n`'s table of changes: its old and new text. */
  change(n: number, label: string): Locator {
    return this.page.getByRole('table', { name: `第 ${n} 版的改动` }).getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: label, exact: true }) });
  }

  /** The proposal titled `title` on 自主选题申报. */
  proposal(title: string): Locator {
    return this.page.locator('li.proposal').filter({ has: this.page.getByRole('heading', { name: title }) });
  }

  async expectNotice(text: string | RegExp) {
    await expect(this.page.getByRole('status').filter({ hasText: text })).toBeVisible();
  }
}
