// The views of <partner-usage-dashboard>: customers, a customer's
// subscriptions, a subscription's resources, a subscription's utilization.
//
// Each view is a function `(ctx, data) → Element`. `ctx` carries the locale,
// the words (`m`), the currency display, the theme colours, the view's state,
// per-view UI state (`ctx.ui`), `topN`, and callbacks (`navigate`, `set`,
// `rerender`, `retryFailed`, `errorBanner`, `announce`, `record`,
// `afterRender`, `chart`, `chartOf`, `dropCharts`, `bar`, `time`). Every value
// reaches the DOM through textContent or attributes (see dashboard-dom.js).

import { bidi, h, icon, replace, uid } from './dashboard-dom.js';
import * as f from './dashboard-format.js';

/** The catalogue entry naming each budget status. */
const STATUS_KEY = { over: 'statusOver', near: 'statusNear', unknown: 'statusUnknown', under: 'statusUnder', 'no-budget': 'statusNone' };
const statusLabel = (m, status) => m[STATUS_KEY[status]] || status;
/** A currency label in words: `SEK`, `legacy (fr-FR)`, `unknown`. */
function currencyName(m, label) {
  const locale = f.legacyLocale(label);
  if (locale) return m.legacyCurrency({ locale });
  return label || m.unknownCurrency;
}
const STATUS_RANK = { over: 0, near: 1, unknown: 2, under: 3, 'no-budget': 4 };
/**
 * Whether none of a customer's records had `totalCost` (`usdTotalCost`):
 * its cost is not known, not zero. Partner Center omits it now and then.
 */
const costUnknown = (c) => c.missingCost > 0 && c.missingCost >= c.records;
const usdUnknown = (c) => c.missingUsd > 0 && c.missingUsd >= c.records;
/**
 * Under an amount that sums only some of a customer's records (the others
 * came without it): how many it leaves out. Nothing when none or all do.
 */
const partly = (m, missing, records, L) => (missing > 0 && missing < records
  ? h('span', { class: 'cell-sub' }, m.withoutCost(f.counted(missing, L)))
  : null);
/** A customer's cost in its billing currency, or in USD, in words. */
const costText = (m, c, L) => (costUnknown(c) ? m.notReported : f.money(c.costNumber, c.currency, L));
const usdText = (m, c, L) => (usdUnknown(c) ? m.notReported : f.usd(c.usdNumber, L));
export const LEGACY_OFFER = 'MS-AZR-0145P';

/** What a subscription supports: 'resources', 'utilization' or null. */
export function subscriptionKind(s) {
  if (!s) return null;
  // The client tags each subscription; fall back to the offer for raw records.
  if (s.subscriptionKind === 'azure-plan') return 'resources';
  if (s.subscriptionKind === 'legacy-azure') return 'utilization';
  if (s.subscriptionKind === 'other') return null;
  const offer = String(s.offerId || '').toUpperCase();
  if (offer === LEGACY_OFFER) return 'utilization';
  const name = String(s.offerName || '').toLowerCase();
  if (offer === 'DZH318Z0BCZC' || name === 'azure plan' || s.kind === 'azurePlan') return 'resources';
  return null;
}

// ---------------------------------------------------------------- helpers

/** A card's figure. Its length lets a narrow card size it to fit (the style's --len). */
function figure(v) {
  const value = h('span', { class: 'v' }, v);
  if (typeof v === 'string') value.style.setProperty('--len', String(Math.max(v.length, 8)));
  return value;
}

/**
 * What opens another view (`target`, as for `ctx.navigate`): a link to its
 * address where the dashboard keeps the view in the URL's hash, so that it
 * opens in a new tab (a middle or modified click), is copied or bookmarked
 * as links are; a plain click opens it here. Elsewhere (`routing="none"`) a
 * button.
 */
export function navLink(ctx, target, attrs, ...children) {
  const href = ctx.hrefOf?.(target) ?? null;
  const go = (e) => {
    // The browser's own: a new tab or window.
    if (href && (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) return;
    e.preventDefault();
    ctx.navigate(target);
  };
  return href
    ? h('a', { class: 'link', href, ...attrs, onclick: go }, ...children)
    : h('button', { type: 'button', class: 'link', ...attrs, onclick: go }, ...children);
}

function card(k, v, s, cls) {
  return h('div', { class: `card ${cls || ''}`.trim(), part: 'card' },
    h('span', { class: 'k' }, k),
    figure(v),
    s ? h('span', { class: 's' }, s) : null);
}

function badge(m, status) {
  return h('span', { class: `badge ${status}` }, statusLabel(m, status));
}

/**
 * A view with nothing to show, and why. No live region: the dashboard says
 * it once, when the load that brought it ends (a role=status created with
 * its text is read unreliably, and again at each redraw).
 */
function empty(headline, text) {
  return h('div', { class: 'empty' }, icon('empty'),
    h('span', { class: 'headline' }, headline), text ? h('span', null, text) : null);
}

function numCell(text, exact, extra) {
  return h('td', { class: 'num', 'data-value': exact ?? null, title: exact ?? null }, text, extra || null);
}

function th(text, cls) {
  return h('th', { scope: 'col', class: cls || null }, text);
}

/**
 * A table wrapper that scrolls sideways when the table is wider than the
 * panel. Its name is the table's (`"Customers (table)"`), never the
 * section's own, so no two landmarks share one. Only a wrapper that does
 * overflow is a tab stop (keyboard users scroll it with the arrow keys):
 * checked as it is laid out and whenever it or its table changes size.
 */
function scroller(label, table) {
  const box = h('div', { class: 'scroll', role: 'region', 'aria-label': label }, table);
  if (typeof ResizeObserver !== 'function') {
    box.tabIndex = 0;
    return box;
  }
  // `data-more` while columns are out of sight to the right (the edge fades).
  const more = () => box.toggleAttribute('data-more', box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
  box.addEventListener('scroll', more, { passive: true });
  const ro = new ResizeObserver(() => {
    // A removed wrapper shrinks to nothing, which calls this once more.
    if (!box.isConnected) { ro.disconnect(); return; }
    const overflows = box.scrollWidth > box.clientWidth + 1;
    if (overflows !== box.hasAttribute('tabindex')) {
      if (overflows) box.setAttribute('tabindex', '0'); else box.removeAttribute('tabindex');
    }
    more();
  });
  ro.observe(box);
  if (table) ro.observe(table);
  return box;
}

/**
 * Text folded for a filter: case, accents and the like set aside, so that
 * "muller" finds "Müller" and "sao" finds "São". Only the diacritics of the
 * combining-mark blocks are dropped: a Japanese voicing mark or an Indic
 * vowel sign changes the letter, so "カ" still doesn't find "ガ".
 */
function fold(text) {
  return String(text ?? '').normalize('NFD')
    .replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, '')
    .toLowerCase()
    .replace(/[ßøæœłđðþı]/g, (c) => FOLD_LETTERS[c]);
}
/** Letters with no decomposition that people type without their mark. */
const FOLD_LETTERS = { ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/**
 * The exact sum of decimal strings (`'12.5'`, `'-0.001'`), as a decimal
 * string: what an "Others" row adds up, without rounding to a Number.
 */
function decimalSum(values) {
  let sum = 0n;
  let scale = 0;
  for (const x of values) {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(String(x ?? '').trim());
    if (!m || (!m[2] && !m[3])) continue;
    let digits = (m[2] || '0') + (m[3] || '');
    let sc = (m[3] || '').length - (m[4] ? parseInt(m[4], 10) : 0);
    if (sc < 0) { digits += '0'.repeat(-sc); sc = 0; }
    let v = BigInt(digits);
    if (m[1] === '-') v = -v;
    if (sc > scale) { sum *= 10n ** BigInt(sc - scale); scale = sc; }
    sum += v * 10n ** BigInt(scale - sc);
  }
  const neg = sum < 0n;
  const d = (neg ? -sum : sum).toString().padStart(scale + 1, '0');
  let out = scale ? `${d.slice(0, d.length - scale)}.${d.slice(d.length - scale)}` : d;
  if (scale) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return (neg && out !== '0' ? '-' : '') + out;
}

/**
 * A panel with a chart and a table view of the same numbers, switchable.
 * `render.chart(box)` draws the chart; `render.table()` returns a <table>.
 * `legend` is an element, or a function of the mode (`true`: the table)
 * that returns one: a legend whose entries show or hide lines has nothing
 * to do beside a table.
 */
function chartPanel(ctx, { id, title, hint, legend, tools, chart, table, height }) {
  const m = ctx.m;
  const ui = (ctx.ui[id] ??= { table: false });
  const headingId = uid('h');
  const titleText = typeof title === 'string' ? title : title.textContent;
  const body = h('div', { class: 'panel-body' });
  const chartBtn = h('button', { type: 'button', 'aria-pressed': String(!ui.table), onclick: () => toggle(false) }, m.chart);
  const tableBtn = h('button', { type: 'button', 'aria-pressed': String(ui.table), onclick: () => toggle(true) }, m.table);
  const panel = h('section', { class: 'panel', part: 'panel', 'aria-labelledby': headingId, 'data-panel': id },
    h('div', { class: 'panel-head' },
      h('div', null, h('h3', { id: headingId }, title), hint ? h('p', { class: 'hint' }, hint) : null),
      h('div', { class: 'panel-tools' }, tools || null,
        h('div', { class: 'seg', role: 'group', 'aria-label': m.showAs({ title: titleText }) }, chartBtn, tableBtn))),
    body);
  let legendEl = null;
  function show() {
    ctx.dropCharts(id);
    body.replaceChildren();
    const next = typeof legend === 'function' ? legend(ui.table) : legend;
    if (next !== legendEl) {
      legendEl?.remove();
      legendEl = next || null;
      if (legendEl) body.before(legendEl);
    }
    if (ui.table) {
      body.append(scroller(m.tableRegion({ title: titleText }), table()));
    } else {
      const box = h('div', { class: 'chart-box', part: 'chart', 'data-chart': id });
      if (height) box.style.minHeight = `${height}px`;
      body.append(box);
      // Draw once the box is in the document and has a width.
      ctx.afterRender(() => ctx.chart(id, chart(box)));
    }
  }
  function toggle(t) {
    if (ui.table === t) return;
    ui.table = t;
    chartBtn.setAttribute('aria-pressed', String(!t));
    tableBtn.setAttribute('aria-pressed', String(t));
    show();
  }
  show();
  return panel;
}

function meter(parts) {
  const total = parts.reduce((a, p) => a + Math.max(0, p.value), 0);
  const m = h('div', { class: 'meter', 'aria-hidden': 'true' });
  for (const p of parts) {
    if (p.value <= 0 || !total) continue;
    const s = h('span', { class: p.cls });
    s.style.flexGrow = String(p.value / total);
    m.append(s);
  }
  return m;
}

function keys(items) {
  return h('ul', { class: 'keys' }, items.map((i) =>
    h('li', null, h('span', { class: `swatch ${i.cls || ''}` }), i.label, ' ', h('b', null, i.value))));
}

function searchField(ctx, id, label, placeholder, onInput) {
  const input = h('input', { type: 'search', id, placeholder, autocomplete: 'off', props: { value: ctx.ui.search || '' } });
  input.addEventListener('input', () => onInput(input.value));
  return h('div', { class: 'field grow' }, h('label', { for: id }, label), input);
}

// ---------------------------------------------------------------- customers

/** The customers view: spend per customer, currencies, budgets, plan split. */
export function customersView(ctx, s) {
  const L = ctx.locale;
  const m = ctx.m;
  const customers = s.customers || [];
  if (!customers.length) {
    return h('div', { class: 'view' }, empty(m.noCustomerUsage, m.noCustomerUsageText));
  }
  const byId = new Map(customers.map((c) => [c.customerId, c]));
  const b = s.budget || {};
  const view = h('div', { class: 'view', 'data-view': 'customers' });

  // Cards.
  const planUsd = s.azurePlan?.usdNumber ?? 0;
  const legacyUsd = s.legacy?.usdNumber ?? 0;
  view.append(h('div', { class: 'cards stack' },
    card(m.totalSpendUsd, f.usd(s.usdNumber, L),
      `${m.customersThisPeriod(f.counted(new Set(customers.map((c) => c.customerId)).size, L))} · ${periodName(billingMonth(customers, ctx.now), L)}`),
    h('div', { class: `card ${b.over ? 'over' : ''}`, part: 'card' },
      h('span', { class: 'k' }, m.budgets),
      h('span', { class: 'v' }, m.overBudgetCount(f.counted(b.over || 0, L))),
      meter([
        { cls: 'over', value: b.over || 0 }, { cls: 'near', value: b.near || 0 },
        { cls: 'unknown', value: b.unknown || 0 },
        { cls: 'under', value: b.under || 0 }, { cls: 'no-budget', value: b.noBudget || 0 },
      ]),
      keys([
        { cls: 'over', label: m.keyOver, value: f.count(b.over || 0, L) },
        { cls: 'near', label: m.keyNear, value: f.count(b.near || 0, L) },
        // Only when there are any: a rare case, not a fifth key on every page.
        b.unknown ? { cls: 'unknown', label: m.keyUnknown, value: f.count(b.unknown, L) } : null,
        { cls: 'under', label: m.keyWithin, value: f.count(b.under || 0, L) },
        { cls: 'no-budget', label: m.keyNone, value: f.count(b.noBudget || 0, L) },
      ].filter(Boolean))),
    h('div', { class: 'card', part: 'card' },
      h('span', { class: 'k' }, m.planVsLegacy),
      h('span', { class: 'v' }, s.usdNumber ? m.planShare({ percent: f.percent((planUsd / s.usdNumber) * 100, L) }) : '—'),
      meter([{ cls: 'plan', value: planUsd }, { cls: 'legacy', value: legacyUsd }]),
      keys([
        { cls: 'plan', label: m.planCount(f.counted(s.azurePlan?.customers || 0, L)), value: f.usd(planUsd, L, { compact: true }) },
        { cls: 'legacy', label: m.legacyCount(f.counted(s.legacy?.customers || 0, L)), value: f.usd(legacyUsd, L, { compact: true }) },
      ]))));

  // Top N chart.
  const top = s.top || [];
  const colorOf = (row) => {
    if (row.others) return ctx.theme.others;
    const st = byId.get(row.key)?.status;
    return { over: ctx.theme.over, near: ctx.theme.near, under: ctx.theme.under }[st] || ctx.theme.none;
  };
  const labels = top.map((r) => (r.others ? m.othersCount(f.counted(r.count, L)) : r.label));
  const values = top.map((r) => r.usdNumber);
  ctx.record('top', { kind: 'bar', labels, values, currency: 'USD', exact: top.map((r) => r.usd) });
  view.append(chartPanel(ctx, {
    id: 'top',
    title: m.costPerCustomerUsd,
    hint: m.topHint(f.counted(top.filter((r) => !r.others).length, L)),
    legend: keys([
      { cls: 'over', label: m.statusOver, value: '' },
      { cls: 'near', label: m.nearBudgetFrom({ percent: f.percent(s.nearThreshold, L) }), value: '' },
      { cls: 'under', label: m.statusUnder, value: '' },
      { cls: 'no-budget', label: m.statusNone, value: '' },
      { cls: 'others', label: m.others, value: '' },
    ]),
    chart: (box) => ctx.bar(box, {
      labels,
      values,
      colors: top.map(colorOf),
      overflow: top.flatMap((r, i) => (r.others ? [i] : [])),
      seriesLabel: m.costUsd,
      format: (v) => f.usd(v, L),
      tick: (v, more) => f.usd(v, L, { compact: true, more }),
      ariaLabel: m.topAria(f.counted(top.length, L)),
      describe: (i) => {
        const r = top[i];
        const c = byId.get(r.key);
        return {
          title: labels[i],
          sub: c ? `${statusLabel(m, c.status)} · ${c.isUpgraded ? m.azurePlan : m.legacy}` : null,
          rows: [{ color: colorOf(r), label: m.costUsd, value: c && usdUnknown(c) ? m.notReported : f.usd(r.usdNumber, L) }],
        };
      },
      // "Others" is many customers: Enter takes focus to the filter of the
      // customers' table, where each of them is.
      onActivate: (i) => {
        if (!top[i].others) ctx.navigate({ view: 'subscriptions', customerId: top[i].key });
        else view.querySelector('input[data-control="customer-filter"]')?.focus();
      },
    }),
    table: () => h('table', { 'data-table': 'top' },
      h('caption', { class: 'sr-only' }, m.topCaption),
      // The status in words: in the chart it is the bar's colour.
      h('thead', null, h('tr', null, th(m.customer), th(m.costUsd, 'num'), th(m.status))),
      h('tbody', null, top.map((r, i) => {
        const c = r.others ? null : byId.get(r.key);
        return h('tr', { class: r.others ? 'others' : null, 'data-status': c?.status ?? null },
          h('th', { scope: 'row' }, bidi(labels[i])),
          numCell(f.usd(r.usdNumber, L), r.usd),
          h('td', null, c ? badge(m, c.status) : null));
      })),
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, m.total), numCell(f.usd(s.usdNumber, L), s.usd), h('td')))),
  }));

  // Currencies.
  const cur = s.currencyTotals || [];
  // Customers whose cost Partner Center left out count in "Customers" but
  // add nothing to the totals: said, or the totals read as complete.
  const unreported = new Set(customers.filter((c) => c.missingCost > 0 || c.missingUsd > 0).map((c) => c.customerId)).size;
  ctx.record('currencies', { kind: 'table', rows: cur.map((c) => ({ currency: c.currency, amount: c.amount, usd: c.usd })) });
  view.append(h('section', { class: 'panel', part: 'panel', 'aria-label': m.currencyTotals },
    h('div', { class: 'panel-head' }, h('div', null,
      h('h3', null, m.currencyTotals),
      h('p', { class: 'hint' }, m.currencyTotalsHint),
      unreported ? h('p', { class: 'hint', 'data-note': 'not-reported' }, m.costsNotReported(f.counted(unreported, L))) : null)),
    scroller(m.tableRegion({ title: m.currencyTotals }), h('table', { 'data-table': 'currencies' },
      h('caption', { class: 'sr-only' }, m.currencyTotals),
      h('thead', null, h('tr', null, th(m.currency), th(m.customers, 'num'), th(m.totalNative, 'num'), th(m.totalUsd, 'num'))),
      h('tbody', null, cur.map((c) => h('tr', null,
        h('th', { scope: 'row' }, f.legacyLocale(c.currency) ? h('span', { class: 'badge legacy plain' }, currencyName(m, c.currency)) : c.currency),
        numCell(f.count(c.records, L)),
        numCell(f.money(c.amountNumber, c.currency, L), c.amount),
        numCell(f.usd(c.usdNumber, L), c.usd))))))));

  // All customers, over budget first.
  view.append(customersTable(ctx, s, customers));
  return view;
}

