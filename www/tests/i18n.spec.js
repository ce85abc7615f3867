// The dashboard's words: the message catalogues (English, German, French,
// Japanese, Korean, Simplified and Traditional Chinese) and the `messages`
// property.
//
// The catalogues are checked against the English one and the types; the
// page test renders every view in Korean and looks for any English word
// left outside the data (names, ids, units and numbers from Partner Center).
import { readFile, readdir } from 'node:fs/promises';
import { test, expect, sim, truth, openDemo, waitForView, dash, legacyWith } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await sim(request);
});

const SRC = new URL('../src/', import.meta.url);
/** Every catalogue file but English's: dashboard-messages-<lang>.js. */
const LANGS = (await readdir(SRC))
  .map((f) => /^dashboard-messages-([A-Za-z-]+)\.js$/.exec(f)?.[1])
  .filter(Boolean)
  .sort();

async function catalogue(lang) {
  const file = lang === 'en' ? 'dashboard-messages.js' : `dashboard-messages-${lang}.js`;
  return (await import(new URL(file, SRC).href)).default;
}

/** `({ count, n }) => …` → ['count', 'n'] */
function params(fn) {
  const m = /^\s*\(\s*\{([^}]*)\}\s*\)\s*=>/.exec(String(fn));
  if (!m) return null;
  return m[1].split(',').map((p) => p.trim()).filter(Boolean);
}

/** The arguments the dashboard passes each entry, as dashboard-messages.d.ts declares them. */
async function declaredArgs() {
  const dts = await readFile(new URL('dashboard-messages.d.ts', SRC), 'utf8');
  const body = dts.slice(dts.indexOf('export interface DashboardMessages'));
  const out = new Map();
  for (const m of body.matchAll(/^ {2}(\w+): (?:\(args: \{ ([^}]*) \}\) => string|string);$/gm)) {
    out.set(m[1], m[2] ? m[2].split('; ').map((a) => a.split(':')[0]) : null);
  }
  return out;
}

/** Sample arguments: each text a marker that must come through, a count of 2. */
function sample(args, flag) {
  const o = {};
  for (const a of args) {
    if (a === 'n') o.n = 2;
    else if (['over', 'ascending', 'filtered', 'hourly'].includes(a)) o[a] = flag;
    else if (a === 'bucket') o.bucket = 'week';
    else o[a] = `⟨${a}⟩`;
  }
  return o;
}

test('every catalogue has every entry, of the type the dashboard calls, keeping what English shows', async () => {
  const en = await catalogue('en');
  const declared = await declaredArgs();
  // The types name exactly the English entries.
  expect([...declared.keys()].sort()).toEqual(Object.keys(en).sort());
  // Thousands of checks: gathered, then asserted once (and all listed if any fail).
  const problems = [];
  const check = (ok, what) => { if (!ok) problems.push(what); };
  for (const lang of ['en', ...LANGS]) {
    const m = await catalogue(lang);
    expect(Object.keys(m).sort(), lang).toEqual(Object.keys(en).sort());
    expect(m.lang, 'lang is its own tag').toBe(lang);
    for (const [key, english] of Object.entries(en)) {
      const where = `${lang}.${key}`;
      if (typeof m[key] !== typeof english) { problems.push(`${where} is a ${typeof m[key]}`); continue; }
      if (typeof english === 'string') {
        check(m[key].trim().length > 0, `${where} is empty`);
        continue;
      }
      const args = declared.get(key);
      if (!args) { problems.push(`${key} declares no arguments`); continue; }
      // A catalogue can only use arguments the dashboard passes.
      const used = params(m[key]);
      if (!used) { problems.push(`${where} does not take one object of named arguments`); continue; }
      for (const p of used) check(args.includes(p), `${where} uses "${p}", which the dashboard does not pass`);
      // What English shows (a count, a name, an amount), the translation shows too.
      for (const flag of [true, false]) {
        const out = m[key](sample(args, flag));
        const shown = en[key](sample(args, flag));
        if (typeof out !== 'string') { problems.push(`${where} returns a ${typeof out}`); continue; }
        for (const marker of shown.match(/⟨\w+⟩/g) || []) check(out.includes(marker), `${where} (${flag}) drops ${marker}: ${out}`);
      }
    }
  }
  expect(problems).toEqual([]);
});

/** Partner Center's name in Microsoft's own localisation of it, which each catalogue keeps to. */
const PARTNER_CENTER = {
  en: 'Partner Center', de: 'Partner Center', 'pt-BR': 'Partner Center', es: 'Centro de partners',
  fr: 'Espace partenaires', sv: 'Partnercenter', ja: 'パートナー センター', ko: '파트너 센터',
  'zh-Hans': '合作伙伴中心', 'zh-Hant': '合作夥伴中心',
};

