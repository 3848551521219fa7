import { expect, type Locator, type Page } from '@playwright/test';

/** The account that playwright.config.ts adds to the e2e database before the server starts. */
export const STAFF = { login: 'e2e', password: 'e2e-password-1', name: '测试员' };

/** The staff's app at /staff/: the login form, then the workbench. */
export class StaffPage {
  readonly login: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly logout: Locator;
  readonly year: Locator;
  readonly download: Locator;

  constructor(readonly page: Page) {
    this.login = page.getByLabel('账号');
    this.password = page.getByLabel('密码');
    this.submit = page.getByRole('button', { name: '登录', exact: true });
    this.logout = page.getByRole('button', { name: '退出登录' });
    this.year = page.getByLabel('年份');
    this.download = page.getByRole('button', { name: '下载 Excel' });
  }

  async open() {
    await this.page.goto('/staff/');
  }

  async expectLoginForm() {
    await expect(this.page.getByRole('heading', { name: '工作人员登录', level: 1 })).toBeVisible();
  }

  async logIn(login = STAFF.login, password = STAFF.password) {
    await this.login.fill(login);
    await this.password.fill(password);
    await this.submit.click();
  }

  async expectWorkbench() {
    await expect(this.page.getByRole('heading', { name: '工作台', level: 1 })).toBeVisible();
    await expect(this.page.getByText(`${STAFF.name}，您好`)).toBeVisible();
  }
}