/** From how many rows the customers table offers a link past them. */
const SKIP_FROM_ROWS = 10;
/** Rows of the customers table at first, and how many more each "Show more" adds. */
const PAGE_ROWS = 25;
const MORE_ROWS = 100;
/**
 * The most rows the table ever holds: past it a note points to the filter
 * and the CSV export. Every relayout is of the whole table, so its cost
 * grows with the rows ("Show all" of 5,000 froze the page for 2.5-6.5 s,
 * of 20,000 for half a minute). Measured in Chromium on a busy two-core
 * machine: with 500 rows, "Show more" took about 90-170 ms and drawing
 * up to the last row (Back to it) 165-200 ms; with 1,000, 220-330 ms and
 * 300-500 ms.
 */
const MAX_ROWS = 500;
/**
 * Rows added per animation frame beyond the first `MORE_ROWS` new ones. Laying
 * out 3,000 rows in one task kept the page from painting for 1.2 s in
 * Chromium; this way the first rows paint in about 40 ms and each later
 * frame takes 200-350 ms (each lays out the whole table again, so smaller
 * steps make the whole longer: 200 rows a frame took 2.4 s in all, 400 2 s).
 */
const ROWS_PER_FRAME = 400;
/** How long after the last keystroke the filter's count is announced. */
const ANNOUNCE_AFTER_MS = 500;

/** Each customer's name and tenant id, folded for the filter once (see `fold`). */
const searchKeys = new WeakMap();
function searchKey(c) {
  let k = searchKeys.get(c);
  if (k === undefined) searchKeys.set(c, (k = `${fold(c.name)}\u0000${String(c.customerId).toLowerCase()}`));
  return k;
}

function customersTable(ctx, s, customers) {
  const L = ctx.locale;
  const m = ctx.m;
  const native = ctx.currencyDisplay === 'native';
  // The filter and sort start as the link (the state) says, and go back
  // into it as they change.
  const [sortKey, sortDir] = (ctx.state?.customerSort || '').split('-');
  const ui = (ctx.ui.customers ??= {
    search: ctx.state?.customerQuery || '', limit: PAGE_ROWS, sort: sortDir ? { key: sortKey, dir: sortDir } : DEFAULT_SORT,
  });
  const remember = () => ctx.remember?.({
    customerQuery: ui.search, customerSort: ui.sort.key === DEFAULT_SORT.key ? '' : `${ui.sort.key}-${ui.sort.dir}`,
  });
  let sorted = sortCustomers(customers, ui.sort, L);
  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  // The count is text beside the heading; what is read out of it (after
  // typing stops, and only if it changed) goes through the dashboard's
  // live region, so a sort says "Sorted by …" and nothing else.
  const countNote = h('p', { class: 'note', 'data-note': 'count' });
  let spoken = null;
  let speaking = 0;
  // A partner may have thousands of customers: rows are built once and
  // reused as the filter changes, and the table shows a page of them at a
  // time, at most MAX_ROWS.
  const headers = [];
  const built = new Map();
  const table = h('table', { 'data-table': 'customers' });
  let appending = 0;
  // Keyed by the summary's entry, not the customer id: a customer billed
  // in two currencies has an entry (a row) for each.
  const rowOf = (c) => {
    let tr = built.get(c);
    if (!tr) built.set(c, (tr = customerRow(ctx, c, native)));
    return tr;
  };
  // The row that last had focus: drawn at once on the next render (Back
  // from its subscriptions, a theme change), so that focus returns to it.
  tbody.addEventListener('focusin', (e) => {
    const id = e.target.closest?.('tr[data-customer-id]')?.dataset.customerId;
    if (id) ui.focusRow = id;
  });
  const query = () => fold(ui.search.trim());
  // `from` rows were on screen already: they, and `MORE_ROWS` more, are
  // drawn at once; the rest follow a frame at a time (`aria-busy` meanwhile).
  // `speak`: the filter changed, so its count is read out once typing stops.
  const fill = (from = 0, speak = false) => {
    cancelAnimationFrame(appending);
    const q = query();
    const rows = matching(sorted, q);
    const shown = rows.slice(0, Math.min(ui.limit, MAX_ROWS));
    skip.hidden = shown.length <= SKIP_FROM_ROWS;
    const focusAt = ui.focusRow ? shown.findIndex((c) => c.customerId === ui.focusRow) : -1;
    let done = Math.min(shown.length, Math.max(Math.max(from, PAGE_ROWS) + MORE_ROWS, focusAt + 1));
    tbody.replaceChildren(...(q && !rows.length ? [noMatchRow()] : shown.slice(0, done).map(rowOf)));
    table.toggleAttribute('aria-busy', done < shown.length);
    const step = () => {
      // A view that was replaced meanwhile has nothing left to draw.
      if (!tbody.isConnected) return;
      const next = Math.min(shown.length, done + ROWS_PER_FRAME);
      tbody.append(...shown.slice(done, next).map(rowOf));
      done = next;
      if (done < shown.length) appending = requestAnimationFrame(step);
      else table.removeAttribute('aria-busy');
    };
    if (done < shown.length) appending = requestAnimationFrame(step);
    const total = f.count(sorted.length, L);
    const text = q
      ? [m.customersMatch({ ...f.counted(rows.length, L), total }),
        shown.length < rows.length ? m.showingCount(f.counted(shown.length, L)) : ''].join(' ').trim()
      : m.customersShown({ ...f.counted(shown.length, L), total, order: m[SORT_NOTE[ui.sort.key][ui.sort.dir]] });
    if (countNote.textContent !== text) countNote.textContent = text;
    clearTimeout(speaking);
    if (spoken === null) spoken = text;
    if (speak) {
      speaking = setTimeout(() => {
        if (!tbody.isConnected || countNote.textContent === spoken) return;
        spoken = countNote.textContent;
        ctx.announce?.(spoken);
      }, ANNOUNCE_AFTER_MS);
    } else {
      spoken = text;
    }
    more.replaceChildren();
    const room = Math.min(rows.length, MAX_ROWS) - shown.length;
    // Keyboard focus goes on to the first row shown, not back to the page.
    if (room > 0) {
      const step = Math.min(MORE_ROWS, room);
      more.append(h('button', {
        type: 'button', class: 'btn', 'data-action': 'more',
        onclick: () => {
          const at = shown.length;
          ui.limit = at + step;
          fill(at);
          tbody.rows[at]?.querySelector('.link')?.focus();
        },
      }, m.showMore(f.counted(step, L))));
    }
    if (shown.length >= MAX_ROWS && rows.length > MAX_ROWS) {
      more.append(h('p', { class: 'note', 'data-note': 'capped' }, m.rowsCapped(f.counted(MAX_ROWS, L))));
    }
  };
  const id = uid('q');
  const input = h('input', { type: 'search', id, placeholder: m.nameOrTenant, autocomplete: 'off', 'data-control': 'customer-filter', props: { value: ui.search } });
  const headRow = h('tr', null,
    sortable(m.customer, 'name'),
    native ? th(m.costBilling, 'num') : sortable(m.costUsd, 'usd', 'num'),
    native ? sortable(m.costUsd, 'usd', 'num') : null,
    th(m.budget, 'num'),
    sortable(m.used, 'used', 'num'),
    sortable(m.status, 'status'));
  // A filter that matches nobody says so in the table, with the way out.
  const noMatchRow = () => h('tr', { 'data-row': 'no-match' },
    h('td', { colspan: headRow.cells.length, class: 'no-match' },
      h('span', null, m.noCustomerMatches({ query: ui.search.trim() })), ' ',
      h('button', {
        type: 'button', class: 'link', 'data-action': 'clear-filter',
        onclick: () => {
          input.value = ui.search = '';
          ui.limit = PAGE_ROWS;
          fill(0, true);
          remember();
          input.focus();
        },
      }, m.clearFilter)));
  // One re-render a frame, however fast the keys come. A new filter starts
  // again from the first page.
  let frame = 0;
  input.addEventListener('input', () => {
    const before = query();
    ui.search = input.value;
    if (query() !== before) ui.limit = PAGE_ROWS;
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; fill(0, true); remember(); });
  });
  // Every row is a tab stop (its customer's link): a keyboard user gets
  // past them with a link seen when focused, to "Show more" or after it
  // (offered when there are more than a few rows).
  const skip = h('button', {
    type: 'button', class: 'btn skip', 'data-action': 'skip-table',
    onclick: () => {
      const button = more.querySelector('button');
      if (button) return button.focus();
      // Every row shown: focus lands after the table on what it held (the
      // count), read out, not on an empty box.
      let end = more.querySelector('[data-note="end"]');
      if (!end) more.append(end = h('p', { class: 'sr-only', 'data-note': 'end', tabindex: '-1' }));
      end.textContent = countNote.textContent;
      end.focus();
    },
  }, m.skipTable);
  fill();
  return h('section', { class: 'panel', part: 'panel', 'aria-label': m.customers },
    h('div', { class: 'panel-head' },
      h('div', null, h('h3', null, m.customers), countNote),
      h('div', { class: 'field' }, h('label', { for: id }, m.filterCustomers), input)),
    skip,
    scroller(m.customersTable, replace(table,
      h('caption', { class: 'sr-only' }, m.customersCaption),
      h('thead', null, headRow),
      tbody)),
    more);

  /** `aria-sort` of the column sorting by `key`. */
  function ariaSort(key) {
    if (ui.sort.key !== key) return 'none';
    return ui.sort.dir === 'asc' ? 'ascending' : 'descending';
  }

  /** A column header whose button sorts by `key` (a second click reverses), from the first page. */
  function sortable(text, key, cls) {
    const button = h('button', { type: 'button', class: 'sort' }, text, icon('sort'));
    const cell = h('th', { scope: 'col', class: cls || null, 'data-sort': key, 'aria-sort': ariaSort(key) }, button);
    button.addEventListener('click', () => {
      const same = ui.sort.key === key;
      ui.sort = { key, dir: same ? (ui.sort.dir === 'asc' ? 'desc' : 'asc') : SORT_FIRST[key] };
      ui.limit = PAGE_ROWS;
      sorted = sortCustomers(customers, ui.sort, L);
      for (const c of headers) c.setAttribute('aria-sort', ariaSort(c.dataset.sort));
      fill();
      remember();
      ctx.announce?.(m.sortedBy({ column: text, ascending: ui.sort.dir === 'asc' }));
    });
    headers.push(cell);
    return cell;
  }
}

