// <partner-usage-dashboard>: Partner Center usage and spend, embeddable.
//
//   import 'partner-usage/dashboard';
//   <partner-usage-dashboard base-url="/partner-center-proxy"></partner-usage-dashboard>
//   el.getToken = async () => token;
//
// A plain custom element with a shadow root (no framework): the views are
// small functions in dashboard-views.js, the charts are uPlot
// (dashboard-chart.js), styles are a constructable stylesheet
// (dashboard-style.js). Data is inserted with textContent/attributes only.
//
// Attributes: base-url, customer-id, subscription-id, view, currency-display
// (native | usd), locale, theme (auto | light | dark), top-n, near-threshold, keep-records, routing
// (hash | none), and lang (its own or inherited: the words' language, see
// dashboard-words.js). Properties: the same in camelCase, plus getToken, client,
// clientOptions, messages (words of one's own: dashboard-messages.js), viewData
// (read-only). Methods: refresh(), cancel(),
// exportCsv(). Events (bubbling, composed): pu-navigate, pu-load, pu-error.

import * as api from './index.js';
import { bidi, h, icon, replace, revealInScroller } from './dashboard-dom.js';
import * as f from './dashboard-format.js';
import { styleSheets } from './dashboard-style.js';
import en from './dashboard-messages.js';
import { messagesFor } from './dashboard-words.js';
import { BarChart, TimeChart, themeColors } from './dashboard-chart.js';
import {
  customersView, subscriptionsView, resourcesView, utilizationView,
  subscriptionKind, subscriptionLabel, defaultThen, RESOURCE_DIMS, UTIL_DIMS, reportedThrough, tableCustomers, navLink,
} from './dashboard-views.js';

/**
 * The catalogue the dashboard speaks: English with `overrides` on top.
 * Entries of the wrong type (not a string where English has one, not a
 * function where English has one) are ignored, so a bad catalogue can't
 * break the page.
 */
function messagesWith(overrides) {
  const m = { ...en };
  if (!overrides || typeof overrides !== 'object') return m;
  for (const [k, v] of Object.entries(overrides)) {
    if (Object.hasOwn(en, k) && typeof v === typeof en[k]) m[k] = v;
  }
  return m;
}

const VIEWS = ['customers', 'subscriptions', 'resources', 'utilization'];
/** Above this many utilization records, summarise while streaming instead of keeping them. */
const KEEP_RECORDS = 250_000;
/** How long fetched data is reused before a view fetches it again. */
const CACHE_MS = 15 * 60_000;
/** Utilization windows kept (as bytes) for re-summarising without the network. */
const UTIL_WINDOWS_KEPT = 2;
/** A retry wait from which the progress bar says when the next try goes. */
const RETRY_SAY_MS = 5_000;
/** Bars in a resources chart before the rest are one "Others" bar. */
const RESOURCE_BARS = 25;
/** How long a load runs before it is announced to screen readers. */
const LOAD_ANNOUNCE_MS = 1000;
/** How long the first load waits for the catalogue of the dashboard's language. */
const WORDS_WAIT_MS = 1500;
const DAY = 86_400_000;
const HOUR = 3_600_000;

let ready = null;
/** The errors of a wasm module that didn't load (as init() gave them), for their own headline. */
const moduleErrors = new WeakSet();
/** Loads the wasm once, whichever dashboard asks first. */
function initOnce() {
  ready ??= Promise.resolve(typeof api.default === 'function' ? api.default() : undefined)
    .catch((e) => {
      ready = null;
      if (e && typeof e === 'object') moduleErrors.add(e);
      throw e;
    });
  return ready;
}

/** Default utilization window: the 30 days up to yesterday (UTC). */
function defaultWindow(now) {
  const today = Math.floor(now / DAY) * DAY;
  return { from: f.isoDay(today - 30 * DAY), to: f.isoDay(today - DAY) };
}

