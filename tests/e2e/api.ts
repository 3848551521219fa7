import { expect, type APIRequestContext } from '@playwright/test';
import { ADMIN } from './pages/staff-page';

/** Creates a submission straight through the API, as another device would have. */
export async function createThroughApi(
  request: APIRequestContext,
  title: string,
  body = '社区菜市场周边早晚高峰占道经营严重，行人通行困难，存在安全隐患，建议规划临时疏导点。',
) {
  const units = await (await request.get('/api/units')).json();
  const response = await request.post('/api/submissions', {
    data: {
      kind: 'public_opinion',
      title,
      body,
      unit_id: units[0].id,
      name: '陈明',
      phone: '13900001111',
      cosigners: [],
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as { code: string; secret: string };
}

/** A roster member made for one test (a phone number of its own), and a staff session to act on them. */
export type Member = { id: number; name: string; unit: string; phone: string };

/** Logs `request` in as the e2e admin: its cookie jar then holds the staff session. */
export async function logInAsAdmin(request: APIRequestContext) {
  const response = await request.post('/api/staff/session', { data: { login: ADMIN.login, password: ADMIN.password } });
  expect(response.status()).toBe(200);
}

/** Imports one member through the roster import, as an admin would from a file. */
export async function addMember(request: APIRequestContext, name: string): Promise<Member> {
  await logInAsAdmin(request);
  const units = await (await request.get('/api/units')).json();
  const unit: string = units[0].name;
  const phone = `139${String(Date.now() % 1e8).padStart(8, '0')}`;
  const csv = `姓名,单位,手机号,职务,联络员\n${name},${unit},${phone},,否\n`;
  const imported = await request.post('/api/staff/members/import?commit=true', {
    data: Buffer.from(csv, 'utf8'),
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  const page = await (await request.get(`/api/staff/members?q=${phone}`)).json();
  expect(page.members).toHaveLength(1);
  return { id: page.members[0].id, name, unit, phone };
}

/** A new personal invitation for `member`: the path of its link (`/me/join#<token>`). */
export async function invite(request: APIRequestContext, member: Member): Promise<string> {
  const response = await request.post(`/api/staff/members/${member.id}/invitation`);
  expect(response.status(), await response.text()).toBe(200);
  const link = new URL((await response.json()).link);
  expect(link.pathname).toBe('/me/join');
  return link.pathname + link.hash;
}