/** The customers table's order at first (no column's): over budget first, then by USD. */
const DEFAULT_SORT = { key: 'default', dir: 'asc' };
/** The direction a column sorts in on its first click. */
const SORT_FIRST = { name: 'asc', usd: 'desc', used: 'desc', status: 'asc' };
/** The catalogue entry that says each order. */
const SORT_NOTE = {
  default: { asc: 'sortDefault' },
  name: { asc: 'sortNameAsc', desc: 'sortNameDesc' },
  usd: { asc: 'sortUsdAsc', desc: 'sortUsdDesc' },
  used: { asc: 'sortUsedAsc', desc: 'sortUsedDesc' },
  status: { asc: 'sortStatusAsc', desc: 'sortStatusDesc' },
};

/**
 * The customers the table lists, every one and not just a page of them:
 * those its filter (`ui.search`) matches, in its order (`ui.sort`). What
 * the export writes.
 */
export function tableCustomers(customers, ui, locale) {
  return matching(sortCustomers(customers, ui.sort ?? DEFAULT_SORT, locale), fold(String(ui.search ?? '').trim()));
}

/** The customers of `list` a folded filter text `q` finds (all of them for ''). */
function matching(list, q) {
  return q ? list.filter((c) => searchKey(c).includes(q)) : list;
}

/**
 * Customers in a table order. Ties go by USD, largest first; customers
 * without a budget sort after the others by "Used", either way.
 */
export function sortCustomers(customers, { key, dir }, locale) {
  const sign = dir === 'asc' ? 1 : -1;
  const collator = f.collator(locale);
  const byUsd = (a, b) => b.usdNumber - a.usdNumber;
  const cmp = {
    default: (a, b) => (a.status === 'over' ? 0 : 1) - (b.status === 'over' ? 0 : 1),
    name: (a, b) => sign * collator.compare(a.name || a.customerId, b.name || b.customerId),
    usd: (a, b) => sign * (a.usdNumber - b.usdNumber),
    used: (a, b) => {
      const x = a.budgetNumber != null ? a.percentUsedComputed : null;
      const y = b.budgetNumber != null ? b.percentUsedComputed : null;
      if (x == null || y == null) return (x == null) - (y == null);
      return sign * (Number(x) - Number(y));
    },
    status: (a, b) => sign * (STATUS_RANK[a.status] - STATUS_RANK[b.status]),
  }[key];
  return customers.slice().sort((a, b) => cmp(a, b) || byUsd(a, b) || (a.customerId < b.customerId ? -1 : 1));
}

/**
 * The share of its budget a customer has spent, in percent, as shown: from
 * the amounts, since the summary's exact percentage has Partner Center's two
 * decimals and showing it with one would round twice (303.047 % is 303.05 %,
 * then 303.1 %).
 */
function spentPercent(c) {
  return c.budgetNumber > 0 ? (c.costNumber / c.budgetNumber) * 100 : c.percentUsedComputed ?? c.percentUsedReported;
}

/**
 * How far a customer's cost is beyond its budget, in the billing currency:
 * `{ exact, number }` (the exact decimal string for the cell's title), or
 * null when it isn't beyond it.
 */
export function overBudget(c) {
  if (c.budget == null || c.cost == null || c.status === 'unknown') return null;
  const budget = String(c.budget).trim();
  const exact = decimalSum([c.cost, budget.startsWith('-') ? budget.slice(1) : `-${budget}`]);
  return exact.startsWith('-') || exact === '0' ? null : { exact, number: Number(exact) };
}

/**
 * "£6,969.54 over", or nothing when the amount over is less than the
 * currency shows (a cost a hair over its budget: "£0.00 over" beside
 * "Over budget" would read as a contradiction).
 */
function overByText(m, over, currency, L) {
  const digits = f.isIsoCurrency(currency)
    ? new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits
    : 2;
  return over.number >= 0.5 * 10 ** -digits ? m.overBy({ amount: f.money(over.number, currency, L) }) : null;
}

function customerRow(ctx, c, native) {
  const L = ctx.locale;
  const m = ctx.m;
  const legacy = f.legacyLocale(c.currency);
  const hasBudget = c.budgetNumber != null;
  const budget = hasBudget ? f.money(c.budgetNumber, c.currency, L) : '—';
  // Without a budget there is nothing to be a share of: Partner Center
  // reports 0 %, which reads as "nothing spent" next to a real cost.
  const used = hasBudget && c.status !== 'unknown' ? f.percent(spentPercent(c), L, { fixed: true }) : '—';
  return h('tr', { class: c.status === 'over' ? 'is-over' : null, 'data-customer-id': c.customerId, 'data-status': c.status },
    h('th', { scope: 'row' }, h('div', { class: 'name' },
      navLink(ctx, { view: 'subscriptions', customerId: c.customerId }, null, bidi(c.name || c.customerId)),
      h('span', { class: 'sub' }, c.isUpgraded ? m.azurePlan : m.legacy),
      // Where the table is too narrow to show the status column without
      // scrolling, the status is seen here too (read out once, in its column).
      h('span', { class: 'sub show-narrow', 'aria-hidden': 'true' }, badge(m, c.status)))),
    native
      ? numCell(costText(m, c, L), costUnknown(c) ? null : c.cost, [
        legacy ? h('span', { class: 'cell-sub' }, m.legacyNote({ locale: legacy })) : null,
        partly(m, c.missingCost, c.records, L),
      ])
      : numCell(usdText(m, c, L), usdUnknown(c) ? null : c.usd, partly(m, c.missingUsd, c.records, L)),
    native ? numCell(usdText(m, c, L), usdUnknown(c) ? null : c.usd, partly(m, c.missingUsd, c.records, L)) : null,
    numCell(budget, c.budget ?? null),
    numCell(used, c.percentUsedComputed ?? null, overCell(ctx, c)),
    h('td', null, badge(m, c.status)));
}

/**
 * "+£6,969.54" under a customer's share used, when it is beyond its
 * budget: the amount alone on screen (the words would widen the column in
 * every language but the shortest), "£6,969.54 over" for a screen reader.
 */
function overCell(ctx, c) {
  const over = overBudget(c);
  const text = over && overByText(ctx.m, over, c.currency, ctx.locale);
  return text ? h('span', { class: 'cell-sub', 'data-over': over.exact, title: text },
    h('span', { 'aria-hidden': 'true', class: 'nowrap' }, `+${f.money(over.number, c.currency, ctx.locale)}`),
    h('span', { class: 'sr-only' }, text)) : null;
}

// ---------------------------------------------------------------- subscriptions

/** The least of a month a run rate is taken over: less says nothing yet. */
const FORECAST_MIN_MS = 86_400_000;

/**
 * Month-end forecast of a month-to-date amount, linear in elapsed time: the
 * time from the month's start to `asOfMs`, when Partner Center last updated
 * the amount (a cost updated yesterday evening covers the month until then,
 * not until now), or to now without it or when it is in the future. An
 * amount last updated before this month began is the month before's (the
 * record in the first hours of a month), so the forecast is that month's;
 * `monthStart` says which. `value` is null before a day of the month has
 * passed: a run rate over hours would be noise.
 */
export function monthEndForecast(amount, nowMs, asOfMs = null) {
  const asOf = asOfMs != null && asOfMs <= nowMs ? asOfMs : nowMs;
  const d = new Date(asOf);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const elapsed = asOf - start;
  return {
    value: elapsed >= FORECAST_MIN_MS ? (amount * (end - start)) / elapsed : null,
    elapsedDays: elapsed / 86_400_000,
    monthDays: (end - start) / 86_400_000,
    monthStart: start,
  };
}

/**
 * The billing period (a calendar month, in UTC) the customers' costs are of:
 * the month of the latest update Partner Center made to them (in the first
 * hours of a month the costs are still the month before's), else now's.
 */
/** "Nov 2026", never broken across lines. */
const periodName = (ms, L) => f.month(ms, L).replace(/ /g, '\u00a0');

function billingMonth(customers, nowMs) {
  const latest = customers.reduce((a, c) => {
    const t = costUpdatedAt(c);
    return t != null && t <= nowMs && t > a ? t : a;
  }, -Infinity);
  return Number.isFinite(latest) ? latest : nowMs;
}

/** When Partner Center last updated a customer's cost (ms), or null: the cost is as of then. */
function costUpdatedAt(customer) {
  const t = customer.lastModifiedDate ? Date.parse(customer.lastModifiedDate) : NaN;
  return Number.isFinite(t) ? t : null;
}

/** Whether the customer's amounts show in USD instead of its own billing currency. */
function inUsdInstead(ctx, customer) {
  return ctx.currencyDisplay !== 'native' && customer.currency !== 'USD';
}

/**
 * The customer's month-end spend, projected at its run rate, against its
 * budget; `title` says whose it is where the page is about less (one
 * subscription).
 */
