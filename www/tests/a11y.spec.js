// Accessibility: axe-core on every view, light and dark, and on the demo page.
// No serious or critical violation is allowed (colour contrast included).
import AxeBuilder from '@axe-core/playwright';
import { test, expect, sim, truth, openDemo, waitForView, dash, viewHashes, legacyWith } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await sim(request);
});

async function serious(page, include) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const view of ['customers', 'subscriptions', 'resources', 'utilization']) {
  test(`axe: the ${view} view has no serious or critical violations, light and dark`, async ({ page, request }) => {
    const hash = (await viewHashes(request))[view];
    await openDemo(page, { hash });
    await waitForView(page, view);
    // The customers view is checked with the whole demo page around it.
    const scope = view === 'customers' ? undefined : 'partner-usage-dashboard';
    for (const scheme of ['light', 'dark']) {
      // The dashboard follows prefers-color-scheme live (charts are redrawn).
      await page.emulateMedia({ colorScheme: scheme });
      expect(await serious(page, scope), `${view} (${scheme})`).toEqual([]);
    }
    if (view === 'customers') {
      // A chart's table view, too.
      await page.locator('partner-usage-dashboard [data-panel]').first().getByRole('button', { name: 'Table' }).click();
      expect(await serious(page, 'partner-usage-dashboard'), `${view} table (dark)`).toEqual([]);
    }
  });
}

test('axe: every view in Korean (lang="ko" words) has no serious or critical violations', async ({ page, request }) => {
  const all = await viewHashes(request);
  await openDemo(page, { query: 'locale=ko-KR' });
  for (const view of ['customers', 'subscriptions', 'resources', 'utilization']) {
    if (all[view]) await page.evaluate((h) => { location.hash = h; }, all[view]);
    await waitForView(page, view);
    await expect(page.locator('partner-usage-dashboard .root')).toHaveAttribute('lang', 'ko');
    expect(await serious(page, 'partner-usage-dashboard'), `${view} (ko)`).toEqual([]);
  }
});

test('axe: the error banner', async ({ page, request }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  await sim(request, { seed: 13, faultRate: 1 });
  await page.evaluate(() => {
    document.querySelector('partner-usage-dashboard').clientOptions = { maxRetries: 0 };
  });
  await expect(page.locator('partner-usage-dashboard .banner')).toBeVisible();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await serious(page, 'partner-usage-dashboard'), scheme).toEqual([]);
  }
});

// Views are rebuilt on every change, so each control is a new element after
// the reload it starts; focus must follow it there, not fall to <body>.
test('keyboard: a control used in a view keeps focus through the reload it starts', async ({ page, request }) => {
  const all = await viewHashes(request);
  const focused = () => page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement;
    return el ? { tag: el.tagName, control: el.dataset.control || el.dataset.action || el.dataset.currency || el.textContent, value: el.value ?? null } : null;
  });
  const loaded = (view) => waitForView(page, view);
  await openDemo(page, { hash: all.resources });
  await loaded('resources');
  const d = dash(page);

  await d.locator('button[data-currency=usd]').focus();
  await page.keyboard.press('Enter');
  await expect(d.locator('button[data-currency=usd]')).toHaveAttribute('aria-pressed', 'true');
  expect(await focused()).toMatchObject({ tag: 'BUTTON', control: 'usd' });

  // A reload slow enough to be seen: without latency it could end before
  // the first look at the button.
  await sim(request, { latencyMs: 400 });
  await d.locator('button[data-action=refresh]').focus();
  await page.keyboard.press('Enter');
  await expect(d.locator('button[data-action=refresh]')).toBeDisabled();
  await expect(d.locator('button[data-action=refresh]')).toBeEnabled();
  await loaded('resources');
  expect(await focused()).toMatchObject({ tag: 'BUTTON', control: 'refresh' });
  await sim(request);

  await page.evaluate((h) => { location.hash = h; }, all.utilization);
  await loaded('utilization');
  const bucket = d.locator('select[data-control=bucket]');
  const before = await bucket.inputValue();
  await bucket.focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('bucket=');
  await loaded('utilization');
  await expect.poll(focused).toMatchObject({ tag: 'SELECT', control: 'bucket' });
  expect(await bucket.inputValue()).not.toBe(before);

  // Typing on after the filter's first reload: no character is dropped.
  const meter = d.locator('input[data-control=meter-contains]');
  await meter.focus();
  await page.keyboard.type('Dis');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('meter=Dis');
  await page.keyboard.type('k');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('meter=Disk');
  await loaded('utilization');
  await expect.poll(focused).toMatchObject({ tag: 'INPUT', control: 'meter-contains', value: 'Disk' });
});

