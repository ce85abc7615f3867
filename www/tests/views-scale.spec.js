// The views at scale and in their corners: thousands of customers, hundreds
// of subscriptions or series, partial failures, typed dates, landmarks.
// Hand-made Partner Center answers go through page.route; everything else
// is pc-sim (see helpers.js).
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, sim, truth, decSum, decCmp, openDemo, waitForView, dash, viewData, tableRows, TOKEN, longDate, legacyWith } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await sim(request);
});

/** The customers table's rows (once it is no longer drawing). */
async function settledRows(d) {
  const table = d.locator('table[data-table="customers"]');
  await expect(table).not.toHaveAttribute('aria-busy');
  return table.locator('tbody tr');
}

const focusedText = (page) => page.evaluate(() => {
  const el = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement;
  return el ? `${el.tagName} ${el.textContent}` : null;
});

// ---------------------------------------------------------------- customers

test('customers table: "Show more" stops at 500 rows with a note in words; a sort or a new filter starts from the first page again', async ({ page, request }) => {
  await sim(request, { customers: 640 });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const rows = await settledRows(d);
  await expect(rows).toHaveCount(25);
  // Steps of a hundred, and never a "Show all".
  for (const n of [125, 225, 325, 425, 500]) {
    await d.locator('[data-action="more"]').click();
    await expect(d.locator('table[data-table="customers"]')).not.toHaveAttribute('aria-busy');
    await expect(rows).toHaveCount(n);
    await expect(d.locator('[data-action="all"]')).toHaveCount(0);
  }
  await expect(d.locator('[data-action="more"]')).toHaveCount(0);
  const capped = d.locator('[data-note="capped"]');
  await expect(capped).toHaveText('The table shows at most 500 rows. Narrow it down with the filter, or use Export CSV for every customer.');
  await expect(d.locator('[data-note="count"]')).toHaveText('500 of 640 customers, over-budget first.');

  // A sort starts again from the first page (a later Back or redraw would
  // otherwise draw every row shown before).
  await d.locator('th[data-sort="name"] button').click();
  await expect(rows).toHaveCount(25);
  await expect(capped).toHaveCount(0);
  await expect(d.locator('[data-note="count"]')).toHaveText('25 of 640 customers, by name.');
  expect(await page.evaluate(() => document.querySelector('partner-usage-dashboard').ui.customers.limit)).toBe(25);

  // So does a new filter text.
  await d.locator('[data-action="more"]').click();
  await expect(rows).toHaveCount(125);
  await d.getByLabel('Filter customers').fill('a');
  await expect(rows).toHaveCount(25);
  await expect(d.locator('[data-note="count"]')).toContainText('Showing 25.');
  // A filter matching more than 500 stops there too.
  await d.getByLabel('Filter customers').fill('');
  for (let i = 0; i < 5; i++) await d.locator('[data-action="more"]').click();
  await expect(rows).toHaveCount(500);
  await expect(capped).toBeVisible();
});

test('Back to the customers list returns focus (and the scroll) to a row far down the table', async ({ page, request }) => {
  await sim(request, { customers: 400 });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const rows = await settledRows(d);
  for (let i = 0; i < 3; i++) await d.locator('[data-action="more"]').click();
  await expect(rows).toHaveCount(325);
  // Row 300: past what a redraw draws at once (the first 125).
  const link = rows.nth(300).locator('.link');
  const name = await link.textContent();
  await link.focus();
  await page.keyboard.press('Enter');
  await waitForView(page, 'subscriptions');
  await page.goBack();
  await waitForView(page, 'customers');
  await expect.poll(() => focusedText(page)).toBe(`A ${name}`);
  const inView = await page.evaluate(() => {
    const r = document.querySelector('partner-usage-dashboard').shadowRoot.activeElement.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
  expect(inView).toBe(true);
  await expect(rows).toHaveCount(325);
});

test('the customer filter ignores accents and case: "muller & son" finds "Müller & Søn AB"', async ({ page, request }) => {
  const t = await truth(request);
  const target = t.customers.find((c) => c.name === 'Müller & Søn AB');
  expect(target, 'seed 7 has Müller & Søn AB').toBeTruthy();
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const rows = await settledRows(d);
  const ids = () => rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.customerId));
  for (const q of ['muller', 'MULLER & SON', 'Müller', 'müller & søn']) {
    await d.getByLabel('Filter customers').fill(q);
    await expect.poll(ids, q).toEqual([target.id]);
  }
  // Tenant ids still match, in any case.
  await d.getByLabel('Filter customers').fill(target.id.slice(0, 13).toUpperCase());
  await expect.poll(ids).toContain(target.id);
});