function moneyForecastCard(ctx, customer, title = ctx.m.monthEndForecast) {
  const L = ctx.locale;
  const m = ctx.m;
  if (costUnknown(customer)) {
    // No cost, no run rate: not a forecast of zero.
    ctx.record('forecast', { value: null, budget: customer.budgetNumber ?? null, percent: null });
    const el = card(title, '—', m.notReported);
    el.setAttribute('data-forecast', 'money');
    return el;
  }
  const asOf = costUpdatedAt(customer);
  const fc = monthEndForecast(customer.costNumber, ctx.now, asOf);
  const pct = fc.value != null && customer.budgetNumber ? (fc.value / customer.budgetNumber) * 100 : null;
  ctx.record('forecast', { value: fc.value, budget: customer.budgetNumber ?? null, percent: pct });
  let el;
  if (fc.value == null) {
    el = card(title, '—', m.forecastTooEarly);
  } else {
    // The cost is last month's (not updated since this one began): say so.
    const now = new Date(ctx.now);
    const month = fc.monthStart !== Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
      ? `${f.month(fc.monthStart, L)} · ` : '';
    const over = pct != null && pct > 100;
    const billing = f.money(fc.value, customer.currency, L);
    // With amounts in USD, the forecast is the USD spend's, beside the spend
    // card's USD figure (never dollars spent against a forecast in euros);
    // the billing currency's figure, which the budget compares with, follows.
    const usd = inUsdInstead(ctx, customer) && customer.usdNumber != null;
    const sub = month + (pct != null
      ? m.forecastOfBudget({ percent: f.percent(pct, L, { fixed: true }), budget: f.money(customer.budgetNumber, customer.currency, L), over })
      : m.forecastNoBudget({
        currency: f.legacyLocale(customer.currency) && !usd ? currencyName(m, customer.currency) : null,
        elapsed: f.num(fc.elapsedDays, L, { digits: 1 }),
        days: f.num(fc.monthDays, L, { digits: 0 }),
      }));
    el = usd
      ? card(title, f.usd(monthEndForecast(customer.usdNumber, ctx.now, asOf).value, L),
        `${billing} ${m.inCurrency({ currency: currencyName(m, customer.currency) })} · ${sub}`, over ? 'over' : '')
      : card(title, billing, sub, over ? 'over' : '');
  }
  el.setAttribute('data-forecast', 'money');
  return el;
}

/** A customer's subscriptions, each linking to its resources or utilization. */
export function subscriptionsView(ctx, { customer, subscriptions, costs }) {
  const L = ctx.locale;
  const m = ctx.m;
  const view = h('div', { class: 'view', 'data-view': 'subscriptions' });
  if (customer) {
    const native = ctx.currencyDisplay === 'native';
    const amount = native ? costText(m, customer, L) : usdText(m, customer, L);
    const other = native ? usdText(m, customer, L) : costText(m, customer, L);
    const modified = costUpdatedAt(customer);
    const updated = modified != null && modified <= ctx.now ? ` · ${m.costUpdated({ when: f.relative(modified - ctx.now, L) })}` : '';
    const cards = [card(m.spendThisPeriod, amount,
      `${periodName(billingMonth([customer], ctx.now), L)} · `
      + (native ? other : `${other} ${m.inCurrency({ currency: currencyName(m, customer.currency) })}`) + updated)];
    const over = overBudget(customer);
    const overText = over && overByText(m, over, customer.currency, L);
    const budgetValue = figure(customer.budgetNumber != null ? f.money(customer.budgetNumber, customer.currency, L) : m.statusNone);
    const bcard = h('div', { class: `card ${customer.status === 'over' ? 'over' : ''}`, part: 'card' },
      h('span', { class: 'k' }, m.budget),
      budgetValue,
      h('span', { class: 's' }, badge(m, customer.status), ' ',
        customer.budgetNumber != null && customer.status !== 'unknown'
          ? m.percentUsed({ percent: f.percent(spentPercent(customer), L, { fixed: true }) }) : '',
        overText ? ' · ' : '', overText ? h('span', { class: 'nowrap' }, overText) : null,
        // Budgets are set in the billing currency: said so beside USD amounts.
        customer.budgetNumber != null && inUsdInstead(ctx, customer)
          ? ` · ${m.inCurrency({ currency: currencyName(m, customer.currency) })}` : ''));
    cards.push(bcard);
    cards.push(moneyForecastCard(ctx, customer));
    cards.push(card(m.plan, customer.isUpgraded ? m.azurePlan : m.legacy,
      m.subscriptionsOfTenant({ ...f.counted((subscriptions || []).length, L), tenant: customer.customerId })));
    view.append(h('div', { class: 'cards' }, cards));
  }
  if (!subscriptions || !subscriptions.length) {
    view.append(empty(m.noSubscriptions, m.noSubscriptionsText));
    return view;
  }
  // Each Azure plan subscription's cost this billing period.
  const outcome = new Map((costs?.subscriptions || []).map((o) => [o.subscriptionId, o]));
  const okSummaries = (costs?.subscriptions || []).filter((o) => o.summary).map((o) => o.summary);
  const currency = chartCurrency(ctx, mergeTotals(okSummaries));
  // Costs that failed to load are said before the chart, which would look
  // complete without them.
  if (costs?.failed) view.append(costsFailedNote(ctx, costs, subscriptions));
  // A customer with no usage yet this billing period (a new tenant): said,
  // not a chart of zero-length bars. Not when some costs failed to load, or
  // the customer's spend says otherwise (resource records can lag it).
  const noUsage = okSummaries.length && !costs?.failed && okSummaries.every((s) => !s.records)
    && !(customer?.costNumber > 0);
  if (noUsage) {
    view.append(empty(m.noUsageThisPeriod, m.noPlanUsageText));
  } else if (okSummaries.length) {
    view.append(subscriptionCostPanel(ctx, subscriptions, outcome, currency));
  }
  const rows = subscriptions.map((s) => {
    const kind = subscriptionKind(s);
    const name = s.friendlyName || s.offerName || s.id;
    const o = outcome.get(s.id);
    const amount = o?.summary ? amountOf(o.summary, currency) : null;
    const named = bidi(name);
    named.id = uid('sub');
    // Every row's action has the same words: the list of a screen reader's
    // controls tells them apart by the subscription they belong to.
    const action = kind
      ? navLink(ctx, { view: kind, subscriptionId: s.id }, { 'aria-describedby': named.id },
        kind === 'resources' ? m.costByResource : m.utilization)
      : h('span', { class: 'note' }, m.noUsageData);
    return h('tr', { 'data-subscription-id': s.id, 'data-kind': kind || 'none' },
      h('th', { scope: 'row' }, h('div', { class: 'name' },
        kind ? navLink(ctx, { view: kind, subscriptionId: s.id }, null, named) : named,
        h('span', { class: 'sub' }, s.id),
        // Where the offer column doesn't fit, the offer's name goes here.
        s.offerName ? h('span', { class: 'sub show-narrow' }, bidi(s.offerName)) : null)),
      h('td', { class: 'hide-narrow' }, h('div', { class: 'name' }, bidi(s.offerName || '—'), h('span', { class: 'sub' }, s.offerId || ''))),
      h('td', null, h('span', { class: `badge plain ${String(s.status).toLowerCase() === 'active' ? 'under' : 'near'}`, 'data-status': s.status || '' },
        s.status ? m.subscriptionStatus({ status: s.status }) : '—')),
      amount ? numCell(f.money(amount.n, currency, L), amount.exact)
        // A cost that failed to load is not a cost of nothing: said in words.
        : o?.error ? h('td', { class: 'num note', 'data-failed': '' }, m.costNotLoaded)
          : h('td', { class: 'num note' }, kind === 'utilization' ? m.quantitiesOnly : '—'),
      h('td', null, action));
  });
  view.append(h('section', { class: 'panel', part: 'panel', 'aria-label': m.subscriptions },
    h('div', { class: 'panel-head' }, h('div', null, h('h3', null, m.subscriptions),
      h('p', { class: 'hint' }, m.subscriptionsHint))),
    scroller(m.subscriptionsTable, h('table', { 'data-table': 'subscriptions' },
      h('caption', { class: 'sr-only' }, m.subscriptions),
      h('thead', null, h('tr', null, th(m.subscription), th(m.offer, 'hide-narrow'), th(m.status), th(m.costIn({ currency }), 'num'), th(m.usage))),
      h('tbody', null, rows)))));
  return view;
}

/**
 * Some subscriptions' costs failed to load: how many, then the first
 * failure as the error banner tells it (why, what to do), each one's
 * figures in the details for support, with a Retry that loads them again.
 */
function costsFailedNote(ctx, costs, subscriptions) {
  const failed = costs.subscriptions.filter((o) => o.error);
  const label = (id) => {
    const s = subscriptions.find((x) => x.id === id);
    return s ? subscriptionLabel(s, subscriptions) : id;
  };
  return ctx.errorBanner(failed[0]?.error, {
    failures: failed.map((o) => ({ label: label(o.subscriptionId), error: o.error })),
    headline: ctx.m.costsFailed({ ...f.counted(costs.failed, ctx.locale), reason: null }),
    notice: true,
    note: 'costs-failed',
    retry: () => ctx.retryFailed(),
    retryAction: 'retry-costs',
  });
}

/** Sums the per-currency totals of several summaries (for picking the chart currency). */
function mergeTotals(summaries) {
  const m = new Map();
  for (const s of summaries) for (const t of s.currencyTotals || []) m.set(t.currency, t);
  return [...m.values()];
}

/** Bars of a chart before the rest are summed as "Others", unless the dashboard says (`top-n`). */
const TOP_N = 10;

/** How many keys of a split (resource types, say) get a colour of their own. */
const KEY_COLORS = 7;

/**
 * Colours for the keys of a split, largest first: the first KEY_COLORS get
 * a series colour, the rest the neutral one. A key `kept` coloured (the
 * customer's subscriptions chart, for its resources charts) keeps that
 * colour, so a resource type looks the same on both; the others take the
 * colours left, those no kept key has first. `indices` gives each coloured
 * key its palette index (to keep).
 */
export function keyColors(rankedKeys, palette, others, kept = null) {
  const out = new Map();
  const top = rankedKeys.slice(0, KEY_COLORS);
  const taken = new Set();
  for (const k of top) {
    const i = kept?.get(k);
    if (i != null && i < palette.length && !taken.has(i)) {
      out.set(k, i);
      taken.add(i);
    }
  }
  const keptIndices = new Set(kept ? kept.values() : []);
  const free = palette.map((_, i) => i).sort((a, b) => keptIndices.has(a) - keptIndices.has(b) || a - b);
  for (const k of top) {
    if (out.has(k)) continue;
    const i = free.find((j) => !taken.has(j)) ?? 0;
    out.set(k, i);
    taken.add(i);
  }
  const colors = new Map(rankedKeys.map((k) => [k, out.has(k) ? palette[out.get(k) % palette.length] : others]));
  return { colors, indices: out };
}

/**
 * The legend of a split: a swatch and label for each key coloured (the
 * first KEY_COLORS of `ranked`, `[key, { label }]` largest first), then
 * `more(count)` for the rest, which share the neutral colour.
 */
function keyLegend(ranked, colorOf, more) {
  return h('ul', { class: 'legend' }, ranked.slice(0, KEY_COLORS).map(([k, t]) => {
    const sw = h('span', { class: 'swatch' });
    sw.style.background = colorOf.get(k);
    return h('li', null, sw, bidi(t.label));
  }), ranked.length > KEY_COLORS ? h('li', null, h('span', { class: 'swatch others' }), more(ranked.length - KEY_COLORS)) : null);
}

/**
 * A subscription's name as a title or label says it: its friendly name (or
 * offer), with the start of its id when another of `all` has the same name
 * (a customer may have three "Azure plan - Production").
 */
export function subscriptionLabel(s, all = []) {
  const name = (x) => x.friendlyName || x.offerName || x.id;
  const n = name(s);
  return all.some((x) => x.id !== s.id && name(x) === n) ? `${n} (${s.id.slice(0, 8)})` : n;
}