test('keyboard: Back, or the breadcrumb up, returns focus to the link that opened the view, not to the page or an unseen title', async ({ page, request }) => {
  const all = await viewHashes(request);
  const focused = () => page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement;
    return el ? { tag: el.tagName, text: el.textContent } : null;
  });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  // A customer further down the list, whose link is below the fold.
  const link = d.locator('tbody .link').nth(12);
  const name = await link.textContent();
  await link.focus();
  await page.keyboard.press('Enter');
  await waitForView(page, 'subscriptions');
  await expect(d.locator('h2.title')).toBeFocused();
  // Somewhere else in the new view, then Back.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.goBack();
  await waitForView(page, 'customers');
  await expect.poll(focused).toEqual({ tag: 'A', text: name });
  const inView = await page.evaluate(() => {
    const r = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
  expect(inView).toBe(true);

  // Up by the breadcrumb instead of Back: the same place.
  await page.keyboard.press('Enter');
  await waitForView(page, 'subscriptions');
  await d.locator('[part="breadcrumb"]').getByRole('link', { name: 'All customers' }).press('Enter');
  await waitForView(page, 'customers');
  await expect.poll(focused).toEqual({ tag: 'A', text: name });

  // A view opened by its address, with no way back recorded, is read from its title.
  await page.evaluate((h) => { location.hash = h; }, all.resources);
  await waitForView(page, 'resources');
  await expect(d.locator('h2.title')).toBeFocused();
});

test('keyboard: Forward to a view reads it from its title, in sight even where the browser restores the scroll', async ({ page, request }) => {
  const t = await truth(request);
  const { c } = legacyWith(t, 1500);
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  await d.getByRole('link', { name: 'Utilization' }).first().click();
  await waitForView(page, 'utilization');
  // Read down to the bottom of the utilization view, then Back and Forward.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.goBack();
  await waitForView(page, 'subscriptions');
  await page.goForward();
  await waitForView(page, 'utilization');
  await expect(d.locator('h2.title')).toBeFocused();
  await expect.poll(() => d.locator('h2.title').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  })).toBe(true);

  // Left once by a breadcrumb, opened again from the list, Back, Forward:
  // the title again, not the breadcrumb it was left by the first time.
  await page.goBack();
  await waitForView(page, 'subscriptions');
  await d.locator('[part="breadcrumb"]').getByRole('link', { name: 'All customers' }).click();
  await waitForView(page, 'customers');
  await d.getByLabel('Filter customers').fill(c.name);
  await d.locator(`tr[data-customer-id="${c.id}"] .link`).click();
  await waitForView(page, 'subscriptions');
  await page.goBack();
  await waitForView(page, 'customers');
  await expect(d.locator(`tr[data-customer-id="${c.id}"] .link`)).toBeFocused();
  await page.goForward();
  await waitForView(page, 'subscriptions');
  await expect(d.locator('h2.title')).toBeFocused();
});

// ---------------------------------------------------------------- focus and speech around loads
//
// What a keyboard or screen-reader user meets while a view loads, and once
// it has: focus never falls to <body>, and the shared live region says what
// happened, once.

/** Where focus is, through the shadow root: a control's data-action, data-control or data-currency, a part, or what the page has. */
const focusOf = (page) => page.evaluate(() => {
  const el = document.querySelector('partner-usage-dashboard');
  const a = el.shadowRoot.activeElement;
  if (!a) return document.activeElement === el ? 'host' : document.activeElement?.tagName ?? null;
  return a.dataset.action || a.dataset.control || a.dataset.currency || a.getAttribute('part') || a.tagName;
});

