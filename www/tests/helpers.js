// Shared helpers of the browser tests: a fixture that fails a test on CSP
// violations, page errors or dialogs; simulator control; exact decimal sums
// (BigInt, no f64) to compare what the dashboard shows with /sim/truth.
import { test as base, expect } from '@playwright/test';

export { expect };

export const TOKEN = 'test-token';

/** Watches every page for CSP violations, uncaught errors and dialogs. */
export const test = base.extend({
  guard: [async ({ page }, use) => {
    const problems = { csp: [], errors: [], dialogs: [], console: [] };
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    page.on('console', (m) => {
      const text = m.text();
      if (/Content.Security.Policy|Refused to/i.test(text)) problems.csp.push(text);
      if (m.type() === 'error') problems.console.push(text);
    });
    page.on('pageerror', (e) => problems.errors.push(String(e && e.stack ? e.stack : e)));
    page.on('dialog', async (d) => {
      problems.dialogs.push(`${d.type()}: ${d.message()}`);
      await d.dismiss();
    });
    await use(problems);
    const inPage = await page.evaluate(() => window.__csp || []).catch(() => []);
    expect(problems.csp.concat(inPage), 'no CSP violations').toEqual([]);
    expect(problems.errors, 'no uncaught page errors').toEqual([]);
    expect(problems.dialogs, 'no dialogs').toEqual([]);
  }, { auto: true }],
});

/**
 * Reconfigures the shared simulator (seed 7, 120 customers, no faults, no
 * latency, no report delay by default). pc-sim keeps any field not sent, so
 * every field a test may change is sent back to its default here.
 */
export async function sim(request, change = {}) {
  const r = await request.post('/sim/config', { data: { seed: 7, customers: 120, faultRate: 0, faults: [], latencyMs: 0, reportDelayHours: 0, ...change } });
  expect(r.ok()).toBeTruthy();
  return r.json();
}

export async function truth(request) {
  const r = await request.get('/sim/truth');
  expect(r.ok()).toBeTruthy();
  return r.json();
}

/**
 * Every item of a Partner Center listing, following `next` links with their
 * headers. `exact`: numbers stay the text Partner Center wrote (`JSON.parse`
 * would round `1485.7931545646297301451`).
 */
export async function listing(request, path, { exact = false } = {}) {
  const items = [];
  let url = path;
  let headers = {};
  for (let page = 0; page < 1000; page++) {
    const r = await request.get(url, { headers: { Authorization: `Bearer ${TOKEN}`, ...headers } });
    if (r.status() === 204) break;
    expect(r.status(), `${url}`).toBe(200);
    const body = exact
      ? JSON.parse((await r.text()).replace(/("[A-Za-z]+"\s*:\s*)(-?\d[\d.eE+-]*)/g, '$1"$2"'))
      : await r.json();
    items.push(...(body.items || []));
    const next = body.links && body.links.next;
    if (!next) break;
    url = '/v1/' + next.uri.replace(/^\//, '').replace(/^v1\//, '');
    headers = Object.fromEntries((next.headers || []).map((h) => [h.key, h.value]));
  }
  return items;
}

// ---- exact decimals ----

function parseDec(s) {
  const t = String(s).trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m) throw new Error(`not a decimal: ${s}`);
  let digits = (m[2] || '0') + (m[3] || '');
  let scale = (m[3] || '').length - (m[4] ? parseInt(m[4], 10) : 0);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const v = BigInt(digits);
  return { v: m[1] ? -v : v, scale };
}

function align(a, b) {
  const s = Math.max(a.scale, b.scale);
  return [a.v * 10n ** BigInt(s - a.scale), b.v * 10n ** BigInt(s - b.scale), s];
}

function fmtDec(v, scale) {
  const neg = v < 0n;
  let d = (neg ? -v : v).toString().padStart(scale + 1, '0');
  let out = scale ? `${d.slice(0, d.length - scale)}.${d.slice(d.length - scale)}` : d;
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return (neg && out !== '0' ? '-' : '') + out;
}

/** The exact sum of decimal strings (or numbers), as a normalised string. */
export function decSum(values) {
  let acc = { v: 0n, scale: 0 };
  for (const x of values) {
    if (x == null || x === '') continue;
    const [a, b, s] = align(acc, parseDec(x));
    acc = { v: a + b, scale: s };
  }
  return fmtDec(acc.v, acc.scale);
}