/** Cost per Azure plan subscription, each bar split by resource type. */
function subscriptionCostPanel(ctx, subscriptions, outcome, currency) {
  const L = ctx.locale;
  const m = ctx.m;
  const subs = subscriptions.filter((s) => outcome.get(s.id)?.summary);
  const labels = subs.map((s) => subscriptionLabel(s, subs));
  const amounts = subs.map((s) => amountOf(outcome.get(s.id).summary, currency));
  const order = subs.map((_, i) => i).sort((a, b) => amounts[b].n - amounts[a].n);
  const ranked = new Map();
  for (const i of order) for (const g of outcome.get(subs[i].id).summary.groups || []) {
    const t = ranked.get(g.key) || { label: g.label, n: 0 };
    t.n += amountOf(g, currency).n;
    ranked.set(g.key, t);
  }
  const types = [...ranked.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const { colors: colorOf, indices } = keyColors(types.map(([k]) => k), ctx.theme.series, ctx.theme.others);
  ctx.rememberKeyColors(indices);
  // The chart: the top N subscriptions, the rest summed as one "Others"
  // bar (a bar each for hundreds would make it thousands of pixels tall);
  // its table lists every subscription, as does the table below.
  const topN = ctx.topN > 0 ? ctx.topN : TOP_N;
  const barIdx = order.length > topN + 1 ? order.slice(0, topN) : order;
  const rest = order.slice(barIdx.length);
  const stackOf = (groups) => groups.map((g) => ({ value: amountOf(g, currency).n, color: colorOf.get(g.key), label: g.label }));
  const L2 = barIdx.map((i) => labels[i]);
  const values = barIdx.map((i) => amounts[i].n);
  const exact = barIdx.map((i) => amounts[i].exact);
  const stacks = barIdx.map((i) => stackOf(outcome.get(subs[i].id).summary.groups || []));
  if (rest.length) {
    L2.push(m.othersCount(f.counted(rest.length, L)));
    // Drawn from Numbers; the exact total is the decimal sum.
    values.push(rest.reduce((a, i) => a + amounts[i].n, 0));
    exact.push(decimalSum(rest.map((i) => amounts[i].exact)));
    const byType = new Map();
    for (const i of rest) for (const g of outcome.get(subs[i].id).summary.groups || []) {
      const t = byType.get(g.key) || { key: g.key, label: g.label, value: 0 };
      t.value += amountOf(g, currency).n;
      byType.set(g.key, t);
    }
    stacks.push([...byType.values()].sort((a, b) => b.value - a.value).map((t) => ({ value: t.value, color: colorOf.get(t.key), label: t.label })));
  }
  const ids = barIdx.map((i) => subs[i].id);
  ctx.record('subscriptions', { kind: 'bar', labels: L2, values, currency, exact, ids: rest.length ? [...ids, null] : ids, others: rest.length });
  const legend = keyLegend(types, colorOf, (n) => m.moreTypes(f.counted(n, L)));
  const [before, after] = f.around(m.inGroup, {}, 'name');
  // The table names each resource type in its rows: no colours to key.
  return chartPanel(ctx, {
    id: 'subscriptions',
    title: m.costPerPlanSubscription({ currency }),
    // Why some of the customer's subscriptions have no bar, where it has any
    // that report quantities (a sentence after a "。" needs no space).
    hint: subscriptions.some((s) => subscriptionKind(s) === 'utilization')
      ? `${m.planSubscriptionsHint}${/[。！？]$/.test(m.planSubscriptionsHint) ? '' : ' '}${m.legacyQuantitiesNote}`
      : m.planSubscriptionsHint,
    legend: (table) => (table ? null : legend),
    chart: (box) => ctx.bar(box, {
      labels: L2, values, colors: L2.map(() => ctx.theme.series[0]), stacks,
      overflow: rest.length ? [L2.length - 1] : undefined,
      seriesLabel: m.costIn({ currency }),
      format: (v) => f.money(v, currency, L),
      tick: (v, more) => f.money(v, currency, L, { compact: true, more }),
      ariaLabel: m.subscriptionsAria({ currency, ...f.counted(L2.length, L) }),
      onActivate: (i) => { if (ids[i]) ctx.navigate({ view: 'resources', subscriptionId: ids[i] }); },
    }),
    // Every figure the bars show: a row group per subscription, its cost
    // by resource type under it (the subscription's header names the group
    // for each of them).
    table: () => h('table', { 'data-table': 'subscription-costs' },
      // (`before`/`after`: the words around a group's name, ", in …".)
      h('caption', { class: 'sr-only' }, m.costPerPlanSubscription({ currency })),
      h('thead', null, h('tr', null, th(m.subscription), th(m.costIn({ currency }), 'num'), th(m.records, 'num'))),
      order.map((i) => {
        const summary = outcome.get(subs[i].id).summary;
        const groups = (summary.groups || []).map((g) => ({ g, a: amountOf(g, currency) }))
          .sort((x, y) => y.a.n - x.a.n || x.g.key.localeCompare(y.g.key));
        return h('tbody', { 'data-subscription-id': subs[i].id },
          h('tr', null,
            h('th', { scope: 'rowgroup' }, bidi(labels[i])),
            numCell(f.money(amounts[i].n, currency, L), amounts[i].exact),
            numCell(f.count(summary.records, L))),
          // Named with its subscription for screen readers, as the
          // breakdown's second-level rows are with their group.
          groups.map(({ g, a }) => h('tr', { class: 'child', 'data-type': g.key },
            h('th', { scope: 'row' }, bidi(g.label), h('span', { class: 'sr-only' }, before, bidi(labels[i]), after)),
            numCell(f.money(a.n, currency, L), a.exact),
            numCell(f.count(g.records, L)))));
      }),
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, m.total),
        numCell(f.money(amounts.reduce((t, a) => t + a.n, 0), currency, L), decimalSum(amounts.map((a) => a.exact))),
        numCell(f.count(subs.reduce((t, s) => t + outcome.get(s.id).summary.records, 0), L))))),
  });
}

// ---------------------------------------------------------------- resources

/** Resource dimensions: the summary's `groupBy` value and the catalogue entry naming it. */
export const RESOURCE_DIMS = [
  ['resource-group', 'dimResourceGroup'],
  ['resource-type', 'dimResourceType'],
  ['resource', 'dimResource'],
  ['entitlement', 'dimEntitlement'],
];
const DIM_KEY = Object.fromEntries(RESOURCE_DIMS);
/** The name of a resource dimension in the dashboard's words. */
const dimName = (m, key) => m[DIM_KEY[key]];

/** Picks the currency to chart: the single ISO currency in native mode, else USD. */
function chartCurrency(ctx, totals) {
  if (ctx.currencyDisplay === 'native' && totals.length === 1 && f.isIsoCurrency(totals[0].currency)) {
    return totals[0].currency;
  }
  return 'USD';
}

function amountOf(row, currency) {
  if (currency === 'USD') return { n: row.usdNumber, exact: row.usd };
  const t = (row.currencyTotals || []).find((c) => c.currency === currency);
  return t ? { n: t.amountNumber, exact: t.amount } : { n: 0, exact: '0' };
}

/** A subscription's cost by resource group / type / resource / entitlement. */
export function resourcesView(ctx, { summary: s, chartSummary = null, state }) {
  const L = ctx.locale;
  const m = ctx.m;
  const view = h('div', { class: 'view', 'data-view': 'resources' });
  const groupBy = state.groupBy;
  const thenBy = state.thenBy;
  // Controls.
  const seg = h('div', { class: 'seg wrap', role: 'group', 'aria-label': m.groupBy },
    RESOURCE_DIMS.map(([k, label]) => h('button', {
      type: 'button', 'aria-pressed': String(k === groupBy), 'data-group-by': k,
      // A second level the reader chose stays (even "Nothing", which is
      // also the default under a resource); the default one follows the
      // grouping (resources under a resource type, none under a resource,
      // which has one type and one group).
      onclick: () => {
        const chosen = ctx.ui.thenChosen && thenBy !== k;
        ctx.set({ groupBy: k, thenBy: chosen || (thenBy !== defaultThen(groupBy) && thenBy !== k) ? thenBy : defaultThen(k) });
      },
    }, m[label])));
  const thenId = uid('then');
  const thenSel = h('select', { id: thenId },
    h('option', { value: '' }, m.nothing),
    RESOURCE_DIMS.filter(([k]) => k !== groupBy).map(([k, label]) => h('option', { value: k, props: { selected: k === thenBy } }, m[label])));
  onSelect(thenSel, (v) => {
    ctx.ui.thenChosen = true;
    ctx.set({ thenBy: v || null });
  });
  view.append(h('div', { class: 'controls', part: 'controls' },
    h('div', { class: 'field' }, h('span', { class: 'group-label' }, m.groupBy), seg),
    h('div', { class: 'field' }, h('label', { for: thenId }, m.thenBy), thenSel)));

  const totals = s.currencyTotals || [];
  if (!s.records) {
    view.append(empty(m.noUsageThisPeriod, m.noResourceUsageText));
    return view;
  }
  const currency = chartCurrency(ctx, totals);
  const mixed = ctx.currencyDisplay === 'native' && currency === 'USD' && totals.length > 1;
  const totalAmount = amountOf(s, currency);
  view.append(h('div', { class: 'cards' },
    card(m.totalIn({ currency }), f.money(totalAmount.n, currency, L),
      totals.length && currency === 'USD' && totals[0].currency !== 'USD'
        ? totals.map((t) => f.money(t.amountNumber, t.currency, L)).join(' · ')
        : m.amountInUsd({ amount: f.usd(s.usdNumber, L) })),
    card(m.groups, f.count(s.groupCount ?? (s.groups || []).length, L), m.byDim({ dim: dimName(m, groupBy) })),
    // Records skipped, and records without a cost (added as nothing), are
    // said under the count: the total would otherwise read as complete.
    card(m.records, f.count(s.records, L), [
      s.skippedRecords ? m.skipped(f.counted(s.skippedRecords, L)) : '',
      s.missingCost ? m.withoutCost(f.counted(s.missingCost, L)) : '',
    ].filter(Boolean).join(' · ') || m.resourceUsageRecords)));

  // The chart's groups: the largest and "Others" when there are many
  // (`chartSummary`); the breakdown below lists every group.
  const groups = (chartSummary ?? s).groups || [];
  const othersCount = Math.max(0, (s.groupCount ?? s.groups?.length ?? 0) - groups.filter((g) => !g.others).length);
  const labels = groups.map((g) => (g.others ? m.othersCount(f.counted(othersCount, L)) : g.label));
  const amounts = groups.map((g) => amountOf(g, currency));
  const values = amounts.map((a) => a.n);
  const colors = groups.map((g) => (g.others ? ctx.theme.others : ctx.theme.series[0]));
  ctx.record('groups', { kind: 'bar', labels, values, currency, exact: amounts.map((a) => a.exact) });
  const dim = dimName(m, groupBy);
  // Second level: each bar split by child, one colour per child value (the
  // seven largest overall; the rest share a neutral colour).
  let stacks = null;
  let stackLegend = null;
  if (thenBy && groups.some((g) => g.children?.length)) {
    const totalsByChild = new Map();
    for (const g of groups) for (const c of g.children || []) {
      const t = totalsByChild.get(c.key) || { label: c.label, n: 0 };
      t.n += amountOf(c, currency).n;
      totalsByChild.set(c.key, t);
    }
    const ranked = [...totalsByChild.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
    const kept = thenBy === 'resource-type' ? ctx.keyColors : null;
    const { colors: colorOfChild } = keyColors(ranked.map(([k]) => k), ctx.theme.series, ctx.theme.others, kept);
    stacks = groups.map((g) => (g.children || []).map((c) => ({ value: amountOf(c, currency).n, color: colorOfChild.get(c.key), label: c.label })));
    stackLegend = keyLegend(ranked, colorOfChild, (n) => m.moreOfDim({ ...f.counted(n, L), dim: dimName(m, thenBy) }));
  }
  view.append(chartPanel(ctx, {
    id: 'groups',
    title: m.costByDimIn({ dim, currency }),
    hint: [thenBy && stacks ? m.splitBy({ dim: dimName(m, thenBy) }) : null,
      mixed ? m.mixedCurrencies : null].filter(Boolean).join(' ') || null,
    legend: stackLegend,
    chart: (box) => ctx.bar(box, {
      labels, values, colors, stacks,
      overflow: groups.flatMap((g, i) => (g.others ? [i] : [])),
      seriesLabel: m.costIn({ currency }),
      format: (v) => f.money(v, currency, L),
      tick: (v, more) => f.money(v, currency, L, { compact: true, more }),
      ariaLabel: m.groupsAria({ dim, currency, ...f.counted(labels.length, L) }),
      onActivate: (i) => {
        if (!thenBy || groups[i].others) return;
        const ui = (ctx.ui.expanded ??= new Set());
        ui.add(groups[i].key);
        ctx.rerender();
      },
    }),
    table: () => h('table', { 'data-table': 'groups' },
      h('caption', { class: 'sr-only' }, m.costByDim({ dim })),
      h('thead', null, h('tr', null, th(dim), th(m.costIn({ currency }), 'num'))),
      h('tbody', null, groups.map((g, i) => h('tr', { class: g.others ? 'others' : null },
        h('th', { scope: 'row' }, bidi(labels[i])), numCell(f.money(values[i], currency, L), amounts[i].exact))))),
  }));

  // Two-level breakdown.
  view.append(breakdown(ctx, s, s.groups || [], currency, groupBy, thenBy));
  return view;
}

export function defaultThen(groupBy) {
  return groupBy === 'resource-group' ? 'resource-type' : groupBy === 'resource-type' ? 'resource' : null;
}

function breakdown(ctx, s, groups, currency, groupBy, thenBy) {
  const L = ctx.locale;
  const m = ctx.m;
  const expanded = (ctx.ui.expanded ??= new Set());
  const total = amountOf(s, currency).n || 0;
  const share = (n) => (total ? f.percent((n / total) * 100, L, { fixed: true }) : '—');
  const showUsd = currency !== 'USD';
  const bodies = groups.map((g) => {
    const a = amountOf(g, currency);
    const kids = g.children || [];
    const open = expanded.has(g.key);
    const tb = h('tbody', { 'data-group': g.key });
    // A second-level row's header names its group too, for screen readers
    // only ("Microsoft.Sql, in rg-prod"): read as a row header from any
    // cell, "Microsoft.Sql" alone doesn't say whose it is. The indent says
    // it on screen.
    const [before, after] = f.around(m.inGroup, {}, 'name');
    const inGroup = () => h('span', { class: 'sr-only' }, before, bidi(g.others ? m.others : g.label), after);
    const kidRows = kids.map((c) => {
      const ca = amountOf(c, currency);
      return h('tr', { class: 'child', hidden: !open },
        h('th', { scope: 'row' }, bidi(c.label), inGroup()),
        numCell(f.money(ca.n, currency, L), ca.exact),
        showUsd ? numCell(f.usd(c.usdNumber, L), c.usd) : null,
        numCell(share(ca.n)),
        numCell(f.count(c.records, L)));
    });
    const name = kids.length
      ? h('button', {
        type: 'button', class: 'expander', 'aria-expanded': String(open),
        onclick: (e) => {
          const btn = e.currentTarget;
          const now = btn.getAttribute('aria-expanded') !== 'true';
          btn.setAttribute('aria-expanded', String(now));
          if (now) expanded.add(g.key); else expanded.delete(g.key);
          for (const r of kidRows) r.hidden = !now;
        },
      }, bidi(g.label))
      : g.others ? m.others : bidi(g.label);
    tb.append(h('tr', { class: `group ${g.others ? 'others' : ''}`.trim() },
      h('th', { scope: 'row' }, name),
      numCell(f.money(a.n, currency, L), a.exact),
      showUsd ? numCell(f.usd(g.usdNumber, L), g.usd) : null,
      numCell(share(a.n)),
      numCell(f.count(g.records, L))), ...kidRows);
    return tb;
  });
  const title = thenBy
    ? m.breakdownByTwo({ dim: dimName(m, groupBy), then: dimName(m, thenBy) })
    : m.breakdownBy({ dim: dimName(m, groupBy) });
  return h('section', { class: 'panel', part: 'panel', 'aria-label': title },
    h('div', { class: 'panel-head' }, h('div', null, h('h3', null, title),
      thenBy ? h('p', { class: 'hint' }, m.expandHint) : null),
    thenBy ? h('div', { class: 'panel-tools' },
      h('button', { type: 'button', class: 'btn', onclick: () => { for (const g of groups) if (g.children?.length) expanded.add(g.key); ctx.rerender(); } }, m.expandAll),
      h('button', { type: 'button', class: 'btn', onclick: () => { expanded.clear(); ctx.rerender(); } }, m.collapseAll)) : null),
    scroller(m.tableRegion({ title }), h('table', { 'data-table': 'breakdown' },
      h('caption', { class: 'sr-only' }, title),
      h('thead', null, h('tr', null, th(thenBy ? `${dimName(m, groupBy)} / ${dimName(m, thenBy)}` : dimName(m, groupBy)),
        th(m.costIn({ currency }), 'num'), showUsd ? th(m.costUsd, 'num') : null, th(m.share, 'num'), th(m.records, 'num'))),
      ...bodies,
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, m.total),
        numCell(f.money(total, currency, L), amountOf(s, currency).exact), showUsd ? numCell(f.usd(s.usdNumber, L), s.usd) : null, numCell(share(total)),
        numCell(f.count(s.records, L)))))));
}

