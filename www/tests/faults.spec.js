// What a reader sees when loading goes wrong or takes long: the error
// banner's words and details, views that go on without the customers'
// summary, cached data's age, and where focus and stale content go.
import { test, expect, sim, truth, openDemo, waitForView, dash, viewData } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await sim(request);
});

/** A Partner Center error answer for page.route. */
function pcError(status, code, description) {
  return {
    status,
    contentType: 'application/json',
    headers: { 'MS-RequestId': `req-${status}-${code}` },
    body: JSON.stringify({ code, description, errorName: 'Failure' }),
  };
}

const azurePlanCustomer = (t) => t.customers.find((c) => c.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords > 0));
// (With hourly data: the Daily/Hourly tests switch to it.)
const legacySub = (t) => t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy' && s.utilizationRecords > 100 && s.hourlyData).map((s) => ({ c, s })))[0];

test('another customer never shows the last one\'s subscriptions while it loads', async ({ page, request }) => {
  const t = await truth(request);
  const [a, b] = t.customers.filter((c) => c.subscriptions.length > 0);
  await openDemo(page, { hash: `view=subscriptions&customer=${a.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  await expect(d.locator(`tr[data-subscription-id="${a.subscriptions[0].id}"]`)).toHaveCount(1);

  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(`**/v1/customers/${b.id}/subscriptions*`, async (route) => { await held; await route.continue(); });
  await page.evaluate((id) => { document.querySelector('partner-usage-dashboard').customerId = id; }, b.id);
  await expect(d.locator('[part="progress"]')).toBeVisible();
  // Loading B: nothing of A's is left to read or click.
  await expect(d.locator('[data-view]')).toHaveCount(0);
  await expect(d.locator('[part="content"]')).toHaveAttribute('aria-busy', 'true');
  release();
  await waitForView(page, 'subscriptions');
  await expect(d.locator(`tr[data-subscription-id="${b.subscriptions[0].id}"]`)).toHaveCount(1);
  await expect(d.locator('[part="content"]')).not.toHaveAttribute('aria-busy', 'true');
});

test('a customer\'s subscriptions still show when the customers\' summary is refused', async ({ page, request }) => {
  const t = await truth(request);
  const c = azurePlanCustomer(t);
  await page.route('**/v1/customers/usagerecords*', (route) => route.fulfill(pcError(403, 900_128, 'App-only tokens are not allowed')));
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  await expect(d.locator('table[data-table="subscriptions"] tbody tr')).toHaveCount(c.subscriptions.length);
  // A note, not an alert: the view is there, without spend and budget.
  // Said once through the dashboard's live region, not by a role of its own.
  const note = d.locator('[part="notice"]');
  await expect(note).not.toHaveAttribute('role');
  await expect(d.locator('.root > [aria-live="polite"][aria-atomic="true"]')).toHaveText('Spend and budget could not be loaded; showing the subscriptions only. Partner Center denied access');
  await expect(note).toContainText('Spend and budget could not be loaded');
  await expect(note.locator('.meta')).toContainText('HTTP 403');
  await expect(note.locator('.meta')).toContainText('900128');
  await expect(d.locator('[part="error"]')).toHaveCount(0);
});

test('no usage is not claimed when some subscriptions\' costs failed to load', async ({ page, request }) => {
  const t = await truth(request);
  const c = t.customers.find((x) => x.subscriptions.filter((s) => s.kind === 'azurePlan').length >= 2);
  const [a, b] = c.subscriptions.filter((s) => s.kind === 'azurePlan');
  // One listing answers with no records, the other is refused.
  await page.route(`**/v1/customers/${c.id}/subscriptions/${a.id}/resourceusagerecords*`, (route) => route.fulfill({
    status: 200, contentType: 'application/json',
    body: JSON.stringify({ totalCount: 0, items: [], links: {}, attributes: { objectType: 'Collection' } }),
  }));
  await page.route(`**/v1/customers/${c.id}/subscriptions/${b.id}/resourceusagerecords*`, (route) => route.fulfill(pcError(403, 900_128, 'Denied')));
  // And the customer's spend says nothing either (0), as a new tenant's would.
  await page.route('**/v1/customers/usagerecords*', async (route) => {
    const body = await (await route.fetch()).json();
    for (const r of body.items) if (r.id === c.id) Object.assign(r, { totalCost: 0, usdTotalCost: 0 });
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  await expect(d.locator('[part="notice"]')).toBeVisible();
  await expect(d.locator('.empty')).toHaveCount(0);
  await expect(d.locator('table[data-table="subscriptions"] tbody tr')).toHaveCount(c.subscriptions.length);
});

test('a refresh that fails keeps the names it knew in the title and breadcrumb, not ids', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacySub(t);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const title = d.locator('[part="title"]');
  const crumbs = d.locator('[part="breadcrumb"] li');
  await expect(crumbs.nth(1)).toHaveText(c.name);
  const subName = await title.textContent();
  expect(subName).not.toContain(s.id);
  await page.evaluate(() => {
    document.querySelector('partner-usage-dashboard').clientOptions = { maxRetries: 0 };
  });
  await page.route('**/v1/customers**', (route) => route.fulfill(pcError(503, 503, 'Service unavailable')));
  await d.evaluate((el) => el.refresh());
  await expect(d.locator('[part="error"] .headline')).toHaveText('Partner Center had a problem');
  await expect(title).toHaveText(subName);
  await expect(crumbs.nth(1)).toHaveText(c.name);
  await expect(crumbs.nth(2)).toHaveText(subName);
  // Another sign-in (maybe another tenant): the names seen are forgotten.
  await d.evaluate((el) => { el.getToken = async () => 'another-token'; });
  await expect(crumbs.nth(1)).toHaveText(c.id);
  await expect(title).toHaveText(s.id);
});

test('the error banner says what to do, keeps the library\'s words for support, and is announced once', async ({ page, request }) => {
  let correlationId = null;
  await page.route('**/v1/customers/usagerecords*', (route) => {
    correlationId = route.request().headers()['ms-correlationid'];
    return route.fulfill(pcError(403, 900_128, 'Access denied'));
  });
  await openDemo(page);
  const d = dash(page);
  const banner = d.locator('[part="error"]');
  await expect(banner).toHaveAttribute('role', 'alert');
  await expect(banner.locator('.headline')).toHaveText('Partner Center denied access');
  await expect(banner.locator('.hint')).toHaveText('Ask your Partner Center administrator for access to this data.');
  await expect(banner.locator('.meta')).toContainText('req-403-900128');
  // The library's own message sits under "Details for support", closed.
  const details = banner.locator('details');
  await expect(details.locator('summary')).toHaveText('Details for support');
  await expect(details.locator('.message')).toBeHidden();
  await details.locator('summary').click();
  await expect(details.locator('.message')).toContainText('403');
  // With the listing's correlation id, which support asks for too.
  expect(correlationId).toBeTruthy();
  await expect(details.locator('.correlation')).toHaveText(`Correlation ID ${correlationId}`);

  // Redraws for other reasons keep the same banner: no second alert.
  await banner.evaluate((el) => { window.firstBanner = el; });
  await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    el.setAttribute('theme', 'dark');
    el.setAttribute('currency-display', 'usd');
    el.setAttribute('locale', 'de-DE');
  });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(banner).toBeVisible();
  expect(await page.evaluate(() => window.firstBanner.isConnected)).toBe(true);
  await expect(d.locator('[role="alert"]')).toHaveCount(1);
});

test('headlines follow the cause: throttling, a server fault, no connection, a failing getToken', async ({ page, request }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const banner = d.locator('[part="error"]');
  await page.evaluate(() => {
    document.querySelector('partner-usage-dashboard').clientOptions = { maxRetries: 1, retry: { baseDelayMs: 10, maxDelayMs: 20 } };
  });

  // Retried 429s: throttling, not "kept failing".
  await page.route('**/v1/customers/usagerecords*', (route) => route.fulfill({ ...pcError(429, 429, 'Too many requests'), headers: { 'Retry-After': '0' } }));
  await d.evaluate((el) => el.refresh());
  await expect(banner.locator('.headline')).toHaveText('Partner Center is throttling requests');
  await expect(banner.locator('.hint')).toHaveText('Partner Center is busy or unavailable. Try again in a few minutes.');

  await page.unroute('**/v1/customers/usagerecords*');
  await page.route('**/v1/customers/usagerecords*', (route) => route.fulfill(pcError(503, 503, 'Service unavailable')));
  await d.evaluate((el) => el.refresh());
  await expect(banner.locator('.headline')).toHaveText('Partner Center had a problem');

  // A 404 on the customers' list, the root listing: the address is wrong
  // (a proxy or a page server answered), nothing was removed.
  await page.unroute('**/v1/customers/usagerecords*');
  await page.route('**/v1/customers/usagerecords*', (route) => route.fulfill({ status: 404, contentType: 'text/html', body: '<h1>Not Found</h1>' }));
  await d.evaluate((el) => el.refresh());
  await expect(banner.locator('.headline')).toHaveText('Not found in Partner Center');
  await expect(banner.locator('.hint')).toHaveText('Check the base-url attribute: that address may not serve Partner Center’s /v1/ API.');

  // The same mistake as a single-page app's server makes it: its own page,
  // with 200, for every path.
  await page.unroute('**/v1/customers/usagerecords*');
  await page.route('**/v1/customers/usagerecords*', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>My portal</title>' }));
  await d.evaluate((el) => el.refresh());
  await expect(banner.locator('.headline')).toHaveText('Partner Center sent data that could not be read');
  await expect(banner.locator('.hint')).toHaveText('Check the base-url attribute: that address may not serve Partner Center’s /v1/ API.');
  await expect(banner.locator('details .message')).toContainText('HTML or XML page instead of JSON', { useInnerText: false });

  // No answer, online: the connection, not "kept failing" (a proxy that is
  // down; the request id is the one sent).
  await page.unroute('**/v1/customers/usagerecords*');
  await page.route('**/v1/customers/usagerecords*', (route) => route.abort('connectionrefused'));
  await d.evaluate((el) => el.refresh());
  await expect(banner.locator('.headline')).toHaveText('Could not reach Partner Center');
  await expect(banner.locator('.hint')).toHaveText('Check your internet connection, then choose Retry.');

  // Answers cut off midway (the simulator drops the connection inside the
  // body): said so, with the status they came with.
  await page.unroute('**/v1/customers/usagerecords*');
  await sim(request, { faultRate: 1, faults: ['truncated'] });
  await d.evaluate((el) => el.refresh());
  await expect(banner.locator('.headline')).toHaveText('Partner Center’s answers kept breaking off midway');
  await expect(banner.locator('.meta')).toContainText('HTTP 200');
  await sim(request);

  await page.context().setOffline(true);
  await d.evaluate((el) => el.refresh());
  await expect(banner.locator('.headline')).toHaveText('Could not reach Partner Center');
  await expect(banner.locator('.hint')).toHaveText('Check your internet connection, then choose Retry.');
  await page.context().setOffline(false);

  await page.evaluate(() => {
    document.querySelector('partner-usage-dashboard').getToken = async () => { throw new Error('session expired'); };
  });
  await d.evaluate((el) => el.refresh());
  await expect(banner.locator('.headline')).toHaveText('Could not get a Partner Center sign-in');
  await expect(banner.locator('.hint')).toHaveText('Sign in again, then choose Retry.');
  await expect(banner.locator('details .message')).toContainText('session expired', { useInnerText: false });

  // A 404 below the root: that customer may be gone.
  await page.evaluate(() => {
    document.querySelector('partner-usage-dashboard').getToken = async () => 'token';
  });
  await d.evaluate((el) => { el.customerId = '00000000-0000-4000-8000-000000000000'; el.view = 'subscriptions'; });
  await expect(banner.locator('.headline')).toHaveText('Not found in Partner Center');
  await expect(banner.locator('.hint')).toHaveText('It may have been removed, or the link is out of date.');
});

test('a wasm module that does not load: the dashboard could not start (not "Partner Center"), the details say where and why, and Retry loads it once it is served', async ({ page }) => {
  // A dev server's fallback page where the .wasm should be.
  await page.route('**/dist/npm/partner_usage_bg.wasm', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>My portal</title>' }));
  const errors = [];
  await page.exposeFunction('puError', (e) => errors.push(e));
  await page.goto('/tests/pages/blank.html');
  await page.evaluate(async (token) => {
    await import('/dist/npm/dashboard.js');
    const d = document.createElement('partner-usage-dashboard');
    d.setAttribute('base-url', '/');
    d.setAttribute('routing', 'none');
    d.getToken = async () => token;
    d.addEventListener('pu-error', (ev) => window.puError({ name: ev.detail.error?.name, kind: ev.detail.error?.kind, status: ev.detail.error?.status }));
    document.body.append(d);
  }, 'token');
  const d = dash(page);
  const banner = d.locator('[role="alert"]');
  await expect(banner.locator('.headline')).toHaveText('The dashboard could not start');
  await expect(banner.locator('.hint')).toHaveText('Reload the page. If this keeps happening, pass the details below to your portal’s administrator.');
  await expect(banner.locator('details .message')).toContainText('partner_usage_bg.wasm: the server answered 200 with text/html', { useInnerText: false });
  await expect(banner.locator('details .message')).toContainText("optimizeDeps: { exclude: ['partner-usage'] }", { useInnerText: false });
  // The host is told with the library's own error.
  expect(errors[0]).toEqual({ name: 'PartnerCenterError', kind: 'decode', status: 200 });

  await page.unroute('**/dist/npm/partner_usage_bg.wasm');
  await banner.getByRole('button', { name: 'Retry' }).click();
  await waitForView(page, 'customers');
  await expect(banner).toHaveCount(0);
});

test('a view set up without its customer says so, and keeps nothing of the view before, in viewData either', async ({ page }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  expect(Object.keys((await viewData(page)).charts)).toContain('top');
  const d = dash(page);
  await d.evaluate((el) => { el.setAttribute('routing', 'none'); el.customerId = null; el.view = 'subscriptions'; });
  await expect(d.locator('[part="error"], .banner').first()).toContainText('Choose a customer first.');
  await expect(d.locator('canvas')).toHaveCount(0);
  expect((await viewData(page)).charts).toEqual({});
});

test('no base-url: no token is asked for, and the element says it is not configured', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  await page.evaluate(async () => {
    await import('/dist/npm/dashboard.js');
    window.asked = 0;
    window.errors = [];
    document.addEventListener('pu-error', (e) => window.errors.push(e.detail.error.kind));
    const d = document.createElement('partner-usage-dashboard');
    d.setAttribute('routing', 'none');
    d.getToken = async () => { window.asked++; return 'x'; };
    document.body.append(d);
  });
  await expect(dash(page).locator('[part="error"]')).toBeVisible();
  expect(await page.evaluate(() => [window.asked, window.errors])).toEqual([0, ['not-configured']]);
});

test('data says how old it is, and is fetched again after 15 minutes', async ({ page }) => {
  await page.clock.install();
  let asked = 0;
  await page.route('**/v1/customers/usagerecords*', (route) => { asked++; return route.continue(); });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  const asOf = d.locator('[part="as-of"]');
  await expect(asOf).toHaveText(/^Data as of \d{1,2}:\d{2}/);
  const first = await asOf.textContent();
  expect(asked).toBe(1);

  // A drill-down and back within the quarter hour: the same data.
  const row = d.locator('table[data-table="customers"] tbody tr').first();
  await row.locator('.link').click();
  await waitForView(page, 'subscriptions');
  await page.goBack();
  await waitForView(page, 'customers');
  expect(asked).toBe(1);
  await expect(asOf).toHaveText(first);

  // Later: fetched again, and the time says so.
  await page.clock.fastForward('16:00');
  await d.locator('table[data-table="customers"] tbody tr').first().locator('.link').click();
  await waitForView(page, 'subscriptions');
  await page.goBack();
  await waitForView(page, 'customers');
  expect(asked).toBe(2);
  await expect(asOf).not.toHaveText(first);
});

test('"no data yet" is asked again once Partner Center\'s Retry-After has passed', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacySub(t);
  await page.clock.install();
  let noData = true;
  let asked = 0;
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*`, (route) => {
    asked++;
    return noData ? route.fulfill({ status: 204, headers: { 'Retry-After': '60' } }) : route.continue();
  });
  await openDemo(page, { hash: `view=subscriptions&customer=${c.id}` });
  await waitForView(page, 'subscriptions');
  const d = dash(page);
  const openUtilization = () => d.locator(`tr[data-subscription-id="${s.id}"] th .link`).click();
  await openUtilization();
  await expect(d.locator('[data-view="utilization"]')).toContainText('suggests asking again');
  expect(asked).toBe(1);
  noData = false;
  // Within the minute: the answer stands (no request).
  await page.goBack();
  await waitForView(page, 'subscriptions');
  await openUtilization();
  await expect(d.locator('[data-view="utilization"]')).toContainText('suggests asking again');
  expect(asked).toBe(1);
  // After it: asked again, and the data shows.
  await page.clock.fastForward('01:05');
  await page.goBack();
  await waitForView(page, 'subscriptions');
  await openUtilization();
  await waitForView(page, 'utilization');
  expect(asked).toBeGreaterThan(1);
  await expect(d.locator('[data-view="utilization"]')).not.toContainText('suggests asking again');
});

test('a failed load of the same view keeps its controls on screen, marked out of date', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacySub(t);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const asOf = d.locator('[part="as-of"]');
  const shownAsOf = await asOf.textContent();
  expect(shownAsOf).toMatch(/\d/);
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*`, async (route) => {
    await held;
    await route.fulfill(pcError(400, 400_003, 'Invalid start time'));
  });
  await d.evaluate((el) => { el.refresh(); });
  const content = d.locator('[part="content"]');
  // Loading: the old numbers stay, dimmed and busy.
  await expect(content).toHaveClass(/\bstale\b/);
  await expect(content).toHaveAttribute('aria-busy', 'true');
  release();
  await expect(d.locator('[part="error"]')).toBeVisible();
  // Failed: still dimmed, no longer busy, and the date fields are there to change.
  await expect(content).toHaveClass(/\bstale\b/);
  await expect(content).not.toHaveAttribute('aria-busy', 'true');
  await expect(d.locator('input[data-control="from"]')).toBeVisible();
  // The numbers kept on screen still say how old they are.
  await expect(asOf).toHaveText(shownAsOf);
  // Another language redraws them in its words, still out of date.
  const daily = d.locator('button[data-granularity="daily"]');
  await expect(daily).toHaveText('Daily');
  await d.evaluate((el) => { el.lang = 'de'; });
  await expect(daily).toHaveText('Täglich');
  await expect(content).toHaveClass(/\bstale\b/);
  await expect(d.locator('[part="error"]')).toBeVisible();
  await expect(d.locator('canvas').first()).toBeVisible();
  await d.evaluate((el) => { el.lang = 'en'; });
  await expect(daily).toHaveText('Daily');
  // Another view's numbers have their own age, or none while they load.
  await d.evaluate((el) => { el.view = 'subscriptions'; el.subscriptionId = null; });
  await waitForView(page, 'subscriptions');
  await expect(asOf).toHaveCount(1);
});

test('content kept after a failed change of options is redrawn with its own options, and a redraw during another view\'s load keeps the skeleton', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacySub(t);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  const windowCard = d.locator('.card', { hasText: 'Window' });
  const shown = await windowCard.textContent();
  const rows = async () => (await viewData(page)).summary.bucketStarts.length;
  const buckets = await rows();
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*`, (route) => route.fulfill(pcError(400, 400_003, 'Invalid start time')));
  // A shorter window asked for, and refused: the old one stays, out of date.
  const from = d.locator('input[data-control="from"]');
  const st = (await viewData(page)).state;
  const later = new Date(Date.parse(`${st.from}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10);
  await from.fill(later);
  await from.press('Enter');
  await expect(d.locator('[part="error"]')).toBeVisible();
  expect((await viewData(page)).state.from).toBe(later);
  // A theme change redraws it: still the dates it was loaded for.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => d.evaluate((el) => el.charts.values().next().value?.o.theme.text)).not.toBe('#1f2328');
  await expect(windowCard).toHaveText(shown);
  await expect(d.locator('[part="content"]')).toHaveClass(/\bstale\b/);
  await expect(d.locator('[part="error"]')).toBeVisible();
  expect(await d.locator('[data-panel]').count()).toBeGreaterThan(0);
  expect(buckets).toBeGreaterThan(5);

  // Another view loading (the subscriptions, held): a language change
  // redraws the header, and the skeleton stays, not the last view's content.
  await page.unrouteAll();
  await d.evaluate((el) => { el.lang = 'en'; });
  let release;
  const held = new Promise((r) => { release = r; });
  const other = t.customers.find((x) => x.id !== c.id);
  await page.route(`**/v1/customers/${other.id}/subscriptions*`, async (route) => { await held; await route.continue(); });
  await d.evaluate((el, id) => { el.subscriptionId = null; el.customerId = id; el.view = 'subscriptions'; }, other.id);
  await expect(d.locator('.skeleton')).toHaveCount(1);
  await d.evaluate((el) => { el.lang = 'de'; });
  await page.waitForTimeout(300);
  await expect(d.locator('.skeleton')).toHaveCount(1);
  await expect(d.locator('[data-view="utilization"]')).toHaveCount(0);
  release();
  await waitForView(page, 'subscriptions');
  // The same from a view loaded (not left over from a failure).
  let release2;
  const held2 = new Promise((r) => { release2 = r; });
  const third = t.customers.find((x) => x.id !== c.id && x.id !== other.id);
  await page.route(`**/v1/customers/${third.id}/subscriptions*`, async (route) => { await held2; await route.continue(); });
  await d.evaluate((el, id) => { el.customerId = id; }, third.id);
  await expect(d.locator('.skeleton')).toHaveCount(1);
  await d.evaluate((el) => { el.lang = 'en'; });
  await page.waitForTimeout(300);
  await expect(d.locator('.skeleton')).toHaveCount(1);
  await expect(d.locator('[data-view="subscriptions"]')).toHaveCount(0);
  release2();
  await waitForView(page, 'subscriptions');
});

test('a utilization window cancelled on its first load keeps its controls, so a shorter window can be chosen', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacySub(t);
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*`, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  const d = dash(page);
  await d.locator('button[data-action=cancel]').click();
  await expect(d.locator('.banner')).toHaveAttribute('data-kind', 'aborted');
  // No data, no empty state: the controls, to ask for less.
  const from = d.locator('input[data-control="from"]');
  await expect(from).toBeVisible();
  await expect(d.locator('button[data-granularity="daily"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(d.locator('.empty, canvas')).toHaveCount(0);
  expect((await viewData(page)).summary).toBeNull();
  // Another language redraws the controls in its words (still no data).
  await d.evaluate((el) => { el.lang = 'de'; });
  await expect(d.locator('button[data-granularity="daily"]')).toHaveText('Täglich');
  await expect(d.locator('.empty, canvas')).toHaveCount(0);
  await d.evaluate((el) => { el.lang = 'en'; });
  await expect(d.locator('button[data-granularity="daily"]')).toHaveText('Daily');
  // A shorter window loads at once.
  release();
  await page.unrouteAll();
  const st = (await viewData(page)).state;
  const shorter = new Date(Date.parse(`${st.to}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
  await from.fill(shorter);
  await from.press('Enter');
  await waitForView(page, 'utilization');
  expect((await viewData(page)).state.from).toBe(shorter);
  await expect(d.locator('.banner[data-kind="aborted"]')).toHaveCount(0);
});

test('a subscription with no hourly data: Hourly says so and points to daily, which has the usage', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = t.customers.flatMap((c) => c.subscriptions.filter((s) => s.kind === 'legacy' && s.utilizationRecords > 100 && !s.hourlyData).map((s) => ({ c, s })))[0];
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}&granularity=hourly` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  // Said as hourly data missing, not as usage missing (a wider window wouldn't help).
  await expect(d.locator('.empty .headline')).toHaveText('No hourly data in this window');
  await expect(d.locator('.empty')).toContainText('It often has daily data where hourly data isn’t available.');
  await expect(d.locator('.empty')).not.toContainText('wider');
  await expect(d.locator('[part="error"]')).toHaveCount(0);
  // One step to the daily data, focus on the Daily toggle.
  await d.getByRole('button', { name: 'Show daily data' }).click();
  await expect(d.locator('[data-panel] canvas').first()).toBeVisible();
  await expect(d.locator('button[data-granularity="daily"]')).toBeFocused();
  await expect(d.locator('button[data-granularity="daily"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(d.locator('.empty')).toHaveCount(0);
  expect((await viewData(page)).summary.records).toBeGreaterThan(0);
});

test('the Daily/Hourly toggle says the new choice, Hourly with Hour buckets, while that window loads', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacySub(t);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}` });
  await waitForView(page, 'utilization');
  const d = dash(page);
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*granularity=hourly*`, async (route) => {
    await held;
    await route.continue();
  });
  const daily = d.locator('button[data-granularity="daily"]');
  const hourly = d.locator('button[data-granularity="hourly"]');
  await expect(daily).toHaveAttribute('aria-pressed', 'true');
  await hourly.click();
  // Still loading, the old (daily) numbers dimmed: the toggle already says hourly.
  await expect(d.locator('[part="content"]')).toHaveAttribute('aria-busy', 'true');
  await expect(hourly).toHaveAttribute('aria-pressed', 'true');
  await expect(daily).toHaveAttribute('aria-pressed', 'false');
  // Hourly data is for hours: the bucket says "Hour" at once too.
  await expect(d.locator('select[data-control="bucket"]')).toHaveValue('hour');
  // Daily again before hourly has loaded: back to daily, and day buckets.
  await daily.click();
  await expect(daily).toHaveAttribute('aria-pressed', 'true');
  await expect(d.locator('select[data-control="bucket"]')).toHaveValue('day');
  expect(await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.state)).toMatchObject({ granularity: 'daily', bucket: 'day' });
  await waitForView(page, 'utilization');
  await hourly.click();
  await expect(d.locator('select[data-control="bucket"]')).toHaveValue('hour');
  release();
  await expect(d.locator('[part="content"]')).not.toHaveAttribute('aria-busy', 'true');
  await expect(d.locator('button[data-granularity="hourly"]')).toHaveAttribute('aria-pressed', 'true');
  expect(await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.state)).toMatchObject({ granularity: 'hourly', bucket: 'hour' });
  expect(await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.summary.bucket)).toBe('hour');

  // Back to daily from hourly buckets (over a window whose daily data isn't
  // cached): the bucket says "Day" while the daily window loads.
  const st = await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.state);
  const from = new Date(Date.parse(`${st.to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  await d.locator('input[data-control="from"]').fill(from);
  await d.locator('input[data-control="from"]').press('Enter');
  await expect.poll(() => page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.window?.startTime)).toBe(`${from}T00:00:00Z`);
  await d.locator('select[data-control="bucket"]').selectOption('hour');
  await expect.poll(() => page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.summary?.bucket)).toBe('hour');
  let releaseDaily;
  const heldDaily = new Promise((r) => { releaseDaily = r; });
  await page.unrouteAll();
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*granularity=daily*`, async (route) => {
    await heldDaily;
    await route.continue();
  });
  await d.locator('button[data-granularity="daily"]').click();
  await expect(d.locator('[part="content"]')).toHaveAttribute('aria-busy', 'true');
  await expect(d.locator('button[data-granularity="daily"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(d.locator('select[data-control="bucket"]')).toHaveValue('day');
  await expect(d.locator('select[data-control="bucket"] option[value="hour"]')).toHaveCount(0);
  releaseDaily();
  await expect(d.locator('[part="content"]')).not.toHaveAttribute('aria-busy', 'true');
  expect(await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.state.bucket)).toBe('day');
});

test('a date that isn\'t a plausible day (a half-typed year) gives way to the default window', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacySub(t);
  await openDemo(page, { hash: `view=utilization&customer=${c.id}&subscription=${s.id}&from=0002-10-27&to=2026-02-30` });
  await waitForView(page, 'utilization');
  const vd = await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData.state);
  expect(vd.from).toMatch(/^20\d\d-\d\d-\d\d$/);
  expect(vd.to).toMatch(/^20\d\d-\d\d-\d\d$/);
  expect(vd.to).not.toBe('2026-02-30');
  await expect(dash(page).locator('[part="error"]')).toHaveCount(0);
});

