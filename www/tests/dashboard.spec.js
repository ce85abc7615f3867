// <partner-usage-dashboard> on the demo page, against pc-sim (seed 7).
//
// Numbers are checked against the simulator's ground truth (/sim/truth) or
// against the raw Partner Center listings, summed exactly here with BigInt
// decimals, never against pixels. Every test also fails on a CSP violation,
// an uncaught page error or a dialog (see helpers.js).
import { readFile } from 'node:fs/promises';
import {
  test, expect, sim, truth, listing, decSum, decCmp, usd, money, budgetStatus, currencyLabel,
  openDemo, waitForView, dash, viewData, tableRows, TOKEN, longDate, decPercent1, viewHashes,
  legacyWith,
} from './helpers.js';

test.beforeEach(async ({ request }) => {
  await sim(request);
});

/** Waits until the loaded view data has these values, e.g. `{ 'summary.groupBy': 'resource' }`. */
async function until(page, checks) {
  await page.waitForFunction((c) => {
    const vd = document.querySelector('partner-usage-dashboard')?.viewData;
    if (!vd || vd.loading || !vd.summary) return false;
    return Object.entries(c).every(([path, v]) => path.split('.').reduce((o, k) => (o == null ? o : o[k]), vd) === v);
  }, checks, { timeout: 20_000 });
}

function byUsdDesc(a, b) {
  return decCmp(b.usdTotalCost, a.usdTotalCost) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const KIND = { azurePlan: 'resources', legacy: 'utilization', license: 'none' };

/**
 * The last bucket (index) of a utilization view Partner Center has
 * reported: the last with usage when the view says the days after it are
 * not reported yet (its "pending" note), else the last.
 */
async function reportedThrough(d, { series, x, bucketStarts }) {
  const n = (x || bucketStarts).length;
  if (!(await d.locator('[data-note="pending"]').count())) return n - 1;
  return Math.max(...series.map((s) => Array.from(s.values).findLastIndex((v) => v)));
}

test('customers view: totals, budgets, currencies and the top-N chart match the simulator', async ({ page, request }) => {
  const t = await truth(request);
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const cs = t.customers;

  // Total spend in USD: the exact sum of every customer's usdTotalCost.
  await expect(d.locator('.card').nth(0).locator('.v')).toHaveText(usd(decSum(cs.map((c) => c.usdTotalCost))));

  // Budget status, computed exactly from cost and budget.
  const counts = { over: 0, near: 0, under: 0, 'no-budget': 0 };
  for (const c of cs) counts[budgetStatus(c)]++;
  expect(counts.over).toBeGreaterThan(0);
  await expect(d.locator('.card').nth(1).locator('.v')).toHaveText(`${counts.over} over budget`);
  const keys = (await d.locator('.card').nth(1).locator('.keys li').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
  expect(keys).toEqual([`Over ${counts.over}`, `Near ${counts.near}`, `Within ${counts.under}`, `None ${counts['no-budget']}`]);

  // Azure plan vs legacy split.
  const plan = cs.filter((c) => c.isUpgraded);
  const legacy = cs.filter((c) => !c.isUpgraded);
  const split = d.locator('.card').nth(2);
  await expect(split).toContainText(`Azure plan (${plan.length})`);
  await expect(split).toContainText(`Legacy (${legacy.length})`);

  // The top-10 chart: the ten largest USD spenders, then the others summed.
  const vd = await viewData(page);
  const chart = vd.charts.top;
  const sorted = cs.slice().sort(byUsdDesc);
  const top = sorted.slice(0, 10);
  const rest = sorted.slice(10);
  expect(chart.labels).toEqual([...top.map((c) => c.name), `Others (${rest.length})`]);
  chart.exact.forEach((x, i) => {
    const expected = i < 10 ? top[i].usdTotalCost : decSum(rest.map((c) => c.usdTotalCost));
    expect(decCmp(x, expected), `bar ${i}`).toBe(0);
    expect(chart.values[i]).toBeCloseTo(Number(expected), 6);
  });

  // Enter on "Others" (many customers, no one to open) takes focus to the
  // filter of the customers' table, where each of them is.
  await d.locator('[data-chart="top"]').focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(d.locator('input[data-control="customer-filter"]')).toBeFocused();
  expect((await viewData(page)).view).toBe('customers');

  // Its table view shows the same numbers.
  const panel = d.locator('[data-panel="top"]');
  await panel.getByRole('button', { name: 'Table' }).click();
  const rows = await tableRows(panel.locator('table'));
  expect(rows.map((r) => r[0].text)).toEqual(chart.labels);
  rows.forEach((r, i) => {
    expect(r[1].value).toBe(chart.exact[i]);
    expect(r[1].text).toBe(usd(chart.values[i]));
  });

  // Totals per billing currency: summed per currency, never across.
  const groups = new Map();
  for (const c of cs) {
    const k = currencyLabel(c);
    const g = groups.get(k) || { n: 0, cost: [], usd: [] };
    g.n++;
    g.cost.push(c.totalCost);
    g.usd.push(c.usdTotalCost);
    groups.set(k, g);
  }
  const cur = await tableRows(d.locator('table[data-table="currencies"]'));
  expect(cur.length).toBe(groups.size);
  for (const [label, g] of groups) {
    const shown = label.startsWith('legacy:') ? `legacy (${label.slice(7)})` : label;
    const row = cur.find((r) => r[0].text === shown);
    expect(row, shown).toBeTruthy();
    expect(row[1].text).toBe(String(g.n));
    expect(decCmp(row[2].value, decSum(g.cost)), `${shown} native`).toBe(0);
    expect(decCmp(row[3].value, decSum(g.usd)), `${shown} USD`).toBe(0);
  }

  // The customers table: over budget first (highlighted), then by USD.
  const statuses = await d.locator('table[data-table="customers"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
  expect(statuses.slice(0, counts.over).every((s) => s === 'over')).toBe(true);
  expect(statuses.slice(counts.over).includes('over')).toBe(false);
  await expect(d.locator('table[data-table="customers"] tbody tr.is-over')).toHaveCount(counts.over);

  // Without a budget, "Used" has nothing to be a share of: a dash, not Partner Center's 0 %.
  const noBudget = d.locator('table[data-table="customers"] tbody tr[data-status="no-budget"]');
  expect(await noBudget.count()).toBeGreaterThan(0);
  for (const row of await noBudget.all()) {
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(-3, -1).map((s) => s.trim())).toEqual(['—', '—']);
  }
  // With one, every share has one fraction digit, so the column lines up (293.0%, 663.4%).
  const used = await d.locator('table[data-table="customers"] tbody tr:not([data-status="no-budget"])')
    .evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[tr.querySelectorAll('td').length - 2].firstChild.textContent.trim()));
  expect(used.length).toBeGreaterThan(0);
  for (const u of used) expect(u).toMatch(/^\d{1,3}(,\d{3})*\.\d%$/);
  // Each is cost ÷ budget rounded once (Partner Center's two decimals
  // rounded again made 303.047 % "303.1%").
  const budgeted = await d.locator('table[data-table="customers"] tbody tr:not([data-status="no-budget"])')
    .evaluateAll((trs) => trs.map((tr) => [tr.dataset.customerId, tr.querySelectorAll('td')[tr.querySelectorAll('td').length - 2].firstChild.textContent.trim()]));
  for (const [id, text] of budgeted) {
    const c = t.customers.find((x) => x.id === id);
    if (Number(c.totalCost) < 0 || Number(c.budget) <= 0) continue;
    expect(text.replace(/[,%]/g, ''), c.name).toBe(decPercent1(c.totalCost, c.budget));
  }
  // Beyond its budget, the share says by how much, exactly (cost − budget), in the billing currency.
  const overs = await d.locator('table[data-table="customers"] tbody [data-over]')
    .evaluateAll((els) => els.map((el) => [el.closest('tr').dataset.customerId, el.dataset.over, el.querySelector('.sr-only').textContent, el.querySelector('[aria-hidden]').textContent]));
  // (Unless by less than the currency shows: "£0.00 over" would contradict "Over budget".)
  const neg = (b) => (String(b).startsWith('-') ? String(b).slice(1) : `-${b}`);
  const half = (c) => (c.currencyCode === 'JPY' || c.currencyCode === 'KRW' ? '0.5' : '0.005');
  const beyond = t.customers.filter((c) => c.budget != null && decCmp(decSum([c.totalCost, neg(c.budget)]), half(c)) >= 0);
  expect(beyond.length).toBeGreaterThan(0);
  expect(overs.map(([id]) => id).sort()).toEqual(beyond.map((c) => c.id).sort());
  // On screen the amount alone ("+£6,969.54", the column kept narrow in any language); the words for a screen reader.
  for (const [id, exact, text, shown] of overs) {
    expect(text.endsWith(' over') && shown === `+${text.slice(0, -' over'.length)}`, `${shown} / ${text}`).toBe(true);
    const c = beyond.find((x) => x.id === id);
    expect(decCmp(exact, decSum([c.totalCost, neg(c.budget)])), c.name).toBe(0);
    if (c.currencyCode === 'USD') expect(text, c.name).toBe(`${usd(Number(exact))} over`);
    else expect(text, c.name).toMatch(/^\D*[\d,.]+\D* over$/);
  }
  // Exactly: a hair over is over (a Number comparison would call it equal),
  // at or under is not, and a budget of 0 or below counts from it.
  const got = await page.evaluate(async () => {
    const { overBudget } = await import('/dist/npm/dashboard-views.js');
    const row = (cost, budget) => overBudget({ cost, budget, costNumber: Number(cost), budgetNumber: budget == null ? null : Number(budget) });
    return [row('100.00000000000000001', '100'), row('100', '100'), row('99.5', '100'), row('12.5', '0'), row('3', '-2'), row('3', null)];
  });
  expect(got).toEqual([
    { exact: '0.00000000000000001', number: 1e-17 }, null, null,
    { exact: '12.5', number: 12.5 }, { exact: '5', number: 5 }, null,
  ]);

  // The customer's budget card says the share as the table does (212.0%, not 212%).
  const [id, text] = budgeted.find(([, x]) => x.endsWith('.0%')) ?? budgeted[0];
  await d.locator(`tr[data-customer-id="${id}"] .link`).click();
  await waitForView(page, 'subscriptions');
  await expect(d.locator('.card').filter({ has: page.locator('.k', { hasText: /^Budget$/ }) }).locator('.s')).toContainText(`${text} used`);
});

test('at 320 px the subscriptions table shows each offer under its subscription, the offer column hidden', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.length >= 2);
  await page.setViewportSize({ width: 320, height: 800 });
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const table = dash(page).locator('table[data-table="subscriptions"]');
  await expect(table.locator('thead th').nth(1)).toBeHidden();
  for (const s of c.subscriptions) {
    const offer = table.locator(`tr:has(.sub:text-is("${s.id}")) th .show-narrow`);
    await expect(offer).toBeVisible();
    await expect(offer).toHaveText(s.offerName);
  }
  await page.setViewportSize({ width: 1200, height: 800 });
  await expect(table.locator('.show-narrow').first()).toBeHidden();
  await expect(table.locator('thead th').nth(1)).toBeVisible();
});

test('a subscription named like another of the customer\'s is told apart by its id in the title and the breadcrumb', async ({ page, request }) => {
  const t = await truth(request);
  const named = (c) => c.subscriptions.filter((s) => s.kind === 'azurePlan');
  const c = t.customers.find((x) => named(x).some((s) => named(x).filter((o) => o.friendlyName === s.friendlyName).length > 1));
  const s = named(c).find((x) => named(c).filter((o) => o.friendlyName === x.friendlyName).length > 1);
  const unique = c.subscriptions.find((x) => c.subscriptions.filter((o) => (o.friendlyName || o.offerName) === (x.friendlyName || x.offerName)).length === 1);
  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'resources');
  const d = dash(page);
  const label = `${s.friendlyName} (${s.id.slice(0, 8)})`;
  await expect(d.locator('h2.title')).toHaveText(label);
  await expect(d.locator('nav [aria-current="page"]')).toHaveText(label);
  if (unique && unique.kind !== 'license') {
    // A name of its own is left as it is.
    await openDemo(page, { hash: `view=${unique.kind === 'azurePlan' ? 'resources' : 'utilization'}&customer=${c.id}&subscription=${unique.id}` });
    await expect(d.locator('h2.title')).toHaveText(unique.friendlyName || unique.offerName);
  }
});

test('the subscription cost chart says legacy subscriptions report quantities only for a customer that has some', async ({ page, request }) => {
  const t = await truth(request);
  const plan = (x) => x.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords);
  const [only, both] = t.customers.filter((x) => plan(x) && !x.subscriptions.some((s) => s.kind === 'legacy'));
  // The simulator's customers have one kind or the other: this one is given
  // a legacy subscription too.
  await page.route(`**/v1/customers/${both.id}/subscriptions*`, async (route) => {
    const body = await (await route.fetch()).json();
    body.items.push({ ...body.items[0], id: '0a0a0a0a-1111-2222-3333-444455556666', friendlyName: 'Old Azure', offerId: 'MS-AZR-0145P', offerName: 'Microsoft Azure' });
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  const d = dash(page);
  const hint = d.locator('[data-panel="subscriptions"] .hint').first();
  await openDemo(page, { hash: `view=subscriptions&customer=${only.id}` });
  await waitForView(page, 'subscriptions');
  await expect(hint).toHaveText('This billing period, each bar split by resource type.');
  await openDemo(page, { hash: `view=subscriptions&customer=${both.id}` });
  await waitForView(page, 'subscriptions');
  await expect(d.locator('tr[data-kind="utilization"]')).toHaveCount(1);
  await expect(hint).toHaveText('This billing period, each bar split by resource type. Legacy subscriptions report quantities, not cost.');
});

test('an Azure plan customer with no usage yet this billing period is said so, not charted as zero bars', async ({ page, request }) => {
  const t = await truth(request);
  // pc-sim's new tenant: an Azure plan subscription without resource usage records.
  const c = t.customers.find((x) => x.currencyCode && x.totalCost === '0'
    && x.subscriptions.some((s) => s.kind === 'azurePlan') && x.subscriptions.every((s) => !s.resourceRecords));
  expect(c).toBeTruthy();
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  await expect(d.locator('.empty .headline')).toHaveText('No usage this billing period');
  await expect(d.locator('.empty')).toContainText("no resource usage records for this customer's Azure plan yet");
  await expect(d.locator('[data-panel="subscriptions"]')).toHaveCount(0);
  expect((await viewData(page)).charts.subscriptions).toBeUndefined();
  // Its subscription is listed, at zero, and its resources say the same.
  const plan = c.subscriptions.find((s) => s.kind === 'azurePlan');
  const row = d.locator(`tr[data-subscription-id="${plan.id}"]`);
  await expect(row).toContainText('$0.00');
  // The action's words are every row's: its description names the row's subscription.
  const name = await row.locator('th .name bdi, th .name > .link').first().textContent();
  await expect(row.getByRole('link', { name: 'Cost by resource' })).toHaveAccessibleDescription(name.trim());
  await row.getByRole('link', { name: 'Cost by resource' }).click();
  await waitForView(page, 'resources');
  await expect(d.locator('.empty .headline')).toHaveText('No usage this billing period');
});

test('the subscription-cost table lists every resource type each bar is split by, with exact sums', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.filter((x) => x.currencyCode && x.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 0).length >= 2)
    .sort(byUsdDesc)[0];
  expect(c).toBeTruthy();
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const panel = dash(page).locator('[data-panel="subscriptions"]');
  await panel.getByRole('button', { name: 'Table' }).click();
  const plans = c.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 0);
  const all = [];
  // The chart's currency: the billing one when every subscription has it, else USD.
  const field = (await viewData(page)).charts.subscriptions.currency === 'USD' ? 'usdTotalCost' : 'totalCost';
  for (const s of plans) {
    const group = panel.locator(`table[data-table="subscription-costs"] tbody[data-subscription-id="${s.id}"]`);
    // The subscription heads its row group; a row per type follows.
    await expect(group.locator('tr').first().locator('th')).toHaveAttribute('scope', 'rowgroup');
    const records = await listing(request, `/v1/customers/${c.id}/subscriptions/${s.id}/resourceusagerecords`, { exact: true });
    const byType = new Map();
    for (const r of records) byType.set(r.resourceType, [...(byType.get(r.resourceType) || []), r[field]]);
    const rows = await tableRows(group, 'tr.child');
    // Each row header names its subscription too, for a screen reader only.
    const said = await group.locator('tr.child th .sr-only').allTextContents();
    expect(said.length).toBe(rows.length);
    for (const t of said) expect(t).toMatch(/^, in .+/);
    const visible = await group.locator('tr.child th').evaluateAll((ths) => ths.map((th) => th.firstChild.textContent));
    expect(visible.sort()).toEqual([...byType.keys()].sort());
    for (const r of rows) {
      const type = r[0].text.replace(/, in .*$/s, '');
      expect(decCmp(r[1].value, decSum(byType.get(type))), `${s.id} ${type}`).toBe(0);
      expect(r[2].text).toBe(String(byType.get(type).length));
    }
    const head = (await tableRows(group, 'tr:first-child'))[0];
    expect(decCmp(head[1].value, decSum(records.map((r) => r[field])))).toBe(0);
    all.push(...records);
  }
  // A total row, exact, as the other tables have; and no colour key beside
  // it (the rows name the types).
  const [total] = await tableRows(panel.locator('table[data-table="subscription-costs"] tfoot'), 'tr');
  expect(total[0].text).toBe('Total');
  expect(decCmp(total[1].value, decSum(all.map((r) => r[field])))).toBe(0);
  expect(total[2].text).toBe(all.length.toLocaleString('en-US'));
  await expect(panel.locator('.legend')).toHaveCount(0);
  await panel.getByRole('button', { name: 'Chart' }).click();
  await expect(panel.locator('.legend')).toHaveCount(1);
});