// ---------------------------------------------------------------- utilization

/** Utilization dimensions: the summary's `groupBy` value and the catalogue entry naming it. */
export const UTIL_DIMS = [
  ['meter', 'dimMeter'],
  ['category', 'dimCategory'],
  ['subcategory', 'dimSubcategory'],
  ['region', 'dimRegion'],
  ['resource-group', 'dimResourceGroup'],
  ['tag', 'dimTag'],
];
/** The most buckets a utilization summary has (the core's default `maxBuckets`). */
const MAX_BUCKETS = 20_000;
/** Buckets: the summary's `bucket` value and the catalogue entry naming it. */
const BUCKETS = [['hour', 'bucketHour'], ['day', 'bucketDay'], ['week', 'bucketWeek'], ['month', 'bucketMonth']];

function selectField(label, value, options, onChange, attrs) {
  const id = uid('f');
  // Names that Azure compares ignoring case (a tag key or resource group
  // from a shared link) select their option whatever their case.
  let at = options.findIndex(([v]) => v === value);
  if (at < 0 && value) at = options.findIndex(([v]) => f.nameKey(v) === f.nameKey(value));
  const sel = h('select', { id, ...(attrs || {}) }, options.map(([v, t], i) => h('option', { value: v, dir: 'auto', props: { selected: i === at } }, t)));
  onSelect(sel, onChange);
  return h('div', { class: 'field' }, h('label', { for: id }, label), sel);
}

/** How long arrow-key steps through a closed select pause before they apply. */
const SELECT_SETTLE_MS = 500;

/**
 * Calls `apply(value)` on a select's changes. A pick from its list applies
 * at once; but the arrow keys (or type-ahead) on a closed select step
 * through it, a `change` each (Windows, Linux): those apply once the steps
 * pause, on Enter or when focus leaves, so that reaching the third option
 * is one load, not three, and the select isn't redrawn under the keys.
 */
function onSelect(sel, apply) {
  let t = 0;
  let keyed = false;
  const fire = () => { clearTimeout(t); t = 0; apply(sel.value); };
  sel.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { if (t) fire(); } else if (e.key !== 'Tab' && e.key !== 'Shift') keyed = true;
  });
  sel.addEventListener('pointerdown', () => { keyed = false; });
  sel.addEventListener('change', () => {
    if (!keyed) { fire(); return; }
    clearTimeout(t);
    // A select the view redrew meanwhile is gone, its step with it.
    t = setTimeout(() => { if (sel.isConnected) fire(); else t = 0; }, SELECT_SETTLE_MS);
  });
  // Focus leaving with a step pending: applied once focus has arrived
  // where it was going, so the redraw keeps it there (applied during the
  // move, the redraw took the control it was moving to).
  sel.addEventListener('blur', () => {
    if (!t) return;
    clearTimeout(t);
    t = setTimeout(() => { if (sel.isConnected) fire(); else t = 0; }, 0);
  });
}

/**
 * A labelled input. A text field's change waits for typing to pause; while
 * it waits, `pending` (a set that outlives the view: the field may be drawn
 * again meanwhile) holds its cancel.
 */
