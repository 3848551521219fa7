import { expect, type Locator, type Page } from '@playwright/test';

/** What a member fills in on 提交建言. */
export interface SubmissionInput {
  kind?: '意见建议' | '调研成果' | '社情民意';
  title: string;
  body: string;
  unit: string;
  name: string;
  phone: string;
  cosigners?: string;
}

export const validSubmission = (overrides: Partial<SubmissionInput> = {}): SubmissionInput => ({
  kind: '意见建议',
  title: '关于老旧小区加装电梯的建议',
  body: '我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼十分困难。建议区财政设立专项补贴，简化审批流程。',
  unit: '民盟中原区支部',
  name: '王建国',
  phone: '13812345678',
  cosigners: '李红、赵强',
  ...overrides,
});

/** The submission form and the receipt that follows it, found the way a person finds them. */
export class SubmitPage {
  readonly title: Locator;
  readonly body: Locator;
  readonly unit: Locator;
  readonly name: Locator;
  readonly phone: Locator;
  readonly cosigners: Locator;
  readonly submit: Locator;
  readonly receiptHeading: Locator;
  readonly receiptCode: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByLabel('案由', { exact: true });
    this.body = page.getByLabel('内容', { exact: true });
    this.unit = page.getByLabel('所在单位');
    this.name = page.getByLabel('姓名', { exact: true });
    this.phone = page.getByLabel('手机号码');
    this.cosigners = page.getByLabel('联名人（选填）');
    this.submit = page.getByRole('button', { name: '提交', exact: true });
    this.receiptHeading = page.getByRole('heading', { name: '提交成功' });
    this.receiptCode = page.locator('.receipt .code');
    this.alert = page.getByRole('alert');
  }

  async open() {
    await this.page.goto('/submit');
    await expect(this.page.getByRole('heading', { name: '提交建言' })).toBeVisible();
    // The heading is painted by index.html before the app starts; the form is the app's.
    await expect(this.title).toBeVisible();
  }

  async fill(input: SubmissionInput) {
    if (input.kind) await this.page.getByRole('radio', { name: input.kind }).check();
    await this.title.fill(input.title);
    await this.body.fill(input.body);
    await this.unit.selectOption({ label: input.unit });
    await this.name.fill(input.name);
    await this.phone.fill(input.phone);
    await this.cosigners.fill(input.cosigners ?? '');
  }

  /** Waits for the receipt and returns its tracking code. */
  async receipt(): Promise<string> {
    await expect(this.receiptHeading).toBeVisible();
    const code = (await this.receiptCode.textContent())?.trim() ?? '';
    expect(code).toMatch(/^JY-\d{4}-\d{6,}$/);
    return code;
  }
}