test('drill-down: customer → subscriptions → resources, with back/forward and a shareable hash', async ({ page, request, context }) => {
  const t = await truth(request);
  const c = t.customers.filter((x) => x.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords > 0)
    && x.subscriptions.some((s) => s.kind === 'license')).sort(byUsdDesc)[0];
  expect(c).toBeTruthy();
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  await d.getByLabel('Filter customers').fill(c.name);
  await d.locator(`tr[data-customer-id="${c.id}"] .link`).click();
  await waitForView(page, 'subscriptions');
  expect(new URL(page.url()).hash).toContain(`view=subscriptions&customer=${c.id}`);
  await expect(d.locator('h2.title')).toHaveText(c.name);

  // Every subscription, each linked to what it supports.
  await expect(d.locator('table[data-table="subscriptions"] tbody tr')).toHaveCount(c.subscriptions.length);
  for (const s of c.subscriptions) {
    await expect(d.locator(`tr[data-subscription-id="${s.id}"]`)).toHaveAttribute('data-kind', KIND[s.kind]);
  }
  // Each Azure plan subscription's cost, exactly; together they are the customer's.
  const plan = c.subscriptions.filter((s) => s.kind === 'azurePlan');
  for (const s of plan) {
    const cost = await d.locator(`tr[data-subscription-id="${s.id}"] td.num`).getAttribute('data-value');
    expect(decCmp(cost, s.totalCost), s.friendlyName).toBe(0);
  }
  expect(decCmp(decSum(plan.map((s) => s.totalCost)), c.totalCost)).toBe(0);
  const costs = (await viewData(page)).charts.subscriptions;
  expect(costs.ids.slice().sort()).toEqual(plan.map((s) => s.id).sort());

  const sub = c.subscriptions.filter((s) => s.kind === 'azurePlan').sort((a, b) => b.resourceRecords - a.resourceRecords)[0];
  await d.locator(`tr[data-subscription-id="${sub.id}"] th .link`).click();
  await waitForView(page, 'resources');
  expect(new URL(page.url()).hash).toContain(`subscription=${sub.id}`);
  // The subscription's total, exactly, in its billing currency.
  // Cost first, record count last (what a narrow screen shows is the cost).
  const foot = d.locator('table[data-table="breakdown"] tfoot td');
  expect(decCmp(await foot.nth(0).getAttribute('data-value'), sub.totalCost)).toBe(0);
  await expect(foot.last()).toHaveText(String(sub.resourceRecords));
  await expect(d.locator('.crumbs')).toContainText(c.name);

  // The browser's back and forward buttons follow the drill-down.
  await page.goBack();
  await waitForView(page, 'subscriptions');
  await expect(d.locator('h2.title')).toHaveText(c.name);
  await page.goBack();
  await waitForView(page, 'customers');
  await page.goForward();
  await waitForView(page, 'subscriptions');

  // The URL is shareable: a fresh page opens the same resources view.
  const shared = `/?seed=7#view=resources&customer=${c.id}&subscription=${sub.id}&group=resource-group&then=resource-type`;
  const p2 = await context.newPage();
  await p2.goto(shared);
  await waitForView(p2, 'resources');
  const foot2 = dash(p2).locator('table[data-table="breakdown"] tfoot td');
  expect(decCmp(await foot2.nth(0).getAttribute('data-value'), sub.totalCost)).toBe(0);
  await p2.close();
});

test('resources view: the default second level follows the grouping, a chosen one stays', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords >= 20));
  const sub = c.subscriptions.find((s) => s.kind === 'azurePlan' && s.resourceRecords >= 20);
  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${sub.id}` });
  await waitForView(page, 'resources');
  const d = dash(page);
  const then = d.getByLabel('Then by');
  await expect(then).toHaveValue('resource-type');
  // A resource has one type: no second level by default.
  await d.locator('[data-group-by="resource"]').click();
  await until(page, { 'summary.groupBy': 'resource' });
  await expect(then).toHaveValue('');
  expect(new URL(page.url()).hash).toContain('then=none');
  // A link with a grouping and no second level gets that grouping's default.
  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${sub.id}&group=resource` });
  await waitForView(page, 'resources');
  await expect(then).toHaveValue('');
  // One the reader chose stays through a change of grouping.
  await then.selectOption('resource-group');
  await until(page, { 'summary.thenBy': 'resource-group' });
  await d.locator('[data-group-by="entitlement"]').click();
  await until(page, { 'summary.groupBy': 'entitlement' });
  await expect(then).toHaveValue('resource-group');
  // "Nothing" chosen stays too, through a grouping whose default it is and back.
  await d.locator('[data-group-by="resource-group"]').click();
  await until(page, { 'summary.groupBy': 'resource-group' });
  await then.selectOption('');
  await until(page, { 'summary.thenBy': null });
  await d.locator('[data-group-by="resource"]').click();
  await until(page, { 'summary.groupBy': 'resource' });
  await d.locator('[data-group-by="resource-group"]').click();
  await until(page, { 'summary.groupBy': 'resource-group' });
  await expect(then).toHaveValue('');
  // The second level chosen is the grouping chosen next: the new grouping's default then.
  await then.selectOption('resource-type');
  await until(page, { 'summary.thenBy': 'resource-type' });
  await d.locator('[data-group-by="resource-type"]').click();
  await until(page, { 'summary.groupBy': 'resource-type' });
  await expect(then).toHaveValue('resource');
});