/** A Partner Center error answer for page.route. */
const pcError = (status) => ({ status, contentType: 'application/json', body: JSON.stringify({ code: status, description: 'Failure', errorName: 'Failure' }) });

/** Holds the requests matching `url` until `release()` (or answers them with `answer` once released). */
async function hold(page, url) {
  let release;
  const held = new Promise((r) => { release = r; });
  let answer = null;
  await page.route(url, async (route) => {
    await held;
    // A request cancelled meanwhile has nothing left to answer.
    await (answer ? route.fulfill(answer) : route.continue()).catch(() => {});
  });
  return { release: (a = null) => { answer = a; release(); }, done: () => page.unroute(url) };
}

/** The shared live region of the dashboard (screen-reader only). */
const live = (page) => dash(page).locator('.root > [aria-live="polite"][aria-atomic="true"]');

/** Every text the shared live region is given from now on, in order (`window.__said`). */
const listen = (page) => page.evaluate(() => {
  const region = document.querySelector('partner-usage-dashboard').shadowRoot.querySelector('.root > [aria-live]');
  window.__said = [];
  new MutationObserver(() => { if (region.textContent) window.__said.push(region.textContent); })
    .observe(region, { childList: true, characterData: true, subtree: true });
});
const said = (page) => page.evaluate(() => window.__said);

test('keyboard: Refresh keeps focus while it loads (aria-disabled, not disabled) and ignores a second press', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  let asked = 0;
  page.on('request', (r) => { if (r.url().includes('/v1/customers/usagerecords')) asked += 1; });
  const held = await hold(page, '**/v1/customers/usagerecords*');
  const refresh = d.locator('button[data-action=refresh]');
  await refresh.focus();
  await page.keyboard.press('Enter');
  await expect(d.locator('[part="progress"]')).toBeVisible();
  expect(await focusOf(page)).toBe('refresh');
  await expect(refresh).toHaveAttribute('aria-disabled', 'true');
  await expect(refresh).toBeDisabled();
  // Pressed again while loading: nothing starts over.
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  expect(asked).toBe(1);
  held.release();
  await waitForView(page, 'customers');
  expect(await focusOf(page)).toBe('refresh');
  await expect(refresh).not.toHaveAttribute('aria-disabled');
  await expect(refresh).toBeEnabled();
});

test('keyboard: the error banner\'s Retry hands focus to Cancel while it loads, then to the title, or to the next Retry', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = { maxRetries: 0 }; });
  await page.route('**/v1/customers/usagerecords*', (route) => route.fulfill(pcError(500)));
  await d.evaluate((el) => { el.refresh(); });
  const retry = d.locator('[part="error"] button[data-action=retry]');
  await expect(retry).toBeVisible();

  // Retry, and it fails again: focus goes from Cancel to the new banner's Retry.
  await page.unrouteAll();
  let held = await hold(page, '**/v1/customers/usagerecords*');
  await retry.focus();
  await page.keyboard.press('Enter');
  await expect(d.locator('[part="progress"]')).toBeVisible();
  expect(await focusOf(page)).toBe('cancel');
  held.release(pcError(500));
  await expect(retry).toBeVisible();
  await expect.poll(() => focusOf(page)).toBe('retry');

  // Retry, and it loads: focus goes from Cancel to the title (Retry is gone).
  await held.done();
  held = await hold(page, '**/v1/customers/usagerecords*');
  await page.keyboard.press('Enter');
  await expect(d.locator('[part="progress"]')).toBeVisible();
  expect(await focusOf(page)).toBe('cancel');
  held.release();
  await waitForView(page, 'customers');
  expect(await focusOf(page)).toBe('title');
});

