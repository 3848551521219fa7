import { expect, type Locator, type Page } from '@playwright/test';

/** The staff's 问卷 pages: the list, the builder with its phone preview and publish settings, the results. */
export class SurveysStaffPage {
  readonly title: Locator;
  readonly intro: Locator;
  readonly save: Locator;
  readonly preview: Locator;
  readonly publishForm: Locator;
  readonly link: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByLabel('问卷标题');
    this.intro = page.getByLabel('说明（显示在第一屏，可不填）');
    this.save = page.getByRole('button', { name: '保存问卷' });
    this.preview = page.getByRole('region', { name: '手机预览' });
    this.publishForm = page.getByRole('form', { name: '发布设置' });
    this.link = page.getByLabel('填写链接', { exact: true });
  }

  async openList() {
    await this.page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '问卷' }).click();
    await expect(this.page.getByRole('heading', { name: '问卷', level: 1 })).toBeVisible();
  }

  /** 添加单选题, 添加多选题, 添加评分题, 添加数字题, 添加简答题, 添加详答题. */
  async addQuestion(kind: '单选' | '多选' | '评分' | '数字' | '简答' | '详答') {
    await this.page.getByRole('button', { name: `添加${kind}题` }).click();
  }

  /** The builder's fieldset of 第 n 题. */
  question(n: number): Locator {
    return this.page.getByRole('group', { name: `第 ${n} 题`, exact: true });
  }

  /** Types a question's title and its options (a new choice question has two empty ones; more are added). */
  async writeQuestion(n: number, title: string, options: string[] = []) {
    const question = this.question(n);
    await question.getByLabel('题目', { exact: true }).fill(title);
    for (const [index, option] of options.entries()) {
      const box = question.getByLabel(`第 ${n} 题选项 ${index + 1}`, { exact: true });
      if ((await box.count()) === 0) await question.getByRole('button', { name: `为第 ${n} 题添加选项` }).click();
      await box.fill(option);
    }
  }

  /** Shows 第 n 题 only when `source`'s `option` was picked. */
  async showOnlyIf(n: number, option: string) {
    const question = this.question(n);
    await question.getByLabel('仅在前面某题选了特定选项时显示').check();
    await question.getByRole('group', { name: `第 ${n} 题在选了以下任一项时显示` }).getByLabel(option).check();
  }

  /** The accessible table beside a result's chart. */
  chartTable(n: number, title: string): Locator {
    return this.page.getByRole('table', { name: `第 ${n} 题 ${title} 的统计` });
  }
}