function inputField(label, type, value, onChange, attrs, pending) {
  const id = uid('f');
  const input = h('input', { id, type, ...(attrs || {}), props: { value: value ?? '' } });
  let t = 0;
  const cancel = () => clearTimeout(t);
  const fire = () => { cancel(); pending?.delete(cancel); onChange(input.value); };
  if (type === 'text' || type === 'search') {
    input.addEventListener('input', () => { cancel(); t = setTimeout(fire, 400); pending?.add(cancel); });
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') fire(); });
  } else {
    input.addEventListener('change', fire);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

/**
 * How far back the date fields go: Partner Center documents no limit on
 * the utilization window ("an arbitrary time span"), and the simulator
 * keeps 120 days; three years covers any billing question, and a typed
 * year such as 0002 is refused instead of sent.
 */
const UTIL_YEARS = 3;

/** The ISO day `years` years before the ISO day `day`. */
function yearsBefore(day, years) {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return '2000-01-01';
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return f.isoDay(d.getTime());
}

/**
 * A date field that changes the view only with a whole date in its range:
 * typed or stepped (every digit or ArrowDown is a `change`), on Enter or
 * when focus leaves it; picked from the calendar, at once. A date out of
 * range is refused: Enter leaves it to be corrected (marked invalid),
 * leaving the field puts back the date in force and says so. `words`:
 * `outOfRange`, the range the field takes, and `kept(iso)`, that a date
 * was put back.
 */
function dateField(label, value, { min, max }, onChange, control, { outOfRange, kept }) {
  const id = uid('f');
  const errorId = uid('f');
  const input = h('input', { id, type: 'date', min, max, 'data-control': control, props: { value: value ?? '' } });
  // What a refused date needs to be, beside the field and in its description.
  const error = h('span', { id: errorId, class: 'field-error', 'aria-live': 'polite' });
  let current = value ?? '';
  let keyed = false;
  const valid = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= min && v <= max;
  // `note`: what the line under the fields says of this one (and the
  // field's description), if anything.
  const mark = (bad, note = bad ? outOfRange : '') => {
    if (bad) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (note) input.setAttribute('aria-describedby', errorId);
    else input.removeAttribute('aria-describedby');
    error.textContent = note;
  };
  const apply = (revert) => {
    keyed = false;
    const v = input.value;
    if (v === current) { mark(false); return; }
    if (valid(v)) {
      current = v;
      mark(false);
      onChange(v);
    } else if (revert) {
      // Not quietly: the date put back is said beside the field (a live
      // region, so read out as focus moves on), with the range it takes.
      input.value = current;
      mark(false, current ? `${kept(current)} ${outOfRange}` : outOfRange);
    } else {
      mark(true);
    }
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') apply(false);
    else if (!['Tab', 'Shift', 'Escape'].includes(e.key)) keyed = true;
  });
  // The calendar opens from a click: what it picks applies at once.
  input.addEventListener('pointerdown', () => { keyed = false; });
  // A field replaced by the next render is gone, not left.
  input.addEventListener('blur', () => { if (input.isConnected) apply(true); });
  input.addEventListener('change', () => { if (!keyed) apply(false); });
  // The error is the controls' own line, below the fields, whose row stays put.
  return [h('div', { class: 'field' }, h('label', { for: id }, label), input), error];
}

/** The typed filters' changes still waiting for typing to pause (see inputField). */
const pendingFilters = (ctx) => (ctx.ui.pendingFilters ??= new Set());

/**
 * "Clear filters" goes with the filters it clears: focus goes first to the
 * first filter, emptied at once, so that this control keeps focus through
 * the reload (the button, gone, would leave it to the title). The fields
 * are emptied before focus is held, or the text of a typed filter would be
 * put back into its new copy.
 */
function clearFilters(ctx, button) {
  for (const cancel of pendingFilters(ctx)) cancel();
  pendingFilters(ctx).clear();
  const fields = button.closest('[role=group]').querySelectorAll('select, input');
  for (const el of fields) el.value = '';
  fields[0]?.focus();
  ctx.set({ filters: {} });
}

/**
 * Utilization over time: one chart per unit, one line per group, anomalies
 * marked, plus a month-end forecast where the window reaches this month.
 * `controlsOnly`: the window's controls and nothing else (no data loaded).
 */
export function utilizationView(ctx, { summary: s, state, facets, window: win, customer, retryAt, streamed, controlsOnly }) {
  const L = ctx.locale;
  const m = ctx.m;
  const view = h('div', { class: 'view', 'data-view': 'utilization' });
  const hourly = state.granularity === 'hourly';
  const buckets = BUCKETS.filter(([k]) => hourly || k !== 'hour').map(([k, label]) => [k, m[label]]);
  const fl = state.filters || {};
  const opt = (vals) => [['', m.all], ...(vals || []).map((v) => [v, v])];
  // Without the records at hand (a very large window), filters are typed.
  const facetField = (label, key, values, control) => (values
    ? selectField(label, fl[key] || '', opt(values), (v) => ctx.setFilter(key, v), { 'data-control': control })
    : inputField(label, 'search', fl[key] || '', (v) => ctx.setFilter(key, v), { placeholder: m.exactName, 'data-control': control }, pendingFilters(ctx)));
  facets = facets || {};
  const lastDay = win?.maxDay || f.isoDay(ctx.now);
  const firstDay = yearsBefore(lastDay, UTIL_YEARS);
  const day = (iso) => f.date(Date.parse(`${iso}T00:00:00Z`), L);
  const words = (min, max) => ({ outOfRange: m.dateOutOfRange({ min: day(min), max: day(max) }), kept: (iso) => m.dateKept({ date: day(iso) }) });
  view.append(h('div', { class: 'controls', part: 'controls' },
    dateField(m.from, state.from, { min: firstDay, max: state.to || lastDay }, (v) => ctx.set({ from: v }), 'from', words(firstDay, state.to || lastDay)),
    dateField(m.to, state.to, { min: state.from || firstDay, max: lastDay }, (v) => ctx.set({ to: v }), 'to', words(state.from || firstDay, lastDay)),
    h('div', { class: 'field' }, h('span', { class: 'group-label' }, m.granularity),
      h('div', { class: 'seg', role: 'group', 'aria-label': m.granularity },
        [['daily', m.daily], ['hourly', m.hourly]].map(([k, t]) => h('button', {
          type: 'button', 'aria-pressed': String(state.granularity === k), 'data-granularity': k,
          onclick: (e) => {
            // The state now, not the drawn view's: it stays on screen while
            // another choice loads, or after that load failed.
            const now = ctx.current();
            if (k === now.granularity) return;
            // Pressed at once: the view keeps its old content until the new
            // window has loaded, and the toggle must not say the old choice.
            for (const b of e.currentTarget.parentNode.children) b.setAttribute('aria-pressed', String(b === e.currentTarget));
            // Hourly data is asked for to see hours (day buckets of it are
            // the daily chart, at 24 times the records), unless the window
            // has more hours than a summary has buckets; daily data has no
            // hours. The bucket says so at once too.
            const hours = (Date.parse(now.to) - Date.parse(now.from)) / 3_600_000 + 24;
            const bucket = k === 'hourly' ? (hours <= MAX_BUCKETS ? 'hour' : now.bucket)
              : now.bucket === 'hour' ? 'day' : now.bucket;
            const sel = view.querySelector('select[data-control="bucket"]');
            if (sel && bucket !== sel.value) {
              if (bucket === 'hour' && !sel.querySelector('option[value="hour"]')) sel.prepend(h('option', { value: 'hour' }, m.bucketHour));
              sel.value = bucket;
              if (bucket !== 'hour') sel.querySelector('option[value="hour"]')?.remove();
            }
            ctx.set({ granularity: k, bucket });
          },
        }, t)))),
    selectField(m.bucket, state.bucket, buckets, (v) => ctx.set({ bucket: v }), { 'data-control': 'bucket' }),
    selectField(m.groupBy, state.uGroupBy, UTIL_DIMS.map(([k, label]) => [k, m[label]]), (v) => ctx.set({ uGroupBy: v }), { 'data-control': 'group-by' }),
    state.uGroupBy !== 'tag' ? null : facets.tagKeys
      ? selectField(m.tagKey, state.tagKey || '', [['', m.choose], ...facets.tagKeys.map((k) => [k, k])], (v) => ctx.set({ tagKey: v }), { 'data-control': 'tag-key' })
      : inputField(m.tagKey, 'search', state.tagKey || '', (v) => ctx.set({ tagKey: v }), { placeholder: m.tagKeyPlaceholder, 'data-control': 'tag-key' })));
  const nActive = activeFilters(fl);
  const filterBox = h('details', { class: 'filters', props: { open: !ctx.narrow || nActive > 0 } },
    h('summary', null, nActive ? m.filtersActive(f.counted(nActive, L)) : m.filters));
  view.append(filterBox);
  filterBox.append(h('div', { class: 'controls', part: 'controls', role: 'group', 'aria-label': m.filters },
    facetField(m.dimCategory, 'category', facets.categories, 'category'),
    facetField(m.dimRegion, 'region', facets.regions, 'region'),
    facetField(m.dimResourceGroup, 'resourceGroup', facets.resourceGroups, 'resource-group'),
    inputField(m.meterContains, 'search', fl.meterContains || '', (v) => ctx.setFilter('meterContains', v), { placeholder: m.meterPlaceholder, 'data-control': 'meter-contains' }, pendingFilters(ctx)),
    inputField(m.tagFilter, 'search', fl.tag || '', (v) => ctx.setFilter('tag', v), { placeholder: m.tagFilterPlaceholder, 'data-control': 'tag-filter' }, pendingFilters(ctx)),
    activeFilters(fl) ? h('button', { type: 'button', class: 'btn', 'data-action': 'clear-filters', onclick: (e) => clearFilters(ctx, e.currentTarget) }, m.clearFilters) : null));
  // Too many records to keep: say why every change takes a full load
  // (unless the page keeps none at all, keep-records="0").
  if (streamed) view.append(h('p', { class: 'note', 'data-note': 'streamed' }, m.windowStreamed(f.counted(streamed, L))));
  if (controlsOnly) return view;

  const series = s?.series || [];
  if (state.uGroupBy === 'tag' && !state.tagKey) {
    view.append(empty(m.chooseTagKey, m.chooseTagKeyText));
    return view;
  }
  // The window chosen: its first and last days (ms, NaN if unreadable),
  // in the locale's dates (the first and last week or month bucket can
  // reach outside it).
  const DAY_MS = 86_400_000;
  const [fromMs, toMs] = [state.from, state.to].map((iso) => Date.parse(`${iso}T00:00:00Z`));
  const known = Number.isFinite(fromMs) && Number.isFinite(toMs);
  const windowText = known ? [f.date(fromMs, L), f.date(toMs, L)] : [state.from, state.to];
  if (s && !s.records && s.filteredOut > 0) {
    // Partner Center reported usage; the dashboard's own filters hid it all.
    view.append(empty(m.noUsageMatches, m.noUsageMatchesText({ ...f.counted(s.filteredOut, L), from: windowText[0], to: windowText[1] })));
    return view;
  }
  if (!s || !s.records || !series.length) {
    const words = { from: windowText[0], to: windowText[1], filtered: activeFilters(fl) > 0 };
    // `hourly: false` for catalogues written when this text covered hourly windows too.
    let text = hourly ? m.noHourlyDataText(words) : m.noUsageInWindowText({ ...words, hourly: false });
    // Partner Center's 204 said when to ask again (Retry-After).
    const wait = retryAt != null ? retryAt - ctx.now : 0;
    if (wait > 0) text += ` ${m.askAgainIn({ when: f.relative(wait, ctx.locale) })}`;
    const box = empty(hourly ? m.noHourlyData : m.noUsageInWindow, text);
    // Partner Center often has no hourly data where daily works: one step
    // to it, as the Daily toggle does it (focus goes there, and stays).
    if (hourly) {
      box.append(h('button', {
        type: 'button', class: 'btn', 'data-action': 'daily',
        onclick: () => {
          const daily = view.querySelector('button[data-granularity="daily"]');
          daily?.focus();
          daily?.click();
        },
      }, m.showDaily));
    }
    view.append(box);
    return view;
  }
  const x = s.bucketStarts;
  const units = [];
  const byUnit = new Map();
  for (const sr of series) {
    if (!byUnit.has(sr.unit)) { byUnit.set(sr.unit, []); units.push(sr.unit); }
    byUnit.get(sr.unit).push(sr);
  }
  const anomalies = series.reduce((n, sr) => n + (sr.anomalies?.length || 0), 0);
  const through = reportedThrough(x, series, ctx.now);
  view.append(h('div', { class: 'cards' },
    card(m.records, f.count(s.records, L), m.utilizationRecords({ hourly })),
    card(m.series, f.count(series.length, L), m.unitsNeverAdded(f.counted(units.length, L))),
    card(m.anomalies, f.count(anomalies, L), anomalies ? m.anomaliesFound : m.anomaliesNone, anomalies ? 'over' : ''),
    // Days: those of the dates chosen, which the card names (usage reported
    // late adds buckets before them to the chart, not to the window).
    card(m.window, m.bucketCount({ ...f.counted(known && state.bucket === 'day' ? Math.round((toMs - fromMs) / DAY_MS) + 1 : x.length, L), bucket: state.bucket }),
      known
        ? `${windowText[0]} – ${windowText[1]}`
        : `${f.date(x[0], L, { hour: state.bucket === 'hour' })} – ${f.date(x[x.length - 1], L, { hour: state.bucket === 'hour' })}`),
    customer ? moneyForecastCard(ctx, customer, m.customerMonthEndForecast) : null,
    changeCard(ctx, series, through, state.bucket)));
  // The last days empty only because they are not reported yet: said
  // once, left blank in every chart and table, and out of the forecast.
  if (through < x.length - 1) {
    view.append(h('p', { class: 'note', 'data-note': 'pending' },
      m.notReportedSince({ date: f.date(x[through + 1], L, { hour: state.bucket === 'hour' }) })));
  }

  // Axis ticks: months, days, or hours with the date at each midnight.
  const incrFmt = (v, incr) => (state.bucket === 'month' || incr >= 28 * 86_400_000 ? f.month(v, L)
    : incr >= 86_400_000 || v % 86_400_000 === 0 ? f.date(v, L, { short: true }) : f.time(v, L));
  // A week or month the window covers only in part says how much of it.
  const partOf = (ms) => {
    if ((state.bucket !== 'week' && state.bucket !== 'month') || !known) return null;
    const d = new Date(ms);
    const end = state.bucket === 'week' ? ms + 7 * DAY_MS : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    const total = Math.round((end - ms) / DAY_MS);
    const inside = Math.round((Math.min(end, toMs + DAY_MS) - Math.max(ms, fromMs)) / DAY_MS);
    return inside > 0 && inside < total ? { ...f.counted(inside, L), total: f.count(total, L) } : null;
  };
  // A partial week or month at either end totals fewer days than the
  // others: said once, beside the labels that give its days.
  if (x.length > 1 && (partOf(x[0]) || partOf(x[x.length - 1]))) {
    view.append(h('p', { class: 'note', 'data-note': 'partial' }, m.partialBuckets({ bucket: state.bucket })));
  }
  const bucketDate = (ms) => {
    const label = state.bucket === 'month' ? f.month(ms, L)
      : state.bucket === 'week' ? m.weekOf({ date: f.date(ms, L) }) : f.date(ms, L, { hour: state.bucket === 'hour' });
    const part = partOf(ms);
    return part ? m.partOfBucket({ label, ...part }) : label;
  };

  units.forEach((unit, ui) => {
    const list = byUnit.get(unit).map((sr) => ({ ...sr, name: seriesName(m, sr) }));
    const id = `unit-${ui}`;
    // The chart draws the largest series and one "Others (n)" line for the
    // rest; the table keeps every series, with its exact values.
    const drawn = chartSeries(m, L, list);
    // "Others" is a line to see, not a background: the muted text colour
    // (the light --pu-others is 1.6:1 on white).
    const colorOf = (i) => (drawn[i].others ? ctx.theme.muted : ctx.theme.series[i % ctx.theme.series.length]);
    const fmt = (v) => (v == null ? '—' : f.num(v, L, { digits: 3 }));
    ctx.record(id, {
      kind: 'time', unit, x: Array.from(x),
      series: list.map((sr) => ({ key: sr.key, label: sr.label, values: Array.from(sr.values), total: sr.total, anomalies: sr.anomalies || [] })),
      drawn: drawn.map((sr) => ({ key: sr.key, label: sr.name, others: sr.others || 0, values: Array.from(sr.values), total: sr.total, anomalies: sr.anomalies || [] })),
    });
    // With more than one line, each legend entry shows or hides its line.
    // The choice is kept per subscription, grouping and unit, so it survives
    // a redraw (theme, print, resize) and a return to the same view.
    const hidden = (ctx.ui.hiddenSeries ??= new Set());
    const hideKey = (sr) => [state.subscriptionId, state.uGroupBy, state.tagKey ?? '', unit, sr.others ? '\u0001others' : (sr.key ?? sr.label)].join('\u0000');
    // The figure beside each name is its total over the window, and says so.
    const legendList = () => h('ul', { class: 'legend' }, h('li', { 'data-legend': 'label' }, m.windowTotals), drawn.map((sr, i) => {
      const sw = h('span', { class: 'swatch' });
      sw.style.background = colorOf(i);
      const name = bidi(sr.name);
      const total = h('b', null, fmt(sr.totalNumber));
      name.id = uid('s');
      total.id = uid('s');
      const parts = [sw, name, total];
      // "Others" has no rings of its own: its badge counts its series' anomalies (in the table).
      const n = sr.others ? sr.memberAnomalies : sr.anomalies?.length || 0;
      const badge = n ? h('span', { class: 'badge over plain' }, m.anomalyCount(f.counted(n, L))) : null;
      if (drawn.length < 2) return h('li', null, ...parts, badge);
      const button = h('button', {
        type: 'button', class: 'series-toggle', 'data-series': i, 'aria-pressed': String(!hidden.has(hideKey(sr))),
        // Read as "Hot LRS Data Stored 7,275.768", not "…Stored7,275.768".
        'aria-labelledby': `${name.id} ${total.id}`,
        title: m.toggleLine,
        onclick: () => {
          const chart = ctx.chartOf(id);
          if (!chart) return;
          const show = chart.toggle(i);
          if (show) hidden.delete(hideKey(sr)); else hidden.add(hideKey(sr));
          button.setAttribute('aria-pressed', String(show));
          ctx.announce((show ? m.lineShown : m.lineHidden)({ name: sr.name }));
        },
      }, ...parts);
      return h('li', null, button, badge);
    }), drawn.some((sr) => sr.anomalies?.length) ? h('li', null, h('span', { class: 'swatch anomaly' }), m.anomalousBucket) : null);
    view.append(chartPanel(ctx, {
      id,
      title: h('span', null, ...f.around(m.quantityIn, {}, 'unit').flatMap((text, i) => (i ? [h('span', { class: 'unit-chip' }, unit), text] : [text]))),
      hint: m.seriesHint({ ...f.counted(list.length, L), dim: m[UTIL_DIMS.find(([k]) => k === state.uGroupBy)?.[1]] || '', bucket: state.bucket }),
      // The legend's entries show or hide lines: beside the table, where
      // there are none, only the forecast (of the lines drawn) stays.
      legend: (table) => {
        const forecast = forecastLine(ctx, x.slice(0, through + 1), drawn, state);
        return table ? forecast : h('div', null, legendList(), forecast);
      },
      chart: (box) => ctx.time(box, {
        x,
        series: drawn.map((sr, i) => ({ label: sr.name, values: blankAfter(sr.values, through), color: colorOf(i), anomalies: sr.anomalies || [], show: drawn.length < 2 || !hidden.has(hideKey(sr)) })),
        format: (v) => `${fmt(v)} × ${unit}`,
        tick: (v, more) => f.num(v, L, { compact: true, more }),
        date: bucketDate,
        tickDate: incrFmt,
        bucketTicks: state.bucket === 'week' || state.bucket === 'month',
        ariaLabel: m.timeAria({ unit, bucket: state.bucket, series: f.count(drawn.length, L), ...f.counted(x.length, L) }),
      }),
      table: () => utilTable(ctx, x, list, unit, bucketDate, fmt, through),
    }));
  });
  return view;
}

/**
 * How long after the usage Partner Center may still report it. Its listings
 * select records by report time, so the last day or two of a window that
 * reaches the present fill in later (the dashboard's default window ends a
 * few hours ago for the same reason).
 */
const REPORTING_LAG_MS = 72 * 3_600_000;

/**
 * The index of the last bucket to show as reported: the last bucket with
 * any usage in any series, when every later bucket is empty and starts
 * within REPORTING_LAG_MS of now; otherwise the last bucket (empty buckets
 * further back are days without usage, shown as 0).
 */
export function reportedThrough(x, series, nowMs) {
  const n = x.length;
  let last = -1;
  for (const sr of series) {
    for (let i = n - 1; i > last; i--) {
      if (sr.values[i]) { last = i; break; }
    }
  }
  if (last < 0 || last === n - 1 || x[last + 1] < nowMs - REPORTING_LAG_MS) return n - 1;
  return last;
}

/** Buckets on each side of the comparison of `largestChange`, by bucket size. */
const CHANGE_SPAN = { day: 7, hour: 24 };
/** The share of its unit's usage a series needs to be a largest change (not a trickle's swing). */
const CHANGE_MIN_SHARE = 0.05;

/**
 * The series whose average moved most, in proportion, between the last `n`
 * reported buckets (through `through`) and the `n` before them (a week of
 * days, a day of hours): `{ sr, before, after, change, n }`, or null with
 * fewer than 2n buckets, other bucket sizes, or nothing to compare. Series
 * with under 5 % of their unit's usage over those buckets, or none before,
 * don't count.
 */
export function largestChange(series, through, bucket) {
  const n = CHANGE_SPAN[bucket];
  const end = through + 1;
  if (!n || end < 2 * n) return null;
  const mean = (v, from) => {
    let t = 0;
    for (let i = from; i < from + n; i++) t += Number.isFinite(v[i]) ? v[i] : 0;
    return t / n;
  };
  const rows = series.map((sr) => ({ sr, before: mean(sr.values, end - 2 * n), after: mean(sr.values, end - n) }));
  const unitUse = new Map();
  for (const r of rows) unitUse.set(r.sr.unit, (unitUse.get(r.sr.unit) || 0) + r.before + r.after);
  let best = null;
  for (const r of rows) {
    if (!(r.before > 0) || r.before + r.after < CHANGE_MIN_SHARE * unitUse.get(r.sr.unit)) continue;
    const change = (r.after - r.before) / r.before;
    if (!best || Math.abs(change) > Math.abs(best.change)) best = { ...r, change, n };
  }
  return best;
}

/** The card of the series that changed most lately (see largestChange), or nothing. */
function changeCard(ctx, series, through, bucket) {
  const c = largestChange(series, through, bucket);
  if (!c) return null;
  const L = ctx.locale;
  const fmt = (v) => f.num(v, L, { digits: 3 });
  // The series' name and unit (Partner Center's) each in its own direction,
  // and the numbers too: Arabic-Indic digits around the arrow would
  // otherwise run right to left ("6 → 20" for a drop from 20 to 6).
  const marks = { '\u{E001}': c.sr.unit, '\u{E002}': fmt(c.before), '\u{E003}': fmt(c.after) };
  const [head, tail] = f.around(ctx.m.largestChangeText, {
    unit: '\u{E001}', before: '\u{E002}', after: '\u{E003}', bucket, ...f.counted(c.n, L),
  }, 'name');
  const withUnit = (text) => text.split(/([\u{E001}-\u{E003}])/u).map((t) => (marks[t] !== undefined ? bidi(marks[t]) : t));
  const card_ = card(ctx.m.largestChange, f.percent(c.change * 100, L, { signed: true }),
    h('span', null, ...withUnit(head), bidi(seriesName(ctx.m, c.sr)), ...withUnit(tail)));
  card_.dataset.card = 'change';
  return card_;
}

/** A series' values with the buckets after `through` blank (`null`: a gap in the line). */
function blankAfter(values, through) {
  if (through >= values.length - 1) return values;
  return Array.from(values, (v, i) => (i > through ? null : v));
}

/** Lines a utilization chart draws before the rest are summed as "Others". */
const SERIES_DRAWN = 8;

/**
 * The lines of one unit's chart: the SERIES_DRAWN largest series by total,
 * then one "Others (n)" line, the sum of the rest per bucket. Its values are
 * Numbers, for drawing only; its total is the exact sum of the totals. It
 * has no anomalies of its own (a sum's are not its parts'): `memberAnomalies`
 * counts those of its series, which the table shows.
 */
function chartSeries(m, L, list) {
  if (list.length <= SERIES_DRAWN + 1) return list;
  const ranked = list.map((_, i) => i).sort((a, b) => list[b].totalNumber - list[a].totalNumber || a - b);
  const rest = ranked.slice(SERIES_DRAWN).map((i) => list[i]);
  const n = rest[0].values.length;
  const values = new Float64Array(n);
  for (const sr of rest) for (let i = 0; i < n; i++) values[i] += sr.values[i] || 0;
  const total = decimalSum(rest.map((sr) => sr.total));
  return [...ranked.slice(0, SERIES_DRAWN).map((i) => list[i]), {
    key: null,
    unit: rest[0].unit,
    name: m.othersCount(f.counted(rest.length, L)),
    label: m.othersCount(f.counted(rest.length, L)),
    values,
    total,
    totalNumber: Number(total),
    anomalies: [],
    memberAnomalies: rest.reduce((a, sr) => a + (sr.anomalies?.length || 0), 0),
    others: rest.length,
  }];
}

/** A series' name without its unit (the panel already says the unit). */
function seriesName(m, sr) {
  const suffix = ` (${sr.unit})`;
  if (sr.key != null && sr.key !== '') return sr.key;
  return sr.label?.endsWith(suffix) ? sr.label.slice(0, -suffix.length) : (sr.label || m.noName);
}

function activeFilters(fl) {
  return ['category', 'region', 'resourceGroup', 'meterContains', 'tag'].filter((k) => fl[k]).length;
}

/** The fraction digits (0 to 3) a column's values need, rounded to three. */
function columnDigits(values) {
  let digits = 0;
  for (const v of values) {
    if (v == null || !Number.isFinite(v)) continue;
    const r = Math.round(Math.abs(v) * 1000);
    const need = r % 1000 === 0 ? 0 : r % 100 === 0 ? 1 : r % 10 === 0 ? 2 : 3;
    if (need > digits) digits = need;
    if (digits === 3) break;
  }
  return digits;
}

function utilTable(ctx, x, list, unit, bucketDate, fmt, through) {
  const L = ctx.locale;
  const m = ctx.m;
  const ui = (ctx.ui[`t-${unit}`] ??= { all: false });
  const LIMIT = 120;
  const n = x.length;
  const idx = [...Array(n).keys()];
  const shown = ui.all ? idx : idx.slice(0, LIMIT);
  const sets = list.map((sr) => new Set(sr.anomalies || []));
  // Each column with as many decimals as its values need (up to `fmt`'s
  // three), on every row, so that the digits line up: "89.510" over "83.021".
  const fmts = list.map((sr) => {
    const digits = columnDigits([...Array.from(sr.values).slice(0, through + 1), sr.totalNumber]);
    return (v) => (v == null ? fmt(v) : f.num(v, L, { digits, fixed: true }));
  });
  const row = (i) => h('tr', null,
    h('th', { scope: 'row' }, bucketDate(x[i])),
    list.map((sr, j) => {
      if (i > through) return numCell(fmt(null), null);
      const v = sr.values[i];
      return numCell(fmts[j](v), sr.exactValues?.[i] ?? null, sets[j].has(i) ? h('span', { class: 'badge over plain anomaly-flag' }, m.anomaly) : null);
    }));
  const tbody = h('tbody', null, shown.map(row));
  const table = h('table', { 'data-table': `unit` },
    h('caption', { class: 'sr-only' }, m.quantityPerBucket({ unit })),
    h('thead', null, h('tr', null, th(m.bucket), list.map((sr) => th(bidi(sr.name), 'num')))),
    tbody,
    h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, m.total), list.map((sr, j) => numCell(fmts[j](sr.totalNumber), sr.total)))));
  if (shown.length < n) {
    // The rest are added in place, and the button goes: keyboard focus
    // goes on to the first row added (its header, focusable for this), as
    // "Show more" does in the customers table, not back to the title.
    const more = h('div', { class: 'more' }, h('button', {
      type: 'button', class: 'btn', 'data-action': 'all-buckets',
      onclick: () => {
        ui.all = true;
        const added = idx.slice(shown.length).map(row);
        tbody.append(...added);
        const first = added[0].cells[0];
        first.tabIndex = -1;
        first.focus();
        more.remove();
      },
    }, m.showAllBuckets(f.counted(n, L))));
    return h('div', null, table, more);
  }
  return table;
}