test('resources view: group-by switch and the two-level breakdown match the records', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords >= 20));
  const sub = c.subscriptions.find((s) => s.kind === 'azurePlan' && s.resourceRecords >= 20);
  const records = await listing(request, `/v1/customers/${c.id}/subscriptions/${sub.id}/resourceusagerecords`);
  expect(records.length).toBe(sub.resourceRecords);
  // Exact amounts: read them from the raw JSON text, not through f64.
  const raw = await (await request.get(`/v1/customers/${c.id}/subscriptions/${sub.id}/resourceusagerecords`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  })).text();
  const costs = [...raw.matchAll(/"totalCost":\s*(-?[\d.eE+-]+)/g)].map((m) => m[1]);
  expect(costs.length).toBe(records.length);

  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${sub.id}` });
  await waitForView(page, 'resources');
  const d = dash(page);
  await d.locator('[data-group-by="resource-type"]').click();
  await until(page, { 'summary.groupBy': 'resource-type' });
  expect(new URL(page.url()).hash).toContain('group=resource-type');

  const expected = new Map();
  records.forEach((r, i) => {
    const k = String(r.resourceType || '').toLowerCase();
    expected.set(k, [...(expected.get(k) || []), costs[i]]);
  });
  const panel = d.locator('[data-panel="groups"]');
  await panel.getByRole('button', { name: 'Table' }).click();
  const rows = await tableRows(panel.locator('table'));
  const vd = await viewData(page);
  expect(rows.length).toBe(expected.size);
  expect(rows.map((r) => r[0].text)).toEqual(vd.charts.groups.labels);
  for (const r of rows) {
    const sum = decSum(expected.get(r[0].text.toLowerCase()) || []);
    expect(decCmp(r[1].value, sum), r[0].text).toBe(0);
  }
  // Sorted by cost, largest first (as the chart).
  const values = vd.charts.groups.values;
  expect(values.slice().sort((a, b) => b - a)).toEqual(values);

  // Second level: resource type → resource; each group's children add up to it.
  await d.locator('select').filter({ hasText: 'Nothing' }).selectOption('resource');
  await until(page, { 'summary.thenBy': 'resource' });
  await d.getByRole('button', { name: 'Expand all' }).click();
  const bodies = d.locator('table[data-table="breakdown"] tbody');
  const n = await bodies.count();
  expect(n).toBe(expected.size);
  for (let i = 0; i < n; i++) {
    const cells = await tableRows(bodies.nth(i), 'tr:not([hidden])');
    const group = cells[0];
    const kids = cells.slice(1);
    expect(kids.length).toBeGreaterThan(0);
    expect(decCmp(decSum(kids.map((k) => k[1].value)), group[1].value), group[0].text).toBe(0);
    // The Share column lines up: one fraction digit everywhere (21.0%, 0.6%).
    for (const row of cells) expect(row[row.length - 2].text).toMatch(/^\d{1,3}\.\d%$/);
    expect(Number(group[group.length - 1].text)).toBe(kids.reduce((n, k) => n + Number(k[k.length - 1].text), 0));
  }
});

test('utilization: a tag filter keeps the records with that tag (any value, or name=value), names ignoring case', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s: sub } = legacyWith(t, 1500);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${sub.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const w = (await viewData(page)).window;
  const items = await listing(request, `/v1/customers/${c.id}/subscriptions/${sub.id}/utilizations/azure?start_time=${w.startTime}&end_time=${w.endTime}&granularity=daily&show_details=true`);
  const tagsOf = (it) => Object.entries(it.instanceData?.tags || {});
  const tagged = items.find((it) => tagsOf(it).length);
  expect(tagged, 'a record with tags').toBeTruthy();
  const [key, value] = tagsOf(tagged)[0];
  const withKey = items.filter((it) => tagsOf(it).some(([k]) => k.toLowerCase() === key.toLowerCase()));
  const withValue = withKey.filter((it) => tagsOf(it).some(([k, v]) => k.toLowerCase() === key.toLowerCase() && v === value));
  expect(withKey.length).toBeLessThan(items.length);

  const field = d.locator('input[data-control="tag-filter"]');
  await field.fill(key.toUpperCase());
  await field.press('Enter');
  await expect.poll(async () => (await viewData(page)).summary?.records).toBe(withKey.length);
  expect(new URL(page.url()).hash).toContain(`tagged=${encodeURIComponent(key.toUpperCase())}`);
  await field.fill(`${key}=${value}`);
  await field.press('Enter');
  await expect.poll(async () => (await viewData(page)).summary?.records).toBe(withValue.length);
  await expect(d.locator('.filters summary')).toHaveText('Filters (1 active)');
  // Cleared with the others.
  await d.locator('[data-action="clear-filters"]').click();
  await expect.poll(async () => (await viewData(page)).summary?.records).toBe(items.length);
  await expect(field).toHaveValue('');
  // Spaces around the name and the value don't count; a name is needed.
  await field.fill(` ${key} = ${value} `);
  await field.press('Enter');
  await expect.poll(async () => (await viewData(page)).summary?.records).toBe(withValue.length);
  await field.fill('=prod');
  await field.press('Enter');
  await expect.poll(async () => (await viewData(page)).summary?.records).toBe(items.length);
  await expect(d.locator('.filters summary')).toHaveText('Filters');
});

test('utilization view: series per meter and unit, date range change, table matches chart', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s: sub } = legacyWith(t, 1500);
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  await d.locator(`tr[data-subscription-id="${sub.id}"] th .link`).click();
  await waitForView(page, 'utilization');

  async function checkAgainstRecords() {
    const vd = await viewData(page);
    const w = vd.window;
    const path = `/v1/customers/${c.id}/subscriptions/${sub.id}/utilizations/azure?start_time=${w.startTime}&end_time=${w.endTime}&granularity=daily&show_details=true`;
    const items = await listing(request, path);
    expect(vd.summary.records).toBe(items.length);
    await expect(d.locator('.card').nth(0).locator('.v')).toHaveText(items.length.toLocaleString('en-US'));
    // Exact quantities per (meter, unit), from the raw page texts.
    const sums = new Map();
    let url = path;
    let headers = {};
    for (;;) {
      const r = await request.get(url, { headers: { Authorization: `Bearer ${TOKEN}`, ...headers } });
      if (r.status() === 204) break;
      const text = (await r.text()).replace(/"quantity":\s*(-?[\d.eE+-]+)/g, '"quantity":"$1"');
      const body = JSON.parse(text);
      for (const it of body.items) {
        const k = `${it.resource.name}\u0000${it.unit}`;
        sums.set(k, [...(sums.get(k) || []), it.quantity]);
      }
      const next = body.links?.next;
      if (!next) break;
      url = '/v1/' + next.uri.replace(/^\//, '').replace(/^v1\//, '');
      headers = Object.fromEntries(next.headers.map((h) => [h.key, h.value]));
    }
    const shown = Object.entries(vd.charts).filter(([k]) => k.startsWith('unit-')).flatMap(([, m]) => m.series.map((s) => ({ ...s, unit: m.unit })));
    expect(shown.length).toBe(sums.size);
    for (const s of shown) {
      // Never mixing units: each series has one unit, and sums only it.
      const exp = sums.get(`${s.key}\u0000${s.unit}`);
      expect(exp, `${s.key} (${s.unit})`).toBeTruthy();
      expect(decCmp(s.total, decSum(exp)), `${s.key} (${s.unit})`).toBe(0);
    }
    return vd;
  }

  const vd = await checkAgainstRecords();
  const unitCharts = Object.keys(vd.charts).filter((k) => k.startsWith('unit-'));
  expect(unitCharts.length).toBeGreaterThan(0);
  const units = unitCharts.map((k) => vd.charts[k].unit);
  expect(new Set(units).size).toBe(units.length);
  // Each legend says that its figures are the window's totals, and they are;
  // the forecast line says which of its two figures is which.
  const fmt3 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
  for (const k of unitCharts) {
    const legend = d.locator(`[data-panel="${k}"] ul.legend`).first();
    await expect(legend.locator('li').first()).toHaveText('Totals over the window:');
    expect(await legend.locator('li b').allTextContents()).toEqual(vd.charts[k].drawn.map((s) => fmt3.format(Number(s.total))));
    const forecast = d.locator(`[data-panel="${k}"] [data-forecast] .note`);
    if (await forecast.count()) {
      await expect(forecast).toContainText('So far this month → month-end forecast at its daily rate (day ');
      // Its figures keep three significant digits at least: "1.73", not "2".
      for (const text of await d.locator(`[data-panel="${k}"] [data-forecast] li b`).allTextContents()) {
        for (const figure of text.split(' → ')) {
          const [whole, fraction = ''] = figure.replace(/,/g, '').split('.');
          expect(fraction.length, figure).toBe(Number(whole) < 10 ? 2 : 1);
        }
      }
    }
  }

  // The table view of the first unit shows the chart's numbers.
  const model = vd.charts['unit-0'];
  const panel = d.locator('[data-panel="unit-0"]');
  await panel.getByRole('button', { name: 'Table' }).click();
  const rows = await tableRows(panel.locator('table'));
  expect(rows.length).toBe(Math.min(120, model.x.length));
  // The days after the last one with usage are blank when the view says
  // Partner Center hasn't reported them yet (yesterday, in the first hours
  // of a UTC day).
  const through = await reportedThrough(d, model);
  // Each column has the decimals its values need (up to 3), on every row,
  // so that they line up.
  const decimals = (v) => (new Intl.NumberFormat('en-US', { maximumFractionDigits: 3, useGrouping: false }).format(v).split('.')[1] || '').length;
  const fmts = model.series.map((s) => {
    const digits = Math.max(decimals(Number(s.total)), ...s.values.slice(0, through + 1).map(decimals));
    return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  });
  rows.forEach((r, i) => {
    model.series.forEach((s, j) => {
      const fmt = fmts[j];
      const cell = r[j + 1];
      if (i > through) {
        expect(cell.text).toBe('—');
        return;
      }
      expect(cell.text.replace(/anomaly$/, '')).toBe(fmt.format(s.values[i]));
      expect(Number(cell.value)).toBeCloseTo(s.values[i], 6);
      expect(cell.text.endsWith('anomaly')).toBe(s.anomalies.includes(i));
    });
  });

  // A shorter date range: 7 days ending on the same day.
  const to = vd.state.to;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  await d.locator('input[data-control="from"]').fill(from);
  await until(page, { 'state.from': from, 'window.startTime': `${from}T00:00:00Z` });
  expect(new URL(page.url()).hash).toContain(`from=${from}`);
  const vd2 = await checkAgainstRecords();
  expect(vd2.charts['unit-0'].x.length).toBe(7);
  await expect(d.locator('.card').nth(3).locator('.v')).toHaveText('7 days');

  // Group by category: series keys are the records' categories.
  await d.locator('select[data-control="group-by"]').selectOption('category');
  await until(page, { 'summary.groupBy': 'category' });
  const vd3 = await viewData(page);
  const cats = new Set(vd3.summary.series.map((s) => s.key));
  expect(cats.size).toBeGreaterThan(0);
  expect(new URL(page.url()).hash).toContain('by=category');
});

test('CSV export downloads the current view with exact amounts', async ({ page, request }) => {
  const t = await truth(request);
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const [download] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  expect(download.suggestedFilename()).toMatch(/^partner-usage_customers_\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile(await download.path());
  // UTF-8 with a byte order mark, so Excel reads names in any script.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.startsWith('customerId,')).toBe(true);
  const lines = text.split('\r\n').filter(Boolean);
  expect(lines[0].startsWith('customerId,name,currency,legacyCurrency,isUpgraded,cost,usd,budget')).toBe(true);
  expect(lines.length - 1).toBe(t.customers.length);
  for (const c of t.customers) {
    const line = lines.find((l) => l.startsWith(`${c.id},`));
    expect(line, c.name).toBeTruthy();
    // Every digit Partner Center sent, not an f64 rounding.
    expect(line).toContain(`,${c.totalCost},${c.usdTotalCost},`);
    expect(line).toContain(`,${budgetStatus(c)},`);
  }
  // In the table's order: sorted by name, the file is too.
  await d.locator('th[data-sort="name"] button').click();
  const shownIds = await d.locator('tr[data-customer-id]').evaluateAll((rs) => rs.map((r) => r.dataset.customerId));
  const [byName] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  const ids = (await readFile(await byName.path())).subarray(3).toString('utf8').split('\r\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]);
  expect(ids.slice(0, shownIds.length)).toEqual(shownIds);
  expect(ids.length).toBe(t.customers.length);
  // Filtered, the customers it matches, every one (and the name says so).
  const word = t.customers[0].name.split(' ')[0];
  const matching = t.customers.filter((x) => x.name.toLowerCase().includes(word.toLowerCase()) || x.id.includes(word.toLowerCase()));
  expect(matching.length).toBeLessThan(t.customers.length);
  await d.getByLabel('Filter customers').fill(word.toUpperCase());
  await expect(d.locator('tr[data-customer-id]')).toHaveCount(Math.min(matching.length, 25));
  const [filtered] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  expect(filtered.suggestedFilename()).toMatch(new RegExp(`^partner-usage_customers_q-${word.toUpperCase()}_\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const kept = (await readFile(await filtered.path())).subarray(3).toString('utf8').split('\r\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]);
  expect(kept.sort()).toEqual(matching.map((x) => x.id).sort());

  // The resources view exports its groups.
  const c = t.customers.find((x) => x.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords > 0));
  const sub = c.subscriptions.find((s) => s.kind === 'azurePlan' && s.resourceRecords > 0);
  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${sub.id}&group=resource-group&then=none` });
  await waitForView(page, 'resources');
  const [dl2] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  expect(dl2.suggestedFilename()).toContain('_resources_');
  const csv = (await readFile(await dl2.path(), 'utf8')).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  const header = csv[0].split(',');
  // Whose rows they are first, on every row, for files put together later.
  expect(header.slice(0, 5)).toEqual(['customerId', 'subscriptionId', 'level', 'groupKey', 'group']);
  expect(csv.slice(1).every((l) => l.startsWith(`${c.id},${sub.id},`))).toBe(true);
  const amount = header.indexOf('amount');
  const level = csv.slice(1).map((l) => l.split(',')).filter((f) => f[2] === '1');
  expect(decCmp(decSum(level.map((f) => f[amount])), sub.totalCost)).toBe(0);

  // The subscriptions list: the customer's id first too.
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const [dl3] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  const subsCsv = (await readFile(await dl3.path(), 'utf8')).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  expect(subsCsv[0].startsWith('customerId,id,friendlyName,')).toBe(true);
  expect(subsCsv.slice(1).every((l) => l.startsWith(`${c.id},`))).toBe(true);
  expect(new Set(subsCsv.slice(1).map((l) => l.split(',')[1]))).toEqual(new Set(c.subscriptions.map((x) => x.id)));
});

test('progress shows pages and records, and cancel stops the load', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s: sub } = legacyWith(t, 1500);
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  await sim(request, { latencyMs: 250 });
  // Small pages, so the listing takes many requests.
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = { pageSize: 25 }; });
  const d = dash(page);
  await d.locator(`tr[data-subscription-id="${sub.id}"] th .link`).click();
  const progress = d.locator('[part="progress"]');
  await expect(progress).toBeVisible();
  await expect(progress).toContainText('Loading utilization');
  await expect(progress.locator('[role="progressbar"]')).toHaveAttribute('aria-label', 'Loading utilization');
  await expect(progress).toContainText(/[1-9]\d* pages? · [1-9][\d,]* records/);
  // A load that takes a while is announced.
  await expect(d.locator('[aria-live="polite"][aria-atomic="true"]')).toHaveText('Loading utilization');
  await d.locator('[data-action="cancel"]').click();
  const banner = d.locator('.banner');
  await expect(banner).toContainText('Loading canceled');
  await expect(banner).toHaveAttribute('data-kind', 'aborted');
  await expect(progress).toHaveCount(0);

  await sim(request, { latencyMs: 0 });
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = {}; });
  await waitForView(page, 'utilization');
  await expect(d.locator('.banner')).toHaveCount(0);

  // cancel() in the same task as refresh(), before the load has begun:
  // that load is cancelled too, and nothing is asked for.
  const requests = [];
  page.on('request', (r) => { if (r.url().includes('/v1/')) requests.push(r.url()); });
  const events = await page.evaluate(async () => {
    const el = document.querySelector('partner-usage-dashboard');
    const seen = [];
    const note = (e) => seen.push(e.type);
    el.addEventListener('pu-load', note);
    el.refresh();
    el.cancel();
    await new Promise((r) => setTimeout(r, 1500));
    el.removeEventListener('pu-load', note);
    return seen;
  });
  expect(events).toEqual([]);
  expect(requests).toEqual([]);
  await expect(banner).toContainText('Loading canceled');
});

test('errors: a readable banner with the Partner Center code, and retry recovers', async ({ page, request }) => {
  const t = await truth(request);
  await openDemo(page);
  await waitForView(page, 'customers');
  // Seed 13 with every request faulted answers the first two requests with 500s.
  await sim(request, { seed: 13, faultRate: 1 });
  await page.evaluate(() => {
    document.querySelector('partner-usage-dashboard').clientOptions = { maxRetries: 1, retry: { baseDelayMs: 20, maxDelayMs: 50 } };
  });
  const d = dash(page);
  const banner = d.locator('[part="error"]');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('role', 'alert');
  await expect(banner.locator('.headline')).toHaveText('Partner Center had a problem');
  await expect(banner.locator('.meta')).toContainText('HTTP 500');
  await expect(banner.locator('.meta')).toContainText('Partner Center code 500');
  await expect(banner.locator('.meta')).toContainText('Request ID');
  const text = await banner.textContent();
  expect(text).not.toMatch(/\bat\s+\S+\s*\(|\.js:\d+|wasm-function|Error:\s*Error/);
  // The last customers stay, marked out of date, under the banner.
  await expect(d.locator('[part="content"]')).toHaveClass(/\bstale\b/);

  await sim(request, { seed: 7, faultRate: 0 });
  await banner.getByRole('button', { name: 'Retry' }).click();
  await waitForView(page, 'customers');
  await expect(d.locator('[part="error"]')).toHaveCount(0);
  await expect(d.locator('[part="content"]')).not.toHaveClass(/\bstale\b/);
  await expect(d.locator('.card').nth(0).locator('.v')).toHaveText(usd(decSum(t.customers.map((c) => c.usdTotalCost))));
});

test('a customer named <img src=x onerror=alert(1)> is text everywhere', async ({ page, request, guard }) => {
  const t = await truth(request);
  const x = t.customers.find((c) => c.name === '<img src=x onerror=alert(1)>');
  expect(x).toBeTruthy();
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  await d.getByLabel('Filter customers').fill('onerror');
  const link = d.locator(`tr[data-customer-id="${x.id}"] .link`);
  await expect(link).toHaveText(x.name);
  const imgs = () => page.evaluate(() => ({
    shadow: document.querySelector('partner-usage-dashboard').shadowRoot.querySelectorAll('img').length,
    light: document.querySelectorAll('img[src="x"]').length,
  }));
  expect(await imgs()).toEqual({ shadow: 0, light: 0 });
  await link.click();
  await waitForView(page, 'subscriptions');
  await expect(d.locator('h2.title')).toHaveText(x.name);
  await expect(d.locator('.crumbs [aria-current="page"]')).toHaveText(x.name);
  expect(await imgs()).toEqual({ shadow: 0, light: 0 });
  expect(guard.dialogs).toEqual([]);
});

test('no-server mode: the in-browser simulator gives the same numbers, with no request to /v1', async ({ page }) => {
  const apiCalls = [];
  const wasm = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith('/v1/')) apiCalls.push(r.url());
    if (p.endsWith('.wasm')) wasm.push(p.split('/').pop());
  });
  await openDemo(page, { query: 'mode=wasm' });
  await waitForView(page, 'customers');
  const expected = await page.evaluate(async () => {
    const { default: init, PartnerCenterClient } = await import('/dist/npm/index.js');
    await init();
    const s = await new PartnerCenterClient({ simulator: { seed: 7 }, token: 'demo-token' }).customerUsageSummary({ topN: 10 });
    return { usd: s.usdNumber, over: s.budget.over, top: s.top.map((r) => r.label) };
  });
  const d = dash(page);
  await expect(d.locator('.card').nth(0).locator('.v')).toHaveText(usd(expected.usd));
  await expect(d.locator('.card').nth(1).locator('.v')).toHaveText(`${expected.over} over budget`);
  const vd = await viewData(page);
  expect(vd.charts.top.labels.slice(0, 10)).toEqual(expected.top.slice(0, 10));
  expect(apiCalls).toEqual([]);
  // Only the build with the simulator inside, never the package's as well.
  expect(wasm).toEqual(['partner_usage_sim_bg.wasm']);
});

test('server mode loads only the package\'s wasm module, without the simulator', async ({ page }) => {
  const wasm = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.endsWith('.wasm')) wasm.push(p.split('/').pop());
  });
  await openDemo(page);
  await waitForView(page, 'customers');
  expect(wasm).toEqual(['partner_usage_bg.wasm']);
});

test('keyboard: arrow keys read the chart, Enter drills down, focus is visible', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const box = d.locator('[data-chart="top"]');
  await box.focus();
  await expect(box).toHaveAttribute('aria-roledescription', 'chart');
  // Space is the chart's, not the page's scroll: it shows the first bar.
  const scrolled = await page.evaluate(() => scrollY);
  await page.keyboard.press('Space');
  expect(await page.evaluate(() => scrollY)).toBe(scrolled);
  const vd = await viewData(page);
  const first = vd.charts.top.labels[0];
  await expect(box.locator('.tip')).toContainText(first);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(box.locator('.tip')).toBeVisible();
  await expect(box.locator('.tip')).toContainText(first);
  await expect(d.locator('[aria-live="polite"]').last()).toContainText(first);
  const outline = await box.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await waitForView(page, 'subscriptions');
  await expect(d.locator('h2.title')).toHaveText(first);
  await expect(d.locator('h2.title')).toBeFocused();
});

test('a narrow bar chart leaves room after each bar for its value, so no label covers a bar\'s end', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { BarChart, themeColors } = await import('/dist/npm/dashboard-chart.js');
    const f = await import('/dist/npm/dashboard-format.js');
    const out = {};
    for (const width of [260, 360, 900]) {
      const box = document.createElement('div');
      box.style.width = `${width}px`;
      document.body.append(box);
      const values = [2098.57, 1145.26, 30.5];
      const chart = new BarChart(box, {
        labels: ['Azure plan - Production', 'Azure plan', 'Dev'], values, colors: ['#888', '#888', '#888'],
        locale: 'en-GB', ariaLabel: 'test', format: (v) => f.money(v, 'GBP', 'en-GB'), tick: (v) => f.money(v, 'GBP', 'en-GB', { compact: true }),
      }, themeColors(document.body));
      const u = chart.u;
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = `600 11px ${themeColors(document.body).font}`;
      // uPlot sets its scales when it first draws.
      await new Promise((r) => requestAnimationFrame(() => r()));
      const right = (u.bbox.left + u.bbox.width) / devicePixelRatio;
      out[width] = values.map((v) => u.valToPos(v, 'y') + u.bbox.left / devicePixelRatio + 6 + ctx.measureText(chart.o.tick(v)).width <= right + 0.5);
      chart.destroy();
      box.remove();
    }
    return out;
  });
  expect(got).toEqual({ 260: [true, true, true], 360: [true, true, true], 900: [true, true, true] });
});

test('a stacked bar\'s tooltip counts the segments it leaves out in the dashboard\'s locale', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const rows = await page.evaluate(async () => {
    const { BarChart, themeColors } = await import('/dist/npm/dashboard-chart.js');
    const box = document.createElement('div');
    box.style.width = '600px';
    document.body.append(box);
    const stacks = [Array.from({ length: 12 }, (_, i) => ({ value: i + 1, color: '#888', label: `part ${i}` }))];
    const chart = new BarChart(box, {
      labels: ['one'], values: [78], colors: ['#888'], stacks, locale: 'ar-EG', ariaLabel: 'test',
      format: (v) => String(v), tick: (v) => String(v),
    }, themeColors(document.body));
    return chart.describe(0).rows.map((r) => r.label);
  });
  // Eight segments, then "4 more" with the locale's digits (Arabic-Indic here).
  expect(rows.slice(0, 8)).toEqual(Array.from({ length: 8 }, (_, i) => `part ${i}`));
  expect(rows[8]).toContain('\u0664');
  expect(rows[8]).not.toContain('4');
});

test('a bar chart\'s label, cut short, shows its bar\'s tooltip with the whole name on hover, and a click on it drills down', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const labels = ['Humongous Insurance Logistics GmbH and Partners', 'Contoso', 'Fourth Coffee Services International Holdings'];
  await page.evaluate(async (labels) => {
    const { BarChart, themeColors } = await import('/dist/npm/dashboard-chart.js');
    // uPlot's own styles, which lay the plot out beside the labels.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync((await import('/dist/npm/vendor/uplot/uPlot.css.js')).default);
    document.adoptedStyleSheets = [sheet];
    const box = document.createElement('div');
    box.style.width = '320px';
    document.body.append(box);
    window.activated = [];
    window.chart = new BarChart(box, {
      labels, values: [30, 20, 10], colors: ['#888', '#888', '#888'], locale: 'en-US', ariaLabel: 'test',
      format: (v) => `${v} USD`, tick: (v) => String(v), onActivate: (i) => window.activated.push(i),
    }, themeColors(document.body));
  }, labels);
  // Where each bar's label is: left of the plot, on the bar's line.
  const at = await page.evaluate(() => {
    const u = window.chart.u;
    const r = u.over.getBoundingClientRect();
    return [0, 1, 2].map((i) => ({ x: r.left - 20, y: r.top + u.valToPos(i, 'x') }));
  });
  const tip = page.locator('.tip');
  await expect(tip).toBeHidden();
  for (const i of [2, 0]) {
    await page.mouse.move(at[i].x, at[i].y);
    await expect(tip).toBeVisible();
    await expect(tip).toContainText(labels[i]);
    await expect(tip).toContainText(`${[30, 20, 10][i]} USD`);
  }
  // The label itself is cut short at this width.
  expect(await page.evaluate(() => window.chart.u.axes[0].values(window.chart.u, [0])[0])).not.toContain('GmbH');
  await page.mouse.click(at[0].x, at[0].y);
  expect(await page.evaluate(() => window.activated)).toEqual([0]);
  // Off the labels (above the plot), the tooltip goes.
  await page.mouse.move(at[0].x, 1);
  await expect(tip).toBeHidden();
});

test('axis ticks keep as many digits as tell them apart, in any locale', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { tickLabels } = await import('/dist/npm/dashboard-chart.js');
    const f = await import('/dist/npm/dashboard-format.js');
    const num = (locale) => (v, more) => f.num(v, locale, { compact: true, more });
    return {
      small: tickLabels([0.028, 0.03, 0.032, 0.034, 0.036], num('en-US')),
      de: tickLabels([0.028, 0.03, 0.032], num('de-DE')),
      plain: tickLabels([0, 500, 1000, 1500], num('en-US')),
      usd: tickLabels([1_000_000, 1_002_000, 1_004_000], (v, more) => f.usd(v, 'en-US', { compact: true, more })),
    };
  });
  expect(got.small).toEqual(['0.028', '0.03', '0.032', '0.034', '0.036']);
  expect(got.de).toEqual(['0,028', '0,03', '0,032']);
  // Ticks that differ already get no extra digits.
  expect(got.plain).toEqual(['0', '500', '1K', '1.5K']);
  expect(new Set(got.usd).size).toBe(3);
});

test('a resource type keeps its colour from the customer\'s subscriptions chart to a subscription\'s resources chart', async ({ page, request }) => {
  const t = await truth(request);
  const legend = (d) => d.locator('ul.legend li').evaluateAll((lis) => lis
    .map((li) => [li.textContent.trim(), li.querySelector('.swatch:not(.others)')?.style.background])
    .filter(([, c]) => c));
  let compared = 0;
  let reordered = 0;
  const customers = t.customers.filter((c) => c.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 0).length >= 2);
  for (const c of customers.slice(0, 4)) {
    await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
    await waitForView(page, 'subscriptions');
    const d = dash(page);
    const overall = await legend(d);
    expect(overall.length).toBeGreaterThan(0);
    const colourOf = new Map(overall);
    for (const sub of c.subscriptions.filter((s) => s.kind === 'azurePlan' && s.resourceRecords > 0)) {
      await d.evaluate((el, id) => { el.subscriptionId = id; el.view = 'resources'; }, sub.id);
      await waitForView(page, 'resources');
      const here = await legend(d);
      here.forEach(([label, colour], i) => {
        if (!colourOf.has(label)) return;
        expect(colour, `${c.name} / ${sub.id}: ${label}`).toBe(colourOf.get(label));
        compared += 1;
        // Ranked by this subscription alone, it would have had the colour of place i.
        if (overall[i]?.[0] !== label) reordered += 1;
      });
      await d.evaluate((el) => { el.subscriptionId = null; el.view = 'subscriptions'; });
      await waitForView(page, 'subscriptions');
    }
  }
  expect(compared).toBeGreaterThan(0);
  // Some types rank differently in one subscription than in the customer's
  // chart: without the kept colours they would have changed colour.
  expect(reordered).toBeGreaterThan(0);
});

test('bar labels cut short stay apart: names alike up to their end are cut in the middle', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { fitLabels } = await import('/dist/npm/dashboard-chart.js');
    const font = '11px sans-serif';
    const subs = ['Azure plan - Production (b35713bd)', 'Azure plan - Production (158c6e32)', 'Dev'];
    return { subs: fitLabels(subs, 120, font), wide: fitLabels(subs, 1000, font), alone: fitLabels(['Contoso Pharmaceuticals Worldwide'], 90, font) };
  });
  // Each still ends with its own id, both start alike, the short one is whole.
  expect(got.subs[0]).toMatch(/^Azure.*….*\)$/);
  expect(got.subs[0].endsWith('713bd)')).toBe(true);
  expect(got.subs[1].endsWith('c6e32)')).toBe(true);
  expect(got.subs[2]).toBe('Dev');
  expect(got.wide).toEqual(['Azure plan - Production (b35713bd)', 'Azure plan - Production (158c6e32)', 'Dev']);
  // A label unlike the others keeps its start, cut at the end.
  expect(got.alone[0]).toMatch(/^Contoso.*…$/);
});

test('"Data as of" times take the locale\'s own hour form', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const f = await import('/dist/npm/dashboard-format.js');
    const t = new Date(2026, 10, 27, 9, 5).getTime();
    return { us: f.clock(t, 'en-US', t), de: f.clock(t, 'de-DE', t), later: f.clock(t, 'en-US', t + 2 * 86_400_000) };
  });
  expect(got.us).toMatch(/^9:05\sAM$/);
  expect(got.de).toMatch(/^0?9:05$/);
  // Another day: with its date.
  expect(got.later).toMatch(/^Nov 27, 9:05\sAM$/);
});

test('short amounts never look exact where they are rounded: German thousands are written out whole, and small ones have the currency\'s digits', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const f = await import('/dist/npm/dashboard-format.js');
    const short = (v, locale) => f.usd(v, locale, { compact: true });
    const whole = (v, locale) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(v);
    return {
      de: short(370_124.5, 'de-DE'),
      deWhole: whole(370_124.5, 'de-DE'),
      deMillions: short(1_234_567, 'de-DE'),
      deSmall: short(853.4, 'de-DE'),
      en: short(370_124.5, 'en-US'),
      // Under a thousand: the currency's own digits, none for a whole amount.
      small: [0.683, 0.869, 17, 36.8, 500].map((v) => f.money(v, 'GBP', 'en-GB', { compact: true })),
      yen: f.money(99.6, 'JPY', 'en-US', { compact: true }),
      // A credit that rounds to nothing has no sign; ticks told apart get more digits.
      zero: f.money(-0.001, 'GBP', 'en-GB', { compact: true }),
      ticks: [0, 0.005, 0.01, 0.015].map((v) => f.money(v, 'GBP', 'en-GB', { compact: true, more: 1 })),
    };
  });
  // Not "370.000 $": three significant digits of 370,124 with nothing to say they are.
  expect(got.de).toBe(got.deWhole);
  expect(got.de).toMatch(/^370\.125\s\$$/);
  expect(got.deMillions).toMatch(/^1,23\sMio\.\s\$$/);
  expect(got.deSmall).toMatch(/^853,40\s\$$/);
  expect(got.en).toBe('$370K');
  expect(got.small).toEqual(['£0.68', '£0.87', '£17', '£36.80', '£500']);
  expect(got.yen).toBe('¥100');
  expect(got.zero).toBe('£0');
  expect(got.ticks).toEqual(['£0', '£0.005', '£0.010', '£0.015']);
});

test('the month-end forecast runs the cost to when Partner Center last updated it, not to now', async ({ page, request }) => {
  const items = await listing(request, '/v1/customers/usagerecords');
  // pc-sim updates each cost 10 minutes to 30 hours before now.
  const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);
  const r = items.find((x) => Number(x.totalCost) > 0 && Date.parse(x.lastModifiedDate) > monthStart + 3_600_000);
  test.skip(!r, 'no cost updated this month yet (the first hours of a month)');
  await openDemo(page, { hash: `view=subscriptions&customer=${r.id}` });
  await waitForView(page, 'subscriptions');
  const fc = (await viewData(page)).charts.forecast;
  const month = Date.UTC(new Date(monthStart).getUTCFullYear(), new Date(monthStart).getUTCMonth() + 1, 1) - monthStart;
  const expected = (Number(r.totalCost) * month) / (Date.parse(r.lastModifiedDate) - monthStart);
  expect(Math.abs(fc.value - expected) / expected).toBeLessThan(1e-9);
  // Up to now, it would be lower: the cost would be spread over time it doesn't cover.
  expect(fc.value).toBeGreaterThan((Number(r.totalCost) * month) / (Date.now() - monthStart));
  // The spend card says when the cost was updated: pc-sim's 10 minutes to
  // 30 hours ago, in minutes or hours.
  const ago = (Date.now() - Date.parse(r.lastModifiedDate)) / 60_000;
  const sub = await dash(page).locator('.card').first().locator('.s').textContent();
  // It names the billing period: the month of that update.
  const monthOf = (ms) => new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(ms);
  // (Its words never broken across lines: no-break spaces.)
  expect(sub.startsWith(`${monthOf(Date.parse(r.lastModifiedDate)).replace(/ /g, '\u00a0')} · `), sub).toBe(true);
  const [, n, unit] = / · updated (\d+) (minute|hour)s? ago$/.exec(sub) || [];
  expect(unit, sub).toBe(ago < 45 ? 'minute' : 'hour');
  expect(Math.abs(Number(n) - (unit === 'minute' ? ago : ago / 60))).toBeLessThanOrEqual(1);
  // An update time from the future says nothing: the forecast runs to now.
  // One from last month makes the cost last month's (the record in the first
  // hours of a month): the forecast is that month's, over its 30 of 31 days.
  // Less than a day of a month projects nothing (3 hours of a month's cost
  // made 248 times the budget).
  const got = await page.evaluate(async () => {
    const { monthEndForecast } = await import('/dist/npm/dashboard-views.js');
    const now = Date.UTC(2026, 10, 16);
    const at = [null, Date.UTC(2026, 10, 11), Date.UTC(2026, 9, 31), now + 60_000].map((asOf) => monthEndForecast(30, now, asOf));
    const early = Date.UTC(2026, 11, 1, 3);
    return {
      values: at.map((x) => x.value),
      months: at.map((x) => new Date(x.monthStart).toISOString().slice(0, 7)),
      early: monthEndForecast(30, early, Date.UTC(2026, 11, 1, 2)).value,
      rolled: monthEndForecast(30, early, Date.UTC(2026, 10, 30, 12)).value,
    };
  });
  expect(got).toEqual({ values: [60, 90, 31, 60], months: ['2026-11', '2026-11', '2026-10', '2026-11'], early: null, rolled: 30 * 30 / 29.5 });
});

test('in the first hours of a month the forecast card projects nothing, or last month\'s cost as last month\'s', async ({ page, request }) => {
  // pc-sim's clock three hours into December: costs updated in November
  // (up to 30 hours ago) are November's; those updated since, December's.
  const now = Date.UTC(2026, 11, 1, 3);
  await request.post('/sim/config', { data: { now: new Date(now).toISOString() } });
  try {
    const items = await listing(request, '/v1/customers/usagerecords');
    const dec = Date.UTC(2026, 11, 1);
    const nov = items.find((x) => x.currencyCode === 'EUR' && x.budget && Number(x.totalCost) > 0 && Date.parse(x.lastModifiedDate) < dec);
    const fresh = items.find((x) => x.currencyCode && Number(x.totalCost) > 0 && Date.parse(x.lastModifiedDate) >= dec);
    await page.clock.setFixedTime(now + 60_000);
    await openDemo(page, { hash: `view=subscriptions&customer=${nov.id}` });
    await waitForView(page, 'subscriptions');
    const card = dash(page).locator('[data-forecast="money"]');
    const fc = (await viewData(page)).charts.forecast;
    const asOf = Date.parse(nov.lastModifiedDate);
    const expected = (Number(nov.totalCost) * 30 * 86_400_000) / (asOf - Date.UTC(2026, 10, 1));
    expect(Math.abs(fc.value - expected) / expected).toBeLessThan(1e-9);
    await expect(card.locator('.s')).toHaveText(/^Nov 2026 · /);
    expect(fresh, 'a cost updated since December began').toBeTruthy();
    await openDemo(page, { hash: `view=subscriptions&customer=${fresh.id}` });
    await waitForView(page, 'subscriptions');
    expect((await viewData(page)).charts.forecast.value).toBeNull();
    await expect(card.locator('.v')).toHaveText('—');
    await expect(card.locator('.s')).toHaveText('Too early in the month to project: less than a day of spend');
  } finally {
    await request.post('/sim/config', { data: { now: null } });
  }
});

test('with amounts in USD, the forecast is in USD too and the budget says its currency', async ({ page, request }) => {
  const items = await listing(request, '/v1/customers/usagerecords');
  const r = items.find((x) => x.currencyCode === 'EUR' && x.budget && Number(x.totalCost) > 0);
  await openDemo(page, { hash: `view=subscriptions&customer=${r.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  const forecast = d.locator('[data-forecast="money"]');
  const budget = d.locator('.card', { has: page.locator('.k', { hasText: /^Budget$/ }) });
  const eur = (v) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(v);
  const usd = (v) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(v);
  const fc = (await viewData(page)).charts.forecast.value;
  // Billing currency: euros throughout.
  await expect(forecast.locator('.v')).toHaveText(eur(fc));
  await expect(budget.locator('.s')).not.toContainText('in EUR');
  await d.locator('[data-currency="usd"]').click();
  // USD: spend and forecast in dollars (the USD spend's run rate), the
  // euro forecast beside it, the budget in euros and saying so.
  const rate = Number(r.usdTotalCost) / Number(r.totalCost);
  await expect(d.locator('.card').first().locator('.v')).toHaveText(usd(Number(r.usdTotalCost)));
  const shown = Number((await forecast.locator('.v').textContent()).replace(/[$,]/g, ''));
  expect(Math.abs(shown - fc * rate)).toBeLessThanOrEqual(0.01);
  await expect(forecast.locator('.s')).toContainText(`${eur(fc)} in EUR · `);
  await expect(budget.locator('.v')).toHaveText(eur(Number(r.budget.amount)));
  await expect(budget.locator('.s')).toContainText(' · in EUR');
});