test('keyboard: Load again after a cancel hands focus to Cancel while it loads, and the costs note\'s Retry keeps it', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 0).length >= 2);
  const failing = c.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 0)[1];
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);

  // Cancel a reload, then Load again: focus from Cancel to Load again, to Cancel, to the title.
  let held = await hold(page, `**/v1/customers/${c.id}/subscriptions*`);
  await d.evaluate((el) => { el.refresh(); });
  const cancel = d.locator('button[data-action=cancel]');
  await cancel.focus();
  await page.keyboard.press('Enter');
  const again = d.locator('.banner button[data-action=retry]');
  await expect(again).toHaveText('Load again');
  expect(await focusOf(page)).toBe('retry');
  await held.done();
  held = await hold(page, `**/v1/customers/${c.id}/subscriptions*`);
  await page.keyboard.press('Enter');
  await expect(d.locator('[part="progress"]')).toBeVisible();
  expect(await focusOf(page)).toBe('cancel');
  held.release();
  await waitForView(page, 'subscriptions');
  expect(await focusOf(page)).toBe('title');
  await held.done();

  // A subscription's cost fails: the note's Retry keeps focus while the
  // costs load again, and gives it to the title once the note is gone.
  await page.route(`**/v1/customers/${c.id}/subscriptions/${failing.id}/resourceusagerecords*`, (route) => route.fulfill(pcError(403)));
  await d.evaluate((el) => { el.refresh(); });
  const retryCosts = d.locator('button[data-action=retry-costs]');
  await expect(retryCosts).toBeVisible();
  await page.unrouteAll();
  held = await hold(page, `**/v1/customers/${c.id}/subscriptions/${failing.id}/resourceusagerecords*`);
  await retryCosts.focus();
  await page.keyboard.press('Enter');
  await expect(d.locator('[part="progress"]')).toBeVisible();
  expect(await focusOf(page)).toBe('retry-costs');
  held.release();
  await expect(retryCosts).toHaveCount(0);
  await expect.poll(() => focusOf(page)).toBe('title');
});

test('keyboard: past the customers table\'s rows with one key, by a link seen only when focused', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const skip = d.locator('button[data-action=skip-table]');
  // Out of sight until it has focus: the next stop after the filter.
  expect((await skip.boundingBox()).width).toBeLessThanOrEqual(1);
  await d.locator('input[data-control=customer-filter]').focus();
  await page.keyboard.press('Tab');
  expect(await focusOf(page)).toBe('skip-table');
  await expect(skip).toHaveText('Skip to after the table');
  expect((await skip.boundingBox()).width).toBeGreaterThan(40);
  // Enter: to "Show more", past every row.
  await page.keyboard.press('Enter');
  expect(await focusOf(page)).toBe('more');
  // Every row shown, nothing more to show: to after the table, where Tab goes on.
  await page.keyboard.press('Enter');
  await expect(d.locator('button[data-action=more]')).toHaveCount(0);
  await skip.focus();
  await page.keyboard.press('Enter');
  const after = await page.evaluate(() => {
    const a = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement;
    return { note: a?.dataset.note, text: a?.textContent, tableBefore: !!(a && a.compareDocumentPosition(a.getRootNode().querySelector('table[data-table="customers"]')) & Node.DOCUMENT_POSITION_PRECEDING) };
  });
  // Something to read there, not an empty box: what the table held.
  expect(after).toEqual({ note: 'end', text: await d.locator('[data-note="count"]').textContent(), tableBefore: true });
  expect(after.text).toMatch(/^\d+ of \d+ customers/);
  // A few rows: nothing to skip.
  await d.locator('input[data-control=customer-filter]').fill('Contoso');
  await expect(d.locator('table[data-table="customers"] tbody tr').first()).toBeVisible();
  expect(await d.locator('table[data-table="customers"] tbody tr').count()).toBeLessThanOrEqual(10);
  await expect(skip).toBeHidden();
});

