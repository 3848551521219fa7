import { expect, type Locator, type Page } from '@playwright/test';

/** The staff app's roster pages: 成员名册 (search, import) and 单位管理. */
export class RosterPage {
  readonly file: Locator;
  readonly commit: Locator;
  readonly search: Locator;
  readonly find: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.file = page.getByLabel('名册文件');
    this.commit = page.getByRole('button', { name: '确认导入' });
    this.search = page.getByLabel('姓名或手机号');
    this.find = page.getByRole('button', { name: '查找', exact: true });
    this.rows = page.locator('table.desk-list tbody tr');
  }

  async openMembers() {
    await this.page.getByRole('link', { name: '成员名册', exact: true }).click();
    await expect(this.page.getByRole('heading', { name: '成员名册', level: 1 })).toBeVisible();
  }

  async openUnits() {
    await this.page.getByRole('link', { name: '单位管理', exact: true }).click();
    await expect(this.page.getByRole('heading', { name: '单位管理', level: 1 })).toBeVisible();
  }

  /** Chooses a CSV file with these lines (the header first) in the import form. */
  async chooseCsv(lines: string[]) {
    await this.file.setInputFiles({
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n', 'utf8'),
    });
  }

  table(caption: string): Locator {
    return this.page.locator('table').filter({ has: this.page.locator('caption', { hasText: caption }) });
  }
}

/** A name no other test run uses: Chinese digits of the time, since names take letters only. */
export function uniqueName(prefix: string, n: number): string {
  const digits = '零一二三四五六七八九';
  return prefix + String(n).split('').map((d) => digits[Number(d)]).join('');
}