test('a slow drill-down moves focus to the title at once, and leaves it where the reader went', async ({ page, request }) => {
  const t = await truth(request);
  const c = azurePlanCustomer(t);
  // Short enough that the row is far below the title.
  await page.setViewportSize({ width: 1280, height: 500 });
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  let release;
  let held = new Promise((r) => { release = r; });
  await page.route(`**/v1/customers/${c.id}/subscriptions*`, async (route) => { await held; await route.continue(); });
  await d.getByLabel('Filter customers').fill(c.name);
  await expect(d.locator('tr[data-customer-id]')).toHaveCount(1);
  const row = d.locator(`tr[data-customer-id="${c.id}"] .link`);
  await row.scrollIntoViewIfNeeded();
  const titleTop = () => d.locator('[part="title"]').evaluate((el) => el.getBoundingClientRect().top);
  expect(await titleTop()).toBeLessThan(0);
  await row.press('Enter');
  await expect(d.locator('[part="progress"]')).toBeVisible();
  const focused = () => page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    const a = el.shadowRoot.activeElement;
    return a ? a.getAttribute('part') || a.tagName : document.activeElement?.tagName;
  });
  expect(await focused()).toBe('title');
  // In sight while it loads, its focus ring too.
  expect(await titleTop()).toBeGreaterThanOrEqual(0);
  release();
  await waitForView(page, 'subscriptions');
  expect(await focused()).toBe('title');

  // Back, then again slowly: this time the reader moves on (to the page) while it loads.
  await page.goBack();
  await waitForView(page, 'customers');
  await page.unroute(`**/v1/customers/${c.id}/subscriptions*`);
  held = new Promise((r) => { release = r; });
  await page.route(`**/v1/customers/${c.id}/subscriptions*`, async (route) => { await held; await route.continue(); });
  await d.evaluate((el) => el.refresh());
  await waitForView(page, 'customers');
  // The reload is over, and the filter has narrowed the table to the one
  // row, before the row is pressed: a keypress on a row being replaced was
  // lost once in a full run.
  await expect(d.locator('[part="content"]')).not.toHaveAttribute('aria-busy', 'true');
  await d.getByLabel('Filter customers').fill(c.name);
  await expect(d.locator('tr[data-customer-id]')).toHaveCount(1);
  // A click this time (the keyboard's Enter is the first part's): a
  // keypress could land elsewhere if a late redraw moved focus first.
  await d.locator(`tr[data-customer-id="${c.id}"] .link`).click();
  await expect(d.locator('[part="progress"]')).toBeVisible();
  await page.locator('#seed').focus();
  release();
  await waitForView(page, 'subscriptions');
  expect(await focused()).toBe('INPUT');
  expect(await page.evaluate(() => document.activeElement.id)).toBe('seed');
});

