// Screenshots of every view, light and dark, desktop (1280×800) and mobile
// (360×740), saved under docs/screenshots/ for the README. They are looked
// at, not compared: the numbers are checked by dashboard.spec.js.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, sim, truth, openDemo, waitForView } from './helpers.js';

// `PU_SCREENSHOTS=1 npx playwright test screenshots` refreshes the committed
// ones; otherwise they go to test-results/ (so a test run leaves git clean).
const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

/** Whether fontconfig knows a font with Korean glyphs (false where it can't be asked). */
function koreanFont() {
  try {
    return execFileSync('fc-list', [':lang=ko'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

const SIZES = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 360, height: 740 },
};

async function targets(request) {
  const t = await truth(request);
  const byUsd = t.customers.slice().sort((a, b) => Number(b.usdTotalCost) - Number(a.usdTotalCost));
  const plan = byUsd.find((c) => c.subscriptions.filter((s) => s.kind === 'azurePlan').length >= 2
    && c.subscriptions.some((s) => s.kind === 'license') && c.budget != null);
  const sub = plan.subscriptions.filter((s) => s.kind === 'azurePlan').sort((a, b) => b.resourceRecords - a.resourceRecords)[0];
  // The legacy subscription with the most meters' worth of records.
  const legacy = t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy').map((s) => ({ c, s })))
    .sort((a, b) => b.s.utilizationRecords - a.s.utilizationRecords)[0];
  return {
    customers: '',
    subscriptions: `view=subscriptions&customer=${plan.id}`,
    resources: `view=resources&customer=${plan.id}&subscription=${sub.id}&group=resource-group&then=resource-type`,
    utilization: `view=utilization&customer=${legacy.c.id}&subscription=${legacy.s.id}`,
  };
}

test('screenshots of every view, light and dark, desktop and mobile', async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const all = process.env.PU_SCREENSHOTS === '1';
  const OUT = all ? DOCS : testInfo.outputPath('screenshots');
  // The README's Korean screenshot drawn without a Korean font is a row of
  // boxes: refused rather than committed.
  if (all && !koreanFont()) {
    throw new Error('no Korean font for the ko screenshot: apt-get install -y fonts-noto-cjk, then run again');
  }
  await sim(request);
  const views = await targets(request);
  // A plain test run takes the desktop ones only (rendering smoke test).
  for (const [size, viewport] of Object.entries(SIZES).filter(([k]) => all || k === 'desktop')) {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      for (const [view, hash] of Object.entries(views)) {
        // A fresh page per view: a same-document hash change would count as
        // a navigation (and move focus to the title).
        const page = await context.newPage();
        await openDemo(page, { query: 'embed=1', hash });
        await waitForView(page, view);
        // Let the charts draw and the fonts settle.
        await page.waitForTimeout(300);
        await page.screenshot({ path: `${OUT}/${view}-${scheme}-${size}.png` });
        await page.close();
      }
      await context.close();
    }
  }
  if (!all) return;

  // Loading (with faults, so retries show) and an error banner.
  {
    const context = await browser.newContext({ viewport: SIZES.desktop, colorScheme: 'light' });
    const page = await context.newPage();
    await openDemo(page, { query: 'embed=1', hash: views.subscriptions });
    await waitForView(page, 'subscriptions');
    await page.evaluate(() => {
      const d = document.querySelector('partner-usage-dashboard');
      d.clientOptions = { pageSize: 40, retry: { baseDelayMs: 200, maxDelayMs: 400 } };
    });
    await waitForView(page, 'subscriptions');
    await sim(request, { latencyMs: 400, faultRate: 0.3, seed: 7 });
    await page.evaluate((h) => { location.hash = h; }, views.utilization);
    await page.locator('partner-usage-dashboard [part="progress"]').getByText(/retr/).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${OUT}/loading-light-desktop.png` });
    await page.evaluate(() => document.querySelector('partner-usage-dashboard').cancel());
    await sim(request, { seed: 13, faultRate: 1 });
    await page.evaluate(() => {
      document.querySelector('partner-usage-dashboard').clientOptions = { maxRetries: 1, retry: { baseDelayMs: 20, maxDelayMs: 50 } };
    });
    await page.locator('partner-usage-dashboard [part="error"]').waitFor();
    await page.screenshot({ path: `${OUT}/error-light-desktop.png` });
    await sim(request);
    await context.close();
  }

  // In Korean (the words of partner-usage/dashboard/messages/ko, ko-KR numbers and dates).
  {
    const context = await browser.newContext({ viewport: SIZES.desktop, colorScheme: 'light' });
    const page = await context.newPage();
    await openDemo(page, { query: 'embed=1&locale=ko-KR', hash: views.subscriptions });
    await waitForView(page, 'subscriptions');
    await page.locator('partner-usage-dashboard .root[lang="ko"]').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/subscriptions-ko-light-desktop.png` });
    await context.close();
  }

  // The demo page itself, with its simulator settings.
  const context = await browser.newContext({ viewport: SIZES.desktop, colorScheme: 'light' });
  const page = await context.newPage();
  await openDemo(page);
  await waitForView(page, 'customers');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/demo-page.png` });
  await context.close();
});
