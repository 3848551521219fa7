import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

// The real server (debug build of crates/server) serving the real release frontends (dist/, dist/staff/) on a
// fresh database.
const root = path.resolve(__dirname, '../..');
const port = Number(process.env.E2E_PORT ?? 8181);
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium; these flags keep it from reaching for hosts this machine cannot reach.
const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

export default defineConfig({
  testDir: '.',
  outputDir: path.join(root, 'test-results'),
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: { baseURL, trace: 'retain-on-failure', locale: 'zh-CN', timezoneId: 'Asia/Shanghai' },
  projects: [
    { name: 'phone', use: { ...devices['Pixel 7'], launchOptions: chromium } },
  ],
  webServer: {
    // A fresh database with two staff accounts, a reviewer and an admin (tests/e2e/pages/staff-page.ts). The login limit is off:
    // the staff tests log in from one address, in parallel, more often than a person would.
    command:
      'rm -rf target/e2e && mkdir -p target/e2e && ' +
      "printf 'e2e-password-1\\n' | ./target/debug/jianyan staff add e2e --name 测试员 --role reviewer --db target/e2e/e2e.db && " +
      "printf 'e2e-password-2\\n' | ./target/debug/jianyan staff add e2e-admin --name 管理员甲 --role admin --db target/e2e/e2e.db && " +
      `./target/debug/jianyan serve --addr 127.0.0.1:${port} --db target/e2e/e2e.db --static dist ` +
      '--login-rate-per-minute 0',
    cwd: root,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