test('empty buckets at the end count as not reported yet only within three days of now', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { reportedThrough } = await import('/dist/npm/dashboard-views.js');
    const DAY = 86_400_000;
    const now = Date.UTC(2026, 10, 27, 9);
    const days = (last) => Array.from({ length: 10 }, (_, i) => last - (9 - i) * DAY);
    const x = days(Date.UTC(2026, 10, 27));
    const s = (values) => ({ values: Float64Array.from(values) });
    const used = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0];
    return {
      recent: reportedThrough(x, [s(used)], now),
      // The latest data in any series counts.
      twoSeries: reportedThrough(x, [s(used), s([0, 0, 0, 0, 0, 0, 0, 0, 2, 0])], now),
      // A week ago: those days had no usage, and show as 0.
      old: reportedThrough(days(Date.UTC(2026, 10, 20)), [s(used)], now),
      // The first empty day (Nov 24) began 72 hours before midnight: still
      // pending then, no longer a minute later.
      edge: reportedThrough(days(Date.UTC(2026, 10, 26)), [s([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])], Date.UTC(2026, 10, 27)),
      past: reportedThrough(days(Date.UTC(2026, 10, 26)), [s([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])], Date.UTC(2026, 10, 27) + 60_000),
      full: reportedThrough(x, [s([1, 1, 1, 1, 1, 1, 1, 1, 1, 1])], now),
      none: reportedThrough(x, [s(new Array(10).fill(0))], now),
    };
  });
  expect(got).toEqual({ recent: 7, twoSeries: 8, old: 9, edge: 6, past: 9, full: 9, none: 9 });
});

test('largest change: the series whose average moved most in proportion, last 7 days against the 7 before (24 hours by hours), trickles and empty starts left out, shown in a card', async ({ page, request }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { largestChange } = await import('/dist/npm/dashboard-views.js');
    const s = (key, unit, values) => ({ key, unit, values: Float64Array.from(values) });
    const rep = (v, n) => new Array(n).fill(v);
    const doubled = s('A', 'GB', [...rep(1, 7), ...rep(2, 7)]);
    // A trickle's 100× swing: under 5 % of its unit's use.
    const trickle = s('B', 'GB', [...rep(0.001, 7), ...rep(0.1, 7)]);
    const halved = s('C', 'Hours', [...rep(10, 7), ...rep(5, 7)]);
    // Nothing before: no proportion to speak of.
    const fresh = s('D', 'Hours', [...rep(0, 7), ...rep(50, 7)]);
    const pick = (c) => c && { key: c.sr.key, before: c.before, after: c.after, change: c.change, n: c.n };
    return {
      days: pick(largestChange([doubled, trickle, halved, fresh], 13, 'day')),
      // Only the buckets reported count: through index 11, the two last
      // buckets left out, the 14 before them compared (too few here).
      unreported: pick(largestChange([s('A', 'GB', [...rep(1, 14), 0, 0])], 13, 'day')),
      shifted: pick(largestChange([s('A', 'GB', [0, 0, ...rep(4, 7), ...rep(3, 7), 0, 0])], 15, 'day')),
      halvedWins: pick(largestChange([s('A', 'GB', [...rep(1, 7), ...rep(1.4, 7)]), halved], 13, 'day')),
      hours: pick(largestChange([s('A', 'GB', [...rep(2, 24), ...rep(3, 24)])], 47, 'hour')),
      tooFewHours: largestChange([s('A', 'GB', rep(1, 30))], 29, 'hour'),
      weeks: largestChange([doubled], 13, 'week'),
      nothing: largestChange([s('A', 'GB', rep(0, 14))], 13, 'day'),
    };
  });
  expect(got.days).toEqual({ key: 'A', before: 1, after: 2, change: 1, n: 7 });
  expect(got.unreported).toEqual({ key: 'A', before: 1, after: 1, change: 0, n: 7 });
  expect(got.shifted).toEqual({ key: 'A', before: 4, after: 3, change: -0.25, n: 7 });
  expect(got.halvedWins).toMatchObject({ key: 'C', change: -0.5 });
  expect(got.hours).toEqual({ key: 'A', before: 2, after: 3, change: 0.5, n: 24 });
  expect(got).toMatchObject({ tooFewHours: null, weeks: null, nothing: null });

  // In the utilization view: a card with the signed change and what it compares.
  const t = await truth(request);
  const { c, s: sub } = legacyWith(t, 1500);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${sub.id}` });
  await waitForView(page, 'utilization');
  const want = await page.evaluate(async () => {
    const { largestChange, reportedThrough } = await import('/dist/npm/dashboard-views.js');
    const s = document.querySelector('partner-usage-dashboard').viewData.summary;
    const ch = largestChange(s.series, reportedThrough(s.bucketStarts, s.series, Date.now()), 'day');
    return ch && { name: ch.sr.key, unit: ch.sr.unit, percent: new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(ch.change) };
  });
  expect(want).not.toBeNull();
  const card = dash(page).locator('[data-card="change"]');
  await expect(card.locator('.k')).toHaveText('Largest change');
  await expect(card.locator('.v')).toHaveText(want.percent);
  await expect(card.locator('.s')).toContainText(`${want.name} (${want.unit}): `);
  await expect(card.locator('.s')).toContainText(' a day on average, the last 7 days against the 7 before');
  // Weekly buckets: no such card.
  await dash(page).locator('select[data-control="bucket"]').selectOption('week');
  await expect.poll(() => page.evaluate(() => {
    const vd = document.querySelector('partner-usage-dashboard').viewData;
    return !vd.loading && vd.summary?.bucket;
  })).toBe('week');
  await expect(dash(page).locator('.cards')).toHaveCount(1);
  await expect(card).toHaveCount(0);
});

test('the quantity forecast runs on the days of this month that have ended, not on today so far', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { quantityForecast } = await import('/dist/npm/dashboard-views.js');
    // November 2026 (30 days), days 1 to 4; each full day used 10, today 1 so far.
    const x = [1, 2, 3, 4].map((d) => Date.UTC(2026, 10, d));
    const list = [{ key: 'a', name: 'A', values: Float64Array.from([10, 10, 10, 1]) }];
    const at = (ms) => {
      const fc = quantityForecast(x, list, 'day', ms);
      return fc && { days: fc[0].days, monthToDate: fc[0].monthToDate, monthEnd: fc[0].monthEnd };
    };
    return {
      // Nov 4, 09:00: the 4th has not ended, so 30 over 3 days, 10 a day.
      today: at(Date.UTC(2026, 10, 4, 9)),
      // Nov 5: the 4th has ended and counts, light as it was.
      ended: at(Date.UTC(2026, 10, 5)),
      // Nov 1, 09:00, with only today: nothing has ended this month yet.
      first: quantityForecast(x.slice(0, 1), list, 'day', Date.UTC(2026, 10, 1, 9)),
      // Hours have no forecast.
      hours: quantityForecast(x, list, 'hour', Date.UTC(2026, 10, 5)),
      // Last month's days only: none.
      lastMonth: quantityForecast(x, list, 'day', Date.UTC(2026, 11, 2)),
    };
  });
  expect(got.today).toEqual({ days: 3, monthToDate: 30, monthEnd: 300 });
  expect(got.ended).toEqual({ days: 4, monthToDate: 31, monthEnd: 232.5 });
  expect(got.first).toBeNull();
  expect(got.hours).toBeNull();
  expect(got.lastMonth).toBeNull();
});

test('a subscription\'s page says its spend forecast is the customer\'s, all subscriptions together', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacyWith(t, 0);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const title = dash(page).locator('[data-forecast="money"] .k');
  await expect(title).toHaveText('Customer’s month-end forecast');
  await dash(page).evaluate((el) => { el.subscriptionId = null; el.view = 'subscriptions'; });
  await waitForView(page, 'subscriptions');
  await expect(title).toHaveText('Month-end forecast');
});

test('subscription statuses are words of the page\'s language, Partner Center\'s own kept for any other', async ({ page, request }) => {
  const t = await truth(request);
  let found;
  for (const c of t.customers.filter((x) => x.subscriptions.some((s) => s.kind === 'legacy'))) {
    const subs = await listing(request, `/v1/customers/${c.id}/subscriptions`);
    if (subs.some((s) => s.status === 'suspended')) {
      found = c;
      break;
    }
  }
  expect(found, 'pc-sim suspends some legacy subscriptions').toBeTruthy();
  await openDemo(page, { hash: `view=subscriptions&customer=${found.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  await expect(d.locator('[data-status="suspended"]').first()).toHaveText('Suspended');
  await expect(d.locator('[data-status="active"]').first()).toHaveText('Active');
  await d.evaluate((el) => { el.lang = 'de'; });
  await expect(d.locator('[data-status="suspended"]').first()).toHaveText('Angehalten');
  const words = await page.evaluate(async () => {
    const { default: en } = await import('/dist/npm/dashboard-messages.js');
    return ['Expired', 'constructor', 'onHold'].map((status) => en.subscriptionStatus({ status }));
  });
  expect(words).toEqual(['Expired', 'constructor', 'onHold']);
});