/** `2026-11-24T00:00:00Z` (Partner Center wants whole seconds in UTC). */
function isoSeconds(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * How many buckets before a bucket its spike is measured against: a day of
 * hours (seven hours would call every morning's start a spike), a week of
 * days, about a month of weeks, a quarter of months.
 */
const ANOMALY_WINDOW = { hour: 24, day: 7, week: 4, month: 3 };

const HASH_KEYS = {
  view: 'view', customerId: 'customer', subscriptionId: 'subscription', groupBy: 'group', thenBy: 'then',
  from: 'from', to: 'to', granularity: 'granularity', bucket: 'bucket', uGroupBy: 'by', tagKey: 'tag',
  customerQuery: 'q', customerSort: 'sort',
};
/** The customers table's sort orders a link may name (`usd-desc`); the default needs none. */
const CUSTOMER_SORTS = /^(name|usd|used|status)-(asc|desc)$/;
const FILTER_KEYS = { category: 'category', region: 'region', resourceGroup: 'rg', meterContains: 'meter', tag: 'tagged' };

/**
 * The view's part of the URL's hash. `currency`: the amounts' currency
 * display (`cur=usd`), when the reader chose another than the page's, so
 * that a shared link shows the amounts as the sender saw them.
 */
function encodeState(st, currency = null) {
  const p = new URLSearchParams();
  p.set('view', st.view);
  if (st.customerId) p.set('customer', st.customerId);
  if (st.subscriptionId) p.set('subscription', st.subscriptionId);
  if (st.view === 'customers') {
    // The table's filter and sort, for a link to the list as the reader sees it.
    if (st.customerQuery?.trim()) p.set('q', st.customerQuery);
    if (st.customerSort) p.set('sort', st.customerSort);
  }
  if (st.view === 'resources') {
    p.set('group', st.groupBy);
    p.set('then', st.thenBy || 'none');
  }
  if (st.view === 'utilization') {
    for (const k of ['from', 'to', 'granularity', 'bucket']) if (st[k]) p.set(HASH_KEYS[k], st[k]);
    p.set('by', st.uGroupBy);
    if (st.tagKey) p.set('tag', st.tagKey);
    for (const [k, q] of Object.entries(FILTER_KEYS)) if (st.filters?.[k]) p.set(q, st.filters[k]);
  }
  if (currency) p.set('cur', currency);
  return p.toString();
}

/**
 * The currency display a hash names (`cur=usd` or `cur=native`), or null.
 * Read when the dashboard opens (a shared link), not on Back and Forward:
 * it is a way of showing amounts, not a place, and going back through the
 * views doesn't undo it.
 */
function hashCurrency(hash) {
  const cur = new URLSearchParams(String(hash || '').replace(/^#/, '')).get('cur');
  return cur === 'usd' || cur === 'native' ? cur : null;
}

function decodeHash(hash) {
  const p = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  if (!VIEWS.includes(p.get('view'))) return null;
  const st = {};
  for (const [k, q] of Object.entries(HASH_KEYS)) if (p.has(q)) st[k] = p.get(q);
  if (st.thenBy === 'none') st.thenBy = null;
  // A hand-made link with a grouping and no second level: that grouping's default.
  if (p.has('group') && !p.has('then')) st.thenBy = defaultThen(st.groupBy);
  const filters = {};
  for (const [k, q] of Object.entries(FILTER_KEYS)) if (p.get(q)) filters[k] = p.get(q);
  st.filters = filters;
  return st;
}

function sanitize(st) {
  const out = { ...st };
  if (!VIEWS.includes(out.view)) out.view = 'customers';
  if (!RESOURCE_DIMS.some(([k]) => k === out.groupBy)) out.groupBy = 'resource-group';
  if (out.thenBy && (!RESOURCE_DIMS.some(([k]) => k === out.thenBy) || out.thenBy === out.groupBy)) out.thenBy = null;
  if (!['daily', 'hourly'].includes(out.granularity)) out.granularity = 'daily';
  if (!['hour', 'day', 'week', 'month'].includes(out.bucket)) out.bucket = 'day';
  if (out.bucket === 'hour' && out.granularity !== 'hourly') out.bucket = 'day';
  if (!UTIL_DIMS.some(([k]) => k === out.uGroupBy)) out.uGroupBy = 'meter';
  if (typeof out.customerQuery !== 'string') out.customerQuery = '';
  if (!CUSTOMER_SORTS.test(out.customerSort ?? '')) out.customerSort = '';
  if (out.view === 'customers') { out.customerId = null; out.subscriptionId = null; }
  if (out.view === 'subscriptions') out.subscriptionId = null;
  // A date that isn't a whole day of this era (a half-typed year 0002, a
  // hand-edited link) gives way to the default window's.
  if (!plausibleDay(out.from) || !plausibleDay(out.to)) {
    const d = defaultWindow(Date.now());
    if (!plausibleDay(out.from)) out.from = d.from;
    if (!plausibleDay(out.to)) out.to = d.to;
  }
  return out;
}

/** `YYYY-MM-DD`, a real day, from 2000 on. */
function plausibleDay(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && s >= '2000-01-01' && f.isoDay(f.parseIsoDay(s) || 0) === s;
}

/**
 * A readable headline for a failure and what to do about it, in the
 * catalogue `m`'s words; the library's own (English) message goes with the
 * details for support. Never a stack trace. `view` is the view that failed:
 * the customers' list is Partner Center's root listing, so a 404 there means
 * the base URL serves no Partner Center API, not that data was removed.
 */
function describeError(e, m, view = null) {
  const kind = e?.kind;
  const status = e?.status;
  const offline = globalThis.navigator?.onLine === false;
  let headline = m.errorGeneric;
  let hint = null;
  // Retries that ran out say what the last try met: no answer, an answer
  // cut off, or an error status (below).
  const lastTry = kind === 'network' || kind === 'retries-exhausted';
  if (kind === 'aborted' || e?.name === 'AbortError') headline = m.errorAborted;
  else if (moduleErrors.has(e)) {
    // The library itself didn't load: nothing to do with Partner Center.
    headline = m.errorModule ?? m.errorGeneric;
    hint = offline ? m.hintNetwork : m.hintModule ?? null;
  } else if (lastTry && status >= 200 && status < 300) {
    headline = m.errorCutOff;
    hint = offline ? m.hintNetwork : m.hintLater;
  } else if (lastTry && !status) {
    headline = m.errorNetwork;
    hint = m.hintNetwork;
  } else if (kind === 'callback') {
    // getToken (or onProgress) threw: the host couldn't sign in.
    headline = m.errorToken ?? m.errorGeneric;
    hint = m.hintSignIn;
  } else if (kind === 'decode') {
    headline = m.errorDecode;
    // A success that isn't Partner Center's JSON on the root listing is
    // nearly always a web app's fallback page served for /v1/...
    if (view === 'customers' && status >= 200 && status < 300) hint = m.hintBaseUrl;
  } else if (kind === 'pagination') headline = m.errorPagination;
  else if (kind === 'invalid-input') headline = m.errorInvalid;
  else if (kind === 'not-configured') headline = m.errorNotConfigured;
  else if (status === 401) {
    headline = m.error401;
    hint = m.hintSignIn;
  } else if (status === 403) {
    headline = m.error403;
    hint = m.hintAccess;
  } else if (status === 404) {
    headline = m.error404;
    hint = view === 'customers' ? m.hintBaseUrl : m.hintNotFound;
  } else if (status === 429) {
    // Retried until the budget ran out, or not: the cause is the same.
    headline = m.error429;
    hint = m.hintLater;
  } else if (status >= 500) {
    headline = m.error5xx;
    hint = m.hintLater;
  } else if (kind === 'retries-exhausted') {
    headline = m.errorRetries;
    hint = m.hintLater;
  } else if (kind === 'http') headline = m.errorHttp;
  let message = typeof e?.message === 'string' ? e.message : String(e ?? '');
  // First line only, bounded: no stack traces, no walls of text.
  message = message.split('\n')[0];
  if (message.length > 600) message = `${message.slice(0, 599)}…`;
  return { headline, hint: hint ?? null, message, status, code: e?.code, requestId: e?.requestId, kind: kind || 'error' };
}

/**
 * The tag filter typed as `name` (any value) or `name=value`, spaces
 * around either trimmed; null without a name.
 */
function tagFilterOf(text) {
  if (typeof text !== 'string') return null;
  const at = text.indexOf('=');
  const key = (at < 0 ? text : text.slice(0, at)).trim();
  if (!key) return null;
  return at < 0 ? { key } : { key, value: text.slice(at + 1).trim() };
}

const failedAt = new WeakMap();
/** When a failure was first shown (a redraw keeps the time), or null. */
function failureTime(error) {
  if (!error || typeof error !== 'object') return null;
  if (!failedAt.has(error)) failedAt.set(error, new Date());
  return failedAt.get(error);
}

/** `2026-11-28 12:28:21 UTC`: a failure's time for support, in any language. */
function utcText(date) {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Whether `tag` is a language tag `Intl` takes. */
function isLocale(tag) {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** The connected dashboards that follow the URL's hash (see followHash). */
const hashRouted = new Set();

const warned = new Set();
/** A console warning about the element's set-up, once per text. */
function warnOnce(text) {
  if (warned.has(text)) return;
  warned.add(text);
  console.warn(`<partner-usage-dashboard>: ${text}`);
}

function uniqueSorted(values) {
  return [...new Set(values.filter((v) => v != null && v !== ''))].sort((a, b) => a.localeCompare(b));
}

/**
 * Filter options of a utilization window, read from its records a page at
 * a time. Resource groups and tag names compare ignoring case, as in Azure
 * (and the core): one option per name, spelt as first seen.
 */
class Facets {
  constructor() {
    this.categories = new Set();
    this.regions = new Set();
    this.groups = new Map();
    this.tagKeys = new Map();
  }

  add(records) {
    const first = (map, v) => {
      const key = v ? f.nameKey(v) : '';
      if (key && !map.has(key)) map.set(key, v);
    };
    for (const r of records) {
      const res = r.resource || {};
      this.categories.add(res.category);
      this.regions.add(res.region);
      const uri = r.instanceData?.resourceUri || '';
      const m = /\/resourceGroups\/([^/]+)/i.exec(uri);
      if (m) first(this.groups, m[1]);
      const tags = r.instanceData?.tags;
      if (tags && typeof tags === 'object') for (const k of Object.keys(tags)) first(this.tagKeys, k);
    }
  }

  done() {
    const sorted = (map) => [...map.values()].sort((a, b) => a.localeCompare(b));
    return {
      categories: uniqueSorted([...this.categories]),
      regions: uniqueSorted([...this.regions]),
      resourceGroups: sorted(this.groups),
      tagKeys: sorted(this.tagKeys),
    };
  }
}

/** A note's or an empty state's words: its headline and the line under it (not the details for support). */
function noteText(el) {
  return [...el.querySelectorAll(':scope > .headline, :scope > .headline ~ span, :scope > .body > .headline, :scope > .body > .message')]
    .map((x) => x.textContent.trim());
}

/**
 * Texts read one after another, each ended as a sentence (by its own stop,
 * or the language's), so that a screen reader pauses between them.
 */
function sentences(parts, lang) {
  const cjk = /^(ja|zh)\b/.test(lang);
  return parts.map((p, i) => (i < parts.length - 1 && !/[.!?。！？:：]$/.test(p) ? p + (cjk ? '。' : '.') : p)).join(cjk ? '' : ' ');
}

/**
 * Server-side rendering (Next.js, Nuxt, SvelteKit, Astro) imports modules in
 * Node, which has no DOM: there the class stands on an empty base and the
 * element isn't registered, so the import doesn't throw. The page's import
 * registers it as usual.
 */
const ElementBase = globalThis.HTMLElement ?? class {};

/**
 * Views are rebuilt, not patched, so a control that had focus is replaced by
 * a copy. What identifies it across renders: its tag, the attributes that
 * name it, and a button's text unless an aria-label names it (a label that
 * changes for a moment, as Copy link's, keeps its focus); `n` tells apart
 * controls that share these.
 */
const FOCUSABLE = 'button, select, input, textarea, a[href], summary, [tabindex]';
const FOCUS_ATTRS = ['data-control', 'data-action', 'data-currency', 'aria-label', 'name', 'type'];
function focusKey(el) {
  return [el.tagName, ...FOCUS_ATTRS.map((a) => el.getAttribute(a) ?? ''), (el.tagName === 'BUTTON' || el.tagName === 'SUMMARY' || el.tagName === 'A') && !el.hasAttribute('aria-label') ? el.textContent : ''].join('\u0001');
}
function focusPath(root, el) {
  const key = focusKey(el);
  let n = 0;
  for (const x of root.querySelectorAll(FOCUSABLE)) {
    if (x === el) break;
    if (focusKey(x) === key) n += 1;
  }
  return { key, n };
}
function findFocusable(root, { key, n }) {
  let i = 0;
  for (const x of root.querySelectorAll(FOCUSABLE)) {
    if (focusKey(x) === key && i++ === n) return x;
  }
  return null;
}

/** Which view a state shows, whatever its options: where focus returns to. */
function viewKey(st) {
  return [st.view, st.customerId || '', st.subscriptionId || ''].join('/');
}

const isPlain = (x) => x !== null && typeof x === 'object' && (Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype);

/** Options equal key by key, nested plain objects (`retry: {…}`) included. */
function sameOptions(a, b) {
  if (Object.is(a, b)) return true;
  if (!isPlain(a) || !isPlain(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameOptions(a[k], b[k]));
}

/** A copy of options, nested plain objects included, to compare later ones with. */
function copyOptions(o) {
  if (!isPlain(o)) return o;
  return Array.isArray(o) ? o.map(copyOptions) : Object.fromEntries(Object.entries(o).map(([k, v]) => [k, copyOptions(v)]));
}

export class PartnerUsageDashboard extends ElementBase {
  static get observedAttributes() {
    return ['base-url', 'customer-id', 'subscription-id', 'view', 'currency-display', 'locale', 'theme', 'top-n', 'near-threshold', 'keep-records', 'routing', 'lang'];
  }

  constructor() {
    super();
    this._getToken = null;
    this._client = null;
    this._ownClient = null;
    this._clientOptions = {};
    /** The options' values when they last changed: what the client is made with. */
    this._optionsApplied = {};
    this._messages = null;
    /** The package's catalogue for the element's language, and that language. */
    this._auto = null;
    this._autoLang = undefined;
    this.wordsLoading = null;
    this.m = messagesWith(null);
    this.cache = new Map();
    this.returnFocus = new Map();
    this.ui = {};
    this.charts = new Map();
    this.models = new Map();
    this.loadSeq = 0;
    this.progress = null;
    this.error = null;
    this.current = null;
    // What a failed or cancelled load left on screen, to redraw it (a
    // language or theme change): { data } of the last view, kept out of
    // date, or { controlsOnly: true }, a utilization window's controls.
    this.leftOver = null;
    this.staleAsOf = null;
    this.keyColors = null;
    this.reflecting = false;
    this.pending = [];
    this.state = sanitize({
      view: 'customers', customerId: null, subscriptionId: null, groupBy: 'resource-group', thenBy: 'resource-type',
      ...defaultWindow(Date.now()), granularity: 'daily', bucket: 'day', uGroupBy: 'meter', tagKey: '', filters: {},
    });
    this.onPop = () => this.fromHash();
    this.onScheme = () => this.rerender();
    // A page's own theme switch (a --pu-* value changed on :root or the
    // element at run time) changes the palette's private copies, whose 1 ms
    // discrete transition on an empty probe (dashboard-style.js) ends here:
    // the canvases redraw once a frame if the colours differ from those drawn.
    this.onPalette = (e) => {
      if (e && e.target !== this.$probe) return;
      if (this.paletteFrame) return;
      this.paletteFrame = requestAnimationFrame(() => {
        this.paletteFrame = 0;
        if (this.connected && JSON.stringify(themeColors(this)) !== this.drawnPalette) this.rerender();
      });
    };
    // A hidden element (display: none, a closed tab) runs no transitions:
    // its palette is checked again when it is shown.
    // (No ResizeObserver in jsdom, where a page's unit tests may create it.)
    this.shown = typeof ResizeObserver === 'function' ? new ResizeObserver(([entry]) => {
      const visible = entry.contentRect.width > 0;
      if (visible && this.wasHidden) this.onPalette();
      this.wasHidden = !visible;
    }) : null;
  }

  // ------------------------------------------------------------ properties

  /**
   * A property's attribute: `undefined` or `null` removes it (the default
   * again), as a framework clearing a prop does; anything else is its text.
   */
  attr(name, v) {
    if (v == null) this.removeAttribute(name); else this.setAttribute(name, String(v));
  }

  get baseUrl() { return this.getAttribute('base-url') || ''; }
  set baseUrl(v) { this.attr('base-url', v); }
  get customerId() { return this.state.customerId; }
  set customerId(v) { this.attr('customer-id', v); }
  get subscriptionId() { return this.state.subscriptionId; }
  set subscriptionId(v) { this.attr('subscription-id', v); }
  get view() { return this.state.view; }
  set view(v) { this.attr('view', v); }
  get currencyDisplay() { return this.getAttribute('currency-display') === 'usd' ? 'usd' : 'native'; }
  set currencyDisplay(v) { this.attr('currency-display', v); }
  /** `locale`: a BCP 47 tag; one that isn't (said once on the console) gives way to the page's language. */
  get locale() {
    const v = this.getAttribute('locale');
    if (v && isLocale(v)) return v;
    if (v) warnOnce(`locale="${v}" is not a BCP 47 language tag: the page's language is used`);
    const page = document.documentElement.lang;
    return (page && isLocale(page) ? page : null) || navigator.language || 'en-US';
  }
  set locale(v) { this.attr('locale', v); }
  get topN() { const n = parseInt(this.getAttribute('top-n'), 10); return Number.isFinite(n) && n > 0 ? n : 10; }
  set topN(v) { this.attr('top-n', v); }
  /** `near-threshold`: the percentage of its budget from which a customer is "near budget" (default 80). */
  get nearThreshold() {
    const n = Number(this.getAttribute('near-threshold'));
    return this.hasAttribute('near-threshold') && Number.isFinite(n) && n > 0 && n <= 100 ? n : 80;
  }
  set nearThreshold(v) { this.attr('near-threshold', v); }
  /**
   * `keep-records`: the most utilization records of a window kept in the
   * browser (default 250,000), so other groupings, buckets and filters are
   * summarised without the network. A larger window is summarised as it
   * streams, and each change loads it again. 0 never keeps any.
   */
  get keepRecords() {
    const n = Number(this.getAttribute('keep-records'));
    return this.hasAttribute('keep-records') && Number.isInteger(n) && n >= 0 ? n : KEEP_RECORDS;
  }
  set keepRecords(v) { this.attr('keep-records', v); }
  /**
   * `routing`: `hash` (also when absent) or `none`, in any case. Any other
   * value leaves the URL alone, as `none` does, and says so once on the
   * console: an app that set it has a router of its own to keep.
   */
  get routing() {
    const v = this.getAttribute('routing');
    if (v === null || v.toLowerCase() === 'hash') return 'hash';
    if (v.toLowerCase() !== 'none') warnOnce(`routing="${v}" is neither "hash" nor "none": the dashboard leaves the URL alone, as with "none"`);
    return 'none';
  }
  set routing(v) { this.attr('routing', v); }
  get theme() { const t = this.getAttribute('theme'); return t === 'light' || t === 'dark' ? t : 'auto'; }
  set theme(v) { if (v === 'light' || v === 'dark') this.setAttribute('theme', v); else this.removeAttribute('theme'); }

  // The client's properties start the load over when they change, and only
  // then: a framework that sets them again on every render (a React ref
  // callback, say) with the same function, client or options reloads nothing.

  /** `async () => accessToken`, called before requests (and once more after a 401). */
  get getToken() { return this._getToken; }
  set getToken(fn) { if (fn !== this._getToken) { this._getToken = fn; this.resetClient(true); } }

  /** A ready PartnerCenterClient to use instead of base-url/getToken (e.g. the in-wasm simulator). */
  get client() { return this._client; }
  set client(c) { if (c !== this._client) { this._client = c; this.resetClient(true); } }

  /** Extra PartnerCenterClient options (maxRetries, concurrency, pageSize, ...): equal options (same keys, same values, nested objects compared by value) change nothing. */
  get clientOptions() { return this._clientOptions; }
  set clientOptions(o) {
    const next = o || {};
    this._clientOptions = next;
    // Against a copy, so that an object changed in place and set again counts as changed.
    if (sameOptions(next, this._optionsApplied)) return;
    this._optionsApplied = copyOptions(next);
    this.resetClient();
  }

  /**
   * The dashboard's words: a catalogue (see dashboard-messages.js), such as
   * `partner-usage/dashboard/messages/ko`, or only the entries to change.
   * Without it, or for what it leaves out, the words are those of the
   * element's language (its `lang` or an ancestor's) where the package has
   * them, else English.
   */
  get messages() { return this._messages; }
  set messages(v) {
    this._messages = v && typeof v === 'object' ? v : null;
    this.applyWords();
    if (this.connected) {
      this.rerender();
      this.followLang();
    }
  }

  /** The language whose catalogue to load: none when `messages` is a whole catalogue. */
  wordsLang() {
    if (this._messages?.lang) return '';
    // closest() stops at a shadow root: inside another component, the page's.
    return this.closest('[lang]')?.getAttribute('lang') || document.documentElement.getAttribute('lang') || '';
  }

  /** English, under the catalogue of the element's language, under `messages`. */
  applyWords() {
    this.m = messagesWith({ ...(this._messages?.lang ? null : this._auto), ...this._messages });
  }

  /** Loads the catalogue of the element's language if it changed, then redraws. */
  followLang() {
    const lang = this.wordsLang();
    if (lang === this._autoLang) return this.wordsLoading;
    this._autoLang = lang;
    this.wordsLoading = (lang ? messagesFor(lang) : Promise.resolve(null)).catch(() => null).then((m) => {
      if (this._autoLang !== lang) return;
      this._auto = m;
      this.applyWords();
      if (this.connected) this.rerender();
    });
    return this.wordsLoading;
  }

  /** What the current view shows: its state, summary and chart/table models (read-only). */
  get viewData() {
    return {
      view: this.state.view,
      state: structuredClone(this.state),
      summary: this.current?.summary ?? null,
      window: this.current?.window ?? null,
      charts: Object.fromEntries(this.models),
      loading: !!this.progress,
      error: this.error ? describeError(this.error, this.m, this.state.view) : null,
    };
  }

  // ------------------------------------------------------------ lifecycle

  connectedCallback() {
    // Properties set before the element was defined (a plain object then)
    // shadow the accessors: take them over.
    for (const p of ['getToken', 'client', 'clientOptions', 'messages', 'baseUrl', 'customerId', 'subscriptionId', 'view',
      'currencyDisplay', 'locale', 'topN', 'nearThreshold', 'keepRecords', 'routing', 'theme']) {
      if (Object.prototype.hasOwnProperty.call(this, p)) {
        const v = this[p];
        delete this[p];
        this[p] = v;
      }
    }
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = styleSheets();
      this.$title = h('h2', { class: 'title', tabindex: '-1', part: 'title' });
      this.$subtitle = h('p', { class: 'subtitle' });
      this.$crumbs = h('nav', { class: 'crumbs', part: 'breadcrumb' });
      this.$toolbar = h('div', { class: 'toolbar', part: 'toolbar' });
      this.$status = h('div', { class: 'status', part: 'status' });
      this.$content = h('div', { class: 'content', part: 'content' });
      this.$live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
      this.$root = h('div', { class: 'root', part: 'root' },
        h('header', { class: 'top', part: 'header' },
          h('div', { class: 'titles' }, this.$crumbs, this.$title, this.$subtitle),
          this.$toolbar),
        this.$status, this.$content, this.$live);
      this.$probe = h('i', { class: 'palette-probe', 'aria-hidden': 'true' });
      this.$probe.addEventListener('transitionend', this.onPalette);
      root.append(this.$root, this.$probe);
      // After the browser's own scrolling for the focus move (the event's
      // target is gone by then: a shadow tree's is cleared after dispatch).
      root.addEventListener('focusin', (e) => {
        const target = e.target;
        requestAnimationFrame(() => revealInScroller(target));
      });
    }
    this.readAttributes();
    this.initialView = this.state.view;
    // The page's currency display, which a link leaves out when it is the same.
    this.pageCurrency ??= this.currencyDisplay;
    if (this.routing === 'hash') {
      const fromHash = decodeHash(location.hash);
      if (fromHash) {
        const cur = hashCurrency(location.hash);
        if (cur) {
          this.reflecting = true;
          try { this.setAttribute('currency-display', cur); } finally { this.reflecting = false; }
        }
        this.state = sanitize({ ...this.state, ...fromHash });
        // So that a property set later (el.view = …) doesn't read the
        // attributes the hash overrode as removed.
        this.reflect(this.state);
      }
    }
    // The charts draw on canvases with the palette's colours: redraw when
    // it changes (system theme, forced colours, more contrast), and for
    // printing (the light palette, the paper's width).
    this.schemeMqls = ['(prefers-color-scheme: dark)', '(forced-colors: active)', '(prefers-contrast: more)', 'print']
      .map((q) => window.matchMedia(q));
    for (const q of this.schemeMqls) q.addEventListener('change', this.onScheme);
    this.wasHidden = false;
    this.shown?.observe(this);
    this.connected = true;
    this.followHash();
    this.followLang();
    this.load();
  }

  disconnectedCallback() {
    this.connected = false;
    clearTimeout(this.copyTimer);
    this.followHash();
    for (const q of this.schemeMqls ?? []) q.removeEventListener('change', this.onScheme);
    this.shown?.disconnect();
    this.controller?.abort();
    this.dropCharts();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.connected || this.reflecting || old === value) return;
    switch (name) {
      case 'base-url':
        this.resetClient(true);
        break;
      case 'routing':
        this.followHash();
        if (this.routing === 'hash') {
          // Following the hash from now on: a view it names opens, as at
          // connection; an empty one is given the view shown (if it isn't
          // what an empty hash means), so that a reload or Back comes to it.
          if (decodeHash(location.hash)) this.fromHash();
          else if (!location.hash.replace(/^#/, '') && encodeState(this.emptyHashState()) !== encodeState(this.state)) {
            this.commit(this.state, 'replace');
          }
        }
        // Copy link comes and goes with hash routing, and the views' links
        // (an address to open in a new tab) turn into buttons and back.
        if (this.$toolbar) this.rerender();
        break;
      case 'customer-id':
      case 'subscription-id':
      case 'view':
        // The attributes mirror the view shown, so a removed one clears it.
        this.readAttributes(true);
        // The hash follows once this task's settings are all in (a host
        // setting subscriptionId then view goes through a state between).
        this.moved = true;
        this.scheduleLoad();
        break;
      case 'lang':
        this.followLang();
        break;
      case 'currency-display':
        this.rerender();
        // The link to this view says the reader's choice (this entry's, not a new one).
        if ((old === 'usd') !== (value === 'usd')) this.writeHash(this.state, 'replace');
        break;
      case 'top-n':
      case 'near-threshold':
        this.cache.delete('customer-summary');
        this.scheduleLoad();
        break;
      case 'keep-records':
        // Windows kept (or not) under the old limit are loaded again.
        for (const k of [...this.cache.keys()]) if (k.startsWith('util:')) this.cache.delete(k);
        if (this.state?.view === 'utilization') this.scheduleLoad();
        break;
      default:
        this.rerender();
    }
  }

  /**
   * The view the attributes ask for. `changed`: an attribute was set or
   * removed after connection, so an absent one clears its part (a router
   * going back to the list removes `customer-id`); at connection an absent
   * one leaves the state as it is.
   */
  readAttributes(changed = false) {
    const st = { ...this.state };
    const view = this.getAttribute('view');
    const c = this.getAttribute('customer-id');
    const s = this.getAttribute('subscription-id');
    if (c !== null || changed) st.customerId = c || null;
    if (s !== null || changed) st.subscriptionId = s || null;
    if (VIEWS.includes(view)) st.view = view;
    else if (st.subscriptionId && !VIEWS.includes(view)) st.view = st.view === 'utilization' ? 'utilization' : 'resources';
    else if (st.customerId) st.view = 'subscriptions';
    else if (changed) st.view = 'customers';
    this.state = sanitize(st);
    // A subscription without an explicit view: decide from its offer once loaded.
    this.autoKind = !VIEWS.includes(view) && !!st.subscriptionId;
  }

  /**
   * Drops the client and what it fetched. `anotherSource` (another base
   * URL, token or client: maybe another tenant) also forgets the names seen.
   */
  resetClient(anotherSource = false) {
    this._ownClient = null;
    this.cache.clear();
    if (anotherSource) this.knownNames?.clear();
    // The host's doing (a new token source, say): the reader did nothing,
    // so the reload isn't announced unless it takes a while.
    this.hostLoad = true;
    this.scheduleLoad();
  }

  /** One load after the current task, however many settings changed in it. */
  scheduleLoad() {
    if (!this.connected || this.loadQueued) return;
    this.loadQueued = true;
    queueMicrotask(() => {
      this.loadQueued = false;
      if (this.moved) {
        // Opened by the host (a property or attribute): the URL names it
        // too, for a reload, Back or Copy link; the host's own navigation
        // made the history entry, so it is replaced. The attributes stay
        // as the host set them (one it sets later may complete them).
        this.moved = false;
        this.writeHash(this.state, 'replace');
      }
      this.load();
    });
  }

  /** Reloads the current view from Partner Center (drops cached data). */
  refresh() {
    this.cache.clear();
    return this.load();
  }

  /** Cancels the current load (its promise rejects with an AbortError). */
  cancel() {
    this.controller?.abort();
  }

  async clientFor() {
    if (this._client) return this._client;
    if (this._ownClient) return this._ownClient;
    // Nowhere to send a token: don't ask the host for one (a sign-in prompt for nothing).
    if (!this.baseUrl && !this._clientOptions.simulator) {
      throw Object.assign(new Error(this.m.notConfigured), { kind: 'not-configured' });
    }
    // Both the wasm module and a token can take a network round trip: ask
    // for the first token while the module loads, and give it to the
    // client's first listing instead of asking again.
    const asked = this._getToken;
    let early = null;
    if (asked) {
      early = Promise.resolve().then(() => asked({ refresh: false }));
      early.catch(() => {}); // a failure is reported when the listing takes it
    }
    await initOnce();
    const base = this.baseUrl;
    if (!base && !this._clientOptions.simulator) { // removed while the module loaded
      throw Object.assign(new Error(this.m.notConfigured), { kind: 'not-configured' });
    }
    const opts = { ...this._clientOptions };
    if (base) opts.baseUrl = base; // the client resolves a relative URL against the page
    // Without getToken, no Authorization header is sent: the same-origin
    // proxy authenticates the page (e.g. with its session cookie).
    const getToken = this._getToken;
    if (getToken !== asked) early = null; // replaced while the module loaded
    if (getToken) {
      opts.getToken = (request) => {
        const first = request?.refresh ? null : early;
        early = null;
        return first ?? getToken(request);
      };
    }
    this._ownClient = new api.PartnerCenterClient(opts);
    return this._ownClient;
  }

  // ------------------------------------------------------------ navigation

  /** The state `navigate(partial)` moves to. */
  target(partial) {
    const st = sanitize({ ...this.state, ...partial });
    if (partial.view === 'subscriptions') st.subscriptionId = null;
    return st;
  }

  /**
   * The address of the view `navigate(partial)` opens, with hash routing
   * (its links then open in a new tab too); else null.
   */
  hrefOf(partial) {
    return this.routing === 'hash' ? this.addressOf(this.target(partial)) : null;
  }

  /**
   * This page's address with the hash that names `st`: whole, as a `#…`
   * alone would resolve against a `<base href>` (an Angular app's "/").
   */
  addressOf(st) {
    return new URL(`#${encodeState(st, this.linkCurrency())}`, location.href).href;
  }

  /** Drill-down: a new history entry. */
  navigate(partial) {
    const st = this.target(partial);
    this.autoKind = false;
    // Up the trail (a breadcrumb) to the view this one was opened from:
    // focus returns to what opened it, as Back would. Elsewhere, where focus
    // was when that view was left on an earlier visit is no place to return
    // to on this one (Forward to it reads its title).
    const up = VIEWS.indexOf(st.view) < VIEWS.indexOf(this.state.view)
      && (st.view === 'customers' || st.customerId === this.state.customerId);
    const back = up ? this.returnFocus.get(viewKey(st)) : null;
    this.returnFocus.delete(viewKey(st));
    // Going back to this view returns focus to what opened the next one
    // (set after the line above: the two may be one key).
    const from = this.shadowRoot?.activeElement;
    if (from) this.returnFocus.set(viewKey(this.state), focusPath(this.shadowRoot, from));
    this.commit(st, 'push');
    this.focusTitle = !back;
    this.keptFocus = back ? { ...back, value: null, selection: null, returning: true } : null;
    this.dispatchEvent(new CustomEvent('pu-navigate', {
      bubbles: true, composed: true,
      detail: { view: st.view, customerId: st.customerId, subscriptionId: st.subscriptionId },
    }));
    this.load();
  }

  /**
   * A choice the view applies itself, with nothing to load (the customers
   * table's filter and sort): kept in the state, and the hash, for a link.
   */
  remember(partial) {
    this.state = sanitize({ ...this.state, ...partial });
    this.writeHash(this.state, 'replace');
  }

  /** An option of the current view (group-by, dates, ...): replaces the history entry. */
  set(partial) {
    const st = sanitize({ ...this.state, ...partial });
    if (st.from && st.to && st.from > st.to) {
      if ('from' in partial) st.to = st.from; else st.from = st.to;
    }
    this.commit(st, 'replace');
    this.load();
  }

  commit(st, mode) {
    this.state = st;
    this.reflect(st);
    // 'none': the state came from the URL, which stays as it is.
    if (mode !== 'none') this.writeHash(st, mode);
  }

  /** The currency display a link names: the reader's, when not the page's. */
  linkCurrency() {
    return this.currencyDisplay !== (this.pageCurrency ?? 'native') ? this.currencyDisplay : null;
  }

  /** With hash routing, the URL's hash names `st`: a new history entry ('push') or this one. */
  writeHash(st, mode) {
    if (this.routing !== 'hash') return;
    // A hash of the page's own (an app's "#/settings") is not replaced in
    // place; only a drill-down (a new entry) moves on from it.
    if (mode !== 'push' && location.hash.replace(/^#/, '') && !decodeHash(location.hash)) return;
    const hash = '#' + encodeState(st, this.linkCurrency());
    if (location.hash === hash) return;
    if (mode === 'push') history.pushState(null, '', hash);
    else history.replaceState(history.state, '', hash);
  }

  /** The view shown, written to the attributes (which then mirror it). */
  reflect(st) {
    this.reflecting = true;
    try {
      this.setAttribute('view', st.view);
      if (st.customerId) this.setAttribute('customer-id', st.customerId); else this.removeAttribute('customer-id');
      if (st.subscriptionId) this.setAttribute('subscription-id', st.subscriptionId); else this.removeAttribute('subscription-id');
    } finally {
      this.reflecting = false;
    }
  }

  /**
   * Listens to the URL's hash while connected with `routing="hash"`, and
   * only then (the attribute may change at any time). One such dashboard
   * per page: two would share one hash; a second says so on the console.
   */
  followHash() {
    const on = this.connected && this.routing === 'hash';
    if (on === hashRouted.has(this)) return;
    if (on) {
      if (hashRouted.size) warnOnce('two dashboards with routing="hash" share the page\'s one hash: give all but one routing="none"');
      hashRouted.add(this);
      window.addEventListener('popstate', this.onPop);
      window.addEventListener('hashchange', this.onPop);
    } else {
      hashRouted.delete(this);
      window.removeEventListener('popstate', this.onPop);
      window.removeEventListener('hashchange', this.onPop);
    }
  }

  /** What an entry without a hash shows: the first view, the options kept. */
  emptyHashState() {
    return sanitize({ ...this.state, view: this.initialView || 'customers', filters: {}, customerQuery: '', customerSort: '' });
  }

  fromHash() {
    // Back to an entry without a hash (the page as first opened): the top
    // view. A hash of the page's own (an app's "#/settings", an anchor) is
    // not the dashboard's to read or rewrite: the view stays as it is.
    const hash = location.hash.replace(/^#/, '');
    const decoded = decodeHash(hash);
    if (hash && !decoded) return;
    const next = decoded
      ? sanitize({ ...this.state, customerQuery: '', customerSort: '', ...decoded, filters: decoded.filters })
      : this.emptyHashState();
    if (encodeState(next) === encodeState(this.state)) return;
    // The customers table takes its filter and sort from the entry.
    if (next.customerQuery !== this.state.customerQuery || next.customerSort !== this.state.customerSort) delete this.ui.customers;
    this.state = next;
    this.autoKind = false;
    // Back (or forward) to a view left by a drill-down: focus goes back to
    // the link or bar that was used, where the browser restores the scroll.
    // Otherwise the view is read from its title.
    const back = this.returnFocus.get(viewKey(next));
    this.focusTitle = !back;
    this.keptFocus = back ? { ...back, value: null, selection: null, returning: true } : null;
    this.commit(next, 'none');
    // The entry's currency display isn't read on Back (see hashCurrency):
    // the address says the one shown, so a reload or a copy shows it too.
    if (hashCurrency(location.hash) !== this.linkCurrency()) this.writeHash(next, 'replace');
    this.load();
  }

  // ------------------------------------------------------------ loading

  /**
   * Lets go of the utilization windows no view will reuse: those older than
   * CACHE_MS (which would be fetched again anyway), and those of other
   * customers than the one shown (a kept window holds its pages, about
   * 170 MB at 250,000 records; its customer's other views keep it, for
   * going back and forth).
   */
  prune(st) {
    const now = Date.now();
    for (const [k, entry] of this.cache) {
      // Only windows are large: other values stay until read again, so a
      // header can still name the customer while its data is fetched again.
      if (!k.startsWith('util:')) continue;
      if (!k.startsWith(`util:${st.customerId}:`) || now - entry.at > CACHE_MS) this.cache.delete(k);
    }
  }

  /**
   * `fn()`'s value, reused for CACHE_MS. `used` (a load's list) collects when
   * each value was fetched, for the view's "data as of". A value that says
   * when to ask again (`retryAt`: Partner Center had no data yet) is reused
   * only until then.
   */
  async cached(key, fn, used) {
    let entry = this.cache.get(key);
    const now = Date.now();
    if (entry && (now - entry.at > CACHE_MS || (entry.value?.retryAt != null && now >= entry.value.retryAt))) {
      this.cache.delete(key);
      entry = null;
    }
    if (!entry) {
      entry = { value: await fn(), at: Date.now() };
      this.cache.set(key, entry);
      if (key.startsWith('util:')) {
        // A window holds up to keepRecords records' bytes: keep the latest few.
        const windows = [...this.cache.keys()].filter((k) => k.startsWith('util:'));
        for (const k of windows.slice(0, -UTIL_WINDOWS_KEPT)) this.cache.delete(k);
      }
    } else {
      // Most recently used last (what the utilization windows are pruned by).
      this.cache.delete(key);
      this.cache.set(key, entry);
    }
    used?.push(entry.at);
    return entry.value;
  }

  /** A cached value, if any (fresh or not), without fetching. */
  peek(key) {
    return this.cache.get(key)?.value;
  }

  utilWindow() {
    const now = Date.now();
    const horizon = Math.floor((now - 2 * HOUR) / HOUR) * HOUR;
    const from = f.parseIsoDay(this.state.from);
    const to = f.parseIsoDay(this.state.to);
    const start = Number.isFinite(from) ? from : horizon - 30 * DAY;
    const end = Math.min(Number.isFinite(to) ? to + DAY : horizon, horizon);
    return { startTime: isoSeconds(start), endTime: isoSeconds(Math.max(end, start)), maxDay: f.isoDay(horizon) };
  }

  async load() {
    if (!this.connected) return;
    // Each load supersedes those before it: a superseded one stops at its
    // next step (before asking for a token in vain), or drops what it gets.
    const seq = ++this.loadSeq;
    const hostLoad = this.hostLoad;
    this.hostLoad = false;
    // The controller exists from the start, so that cancel() right after
    // refresh() (in the same task) cancels this load too.
    this.controller?.abort();
    const ctrl = new AbortController();
    this.controller = ctrl;
    const signal = ctrl.signal;
    // The first words (a catalogue module, fetched while nothing else is),
    // so that nothing is drawn in English first; but a stalled module never
    // holds the data back (its words follow when it arrives).
    if (this.wordsLoading) {
      let timer;
      await Promise.race([this.wordsLoading, new Promise((r) => { timer = setTimeout(r, WORDS_WAIT_MS); })]);
      clearTimeout(timer);
    }
    if (!this.connected || seq !== this.loadSeq) return;
    this.loadQueued = false;
    const st = this.state;
    this.prune(st);
    const trackers = new Map();
    const m = this.m;
    const label = {
      customers: m.loadingCustomers,
      subscriptions: m.loadingSubscriptions,
      resources: m.loadingResources,
      utilization: m.loadingUtilization,
    }[st.view];
    this.progress = { label, pages: 0, records: 0, retries: 0 };
    this.error = null;
    this.renderHeader();
    this.renderStatus();
    // What was said of the view before (a bar read out, a line hidden)
    // belongs to it, not to the one loading.
    this.quiet();
    // A load that takes a while is announced (the progress bar changes
    // silently), and then so is its end; a quick one ends before it would be.
    setTimeout(() => {
      if (seq !== this.loadSeq || !this.progress) return;
      this.announce(label);
      this.announcedLoad = seq;
    }, LOAD_ANNOUNCE_MS);
    // Another customer or subscription: nothing of the last one stays on
    // screen. The same view with other options: its content stays, marked
    // as out of date, until the new one replaces it.
    if (!this.current || this.current.key !== viewKey(st)) {
      this.staleAsOf = null;
      this.renderSkeleton();
    } else {
      this.markStale(true);
      // Other options (a filter, a grouping, Refresh): what they brought is
      // said even when quick, as the change happened away from the reader's
      // focus (a filter field stays focused while the charts change).
      if (!hostLoad) this.sameViewLoad = seq;
    }
    const track = (name) => (p) => {
      if (seq !== this.loadSeq || !p) return;
      // When a retry waiting to go out is due (a Retry-After can be a minute).
      trackers.set(name, { ...p, retryAt: p.retryInMs > 0 ? Date.now() + p.retryInMs : null });
      let pages = 0; let records = 0; let retries = 0; let retryAt = null;
      // Why it retries: the longest wait's cause, else the last one told.
      let retryStatus;
      for (const t of trackers.values()) {
        pages += t.pages || 0; records += t.records || 0; retries += t.retries || 0;
        if (t.retryAt != null && t.retryAt > (retryAt ?? -Infinity)) {
          retryAt = t.retryAt;
          retryStatus = t.retryStatus;
        } else if (retryAt == null && t.retryStatus !== undefined) retryStatus = t.retryStatus;
      }
      this.progress = { label, pages, records, retries, retryAt, retryStatus };
      this.renderProgress();
    };
    try {
      // Cancelled while the words were awaited: nothing is asked for.
      signal.throwIfAborted();
      const client = await this.clientFor();
      const topN = this.topN;
      const nearThreshold = this.nearThreshold;
      // The streaming summary: each page is decoded once, in wasm, and no
      // record is built in JavaScript.
      const used = [];
      const customers = () => this.cached('customer-summary', async () => ({
        summary: await client.customerUsageSummary({ topN, nearThreshold, signal, onProgress: track('customers') }),
      }), used);
      const subs = (cid) => this.cached(`subs:${cid}`, () => client.subscriptions(cid, { signal, onProgress: track('subscriptions') }), used);
      let data;
      let summaryError = null;
      if (st.view === 'customers') {
        const c = await customers();
        data = { view: 'customers', summary: c.summary, csv: ['customerUsageSummary', c.summary] };
      } else {
        if (!st.customerId) throw Object.assign(new Error(m.chooseCustomerFirst), { kind: 'invalid-input' });
        // The customers' summary only names the customer and gives its
        // budget: when it fails (it needs an app+user token, the other
        // listings don't), the view goes on without it, with a note.
        const [c, listed] = await Promise.allSettled([customers(), subs(st.customerId)]);
        if (listed.status === 'rejected') throw listed.reason;
        if (c.status === 'rejected' && (c.reason?.kind === 'aborted' || c.reason?.name === 'AbortError')) throw c.reason;
        const list = listed.value;
        summaryError = c.status === 'rejected' ? c.reason : null;
        const customer = c.value?.summary.customers.find((x) => x.customerId === st.customerId) || null;
        const subscription = st.subscriptionId ? list.find((x) => x.id === st.subscriptionId) || null : null;
        if (this.autoKind && subscription) {
          const kind = subscriptionKind(subscription);
          if (kind && kind !== st.view) { this.autoKind = false; this.commit(sanitize({ ...st, view: kind }), 'replace'); return this.load(); }
        }
        this.autoKind = false;
        const base = { customer, subscriptions: list, subscription };
        if (st.view === 'subscriptions') {
          // What each Azure plan subscription cost this billing period (by
          // resource type): one resource-usage listing per subscription, a
          // few at a time. One that fails leaves a note, not an error.
          const plan = list.filter((x) => subscriptionKind(x) === 'resources');
          let costs = null;
          if (plan.length && typeof client.resourceUsageSummaries === 'function') {
            const key = `costs:${st.customerId}`;
            costs = await this.cached(key, () => client.resourceUsageSummaries(
              plan.map((x) => ({ customerId: st.customerId, subscriptionId: x.id })),
              { groupBy: 'resource-type', signal, onProgress: track('costs') }), used);
            // Failed listings are asked for again next time (or by the note's Retry).
            if (costs?.failed) this.cache.delete(key);
          }
          data = { view: 'subscriptions', ...base, costs, summary: list, csv: list };
        } else if (st.view === 'resources') {
          if (!st.subscriptionId) throw Object.assign(new Error(m.chooseSubscriptionFirst), { kind: 'invalid-input' });
          const records = await this.cached(`res:${st.customerId}:${st.subscriptionId}`, () =>
            client.resourceUsageRecords(st.customerId, st.subscriptionId, { signal, onProgress: track('resources') }), used);
          const opts = { groupBy: st.groupBy, thenBy: st.thenBy || undefined };
          const summary = api.summarizeResourceUsage(records, opts);
          // The chart draws the largest groups and "Others" (thousands of
          // resources made a chart too tall to draw); the breakdown table and
          // the CSV keep every group.
          const chartSummary = summary.groups.length > RESOURCE_BARS
            ? api.summarizeResourceUsage(records, { ...opts, topN: RESOURCE_BARS }) : null;
          data = { view: 'resources', ...base, summary, chartSummary, records, csv: ['resourceUsageSummary', summary] };
        } else {
          if (!st.subscriptionId) throw Object.assign(new Error(m.chooseSubscriptionFirst), { kind: 'invalid-input' });
          const win = this.utilWindow();
          const keep = this.keepRecords;
          const key = `util:${st.customerId}:${st.subscriptionId}:${win.startTime}:${win.endTime}:${st.granularity}`;
          // The window's records are fetched once, summarised as they
          // stream, and their pages kept as the bytes they came in: every
          // group-by, bucket or filter change re-summarises the pages in
          // wasm without the network. A window too large to keep (more than
          // keepRecords) streams on without keeping them, and each change
          // fetches it again.
          // An hourly window has at least as many records as the same daily
          // one (a day's record sums its hours'): a daily window over the
          // limit means the hourly one is too, so its pages aren't kept.
          const daily = st.granularity === 'hourly' ? this.peek(key.replace(/:hourly$/, ':daily')) : null;
          const tooLarge = keep === 0 || (daily && !daily.pages);
          const fl = st.filters || {};
          const filters = {};
          if (fl.category) filters.category = fl.category;
          if (fl.region) filters.region = fl.region;
          if (fl.resourceGroup) filters.resourceGroup = fl.resourceGroup;
          if (fl.meterContains) filters.meterContains = fl.meterContains;
          // `key` (any value) or `key=value`, as typed.
          const tag = tagFilterOf(fl.tag);
          if (tag) filters.tag = tag;
          const opts = {
            bucket: st.bucket, groupBy: st.uGroupBy, filters, startTime: win.startTime, endTime: win.endTime,
            anomaly: { window: ANOMALY_WINDOW[st.bucket] ?? 7 },
          };
          if (st.uGroupBy === 'tag') opts.tagKey = st.tagKey;
          // Grouping by tag needs a tag key, which the records name.
          const choosing = st.uGroupBy === 'tag' && !st.tagKey;
          const streamSummary = (onPage, sig = signal) => {
            const progress = track('utilization');
            let retryAt = null;
            return client.utilizationSummary(st.customerId, st.subscriptionId, {
              ...(choosing ? { ...opts, groupBy: 'meter', tagKey: undefined } : opts),
              granularity: st.granularity, showDetails: true, signal: sig, onPage,
              onProgress: (p) => {
                progress(p);
                // No data for the window yet: when Partner Center says to ask again.
                if (p.retryAfterMs != null) retryAt = Date.now() + p.retryAfterMs;
              },
            }).then((summary) => ({ summary, retryAt }));
          };
          let fresh = null;
          const local = await this.cached(key, async () => {
            // One pass: the summary streams, and each page's body is kept
            // (as the bytes it came in), with the filter options read from
            // it, until there are more than keepRecords records; then the
            // pages are let go and the summary streams on.
            // No tag key to group by, and no pages to read one from.
            if (choosing && tooLarge) return { pages: null, facets: null, count: null };
            const kept = tooLarge ? null : { pages: [], facets: new Facets(), count: 0 };
            const decoder = new TextDecoder();
            // Only the pages were wanted (for a tag key): past the limit,
            // the listing stops.
            const inner = new AbortController();
            const forward = () => inner.abort(signal.reason);
            signal.addEventListener('abort', forward, { once: true });
            try {
              fresh = await streamSummary(kept ? (body) => {
                if (!kept.pages) return;
                const items = JSON.parse(decoder.decode(body)).items || [];
                kept.count += items.length;
                if (kept.count > keep) {
                  kept.pages = null;
                  kept.facets = null;
                  if (choosing) inner.abort();
                  return;
                }
                kept.pages.push(body);
                kept.facets.add(items);
              } : undefined, inner.signal);
            } catch (e) {
              if (choosing && !kept?.pages && !signal.aborted) return { pages: null, facets: null, count: null };
              throw e;
            } finally {
              signal.removeEventListener('abort', forward);
            }
            const pages = kept?.pages ?? null;
            return { pages, facets: pages && kept.facets.done(), count: pages && kept.count, retryAt: fresh.retryAt };
          }, used);
          const facets = local.facets;
          if (choosing && facets?.tagKeys.length) {
            // Grouping by tag: start with the first tag key the records carry.
            st.tagKey = opts.tagKey = facets.tagKeys[0];
            this.commit(sanitize({ ...st }), 'replace');
          }
          let summary = null;
          const count = local.count;
          if (st.uGroupBy !== 'tag' || st.tagKey) {
            if (fresh && !choosing) {
              // The summary the window's fetch made, with these options.
              summary = fresh.summary;
            } else if (local.pages) {
              summary = api.summarizeUtilizationPages(local.pages, opts);
            } else {
              // Too many records to keep: every change streams them again.
              trackers.clear();
              const again = await streamSummary(undefined);
              summary = again.summary;
              if (again.retryAt != null) local.retryAt = again.retryAt;
            }
          }
          data = { view: 'utilization', ...base, summary, records: count, facets, window: win, retryAt: local.retryAt ?? null, streamed: local.pages ? null : keep, csv: summary ? ['utilizationSummary', summary] : null };
        }
      }
      if (seq !== this.loadSeq) return;
      // Data as old as the oldest listing it was made from.
      // The state it was loaded with: a redraw while other options load (or
      // after they failed) labels the data by its own buckets and dates.
      this.current = { ...data, key: viewKey(this.state), state: this.state, asOf: used.length ? Math.min(...used) : Date.now(), summaryError };
      this.leftOver = null;
      this.progress = null;
      this.error = null;
      this.render();
      // "Loading …" said, what loaded is said, and any note the view
      // brought; otherwise the live region is emptied, so no "Loading …"
      // is left in it to be found later.
      this.sayLoadEnd(seq, false);
      this.dispatchEvent(new CustomEvent('pu-load', { bubbles: true, composed: true, detail: { view: data.view } }));
    } catch (e) {
      if (seq !== this.loadSeq) return;
      this.progress = null;
      this.error = e;
      // A drill-down that failed or was cancelled opened no view to read
      // from its title: focus is held and put back as for any other load,
      // so it stays on the title if it is there, and goes from the Cancel
      // just pressed to the banner's Load again (not to the page's body).
      this.focusTitle = false;
      // The same view with other options (dates, filters) keeps its last
      // content, marked as out of date, so its controls stay at hand to
      // change the options back; any other view is cleared.
      const keep = this.current?.key === viewKey(this.state);
      // The content kept on screen still says how old it is.
      this.staleAsOf = keep ? this.current.asOf : null;
      const controlsOnly = !keep && st.view === 'utilization' && !!st.customerId && !!st.subscriptionId;
      this.leftOver = keep ? { data: this.current, key: this.current.key }
        : controlsOnly ? { controlsOnly, key: viewKey(st) } : null;
      this.current = null;
      this.renderHeader();
      this.renderStatus();
      this.holdFocus();
      if (keep) {
        this.markStale(true, false);
      } else {
        // Nothing of the last view stays, in viewData either. But a
        // subscription's utilization keeps its controls: a window cancelled
        // or failed on its first load (a long one, say) can be made
        // shorter, or daily, instead of only loaded again.
        this.renderLeftOver();
      }
      this.restoreFocus(true);
      // An alert speaks for itself (no "Loading …" is left under it); a
      // cancel's banner is said through the live region.
      this.sayLoadEnd(seq, true);
      if (!(e?.kind === 'aborted' || e?.name === 'AbortError')) {
        this.dispatchEvent(new CustomEvent('pu-error', { bubbles: true, composed: true, detail: { error: e } }));
      }
    }
  }

  // ------------------------------------------------------------ rendering

  announce(text) {
    clearTimeout(this.liveTimer);
    this.$live.textContent = '';
    // A fresh text node, so the same text is announced again.
    this.liveTimer = setTimeout(() => { this.$live.textContent = text; }, 30);
  }

  /**
   * Empties the live region, and drops what was about to go into it: its
   * last text stays there to be found by browsing, and would be read in a
   * view it doesn't belong to.
   */
  quiet() {
    clearTimeout(this.liveTimer);
    this.$live.textContent = '';
  }

  /**
   * What the live region says when a load ends: what it loaded, if its
   * start was announced or it changed the view's options, then the notes and empty states it brought ("Loading
   * cancelled", costs that could not be loaded, "Nothing matches the
   * filters"), else nothing. These are no live regions of their own: one
   * inserted already holding its text is read unreliably, and every redraw
   * (theme, currency, print) would insert it and read it again. `failed`:
   * the content on screen is the last load's, said then.
   */
  sayLoadEnd(seq, failed) {
    // An empty state says it all ("0 series" before it would say nothing more).
    const said = (this.announcedLoad === seq || this.sameViewLoad === seq) && !(!failed && this.$content.querySelector('.empty'));
    const texts = [said && this.current ? this.loadedText(this.current) : null];
    const notes = [...this.$status.querySelectorAll('.banner.notice'), ...(failed ? [] : this.$content.querySelectorAll('.banner.notice, .empty'))];
    for (const el of notes) texts.push(...noteText(el));
    const text = sentences(texts.filter(Boolean), this.m.lang);
    if (text) this.announce(text); else this.quiet();
  }

  /** What a load brought, in a few words: how many customers, subscriptions, groups or series. */
  loadedText(d) {
    const m = this.m;
    const L = this.locale;
    const s = d.summary;
    if (d.view === 'customers') return m.loadedCustomers(f.counted(s.customers?.length ?? 0, L));
    if (d.view === 'subscriptions') return m.loadedSubscriptions(f.counted(d.subscriptions?.length ?? 0, L));
    if (d.view === 'resources') return m.loadedResources(f.counted(s.groupCount ?? s.groups?.length ?? 0, L));
    // A tag grouping waiting for its key has no summary: nothing to count.
    if (!s) return null;
    const buckets = m.bucketCount({ ...f.counted(s.bucketStarts?.length ?? 0, L), bucket: s.bucket ?? this.state.bucket });
    return m.loadedUtilization({ ...f.counted(s.series?.length ?? 0, L), buckets });
  }

  dropCharts(id) {
    for (const [k, c] of this.charts) {
      if (id === undefined || k === id) {
        c.destroy();
        this.charts.delete(k);
      }
    }
  }

  ctx() {
    const theme = themeColors(this);
    this.drawnPalette = JSON.stringify(theme);
    const m = this.m;
    const locale = this.locale;
    return {
      locale,
      m,
      now: Date.now(),
      narrow: this.clientWidth > 0 && this.clientWidth < 600,
      currencyDisplay: this.currencyDisplay,
      theme,
      ui: this.ui,
      state: this.state,
      navigate: (p) => this.navigate(p),
      hrefOf: (p) => this.hrefOf(p),
      set: (p) => this.set(p),
      remember: (p) => this.remember(p),
      // The state as it is now (`state` is the one the view was drawn with).
      current: () => this.state,
      // One filter, over the filters as they are when it changes (a typed
      // filter's change comes 400 ms later, after any other).
      // A tag filter without a name (`=prod`, spaces) filters nothing: none.
      setFilter: (key, value) => this.set({ filters: { ...this.state.filters, [key]: (key === 'tag' ? tagFilterOf(value) && value : value) || undefined } }),
      rerender: () => this.rerender(),
      // Failed listings are never cached: loading again asks for them again.
      retryFailed: () => this.load(),
      topN: this.topN,
      // The colours the customer's subscriptions chart gave resource types,
      // kept for that customer's resources charts.
      keyColors: this.keyColors?.customerId === this.state.customerId ? this.keyColors.colors : null,
      rememberKeyColors: (colors) => { this.keyColors = { customerId: this.state.customerId, colors }; },
      errorBanner: (e, o) => this.errorBanner(e, o),
      announce: (t) => this.announce(t),
      record: (id, model) => this.models.set(id, model),
      afterRender: (fn) => this.pending.push(fn) && queueMicrotask(() => this.flush()),
      chart: (id, c) => { this.charts.get(id)?.destroy(); this.charts.set(id, c); },
      chartOf: (id) => this.charts.get(id),
      dropCharts: (id) => this.dropCharts(id),
      bar: (box, o) => new BarChart(box, { ...o, m, locale, announce: (t) => this.announce(t) }, theme),
      time: (box, o) => new TimeChart(box, { ...o, m, locale, announce: (t) => this.announce(t) }, theme),
    };
  }

  flush() {
    const fns = this.pending.splice(0);
    for (const fn of fns) fn();
  }

  /**
   * Notes which control has focus before a render replaces it: the one the
   * user just used (a group-by button, a select, the filter being typed in).
   */
  holdFocus() {
    // A view change decides focus itself (the title, or the way back).
    if (this.focusTitle || this.keptFocus?.returning) return;
    const el = this.shadowRoot?.activeElement;
    if (!el || !el.isConnected || el === this.$title) return;
    const typed = el.tagName === 'INPUT' && (el.type === 'text' || el.type === 'search');
    // A render holds focus in several steps (header, status, content): the
    // same control's place is found once (its text is read each time).
    const { key, n } = this.keptFocus?.el === el ? this.keptFocus : focusPath(this.shadowRoot, el);
    this.keptFocus = {
      el,
      key,
      n,
      value: typed ? el.value : null,
      selection: typed ? [el.selectionStart, el.selectionEnd] : null,
    };
  }

  /**
   * Puts focus back on the copy of the control that lost it, unless focus
   * has gone elsewhere meanwhile. Characters typed into the old field after
   * its change was sent are kept (and sent in turn). `final`: the view is
   * complete, so a control that is not there any more gives way to the
   * error banner's Retry, or else the title: never to the page's body.
   */
  restoreFocus(final) {
    const k = this.keptFocus;
    if (!k) return;
    const active = document.activeElement;
    const lost = (k.returning && active === this)
      || (!this.shadowRoot.activeElement && (active === null || active === document.body || active === this));
    let el = lost ? findFocusable(this.shadowRoot, k) : null;
    if (el?.disabled) el = null;
    if (!el && lost && final) el = this.$status.querySelector('[data-action=retry]') || this.$title;
    if (el) {
      this.keptFocus = null;
      el.focus({ preventScroll: !k.returning });
      if (k.value != null && el.value !== k.value) {
        el.value = k.value;
        el.dispatchEvent(new Event('input'));
      }
      if (k.selection && el.tagName === 'INPUT') {
        try { el.setSelectionRange(k.selection[0], k.selection[1]); } catch { /* not a text field */ }
      }
    } else if (final) {
      this.keptFocus = null;
    }
  }

  /** Redraws what is on screen (new words, a new palette), as it is. */
  rerender() {
    const key = viewKey(this.state);
    // While another view loads, its skeleton is on screen: not the last view.
    if (this.current && (!this.progress || this.current.key === key)) {
      this.render();
      // Still out of date while the same view loads with other options.
      if (this.progress) this.markStale(true);
    } else if (this.leftOver?.key === key && !this.progress) {
      this.holdFocus();
      this.renderHeader();
      this.renderStatus();
      this.renderLeftOver();
      this.restoreFocus(true);
    } else {
      this.renderHeader();
      this.renderStatus();
    }
  }

  /** The content a failed or cancelled load left: the last view, out of date, or the window's controls. */
  renderLeftOver() {
    const left = this.leftOver;
    this.dropCharts();
    this.models.clear();
    if (left?.data) {
      replace(this.$content, this.viewOf(left.data));
      this.flush();
      this.markStale(true, false);
    } else {
      replace(this.$content, left ? utilizationView(this.ctx(), { summary: null, state: this.state, controlsOnly: true }) : null);
      this.markStale(false);
    }
  }

  /**
   * The content of a loaded view, with the options it was loaded with (its
   * buckets, dates and groupings), not those of a load still running or
   * failed since.
   */
  viewOf(d) {
    const ctx = this.ctx();
    const state = d.state ?? this.state;
    if (d.view === 'customers') return customersView(ctx, d.summary);
    if (d.view === 'subscriptions') return subscriptionsView(ctx, { customer: d.customer, subscriptions: d.subscriptions, costs: d.costs });
    if (d.view === 'resources') return resourcesView(ctx, { summary: d.summary, chartSummary: d.chartSummary, state });
    return utilizationView(ctx, { summary: d.summary, state, facets: d.facets, window: d.window, customer: d.customer, retryAt: d.retryAt, streamed: d.streamed });
  }

  render() {
    const d = this.current;
    this.holdFocus();
    this.renderHeader();
    this.renderStatus();
    this.dropCharts();
    this.models.clear();
    const scrollY = window.scrollY;
    replace(this.$content, this.viewOf(d));
    this.markStale(false);
    this.flush();
    const active = this.shadowRoot.activeElement;
    // Where the reader went while the view loaded (a breadcrumb, the page)
    // is left alone.
    const free = active ? active === this.$title
      : [null, document.body, this].includes(document.activeElement);
    if (this.focusTitle && !free) {
      this.focusTitle = false;
      this.keptFocus = null;
    } else if (this.focusTitle) {
      // A drill-down: start reading the new view at its title.
      this.focusTitle = false;
      this.keptFocus = null;
      this.$title.focus({ preventScroll: true });
      if (this.getBoundingClientRect().top < 0) this.scrollIntoView({ block: 'start' });
      // After Back or Forward the browser may restore the old scroll once
      // the page has laid out: keep the focused title in sight.
      requestAnimationFrame(() => requestAnimationFrame(() => {
        const r = this.$title.getBoundingClientRect();
        if (this.shadowRoot.activeElement === this.$title && (r.bottom < 0 || r.top > innerHeight)) {
          this.scrollIntoView({ block: 'start' });
        }
      }));
    } else {
      window.scrollTo({ top: scrollY });
      this.restoreFocus(true);
    }
  }

  renderSkeleton() {
    // The link that opened this view goes with the old content: focus
    // moves to the title now, not to the page's body.
    if (this.focusTitle && this.$content.contains(this.shadowRoot.activeElement)) {
      this.$title.focus({ preventScroll: true });
      // A row far down the old view opened it: the focused title comes
      // into sight now, not once the data is in.
      if (this.$title.getBoundingClientRect().top < 0) this.scrollIntoView({ block: 'start' });
    }
    this.holdFocus();
    this.dropCharts();
    this.leftOver = null;
    replace(this.$content, h('div', { class: 'skeleton', 'aria-hidden': 'true' }, h('div'), h('div', { class: 'tall' })));
    this.markStale(false, true);
  }

  /**
   * Marks the content as out of date (`stale`: dimmed, for a view whose
   * options changed) and as being replaced (`busy`: `aria-busy`).
   */
  markStale(stale, busy = stale) {
    this.$content.classList.toggle('stale', stale);
    if (busy) this.$content.setAttribute('aria-busy', 'true');
    else this.$content.removeAttribute('aria-busy');
  }

  names() {
    const st = this.state;
    const cs = this.peek('customer-summary')?.summary;
    const customer = st.customerId ? cs?.customers?.find((c) => c.customerId === st.customerId) : null;
    const list = st.customerId ? this.peek(`subs:${st.customerId}`) : null;
    const sub = st.subscriptionId ? list?.find((s) => s.id === st.subscriptionId) : null;
    // Names once seen are kept (a refresh empties the cache; a failed one
    // would leave only ids). Until the names are loaded, neutral words; an
    // id only if it stays unknown.
    const known = (this.knownNames ??= new Map());
    const cKey = `c:${st.customerId}`;
    const sKey = `s:${st.customerId}/${st.subscriptionId}`;
    if (customer?.name) known.set(cKey, customer.name);
    if (sub) known.set(sKey, subscriptionLabel(sub, list));
    const loading = !!this.progress;
    return {
      customer: known.get(cKey) || (loading || !st.customerId ? null : st.customerId),
      customerRow: customer,
      subscription: (st.subscriptionId && known.get(sKey)) || (loading ? null : st.subscriptionId),
      sub,
    };
  }

  renderHeader() {
    const st = this.state;
    const m = this.m;
    const n = this.names();
    // The words are the catalogue's; names inside keep their own (<bdi>).
    this.$root.lang = m.lang;
    this.$crumbs.setAttribute('aria-label', m.breadcrumb);
    const crumb = (text, target) => h('li', null, target
      ? navLink(this, target, null, text)
      : h('span', { 'aria-current': 'page' }, text));
    const items = [crumb(m.allCustomers, st.view === 'customers' ? null : { view: 'customers' })];
    if (st.view !== 'customers') items.push(crumb(bidi(n.customer || m.customer), st.view === 'subscriptions' ? null : { view: 'subscriptions' }));
    if (st.view === 'resources' || st.view === 'utilization') items.push(crumb(bidi(n.subscription || m.subscription), null));
    if (st.view === 'customers') replace(this.$crumbs);
    else replace(this.$crumbs, h('ol', null, items));
    // Names go in <bdi> (their own direction), the words around them as text.
    const of = (rest) => (n.customer ? [bidi(n.customer), ` · ${rest}`] : [rest]);
    const titles = {
      customers: [m.customerUsage, [m.customerUsageText]],
      subscriptions: [bidi(n.customer || m.customer), [n.customerRow
        ? (n.customerRow.isUpgraded ? m.planCustomerSubscriptions : m.legacyCustomerSubscriptions)
        : m.subscriptions]],
      resources: [bidi(n.subscription || m.subscription), of(m.resourcesSubtitle)],
      utilization: [bidi(n.subscription || m.subscription), of(m.utilizationSubtitle)],
    }[st.view];
    replace(this.$title, titles[0]);
    replace(this.$subtitle, ...titles[1]);
    // How old the data shown is (it is fetched again after CACHE_MS).
    // After a failed reload the view's last content stays, with its age.
    const c = this.current;
    const asOf = c ? (c.key === viewKey(st) ? c.asOf : null) : this.staleAsOf;
    if (asOf != null && !this.progress) {
      this.$subtitle.append(' · ', h('span', { class: 'asof', part: 'as-of' }, m.dataAsOf({ time: f.clock(asOf, this.locale) })));
    }
    this.renderToolbar();
  }

  renderToolbar() {
    const m = this.m;
    const native = this.currencyDisplay === 'native';
    const showCurrency = this.state.view !== 'utilization';
    const cur = showCurrency ? h('div', { class: 'seg', role: 'group', 'aria-label': m.currency },
      h('button', { type: 'button', 'aria-pressed': String(native), 'data-currency': 'native', onclick: () => this.setAttribute('currency-display', 'native') }, m.billingCurrency),
      h('button', { type: 'button', 'aria-pressed': String(!native), 'data-currency': 'usd', onclick: () => this.setAttribute('currency-display', 'usd') }, 'USD')) : null;
    const c = this.current;
    const empty = c?.summary && typeof c.summary.records === 'number' && c.summary.records === 0;
    const canExport = !!c && !this.progress && c.view === this.state.view && c.csv != null && !empty;
    // "Export CSV", in the catalogue's order; narrow hosts show "CSV" alone.
    const [before, after] = f.around(m.exportCsv, {}, 'csv');
    const exportLabel = h('span', null,
      before ? h('span', { class: 'long' }, before) : null, 'CSV', after ? h('span', { class: 'long' }, after) : null);
    // While a load runs, Refresh says it is unavailable but stays
    // focusable (aria-disabled, not disabled): the reader who pressed it
    // keeps focus on it, instead of losing it to the page's body until the
    // load ends. A press meanwhile does nothing.
    const loading = !!this.progress;
    this.holdFocus();
    replace(this.$toolbar,
      cur,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', part: 'button', 'data-action': 'export', disabled: !canExport, onclick: () => this.exportCsv() }, icon('download'), exportLabel),
        // The address names the view (hash routing): one press to share it.
        this.routing === 'hash' && globalThis.navigator?.clipboard ? h('button', {
          type: 'button', class: 'btn', part: 'button', 'data-action': 'copy-link', 'aria-label': m.copyLink,
          onclick: (e) => this.copyLink(e.currentTarget),
        }, icon('link'), h('span', { class: 'hide-narrow' }, m.copyLink)) : null,
        h('button', {
          type: 'button', class: 'btn', part: 'button', 'data-action': 'refresh', 'aria-disabled': loading ? 'true' : null,
          onclick: () => { if (!this.progress) this.refresh(); }, 'aria-label': m.refreshLabel,
        }, icon('refresh'), h('span', { class: 'hide-narrow' }, m.refresh))));
    this.restoreFocus(false);
  }

  /**
   * Copies the address of the view shown (this page with the view's hash,
   * whatever the hash is now) and says so, in a bubble under the button too for a moment.
   */
  copyLink(button) {
    const m = this.m;
    const said = (text) => {
      this.announce(text);
      if (!button?.isConnected) return;
      // Shown in words for a moment, also where the button is an icon alone:
      // in a bubble under it, so that nothing in the toolbar moves (a longer
      // label pushed the buttons onto another line, under the pointer).
      button.querySelector('.bubble')?.remove();
      const bubble = h('span', { class: 'bubble', 'data-note': 'copied', 'aria-hidden': 'true' }, text);
      button.append(bubble);
      clearTimeout(this.copyTimer);
      this.copyTimer = setTimeout(() => bubble.remove(), 2500);
    };
    const href = this.addressOf(this.state);
    navigator.clipboard.writeText(href).then(() => said(m.linkCopied), () => said(m.linkNotCopied));
  }

  renderStatus() {
    this.holdFocus();
    // A Retry or Load again that started this load gives way to the
    // progress bar: focus goes on to its Cancel, the status's one control
    // while loading (and, once the load is over, to the title or the next
    // banner's button: see restoreFocus).
    const fromStatus = !!this.progress && this.$status.contains(this.shadowRoot.activeElement);
    this.drawStatus();
    if (fromStatus && !this.$status.contains(this.shadowRoot.activeElement)) {
      this.keptFocus = null;
      this.$status.querySelector('[data-action=cancel]')?.focus({ preventScroll: true });
    } else {
      this.restoreFocus(false);
    }
  }

  drawStatus() {
    const m = this.m;
    if (this.progress) {
      this.shownError = null;
      this.shownNotes = null;
      this.$progressLabel = h('span', { class: 'label' });
      // The bar alone is the progressbar: its children would be
      // presentational, and Cancel must stay a button.
      this.$progressBar = h('div', { class: 'track', role: 'progressbar', 'aria-label': this.progress.label }, h('div', { class: 'bar' }));
      this.$progress = h('div', { class: 'progress', part: 'progress' },
        this.$progressLabel,
        h('button', { type: 'button', class: 'btn', 'data-action': 'cancel', onclick: () => this.cancel() }, m.cancel),
        this.$progressBar);
      replace(this.$status, this.$progress);
      this.renderProgress();
      return;
    }
    if (this.error) {
      // Redrawn for another reason (theme, currency, print): the same
      // banner stays, so an alert is announced once, not at every redraw.
      if (this.shownError?.error === this.error && this.shownError.m === m && this.shownError.el.isConnected) return;
      this.shownNotes = null;
      const el = this.errorBanner(this.error, { retry: () => this.load() });
      this.shownError = { error: this.error, m, el };
      replace(this.$status, el);
      return;
    }
    this.shownError = null;
    const c = this.current;
    // The same notes stay through redraws (no second announcement).
    if (this.shownNotes?.c === c && this.shownNotes.m === m && this.shownNotes.els.every((x) => x.isConnected)) return;
    const notes = [];
    if (c?.summaryError) {
      notes.push(this.errorBanner(c.summaryError, { headline: m.summaryUnavailable, notice: true }));
    }
    this.shownNotes = { c, m, els: notes };
    replace(this.$status, ...notes);
  }

  /**
   * A failure's banner: what happened and what to do, in the reader's
   * words; HTTP status, Partner Center's code and the request id for
   * support, and the library's own message under "Details for support".
   * An error is an alert; a cancel and a `notice` (a failure the view went
   * on without) are said through the live region when the load ends (see
   * sayLoadEnd), not by a role=status of their own. `headline`
   * in place of the failure's own, which then follows as the reason.
   * `retry`: a Retry button (`retryAction` names it); `note` marks the
   * banner (`data-note`).
   */
  errorBanner(error, { retry = null, headline = null, notice = false, note = null, retryAction = 'retry', failures = null } = {}) {
    const m = this.m;
    const d = describeError(error, m, notice ? null : this.state.view);
    const aborted = d.kind === 'aborted' || error?.name === 'AbortError';
    const quiet = aborted || notice;
    // Several failures (a subscription each): the first one's figures are
    // shown, named; each one's are in the details.
    const many = failures?.length > 1 ? failures : null;
    const metaOf = (x, label = null) => {
      const meta = [];
      if (x.status) meta.push(`HTTP ${x.status}`);
      if (x.code != null && x.code !== '') meta.push(h('span', null, `${m.partnerCenterCode} `, h('code', null, String(x.code))));
      if (x.requestId) meta.push(h('span', null, `${m.requestId} `, h('code', null, String(x.requestId))));
      if (!meta.length) return null;
      const el = h('span', { class: 'meta' }, label ? [bidi(label), ': '] : null);
      meta.forEach((part, i) => { if (i) el.append(' · '); el.append(part); });
      return el;
    };
    const metaEl = metaOf(d, many?.[0].label);
    const when = failureTime(error);
    // The listing's MS-CorrelationId, which support asks for with the request id.
    const correlation = (x) => (x?.correlationId
      ? h('span', { class: 'correlation' }, `${m.correlationId} `, h('code', null, String(x.correlationId)))
      : null);
    const details = aborted || !d.message ? null : h('details', { class: 'details' },
      h('summary', null, m.detailsForSupport),
      when ? h('time', { class: 'when', datetime: when.toISOString() }, utcText(when)) : null,
      many
        ? many.map(({ label, error: x }) => {
          const dx = describeError(x, m);
          return h('span', { class: 'message', 'data-failure': '' }, metaOf(dx, label) ?? [bidi(label), ': '], correlation(x), ' ', dx.message);
        })
        : [correlation(error), h('span', { class: 'message' }, d.message)]);
    return h('div', {
      class: `banner ${quiet ? 'notice' : 'error'}`, part: quiet ? 'notice' : 'error', role: quiet ? null : 'alert',
      'data-kind': d.kind, 'data-note': note,
    },
    icon(quiet ? 'info' : 'alert'),
    h('div', { class: 'body' },
      h('span', { class: 'headline' }, headline ?? d.headline),
      headline && !aborted ? h('span', { class: 'message' }, d.headline) : null,
      aborted ? h('span', { class: 'message' }, m.abortedText) : null,
      !aborted && d.hint ? h('span', { class: 'hint' }, d.hint) : null,
      metaEl,
      details),
    retry ? h('div', { class: 'actions' },
      h('button', { type: 'button', class: notice ? 'btn' : 'btn primary', 'data-action': retryAction, onclick: retry }, aborted ? m.loadAgain : m.retry)) : null);
  }

  renderProgress() {
    if (!this.progress || !this.$progressLabel) return;
    const p = this.progress;
    const L = this.locale;
    const m = this.m;
    const parts = [m.pages(f.counted(p.pages, L)), m.recordCount(f.counted(p.records, L))];
    if (p.retries) {
      parts.push(m.retries(f.counted(p.retries, L)));
      if (p.retryStatus !== undefined) parts.push(m.retryCause({ status: p.retryStatus }));
    }
    // A wait worth telling (Partner Center's Retry-After): when the next try goes.
    if (p.retryAt != null && p.retryAt - Date.now() >= RETRY_SAY_MS) {
      parts.push(m.retryingAt({ time: f.clock(p.retryAt, L, Date.now(), { seconds: true }) }));
    }
    replace(this.$progressLabel, h('b', null, `${p.label}…`), ' ', parts.join(' · '));
    this.$progressBar.setAttribute('aria-valuetext', `${p.label}: ${parts.join(', ')}`);
  }

  // ------------------------------------------------------------ export

  /** Downloads the current view as CSV (exact money strings, via the library's toCsv). */
  exportCsv() {
    const d = this.current;
    // Nothing to export: no view loaded, or one with no summary yet (a tag
    // grouping waiting for its key).
    if (!d || (d.view !== 'subscriptions' && !d.csv)) return null;
    let text;
    const st = this.state;
    // Whose rows these are, on each of them: files of several
    // subscriptions can be put together.
    const whose = { columns: { customerId: st.customerId, subscriptionId: st.subscriptionId } };
    if (d.view === 'subscriptions') {
      text = subscriptionsCsv(d.subscriptions || [], d.costs, st.customerId);
    } else if (d.view === 'utilization') {
      // The days Partner Center hasn't reported yet are left out, as the
      // chart and the table leave them blank (not usage of 0).
      const s = d.csv[1];
      const through = reportedThrough(s.bucketStarts, s.series, Date.now());
      text = api.toCsv(d.csv[0], { ...s, bucketStarts: s.bucketStarts.slice(0, through + 1) }, whose);
    } else if (d.view === 'customers') {
      // The customers the table lists, in its order (the summary's is by
      // USD): those its filter matches, every one of them.
      const s = d.csv[1];
      text = api.toCsv(d.csv[0], this.ui.customers ? { ...s, customers: tableCustomers(s.customers || [], this.ui.customers, this.locale) } : s);
    } else {
      text = api.toCsv(d.csv[0], d.csv[1], whose);
    }
    const safe = (v) => Array.from(String(v).replace(/[^\p{L}\p{N}._-]+/gu, '-')).slice(0, 24).join('');
    const parts = ['partner-usage', d.view];
    // A filtered list says so in its name.
    if (d.view === 'customers' && this.ui.customers?.search?.trim()) parts.push(`q-${safe(this.ui.customers.search.trim())}`);
    if (st.customerId && d.view !== 'customers') parts.push(st.customerId.slice(0, 8));
    if (st.subscriptionId && (d.view === 'resources' || d.view === 'utilization')) parts.push(st.subscriptionId.slice(0, 8));
    if (d.view === 'resources') parts.push(st.groupBy);
    if (d.view === 'utilization') {
      // What the file holds: the window, the grouping and its tag, the filters.
      parts.push(st.from, st.to, st.uGroupBy);
      if (st.uGroupBy === 'tag' && st.tagKey) parts.push(safe(st.tagKey));
      for (const [k, q] of Object.entries(FILTER_KEYS)) if (st.filters?.[k]) parts.push(`${q}-${safe(st.filters[k])}`);
    }
    // Within what file systems take (255), the date always kept.
    const head = Array.from(parts.filter(Boolean).join('_')).slice(0, 160).join('');
    const filename = `${head}_${f.isoDay(Date.now())}.csv`;
    // A byte order mark first: without it, Excel on Windows opens UTF-8 as
    // the system's code page and garbles names such as "Müller & Søn".
    const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
    const a = h('a', { href: url, download: filename, hidden: true });
    this.shadowRoot.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.announce(this.m.exported({ filename }));
    return { filename, text };
  }
}

/**
 * RFC 4180 CSV of the subscriptions list, with each Azure plan
 * subscription's exact cost per currency (one row per currency); cells that a
 * spreadsheet would run as formulas get a leading apostrophe; a subscription
 * whose cost failed to load has empty cost cells and the failure's first line
 * in `error`.
 */
function subscriptionsCsv(list, costs, customerId) {
  const cols = ['customerId', 'id', 'friendlyName', 'offerId', 'offerName', 'status', 'usage', 'currency', 'cost', 'usd', 'records', 'error'];
  const cell = (v) => {
    let s = v == null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const bySub = new Map((costs?.subscriptions || []).map((o) => [o.subscriptionId, o]));
  const rows = [];
  for (const s of list) {
    const head = [customerId, s.id, s.friendlyName, s.offerId, s.offerName, s.status, subscriptionKind(s) || 'none'].map(cell);
    const outcome = bySub.get(s.id);
    // A cost that couldn't be loaded says so: an empty cost would read as none.
    const error = outcome?.error ? cell(String(outcome.error.message ?? outcome.error).split('\n')[0]) : '';
    const totals = outcome?.summary?.currencyTotals || [];
    if (!totals.length) rows.push([...head, '', '', '', '', error].join(','));
    // Amounts are numbers we hold (exact decimal strings), never text we were sent.
    for (const t of totals) rows.push([...head, cell(t.currency), t.amount, t.usd, t.records, ''].join(','));
  }
  return [cols.join(','), ...rows].join('\r\n') + '\r\n';
}

if (globalThis.customElements && !customElements.get('partner-usage-dashboard')) {
  customElements.define('partner-usage-dashboard', PartnerUsageDashboard);
}

export default PartnerUsageDashboard;
