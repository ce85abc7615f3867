// The views of <partner-usage-dashboard>: customers, a customer's
// subscriptions, a subscription's resources, a subscription's utilization.
//
// Each view is a function `(ctx, data) → Element`. `ctx` carries the locale,
// the currency display, the theme colours, per-view UI state (`ctx.ui`) and
// callbacks (`navigate`, `set`, `announce`, `chart`, `record`). Every value
// reaches the DOM through textContent or attributes (see dashboard-dom.js).

import { bidi, h, icon, uid } from './dashboard-dom.js';
import * as f from './dashboard-format.js';

const STATUS_LABEL = {
  over: 'Over budget',
  near: 'Near budget',
  under: 'Within budget',
  'no-budget': 'No budget',
};
const STATUS_RANK = { over: 0, near: 1, under: 2, 'no-budget': 3 };
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

function card(k, v, s, cls) {
  return h('div', { class: `card ${cls || ''}`.trim(), part: 'card' },
    h('span', { class: 'k' }, k),
    h('span', { class: 'v' }, v),
    s ? h('span', { class: 's' }, s) : null);
}

function badge(status) {
  return h('span', { class: `badge ${status}` }, STATUS_LABEL[status] || status);
}

function empty(headline, text) {
  return h('div', { class: 'empty', role: 'status' }, icon('empty'),
    h('span', { class: 'headline' }, headline), text ? h('span', null, text) : null);
}

function numCell(text, exact, extra) {
  return h('td', { class: 'num', 'data-value': exact ?? null, title: exact ?? null }, text, extra || null);
}

function th(text, cls) {
  return h('th', { scope: 'col', class: cls || null }, text);
}

/** A scrollable table wrapper that keyboard users can scroll. */
function scroller(label, table) {
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': label }, table);
}

/**
 * A panel with a chart and a table view of the same numbers, switchable.
 * `render.chart(box)` draws the chart; `render.table()` returns a <table>.
 */
