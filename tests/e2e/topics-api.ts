import { expect, request as newRequest, type APIRequestContext } from '@playwright/test';
import { logInAsAdmin } from './api';

/** A topic made and published through the staff API (logs `request` in as the admin). */
export async function publishTopicThroughApi(
  request: APIRequestContext,
  title: string,
  unitIds: number[] | 'all',
  deadline = '2099-12-31',
): Promise<number> {
  await logInAsAdmin(request);
  const created = await request.post('/api/staff/topics', {
    data: {
      title,
      background: '辖区老旧小区加装电梯推进缓慢，居民意见分歧较大，需要摸清症结。',
      questions: '一、主要阻力在哪里？\n二、资金分摊有哪些可行办法？',
      issuer: 'district_committee',
      category: '城市治理',
      deadline,
      all_units: unitIds === 'all',
      unit_ids: unitIds === 'all' ? [] : unitIds,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id: number = (await created.json()).id;
  const published = await request.post(`/api/staff/topics/${id}/publish`);
  expect(published.status(), await published.text()).toBe(200);
  return id;
}

/** A 联络员 of the first unit, on the roster and joined on a device of their own (its own cookie jar). */
export async function joinedContact(request: APIRequestContext, baseURL: string, name: string) {
  await logInAsAdmin(request);
  const units = await (await request.get('/api/units')).json();
  const unit: { id: number; name: string } = units[0];
  // A phone number of its own (tests run in parallel within the same millisecond range).
  const phone = `137${String((Date.now() + Math.floor(Math.random() * 1e6)) % 1e8).padStart(8, '0')}`;
  const csv = `姓名,单位,手机号,职务,联络员\n${name},${unit.name},${phone},,是\n`;
  const imported = await request.post('/api/staff/members/import?commit=true', {
    data: Buffer.from(csv, 'utf8'),
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  const found = await (await request.get(`/api/staff/members?q=${phone}`)).json();
  expect(found.members).toHaveLength(1);
  const invitation = await request.post(`/api/staff/members/${found.members[0].id}/invitation`);
  expect(invitation.status(), await invitation.text()).toBe(200);
  const token = new URL((await invitation.json()).link).hash.slice(1);
  const device = await newRequest.newContext({ baseURL });
  const joined = await device.post('/api/member/join', { data: { token } });
  expect(joined.status(), await joined.text()).toBe(200);
  return { device, name, phone, unit };
}
