import { expect, type Locator, type Page } from '@playwright/test';

/** The accounts that playwright.config.ts adds to the e2e database before the server starts. */
export const STAFF = { login: 'e2e', password: 'e2e-password-1', name: '测试员' };
export const ADMIN = { login: 'e2e-admin', password: 'e2e-password-2', name: '管理员甲' };

/** The staff's app at /staff/: the login form, then the desk. */
export class StaffPage {
  readonly login: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly logout: Locator;
  readonly search: Locator;
  readonly unit: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.login = page.getByLabel('账号');
    this.password = page.getByLabel('密码');
    this.submit = page.getByRole('button', { name: '登录', exact: true });
    this.logout = page.getByRole('button', { name: '退出登录' });
    this.search = page.getByLabel('搜索标题和内容');
    this.unit = page.getByLabel('单位', { exact: true });
    this.rows = page.locator('table.desk-list tbody tr');
  }

  async open(path = '/staff/') {
    await this.page.goto(path);
  }

  async expectLoginForm() {
    await expect(this.page.getByRole('heading', { name: '工作人员登录', level: 1 })).toBeVisible();
  }

  async logIn(login = STAFF.login, password = STAFF.password) {
    await this.login.fill(login);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** The list, the desk's home, with the staff member's name in the header. */
  async expectDesk(name = STAFF.name) {
    await expect(this.page.getByRole('heading', { name: '建言列表', level: 1 })).toBeVisible();
    await expect(this.page.locator('.who')).toContainText(name);
  }

  /** The row of the list for `code`. */
  row(code: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('link', { name: code, exact: true }) });
  }

  /** Carries out one action on a submission's page, filling its fields first. */
  async act(action: string, fields: Record<string, string> = {}) {
    const form = this.page.locator('form.action-form').filter({ has: this.page.getByRole('button', { name: action, exact: true }) });
    for (const [label, value] of Object.entries(fields)) await form.getByLabel(label).fill(value);
    await form.getByRole('button', { name: action, exact: true }).click();
  }
}
