import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/**
 * The `test` every spec uses. For every page a test opens, it fails the test on:
 * - any uncaught page error (a wasm panic is a `RuntimeError: unreachable` in the release build),
 * - any `console.error` the app writes,
 * - an address bar that does not match the members' page on screen after a navigation.
 * A test that watches only what it asserts would miss a panic next to it.
 */
export const test = base.extend<{ pageProblems: string[]; tolerate: RegExp[] }>({
  /** Problems a test causes on purpose and names (e.g. a release published broken); set with test.use. */
  tolerate: [[], { option: true }],
  pageProblems: [
    async ({ context, tolerate }, use) => {
      const problems: string[] = [];
      const checks: Promise<void>[] = [];
      const watch = (page: Page) => {
        page.on('pageerror', (error) => problems.push(`page error at ${page.url()}: ${error.message}`));
        page.on('console', (message) => {
          // The browser's own line for an answer with an error status or no answer at all: tests cause
          // those on purpose (offline, a routed 503, a 401 for an expired session); they are not the app's.
          if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
            problems.push(`console.error at ${page.url()}: ${message.text()}`);
          }
        });
        page.on('framenavigated', (frame) => {
          if (frame === page.mainFrame()) checks.push(checkAddress(page, problems));
        });
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(problems);
      await Promise.all(checks);
      for (const page of context.pages()) await checkAddress(page, problems);
      const unexpected = problems.filter((problem) => !tolerate.some((known) => known.test(problem)));
      expect(unexpected, 'page errors, console errors and address mismatches').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * The members' app marks its `<main>` with the address of the page it shows (`data-route`); after a
 * navigation settles, the address bar must say the same, or reload, back and a copied link go elsewhere.
 */
async function checkAddress(page: Page, problems: string[]) {
  if (page.isClosed()) return;
  try {
    await page.waitForTimeout(250);
    const seen = await page.evaluate(() => ({
      address: location.pathname.replace(/(.)\/$/, '$1'),
      shown: document.querySelector('main[data-route]')?.getAttribute('data-route') ?? null,
    }));
    // `/404` is the not-found page, shown at whatever address led nowhere.
    if (seen.shown !== null && seen.shown !== '/404' && seen.shown !== seen.address) {
      problems.push(`address bar says ${seen.address} but the page shown is ${seen.shown}`);
    }
  } catch {
    // The page closed or navigated away while being checked: the next navigation is checked in turn.
  }
}

/** Runs axe on what the page shows now: no WCAG 2.1 A/AA violation. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe on ${what}`).toEqual([]);
}

/** Nothing on the page is wider than the screen: no sideways scrolling, nothing cut off at the edge. */
export async function expectNoSidewaysOverflow(page: Page, what: string) {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide: string[] = [];
    if (document.documentElement.scrollWidth > width) {
      wide.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
    }
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(element);
      // Content wider than its box: cut off where the box clips, spilling out where it does not.
      const clipped = element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0 &&
        style.overflowX !== 'auto' && style.overflowX !== 'scroll';
      if (box.right > width + 1 || box.left < -1 || clipped) {
        const name = element.tagName.toLowerCase() + (element.id ? `#${element.id}` : '') +
          (element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : '');
        wide.push(`${name} ${clipped ? 'is cut off' : `spans ${Math.round(box.left)}..${Math.round(box.right)}`}`);
      }
    }
    return wide;
  });
  expect(overflow, `${what}: wider than the screen`).toEqual([]);
}