test('the month-end forecast and the largest change read from left to right in Arabic-Indic digits too', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacyWith(t, 1500);
  await openDemo(page, { query: 'locale=ar-EG', hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const lines = await page.evaluate(() => {
    const root = document.querySelector('partner-usage-dashboard').shadowRoot;
    return [...root.querySelectorAll('[data-forecast] li b')].map((b) => {
      // Where the first and the last character of "to date → month end" are drawn.
      const nodes = [];
      const walk = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
      while (walk.nextNode()) if (walk.currentNode.data.trim()) nodes.push(walk.currentNode);
      const x = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect().x; };
      const last = nodes[nodes.length - 1];
      return { text: b.textContent, first: x(nodes[0], 0), last: x(last, last.data.length - 1) };
    });
  });
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) {
    expect(l.text).toMatch(/[\u0660-\u0669]/);
    expect(l.first, l.text).toBeLessThan(l.last);
  }
  // So does the largest change's "before → after".
  const change = await page.evaluate(() => {
    const root = document.querySelector('partner-usage-dashboard').shadowRoot;
    const numbers = [...root.querySelectorAll('[data-card="change"] .s bdi')].filter((b) => /^[\u0660-\u0669٫٬]+$/.test(b.textContent));
    return { text: root.querySelector('[data-card="change"] .s')?.textContent, at: numbers.map((b) => { const r = b.getBoundingClientRect(); return { x: r.x, y: r.y }; }) };
  });
  expect(change.at.length, change.text).toBe(2);
  // Before the other on its line, or on an earlier line.
  const [before, after] = change.at;
  expect(before.y < after.y || (before.y === after.y && before.x < after.x), `${change.text} ${JSON.stringify(change.at)}`).toBe(true);
});

test('fits a 360 px wide container without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openDemo(page);
  await waitForView(page, 'customers');
  const widths = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    dash: document.querySelector('partner-usage-dashboard').getBoundingClientRect().width,
  }));
  expect(widths.doc).toBeLessThanOrEqual(360);
  expect(widths.dash).toBeLessThanOrEqual(360);
  // The status column is out of sight there: each row says it under the
  // name too (for the eye: a screen reader hears it once, in its column).
  const d = dash(page);
  const row = d.locator('table[data-table="customers"] tbody tr').first();
  const status = await row.getAttribute('data-status');
  const words = { over: 'Over budget', near: 'Near budget', under: 'Within budget', 'no-budget': 'No budget' };
  await expect(row.locator('th .show-narrow .badge')).toBeVisible();
  await expect(row.locator('th .show-narrow .badge')).toHaveText(words[status]);
  await expect(row.locator('th .show-narrow')).toHaveAttribute('aria-hidden', 'true');
  await page.setViewportSize({ width: 1200, height: 740 });
  await expect(row.locator('th .show-narrow .badge')).toBeHidden();
});

test('at tablet width the customers table breaks names between words, never inside one', async ({ page }) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await openDemo(page);
  await waitForView(page, 'customers');
  const split = await dash(page).locator('table[data-table="customers"] tbody th .link').evaluateAll((links) => links.flatMap((a) => {
    const node = a.querySelector('bdi')?.firstChild ?? a.firstChild;
    const text = node?.data ?? '';
    const out = [];
    for (const m of text.matchAll(/\S+/g)) {
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      // One line box per word: a word split across lines has two.
      const lines = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
      // (Words of spaced scripts: Chinese or Japanese text breaks between any characters.)
      if (lines.size > 1 && m[0].length < 20 && /^[\p{Script=Latin}\p{N}\p{P}]+$/u.test(m[0])) out.push(m[0]);
    }
    return out;
  }));
  expect(split).toEqual([]);
});

test('twice the text size at tablet width: choices wrap inside their box, figures stay whole, and chart dates keep apart', async ({ page, request }) => {
  const all = await viewHashes(request);
  await page.setViewportSize({ width: 768, height: 1024 });
  for (const view of ['resources', 'utilization']) {
    await openDemo(page, { hash: all[view] });
    await waitForView(page, view);
    await page.evaluate(() => document.querySelector('partner-usage-dashboard').style.setProperty('--pu-font-size', '28px'));
    const d = dash(page);
    // Every card's figure on one line (a figure broken mid-number misreads).
    await expect.poll(() => d.locator('.card .v').evaluateAll((vs) => vs.filter((v) => {
      const lh = parseFloat(getComputedStyle(v).lineHeight);
      return v.getBoundingClientRect().height > lh * 1.5;
    }).map((v) => v.textContent))).toEqual([]);
    if (view === 'resources') {
      const seg = d.locator('.seg.wrap');
      expect(await seg.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    } else {
      // The first chart's date labels: none overlaps the next.
      await expect.poll(() => page.evaluate(() => {
        const c = [...document.querySelector('partner-usage-dashboard').charts.values()].find((x) => x.u?.axes);
        return c ? c.u.axes[0]._space : 0;
      })).toBeGreaterThanOrEqual(64 * 2);
    }
  }
});

test('a table wider than its box fades at the right edge while columns are out of sight there', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openDemo(page);
  await waitForView(page, 'customers');
  const box = dash(page).locator('.scroll:has(table[data-table="customers"])');
  await expect(box).toHaveAttribute('data-more', '');
  expect(await box.evaluate((el) => getComputedStyle(el).maskImage)).toContain('linear-gradient');
  // Scrolled to the end: nothing more there.
  await box.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
  await expect(box).not.toHaveAttribute('data-more', '');
  await box.evaluate((el) => { el.scrollLeft = 0; });
  await expect(box).toHaveAttribute('data-more', '');
  // Wide enough for every column: none.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(box).not.toHaveAttribute('data-more', '');
  expect(await box.evaluate((el) => getComputedStyle(el).maskImage)).toBe('none');
});

test('locale, currency display and routing="none"', async ({ page, request }) => {
  const t = await truth(request);
  await openDemo(page, { query: 'locale=de-DE' });
  await waitForView(page, 'customers');
  const d = dash(page);
  // The demo gives a locale the package's words for its language.
  await expect(d.locator('.root')).toHaveAttribute('lang', 'de');
  const total = decSum(t.customers.map((c) => c.usdTotalCost));
  const de = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD' }).format(Number(total));
  await expect(d.locator('.card').nth(0).locator('.v')).toHaveText(de);
  // A value-axis label at the plot's right edge ("13.000 $", wider than
  // "$13K"), centred there, still fits inside the chart.
  const edge = await page.evaluate(() => {
    const chart = document.querySelector('partner-usage-dashboard').charts.get('top');
    const u = chart.u;
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = chart.o.tickFont;
    const max = u.scales.y.max;
    const label = chart.o.tick(max);
    const right = (u.bbox.left + u.bbox.width) / devicePixelRatio + ctx.measureText(label).width / 2;
    return { label, right: Math.ceil(right), width: u.width };
  });
  expect(edge.right, `"${edge.label}"`).toBeLessThanOrEqual(edge.width);

  // Billing currency (default): each customer's own currency, USD beside it.
  const jpy = t.customers.filter((c) => c.currencyCode === 'JPY').sort(byUsdDesc)[0];
  await d.getByLabel('Kunden filtern').fill(jpy.name);
  const cells = d.locator(`tr[data-customer-id="${jpy.id}"] td`);
  await expect(cells.nth(0)).toHaveText(new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'JPY' }).format(Number(jpy.totalCost)));
  await expect(cells.nth(1)).toHaveText(new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD' }).format(Number(jpy.usdTotalCost)));
  // USD only.
  await d.locator('[data-currency="usd"]').click();
  await expect(page.locator('partner-usage-dashboard')).toHaveAttribute('currency-display', 'usd');
  await expect(d.locator('table[data-table="customers"] thead th').nth(1)).toHaveText('Kosten (USD)');
  await expect(d.locator(`tr[data-customer-id="${jpy.id}"] td`).nth(0)).toHaveText(
    new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD' }).format(Number(jpy.usdTotalCost)));

  // Legacy customers have no ISO currency: a plain number, labelled legacy.
  await d.locator('[data-currency="native"]').click();
  const legacy = t.customers.filter((c) => !c.isUpgraded).sort(byUsdDesc)[0];
  await d.getByLabel('Kunden filtern').fill(legacy.name);
  const lc = d.locator(`tr[data-customer-id="${legacy.id}"] td`).nth(0);
  await expect(lc).toContainText(new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(legacy.totalCost)));
  await expect(lc).toContainText(`Legacy · ${legacy.currencyLocale}`);

  // With routing="none" the drill-down leaves the URL alone.
  await page.evaluate(() => document.querySelector('partner-usage-dashboard').setAttribute('routing', 'none'));
  const before = page.url();
  await d.locator(`tr[data-customer-id="${legacy.id}"] .link`).click();
  await waitForView(page, 'subscriptions');
  expect(page.url()).toBe(before);
});

test('attribute values that mean nothing fall back safely and say so once: routing leaves the URL alone, locale gives way to the page\'s', async ({ page }) => {
  const warnings = [];
  page.on('console', (msg) => { if (msg.type() === 'warning') warnings.push(msg.text()); });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const get = (prop) => page.evaluate((p) => document.querySelector('partner-usage-dashboard')[p], prop);
  const set = (name, value) => page.evaluate(([n, v]) => document.querySelector('partner-usage-dashboard').setAttribute(n, v), [name, value]);
  // Keywords in any case; a typo is not taken for the hash routing that
  // would take the URL from an app's own router.
  for (const [value, routing] of [['NONE', 'none'], ['Hash', 'hash'], ['None ', 'none'], ['false', 'none']]) {
    await set('routing', value);
    expect(await get('routing'), value).toBe(routing);
  }
  const before = page.url();
  await d.locator('tbody .link').first().click();
  await waitForView(page, 'subscriptions');
  expect(page.url()).toBe(before);
  await page.evaluate(() => document.querySelector('partner-usage-dashboard').routing); // read again: no second warning
  // A locale that is no language tag: the page's (en), currency and all.
  await set('locale', 'not a locale!!');
  expect(await get('locale')).toBe(await page.evaluate(() => document.documentElement.lang || navigator.language));
  await d.locator('nav a, nav button').first().click();
  await waitForView(page, 'customers');
  await expect(d.locator('.card').first().locator('.v')).toHaveText(/^\$[\d,]+\.\d\d$/);
  expect(warnings.filter((w) => w.includes('routing="None "'))).toHaveLength(1);
  expect(warnings.filter((w) => w.includes('routing="false"'))).toHaveLength(1);
  expect(warnings.filter((w) => w.includes('locale="not a locale!!" is not a BCP 47 language tag'))).toHaveLength(1);
});

test('utilization by the hour says its hours are UTC, in a browser in another zone too', async ({ browser, request }) => {
  const t = await truth(request);
  // One with hourly data (pc-sim has none for about one in four, as Partner Center often hasn't).
  const hourly = (s) => s.kind === 'legacy' && s.utilizationRecords > 0 && s.hourlyData;
  const c = t.customers.find((x) => x.subscriptions.some(hourly));
  const sub = c.subscriptions.find(hourly);
  const day = new Date(Date.parse(t.now) - 3 * 86_400_000).toISOString().slice(0, 10);
  const context = await browser.newContext({ timezoneId: 'America/Los_Angeles', locale: 'en-US' });
  try {
    const page = await context.newPage();
    await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${sub.id}&from=${day}&to=${day}&granularity=hourly&bucket=hour` });
    await waitForView(page, 'utilization');
    const d = dash(page);
    await d.locator('[data-panel]').first().getByRole('button', { name: 'Table' }).click();
    const first = d.locator('table tbody th[scope="row"]').first();
    // Midnight UTC, not Los Angeles' midnight (8 AM UTC).
    await expect(first).toHaveText(`${longDate(day)}, 00:00 UTC`);
  } finally {
    await context.close();
  }
});

test('utilization: an explicit empty state, and a CSV of the time series', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s: sub } = legacyWith(t, 0);
  // A week before the simulated usage starts: Partner Center answers 204.
  const start = Date.parse(t.usageWindow.start);
  const day = (ms) => new Date(ms).toISOString().slice(0, 10);
  const from = day(start - 30 * 86_400_000);
  const to = day(start - 24 * 86_400_000);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${sub.id}&from=${from}&to=${to}` });
  const d = dash(page);
  await expect(d.locator('.empty')).toContainText('No usage in this window');
  // The dates as the rest of the view writes them (en-US: "Oct 1, 2026").
  await expect(d.locator('.empty')).toContainText(`between ${longDate(from)} and ${longDate(to)}`);
  // The 204's Retry-After (an hour, from the simulator), in the locale's words.
  await expect(d.locator('.empty')).toContainText('Partner Center suggests asking again in 1 hour.');
  await expect(d.locator('[data-action="export"]')).toBeDisabled();

  // The default window has data; its CSV is the long time-series format.
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${sub.id}` });
  await page.reload();
  await waitForView(page, 'utilization');
  const vd = await viewData(page);
  const [dl] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  expect(dl.suggestedFilename()).toMatch(/_utilization_.*_meter_/);
  const lines = (await readFile(await dl.path(), 'utf8')).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('customerId,subscriptionId,bucketStart,seriesKey,unit,label,quantity,anomaly');
  expect(lines.slice(1).every((l) => l.startsWith(`${c.id},${sub.id},`))).toBe(true);
  // Every point up to the last day reported.
  const through = await reportedThrough(d, vd.summary);
  const points = vd.summary.series.length * (through + 1);
  expect(lines.length - 1).toBe(points);
  const q = lines[0].split(',').indexOf('quantity');
  const total = decSum(lines.slice(1).map((l) => l.split(',')).filter((f) => f[3] === vd.summary.series[0].key
    && f[4] === vd.summary.series[0].unit).map((f) => f[q]));
  expect(decCmp(total, vd.summary.series[0].total)).toBe(0);

  // Days are whole: no note about partial buckets.
  await expect(d.locator('p.note[data-note="partial"]')).toHaveCount(0);

  // Weeks: the first and last buckets start outside the window, and the
  // window card still says the dates chosen, not the buckets' starts.
  const w = (await viewData(page)).state;
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${sub.id}&from=${w.from}&to=${w.to}&bucket=week` });
  await waitForView(page, 'utilization');
  const weeks = await viewData(page);
  expect(weeks.summary.bucketStarts[0]).toBeLessThanOrEqual(Date.parse(`${w.from}T00:00:00Z`));
  await expect(d.locator('.card', { hasText: 'Window' }).locator('.s')).toHaveText(`${longDate(w.from)} – ${longDate(w.to)}`);
  // A week the window covers in part says how much of it: in the table
  // (and the tooltip), "Week of Oct 26, 2026 (5 of 7 days)".
  const starts = weeks.summary.bucketStarts;
  const first = Date.parse(`${w.from}T00:00:00Z`);
  const end = Date.parse(`${w.to}T00:00:00Z`) + 86_400_000;
  const label = (ms) => `Week of ${longDate(new Date(ms).toISOString().slice(0, 10))}`;
  const daysIn = (ms) => Math.round((Math.min(ms + 7 * 86_400_000, end) - Math.max(ms, first)) / 86_400_000);
  const expected = Array.from(starts, (ms) => (daysIn(ms) < 7 ? `${label(ms)} (${daysIn(ms)} of 7 days)` : label(ms)));
  expect(expected.some((e) => e.endsWith('days)'))).toBe(true);
  // Said once above the charts, since those weeks' totals look like drops.
  await expect(d.locator('p.note[data-note="partial"]')).toHaveText(
    'Weeks at the edges of the window are only partly inside it, so their totals cover fewer days (their labels say how many).');
  // The chart labels the weeks at their starts, each once, none on an edge.
  const axis = async () => {
    const read = () => page.evaluate(() => {
      const [chart] = document.querySelector('partner-usage-dashboard').charts.values();
      const { axes: [x], scales } = chart.u;
      return x._values && { splits: x._splits, values: x._values, min: scales.x.min, max: scales.x.max };
    });
    await expect.poll(read).toBeTruthy();
    return read();
  };
  const ticks = await axis();
  expect(ticks.splits).toEqual(Array.from(starts));
  expect(new Set(ticks.values).size).toBe(ticks.values.length);
  expect(ticks.min).toBeLessThan(starts[0]);
  expect(ticks.max).toBeGreaterThan(starts[starts.length - 1]);
  const panel = d.locator('[data-panel]').first();
  await panel.getByRole('button', { name: 'Table' }).click();
  const rows = await tableRows(panel.locator('table'));
  expect(rows.map((r) => r[0].text)).toEqual(expected);

  // A meter filter that matches nothing: the dashboard's filter hid the
  // records, Partner Center did report them.
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${sub.id}&from=${w.from}&to=${w.to}&meter=no-such-meter` });
  await waitForView(page, 'utilization');
  await expect(d.locator('.empty')).toContainText('Nothing matches the filters');
  await expect(d.locator('.empty')).toContainText(
    `Partner Center reported ${weeks.summary.records.toLocaleString('en-US')} records between ${longDate(w.from)} and ${longDate(w.to)}, and none of them matches the filters.`);

  // Months over a window of two: two bars, labelled with their months
  // (uPlot's own ticks came every few days, each saying "Oct 2026").
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${sub.id}&from=${w.from}&to=${w.to}&bucket=month` });
  await waitForView(page, 'utilization');
  const months = (await viewData(page)).summary.bucketStarts;
  expect(months.length).toBe(2);
  await expect(d.locator('p.note[data-note="partial"]')).toContainText('Months at the edges');
  const monthTicks = await axis();
  expect(monthTicks.splits).toEqual(Array.from(months));
  const monthName = (ms) => new Date(ms).toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  expect(monthTicks.values).toEqual(Array.from(months, monthName));
  // Each bar half a month in from the edges.
  expect(months[0] - monthTicks.min).toBeGreaterThan(10 * 86_400_000);
  expect(monthTicks.max - months[1]).toBeGreaterThan(10 * 86_400_000);
});