test('every catalogue calls Partner Center by one name, the one Microsoft uses in that language', async () => {
  expect(Object.keys(PARTNER_CENTER).sort()).toEqual(['en', ...LANGS].sort());
  const en = await catalogue('en');
  const declared = await declaredArgs();
  const problems = new Set(); // a text said twice (both flags) is listed once
  for (const [lang, name] of Object.entries(PARTNER_CENTER)) {
    const m = await catalogue(lang);
    const others = [...new Set(Object.values(PARTNER_CENTER))].filter((n) => n !== name);
    let named = 0;
    for (const key of Object.keys(en)) {
      const texts = typeof m[key] === 'string' ? [m[key]]
        : [true, false].map((flag) => m[key](sample(declared.get(key) ?? [], flag)));
      for (const text of texts) {
        if (text.includes(name)) named += 1;
        for (const other of others) if (text.includes(other)) problems.add(`${lang}.${key} says "${other}", not "${name}"`);
      }
    }
    if (named === 0) problems.add(`${lang} never says "${name}"`);
  }
  expect([...problems]).toEqual([]);
});

/**
 * Latin words in the dashboard's own text (not in data): text nodes and the
 * labels assistive technology reads. Names, ids, units, codes and amounts
 * from Partner Center are left out (they are <bdi>, <code>, unit chips,
 * option values, number cells and id lines, and units wherever they are).
 */
async function ownLatinWords(page) {
  return page.evaluate(() => {
    const root = document.querySelector('partner-usage-dashboard').shadowRoot;
    const DATA = 'bdi, code, .unit-chip, option, td.num, .sub, .cell-sub, .badge.plain, .tip, .u-legend, .uplot .u-axis';
    const texts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest(DATA) || n.parentElement?.closest('[hidden]')) continue;
      texts.push(n.data);
    }
    for (const el of root.querySelectorAll('[aria-label], [title], [placeholder], [aria-roledescription], [aria-valuetext]')) {
      if (el.closest('td.num, .tip')) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'aria-roledescription', 'aria-valuetext']) {
        if (el.hasAttribute(a)) texts.push(el.getAttribute(a));
      }
    }
    // Units are Partner Center's text, and labels repeat them.
    const units = (document.querySelector('partner-usage-dashboard').viewData.summary?.series || []).map((x) => x.unit);
    const words = new Set();
    for (const t of texts) {
      const plain = units.reduce((acc, u) => acc.split(u).join(' '), t)
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '') // ids
        .replace(/\b[a-z]{2,3}-[A-Z]{2}\b/g, '') // legacy currency locales (fr-FR)
        .replace(/\bMS-AZR-\d{4}P\b/g, '') // the legacy offer's id
        .replace(/\b[A-Z]{1,3}(?=[$¥€£₩])/g, ''); // currency signs: US$, JP¥
      for (const w of plain.match(/[A-Za-z][A-Za-z-]*/g) || []) words.add(w);
    }
    return [...words].sort();
  });
}

// Product, format and key names, ISO currency codes, and the examples in
// placeholders: the same in every language.
const NAMES = new Set(['Azure', 'Microsoft', 'CSV', 'ID', 'HTTP', 'Enter', 'env', 'costCenter', 'Disk', 'prod']);
const isName = (w) => NAMES.has(w) || /^[A-Z]{3}$/.test(w);

test('in Korean every view speaks Korean, with lang="ko", and English comes back', async ({ page, request }) => {
  const t = await truth(request);
  const find = (kind, count) => {
    for (const c of t.customers) {
      const s = c.subscriptions.find((x) => x.kind === kind && x[count] > 0);
      if (s) return [c.id, s.id];
    }
    throw new Error(`no ${kind} subscription with ${count}`);
  };
  const [planCustomer, plan] = find('azurePlan', 'resourceRecords');
  const [legacyCustomer, legacy] = find('legacy', 'utilizationRecords');

  await openDemo(page, { query: 'locale=ko-KR' });
  await waitForView(page, 'customers');
  const d = dash(page);
  await expect(d.locator('h2.title')).toHaveText('고객 사용량');
  await expect(d.locator('.root')).toHaveAttribute('lang', 'ko');
  await expect(d.locator('table[data-table="customers"] thead th[data-sort="name"]')).toHaveText('고객');
  await expect(d.locator('[data-action="refresh"]')).toHaveAccessibleName('파트너 센터에서 새로 고침');
  const views = [
    ['customers', null],
    ['subscriptions', `view=subscriptions&customer=${planCustomer}`],
    ['resources', `view=resources&customer=${planCustomer}&subscription=${plan}&group=resource-group&then=resource-type`],
    ['subscriptions', `view=subscriptions&customer=${legacyCustomer}`],
    ['utilization', `view=utilization&customer=${legacyCustomer}&subscription=${legacy}`],
  ];
  for (const [view, hash] of views) {
    if (hash) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await waitForView(page, view);
    }
    const english = (await ownLatinWords(page)).filter((w) => !isName(w));
    expect(english, `English words left in the ${view} view`).toEqual([]);
  }
  // The table view of a chart, the tooltip's words and a chart's role too.
  await d.locator('[data-panel="unit-0"] .seg button').nth(1).click();
  await expect(d.locator('table[data-table="unit"] thead th').first()).toHaveText('구간');
  await expect(d.locator('[data-panel="unit-0"] .seg button').nth(1)).toHaveText('표');

  // The demo gives the element its locale as lang; without it, the page's English.
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').removeAttribute('lang'); });
  await expect(d.locator('.root')).toHaveAttribute('lang', 'en');
  await expect(d.locator('table[data-table="unit"] thead th').first()).toHaveText('Bucket');
});