test('keyboard: Cancel during a drill-down leaves focus on Load again, and later loads hold focus again', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.length > 0);
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const held = await hold(page, `**/v1/customers/${c.id}/subscriptions*`);
  await d.getByLabel('Filter customers').fill(c.name);
  await expect(d.locator('tr[data-customer-id]')).toHaveCount(1);
  await d.locator(`tr[data-customer-id="${c.id}"] .link`).press('Enter');
  await expect(d.locator('[part="progress"]')).toBeVisible();
  expect(await focusOf(page)).toBe('title');
  await d.locator('button[data-action=cancel]').focus();
  await page.keyboard.press('Enter');
  await expect(d.locator('.banner')).toHaveAttribute('data-kind', 'aborted');
  await expect.poll(() => focusOf(page)).toBe('retry');
  await expect(d.locator('.banner button[data-action=retry]')).toHaveText('Load again');
  // Load again: the view opens, read from its title.
  await held.done();
  await page.keyboard.press('Enter');
  await waitForView(page, 'subscriptions');
  expect(await focusOf(page)).toBe('title');
  // And a control used after it keeps focus through its reload.
  await d.locator('button[data-currency=usd]').focus();
  await page.keyboard.press('Enter');
  await expect(d.locator('button[data-currency=usd]')).toHaveAttribute('aria-pressed', 'true');
  expect(await focusOf(page)).toBe('usd');
});

test('keyboard: "Show all N buckets" takes focus to the first row it adds, "Clear filters" to the first filter', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacyWith(t, 1500);
  const day = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}&from=${day(150)}&to=${day(2)}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const panel = d.locator('[data-panel="unit-0"]');
  await panel.getByRole('button', { name: 'Table' }).click();
  const all = panel.getByRole('button', { name: /^Show all \d+ buckets$/ });
  await all.focus();
  await page.keyboard.press('Enter');
  await expect(all).toHaveCount(0);
  const row = await page.evaluate(() => {
    const a = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement;
    const tr = a?.closest('tr');
    return a ? { tag: a.tagName, row: [...tr.parentNode.rows].indexOf(tr), text: a.textContent } : null;
  });
  expect(row).toMatchObject({ tag: 'TH', row: 120 });
  await expect(panel.locator('tbody tr').nth(120).locator('th')).toHaveText(row.text);

  // A filter, then Clear filters from the keyboard.
  const category = d.locator('select[data-control=category]');
  await category.selectOption({ index: 1 });
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('category=');
  await waitForView(page, 'utilization');
  const clear = d.getByRole('button', { name: 'Clear filters' });
  await clear.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('category=');
  await waitForView(page, 'utilization');
  await expect(clear).toHaveCount(0);
  await expect.poll(() => focusOf(page)).toBe('category');
  await expect(category).toHaveValue('');
});

test('filters: a typed filter still waiting for the typing pause neither drops a filter chosen meanwhile nor comes back after Clear filters', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacyWith(t, 1500);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const hash = () => page.evaluate(() => decodeURIComponent(location.hash));
  // Text typed, then a category chosen before the text applies: both stay.
  await d.locator('input[data-control=meter-contains]').fill('a');
  await d.locator('select[data-control=category]').selectOption({ index: 1 });
  await expect.poll(hash).toContain('meter=a');
  expect(await hash()).toContain('category=');
  await waitForView(page, 'utilization');
  // Text typed, then Clear filters before it applies: nothing comes back.
  await d.locator('input[data-control=meter-contains]').fill('ab');
  await d.getByRole('button', { name: 'Clear filters' }).click();
  await expect.poll(hash).not.toContain('category=');
  await page.waitForTimeout(600);
  await waitForView(page, 'utilization');
  expect(await hash()).not.toMatch(/category=|meter=/);
  await expect(d.locator('input[data-control=meter-contains]')).toHaveValue('');
  // Text typed, a category chosen (the fields are drawn again), then Clear
  // filters, all before the text applies: still nothing comes back.
  await d.locator('input[data-control=meter-contains]').fill('abc');
  await d.locator('select[data-control=category]').selectOption({ index: 1 });
  await expect(d.getByRole('button', { name: 'Clear filters' })).toBeVisible();
  await d.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForTimeout(600);
  await waitForView(page, 'utilization');
  expect(await hash()).not.toMatch(/category=|meter=/);
});