test('the filter\'s count is read out once typing stops, and only if it changed; a sort says only "Sorted by"', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  await settledRows(d);
  // Every text the dashboard's live regions are given, in order.
  await page.evaluate(() => {
    const root = document.querySelector('partner-usage-dashboard').shadowRoot;
    window.__spoken = [];
    const live = [...root.querySelectorAll('[aria-live]')];
    const mo = new MutationObserver(() => {
      for (const el of live) if (el.textContent && el.textContent !== el.__last) window.__spoken.push(el.textContent);
      for (const el of live) el.__last = el.textContent;
    });
    for (const el of live) { el.__last = el.textContent; mo.observe(el, { childList: true, characterData: true, subtree: true }); }
  });
  const spoken = () => page.evaluate(() => window.__spoken);
  await page.clock.install();
  const input = d.getByLabel('Filter customers');
  await input.focus();
  // Three keys, each drawn in its frame, 100 ms apart.
  for (const key of ['c', 'o', 'n']) {
    await page.keyboard.press(key);
    await page.clock.runFor(100);
  }
  expect(await spoken()).toEqual([]);
  const note = d.locator('[data-note="count"]');
  const text = await note.textContent();
  expect(text).toMatch(/^\d+ of 120 customers match\./);
  await page.clock.runFor(600);
  await expect.poll(spoken).toEqual([text]);
  // A key that changes nothing (a trailing space) says nothing.
  await page.keyboard.press('Space');
  await page.clock.runFor(700);
  expect(await spoken()).toEqual([text]);

  // A sort: "Sorted by …" alone, though the count's words change.
  await input.fill('');
  await page.clock.runFor(700);
  const before = (await spoken()).length;
  await d.locator('th[data-sort="name"] button').click();
  await page.clock.runFor(700);
  await expect(note).toHaveText('25 of 120 customers, by name.');
  expect((await spoken()).slice(before)).toEqual(['Sorted by Customer, ascending']);
});

test('the top-customers chart\'s table says each customer\'s budget status in words', async ({ page, request }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const panel = d.locator('[data-panel="top"]');
  await panel.getByRole('button', { name: 'Table' }).click();
  const table = panel.locator('table');
  await expect(table.locator('thead th')).toHaveText(['Customer', 'Cost (USD)', 'Status']);
  const vd = await viewData(page);
  const byId = new Map(vd.summary.customers.map((c) => [c.customerId, c.status]));
  const words = { over: 'Over budget', near: 'Near budget', under: 'Within budget', 'no-budget': 'No budget' };
  const rows = await tableRows(table);
  const top = vd.summary.top;
  expect(rows.length).toBe(top.length);
  rows.forEach((r, i) => expect(r[2].text, top[i].label).toBe(top[i].others ? '' : words[byId.get(top[i].key)]));
  expect(rows.some((r) => r[2].text === 'Over budget')).toBe(true);
});

// ---------------------------------------------------------------- subscriptions

/** A customer with Azure plan subscriptions (at least `n`), from the truth. */
async function planCustomer(request, n = 1) {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 5).length >= n);
  return { c, plan: c.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 5) };
}

const AUTH = { Authorization: `Bearer ${TOKEN}` };

test('hundreds of subscriptions: the chart draws the top 10 and "Others", its table lists every one', async ({ page, request }) => {
  const { c, plan } = await planCustomer(request);
  const list = await (await request.get(`/v1/customers/${c.id}/subscriptions`, { headers: AUTH })).json();
  const tmpl = list.items.find((s) => s.id === plan[0].id);
  const res = await (await request.get(`/v1/customers/${c.id}/subscriptions/${plan[0].id}/resourceusagerecords`, { headers: AUTH })).json();
  const extra = Array.from({ length: 40 }, (_, i) => ({
    ...tmpl, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, friendlyName: `Team ${String(i).padStart(3, '0')}`,
  }));
  await page.route(`**/v1/customers/${c.id}/subscriptions`, (r) => r.fulfill({ json: { ...list, totalCount: list.items.length + 40, items: [...list.items, ...extra] } }));
  await page.route(`**/v1/customers/${c.id}/subscriptions/00000000-*/resourceusagerecords*`, (r) => {
    const id = r.request().url().split('/subscriptions/')[1].split('/')[0];
    const i = Number(id.slice(-12));
    // Each a different cost: 1.01, 2.02, ... (in the template's currency).
    const items = res.items.slice(0, 3).map((x, k) => ({ ...x, subscriptionId: id, totalCost: (i + 1) * 1.01 + k, usdTotalCost: (i + 1) * 1.01 + k }));
    r.fulfill({ json: { ...res, totalCount: items.length, items } });
  });
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  const all = plan.length + 40;
  const model = (await viewData(page)).charts.subscriptions;
  expect(model.labels.length).toBe(11);
  expect(model.labels[10]).toBe(`Others (${all - 10})`);
  expect(model.others).toBe(all - 10);
  // Its exact total is the exact sum of the others' costs, as the table has them.
  const panel = d.locator('[data-panel="subscriptions"]');
  const box = await panel.locator('[data-chart="subscriptions"]').boundingBox();
  expect(box.height).toBeLessThan(500);
  await panel.getByRole('button', { name: 'Table' }).click();
  // A row per subscription (each heading its resource types' rows).
  const rows = await tableRows(panel.locator('table'), 'tbody > tr:not(.child)');
  expect(rows.length).toBe(all);
  const costs = rows.map((r) => r[1].value); // cost, then record count
  expect(costs.slice(0, 10)).toEqual(model.exact.slice(0, 10));
  expect(decCmp(model.exact[10], decSum(costs.slice(10)))).toBe(0);
  expect(decCmp(decSum(model.exact), decSum(costs))).toBe(0);
  // And the subscriptions table has every one.
  await expect(d.locator('table[data-table="subscriptions"] tbody tr')).toHaveCount(list.items.length + 40);
});

