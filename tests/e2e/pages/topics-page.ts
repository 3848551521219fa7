import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { logInAsAdmin, type Member } from '../api';

/** The members' topics app at /topics/ on a phone: the list, a topic, the result form. */
export class TopicsPage {
  readonly claim: Locator;
  readonly giveBack: Locator;
  readonly submitResult: Locator;
  readonly title: Locator;
  readonly summary: Locator;
  readonly body: Locator;
  readonly files: Locator;
  readonly send: Locator;
  readonly receipt: Locator;

  constructor(readonly page: Page) {
    this.claim = page.getByRole('button', { name: '认领', exact: true });
    this.giveBack = page.getByRole('button', { name: '放弃认领' });
    this.submitResult = page.getByRole('link', { name: '提交调研成果' });
    this.title = page.getByLabel('标题', { exact: true });
    this.summary = page.getByLabel('摘要（选填）');
    this.body = page.getByLabel('内容', { exact: true });
    this.files = page.getByLabel('添加附件');
    this.send = page.getByRole('button', { name: '提交', exact: true });
    this.receipt = page.getByRole('heading', { name: '提交成功', level: 1 });
  }

  async list() {
    await this.page.goto('/topics/');
    await expect(this.page.getByRole('heading', { name: '课题', level: 1 })).toBeVisible();
  }

  async topic(id: number, title: string) {
    await this.page.goto(`/topics/${id}`);
    await expect(this.page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  }

  /** The code on the receipt after sending. */
  async receiptCode(): Promise<string> {
    await expect(this.receipt).toBeVisible({ timeout: 60_000 });
    return ((await this.page.locator('.receipt .code').textContent()) ?? '').trim();
  }
}

/** Opens `member`'s invitation on `page` and joins it to their account. */
export async function joinOnPhone(page: Page, link: string, member: Member) {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: `欢迎，${member.name}（${member.unit}）`, level: 1 })).toBeVisible();
  await page.getByRole('button', { name: '是我本人，确认加入' }).click();
  await expect(page.getByRole('heading', { name: '我的', level: 1 })).toBeVisible();
}

/** A roster member who is their unit's 联络员 (the first unit, as `addMember` uses). */
export async function addContact(request: APIRequestContext, name: string): Promise<Member> {
  await logInAsAdmin(request);
  const units = await (await request.get('/api/units')).json();
  const unit: string = units[0].name;
  const phone = `137${String((Date.now() + 7) % 1e8).padStart(8, '0')}`;
  const csv = `姓名,单位,手机号,职务,联络员\n${name},${unit},${phone},,是\n`;
  const imported = await request.post('/api/staff/members/import?commit=true', {
    data: Buffer.from(csv, 'utf8'),
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  const page = await (await request.get(`/api/staff/members?q=${phone}`)).json();
  expect(page.members).toHaveLength(1);
  return { id: page.members[0].id, name, unit, phone };
}

/** The date `days` from today in China time, YYYY-MM-DD. */
export function chinaDate(days: number): string {
  const shifted = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000);
  return shifted.toISOString().slice(0, 10);
}

/** A published topic for the first unit, due `days` from today, made by the e2e admin through the API. */
export async function publishTopic(request: APIRequestContext, title: string, days = 12): Promise<number> {
  await logInAsAdmin(request);
  const units = await (await request.get('/api/units')).json();
  const created = await request.post('/api/staff/topics', {
    data: {
      title,
      background: '老旧小区加装电梯推进缓慢，居民意见不一，资金分摊和后期维护缺少规则。',
      questions: '一、目前推进中的主要障碍是什么？\n二、资金分摊和维护可以怎样安排？',
      issuer: 'district_government',
      category: '城市治理',
      deadline: chinaDate(days),
      all_units: false,
      unit_ids: [units[0].id],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id: number = (await created.json()).id;
  const published = await request.post(`/api/staff/topics/${id}/publish`);
  expect(published.status(), await published.text()).toBe(200);
  return id;
}

/** A PDF of about `size` bytes: a real header and trailer around filler the server does not read. */
export function pdfBytes(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1');
  const tail = Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const filler = Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x20);
  for (let i = 0; i < filler.length; i += 97) filler[i] = 0x0a;
  return Buffer.concat([head, filler, tail]);
}
