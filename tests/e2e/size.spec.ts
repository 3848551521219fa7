import { devices, type Browser } from '@playwright/test';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { addMember, createThroughApi, invite } from './api';

// Each page a member opens from a link, loaded cold as a phone on slow 4G would fetch it: the budget is
// 150 KB brotli in total per page (HTML, CSS, JS, wasm, service worker, manifest, the API answers the
// page asks for).
const BUDGET_BROTLI = 150 * 1000;

type Row = { file: string; raw: number; gzip: number; brotli: number };

/** Every file a cold first load of `url` fetches, with its sizes. */
async function firstLoad(browser: Browser, baseURL: string, url: string, ready: string): Promise<Row[]> {
  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const page = await context.newPage();
  const bodies = new Map<string, Buffer>();
  page.on('response', async (response) => {
    if (response.request().method() === 'GET' && response.ok()) {
      bodies.set(new URL(response.url()).pathname, await response.body());
    }
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await expect(page.getByRole('heading', { name: ready, level: 1 })).toBeVisible();
  // The service worker installs on the first visit too, outside the page's own requests.
  for (const file of ['/sw.js', '/manifest.webmanifest']) {
    if (!bodies.has(file)) bodies.set(file, await (await page.request.get(file)).body());
  }
  await context.close();
  return [...bodies.entries()].map(([file, body]) => ({
    file,
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }));
}

const total = (rows: Row[]) => rows.reduce(
  (sum, row) => ({ file: 'TOTAL', raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }),
  { file: 'TOTAL', raw: 0, gzip: 0, brotli: 0 },
);

test('every member entry page loads within the 150 KB brotli budget', async ({ browser, baseURL, request }) => {
  test.setTimeout(90_000);
  const { code, secret } = await createThroughApi(request, `关于首次加载体积检查的建议 ${Date.now()}`);
  const member = await addMember(request, '体积测');
  const entries: [string, string, string][] = [
    ['/', '/', '同心建言'],
    ['/submit', '/submit', '提交建言'],
    ['/track', '/track', '查询进度'],
    ['/track/<code>', `/track/${code}#${secret}`, `关于首次加载体积检查的建议`],
    // The account app (its own bundle): 我的, and the page an invitation opens.
    ['/me/', '/me/', '我的'],
    ['/me/join#<token>', await invite(request, member), `欢迎，${member.name}（${member.unit}）`],
    // The topics apps (the list's bundle; the forms with attachments another, with the upload code): opened
    // cold by a device not yet joined, each page names what it is and how to join.
    ['/topics/', '/topics/', '课题'],
    ['/topics/<id>', '/topics/1', '课题'],
    ['/topics/<id>/result', '/topics/1/result', '提交调研成果'],
    ['/topics/submit', '/topics/submit', '提交建言'],
  ];
  const line = (r: Row | Record<keyof Row, string>) =>
    `${String(r.file).padEnd(48)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)} ${String(r.brotli).padStart(9)}`;
  const report: string[] = [];
  const totals: [string, Row][] = [];
  for (const [name, url, heading] of entries) {
    const rows = await firstLoad(browser, baseURL ?? '', url, heading);
    const sum = total(rows);
    totals.push([name, sum]);
    report.push(`## ${name}`, line({ file: 'file', raw: 'raw', gzip: 'gzip', brotli: 'brotli' }),
      ...rows.map(line), line(sum),
      `budget ${BUDGET_BROTLI} B brotli: ${sum.brotli <= BUDGET_BROTLI ? 'met' : `EXCEEDED by ${sum.brotli - BUDGET_BROTLI} B`}`, '');
    expect(rows.some((row) => row.file.endsWith('.wasm')), `${name}: the wasm is part of the first load`).toBe(true);
    expect(rows.filter((row) => row.file.startsWith('/staff')), `${name}: no byte of the staff app`).toEqual([]);
  }
  const text = report.join('\n');
  const out = path.resolve(__dirname, '../../target/size-report.txt');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text + '\n');
  console.log(text);
  for (const [name, sum] of totals) expect(sum.brotli, `${name}\n${text}`).toBeLessThanOrEqual(BUDGET_BROTLI);
});