test('demo: a locale from the query string that the list lacks is added to it and used', async ({ page }) => {
  await openDemo(page, { query: 'locale=ar-EG' });
  await waitForView(page, 'customers');
  await expect(page.locator('#locale')).toHaveValue('ar-EG');
  await expect(page.locator('#locale option:checked')).toHaveText(new Intl.DisplayNames(['ar-EG'], { type: 'language' }).of('ar-EG'));
  await expect(page.locator('partner-usage-dashboard')).toHaveAttribute('locale', 'ar-EG');
});

test('in a right-to-left page: English words keep their order, and names are isolated in their own direction', async ({ page }) => {
  await page.goto('/tests/pages/rtl.html');
  await waitForView(page, 'customers');
  const d = dash(page);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('partner-usage-dashboard')).direction)).toBe('ltr');
  // Every customer name is a <bdi>.
  const names = d.locator('table[data-table="customers"] tbody th .link');
  expect(await names.count()).toBeGreaterThan(0);
  await expect(d.locator('table[data-table="customers"] tbody th .link > bdi')).toHaveCount(await names.count());
  // Where the first and last characters land: a sentence's final period and
  // a name's "Corp." stay at the right end, where an LTR reader expects them.
  const ends = await page.evaluate(() => {
    const root = document.querySelector('partner-usage-dashboard').shadowRoot;
    const at = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
    const firstText = (el) => { const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); return w.nextNode(); };
    const name = [...root.querySelectorAll('table[data-table="customers"] tbody th .link bdi')].find((b) => /\.$/.test(b.textContent));
    const subtitle = firstText(root.querySelector('.subtitle'));
    return [name, subtitle].map((el) => {
      const t = el.nodeType === Node.TEXT_NODE ? el : firstText(el);
      return { text: t.data, first: at(t, 0), last: at(t, t.data.length - 1) };
    });
  });
  for (const e of ends) expect(e.last, e.text).toBeGreaterThan(e.first);
});

test('getToken set just after the element is connected, as a React ref callback does, is the one every request uses', async ({ page }) => {
  const auth = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/v1/')) auth.push(r.headers().authorization ?? null); });
  // Warm: the module is ready before the element exists (a second view of a
  // single-page app). With words given (a whole catalogue) the element has
  // none to wait for, so its first load runs on at once.
  for (const [warm, words] of [[false, false], [false, true], [true, false], [true, true]]) {
    auth.length = 0;
    await page.goto('/tests/pages/blank.html');
    await page.evaluate(async ({ token, warm, words }) => {
      const { default: init } = await import('/dist/npm/index.js');
      await import('/dist/npm/dashboard.js');
      if (warm) await init();
      const d = document.createElement('partner-usage-dashboard');
      d.setAttribute('base-url', '/');
      d.setAttribute('routing', 'none');
      if (words) d.messages = (await import('/dist/npm/dashboard-messages.js')).default;
      document.body.append(d);
      window.tokenCalls = 0;
      d.getToken = async () => { window.tokenCalls += 1; return token; };
    }, { token: TOKEN, warm, words });
    await waitForView(page, 'customers');
    const label = `${warm ? 'warm' : 'cold'}${words ? ', words given' : ''}`;
    expect(auth.length, label).toBeGreaterThan(0);
    expect(new Set(auth), label).toEqual(new Set([`Bearer ${TOKEN}`]));
    // The load started at connection gives way to the one with the token: one token, one listing.
    expect(await page.evaluate(() => window.tokenCalls), label).toBe(1);
    expect(auth.length, label).toBe(1);
  }

  // A framework sets them again on every render: the same function, client
  // and equal options reload nothing; other options reload once.
  const loaded = auth.length;
  await page.evaluate(() => {
    const d = document.querySelector('partner-usage-dashboard');
    d.getToken = d.getToken;
    d.client = d.client;
    d.clientOptions = { ...d.clientOptions };
  });
  // Nested options too: an equal `retry` object, made anew on each render.
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = { retry: { baseDelayMs: 500 } }; });
  await expect.poll(() => auth.length).toBe(loaded + 1);
  await waitForView(page, 'customers');
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = { retry: { baseDelayMs: 500 } }; });
  // Nothing to wait for but time: a reload would have sent its request by then.
  await page.waitForTimeout(300);
  expect(auth.length).toBe(loaded + 1);
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').clientOptions = { maxRetries: 2 }; });
  await expect.poll(() => auth.length).toBe(loaded + 2);
  await waitForView(page, 'customers');
  // The same object, changed in place and set again, is a change.
  await page.evaluate(() => {
    const d = document.querySelector('partner-usage-dashboard');
    d.clientOptions.maxRetries = 3;
    d.clientOptions = d.clientOptions;
  });
  await expect.poll(() => auth.length).toBe(loaded + 3);
  await waitForView(page, 'customers');
});

test('routing="none": the dashboard leaves the URL alone and tells the app through pu-navigate, pu-load and pu-error; attributes open views', async ({ page, request }) => {
  await page.goto('/tests/pages/blank.html');
  const historyLength = await page.evaluate(() => history.length);
  await page.evaluate(async (token) => {
    const { PartnerCenterError } = await import('/dist/npm/index.js');
    await import('/dist/npm/dashboard.js');
    window.events = [];
    for (const type of ['pu-navigate', 'pu-load', 'pu-error']) {
      // They bubble out of the element (and would out of a shadow root: composed).
      document.addEventListener(type, (e) => window.events.push({ type, detail: e.detail.error
        ? { error: { isError: e.detail.error instanceof PartnerCenterError, kind: e.detail.error.kind, status: e.detail.error.status } }
        : e.detail }));
    }
    const d = document.createElement('partner-usage-dashboard');
    d.setAttribute('base-url', '/');
    d.setAttribute('routing', 'none');
    d.getToken = async () => token;
    document.body.append(d);
  }, TOKEN);
  const events = () => page.evaluate(() => window.events.splice(0));
  await waitForView(page, 'customers');
  expect(await events()).toEqual([{ type: 'pu-load', detail: { view: 'customers' } }]);

  // The user drills down: the app hears where to, the URL stays as it was.
  const d = dash(page);
  const first = d.locator('table[data-table="customers"] tbody tr').first();
  const id = await first.getAttribute('data-customer-id');
  await first.locator('.link').click();
  await waitForView(page, 'subscriptions');
  expect(await events()).toEqual([
    { type: 'pu-navigate', detail: { view: 'subscriptions', customerId: id, subscriptionId: null } },
    { type: 'pu-load', detail: { view: 'subscriptions' } },
  ]);
  expect(await page.evaluate(() => [location.hash, history.length])).toEqual(['', historyLength]);
  await expect(d).toHaveAttribute('customer-id', id);

  // The app opens a view by attribute: a load, and no navigate event of its own.
  await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    el.removeAttribute('customer-id');
    el.view = 'customers';
  });
  await waitForView(page, 'customers');
  expect(await events()).toEqual([{ type: 'pu-load', detail: { view: 'customers' } }]);

  // A router's way (the README's snippet): properties from the route, and
  // undefined where the route has none, which takes the view back to the list.
  await page.evaluate((cid) => {
    const el = document.querySelector('partner-usage-dashboard');
    el.view = 'subscriptions';
    el.customerId = cid;
  }, id);
  await waitForView(page, 'subscriptions');
  await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    el.view = undefined;
    el.customerId = undefined;
    el.subscriptionId = undefined;
  });
  await waitForView(page, 'customers');
  expect(await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    return [el.view, el.customerId, el.getAttribute('view')];
  })).toEqual(['customers', null, null]);
  await events();

  // A failure: pu-error carries the PartnerCenterError.
  await sim(request, { seed: 13, faultRate: 1 });
  await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    el.clientOptions = { maxRetries: 0 };
  });
  await expect(d.locator('[part="error"]')).toBeVisible();
  expect(await events()).toEqual([{ type: 'pu-error', detail: { error: { isError: true, kind: 'http', status: 500 } } }]);
  expect(await page.evaluate(() => [location.hash, history.length])).toEqual(['', historyLength]);
});

test('hash routing: a hash of the app\'s own is left alone, routing can change after connection, a second hash-routed dashboard is told off, and clearing a property removes its attribute', async ({ page }) => {
  await page.goto('/tests/pages/blank.html#/usage');
  const warnings = [];
  page.on('console', (msg) => { if (msg.type() === 'warning') warnings.push(msg.text()); });
  await page.evaluate(async (token) => {
    await import('/dist/npm/dashboard.js');
    const d = document.createElement('partner-usage-dashboard');
    d.setAttribute('base-url', '/');
    d.getToken = async () => token;
    document.body.append(d);
  }, TOKEN);
  await waitForView(page, 'customers');
  const d = dash(page);
  const hash = () => page.evaluate(() => location.hash);
  // The app's own hash was not ours: the URL stays as the app made it,
  // through a typed filter too (which only replaces the dashboard's own).
  expect(await hash()).toBe('#/usage');
  await d.getByLabel('Filter customers').fill('a');
  await page.waitForTimeout(200);
  expect(await hash()).toBe('#/usage');
  await d.getByLabel('Filter customers').fill('');
  const first = d.locator('table[data-table="customers"] tbody tr').first();
  const id = await first.getAttribute('data-customer-id');
  await first.locator('.link').click();
  await waitForView(page, 'subscriptions');
  expect(await hash()).toContain(`customer=${id}`);
  // The app routes to one of its own pages: the view stays, the URL too.
  await page.evaluate(() => { location.hash = '#/settings'; });
  await page.waitForTimeout(300);
  expect(await hash()).toBe('#/settings');
  expect((await viewData(page)).state).toMatchObject({ view: 'subscriptions', customerId: id });
  // Back to the drill-down's entry: the dashboard follows it again.
  await page.goBack();
  await expect.poll(hash).toContain(`customer=${id}`);

  // routing="none" set after connection: the hash is the app's from then on.
  await d.evaluate((el) => { el.routing = 'none'; });
  await page.evaluate(() => { location.hash = '#view=customers'; });
  await page.waitForTimeout(300);
  expect((await viewData(page)).state.view).toBe('subscriptions');
  // And back: the dashboard follows the hash again, from the view it names.
  await d.evaluate((el) => { el.routing = undefined; });
  await expect(d).not.toHaveAttribute('routing', /.*/);
  await waitForView(page, 'customers');
  await page.evaluate((cid) => { location.hash = `#view=subscriptions&customer=${cid}`; }, id);
  await waitForView(page, 'subscriptions');
  await page.evaluate(() => { location.hash = '#view=customers&x=1'; });
  await waitForView(page, 'customers');
  // Switched to hash routing over an empty hash, away from the first view:
  // the hash is given the view shown (a reload or Back comes back to it).
  await d.evaluate((el) => { el.routing = 'none'; });
  await page.evaluate(() => history.replaceState(null, '', location.pathname));
  await first.locator('.link').click();
  await waitForView(page, 'subscriptions');
  expect(await hash()).toBe('');
  const entries = await page.evaluate(() => history.length);
  await d.evaluate((el) => { el.routing = 'hash'; });
  await expect.poll(hash).toContain(`customer=${id}`);
  expect(await page.evaluate(() => history.length)).toBe(entries);
  await page.reload();
  await page.evaluate(async (token) => {
    await import('/dist/npm/dashboard.js');
    const el = document.createElement('partner-usage-dashboard');
    el.setAttribute('base-url', '/');
    el.getToken = async () => token;
    document.body.append(el);
  }, TOKEN);
  await waitForView(page, 'subscriptions');
  expect((await viewData(page)).state.customerId).toBe(id);

  // Properties cleared as a framework clears a prop: the attribute goes.
  await d.evaluate((el) => { el.locale = 'de-DE'; el.topN = 5; });
  await d.evaluate((el) => { el.locale = undefined; el.topN = null; el.nearThreshold = undefined; el.currencyDisplay = null; });
  expect(await d.evaluate((el) => ['locale', 'top-n', 'near-threshold', 'currency-display'].map((a) => el.getAttribute(a)))).toEqual([null, null, null, null]);
  expect(await d.evaluate((el) => [el.topN, el.currencyDisplay])).toEqual([10, 'native']);

  // A second dashboard following the same hash: said once on the console.
  expect(warnings.filter((w) => w.includes('routing="hash"'))).toEqual([]);
  await page.evaluate(() => document.body.append(document.createElement('partner-usage-dashboard')));
  await expect.poll(() => warnings.filter((w) => w.includes('share the page')).length).toBe(1);
});

test('a view restored from the hash is on the attributes too, so setting one property keeps the rest', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords > 0));
  const sub = c.subscriptions.find((s) => s.kind === 'azurePlan' && s.resourceRecords > 0);
  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${sub.id}` });
  await waitForView(page, 'resources');
  const d = dash(page);
  expect(await d.evaluate((el) => [el.getAttribute('view'), el.getAttribute('customer-id')])).toEqual(['resources', c.id]);
  // Up to the customer's subscriptions: the customer stays.
  await d.evaluate((el) => { el.view = 'subscriptions'; });
  await waitForView(page, 'subscriptions');
  expect(await d.evaluate((el) => el.customerId)).toBe(c.id);
  // The URL follows a view the host opens (for a reload, Back, Copy link),
  // in the entry the host's own navigation made.
  const hash = () => page.evaluate(() => location.hash);
  await expect.poll(hash).toBe(`#view=subscriptions&customer=${c.id}`);
  const entries = await page.evaluate(() => history.length);
  // Two properties in one task: the hash names where they lead together.
  await d.evaluate((el, id) => { el.subscriptionId = id; el.view = 'resources'; }, sub.id);
  await waitForView(page, 'resources');
  await expect.poll(hash).toContain(`view=resources&customer=${c.id}&subscription=${sub.id}`);
  expect(await page.evaluate(() => history.length)).toBe(entries);
  await page.reload();
  await waitForView(page, 'resources');
  expect((await viewData(page)).state).toMatchObject({ customerId: c.id, subscriptionId: sub.id });
});