test('live region: a load that was announced says what loaded; a failure clears it; a chart\'s readout stays with its view', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacyWith(t, 1500);
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  let held = await hold(page, `**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*`);
  await d.locator(`tr[data-subscription-id="${s.id}"] th .link`).click();
  await expect(live(page)).toHaveText('Loading utilization');
  held.release();
  await waitForView(page, 'utilization');
  const vd = await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData);
  const days = vd.summary.bucketStarts.length;
  await expect(live(page)).toHaveText(`Utilization loaded: ${vd.summary.series.length} series, ${days} days`);
  await held.done();

  // A quick option change (no "Loading …" said): what it brought is said,
  // as focus stays in the field while the charts change.
  const meter = vd.summary.series[0].label.split(' ')[0];
  await d.evaluate((el) => { el.shadowRoot.querySelector('[aria-live]').textContent = ''; });
  await d.getByLabel('Meter contains').fill(meter);
  await expect.poll(() => page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.state.filters?.meterContains)).toBe(meter);
  await waitForView(page, 'utilization');
  const narrowed = await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.summary.series.length);
  expect(narrowed).toBeLessThan(vd.summary.series.length);
  await expect(live(page)).toHaveText(`Utilization loaded: ${narrowed} series, ${days} days`);
  await expect(d.getByLabel('Meter contains')).toBeFocused();

  // A quick reload the host caused (a new token source) is none of the
  // reader's doing: nothing is said.
  await d.evaluate((el) => { el.shadowRoot.querySelector('[aria-live]').textContent = ''; });
  await listen(page);
  await page.evaluate(() => new Promise((resolve) => {
    const el = document.querySelector('partner-usage-dashboard');
    el.addEventListener('pu-load', resolve, { once: true });
    const before = el.getToken;
    el.getToken = (o) => before(o);
  }));
  await waitForView(page, 'utilization');
  await page.waitForTimeout(100);
  expect(await said(page)).toEqual([]);

  // A reload that is announced, then fails: the alert speaks, the live region is empty.
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = { maxRetries: 0 }; });
  held = await hold(page, `**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*`);
  await d.evaluate((el) => { el.refresh(); });
  await expect(live(page)).toHaveText('Loading utilization');
  held.release(pcError(500));
  await expect(d.locator('[part="error"]')).toBeVisible();
  await expect(live(page)).toHaveText('');
  await held.done();

  // A bar read out with the arrow keys is not left in the next view's live region.
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = {}; });
  await page.evaluate(() => { location.hash = ''; });
  await waitForView(page, 'customers');
  const box = d.locator('[data-chart="top"]');
  await box.focus();
  await page.keyboard.press('ArrowDown');
  const first = (await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.charts.top.labels[0]));
  await expect(live(page)).toContainText(first);
  await page.keyboard.press('Enter');
  await waitForView(page, 'subscriptions');
  await page.waitForTimeout(100);
  await expect(live(page)).toHaveText('');
});