/**
 * Text that sticks out: every text node's box against its card's right edge
 * (or the dashboard's), outside the regions that scroll sideways by design
 * (tables) and the charts' canvases and tooltips.
 */
async function overflowing(page) {
  return page.evaluate(() => {
    const root = document.querySelector('partner-usage-dashboard').shadowRoot;
    const edge = root.querySelector('.root').getBoundingClientRect().right;
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.data.trim() || !el || el.closest('.scroll, .chart-box, .tip, .sr-only, .skip:not(:focus), [hidden], option')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (!r.width) continue;
      const box = el.closest('.card, button');
      const limit = box ? box.getBoundingClientRect().right : edge;
      if (r.right > limit + 1) out.push(`${n.data.trim().slice(0, 40)} (${Math.round(r.right - limit)} px)`);
    }
    return out;
  });
}

test('every language fits a 360 px container: no word sticks out of its card, button or the dashboard', async ({ page, request }) => {
  test.setTimeout(120_000);
  const t = await truth(request);
  const plan = t.customers.find((c) => c.isUpgraded && c.budget != null && c.subscriptions.some((s) => s.kind === 'azurePlan' && s.resourceRecords > 0));
  const sub = plan.subscriptions.find((s) => s.kind === 'azurePlan' && s.resourceRecords > 0);
  const { c: legacy, s: lsub } = legacyWith(t, 0);
  const views = [
    ['subscriptions', `view=subscriptions&customer=${plan.id}`],
    ['resources', `view=resources&customer=${plan.id}&subscription=${sub.id}&group=resource-group&then=resource-type`],
    ['utilization', `view=utilization&customer=${legacy.id}&subscription=${lsub.id}`],
  ];
  // A locale for each catalogue; the demo gives the element its locale as lang.
  const TAGS = { en: 'en-US', de: 'de-DE', es: 'es-ES', fr: 'fr-FR', ja: 'ja-JP', ko: 'ko-KR', 'pt-BR': 'pt-BR', sv: 'sv-SE', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' };
  expect(Object.keys(TAGS).sort()).toEqual(['en', ...LANGS].sort());
  await page.setViewportSize({ width: 360, height: 740 });
  const problems = [];
  for (const [lang, tag] of Object.entries(TAGS)) {
    await openDemo(page, { query: `embed=1&locale=${tag}` });
    await waitForView(page, 'customers');
    for (const w of await overflowing(page)) problems.push(`${lang} customers: ${w}`);
    for (const [view, hash] of views) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await waitForView(page, view);
      for (const w of await overflowing(page)) problems.push(`${lang} ${view}: ${w}`);
    }
  }
  expect(problems).toEqual([]);
});

test('catalogueOf: a language tag picks its catalogue, Chinese by script', async () => {
  const { catalogueOf, languages } = await import(new URL('dashboard-words.js', SRC).href);
  // Every catalogue file can be reached by its language.
  expect(languages.slice().sort()).toEqual(['en', ...LANGS].sort());
  expect(LANGS.length).toBeGreaterThanOrEqual(9);
  const cases = {
    'ja-JP': 'ja', ja: 'ja', 'ko-KR': 'ko', 'de-AT': 'de', 'fr-CA': 'fr', 'en-GB': 'en', 'es-MX': 'es',
    'pt-BR': 'pt-BR', 'pt-PT': 'pt-BR', pt: 'pt-BR',
    'zh-CN': 'zh-Hans', zh: 'zh-Hans', 'zh-SG': 'zh-Hans', 'zh-TW': 'zh-Hant', 'zh-HK': 'zh-Hant', 'zh-Hant': 'zh-Hant',
    'sv-SE': 'sv', 'ar-EG': null, 'nl-NL': null, '': null, 'not a tag!': null,
  };
  for (const [tag, want] of Object.entries(cases)) expect(catalogueOf(tag), tag).toBe(want);
});