test('the progress bar is the bar alone; Cancel beside it stays a button', async ({ page }) => {
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/v1/customers/usagerecords*', async (route) => { await held; await route.continue(); });
  await openDemo(page);
  const d = dash(page);
  const progress = d.locator('[part="progress"]');
  await expect(progress).toBeVisible();
  const bar = progress.locator('[role="progressbar"]');
  await expect(bar).toHaveAttribute('aria-label', 'Loading customer usage');
  await expect(bar.locator('button')).toHaveCount(0);
  await expect(progress.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuetext', /Loading customer usage: \d+ pages?/);
  release();
  await waitForView(page, 'customers');
});

test('at most two utilization windows are kept: a third one drops the oldest', async ({ page, request }) => {
  const t = await truth(request);
  const { c, s } = legacySub(t);
  const windows = [];
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/utilizations/azure*`, (route) => {
    const u = new URL(route.request().url());
    if (u.searchParams.get('start_time')) windows.push(u.searchParams.get('start_time').slice(0, 10));
    return route.continue();
  });
  const open = async (from) => {
    await page.evaluate((h) => { location.hash = h; }, `view=utilization&customer=${c.id}&subscription=${s.id}&from=${from}&to=2026-11-20`);
    await page.waitForFunction((f) => {
      const vd = document.querySelector('partner-usage-dashboard').viewData;
      return vd && !vd.loading && vd.summary && vd.state.from === f;
    }, from);
  };
  await openDemo(page);
  await waitForView(page, 'customers');
  await open('2026-11-01');
  await open('2026-11-02');
  await open('2026-11-01'); // kept
  expect(windows).toEqual(['2026-11-01', '2026-11-02']);
  await open('2026-11-03'); // drops 11-02, the least recently used
  await open('2026-11-01'); // still kept
  await open('2026-11-02'); // fetched again
  expect(windows).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-02']);
});

test('a subscription with many resource groups: the chart draws 25 and "Others", the breakdown every one', async ({ page, request }) => {
  const t = await truth(request);
  const c = azurePlanCustomer(t);
  const s = c.subscriptions.find((x) => x.kind === 'azurePlan' && x.resourceRecords > 0);
  // Each record copied into 60 resource groups of its own.
  await page.route(`**/v1/customers/${c.id}/subscriptions/${s.id}/resourceusagerecords*`, async (route) => {
    const res = await route.fetch();
    if (res.status() !== 200) return route.fulfill({ response: res });
    const body = await res.json();
    body.items = body.items.flatMap((r) => Array.from({ length: 60 }, (_, i) => ({
      ...r,
      resourceGroupName: `rg-${String(i).padStart(2, '0')}`,
      resourceUri: `/subscriptions/${s.id}/resourceGroups/rg-${String(i).padStart(2, '0')}/providers/${r.resourceType}/r${i}`,
    })));
    body.totalCount = body.items.length;
    return route.fulfill({ response: res, json: body });
  });
  await openDemo(page, { hash: `view=resources&customer=${c.id}&subscription=${s.id}&group=resource-group&then=none` });
  await waitForView(page, 'resources');
  const d = dash(page);
  const vd = await page.evaluate(() => document.querySelector('partner-usage-dashboard').viewData);
  expect(vd.summary.groups.length).toBe(60);
  expect(vd.charts.groups.labels.length).toBe(26);
  expect(vd.charts.groups.labels[25]).toBe('Others (35)');
  await expect(d.locator('.card').nth(1).locator('.v')).toHaveText('60');
  await expect(d.locator('table[data-table="breakdown"] tbody tr')).toHaveCount(60);
});

test('a long Retry-After: the progress bar says why it retries and when the next try goes', async ({ page }) => {
  let answers = 0;
  await page.route('**/v1/customers/usagerecords*', (route) => {
    answers += 1;
    return answers === 1
      ? route.fulfill({ ...pcError(503, 503, 'Service unavailable'), headers: { 'Retry-After': '0' } })
      : route.fulfill({ ...pcError(429, 429, 'Too many requests'), headers: { 'Retry-After': '40' } });
  });
  await openDemo(page);
  const d = dash(page);
  const progress = d.locator('[part="progress"]');
  // The latest retry's cause: throttled, after the 503 before it.
  await expect(progress).toContainText(/2 retries · throttled · next try at \d{1,2}:\d{2}:\d{2}/);
  await expect(progress.locator('[role="progressbar"]')).toHaveAttribute('aria-valuetext', /throttled, next try at/);
  // In the dashboard's language.
  await d.evaluate((el) => { el.lang = 'de'; });
  await expect(progress).toContainText('gedrosselt');
  await d.locator('[data-action="cancel"]').click();
  await expect(d.locator('.banner')).toHaveAttribute('data-kind', 'aborted');
});