/** -1, 0 or 1. */
export function decCmp(x, y) {
  const [a, b] = align(parseDec(x), parseDec(y));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An ISO day as the dashboard writes it in en-US (`2026-10-28` → `Oct 28, 2026`). */
export function longDate(iso) {
  return new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

/** `cost / budget` in percent, exactly rounded half up to one decimal, as text (`303.0`). */
export function decPercent1(cost, budget) {
  const [c, b] = align(parseDec(cost), parseDec(budget));
  const tenths = (c * 2000n + b) / (2n * b); // round(c / b × 1000), c ≥ 0, b > 0
  return `${tenths / 10n}.${tenths % 10n}`;
}

/** The normalised text of a decimal (`1.50` → `1.5`). */
export function decNorm(x) {
  return decSum([x]);
}

/** a × b for a decimal string and an integer. */
export function decMulInt(x, n) {
  const d = parseDec(x);
  return fmtDec(d.v * BigInt(n), d.scale);
}

export function usd(value) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(value));
}

export function money(value, currency) {
  if (/^[A-Z]{3}$/.test(currency)) {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(value));
  }
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(value));
}

/** Budget status computed exactly from the truth, as the core defines it. */
export function budgetStatus(c) {
  if (c.budget == null) return 'no-budget';
  const cost = c.totalCost;
  const budget = String(c.budget);
  if (decCmp(budget, '0') <= 0) return decCmp(cost, budget) > 0 ? 'over' : 'under';
  if (decCmp(cost, budget) > 0) return 'over';
  if (decCmp(decMulInt(cost, 100), decMulInt(budget, 80)) >= 0) return 'near';
  return 'under';
}

/** The currency label the summaries use: `EUR`, or `legacy:fr-FR` for legacy customers. */
export function currencyLabel(c) {
  return c.currencyCode || (c.currencyLocale ? `legacy:${c.currencyLocale}` : 'unknown');
}

/** A hash for each view of the simulator's data: a customer with an Azure plan and a license, its plan subscription, a legacy subscription. */
export async function viewHashes(request) {
  const t = await truth(request);
  const plan = t.customers.find((c) => c.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords > 20)
    && c.subscriptions.some((s) => s.kind === 'license'));
  const sub = plan.subscriptions.find((s) => s.kind === 'azurePlan' && s.resourceRecords > 20);
  const legacy = t.customers.find((c) => c.subscriptions.some((s) => s.kind === 'legacy' && s.utilizationRecords > 1500));
  const lsub = legacy.subscriptions.find((s) => s.kind === 'legacy' && s.utilizationRecords > 1500);
  return {
    customers: '',
    subscriptions: `view=subscriptions&customer=${plan.id}`,
    resources: `view=resources&customer=${plan.id}&subscription=${sub.id}&group=resource-group&then=resource-type`,
    utilization: `view=utilization&customer=${legacy.id}&subscription=${lsub.id}`,
  };
}

// ---- the page ----

/** Opens the demo page (server mode, seed 7 unless given) at an optional hash. */
export async function openDemo(page, { query = '', hash = '' } = {}) {
  await page.goto(`/?seed=7${query ? `&${query}` : ''}${hash ? `#${hash}` : ''}`);
}

/** Waits until the dashboard shows `view` with its data loaded. */
export async function waitForView(page, view) {
  await page.waitForFunction((v) => {
    const d = document.querySelector('partner-usage-dashboard');
    const vd = d && d.viewData;
    return !!(vd && vd.view === v && !vd.loading && vd.summary && d.shadowRoot.querySelector(`[data-view="${v}"]`));
  }, view, { timeout: 20_000 });
}

export function dash(page) {
  return page.locator('partner-usage-dashboard');
}

export async function viewData(page) {
  return page.evaluate(() => {
    const vd = document.querySelector('partner-usage-dashboard').viewData;
    return JSON.parse(JSON.stringify(vd, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)));
  });
}

/** Rows of a table as arrays of cells: { text, value (data-value) }. */
export async function tableRows(locator, rows = 'tbody tr:not([hidden])') {
  return locator.locator(rows).evaluateAll((rows) => rows.map((tr) =>
    [...tr.children].map((c) => ({ text: c.textContent.trim(), value: c.getAttribute('data-value') }))));
}

/**
 * The first customer of the simulator's truth with a legacy subscription
 * of more than `min` utilization records, and that subscription.
 */
export function legacyWith(t, min) {
  const legacy = (s) => s.kind === 'legacy' && s.utilizationRecords > min;
  const c = t.customers.find((x) => x.subscriptions.some(legacy));
  return { c, s: c.subscriptions.find(legacy) };
}