test('the words follow the language of the page or the element, and only that catalogue is fetched', async ({ page }) => {
  const fetched = [];
  page.on('request', (r) => { const m = /dashboard-messages(-[\w-]+)?\.js$/.exec(r.url()); if (m) fetched.push(m[1] || '-en'); });
  // Every title the dashboard ever shows, from its first render on.
  await page.addInitScript(() => {
    window.__titles = [];
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      new MutationObserver(() => {
        const t = root.querySelector('h2.title')?.textContent;
        if (t && window.__titles.at(-1) !== t) window.__titles.push(t);
      }).observe(root, { subtree: true, childList: true, characterData: true });
      return root;
    };
  });
  await page.goto('/tests/pages/lang.html');
  await waitForView(page, 'customers');
  const d = dash(page);
  // <html lang="ja">, no messages: Japanese, from the first frame on.
  await expect(d.locator('h2.title')).toHaveText('顧客の使用量');
  await expect(d.locator('.root')).toHaveAttribute('lang', 'ja');
  expect(await page.evaluate(() => window.__titles), 'never English first').toEqual(['顧客の使用量']);
  expect(fetched.filter((f) => f !== '-en')).toEqual(['-ja']);
  // The element's own lang wins over the page's.
  await page.evaluate(() => document.querySelector('partner-usage-dashboard').setAttribute('lang', 'ko-KR'));
  await expect(d.locator('h2.title')).toHaveText('고객 사용량');
  expect(fetched.filter((f) => f !== '-en')).toEqual(['-ja', '-ko']);
  // A few words of one's own go over the language's catalogue.
  await page.evaluate(() => { document.querySelector('partner-usage-dashboard').messages = { budgets: '예산 현황' }; });
  await expect(d.locator('.card .k').filter({ hasText: '예산 현황' })).toHaveCount(1);
  await expect(d.locator('h2.title')).toHaveText('고객 사용량');
  // A whole catalogue wins over the language.
  const de = await catalogue('de');
  await page.evaluate(async () => {
    document.querySelector('partner-usage-dashboard').messages = (await import('/dist/npm/dashboard-messages-de.js')).default;
  });
  await expect(d.locator('h2.title')).toHaveText(de.customerUsage);
  await expect(d.locator('.root')).toHaveAttribute('lang', 'de');
  // Without messages or its own lang, back to the page's Japanese.
  await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    el.messages = null;
    el.removeAttribute('lang');
  });
  await expect(d.locator('h2.title')).toHaveText('顧客の使用量');
});

test('a catalogue that does not arrive never holds the data back; its words follow when it does', async ({ page }) => {
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/dashboard-messages-ja\.js$/, async (route) => { await held; await route.continue(); });
  await page.goto('/tests/pages/lang.html');
  await waitForView(page, 'customers');
  const d = dash(page);
  await expect(d.locator('h2.title')).toHaveText('Customer usage');
  release();
  await expect(d.locator('h2.title')).toHaveText('顧客の使用量');
  await expect(d.locator('.root')).toHaveAttribute('lang', 'ja');
});

test('messages can change a few words, ignore entries of the wrong type, and word the error banner', async ({ page, request }) => {
  await openDemo(page);
  await waitForView(page, 'customers');
  const d = dash(page);
  await page.evaluate(() => {
    document.querySelector('partner-usage-dashboard').messages = {
      budgets: 'Budget status',
      overBudgetCount: ({ count, n }) => `${count} ${n === 1 ? 'customer' : 'customers'} over budget`,
      customers: 42, // not a string: ignored
      nope: 'not an entry', // unknown: ignored
    };
  });
  const budgets = d.locator('.card').filter({ hasText: 'Budget status' });
  await expect(budgets.locator('.k')).toHaveText('Budget status');
  await expect(budgets.locator('.v')).toHaveText(/^\d+ customers? over budget$/);
  await expect(d.locator('section[aria-label="Customers"] h3')).toHaveText('Customers');

  // A failure in Japanese: the headline and the button are the catalogue's,
  // the status and Partner Center's code stay as they are.
  const ja = (await catalogue('ja'));
  await sim(request, { faultRate: 1 });
  await page.evaluate(async () => {
    const el = document.querySelector('partner-usage-dashboard');
    el.messages = (await import('/dist/npm/dashboard-messages-ja.js')).default;
    el.clientOptions = { maxRetries: 0 };
    await el.refresh().catch(() => {});
  });
  const banner = d.locator('.banner.error');
  await expect(banner).toBeVisible();
  const headlines = Object.entries(ja).filter(([k]) => k.startsWith('error')).map(([, v]) => v);
  expect(headlines).toContain(await banner.locator('.headline').textContent());
  await expect(banner.locator('[data-action="retry"]')).toHaveText(ja.retry);
});
