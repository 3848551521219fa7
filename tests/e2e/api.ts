import { expect, type APIRequestContext } from '@playwright/test';

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