test('some subscriptions\' costs fail: a note with the status, code and request id, the rows say so, and Retry loads them again', async ({ page, request }) => {
  const { c, plan } = await planCustomer(request, 2);
  const failed = plan[1].id;
  let requestId = null;
  await page.route(`**/v1/customers/${c.id}/subscriptions/${failed}/resourceusagerecords*`, (r) => {
    requestId = r.request().headers()['ms-requestid'];
    r.fulfill({ status: 403, json: { code: 800002, description: 'App+user credentials are required.' } });
  });
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  const note = d.locator('[data-note="costs-failed"]');
  await expect(note.locator('.headline')).toHaveText('The cost of 1 subscription could not be loaded.');
  await expect(note).toContainText('Partner Center denied access');
  await expect(note).toContainText('Ask your Partner Center administrator for access to this data.');
  expect(requestId).toBeTruthy();
  await expect(note.locator('.meta')).toHaveText(`HTTP 403 · Partner Center code 800002 · Request ID ${requestId}`);
  // Said before the chart, which shows only the costs that loaded.
  const chart = d.locator('[data-panel]').first();
  expect(await note.evaluate((n, c) => !!(n.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING), await chart.elementHandle())).toBe(true);
  // The failed row is not a subscription that cost nothing.
  await expect(d.locator(`tr[data-subscription-id="${failed}"] td[data-failed]`)).toHaveText('could not be loaded');
  await expect(d.locator(`tr[data-subscription-id="${plan[0].id}"] td[data-failed]`)).toHaveCount(0);
  // Retry asks for the failed costs again (a failure is never cached).
  await page.unroute(`**/v1/customers/${c.id}/subscriptions/${failed}/resourceusagerecords*`);
  await note.getByRole('button', { name: 'Retry' }).click();
  await expect(note).toHaveCount(0);
  await expect(d.locator(`tr[data-subscription-id="${failed}"] td[data-failed]`)).toHaveCount(0);
});

