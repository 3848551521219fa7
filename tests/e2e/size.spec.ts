import { expect, test } from '@playwright/test';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The home screen's cold first load, as a phone on slow 4G would fetch it: the budget is 150 KB brotli
// in total (HTML, CSS, JS, wasm, service worker, manifest; the home screen makes no API request).
const BUDGET_BROTLI = 150 * 1000;

test('the home screen first load stays within the 150 KB brotli budget', async ({ page, request }) => {
  const bodies = new Map<string, Buffer>();
  page.on('response', async (response) => {
    if (response.request().method() === 'GET' && response.ok()) {
      bodies.set(new URL(response.url()).pathname, await response.body());
    }
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  await expect(page.getByRole('link', { name: /提交建言/ })).toBeVisible();

  // The service worker installs on the first visit too, outside the page's own requests.
  for (const file of ['/sw.js', '/manifest.webmanifest']) {
    if (!bodies.has(file)) bodies.set(file, await (await request.get(file)).body());
  }
  const rows = [...bodies.entries()].map(([file, body]) => ({
    file,
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }));
  const total = rows.reduce(
    (sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  const line = (name: string, r: { raw: number; gzip: number; brotli: number }) =>
    `${name.padEnd(44)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)} ${String(r.brotli).padStart(9)}`;
  const report = [
    line('file', { raw: 'raw', gzip: 'gzip', brotli: 'brotli' } as never),
    ...rows.map((row) => line(row.file, row)),
    line('TOTAL', total),
    `budget ${BUDGET_BROTLI} B brotli: ${total.brotli <= BUDGET_BROTLI ? 'met' : `EXCEEDED by ${total.brotli - BUDGET_BROTLI} B`}`,
  ].join('\n');
  const out = path.resolve(__dirname, '../../target/size-report.txt');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, report + '\n');
  console.log(report);

  expect(rows.some((row) => row.file.endsWith('.wasm')), 'the wasm is part of the first load').toBe(true);
  expect(rows.filter((row) => row.file.startsWith('/staff')), 'no byte of the staff app').toEqual([]);
  expect(total.brotli, report).toBeLessThanOrEqual(BUDGET_BROTLI);
});