test('live region: "Loading canceled", an empty state and a failed-costs note are said once, through the shared live region, not at each redraw', async ({ page, request }) => {
  const t = await truth(request);
  const { c: lc, s: ls } = legacyWith(t, 1500);
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  await listen(page);
  const redraw = () => page.evaluate(async () => {
    const el = document.querySelector('partner-usage-dashboard');
    el.setAttribute('theme', el.getAttribute('theme') === 'dark' ? 'light' : 'dark');
    el.setAttribute('currency-display', el.getAttribute('currency-display') === 'usd' ? 'native' : 'usd');
    await new Promise((r) => setTimeout(r, 200));
  });
  // No live region of its own, created holding its text.
  const ownRegions = () => d.locator('.status [role=status], .status [aria-live], .content [role=status], .content .banner[aria-live]').count();

  // Loading canceled.
  const held = await hold(page, '**/v1/customers/usagerecords*');
  await d.evaluate((el) => { el.refresh(); });
  await d.locator('button[data-action=cancel]').click();
  await expect(d.locator('.banner')).toHaveAttribute('data-kind', 'aborted');
  await expect(live(page)).toHaveText('Loading canceled. Nothing was changed. Load the data again when you are ready.');
  expect(await ownRegions()).toBe(0);
  await redraw();
  expect((await said(page)).filter((x) => x.startsWith('Loading canceled'))).toHaveLength(1);
  held.release();
  await held.done();

  // Nothing matches the filters.
  await page.evaluate((h) => { location.hash = h; }, `view=utilization&customer=${lc.id}&subscription=${ls.id}&meter=zzzz-no-such-meter`);
  await expect(d.locator('.empty .headline')).toHaveText('Nothing matches the filters');
  await expect(live(page)).toContainText(/^Nothing matches the filters\. Partner Center reported [\d,]+ records/);
  expect(await ownRegions()).toBe(0);
  await redraw();
  expect((await said(page)).filter((x) => x.startsWith('Nothing matches'))).toHaveLength(1);

  // Some subscriptions' costs failed.
  const pc = t.customers.find((x) => x.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 0).length >= 2);
  const failing = pc.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 0)[1];
  await page.route(`**/v1/customers/${pc.id}/subscriptions/${failing.id}/resourceusagerecords*`, (route) => route.fulfill(pcError(403)));
  await page.evaluate((h) => { location.hash = h; }, `view=subscriptions&customer=${pc.id}`);
  await waitForView(page, 'subscriptions');
  await expect(d.locator('[data-note="costs-failed"]')).toBeVisible();
  await expect(live(page)).toHaveText('The cost of 1 subscription could not be loaded. Partner Center denied access');
  expect(await ownRegions()).toBe(0);
  await redraw();
  expect((await said(page)).filter((x) => x.startsWith('The cost of'))).toHaveLength(1);
});

test('focus is visible on the title a keyboard drill-down moves it to, at 3:1 or more, light and dark', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  await d.locator('tbody .link').first().focus();
  await page.keyboard.press('Enter');
  await waitForView(page, 'subscriptions');
  const title = d.locator('h2.title');
  await expect(title).toBeFocused();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const ring = await title.evaluate((el) => {
      const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
      const s = getComputedStyle(el);
      const bg = getComputedStyle(el.getRootNode().host).backgroundColor;
      const [a, b] = [lum(rgb(s.outlineColor)), lum(rgb(bg))].sort((x, y) => y - x);
      return { visible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth), contrast: (a + 0.05) / (b + 0.05) };
    });
    expect(ring.visible, scheme).toBe(true);
    expect(ring.style, scheme).not.toBe('none');
    expect(ring.width, scheme).toBeGreaterThanOrEqual(2);
    expect(ring.contrast, scheme).toBeGreaterThanOrEqual(3);
  }
});

test('breakdown: a second-level row\'s header names its group for screen readers, and looks as before', async ({ page, request }) => {
  const hash = (await viewHashes(request)).resources;
  await openDemo(page, { hash });
  await waitForView(page, 'resources');
  const d = dash(page);
  const body = d.locator('table[data-table="breakdown"] tbody').first();
  const group = (await body.locator('tr.group th button.expander').textContent()).trim();
  await body.locator('tr.group th button.expander').click();
  const child = body.locator('tr.child th').first();
  const name = (await child.locator(':scope > bdi').textContent()).trim();
  // Chromium's name computation puts a space before the hidden span (absolutely
  // positioned, so a block of its own); speech reads the comma alike.
  const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(child).toHaveAccessibleName(new RegExp(`^${esc(name)} ?, in ${esc(group)}$`));
  // The suffix is for screen readers only: the row looks as it did.
  const suffix = await child.evaluate((th) => {
    const sr = th.querySelector('.sr-only');
    return sr && { text: sr.textContent, width: sr.getBoundingClientRect().width };
  });
  expect(suffix).toEqual({ text: `, in ${group}`, width: 1 });
});