test('several subscriptions\' costs fail: the note shows the first one\'s figures under its name, and each one\'s in the details', async ({ page, request }) => {
  const { c, plan } = await planCustomer(request, 2);
  const ids = new Map();
  const correlations = new Map();
  for (const [i, s] of plan.slice(0, 2).entries()) {
    await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/resourceusagerecords*`, (r) => {
      ids.set(s.id, r.request().headers()['ms-requestid']);
      correlations.set(s.id, r.request().headers()['ms-correlationid']);
      r.fulfill(i === 0
        ? { status: 403, json: { code: 800002, description: 'App+user credentials are required.' } }
        : { status: 404, json: { code: 600039, description: 'Subscription not found.' } });
    });
  }
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  const note = d.locator('[data-note="costs-failed"]');
  await expect(note.locator('.headline')).toHaveText('The cost of 2 subscriptions could not be loaded.');
  const list = (await (await request.get(`/v1/customers/${c.id}/subscriptions`, { headers: AUTH })).json()).items;
  // Subscriptions named alike are told apart by their id's start.
  const name = (id) => {
    const n = list.find((s) => s.id === id).friendlyName;
    return list.filter((s) => s.friendlyName === n).length > 1 ? `${n} (${id.slice(0, 8)})` : n;
  };
  const [first, second] = plan.slice(0, 2).map((s) => s.id);
  await expect(note.locator(':scope .body > .meta')).toHaveText(`${name(first)}: HTTP 403 · Partner Center code 800002 · Request ID ${ids.get(first)}`);
  const lines = note.locator('details [data-failure]');
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText(`${name(first)}: HTTP 403 · Partner Center code 800002 · Request ID ${ids.get(first)}`, { useInnerText: false });
  await expect(lines.nth(1)).toContainText(`${name(second)}: HTTP 404 · Partner Center code 600039 · Request ID ${ids.get(second)}`, { useInnerText: false });
  await expect(lines.nth(1)).toContainText('Subscription not found.', { useInnerText: false });
  // Each listing's own correlation id.
  await expect(lines.nth(0).locator('.correlation')).toHaveText(`Correlation ID ${correlations.get(first)}`, { useInnerText: false });
  await expect(lines.nth(1).locator('.correlation')).toHaveText(`Correlation ID ${correlations.get(second)}`, { useInnerText: false });
  expect(correlations.get(first)).not.toBe(correlations.get(second));
  // When it failed, for support, in UTC whatever the language.
  const time = note.locator('details time');
  await expect(time).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/, { useInnerText: false });
  const shown = await time.textContent();
  await d.evaluate((el) => { el.lang = 'de'; });
  await expect(note.locator('.headline')).not.toHaveText('The cost of 2 subscriptions could not be loaded.');
  await expect(note.locator('details time')).toHaveText(shown, { useInnerText: false });
});

// ---------------------------------------------------------------- utilization

/** The day `n` days before today (UTC), ISO. */
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function legacySub(request) {
  return legacyWith(await truth(request), 1500);
}

test('utilization with many series: the chart draws the 8 largest and "Others" per unit, the table every one; legend toggles only beside the chart', async ({ page, request }) => {
  const { c, s } = await legacySub(request);
  // This month so far, so that the month-end forecast shows too.
  const now = new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const to = daysAgo(1) < monthStart ? monthStart : daysAgo(1);
  const days = [];
  for (let t = Date.parse(`${monthStart}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(t);
  // 14 meters in GB (meter i uses (i + 1) × 1.5 a day; four of them, one
  // drawn and three not, with a spike), 2 in hours.
  const meters = [...Array.from({ length: 14 }, (_, i) => ({ name: `Meter ${String(i).padStart(2, '0')}`, unit: 'GB', q: (i + 1) * 1.5 })),
    { name: 'VM A', unit: 'Hours', q: 24 }, { name: 'VM B', unit: 'Hours', q: 12 }];
  // An anomaly needs a week of buckets before it.
  const spikeAt = days.length > 7 ? days.length - 1 : -1;
  const items = [];
  for (const [k, m] of meters.entries()) {
    for (const [j, t] of days.entries()) {
      items.push({
        usageStartTime: new Date(t).toISOString().replace('.000Z', '+00:00'),
        usageEndTime: new Date(t + 86_400_000).toISOString().replace('.000Z', '+00:00'),
        resource: { id: `m-${k}`, name: m.name, category: 'Storage', subcategory: 'Disks', region: 'West Europe' },
        quantity: j === spikeAt && (k < 3 || k === 13) ? m.q * 8 : m.q,
        unit: m.unit,
        infoFields: {},
        instanceData: { resourceUri: `/subscriptions/${s.id}/resourceGroups/rg/providers/Microsoft.Storage/disks/d${k}`, location: 'westeurope', tags: { env: 'prod' } },
        attributes: { objectType: 'AzureUtilizationRecord' },
      });
    }
  }
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*`, (r) => r.fulfill({
    json: { totalCount: items.length, items, links: { self: { uri: '/x', method: 'GET', headers: [] } }, attributes: { objectType: 'Collection' } },
  }));
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}&from=${monthStart}&to=${to}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const vd = await viewData(page);
  const gb = Object.values(vd.charts).find((x) => x.unit === 'GB');
  const hours = Object.values(vd.charts).find((x) => x.unit === 'Hours');
  expect(gb.series.length).toBe(14);
  // The largest by total (the spikes count), largest first.
  const ranked = meters.filter((m) => m.unit === 'GB').map((m, k) => ({ name: m.name, total: m.q * days.length + ((k < 3 || k === 13) && spikeAt >= 0 ? m.q * 7 : 0) }))
    .sort((a, b) => b.total - a.total).map((m) => m.name);
  expect(gb.drawn.map((x) => x.label)).toEqual([...ranked.slice(0, 8), 'Others (6)']);
  const rest = gb.series.filter((x) => !gb.drawn.some((y) => y.key === x.key));
  expect(rest.map((x) => x.key).sort()).toEqual(ranked.slice(8).sort());
  const others = gb.drawn[8];
  expect(others.others).toBe(6);
  expect(decCmp(others.total, decSum(rest.map((x) => x.total)))).toBe(0);
  others.values.forEach((v, i) => expect(v).toBeCloseTo(rest.reduce((a, x) => a + x.values[i], 0), 6));
  // Its anomalies are its series' (in the table), not rings on the sum.
  expect(others.anomalies).toEqual([]);
  if (spikeAt >= 0) expect(rest.some((x) => x.anomalies.length)).toBe(true);
  expect(hours.drawn.map((x) => x.label)).toEqual(['VM A', 'VM B']);

  const id = Object.entries(vd.charts).find(([, x]) => x.unit === 'GB')[0];
  const panel = d.locator(`[data-panel="${id}"]`);
  const toggles = panel.locator('button.series-toggle');
  await expect(toggles).toHaveCount(9);
  await expect(toggles.nth(8)).toContainText('Others (6)');
  if (spikeAt >= 0) await expect(toggles.nth(8).locator('xpath=..')).toContainText('3 anomalies');
  expect(await page.evaluate((id) => document.querySelector('partner-usage-dashboard').charts.get(id).u.series.length - 1, id)).toBe(9);
  // The "Others" line is seen against the chart: at least 3:1 (WCAG 1.4.11).
  const ratio = await page.evaluate((id) => {
    const chart = document.querySelector('partner-usage-dashboard').charts.get(id);
    const lum = (css) => {
      const [r, g, b] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map((x) => Number(x) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const probe = document.createElement('canvas').getContext('2d');
    const rgb = (c) => { probe.fillStyle = '#000'; probe.fillStyle = c; probe.fillRect(0, 0, 1, 1); return `rgb(${[...probe.getImageData(0, 0, 1, 1).data].slice(0, 3).join(',')})`; };
    const line = lum(rgb(chart.u.series[9].stroke()));
    const bg = lum(getComputedStyle(chart.u.root.closest('.panel')).backgroundColor);
    return (Math.max(line, bg) + 0.05) / (Math.min(line, bg) + 0.05);
  }, id);
  expect(ratio).toBeGreaterThanOrEqual(3);
  // The forecast follows the chart's lines.
  const forecast = panel.locator('[data-forecast] li');
  if (days.length >= 2) await expect(forecast).toHaveCount(9);

  // Beside the table the legend's toggles would do nothing: none there. The
  // table has every series.
  await panel.getByRole('button', { name: 'Table' }).click();
  await expect(toggles).toHaveCount(0);
  if (days.length >= 2) await expect(forecast).toHaveCount(9);
  await expect(panel.locator('table thead th')).toHaveCount(15);
  await panel.getByRole('button', { name: 'Chart' }).click();
  await expect(toggles).toHaveCount(9);
  await expect(toggles.first()).toHaveAttribute('aria-pressed', 'true');
});

test('days Partner Center has not reported yet: blank in the chart and the table, said once, and out of the forecast', async ({ page, request }) => {
  const { c, s } = await legacySub(request);
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  // Usage reported two days after it happens: the window's last days are empty.
  await sim(request, { reportDelayHours: 48 });
  const d = dash(page);
  await d.locator(`tr[data-subscription-id="${s.id}"] th .link`).click();
  await waitForView(page, 'utilization');
  const vd = await viewData(page);
  const x = vd.summary.bucketStarts;
  const series = vd.summary.series;
  // Usage reported late reaches before the window: the chart starts earlier,
  // the window card still counts the days it names.
  const { from, to } = vd.state;
  expect(x[0]).toBeLessThan(Date.parse(`${from}T00:00:00Z`));
  const windowDays = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  await expect(d.locator('.card', { has: page.locator('.k', { hasText: /^Window$/ }) }).locator('.v')).toHaveText(`${windowDays} days`);
  let through = -1;
  for (const sr of series) for (let i = 0; i < x.length; i++) if (sr.values[i]) through = Math.max(through, i);
  // Two or three empty days at the end (the last may be today, cut short).
  expect(x.length - 1 - through).toBeGreaterThanOrEqual(2);
  expect(x.length - 1 - through).toBeLessThanOrEqual(3);
  const since = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(x[through + 1]);
  const note = d.locator('[data-note="pending"]');
  await expect(note).toHaveCount(1);
  await expect(note).toContainText(`No usage has been reported since ${since}.`);
  // The chart: a gap after the last reported day, not a fall to zero.
  const drawn = await page.evaluate(() => document.querySelector('partner-usage-dashboard').charts.get('unit-0').o.series.map((sr) => Array.from(sr.values)));
  for (const values of drawn) {
    expect(values.slice(through + 1).every((v) => v === null)).toBe(true);
    expect(values.slice(0, through + 1).every((v) => typeof v === 'number')).toBe(true);
  }
  // The month-end forecast counts the days reported (when it shows: a
  // window reaching back to the 1st of this month, reported into it).
  const forecast = d.locator('[data-forecast] .note').first();
  if (await forecast.count()) {
    const day = new Date(x[through]).getUTCDate();
    const monthDays = new Date(Date.UTC(new Date(x[through]).getUTCFullYear(), new Date(x[through]).getUTCMonth() + 1, 0)).getUTCDate();
    await expect(forecast).toContainText(`(day ${day} of ${monthDays})`);
  }
  // The table: a dash in every cell of the days not reported, numbers before.
  const panel = d.locator('section[data-panel="unit-0"]');
  await panel.getByRole('button', { name: 'Table' }).click();
  const rows = await tableRows(panel.locator('table[data-table="unit"]'));
  expect(rows.length).toBe(Math.min(x.length, 120));
  for (const row of rows.slice(through + 1)) expect(row.slice(1).map((c) => c.text)).toEqual(row.slice(1).map(() => '—'));
  expect(rows[through].slice(1).some((c) => c.value !== null)).toBe(true);

  // The CSV export leaves them out too: its last day is the last reported.
  const [download] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  const at = csv[0].split(',').indexOf('bucketStart');
  const days = [...new Set(csv.slice(1).map((l) => Date.parse(l.split(',')[at])))].sort((a, b) => a - b);
  expect(days.at(-1)).toBe(x[through]);
  expect(csv.length - 1).toBe(series.length * (through + 1));

  // Without the delay, two more days are reported: the note moves on.
  await sim(request);
  await d.locator('[data-action="refresh"]').click();
  await expect(d.locator('[data-note="pending"]', { hasText: since })).toHaveCount(0);
  await waitForView(page, 'utilization');
  const after = (await viewData(page)).summary;
  let through2 = -1;
  for (const sr of after.series) for (let i = 0; i < after.bucketStarts.length; i++) if (sr.values[i]) through2 = Math.max(through2, i);
  // Two more days; one in the first hours of a UTC day, when even without
  // the delay yesterday isn't reported yet (the note then names it).
  const moved = (after.bucketStarts[through2] - x[through]) / 86_400_000;
  expect(moved === 2 || (moved === 1 && through2 < after.bucketStarts.length - 1), `moved ${moved}`).toBe(true);
  if (through2 < after.bucketStarts.length - 1) {
    await expect(note).toContainText(`since ${new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(after.bucketStarts[through2 + 1])}.`);
  } else {
    await expect(note).toHaveCount(0);
  }
});

test('a kept utilization window is reused within its customer\'s views and let go when another customer or the list opens', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy' && s.utilizationRecords > 0).map((s) => ({ c, s })))[0];
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/utilizations/azure')) asked.push(r.url()); });
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const first = asked.length;
  expect(first).toBeGreaterThan(0);
  const d = dash(page);
  // Up to the customer's subscriptions and back: the window is still kept.
  await d.evaluate((el) => { el.view = 'subscriptions'; el.subscriptionId = null; });
  await waitForView(page, 'subscriptions');
  const back = (el, [cid, sid]) => { el.view = 'utilization'; el.customerId = cid; el.subscriptionId = sid; };
  await d.evaluate(back, [c.id, s.id]);
  await waitForView(page, 'utilization');
  expect(asked.length).toBe(first);
  // The customers list, and back: the window was let go, and is fetched again.
  await d.evaluate((el) => { el.view = 'customers'; el.customerId = null; el.subscriptionId = null; });
  await waitForView(page, 'customers');
  await d.evaluate(back, [c.id, s.id]);
  await waitForView(page, 'utilization');
  expect(asked.length).toBe(first * 2);
});

test('grouping by tag with no key over a window too large to keep fetches only the pages up to the limit', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy' && s.utilizationRecords > 1500).map((s) => ({ c, s })))[0];
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/utilizations/azure')) asked.push(r.url()); });
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const { records } = (await viewData(page)).summary;
  // Pages of 100 and a limit of 300, and at once (before the window is
  // fetched again) grouped by tag, with no key.
  await d.evaluate((el) => { el.clientOptions = { pageSize: 100 }; });
  await waitForView(page, 'utilization');
  const before = asked.length;
  await d.evaluate((el) => {
    el.keepRecords = 300;
    const select = el.shadowRoot.querySelector('select[data-control="group-by"]');
    select.value = 'tag';
    select.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => {
    const vd = document.querySelector('partner-usage-dashboard').viewData;
    return vd.state.uGroupBy === 'tag' && !vd.loading;
  });
  await page.waitForTimeout(300);
  // The pages up to the limit (4 of 100 pass 300), not the window's.
  expect(Math.ceil(records / 100)).toBeGreaterThan(4);
  expect(asked.length - before).toBe(4);
  await expect(d.locator('input[data-control="tag-key"]')).toBeVisible();
});

test('a window over keep-records: summarised as it streams, the same numbers, a note saying why each change loads again, typed filters', async ({ page, request }) => {
  const t = await truth(request);
  const legacy = t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy' && s.utilizationRecords > 1500 && s.hourlyData).map((s) => ({ c, s })))[0];
  await openDemo(page, { hash: `view=utilization&customer=${legacy.c.id}&subscription=${legacy.s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  // Pages of 100, so the limit below is passed in the middle of the listing.
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = { pageSize: 100 }; });
  await waitForView(page, 'utilization');
  const kept = await viewData(page);
  expect(kept.summary.records).toBeGreaterThan(500);
  await expect(d.locator('[data-note="streamed"]')).toHaveCount(0);
  await expect(d.locator('select[data-control="category"]')).toHaveCount(1);
  const totals = (vd) => Object.fromEntries(vd.summary.series.map((x) => [`${x.key} ${x.unit}`, x.total]));

  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/utilizations/azure')) asked.push(r.url()); });
  // Fewer records kept than the window has: the window is loaded again and summarised as it streams.
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').keepRecords = 500; });
  const note = d.locator('[data-note="streamed"]');
  await expect(note).toHaveText(/more than 500 records.*loads them again/);
  await waitForView(page, 'utilization');
  const streamed = await viewData(page);
  expect(streamed.summary.records).toBe(kept.summary.records);
  // In one pass: the pages stop being kept past the limit, and the summary
  // streams on (the window isn't fetched again from its first page).
  expect(asked.length).toBe(Math.ceil(kept.summary.records / 100));
  expect(totals(streamed)).toEqual(totals(kept));
  // No facets to choose from: the filters take typed names.
  await expect(d.locator('input[data-control="category"]')).toHaveAttribute('placeholder', 'Exact name');
  await expect(d.locator('select[data-control="category"]')).toHaveCount(0);

  // A group-by change loads the window again (nothing was kept), with the same records.
  const before = asked.length;
  expect(before).toBeGreaterThan(0);
  await d.locator('select[data-control="group-by"]').selectOption('category');
  await page.waitForFunction(() => {
    const vd = document.querySelector('partner-usage-dashboard').viewData;
    return vd.summary?.groupBy === 'category' && !vd.loading;
  });
  expect(asked.length).toBeGreaterThan(before);
  expect((await viewData(page)).summary.records).toBe(kept.summary.records);
  await expect(note).toBeVisible();

  // Hourly has at least as many records as daily: streamed at once, with no
  // first try to keep it (one listing's pages, no aborted one before them).
  const beforeHourly = asked.length;
  await d.locator('button[data-granularity="hourly"]').click();
  await page.waitForFunction(() => {
    const vd = document.querySelector('partner-usage-dashboard').viewData;
    return vd.state.granularity === 'hourly' && vd.summary && !vd.loading;
  });
  const hourly = (await viewData(page)).summary.records;
  expect(hourly).toBeGreaterThanOrEqual(kept.summary.records);
  expect(asked.length - beforeHourly).toBe(Math.ceil(hourly / 100));
  expect(asked.slice(beforeHourly).every((u) => !u.includes('granularity=') || u.includes('granularity=hourly'))).toBe(true);
  await d.locator('button[data-granularity="daily"]').click();
  await page.waitForFunction(() => {
    const vd = document.querySelector('partner-usage-dashboard').viewData;
    return vd.state.granularity === 'daily' && vd.summary && !vd.loading;
  });

  // Back to the default: kept again, the note gone, the facets back.
  const more = asked.length;
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').removeAttribute('keep-records'); });
  await expect(d.locator('select[data-control="category"]')).toHaveCount(1);
  await expect(note).toHaveCount(0);
  expect(asked.length).toBeGreaterThan(more);
  const again = asked.length;
  await d.locator('select[data-control="group-by"]').selectOption('meter');
  await page.waitForFunction(() => document.querySelector('partner-usage-dashboard').viewData.summary?.groupBy === 'meter');
  expect(asked.length).toBe(again);

  // 0 keeps nothing: one listing, summarised as it streams (no first try to keep it), and no note.
  const pages = Math.ceil(kept.summary.records / 100);
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').keepRecords = 0; });
  await expect(d.locator('input[data-control="category"]')).toHaveCount(1);
  await waitForView(page, 'utilization');
  expect(asked.length - again).toBe(pages);
  expect(totals(await viewData(page))).toEqual(totals(kept));
  await expect(note).toHaveCount(0);
});