function chartPanel(ctx, { id, title, hint, legend, tools, chart, table, height }) {
  const ui = (ctx.ui[id] ??= { table: false });
  const headingId = uid('h');
  const titleText = typeof title === 'string' ? title : title.textContent;
  const body = h('div', { class: 'panel-body' });
  const chartBtn = h('button', { type: 'button', 'aria-pressed': String(!ui.table), onclick: () => toggle(false) }, 'Chart');
  const tableBtn = h('button', { type: 'button', 'aria-pressed': String(ui.table), onclick: () => toggle(true) }, 'Table');
  const panel = h('section', { class: 'panel', part: 'panel', 'aria-labelledby': headingId, 'data-panel': id },
    h('div', { class: 'panel-head' },
      h('div', null, h('h3', { id: headingId }, title), hint ? h('p', { class: 'hint' }, hint) : null),
      h('div', { class: 'panel-tools' }, tools || null,
        h('div', { class: 'seg', role: 'group', 'aria-label': `${titleText}: show as` }, chartBtn, tableBtn))),
    legend || null,
    body);
  function show() {
    ctx.dropCharts(id);
    body.replaceChildren();
    if (ui.table) {
      body.append(scroller(titleText, table()));
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
  const customers = s.customers || [];
  if (!customers.length) {
    return h('div', { class: 'view' }, empty('No customer usage this billing period', 'Partner Center returned no customer usage records.'));
  }
  const byId = new Map(customers.map((c) => [c.customerId, c]));
  const b = s.budget || {};
  const view = h('div', { class: 'view', 'data-view': 'customers' });

  // Cards.
  const planUsd = s.azurePlan?.usdNumber ?? 0;
  const legacyUsd = s.legacy?.usdNumber ?? 0;
  view.append(h('div', { class: 'cards stack' },
    card('Total spend (USD)', f.usd(s.usdNumber, L),
      `${f.count(customers.length, L)} customers · this billing period`),
    h('div', { class: `card ${b.over ? 'over' : ''}`, part: 'card' },
      h('span', { class: 'k' }, 'Budgets'),
      h('span', { class: 'v' }, `${f.count(b.over || 0, L)} over budget`),
      meter([
        { cls: 'over', value: b.over || 0 }, { cls: 'near', value: b.near || 0 },
        { cls: 'under', value: b.under || 0 }, { cls: 'no-budget', value: b.noBudget || 0 },
      ]),
      keys([
        { cls: 'over', label: 'Over', value: f.count(b.over || 0, L) },
        { cls: 'near', label: 'Near', value: f.count(b.near || 0, L) },
        { cls: 'under', label: 'Within', value: f.count(b.under || 0, L) },
        { cls: 'no-budget', label: 'None', value: f.count(b.noBudget || 0, L) },
      ])),
    h('div', { class: 'card', part: 'card' },
      h('span', { class: 'k' }, 'Azure plan vs legacy'),
      h('span', { class: 'v' }, s.usdNumber ? `${f.percent((planUsd / s.usdNumber) * 100, L)} Azure plan` : '—'),
      meter([{ cls: 'plan', value: planUsd }, { cls: 'legacy', value: legacyUsd }]),
      keys([
        { cls: 'plan', label: `Azure plan (${f.count(s.azurePlan?.customers || 0, L)})`, value: f.usd(planUsd, L, { compact: true }) },
        { cls: 'legacy', label: `Legacy (${f.count(s.legacy?.customers || 0, L)})`, value: f.usd(legacyUsd, L, { compact: true }) },
      ]))));

  // Top N chart.
  const top = s.top || [];
  const colorOf = (row) => {
    if (row.others) return ctx.theme.others;
    const st = byId.get(row.key)?.status;
    return { over: ctx.theme.over, near: ctx.theme.near, under: ctx.theme.under }[st] || ctx.theme.none;
  };
  const labels = top.map((r) => (r.others ? `Others (${f.count(r.count, L)})` : r.label));
  const values = top.map((r) => r.usdNumber);
  ctx.record('top', { kind: 'bar', labels, values, currency: 'USD', exact: top.map((r) => r.usd) });
  view.append(chartPanel(ctx, {
    id: 'top',
    title: 'Cost per customer (USD)',
    hint: `Top ${f.count(top.filter((r) => !r.others).length, L)} customers by spend, the rest summed as others. USD is the only currency that adds up across customers.`,
    legend: keys([
      { cls: 'over', label: 'Over budget', value: '' },
      { cls: 'near', label: `Near budget (${f.percent(s.nearThreshold, L)}+)`, value: '' },
      { cls: 'under', label: 'Within budget', value: '' },
      { cls: 'no-budget', label: 'No budget', value: '' },
      { cls: 'others', label: 'Others', value: '' },
    ]),
    chart: (box) => ctx.bar(box, {
      labels,
      values,
      colors: top.map(colorOf),
      overflow: top.flatMap((r, i) => (r.others ? [i] : [])),
      seriesLabel: 'Cost (USD)',
      format: (v) => f.usd(v, L),
      tick: (v) => f.usd(v, L, { compact: true }),
      ariaLabel: `Bar chart: cost per customer in USD, ${top.length} bars. Use the arrow keys to read the values; Enter opens a customer.`,
      describe: (i) => {
        const r = top[i];
        const c = byId.get(r.key);
        return {
          title: labels[i],
          sub: c ? `${STATUS_LABEL[c.status]}${c.isUpgraded ? ' · Azure plan' : ' · Legacy'}` : null,
          rows: [{ color: colorOf(r), label: 'Cost (USD)', value: f.usd(r.usdNumber, L) }],
        };
      },
      onActivate: (i) => { if (!top[i].others) ctx.navigate({ view: 'subscriptions', customerId: top[i].key }); },
    }),
    table: () => h('table', { 'data-table': 'top' },
      h('caption', { class: 'sr-only' }, 'Cost per customer (USD), top customers and others'),
      h('thead', null, h('tr', null, th('Customer'), th('Cost (USD)', 'num'))),
      h('tbody', null, top.map((r, i) => h('tr', { class: r.others ? 'others' : null },
        h('th', { scope: 'row' }, bidi(labels[i])),
        numCell(f.usd(r.usdNumber, L), r.usd)))),
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Total'), numCell(f.usd(s.usdNumber, L), s.usd)))),
  }));

  // Currencies.
  const cur = s.currencyTotals || [];
  ctx.record('currencies', { kind: 'table', rows: cur.map((c) => ({ currency: c.currency, amount: c.amount, usd: c.usd })) });
  view.append(h('section', { class: 'panel', part: 'panel', 'aria-label': 'Totals per billing currency' },
    h('div', { class: 'panel-head' }, h('div', null,
      h('h3', null, 'Totals per billing currency'),
      h('p', { class: 'hint' }, 'Each currency is summed on its own; legacy customers are billed in their locale\u2019s currency.'))),
    scroller('Totals per billing currency', h('table', { 'data-table': 'currencies' },
      h('caption', { class: 'sr-only' }, 'Totals per billing currency'),
      h('thead', null, h('tr', null, th('Currency'), th('Customers', 'num'), th('Total (native)', 'num'), th('Total (USD)', 'num'))),
      h('tbody', null, cur.map((c) => h('tr', null,
        h('th', { scope: 'row' }, f.legacyLocale(c.currency) ? h('span', { class: 'badge legacy plain' }, f.currencyName(c.currency)) : c.currency),
        numCell(f.count(c.records, L)),
        numCell(f.money(c.amountNumber, c.currency, L), c.amount),
        numCell(f.usd(c.usdNumber, L), c.usd))))))));

  // All customers, over budget first.
  view.append(customersTable(ctx, s, customers));
  return view;
}

/** Rows of the customers table at first, and how many more each "Show more" adds. */
const PAGE_ROWS = 25;
const MORE_ROWS = 100;

function customersTable(ctx, s, customers) {
  const L = ctx.locale;
  const native = ctx.currencyDisplay === 'native';
  const ui = (ctx.ui.customers ??= { search: '', limit: PAGE_ROWS, sort: DEFAULT_SORT });
  let sorted = sortCustomers(customers, ui.sort, L);
  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  const countNote = h('p', { class: 'note', 'aria-live': 'polite' });
  // A partner may have thousands of customers: rows are built once and
  // reused as the filter changes, and the table shows a page of them at a
  // time (laying out thousands of rows takes about a second).
  const headers = [];
  const built = new Map();
  const rowOf = (c) => {
    let tr = built.get(c.customerId);
    if (!tr) built.set(c.customerId, (tr = customerRow(ctx, c, native)));
    return tr;
  };
  const fill = () => {
    const q = ui.search.trim().toLowerCase();
    const rows = q ? sorted.filter((c) => c.name.toLowerCase().includes(q) || c.customerId.toLowerCase().includes(q)) : sorted;
    const shown = rows.slice(0, ui.limit);
    tbody.replaceChildren(...shown.map(rowOf));
    const showing = shown.length < rows.length ? ` Showing ${f.count(shown.length, L)}.` : '';
    countNote.textContent = q
      ? `${f.count(rows.length, L)} of ${f.count(sorted.length, L)} customers match.${showing}`
      : `${f.count(shown.length, L)} of ${f.count(sorted.length, L)} customers, ${SORT_NOTE[ui.sort.key][ui.sort.dir]}.`;
    more.replaceChildren();
    const left = rows.length - shown.length;
    const noun = q ? 'matches' : 'customers';
    // Keyboard focus goes on to the first row shown, not back to the page.
    const showMore = (limit) => () => {
      const from = shown.length;
      ui.limit = limit;
      fill();
      tbody.rows[from]?.querySelector('button.link')?.focus();
    };
    if (left > MORE_ROWS) {
      more.append(h('button', { type: 'button', class: 'btn', 'data-action': 'more', onclick: showMore(ui.limit + MORE_ROWS) },
        `Show ${f.count(MORE_ROWS, L)} more`));
    }
    if (left > 0) {
      more.append(h('button', { type: 'button', class: 'btn', 'data-action': 'all', onclick: showMore(Infinity) },
        `Show all ${f.count(rows.length, L)} ${noun}`));
    }
  };
  const id = uid('q');
  const input = h('input', { type: 'search', id, placeholder: 'Name or tenant id', autocomplete: 'off', props: { value: ui.search } });
  // One re-render a frame, however fast the keys come.
  let frame = 0;
  input.addEventListener('input', () => {
    ui.search = input.value;
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; fill(); });
  });
  fill();
  return h('section', { class: 'panel', part: 'panel', 'aria-label': 'Customers' },
    h('div', { class: 'panel-head' },
      h('div', null, h('h3', null, 'Customers'), countNote),
      h('div', { class: 'field' }, h('label', { for: id }, 'Filter customers'), input)),
    scroller('Customers table', h('table', { 'data-table': 'customers' },
      h('caption', { class: 'sr-only' }, 'Customers; the column headers with a button sort the table'),
      h('thead', null, h('tr', null,
        sortable('Customer', 'name'),
        native ? th('Cost (billing currency)', 'num') : sortable('Cost (USD)', 'usd', 'num'),
        native ? sortable('Cost (USD)', 'usd', 'num') : null,
        th('Budget', 'num'),
        sortable('Used', 'used', 'num'),
        sortable('Status', 'status'))),
      tbody)),
    more);

  /** `aria-sort` of the column sorting by `key`. */
  function ariaSort(key) {
    if (ui.sort.key !== key) return 'none';
    return ui.sort.dir === 'asc' ? 'ascending' : 'descending';
  }

  /** A column header whose button sorts by `key` (a second click reverses). */
  function sortable(text, key, cls) {
    const button = h('button', { type: 'button', class: 'sort' }, text, icon('sort'));
    const cell = h('th', { scope: 'col', class: cls || null, 'data-sort': key, 'aria-sort': ariaSort(key) }, button);
    button.addEventListener('click', () => {
      const same = ui.sort.key === key;
      ui.sort = { key, dir: same ? (ui.sort.dir === 'asc' ? 'desc' : 'asc') : SORT_FIRST[key] };
      sorted = sortCustomers(customers, ui.sort, L);
      for (const c of headers) c.setAttribute('aria-sort', ariaSort(c.dataset.sort));
      fill();
      ctx.announce?.(`Sorted by ${text}, ${ariaSort(key)}`);
    });
    headers.push(cell);
    return cell;
  }
}

/** The customers table's order at first (no column's): over budget first, then by USD. */
const DEFAULT_SORT = { key: 'default', dir: 'asc' };
/** The direction a column sorts in on its first click. */
const SORT_FIRST = { name: 'asc', usd: 'desc', used: 'desc', status: 'asc' };
const SORT_NOTE = {
  default: { asc: 'over-budget first' },
  name: { asc: 'by name', desc: 'by name, Z to A' },
  usd: { asc: 'by cost, smallest first', desc: 'by cost, largest first' },
  used: { asc: 'by budget used, least first', desc: 'by budget used, most first' },
  status: { asc: 'by status, over budget first', desc: 'by status, over budget last' },
};

/**
 * Customers in a table order. Ties go by USD, largest first; customers
 * without a budget sort after the others by "Used", either way.
 */
function sortCustomers(customers, { key, dir }, locale) {
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

function customerRow(ctx, c, native) {
  const L = ctx.locale;
  const legacy = f.legacyLocale(c.currency);
  const hasBudget = c.budgetNumber != null;
  const budget = hasBudget ? f.money(c.budgetNumber, c.currency, L) : '—';
  // Without a budget there is nothing to be a share of: Partner Center
  // reports 0 %, which reads as "nothing spent" next to a real cost.
  const used = hasBudget ? f.percent(c.percentUsedComputed ?? c.percentUsedReported, L, { fixed: true }) : '—';
  return h('tr', { class: c.status === 'over' ? 'is-over' : null, 'data-customer-id': c.customerId, 'data-status': c.status },
    h('th', { scope: 'row' }, h('div', { class: 'name' },
      h('button', { type: 'button', class: 'link', onclick: () => ctx.navigate({ view: 'subscriptions', customerId: c.customerId }) }, bidi(c.name || c.customerId)),
      h('span', { class: 'sub' }, c.isUpgraded ? 'Azure plan' : 'Legacy'))),
    native
      ? numCell(f.money(c.costNumber, c.currency, L), c.cost, legacy ? h('span', { class: 'cell-sub' }, `legacy · ${legacy}`) : null)
      : numCell(f.usd(c.usdNumber, L), c.usd),
    native ? numCell(f.usd(c.usdNumber, L), c.usd) : null,
    numCell(budget, c.budget ?? null),
    numCell(used, c.percentUsedComputed ?? null),
    h('td', null, badge(c.status)));
}

// ---------------------------------------------------------------- subscriptions

/** Month-end forecast of a month-to-date amount, linear in elapsed time. */
export function monthEndForecast(amount, nowMs) {
  const d = new Date(nowMs);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const elapsed = Math.max(nowMs - start, 3_600_000);
  return { value: (amount * (end - start)) / elapsed, elapsedDays: elapsed / 86_400_000, monthDays: (end - start) / 86_400_000 };
}

/** The customer's month-end spend, projected at its run rate, against its budget. */
function moneyForecastCard(ctx, customer) {
  const L = ctx.locale;
  const fc = monthEndForecast(customer.costNumber, ctx.now);
  const pct = customer.budgetNumber ? (fc.value / customer.budgetNumber) * 100 : null;
  const over = pct != null && pct > 100;
  ctx.record('forecast', { value: fc.value, budget: customer.budgetNumber ?? null, percent: pct });
  const el = card('Month-end forecast', f.money(fc.value, customer.currency, L),
    pct != null
      ? `${f.percent(pct, L)} of the ${f.money(customer.budgetNumber, customer.currency, L)} budget${over ? ': projected over budget' : ''}`
      : `${f.legacyLocale(customer.currency) ? `In ${f.currencyName(customer.currency)} · ` : ''}No budget set · run rate over ${f.num(fc.elapsedDays, L, { digits: 1 })} of ${f.num(fc.monthDays, L, { digits: 0 })} days`,
    over ? 'over' : '');
  el.setAttribute('data-forecast', 'money');
  return el;
}

/** A customer's subscriptions, each linking to its resources or utilization. */
export function subscriptionsView(ctx, { customer, subscriptions, costs }) {
  const L = ctx.locale;
  const view = h('div', { class: 'view', 'data-view': 'subscriptions' });
  if (customer) {
    const native = ctx.currencyDisplay === 'native';
    const amount = native ? f.money(customer.costNumber, customer.currency, L) : f.usd(customer.usdNumber, L);
    const other = native ? f.usd(customer.usdNumber, L) : f.money(customer.costNumber, customer.currency, L);
    const cards = [card('Spend this billing period', amount,
      `${other} ${native ? '' : `in ${f.currencyName(customer.currency)}`}`.trim())];
    const bcard = h('div', { class: `card ${customer.status === 'over' ? 'over' : ''}`, part: 'card' },
      h('span', { class: 'k' }, 'Budget'),
      h('span', { class: 'v' }, customer.budgetNumber != null ? f.money(customer.budgetNumber, customer.currency, L) : 'No budget'),
      h('span', { class: 's' }, badge(customer.status), ' ',
        customer.budgetNumber != null ? `${f.percent(customer.percentUsedComputed, L)} used` : ''));
    cards.push(bcard);
    cards.push(moneyForecastCard(ctx, customer));
    cards.push(card('Plan', customer.isUpgraded ? 'Azure plan' : 'Legacy',
      `${f.count((subscriptions || []).length, L)} subscriptions · tenant ${customer.customerId}`));
    view.append(h('div', { class: 'cards' }, cards));
  }
  if (!subscriptions || !subscriptions.length) {
    view.append(empty('No subscriptions', 'This customer has no subscriptions.'));
    return view;
  }
  // Each Azure plan subscription's cost this billing period.
  const outcome = new Map((costs?.subscriptions || []).map((o) => [o.subscriptionId, o]));
  const okSummaries = (costs?.subscriptions || []).filter((o) => o.summary).map((o) => o.summary);
  const currency = chartCurrency(ctx, mergeTotals(okSummaries));
  if (okSummaries.length) view.append(subscriptionCostPanel(ctx, subscriptions, outcome, currency));
  if (costs?.failed) {
    const first = costs.subscriptions.find((o) => o.error)?.error;
    view.append(h('p', { class: 'note', role: 'status' },
      `The cost of ${f.count(costs.failed, L)} ${costs.failed === 1 ? 'subscription' : 'subscriptions'} could not be loaded${first?.message ? `: ${String(first.message).split('\n')[0].slice(0, 200)}` : '.'}`));
  }
  const rows = subscriptions.map((s) => {
    const kind = subscriptionKind(s);
    const name = s.friendlyName || s.offerName || s.id;
    const o = outcome.get(s.id);
    const amount = o?.summary ? amountOf(o.summary, currency) : null;
    const action = kind
      ? h('button', { type: 'button', class: 'link', onclick: () => ctx.navigate({ view: kind, subscriptionId: s.id }) },
        kind === 'resources' ? 'Cost by resource' : 'Utilization')
      : h('span', { class: 'note' }, 'No usage data (licence)');
    return h('tr', { 'data-subscription-id': s.id, 'data-kind': kind || 'none' },
      h('th', { scope: 'row' }, h('div', { class: 'name' },
        kind ? h('button', { type: 'button', class: 'link', onclick: () => ctx.navigate({ view: kind, subscriptionId: s.id }) }, bidi(name)) : bidi(name),
        h('span', { class: 'sub' }, s.id))),
      h('td', { class: 'hide-narrow' }, h('div', { class: 'name' }, bidi(s.offerName || '—'), h('span', { class: 'sub' }, s.offerId || ''))),
      h('td', null, h('span', { class: `badge plain ${String(s.status).toLowerCase() === 'active' ? 'under' : 'near'}` }, s.status || '—')),
      amount ? numCell(f.money(amount.n, currency, L), amount.exact)
        : h('td', { class: 'num note' }, kind === 'utilization' ? 'quantities only' : '—'),
      h('td', null, action));
  });
  view.append(h('section', { class: 'panel', part: 'panel', 'aria-label': 'Subscriptions' },
    h('div', { class: 'panel-head' }, h('div', null, h('h3', null, 'Subscriptions'),
      h('p', { class: 'hint' }, 'Azure plan subscriptions show cost by resource; legacy Microsoft Azure (MS-AZR-0145P) subscriptions show utilization over time.'))),
    scroller('Subscriptions table', h('table', { 'data-table': 'subscriptions' },
      h('caption', { class: 'sr-only' }, 'Subscriptions'),
      h('thead', null, h('tr', null, th('Subscription'), th('Offer', 'hide-narrow'), th('Status'), th(`Cost (${currency})`, 'num'), th('Usage'))),
      h('tbody', null, rows)))));
  return view;
}

/** Sums the per-currency totals of several summaries (for picking the chart currency). */
function mergeTotals(summaries) {
  const m = new Map();
  for (const s of summaries) for (const t of s.currencyTotals || []) m.set(t.currency, t);
  return [...m.values()];
}

/** Cost per Azure plan subscription, each bar split by resource type. */
function subscriptionCostPanel(ctx, subscriptions, outcome, currency) {
  const L = ctx.locale;
  const subs = subscriptions.filter((s) => outcome.get(s.id)?.summary);
  const seen = new Map();
  for (const s of subs) { const n = s.friendlyName || s.offerName || s.id; seen.set(n, (seen.get(n) || 0) + 1); }
  const labels = subs.map((s) => {
    const n = s.friendlyName || s.offerName || s.id;
    return seen.get(n) > 1 ? `${n} (${s.id.slice(0, 8)})` : n;
  });
  const amounts = subs.map((s) => amountOf(outcome.get(s.id).summary, currency));
  const order = subs.map((_, i) => i).sort((a, b) => amounts[b].n - amounts[a].n);
  const ranked = new Map();
  for (const i of order) for (const g of outcome.get(subs[i].id).summary.groups || []) {
    const t = ranked.get(g.key) || { label: g.label, n: 0 };
    t.n += amountOf(g, currency).n;
    ranked.set(g.key, t);
  }
  const types = [...ranked.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const colorOf = new Map(types.map(([k], i) => [k, i < 7 ? ctx.theme.series[i] : ctx.theme.others]));
  const L2 = order.map((i) => labels[i]);
  const values = order.map((i) => amounts[i].n);
  const stacks = order.map((i) => (outcome.get(subs[i].id).summary.groups || [])
    .map((g) => ({ value: amountOf(g, currency).n, color: colorOf.get(g.key), label: g.label })));
  ctx.record('subscriptions', { kind: 'bar', labels: L2, values, currency, exact: order.map((i) => amounts[i].exact), ids: order.map((i) => subs[i].id) });
  const legend = h('ul', { class: 'legend' }, types.slice(0, 7).map(([k, t]) => {
    const sw = h('span', { class: 'swatch' });
    sw.style.background = colorOf.get(k);
    return h('li', null, sw, bidi(t.label));
  }), types.length > 7 ? h('li', null, h('span', { class: 'swatch others' }), `${types.length - 7} more types`) : null);
  return chartPanel(ctx, {
    id: 'subscriptions',
    title: `Cost per Azure plan subscription (${currency})`,
    hint: 'This billing period, each bar split by resource type. Legacy subscriptions report quantities, not cost.',
    legend,
    chart: (box) => ctx.bar(box, {
      labels: L2, values, colors: order.map(() => ctx.theme.series[0]), stacks,
      seriesLabel: `Cost (${currency})`,
      format: (v) => f.money(v, currency, L),
      tick: (v) => f.money(v, currency, L, { compact: true }),
      ariaLabel: `Bar chart: cost per subscription in ${currency}, ${L2.length} bars. Use the arrow keys to read the values; Enter opens a subscription.`,
      onActivate: (i) => ctx.navigate({ view: 'resources', subscriptionId: subs[order[i]].id }),
    }),
    table: () => h('table', { 'data-table': 'subscription-costs' },
      h('caption', { class: 'sr-only' }, `Cost per Azure plan subscription (${currency})`),
      h('thead', null, h('tr', null, th('Subscription'), th('Records', 'num'), th(`Cost (${currency})`, 'num'))),
      h('tbody', null, order.map((i, j) => h('tr', null,
        h('th', { scope: 'row' }, bidi(L2[j])),
        numCell(f.count(outcome.get(subs[i].id).summary.records, L)),
        numCell(f.money(values[j], currency, L), amounts[i].exact))))),
  });
}

// ---------------------------------------------------------------- resources

export const RESOURCE_DIMS = [
  ['resource-group', 'Resource group'],
  ['resource-type', 'Resource type'],
  ['resource', 'Resource'],
  ['entitlement', 'Entitlement'],
];
const DIM_NAME = Object.fromEntries(RESOURCE_DIMS);

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
export function resourcesView(ctx, { summary: s, state }) {
  const L = ctx.locale;
  const view = h('div', { class: 'view', 'data-view': 'resources' });
  const groupBy = state.groupBy;
  const thenBy = state.thenBy;
  // Controls.
  const seg = h('div', { class: 'seg wrap', role: 'group', 'aria-label': 'Group by' },
    RESOURCE_DIMS.map(([k, label]) => h('button', {
      type: 'button', 'aria-pressed': String(k === groupBy), 'data-group-by': k,
      onclick: () => ctx.set({ groupBy: k, thenBy: thenBy === k ? defaultThen(k) : thenBy }),
    }, label)));
  const thenId = uid('then');
  const thenSel = h('select', { id: thenId },
    h('option', { value: '' }, 'Nothing'),
    RESOURCE_DIMS.filter(([k]) => k !== groupBy).map(([k, label]) => h('option', { value: k, props: { selected: k === thenBy } }, label)));
  thenSel.addEventListener('change', () => ctx.set({ thenBy: thenSel.value || null }));
  view.append(h('div', { class: 'controls', part: 'controls' },
    h('div', { class: 'field' }, h('span', { class: 'group-label' }, 'Group by'), seg),
    h('div', { class: 'field' }, h('label', { for: thenId }, 'Then by'), thenSel)));

  const totals = s.currencyTotals || [];
  if (!s.records) {
    view.append(empty('No usage this billing period', 'Partner Center has no resource usage records for this subscription yet.'));
    return view;
  }
  const currency = chartCurrency(ctx, totals);
  const mixed = ctx.currencyDisplay === 'native' && currency === 'USD' && totals.length > 1;
  const totalAmount = amountOf(s, currency);
  view.append(h('div', { class: 'cards' },
    card(`Total (${currency})`, f.money(totalAmount.n, currency, L),
      totals.length && currency === 'USD' && totals[0].currency !== 'USD'
        ? totals.map((t) => f.money(t.amountNumber, t.currency, L)).join(' · ')
        : `${f.usd(s.usdNumber, L)} in USD`),
    card('Groups', f.count(s.groupCount ?? (s.groups || []).length, L), `by ${DIM_NAME[groupBy].toLowerCase()}`),
    card('Records', f.count(s.records, L), s.skippedRecords ? `${f.count(s.skippedRecords, L)} skipped` : 'resource usage records')));

  const groups = s.groups || [];
  const othersCount = Math.max(0, (s.groupCount ?? groups.length) - groups.filter((g) => !g.others).length);
  const labels = groups.map((g) => (g.others ? `Others (${f.count(othersCount, L)})` : g.label));
  const amounts = groups.map((g) => amountOf(g, currency));
  const values = amounts.map((a) => a.n);
  const colors = groups.map((g) => (g.others ? ctx.theme.others : ctx.theme.series[0]));
  ctx.record('groups', { kind: 'bar', labels, values, currency, exact: amounts.map((a) => a.exact) });
  const dimName = DIM_NAME[groupBy].toLowerCase();
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
    const colorOfChild = new Map(ranked.map(([k], i) => [k, i < 7 ? ctx.theme.series[i] : ctx.theme.others]));
    stacks = groups.map((g) => (g.children || []).map((c) => ({ value: amountOf(c, currency).n, color: colorOfChild.get(c.key), label: c.label })));
    stackLegend = h('ul', { class: 'legend' }, ranked.slice(0, 7).map(([k, t]) => {
      const sw = h('span', { class: 'swatch' });
      sw.style.background = colorOfChild.get(k);
      return h('li', null, sw, bidi(t.label));
    }), ranked.length > 7 ? h('li', null, h('span', { class: 'swatch others' }), `${ranked.length - 7} more ${DIM_NAME[thenBy].toLowerCase()}s`) : null);
  }
  view.append(chartPanel(ctx, {
    id: 'groups',
    title: `Cost by ${dimName} (${currency})`,
    hint: [thenBy && stacks ? `Each bar is split by ${DIM_NAME[thenBy].toLowerCase()}.` : null,
      mixed ? 'This subscription is billed in more than one currency, so the chart is in USD.' : null].filter(Boolean).join(' ') || null,
    legend: stackLegend,
    chart: (box) => ctx.bar(box, {
      labels, values, colors, stacks,
      overflow: groups.flatMap((g, i) => (g.others ? [i] : [])),
      seriesLabel: `Cost (${currency})`,
      format: (v) => f.money(v, currency, L),
      tick: (v) => f.money(v, currency, L, { compact: true }),
      ariaLabel: `Bar chart: cost by ${dimName} in ${currency}, ${labels.length} bars. Use the arrow keys to read the values.`,
      onActivate: (i) => {
        if (!thenBy || groups[i].others) return;
        const ui = (ctx.ui.expanded ??= new Set());
        ui.add(groups[i].key);
        ctx.rerender();
      },
    }),
    table: () => h('table', { 'data-table': 'groups' },
      h('caption', { class: 'sr-only' }, `Cost by ${dimName}`),
      h('thead', null, h('tr', null, th(DIM_NAME[groupBy]), th(`Cost (${currency})`, 'num'))),
      h('tbody', null, groups.map((g, i) => h('tr', { class: g.others ? 'others' : null },
        h('th', { scope: 'row' }, bidi(labels[i])), numCell(f.money(values[i], currency, L), amounts[i].exact))))),
  }));

  // Two-level breakdown.
  view.append(breakdown(ctx, s, groups, currency, groupBy, thenBy));
  return view;
}

export function defaultThen(groupBy) {
  return groupBy === 'resource-group' ? 'resource-type' : groupBy === 'resource-type' ? 'resource' : null;
}

function breakdown(ctx, s, groups, currency, groupBy, thenBy) {
  const L = ctx.locale;
  const expanded = (ctx.ui.expanded ??= new Set());
  const total = amountOf(s, currency).n || 0;
  const share = (n) => (total ? f.percent((n / total) * 100, L, { fixed: true }) : '—');
  const showUsd = currency !== 'USD';
  const bodies = groups.map((g) => {
    const a = amountOf(g, currency);
    const kids = g.children || [];
    const open = expanded.has(g.key);
    const tb = h('tbody', { 'data-group': g.key });
    const kidRows = kids.map((c) => {
      const ca = amountOf(c, currency);
      return h('tr', { class: 'child', hidden: !open },
        h('th', { scope: 'row' }, bidi(c.label)),
        numCell(f.count(c.records, L)),
        numCell(f.money(ca.n, currency, L), ca.exact),
        showUsd ? numCell(f.usd(c.usdNumber, L), c.usd) : null,
        numCell(share(ca.n)));
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
      : g.others ? 'Others' : bidi(g.label);
    tb.append(h('tr', { class: `group ${g.others ? 'others' : ''}`.trim() },
      h('th', { scope: 'row' }, name),
      numCell(f.count(g.records, L)),
      numCell(f.money(a.n, currency, L), a.exact),
      showUsd ? numCell(f.usd(g.usdNumber, L), g.usd) : null,
      numCell(share(a.n))), ...kidRows);
    return tb;
  });
  const title = thenBy ? `Breakdown by ${DIM_NAME[groupBy].toLowerCase()} and ${DIM_NAME[thenBy].toLowerCase()}` : `Breakdown by ${DIM_NAME[groupBy].toLowerCase()}`;
  return h('section', { class: 'panel', part: 'panel', 'aria-label': title },
    h('div', { class: 'panel-head' }, h('div', null, h('h3', null, title),
      thenBy ? h('p', { class: 'hint' }, 'Expand a group to see its second level.') : null),
    thenBy ? h('div', { class: 'panel-tools' },
      h('button', { type: 'button', class: 'btn', onclick: () => { for (const g of groups) if (g.children?.length) expanded.add(g.key); ctx.rerender(); } }, 'Expand all'),
      h('button', { type: 'button', class: 'btn', onclick: () => { expanded.clear(); ctx.rerender(); } }, 'Collapse all')) : null),
    scroller(title, h('table', { 'data-table': 'breakdown' },
      h('caption', { class: 'sr-only' }, title),
      h('thead', null, h('tr', null, th(thenBy ? `${DIM_NAME[groupBy]} / ${DIM_NAME[thenBy]}` : DIM_NAME[groupBy]),
        th('Records', 'num'), th(`Cost (${currency})`, 'num'), showUsd ? th('Cost (USD)', 'num') : null, th('Share', 'num'))),
      ...bodies,
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Total'), numCell(f.count(s.records, L)),
        numCell(f.money(total, currency, L), amountOf(s, currency).exact), showUsd ? numCell(f.usd(s.usdNumber, L), s.usd) : null, numCell(share(total)))))));
}

// ---------------------------------------------------------------- utilization

export const UTIL_DIMS = [
  ['meter', 'Meter'],
  ['category', 'Category'],
  ['subcategory', 'Subcategory'],
  ['region', 'Region'],
  ['resource-group', 'Resource group'],
  ['tag', 'Tag'],
];

function selectField(label, value, options, onChange, attrs) {
  const id = uid('f');
  // Names that Azure compares ignoring case (a tag key or resource group
  // from a shared link) select their option whatever their case.
  let at = options.findIndex(([v]) => v === value);
  if (at < 0 && value) at = options.findIndex(([v]) => String(v).toLowerCase() === String(value).toLowerCase());
  const sel = h('select', { id, ...(attrs || {}) }, options.map(([v, t], i) => h('option', { value: v, dir: 'auto', props: { selected: i === at } }, t)));
  sel.addEventListener('change', () => onChange(sel.value));
  return h('div', { class: 'field' }, h('label', { for: id }, label), sel);
}

function inputField(label, type, value, onChange, attrs) {
  const id = uid('f');
  const input = h('input', { id, type, ...(attrs || {}), props: { value: value ?? '' } });
  let t = 0;
  const fire = () => { clearTimeout(t); onChange(input.value); };
  if (type === 'text' || type === 'search') {
    input.addEventListener('input', () => { clearTimeout(t); t = setTimeout(fire, 400); });
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') fire(); });
  } else {
    input.addEventListener('change', fire);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

/**
 * Utilization over time: one chart per unit, one line per group, anomalies
 * marked, plus a month-end forecast where the window reaches this month.
 */
export function utilizationView(ctx, { summary: s, state, facets, window: win, customer }) {
  const L = ctx.locale;
  const view = h('div', { class: 'view', 'data-view': 'utilization' });
  const hourly = state.granularity === 'hourly';
  const buckets = hourly ? [['hour', 'Hour'], ['day', 'Day'], ['week', 'Week'], ['month', 'Month']] : [['day', 'Day'], ['week', 'Week'], ['month', 'Month']];
  const fl = state.filters || {};
  const opt = (vals) => [['', 'All'], ...(vals || []).map((v) => [v, v])];
  // Without the records at hand (a very large window), filters are typed.
  const facetField = (label, key, values, control) => (values
    ? selectField(label, fl[key] || '', opt(values), (v) => ctx.set({ filters: { ...fl, [key]: v || undefined } }), { 'data-control': control })
    : inputField(label, 'search', fl[key] || '', (v) => ctx.set({ filters: { ...fl, [key]: v || undefined } }), { placeholder: 'Exact name', 'data-control': control }));
  facets = facets || {};
  view.append(h('div', { class: 'controls', part: 'controls' },
    inputField('From', 'date', state.from, (v) => ctx.set({ from: v }), { max: state.to, 'data-control': 'from' }),
    inputField('To', 'date', state.to, (v) => ctx.set({ to: v }), { min: state.from, max: win.maxDay, 'data-control': 'to' }),
    h('div', { class: 'field' }, h('span', { class: 'group-label' }, 'Granularity'),
      h('div', { class: 'seg', role: 'group', 'aria-label': 'Granularity' },
        [['daily', 'Daily'], ['hourly', 'Hourly']].map(([k, t]) => h('button', {
          type: 'button', 'aria-pressed': String(state.granularity === k), 'data-granularity': k,
          onclick: () => ctx.set({ granularity: k, bucket: k === 'hourly' ? state.bucket : (state.bucket === 'hour' ? 'day' : state.bucket) }),
        }, t)))),
    selectField('Bucket', state.bucket, buckets, (v) => ctx.set({ bucket: v }), { 'data-control': 'bucket' }),
    selectField('Group by', state.uGroupBy, UTIL_DIMS, (v) => ctx.set({ uGroupBy: v }), { 'data-control': 'group-by' }),
    state.uGroupBy !== 'tag' ? null : facets.tagKeys
      ? selectField('Tag key', state.tagKey || '', [['', 'Choose…'], ...facets.tagKeys.map((k) => [k, k])], (v) => ctx.set({ tagKey: v }), { 'data-control': 'tag-key' })
      : inputField('Tag key', 'search', state.tagKey || '', (v) => ctx.set({ tagKey: v }), { placeholder: 'e.g. env', 'data-control': 'tag-key' })));
  const nActive = activeFilters(fl);
  const filterBox = h('details', { class: 'filters', props: { open: !ctx.narrow || nActive > 0 } },
    h('summary', null, nActive ? `Filters (${nActive} active)` : 'Filters'));
  view.append(filterBox);
  filterBox.append(h('div', { class: 'controls', part: 'controls', role: 'group', 'aria-label': 'Filters' },
    facetField('Category', 'category', facets.categories, 'category'),
    facetField('Region', 'region', facets.regions, 'region'),
    facetField('Resource group', 'resourceGroup', facets.resourceGroups, 'resource-group'),
    inputField('Meter contains', 'search', fl.meterContains || '', (v) => ctx.set({ filters: { ...fl, meterContains: v || undefined } }), { placeholder: 'e.g. Disk', 'data-control': 'meter-contains' }),
    activeFilters(fl) ? h('button', { type: 'button', class: 'btn', onclick: () => ctx.set({ filters: {} }) }, 'Clear filters') : null));

  const series = s?.series || [];
  if (state.uGroupBy === 'tag' && !state.tagKey) {
    view.append(empty('Choose a tag key', 'Grouping by tag needs a tag key, such as “env” or “costCenter”.'));
    return view;
  }
  if (!s || !s.records || !series.length) {
    view.append(empty('No usage in this window', `Partner Center reported no utilization between ${state.from} and ${state.to}${activeFilters(fl) ? ' matching the filters' : ''}. Try a wider date range${hourly ? ' or daily granularity' : ''}.`));
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
  view.append(h('div', { class: 'cards' },
    card('Records', f.count(s.records, L), `${hourly ? 'Hourly' : 'Daily'} utilization records`),
    card('Series', f.count(series.length, L), `${f.count(units.length, L)} ${units.length === 1 ? 'unit' : 'units'}, never added together`),
    card('Anomalies', f.count(anomalies, L), anomalies ? 'Buckets far from their series’ norm' : 'No bucket stands out', anomalies ? 'over' : ''),
    card('Window', `${f.count(x.length, L)} ${state.bucket}s`, `${f.date(x[0], L, { hour: state.bucket === 'hour' })} – ${f.date(x[x.length - 1], L, { hour: state.bucket === 'hour' })}`),
    customer ? moneyForecastCard(ctx, customer) : null));

  // Axis ticks: months, days, or hours with the date at each midnight.
  const incrFmt = (v, incr) => (state.bucket === 'month' || incr >= 28 * 86_400_000 ? f.month(v, L)
    : incr >= 86_400_000 || v % 86_400_000 === 0 ? f.date(v, L, { short: true }) : f.time(v, L));
  const bucketDate = (ms) => (state.bucket === 'month' ? f.month(ms, L)
    : state.bucket === 'week' ? `Week of ${f.date(ms, L)}` : f.date(ms, L, { hour: state.bucket === 'hour' }));

  units.forEach((unit, ui) => {
    const list = byUnit.get(unit).map((sr) => ({ ...sr, name: seriesName(sr) }));
    const id = `unit-${ui}`;
    const colorOf = (i) => ctx.theme.series[i % ctx.theme.series.length];
    const fmt = (v) => (v == null ? '—' : f.num(v, L, { digits: 3 }));
    ctx.record(id, {
      kind: 'time', unit, x: Array.from(x),
      series: list.map((sr) => ({ key: sr.key, label: sr.label, values: Array.from(sr.values), total: sr.total, anomalies: sr.anomalies || [] })),
    });
    // With more than one series, each legend entry shows or hides its line.
    // The choice is kept per subscription, grouping and unit, so it survives
    // a redraw (theme, print, resize) and a return to the same view.
    const hidden = (ctx.ui.hiddenSeries ??= new Set());
    const hideKey = (sr) => [state.subscriptionId, state.uGroupBy, state.tagKey ?? '', unit, sr.key ?? sr.label].join('\u0000');
    const legend = h('ul', { class: 'legend' }, list.map((sr, i) => {
      const sw = h('span', { class: 'swatch' });
      sw.style.background = colorOf(i);
      const parts = [sw, bidi(sr.name), h('b', null, fmt(sr.totalNumber))];
      const badge = sr.anomalies?.length ? h('span', { class: 'badge over plain' }, `${sr.anomalies.length} anomal${sr.anomalies.length === 1 ? 'y' : 'ies'}`) : null;
      if (list.length < 2) return h('li', null, ...parts, badge);
      const button = h('button', {
        type: 'button', class: 'series-toggle', 'data-series': i, 'aria-pressed': String(!hidden.has(hideKey(sr))),
        title: 'Show or hide this line',
        onclick: () => {
          const chart = ctx.chartOf(id);
          if (!chart) return;
          const show = chart.toggle(i);
          if (show) hidden.delete(hideKey(sr)); else hidden.add(hideKey(sr));
          button.setAttribute('aria-pressed', String(show));
          ctx.announce(`${sr.name}: ${show ? 'shown' : 'hidden'}`);
        },
      }, ...parts);
      return h('li', null, button, badge);
    }), list.some((sr) => sr.anomalies?.length) ? h('li', null, h('span', { class: 'swatch anomaly' }), 'Anomalous bucket') : null);
    const forecast = forecastLine(ctx, x, list, state);
    view.append(chartPanel(ctx, {
      id,
      title: h('span', null, 'Quantity in ', h('span', { class: 'unit-chip' }, unit)),
      hint: `${f.count(list.length, L)} ${list.length === 1 ? 'series' : 'series'} by ${UTIL_DIMS.find(([k]) => k === state.uGroupBy)?.[1].toLowerCase()} · per ${state.bucket}`,
      legend: h('div', null, legend, forecast),
      chart: (box) => ctx.time(box, {
        x,
        series: list.map((sr, i) => ({ label: sr.name, values: sr.values, color: colorOf(i), anomalies: sr.anomalies || [], show: list.length < 2 || !hidden.has(hideKey(sr)) })),
        format: (v) => `${fmt(v)} × ${unit}`,
        tick: (v) => f.num(v, L, { compact: true }),
        date: bucketDate,
        tickDate: incrFmt,
        ariaLabel: `Line chart: quantity in ${unit} per ${state.bucket}, ${list.length} series, ${x.length} buckets. Use the arrow keys to read the values.`,
      }),
      table: () => utilTable(ctx, x, list, unit, bucketDate, fmt),
    }));
  });
  return view;
}

/** A series' name without its unit (the panel already says the unit). */
function seriesName(sr) {
  const suffix = ` (${sr.unit})`;
  if (sr.key != null && sr.key !== '') return sr.key;
  return sr.label?.endsWith(suffix) ? sr.label.slice(0, -suffix.length) : (sr.label || '(none)');
}

function activeFilters(fl) {
  return ['category', 'region', 'resourceGroup', 'meterContains'].filter((k) => fl[k]).length;
}

function utilTable(ctx, x, list, unit, bucketDate, fmt) {
  const L = ctx.locale;
  const ui = (ctx.ui[`t-${unit}`] ??= { all: false });
  const LIMIT = 120;
  const n = x.length;
  const idx = [...Array(n).keys()];
  const shown = ui.all ? idx : idx.slice(0, LIMIT);
  const sets = list.map((sr) => new Set(sr.anomalies || []));
  const tbody = h('tbody', null, shown.map((i) => h('tr', null,
    h('th', { scope: 'row' }, bucketDate(x[i])),
    list.map((sr, j) => {
      const v = sr.values[i];
      return numCell(fmt(v), sr.exactValues?.[i] ?? null, sets[j].has(i) ? h('span', { class: 'badge over plain anomaly-flag' }, 'anomaly') : null);
    }))));
  const table = h('table', { 'data-table': `unit` },
    h('caption', { class: 'sr-only' }, `Quantity in ${unit} per bucket`),
    h('thead', null, h('tr', null, th('Bucket'), list.map((sr) => th(bidi(sr.name), 'num')))),
    tbody,
    h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Total'), list.map((sr) => numCell(fmt(sr.totalNumber), sr.total)))));
  if (shown.length < n) {
    return h('div', null, table, h('div', { class: 'more' }, h('button', {
      type: 'button', class: 'btn', onclick: () => { ui.all = true; ctx.rerender(); },
    }, `Show all ${f.count(n, L)} buckets`)));
  }
  return table;
}

/**
 * Month-end forecast of each series of a unit: this month's daily total so
 * far, run at its daily rate to the end of the month. Only with day buckets
 * whose last bucket is in the current month (the forecast needs this month's
 * days); quantities have no budget, so the customer's budget is compared in
 * the money forecast card instead.
 */
export function quantityForecast(x, list, bucket, nowMs) {
  if (bucket !== 'day' || !x.length) return null;
  const now = new Date(nowMs);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const last = x[x.length - 1];
  if (last < monthStart || last >= monthEnd) return null;
  const first = Math.max(monthStart, x[0]);
  if (first > monthStart) return null; // the window starts mid-month: not enough to go on
  const days = Math.round((last - monthStart) / 86_400_000) + 1;
  const monthDays = Math.round((monthEnd - monthStart) / 86_400_000);
  return list.map((sr) => {
    let mtd = 0;
    for (let i = 0; i < x.length; i++) if (x[i] >= monthStart) mtd += sr.values[i] || 0;
    return { key: sr.key, name: sr.name, monthToDate: mtd, monthEnd: (mtd / days) * monthDays, days, monthDays };
  });
}

function forecastLine(ctx, x, list, state) {
  const L = ctx.locale;
  const fc = quantityForecast(x, list, state.bucket, ctx.now);
  if (!fc) return null;
  return h('div', { class: 'forecast', 'data-forecast': '' },
    h('p', { class: 'note' }, `Month-end forecast at this month’s daily rate (day ${fc[0].days} of ${fc[0].monthDays}):`),
    h('ul', { class: 'legend' }, fc.map((f1) => h('li', null, bidi(f1.name),
      h('b', null, `${f.num(f1.monthToDate, L, { digits: 1 })} → ${f.num(f1.monthEnd, L, { digits: 1 })}`)))));
}