test('the first token is asked for while the wasm module loads, and used by the first listing', async ({ page }) => {
  // The module's response is held until getToken has been called: a
  // dashboard that asked only after loading it would never get there.
  let tokenAsked;
  const asked = new Promise((resolve) => { tokenAsked = resolve; });
  const calls = [];
  await page.exposeFunction('tokenAsked', (refresh) => { calls.push(refresh); tokenAsked(); });
  await page.route('**/partner_usage_bg.wasm', async (route) => { await asked; await route.continue(); });
  await page.goto('/tests/pages/blank.html');
  await page.evaluate(async (token) => {
    await import('/dist/npm/dashboard.js');
    const d = document.createElement('partner-usage-dashboard');
    d.setAttribute('base-url', '/');
    d.setAttribute('routing', 'none');
    d.getToken = async ({ refresh }) => { await window.tokenAsked(refresh); return token; };
    document.body.append(d);
  }, TOKEN);
  await waitForView(page, 'customers');
  // One listing (customer usage), one token: the early one.
  expect(calls).toEqual([false]);
});

test('utilization: a tag key and resource group from a link select their option whatever their case', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy').map((s) => ({ c, s })))
    .sort((a, b) => b.s.utilizationRecords - a.s.utilizationRecords)[0];
  const base = `view=utilization&customer=${c.id}&subscription=${s.id}&by=tag`;
  await openDemo(page, { hash: base });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const options = (control) => d.locator(`select[data-control="${control}"] option`).evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  const key = (await options('tag-key')).find((k) => k !== k.toLowerCase());
  const rg = (await options('resource-group')).find((g) => g !== g.toLowerCase());
  expect(key, 'a tag key with capitals').toBeTruthy();
  expect(rg, 'a resource group with capitals').toBeTruthy();

  await openDemo(page, { hash: `${base}&tag=${encodeURIComponent(key.toLowerCase())}&rg=${encodeURIComponent(rg.toLowerCase())}` });
  await waitForView(page, 'utilization');
  await expect(d.locator('select[data-control="tag-key"]')).toHaveValue(key);
  await expect(d.locator('select[data-control="resource-group"]')).toHaveValue(rg);
  // The export's file name says what it holds: the tag grouping and the filter.
  const [dl] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  const safe = (v) => Array.from(v.replace(/[^\p{L}\p{N}._-]+/gu, '-')).slice(0, 24).join('');
  expect(dl.suggestedFilename()).toContain(`_tag_${safe(key.toLowerCase())}_rg-${safe(rg.toLowerCase())}_`);
});

test('names Azure compares ignoring case fold in the dashboard as in the core', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { nameKey, FOLD_EXCEPTIONS } = await import('/dist/npm/dashboard-format.js');
    const same = (a, b) => nameKey(a) === nameKey(b);
    return {
      same: [['Prod-RG', 'prod-rg'], ['PROD-ÄRZTE', 'prod-ärzte'], ['ΟΜΆΔΑΣ', 'ομάδας'], ['µ-rg', 'Μ-RG'], ['ϑ', 'Θ'], ['\u1C80', 'В']]
        .map(([a, b]) => same(a, b)),
      apart: [['\u212Aelvin', 'kelvin'], ['ß', 'ẞ'], ['İ', 'i'], ['ı', 'I'], ['ſ', 's']].map(([a, b]) => same(a, b)),
      exceptions: [...FOLD_EXCEPTIONS].map(([from, to]) => [from.codePointAt(0), to.codePointAt(0)]),
    };
  });
  expect(got.same).toEqual(got.same.map(() => true));
  expect(got.apart).toEqual(got.apart.map(() => false));
  // The same exceptions as the core's fold (core/src/case.rs), character for character.
  const source = await readFile(new URL('../../core/src/case.rs', import.meta.url), 'utf8');
  const body = source.slice(source.indexOf('fn fold_char'), source.indexOf('_ => only_char'));
  const core = [];
  for (const [, from, to] of body.matchAll(/((?:'\\u\{[0-9A-F]+\}'(?: \| )?)+) => ('\\u\{[0-9A-F]+\}'|c)/g)) {
    for (const [, hex] of from.matchAll(/\\u\{([0-9A-F]+)\}/g)) {
      const c = parseInt(hex, 16);
      core.push([c, to === 'c' ? c : parseInt(/\{([0-9A-F]+)\}/.exec(to)[1], 16)]);
    }
  }
  expect(core.length).toBe(26);
  expect(got.exceptions.sort((a, b) => a[0] - b[0])).toEqual(core.sort((a, b) => a[0] - b[0]));
});

test('a partner with hundreds of customers: the table shows a page at a time, filtered or not', async ({ page, request }) => {
  await sim(request, { customers: 400 });
  const t = await truth(request);
  expect(t.customers.length).toBe(400);
  await openDemo(page);
  await waitForView(page, 'customers');
  await expect(page.locator('footer.site')).toContainText('Simulated data: 400 customers');
  const d = dash(page);
  const rows = d.locator('table[data-table="customers"] tbody tr');
  await expect(rows).toHaveCount(25);
  await d.locator('[data-action="more"]').focus();
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(125);
  // The keyboard goes on from the first new row.
  await expect(rows.nth(25).locator('.link')).toBeFocused();

  // A new filter starts again from the first page, and shows its matches a page at a time.
  const q = 'a';
  const matching = t.customers.filter((c) => c.name.toLowerCase().includes(q) || c.id.includes(q));
  expect(matching.length).toBeGreaterThan(225);
  await d.getByLabel('Filter customers').fill(q);
  await expect(rows).toHaveCount(25);
  await expect(d.getByText(`${matching.length} of 400 customers match. Showing 25.`)).toBeVisible();
  const table = d.locator('table[data-table="customers"]');
  while (await d.locator('[data-action="more"]').count()) {
    const before = await rows.count();
    await d.locator('[data-action="more"]').click();
    await expect(rows).toHaveCount(Math.min(before + 100, matching.length));
    await expect(rows.nth(before).locator('.link')).toBeFocused();
  }
  await expect(table).not.toHaveAttribute('aria-busy');
  const ids = () => rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.customerId));
  expect((await ids()).slice().sort()).toEqual(matching.map((c) => c.id).sort());

  // Sorting starts over in the new order from the first page: the first
  // rows of the new order, none left from the old.
  await d.getByLabel('Filter customers').fill('');
  await table.locator('th[data-sort="name"] button').click();
  await table.locator('th[data-sort="name"] button').click();
  await expect(table.locator('th[data-sort="name"]')).toHaveAttribute('aria-sort', 'descending');
  await expect(table).not.toHaveAttribute('aria-busy');
  await expect(rows).toHaveCount(25);
  const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.link').textContent));
  const collator = new Intl.Collator('en-US');
  expect(names).toEqual(t.customers.map((c) => c.name).sort((a, b) => collator.compare(b, a)).slice(0, 25));
});

test('a filter that matches no customer says so in the table, and Clear filter brings every row back', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const rows = d.locator('table[data-table="customers"] tbody tr');
  const filter = d.getByLabel('Filter customers');
  await expect(rows).toHaveCount(25);
  await filter.fill('  no such <b>customer</b> ');
  await expect(d.getByText('0 of 120 customers match.')).toBeVisible();
  await expect(rows).toHaveCount(1);
  // One cell across every column, the query as typed (trimmed, as text).
  const cell = rows.first().locator('td.no-match');
  await expect(cell).toHaveAttribute('colspan', '6');
  await expect(cell).toContainText('No customer’s name or tenant id contains “no such <b>customer</b>”.');
  await expect(cell.locator('b')).toHaveCount(0);
  await cell.getByRole('button', { name: 'Clear filter' }).click();
  await expect(filter).toHaveValue('');
  await expect(filter).toBeFocused();
  await expect(rows).toHaveCount(25);
  await expect(d.locator('td.no-match')).toHaveCount(0);
  await expect(d.getByText('25 of 120 customers,', { exact: false })).toBeVisible();

  // In USD only, the table has one column fewer, and so has the row; German words.
  await openDemo(page, { query: 'locale=de-DE' });
  await waitForView(page, 'customers');
  await d.locator('[data-currency="usd"]').click();
  await d.getByLabel('Kunden filtern').fill('zzzz');
  await expect(d.locator('td.no-match')).toHaveAttribute('colspan', '5');
  await expect(d.locator('td.no-match')).toContainText('Kein Kundenname und keine Mandanten-ID enthält „zzzz“.');
  await expect(d.locator('table[data-table="customers"] thead th')).toHaveCount(5);
});

test('a customer billed in two currencies keeps a row for each, and counts once', async ({ page }) => {
  const rec = (id, name, cost, usd, currency) => ({
    id, name, totalCost: cost, usdTotalCost: usd, isUpgraded: !!currency.code, percentUsed: 0,
    ...(currency.code ? { currencyCode: currency.code } : { currencyLocale: currency.locale }),
    lastModifiedDate: new Date(Date.now() - 3_600_000).toISOString(), attributes: { objectType: 'CustomerMonthlyUsageRecord' },
  });
  const items = [
    rec('aaaa-1', 'Dual Co', 100.5, 108.7, { code: 'EUR' }),
    rec('aaaa-1', 'Dual Co', 50.25, 63.9, { locale: 'en-GB' }),
    rec('bbbb-2', 'Single Ltd', 10, 12, { code: 'GBP' }),
  ];
  await page.route('**/v1/customers/usagerecords*', (route) => route.fulfill({
    status: 200, contentType: 'application/json', body: JSON.stringify({ totalCount: items.length, items, links: {} }),
  }));
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const rows = d.locator('table[data-table="customers"] tbody tr[data-customer-id="aaaa-1"]');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).not.toHaveText(await rows.nth(1).textContent());
  await expect(d.locator('.card').first().locator('.s')).toHaveText(/^2 customers · this billing period · [A-Z][a-z]{2}\u00a0\d{4}$/);
  // One bar for Dual Co, with both currencies' USD; its plan counts it once.
  const vd = await viewData(page);
  expect(vd.charts.top.labels).toEqual(['Dual Co', 'Single Ltd']);
  expect(vd.charts.top.exact).toEqual(['172.6', '12']);
  await expect(d.locator('.card').nth(2)).toContainText('Azure plan (2)');
  await expect(d.locator('.card').nth(2)).toContainText('Legacy (1)');
});

test('a customer whose cost Partner Center left out is "Cost unknown", not under budget at zero', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.isUpgraded && x.budget != null && x.subscriptions.some((s) => s.kind === 'azurePlan'));
  // Another comes twice, the second time without totalCost: what it has is
  // summed, said to be partial, and it isn't compared with its budget.
  const p = t.customers.find((x) => x.id !== c.id && x.currencyCode && x.budget != null);
  await page.route('**/v1/customers/usagerecords*', async (route) => {
    const body = await (await route.fetch()).json();
    for (const r of body.items) if (r.id === c.id) delete r.totalCost;
    const again = { ...body.items.find((r) => r.id === p.id), usdTotalCost: 0 };
    delete again.totalCost;
    body.items.push(again);
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  // The budget card counts it apart, with a key of its own.
  const budgets = d.locator('.card').nth(1);
  await expect(budgets.locator('.keys li')).toContainText(['Over', 'Near', 'Unknown 2', 'Within', 'None']);
  await expect(budgets.locator('.meter .unknown')).toHaveCount(1);
  await expect(d.locator('[data-note="not-reported"]')).toHaveText('Not in these totals: the costs of 2 customers, which Partner Center didn\u2019t report.');
  await d.locator('[data-currency="native"]').click();
  await d.locator('input[type="search"]').fill(c.id);
  const row = d.locator(`table[data-table="customers"] tbody tr[data-customer-id="${c.id}"]`);
  await expect(row).toHaveAttribute('data-status', 'unknown');
  await expect(row.locator('td .badge')).toHaveText('Cost unknown');
  const cells = await row.locator('td').allTextContents();
  // Cost: not reported (not 0); USD still as sent; no share of the budget.
  expect(cells[0]).toMatch(/^Not reported/);
  expect(cells[1]).toBe(usd(c.usdTotalCost));
  expect(cells[3]).toBe('—');
  await expect(row.locator('td').first()).not.toHaveAttribute('data-value', /./);
  // The partly known one: its amount, and what it leaves out.
  await d.locator('input[type="search"]').fill(p.id);
  const partial = d.locator(`table[data-table="customers"] tbody tr[data-customer-id="${p.id}"]`);
  await expect(partial).toHaveAttribute('data-status', 'unknown');
  // (This test's route passes the body through JSON.parse, so the amount
  // the page gets is the double nearest Partner Center's.)
  await expect(partial.locator('td').first()).toHaveAttribute('data-value', String(Number(p.totalCost)));
  await expect(partial.locator('td').first().locator('.cell-sub')).toHaveText('1 without a cost (not in the total)');
  await d.locator('input[type="search"]').fill(c.id);
  // The export (of the filtered row) leaves the cost blank and counts it.
  const [download] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action="export"]').click()]);
  const lines = (await readFile(await download.path())).subarray(3).toString('utf8').split('\r\n').filter(Boolean);
  expect(lines[0].endsWith(',status,records,lastModifiedDate,missingCost,missingUsd')).toBe(true);
  expect(lines).toHaveLength(2);
  // customerId, name, currency, legacyCurrency, isUpgraded, then cost: blank.
  expect(lines[1]).toMatch(new RegExp(`^${c.id},.*,(true|false),(true|false),,\\d`));
  expect(lines[1].endsWith(',1,0')).toBe(true);
  // Its page: the spend and forecast say so too, and the budget isn't "0 % used".
  await row.getByRole('link', { name: c.name }).click();
  await waitForView(page, 'subscriptions');
  const cards = d.locator('.cards .card');
  await expect(cards.nth(0).locator('.v')).toHaveText('Not reported');
  await expect(cards.nth(1)).toContainText('Cost unknown');
  await expect(cards.nth(1)).not.toContainText('used');
  await expect(d.locator('[data-forecast="money"] .v')).toHaveText('—');
  await expect(d.locator('[data-forecast="money"] .s')).toHaveText('Not reported');
});

test('resource records without a cost are counted under the records, and the total is of the others, exactly', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.currencyCode && x.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords >= 5));
  const s = c.subscriptions.find((x) => x.kind === 'azurePlan' && x.resourceRecords >= 5);
  const path = `/v1/customers/${c.id}/subscriptions/${s.id}/resourceusagerecords`;
  const records = await listing(request, path, { exact: true });
  const cut = new Set(records.slice(0, 2).map((r) => r.resourceUri || r.resourceId || r.resourceName));
  const kept = records.filter((r) => !cut.has(r.resourceUri || r.resourceId || r.resourceName));
  expect(kept.length).toBe(records.length - 2);
  await page.route(`**${path}*`, async (route) => {
    const body = await (await route.fetch()).json();
    for (const r of body.items) if (cut.has(r.resourceUri || r.resourceId || r.resourceName)) delete r.totalCost;
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'resources');
  const d = dash(page);
  const cards = d.locator('.cards .card');
  await expect(cards.nth(2).locator('.s')).toHaveText('2 without a cost (not in the total)');
  await expect(cards.nth(0).locator('.v')).toHaveText(money(decSum(kept.map((r) => r.totalCost)), c.currencyCode));
});

test('customers table: column headers sort it, and say so', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const table = d.locator('table[data-table="customers"]');
  const header = (key) => table.locator(`th[data-sort="${key}"]`);
  const column = (i) => table.locator('tbody tr').evaluateAll((trs, i) => trs.map((tr) => {
    const cell = tr.children[i];
    return { text: cell.textContent.trim(), value: cell.getAttribute('data-value') };
  }), i);
  const cells = await table.locator('thead th').evaluateAll((ths) => ths.map((th) => th.dataset.sort || ''));
  const usedAt = cells.indexOf('used');
  const usdAt = cells.indexOf('usd');
  await expect(header('used')).toHaveAttribute('aria-sort', 'none');

  // Used, most first; customers without a budget last either way.
  await header('used').getByRole('button').click();
  await expect(header('used')).toHaveAttribute('aria-sort', 'descending');
  await expect(header('name')).toHaveAttribute('aria-sort', 'none');
  let used = await column(usedAt);
  const withBudget = used.filter((c) => c.value != null).map((c) => Number(c.value));
  expect(withBudget.length).toBeGreaterThan(10);
  expect(withBudget).toEqual(withBudget.slice().sort((a, b) => b - a));
  expect(used.slice(withBudget.length).every((c) => c.text === '—')).toBe(true);
  // Again: least first.
  await header('used').getByRole('button').click();
  await expect(header('used')).toHaveAttribute('aria-sort', 'ascending');
  used = await column(usedAt);
  const asc = used.filter((c) => c.value != null).map((c) => Number(c.value));
  expect(asc).toEqual(asc.slice().sort((a, b) => a - b));
  expect(used.slice(asc.length).every((c) => c.text === '—')).toBe(true);

  // Cost in USD, largest first, exact values compared as decimals.
  await header('usd').getByRole('button').click();
  await expect(header('usd')).toHaveAttribute('aria-sort', 'descending');
  const usd = (await column(usdAt)).map((c) => c.value);
  for (let i = 1; i < usd.length; i++) expect(decCmp(usd[i - 1], usd[i]), `${usd[i - 1]} ≥ ${usd[i]}`).toBeGreaterThanOrEqual(0);

  // Name, A to Z (by the page's locale), from the keyboard.
  await header('name').getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(header('name')).toHaveAttribute('aria-sort', 'ascending');
  const names = (await column(0)).map((c) => c.text.replace(/(Azure plan|Legacy)$/, ''));
  const collator = new Intl.Collator('en-US', { sensitivity: 'base', numeric: true });
  for (let i = 1; i < names.length; i++) expect(collator.compare(names[i - 1], names[i]), `${names[i - 1]} ≤ ${names[i]}`).toBeLessThanOrEqual(0);
  // A sort starts from the first page of the new order.
  await expect(d.getByText('25 of 120 customers, by name.')).toBeVisible();
});