test('utilization dates: a typed or stepped date applies on Enter or on leaving the field, whole and in range; the calendar\'s at once', async ({ page, request }) => {
  const { c, s } = await legacySub(request);
  const from = daysAgo(20);
  const to = daysAgo(2);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}&from=${from}&to=${to}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const state = () => page.evaluate(() => document.querySelector('partner-usage-dashboard').state.from);
  const input = d.locator('input[data-control="from"]');
  // Three years back at most, and no later than "to".
  const min = new Date(`${(await viewData(page)).window.maxDay}T00:00:00Z`);
  min.setUTCFullYear(min.getUTCFullYear() - 3);
  await expect(input).toHaveAttribute('min', min.toISOString().slice(0, 10));
  await expect(input).toHaveAttribute('max', to);

  // ArrowDown on the day: a change event, but nothing applies yet.
  await input.focus();
  await page.keyboard.press('ArrowRight'); // month → day (en-US: mm/dd/yyyy)
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const stepped = await input.inputValue();
  expect(stepped).not.toBe(from);
  expect(await state()).toBe(from);
  // Enter applies it, and focus stays in the field.
  await page.keyboard.press('Enter');
  expect(await state()).toBe(stepped);
  await waitForView(page, 'utilization');
  await expect.poll(() => page.evaluate(() => document.querySelector('partner-usage-dashboard').shadowRoot.activeElement?.dataset.control)).toBe('from');

  // A year typed digit by digit: "2" is the year 0002, never sent; leaving
  // the field puts back the date in force, and says so.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type('2');
  expect(await d.locator('input[data-control="from"]').inputValue()).toMatch(/^0002-/);
  await page.keyboard.press('Enter');
  expect(await state()).toBe(stepped);
  const fromInput = d.locator('input[data-control="from"]');
  await expect(fromInput).toHaveAttribute('aria-invalid', 'true');
  // Said beside the field, and read with it: the range it takes.
  const toDay = await d.locator('input[data-control="to"]').inputValue();
  await expect(fromInput).toHaveAccessibleDescription(new RegExp(`^Choose a date from .* to ${longDate(toDay)}\\.$`));
  await expect(d.locator('.field-error').first()).toBeVisible();
  // Tab out (Chrome may stop on the field's calendar button first).
  const control = () => page.evaluate(() => document.querySelector('partner-usage-dashboard').shadowRoot.activeElement?.dataset.control);
  for (let i = 0; i < 3 && (await control()) === 'from'; i++) await page.keyboard.press('Tab');
  expect(await control()).toBe('to');
  expect(await state()).toBe(stepped);
  await expect(d.locator('input[data-control="from"]')).toHaveValue(stepped);
  await expect(d.locator('input[data-control="from"]')).not.toHaveAttribute('aria-invalid');
  // Not quietly: the date kept and the range are still shown beside the
  // field, in a live region (read out as focus moves on), and describe it.
  const kept = new RegExp(`^The previous date, ${longDate(stepped)}, was kept\\. Choose a date from .* to ${longDate(toDay)}\\.$`);
  await expect(d.locator('.field-error').first()).toBeVisible();
  await expect(d.locator('.field-error').first()).toHaveAttribute('aria-live', 'polite');
  await expect(d.locator('.field-error').first()).toHaveText(kept);
  await expect(fromInput).toHaveAccessibleDescription(kept);

  // Set as the calendar sets it (no key pressed): applies at once.
  const picked = daysAgo(10);
  await d.locator('input[data-control="from"]').fill(picked);
  expect(await state()).toBe(picked);
  await waitForView(page, 'utilization');
  expect(new URL(page.url()).hash).toContain(`from=${picked}`);
});

