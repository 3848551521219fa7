import { expect, type Locator, type Page } from '@playwright/test';

/** 查询进度: this device's receipts and the lookup by code and secret. */
export class TrackPage {
  readonly code: Locator;
  readonly secret: Locator;
  readonly search: Locator;
  readonly receipts: Locator;

  constructor(readonly page: Page) {
    this.code = page.getByLabel('回执编号');
    this.secret = page.getByLabel('查询密码');
    this.search = page.getByRole('button', { name: '查询', exact: true });
    this.receipts = page.locator('ul.receipts li');
  }

  async open() {
    await this.page.goto('/track');
    await expect(this.page.getByRole('heading', { name: '查询进度', level: 1 })).toBeVisible();
  }

  async lookUp(code: string, secret: string) {
    await this.code.fill(code);
    await this.secret.fill(secret);
    await this.search.click();
  }

  /** Expects the detail page of a submission with the given title and status. */
  async expectSubmission(title: string, status: string) {
    await expect(this.page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(this.page.locator('.submission-view .badge')).toHaveText(status);
    await expect(this.page.getByRole('list', { name: '办理进度' }).getByRole('listitem')).toHaveCount(1);
  }
}