test('near-threshold sets where "near budget" starts', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const expected = await page.evaluate(async () => {
    const { PartnerCenterClient } = await import('/dist/npm/index.js');
    const client = new PartnerCenterClient({ baseUrl: '/', token: 'test-token' });
    const at = async (nearThreshold) => (await client.customerUsageSummary({ nearThreshold })).budget;
    return { 80: await at(80), 95: await at(95) };
  });
  expect(expected[95].near).toBeLessThan(expected[80].near);
  let vd = await viewData(page);
  expect(vd.summary.budget).toEqual(expected[80]);
  await expect(d.locator('[data-panel="top"] .keys')).toContainText('Near budget (80%+)');

  await page.evaluate(() => document.querySelector('partner-usage-dashboard').setAttribute('near-threshold', '95'));
  await until(page, { 'summary.nearThreshold': '95' });
  vd = await viewData(page);
  expect(vd.summary.budget).toEqual(expected[95]);
  await expect(d.locator('[data-panel="top"] .keys')).toContainText('Near budget (95%+)');
  // 120 customers: one "Show 95 more" shows them all.
  await d.locator('[data-action="more"]').click();
  await expect(d.locator('table[data-table="customers"] tbody tr')).toHaveCount(120);
  await expect(d.locator('table[data-table="customers"] tbody tr[data-status="near"]')).toHaveCount(expected[95].near);
});

test('--pu-font-size scales every text, the charts\' too, and --pu-radius the controls\' corners', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const sizes = () => page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    const px = (sel, prop = 'fontSize') => parseFloat(getComputedStyle(el.shadowRoot.querySelector(sel))[prop]);
    return {
      title: px('[part="title"]'), th: px('table[data-table="customers"] thead th'), td: px('table[data-table="customers"] tbody td'),
      button: px('[part="toolbar"] button'), buttonRadius: px('[part="toolbar"] button', 'borderTopLeftRadius'),
      chart: parseFloat(el.charts.get('top').o.font), tick: parseFloat(el.charts.get('top').o.tickFont),
    };
  });
  const before = await sizes();
  expect(before).toMatchObject({ chart: 12, tick: 11 });
  await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    el.style.setProperty('--pu-font-size', '28px');
    el.style.setProperty('--pu-radius', '20px');
  });
  // The charts are redrawn at the new size without anything else changing.
  await expect.poll(async () => (await sizes()).chart).toBe(24);
  const after = await sizes();
  for (const k of ['title', 'th', 'td', 'button', 'tick']) expect(after[k], k).toBeCloseTo(before[k] * 2, 1);
  expect(after.buttonRadius).toBeCloseTo(before.buttonRadius * 2, 1);
});

test('design tokens set on :root reach the element, and changing them at run time redraws the charts', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const look = () => page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    const top = el.charts.get('top');
    return {
      color: getComputedStyle(el).color,
      cell: getComputedStyle(el.shadowRoot.querySelector('table[data-table="customers"] tbody td')).color,
      chartText: top.o.theme.text,
      chartUnder: top.o.theme.under,
    };
  });
  const before = await look();
  expect(before.chartText).toBe('#1f2328');
  // An app's own theme switch: a class on <html> whose rule sets the tokens.
  // (A constructable stylesheet: the demo's CSP refuses inline <style>.)
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('html.brand { --pu-text: #102030; --pu-under: #205080; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    document.documentElement.classList.add('brand');
  });
  await expect.poll(look).toEqual({
    color: 'rgb(16, 32, 48)', cell: 'rgb(16, 32, 48)', chartText: '#102030', chartUnder: '#205080',
  });
  // And back: the element's own defaults again.
  await page.evaluate(() => document.documentElement.classList.remove('brand'));
  await expect.poll(look).toEqual(before);
  // A value set on the element wins over one inherited from :root.
  await page.evaluate(() => {
    document.documentElement.classList.add('brand');
    document.querySelector('partner-usage-dashboard').style.setProperty('--pu-text', '#302010');
  });
  await expect.poll(async () => (await look()).chartText).toBe('#302010');
  // Switched while hidden (a closed tab runs no transitions): redrawn when shown.
  await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    el.hidden = true;
    el.style.removeProperty('--pu-text');
  });
  await page.waitForTimeout(200);
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').hidden = false; });
  await expect.poll(async () => (await look()).chartText).toBe('#102030');
  // The theme attribute redraws once: the palette check after its
  // transition finds the colours already drawn.
  await page.evaluate(() => document.documentElement.classList.remove('brand'));
  await expect.poll(async () => (await look()).chartText).toBe('#1f2328');
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').theme = 'dark'; });
  await expect.poll(async () => (await look()).chartText).not.toBe('#1f2328');
  await page.evaluate(() => { window.__top = document.querySelector('partner-usage-dashboard').charts.get('top'); });
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => document.querySelector('partner-usage-dashboard').charts.get('top') === window.__top)).toBe(true);
});

test('print: the light palette on a dark system, charts redrawn with it, and no buttons', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const look = () => page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    return {
      // The palette's private copy of --pu-text (the host never declares --pu-*).
      text: getComputedStyle(el).getPropertyValue('--_text').trim(),
      chartText: el.charts.get('top').o.theme.text,
      toolbar: getComputedStyle(el.shadowRoot.querySelector('.toolbar')).display,
    };
  });
  const screen = await look();
  expect(screen.text).not.toBe('#1f2328');
  expect(screen.chartText).toBe(screen.text);
  expect(screen.toolbar).not.toBe('none');

  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  await expect.poll(look).toEqual({ text: '#1f2328', chartText: '#1f2328', toolbar: 'none' });
  await expect(d.locator('[data-panel="top"] canvas')).toHaveCount(1);

  // Back on screen: the dark palette again.
  await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
  await expect.poll(look).toEqual(screen);

  // An app's own dark tokens on :root: the paper keeps dark text on white.
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(':root { --pu-text: #e0e0e0; --pu-bg: #101010; --pu-surface: #181818; --pu-accent: #5c2d91; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
  await expect.poll(async () => (await look()).text).toBe('#e0e0e0');
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  await expect.poll(look).toEqual({ text: '#1f2328', chartText: '#1f2328', toolbar: 'none' });
  // Its brand colour stays.
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('partner-usage-dashboard')).getPropertyValue('--_accent').trim())).toBe('#5c2d91');
});

test('utilization: a legend entry shows or hides its line, from the keyboard too, and the choice survives a redraw', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy').map((s) => ({ c, s })))
    .sort((a, b) => b.s.utilizationRecords - a.s.utilizationRecords)[0];
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  // A panel with more than one series.
  const toggle = d.locator('button.series-toggle').first();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const panel = await toggle.evaluate((b) => b.closest('[data-panel]').dataset.panel);
  const state = () => page.evaluate((id) => {
    const chart = document.querySelector('partner-usage-dashboard').charts.get(id);
    return { shown: chart.u.series.slice(1).map((x) => x.show), tooltip: chart.describe(0).rows.length };
  }, panel);
  const before = await state();
  expect(before.shown.length).toBeGreaterThan(1);
  expect(before.shown.every(Boolean)).toBe(true);
  // Read as "name: total", the figure apart from the name, and what it does.
  await expect(toggle).toHaveAccessibleName(/^\S.*\S [\d,.]+$/);
  await expect(toggle).toHaveAccessibleDescription('Show or hide this line');

  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await state()).toEqual({ shown: [false, ...before.shown.slice(1)], tooltip: before.tooltip - 1 });

  // A redraw (here the dark theme) keeps it hidden.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => (await state()).shown[0]).toBe(false);
  await expect(d.locator('button.series-toggle').first()).toHaveAttribute('aria-pressed', 'false');

  await d.locator('button.series-toggle').first().click();
  await expect(d.locator('button.series-toggle').first()).toHaveAttribute('aria-pressed', 'true');
  expect((await state()).shown).toEqual(before.shown);
});

test('the demo page says how to build the package when it is missing, and a normal start never shows that', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  await expect(page.locator('.boot-note')).toHaveCount(0);

  const page2 = await page.context().newPage();
  await page2.route('**/dist/npm/index.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page2.goto('/');
  const note = page2.locator('.boot-note');
  await expect(note).toBeHidden();
  await expect(note).toBeVisible({ timeout: 10_000 });
  await expect(note).toContainText('cargo xtask demo');
  await page2.close();

  // The package loads but its wasm doesn't: the note stays too, and the
  // settings panel says why.
  const page3 = await page.context().newPage();
  await page3.route('**/dist/npm/*.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page3.goto('/');
  await expect(page3.locator('#modeHint')).toContainText('could not load the partner-usage wasm module');
  await expect(page3.locator('.boot-note')).toBeVisible({ timeout: 10_000 });
  await page3.close();
});

test('the customers table\'s filter and sort are in the link: a reload, Back and a copied link reopen the list as it was', async ({ page, request }) => {
  const t = await truth(request);
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const hash = () => page.evaluate(() => decodeURIComponent(location.hash));
  const entries = await page.evaluate(() => history.length);
  const word = t.customers[0].name.split(' ')[0];
  await d.getByLabel('Filter customers').fill(word);
  await expect.poll(hash).toContain(`q=${word}`);
  await d.locator('th[data-sort="name"] button').click();
  await expect.poll(hash).toContain('sort=name-asc');
  // Replaced in place: no history entry per keystroke or click.
  expect(await page.evaluate(() => history.length)).toBe(entries);
  const names = () => d.locator('table[data-table="customers"] tbody tr[data-customer-id] th').allTextContents();
  const shown = await names();
  expect(shown.length).toBeGreaterThan(0);
  expect(shown.length).toBeLessThan(t.customers.length);

  await page.reload();
  await waitForView(page, 'customers');
  await expect(d.getByLabel('Filter customers')).toHaveValue(word);
  await expect(d.locator('th[data-sort="name"]')).toHaveAttribute('aria-sort', 'ascending');
  expect(await names()).toEqual(shown);

  // Into a customer and Back: the same list; the subscriptions view's link has neither.
  await d.locator('tr[data-customer-id] .link').first().click();
  await waitForView(page, 'subscriptions');
  expect(await hash()).not.toContain('q=');
  await page.goBack();
  await waitForView(page, 'customers');
  await expect(d.getByLabel('Filter customers')).toHaveValue(word);
  // An entry with another filter (a link followed in the same page) shows it.
  await page.evaluate(() => { location.hash = '#view=customers&sort=usd-asc'; });
  await expect(d.getByLabel('Filter customers')).toHaveValue('');
  await expect(d.locator('th[data-sort="usd"]')).toHaveAttribute('aria-sort', 'ascending');
  // Cleared, the link is plain again.
  await page.evaluate(() => { location.hash = '#view=customers&sort=bogus'; });
  await expect(d.locator('th[data-sort="usd"]')).toHaveAttribute('aria-sort', 'none');
  expect((await viewData(page)).state.customerSort).toBe('');
});

test('a currency display the reader chose is in the link (cur=usd), opens with it, and Back through the views keeps the one chosen last', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.currencyCode && x.currencyCode !== 'USD' && x.subscriptions.length);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const pressed = (which) => d.locator(`[data-currency="${which}"]`);
  await expect(pressed('native')).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).hash).not.toContain('cur=');
  await pressed('usd').click();
  await expect.poll(() => new URL(page.url()).hash).toContain('cur=usd');
  // One entry: the choice replaced it, Back isn't a way to undo it.
  const entries = await page.evaluate(() => history.length);
  await d.locator('[data-action="copy-link"]').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(new URL(copied).hash).toContain('cur=usd');
  const other = await page.context().newPage();
  await other.goto(copied);
  await waitForView(other, 'customers');
  await expect(dash(other).locator('[data-currency="usd"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(dash(other).locator('table[data-table="customers"] thead')).not.toContainText('billing currency');
  await other.close();
  // Drilled down, the link still says it; back to the page's own, it doesn't.
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  expect(await page.evaluate(() => history.length)).toBeGreaterThan(entries);
  await pressed('native').click();
  await expect.poll(() => new URL(page.url()).hash).not.toContain('cur=');
  await page.goBack();
  await waitForView(page, 'customers');
  // The entry left said cur=usd, but Back doesn't change the display back,
  // and the address is brought in line with what is shown.
  await expect(pressed('native')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => new URL(page.url()).hash).not.toContain('cur=');
});

test('what opens a view is a link to its address: a modified click opens it in a new tab, a plain one here; with routing="none" a button', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.some((s) => s.kind === 'azurePlan'));
  const s = c.subscriptions.find((x) => x.kind === 'azurePlan');
  await openDemo(page, { hash: `view=customers&q=${encodeURIComponent(c.id)}` });
  await waitForView(page, 'customers');
  const d = dash(page);
  const link = d.locator(`tr[data-customer-id="${c.id}"] th a.link`);
  // Whole addresses of this page (a <base href> can't send them elsewhere).
  const here = page.url().split('#')[0];
  await expect(link).toHaveAttribute('href', `${here}#view=subscriptions&customer=${c.id}`);
  await expect(d.getByRole('link', { name: c.name })).toHaveCount(1);
  // Ctrl+click: the browser's own, a new tab at that view; this one stays.
  const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click({ modifiers: ['ControlOrMeta'] })]);
  await tab.waitForLoadState();
  expect(new URL(tab.url()).hash).toBe(`#view=subscriptions&customer=${c.id}`);
  await waitForView(tab, 'subscriptions');
  await tab.close();
  expect((await viewData(page)).view).toBe('customers');
  // A plain click opens it here, one history entry on.
  await link.click();
  await waitForView(page, 'subscriptions');
  const action = d.locator(`tr[data-subscription-id="${s.id}"] a.link`).last();
  await expect(action).toHaveAttribute('href', `${here}#view=resources&customer=${c.id}&subscription=${s.id}&group=resource-group&then=resource-type`);
  // Up to the list as it was left (its filter).
  await expect(d.locator('[part="breadcrumb"] a.link')).toHaveAttribute('href', `${here}#view=customers&q=${c.id}`);
  // A currency display the reader chose goes with the links.
  await d.locator('[data-currency="usd"]').click();
  await expect(d.locator('[part="breadcrumb"] a.link')).toHaveAttribute('href', `${here}#view=customers&q=${c.id}&cur=usd`);
  // Without hash routing there is no address: buttons, which open the view here.
  await page.evaluate(() => document.querySelector('partner-usage-dashboard').setAttribute('routing', 'none'));
  await expect(d.locator('[part="breadcrumb"] a')).toHaveCount(0);
  await d.locator('[part="breadcrumb"]').getByRole('button', { name: 'All customers' }).click();
  await waitForView(page, 'customers');
  await expect(d.locator('table[data-table="customers"] tbody th button.link').first()).toBeVisible();
});

test('Copy link copies the address that reopens the view, and says so; without hash routing there is none', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacyWith(t, 0);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}&by=category` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const button = d.locator('[data-action="copy-link"]');
  await expect(button).toHaveAccessibleName('Copy link');
  const where = () => d.locator('.toolbar button').evaluateAll((bs) => bs.map((b) => { const r = b.getBoundingClientRect(); return [r.x, r.y, r.width]; }));
  const before = await where();
  await button.focus();
  await button.press('Enter');
  const bubble = button.locator('[data-note="copied"]');
  await expect(bubble).toHaveText('Link to this view copied');
  await expect(bubble).toBeVisible();
  // Said beside it, not in it: nothing in the toolbar moves.
  expect(await where()).toEqual(before);
  await expect(button).toHaveAccessibleName('Copy link');
  // A redraw meanwhile keeps focus on it.
  const toolbar = await d.evaluate((el) => { window.oldButton = el.shadowRoot.querySelector('[data-action="copy-link"]'); el.renderToolbar(); return true; });
  expect(toolbar).toBe(true);
  expect(await page.evaluate(() => window.oldButton.isConnected)).toBe(false);
  await expect.poll(() => page.evaluate(() => document.querySelector('partner-usage-dashboard').shadowRoot.activeElement?.dataset.action)).toBe('copy-link');
  await button.click();
  await expect(d.locator('[aria-live="polite"][aria-atomic="true"]')).toHaveText('Link to this view copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  // This page, with a hash that names the whole view (its window's dates too).
  expect(copied.split('#')[0]).toBe(page.url().split('#')[0]);
  expect(new URL(copied).hash).toContain('by=category');
  const state = (await viewData(page)).state;
  const other = await page.context().newPage();
  await other.goto(copied);
  await other.waitForFunction(() => { const v = document.querySelector('partner-usage-dashboard')?.viewData; return v?.summary && !v.loading; });
  expect(await other.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.state)).toEqual(state);
  await other.close();
  // Gone after a moment.
  await expect(bubble).toHaveCount(0, { timeout: 5000 });

  // A hash of the app's own: the copied address still names the view shown.
  await page.evaluate(() => { location.hash = '#/settings'; });
  await button.click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(copied);

  // The clipboard refused: said so, with where to copy it from instead.
  await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); });
  await button.click();
  await expect(bubble).toHaveText('Could not copy the link: copy it from the address bar');

  await d.evaluate((el) => el.setAttribute('routing', 'none'));
  await expect(button).toHaveCount(0);
});