// ---------------------------------------------------------------- landmarks

test('landmarks: every region has a name of its own, and a table\'s scroll area is a tab stop only when it scrolls', async ({ page, request }) => {
  const { c, plan } = await planCustomer(request);
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  await d.locator('[data-panel="top"]').getByRole('button', { name: 'Table' }).click();
  const unique = async () => (await new AxeBuilder({ page }).include('partner-usage-dashboard').withRules(['landmark-unique']).analyze())
    .violations.map((v) => v.nodes.map((n) => n.target.join(' ')).join(' | '));
  expect(await unique()).toEqual([]);
  const currencies = d.locator('.scroll:has(table[data-table="currencies"])');
  await expect(currencies).toHaveAttribute('aria-label', 'Totals per billing currency (table)');
  await expect(d.locator('.scroll:has(table[data-table="top"])')).toHaveAttribute('aria-label', 'Cost per customer (USD) (table)');
  // 1280 px wide: the currencies table fits, so its wrapper is no tab stop.
  await expect(currencies).not.toHaveAttribute('tabindex');
  // 360 px: it scrolls sideways, and keyboard users can scroll it.
  await page.setViewportSize({ width: 360, height: 800 });
  await expect(currencies).toHaveAttribute('tabindex', '0');
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(currencies).not.toHaveAttribute('tabindex');

  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${plan[0].id}&group=resource-group&then=resource-type` });
  await waitForView(page, 'resources');
  await d.locator('[data-panel="groups"]').getByRole('button', { name: 'Table' }).click();
  expect(await unique()).toEqual([]);
});