test('keyboard at 390 px: a focused control in a wide table is never under its sticky first column or cut off at the edge', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const sorts = d.locator('table[data-table="customers"] thead button.sort');
  const n = await sorts.count();
  expect(n).toBeGreaterThan(3);
  // How the focused control sits: its box, the sticky cell's, the scroller's.
  const placement = () => d.evaluate((el) => {
    const f = el.shadowRoot.activeElement;
    const sc = f.closest('.scroll');
    const sticky = f.closest('tr').firstElementChild;
    const r = f.getBoundingClientRect(); const s = sticky.getBoundingClientRect(); const c = sc.getBoundingClientRect();
    return { text: f.textContent, first: sticky.contains(f), scrolled: sc.scrollLeft !== 0, left: r.left, right: r.right, stickyLeft: s.left, stickyRight: s.right, boxLeft: c.left, boxRight: c.right };
  });
  const clear = (p) => {
    if (p.first) return;
    expect(p.right, p.text).toBeLessThanOrEqual(p.boxRight);
    expect(p.left, `${p.text} is clear of the sticky column`).toBeGreaterThanOrEqual(p.stickyRight);
  };
  // Forward through every sort button, then back (the browser alone left
  // "Cost (USD)" cut off going forward and under the sticky column going back).
  await sorts.first().focus();
  let sawScroll = false;
  for (let i = 1; i < n; i++) {
    await page.keyboard.press('Tab');
    await expect.poll(async () => { const p = await placement(); sawScroll ||= p.scrolled; return p.right <= p.boxRight && (p.first || p.left >= p.stickyRight); }).toBe(true);
    clear(await placement());
  }
  expect(sawScroll, 'the table scrolled sideways').toBe(true);
  for (let i = 1; i < n; i++) {
    await page.keyboard.press('Shift+Tab');
    await expect.poll(async () => { const p = await placement(); return p.right <= p.boxRight && (p.first || p.left >= p.stickyRight); }).toBe(true);
    clear(await placement());
  }
});

test('keyboard: a date field keeps its focus ring on every stop inside it, its picker button too', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy' && s.utilizationRecords > 0).map((s) => ({ c, s })))[0];
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const from = d.locator('input[type="date"]').first();
  await from.focus();
  const ring = () => d.evaluate((el) => {
    const f = el.shadowRoot.activeElement;
    return { date: f?.type === 'date', outline: f && getComputedStyle(f).outlineStyle, width: f && getComputedStyle(f).outlineWidth };
  });
  // Month, day, year, then the picker button: the same element throughout.
  for (let i = 0; i < 4; i++) {
    expect(await ring(), `stop ${i + 1}`).toEqual({ date: true, outline: 'solid', width: '2px' });
    await page.keyboard.press('Tab');
  }
});

test('keyboard: arrow steps through a closed select apply once they pause (one load, focus kept), Enter at once', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacyWith(t, 100);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const state = () => page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.state.uGroupBy);
  await page.evaluate(() => {
    window.__loads = 0;
    document.querySelector('partner-usage-dashboard').addEventListener('pu-load', () => { window.__loads += 1; });
  });
  const select = d.locator('select[data-control="group-by"]');
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
  const at = options.indexOf(await state());
  expect(options.length).toBeGreaterThan(at + 3);
  await select.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  // Not yet: the steps haven't paused.
  expect(await state()).toBe(options[at]);
  await expect.poll(state).toBe(options[at + 2]);
  await waitForView(page, 'utilization');
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.__loads)).toBe(1);
  await expect(select).toBeFocused();
  // Enter applies the step at once.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  expect(await state()).toBe(options[at + 3]);
  await waitForView(page, 'utilization');
  // Tab right after a step: applied once focus is on the next control, which keeps it through the redraw.
  await select.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Tab');
  const away = await page.evaluate(() => { const a = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement; return a && a.outerHTML.slice(0, 60); });
  expect(away).toMatch(/^<(summary|input|select|button)/);
  await expect.poll(state).toBe(options[at + 2]);
  await waitForView(page, 'utilization');
  await page.waitForTimeout(100);
  expect(await page.evaluate(() => { const a = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement; return a && a.outerHTML.slice(0, 60); })).toBe(away);
});