/**
 * Month-end forecast of each series of a unit: this month's total over the
 * days that have ended, run at its daily rate to the end of the month. Only
 * with day buckets whose last ended bucket is in the current month (the
 * forecast needs this month's days); quantities have no budget, so the
 * customer's budget is compared in the money forecast card instead.
 */
export function quantityForecast(x, list, bucket, nowMs) {
  if (bucket !== 'day') return null;
  const now = new Date(nowMs);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  // A day that has not ended (today) holds only the hours reported so far:
  // counted as a whole day it would pull the rate down, so the rate runs on
  // the days that have ended.
  let end = x.length;
  while (end > 0 && x[end - 1] + 86_400_000 > nowMs) end--;
  if (!end) return null;
  const last = x[end - 1];
  if (last < monthStart || last >= monthEnd) return null;
  const first = Math.max(monthStart, x[0]);
  if (first > monthStart) return null; // the window starts mid-month: not enough to go on
  const days = Math.round((last - monthStart) / 86_400_000) + 1;
  const monthDays = Math.round((monthEnd - monthStart) / 86_400_000);
  return list.map((sr) => {
    let mtd = 0;
    for (let i = 0; i < end; i++) if (x[i] >= monthStart) mtd += sr.values[i] || 0;
    return { key: sr.key, name: sr.name, monthToDate: mtd, monthEnd: (mtd / days) * monthDays, days, monthDays };
  });
}

function forecastLine(ctx, x, list, state) {
  const L = ctx.locale;
  const m = ctx.m;
  const fc = quantityForecast(x, list, state.bucket, ctx.now);
  if (!fc) return null;
  // Three significant digits at least ("1.73 → 2.02", not "1.7 → 2"): a
  // forecast is an estimate, but a small one rounded to a whole unit says
  // little, beside totals with three decimals.
  const approx = (v) => f.num(v, L, { digits: Math.abs(v) < 10 ? 2 : 1, fixed: true });
  return h('div', { class: 'forecast', 'data-forecast': '' },
    h('p', { class: 'note' }, m.forecastAtRate({ day: f.count(fc[0].days, L), days: f.count(fc[0].monthDays, L) })),
    h('ul', { class: 'legend' }, fc.map((f1) => h('li', null, bidi(f1.name),
      // Each figure isolated: Arabic-Indic digits around a neutral arrow
      // would otherwise be laid out right to left, reading as a fall.
      h('b', null, bidi(approx(f1.monthToDate)), ' → ', bidi(approx(f1.monthEnd)))))));
}
