// partner-usage: Microsoft Partner Center usage for a partner's own portal.
//
//   import init, { PartnerCenterClient, PartnerCenterError, summarizeCustomerUsage,
//                  summarizeResourceUsage, summarizeUtilization, toCsv } from 'partner-usage';
//   await init();
//   const client = new PartnerCenterClient({ baseUrl: '/pc', getToken });
//
// This module is a thin wrapper over the wasm-bindgen output: it makes
// init() idempotent, checks that init() ran, and turns records that are
// already in JavaScript into UTF-8 JSON bytes for the offline summarisers
// (bytes cross into wasm much faster than strings). Fetching, paging,
// retries, decoding and aggregation all happen in wasm. Types: index.d.ts.

import initWasm, * as wasm from '../pkg/partner_usage.js';
import { PartnerCenterError } from './errors.js';

export { PartnerCenterError };

let loading = null;
/** What the loading (or loaded) module came from, and whether a later call with another was warned about. */
let loadingInput;
let warnedInput = false;
let ready = false;

/**
 * Loads and instantiates the wasm module. Calling it again (even while the
 * first call is still loading) returns the same promise. `input` is
 * optional: the `.wasm` URL, a `Response`, bytes or a `WebAssembly.Module`;
 * by default the file next to this module is fetched
 * (`new URL('partner_usage_bg.wasm', import.meta.url)`). In Node, whose
 * `fetch` can't read `file:` URLs, a `file:` URL (the default included) is
 * read from disk instead.
 */
export default function init(input) {
  const bad = badInput(input);
  if (bad) return Promise.reject(new PartnerCenterError(`init(): ${bad}`, { kind: 'invalid-input' }));
  if (loading && input !== undefined && !sameInput(input, loadingInput) && !warnedInput) {
    // A page has one module: the first call's. Said once, as a later
    // init(simulatorWasm) after the dashboard's init() would otherwise
    // fail only at the first simulator client.
    warnedInput = true;
    console.warn('partner-usage: init() was called again with another module, which is not loaded: the first init() call decides the module (call init(simulatorWasm) before anything else calls init(), the dashboard included)');
  }
  if (!loading) {
    loadingInput = input;
    loading = fromDisk(input).then((bytes) => initWasm(initArg(bytes ?? input))).then(
      () => {
        ready = true;
      },
      async (e) => {
        loading = null;
        throw await loadError(e, input);
      },
    );
  }
  return loading;
}

/** The same module: the same object, or the same address (a URL made again). */
function sameInput(a, b) {
  const url = (x) => (typeof x === 'string' || x instanceof URL ? String(x) : isPlain(x) ? url(x.module_or_path) : null);
  return a === b || (isPlain(a) && isPlain(b) && a.module_or_path === b.module_or_path) || (url(a) !== null && url(a) === url(b));
}

/** wasm-bindgen's object form (`{ module_or_path }`) and other plain objects. */
function isPlain(input) {
  return input !== null && typeof input === 'object' && Object.getPrototypeOf(input) === Object.prototype;
}

/**
 * Node (or Bun, Deno, Electron), where `fetch` can't read `file:` URLs: also
 * under a test runner's DOM (jsdom, happy-dom), which defines `document`.
 */
function inNode() {
  return typeof process === 'object' && typeof process?.versions?.node === 'string';
}

/**
 * Why `input` can't be a wasm source, or null: what wasm-bindgen's init
 * takes (a URL, a string, a Request or Response, bytes, a compiled module,
 * a promise of one, or `{ module_or_path }`). In Node, a string must be an
 * absolute URL: a path ("node_modules/…") is no address `fetch` can use.
 */
function badInput(input) {
  if (input === undefined || input instanceof URL) return null;
  if (isPlain(input)) return 'module_or_path' in input ? badInput(input.module_or_path) : 'an object must be wasm-bindgen\'s { module_or_path }';
  if (typeof input === 'string') {
    // A scheme of two letters or more (`C:\\…` is a Windows path), or a page
    // to resolve against (an Electron window's http(s) address).
    if (!inNode() || /^[a-z][a-z\d+.-]+:/i.test(input) || /^https?:/.test(globalThis.location?.href ?? '')) return null;
    return `in Node, ${JSON.stringify(input)} is not a URL: pass a file: URL (new URL('…/partner_usage_bg.wasm', import.meta.url)) or the file's bytes`;
  }
  if (typeof input === 'object' && input !== null) return null; // bytes, a Response, a Module, a promise: wasm-bindgen's to judge
  return `expected the .wasm's URL, a Response, its bytes or a WebAssembly.Module, not ${input === null ? 'null' : typeof input}`;
}

/** The package's `.wasm`, next to this module (where the glue looks for it too). */
function defaultWasmUrl() {
  return new URL('../pkg/partner_usage_bg.wasm', import.meta.url);
}

/**
 * Why the module didn't load, as a PartnerCenterError that names the URL:
 * `'network'` (no answer), `'http'` (an error status), `'decode'` (an answer
 * that isn't a wasm module, such as a dev server's fallback page, or a module
 * the page may not compile). The URL is asked for again to tell which.
 */
async function loadError(e, input) {
  const why = [e?.message ?? String(e), e?.cause?.message].filter(Boolean).join(': ');
  const plain = isPlain(input);
  const given = plain ? input.module_or_path : input;
  const url = given === undefined ? defaultWasmUrl() : typeof given === 'string' || given instanceof URL ? given : null;
  let shown = url && String(url);
  try {
    if (url) {
      // No query or fragment: a signed URL's signature stays out of messages.
      const u = new URL(url, globalThis.location?.href);
      u.search = '';
      u.hash = '';
      shown = u.href;
    }
  } catch {
    // A relative URL outside a page: as given.
  }
  const fail = (message, kind, status) => new PartnerCenterError(`could not load the partner-usage wasm module${url ? ` from ${shown}` : ''}: ${message}`, { kind, status, cause: e });
  // (No WebAssembly at all where a browser turns it off: no CompileError to test for.)
  // A refusal by the page's CSP (Chromium names 'unsafe-eval', Firefox "CSP").
  const refused = /unsafe-eval|Content Security Policy|\bCSP\b/i.test(why);
  const compile = refused
    || (typeof WebAssembly === 'object' && (e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError));
  const csp = refused ? ` (the page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src)` : '';
  const node = inNode();
  if (!url || (node && String(url).startsWith('file:')) || typeof fetch !== 'function') {
    return fail(`${why}${csp}`, compile ? 'decode' : 'network');
  }
  let res;
  try {
    res = await fetch(url);
  } catch {
    return fail(`${why} (no answer from the server)`, 'network');
  }
  if (!res.ok) {
    return fail(`the server answered ${res.status}: serve the package's partner_usage_bg.wasm there, or pass init() the URL where it is served`, 'http', res.status);
  }
  const head = new Uint8Array(await res.arrayBuffer().catch(() => new ArrayBuffer(0))).subarray(0, 4);
  const wasmMagic = head.length === 4 && head[0] === 0 && head[1] === 0x61 && head[2] === 0x73 && head[3] === 0x6d;
  if (!wasmMagic) {
    const type = res.headers.get('content-type') || 'no content type';
    const begins = JSON.stringify(String.fromCharCode(...head));
    return fail(`the server answered ${res.status} with ${type}, not a wasm module (it begins ${begins}): `
      + 'a fallback page for a file it doesn\'t have? With Vite\'s dev server, leave the package out of pre-bundling '
      + '(optimizeDeps: { exclude: [\'partner-usage\'] }); else serve partner_usage_bg.wasm there or pass init() its URL', 'decode', res.status);
  }
  return fail(`${why}${csp}`, compile ? 'decode' : 'network');
}

/** In Node, the bytes of a `file:` URL (by default, the package's `.wasm`); else null. */
async function fromDisk(input) {
  const node = inNode();
  if (!node) return null;
  const plain = isPlain(input);
  let url = plain ? input.module_or_path : input;
  if (url === undefined) url = defaultWasmUrl();
  if (typeof url === 'string' && url.startsWith('file:')) url = new URL(url);
  if (!(url instanceof URL) || url.protocol !== 'file:') return null;
  // A specifier bundlers leave alone: this branch runs only in Node.
  const fs = 'node:fs/promises';
  const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ fs);
  return readFile(url);
}

/**
 * What wasm-bindgen's init takes. Besides the `input` itself, the object
 * form of wasm-bindgen's own packages (`{ module_or_path }`) is accepted.
 */
function initArg(input) {
  if (input === undefined) return undefined;
  const plain = isPlain(input);
  if (plain && 'module_or_path' in input) return { module_or_path: input.module_or_path };
  return { module_or_path: input };
}

function requireInit() {
  if (!ready) {
    throw new PartnerCenterError('partner-usage is not initialised: call `await init()` first', {
      kind: 'invalid-input',
    });
  }
}

/** The library version. */
export function version() {
  requireInit();
  return wasm.version();
}

/**
 * A Partner Center client. Every method returns a promise that rejects
 * with a PartnerCenterError; see index.d.ts and the README for the options.
 */
export class PartnerCenterClient {
  #inner;

  constructor(options) {
    requireInit();
    this.#inner = new wasm.WasmClient(withAbsoluteBaseUrl(options));
  }

  /** Every customer's usage this billing period (all pages). */
  customerUsageRecords(options) {
    return this.#use((c) => c.customerUsageRecords(options));
  }

  /** The partner's customers (all pages). */
  customers(options) {
    return this.#use((c) => c.customers(options));
  }

  /** A customer's subscriptions, each with `subscriptionKind`. */
  subscriptions(customerId, options) {
    return this.#use((c) => c.subscriptions(customerId, options));
  }

  /** An Azure plan subscription's resource usage records (all pages). */
  resourceUsageRecords(customerId, subscriptionId, options) {
    return this.#use((c) => c.resourceUsageRecords(customerId, subscriptionId, options));
  }

  /** A subscription's Azure utilization records (all pages). */
  azureUtilization(customerId, subscriptionId, options) {
    return this.#use((c) => c.azureUtilization(customerId, subscriptionId, options));
  }

  /** Every customer's usage, summarised in wasm as it streams in. */
  customerUsageSummary(options) {
    return this.#use((c) => c.customerUsageSummary(options));
  }

  /** A subscription's resource usage, summarised in wasm as it streams in. */
  resourceUsageSummary(customerId, subscriptionId, options) {
    return this.#use((c) => c.resourceUsageSummary(customerId, subscriptionId, options));
  }

  /** A subscription's utilization as time series, summarised in wasm. */
  utilizationSummary(customerId, subscriptionId, options) {
    return this.#use((c) => c.utilizationSummary(customerId, subscriptionId, options));
  }

  /** Resource usage summaries of many subscriptions, `concurrency` at a time, merged. */
  resourceUsageSummaries(subscriptions, options) {
    return this.#use((c) => c.resourceUsageSummaries(subscriptions, options));
  }

  /** Utilization summaries of many subscriptions, `concurrency` at a time, merged. */
  utilizationSummaries(subscriptions, options) {
    return this.#use((c) => c.utilizationSummaries(subscriptions, options));
  }

  /**
   * Releases the wasm memory now instead of at garbage collection. Calls
   * after it reject with a PartnerCenterError; calling it again is harmless.
   */
  free() {
    this.#inner?.free();
    this.#inner = null;
  }

  /** Runs `call` on the wasm client, or rejects once the client is freed. */
  #use(call) {
    if (!this.#inner) {
      return Promise.reject(new PartnerCenterError('invalid input: this PartnerCenterClient was freed (free() was called); make a new one', {
        kind: 'invalid-input',
      }));
    }
    // The caller's frames: a rejection's own stack shows only wasm and the
    // event loop, never the line of the app that made the call.
    const site = new Error();
    return call(this.#inner).catch((e) => {
      throw withCallSite(e, site);
    });
  }
}

/** `e` with the frames of the call that led to it appended to its stack. */
function withCallSite(e, site) {
  if (!(e instanceof Error) || typeof e.stack !== 'string' || typeof site.stack !== 'string') return e;
  // V8 starts with "Error" and then #use's frame; Firefox and Safari with #use's.
  const lines = site.stack.split('\n');
  const frames = lines.slice(lines[0].startsWith('Error') ? 2 : 1).join('\n');
  if (frames.trim()) {
    try {
      e.stack = `${e.stack}\n    --- the call ---\n${frames}`;
    } catch { /* a frozen error keeps its own */ }
  }
  return e;
}

/** The page's address, if there is one (a window or a worker), else undefined. */
function pageUrl() {
  return globalThis.document?.baseURI ?? globalThis.location?.href;
}

/**
 * The options with `baseUrl` as an absolute URL string: a `URL` becomes its
 * text, and a relative URL (`'/pc'`, the usual same-origin proxy) is resolved
 * against the page, as `fetch` would resolve it. Without a page (Node), a
 * relative URL is an error.
 */
function withAbsoluteBaseUrl(options) {
  const base = options?.baseUrl;
  if (base instanceof URL) return { ...options, baseUrl: base.href };
  if (typeof base !== 'string' || base === '' || /^[a-z][a-z0-9+.-]*:/i.test(base)) return options;
  // 'ht!tp://x' or '://x': a mistyped absolute URL, not a path to resolve.
  if (base.includes('://')) {
    throw new PartnerCenterError(
      `invalid input: baseUrl ${JSON.stringify(base.slice(0, 100))} is not a valid URL: give an absolute URL such as https://portal.example/pc, or a path such as /pc`,
      { kind: 'invalid-input' },
    );
  }
  const page = pageUrl();
  if (page === undefined) {
    throw new PartnerCenterError(
      `invalid input: baseUrl ${JSON.stringify(base.slice(0, 100))} is relative, and there is no page to resolve it against here: give an absolute URL such as https://portal.example/pc`,
      { kind: 'invalid-input' },
    );
  }
  let resolved;
  try {
    resolved = new URL(base, page).href;
  } catch {
    return options;
  }
  return { ...options, baseUrl: resolved };
}

const encoder = new TextEncoder();

// JSON.stringify writes a Float64Array as {"0":…}; summaries carry typed
// arrays, so write them as plain arrays.
function typedArraysAsArrays(_key, value) {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value) : value;
}

/** Records or a summary as UTF-8 JSON bytes (bytes pass as they are). */
function jsonBytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  let text;
  try {
    text = JSON.stringify(value, typedArraysAsArrays);
  } catch (e) {
    throw new PartnerCenterError(`${what} can't be converted to JSON: ${e && e.message ? e.message : e}`, {
      kind: 'invalid-input',
      cause: e,
    });
  }
  if (text === undefined) {
    throw new PartnerCenterError(`${what} must be an array or an object`, { kind: 'invalid-input' });
  }
  return encoder.encode(text);
}

/**
 * Summarises CustomerMonthlyUsageRecords already in JavaScript (e.g. from
 * `client.customerUsageRecords()`); also takes their JSON text or bytes.
 */
export function summarizeCustomerUsage(records, options) {
  requireInit();
  checkRecords(records, 'customerUsageRecords', 'summarizeCustomerUsage');
  return wasm.summarizeCustomerUsage(jsonBytes(records, 'the records'), options);
}

/** Summarises ResourceUsageRecords already in JavaScript. */
export function summarizeResourceUsage(records, options) {
  requireInit();
  checkRecords(records, 'resourceUsageRecords', 'summarizeResourceUsage');
  return wasm.summarizeResourceUsage(jsonBytes(records, 'the records'), options);
}

/** Summarises AzureUtilizationRecords already in JavaScript into time series. */
export function summarizeUtilization(records, options) {
  requireInit();
  checkRecords(records, 'azureUtilization', 'summarizeUtilization');
  return wasm.summarizeUtilization(jsonBytes(records, 'the records'), options);
}

/**
 * Summarises utilization page bodies (`Uint8Array`s, such as those
 * `utilizationSummary`'s `onPage` handed over) with other options, no network.
 */
export function summarizeUtilizationPages(pages, options) {
  requireInit();
  return wasm.summarizeUtilizationPages(pages, options);
}

/** The CSV kinds, in the order `toCsv` documents them. */
export const CSV_KINDS = Object.freeze([
  'customerUsageRecords',
  'resourceUsageRecords',
  'azureUtilization',
  'customerUsageSummary',
  'resourceUsageSummary',
  'utilizationSummary',
]);

function has(o, ...keys) {
  return o !== null && typeof o === 'object' && keys.every((k) => k in o);
}

/** Partner Center's `attributes.objectType` of each kind of item. */
const OBJECT_KINDS = {
  CustomerMonthlyUsageRecord: 'customerUsageRecords',
  ResourceUsageRecord: 'resourceUsageRecords',
  AzureUtilizationRecord: 'azureUtilization',
  Customer: 'customers',
  Subscription: 'subscriptions',
};

/** Where the kinds that are no CSV kind come from, for messages. */
const LISTED_BY = { customers: 'client.customers()', subscriptions: 'client.subscriptions()' };

/**
 * Which kind an array of items is, from its first object: a record kind,
 * or 'customers' / 'subscriptions' (the client's other listings, which
 * have no CSV and no summary), or undefined.
 */
function itemsKind(items) {
  const first = items.find((x) => x !== null && typeof x === 'object');
  if (!first) return undefined;
  const type = first.attributes?.objectType;
  if (typeof type === 'string' && Object.hasOwn(OBJECT_KINDS, type)) return OBJECT_KINDS[type];
  if ('usageStartTime' in first || 'resource' in first) return 'azureUtilization';
  if ('resourceUri' in first || 'resourceType' in first || 'resourceGroupName' in first) return 'resourceUsageRecords';
  if ('percentUsed' in first || 'isUpgraded' in first || 'usdTotalCost' in first) return 'customerUsageRecords';
  if ('subscriptionKind' in first || 'offerId' in first) return 'subscriptions';
  if ('companyProfile' in first) return 'customers';
  return undefined;
}

/** A kind as a reader would name it: `customers (from client.customers())`. */
function kindName(kind) {
  return LISTED_BY[kind] ? `${kind} (from ${LISTED_BY[kind]})` : kind;
}

/**
 * Refuses records of another kind than a summary takes (they would decode
 * leniently into a summary of nothing: every field missing).
 */
function checkRecords(records, expected, fn) {
  const items = Array.isArray(records) ? records : has(records, 'items') && Array.isArray(records.items) ? records.items : null;
  const seen = items && itemsKind(items);
  if (seen && seen !== expected) {
    throw new PartnerCenterError(`${fn}: the records look like ${kindName(seen)}, not ${expected}`, { kind: 'invalid-input' });
  }
}

/** Which kind a value is (see itemsKind), from its shape, or undefined. */
function kindOf(data) {
  if (Array.isArray(data)) return itemsKind(data);
  if (has(data, 'bucketStarts', 'series')) return 'utilizationSummary';
  if (has(data, 'groups', 'groupBy')) return 'resourceUsageSummary';
  if (has(data, 'customers', 'budget')) return 'customerUsageSummary';
  return undefined;
}

/**
 * CSV (RFC 4180, exact money, formula cells neutralised) of records or a
 * summary: `toCsv(kind, data)`, or `toCsv(data)` to pick the kind from the
 * data's shape (an empty array gives '': it has no shape, and no rows).
 * The result of a multi-subscription call exports its merged `summary`.
 * A last argument `{ columns }` puts constant columns first.
 */
export function toCsv(kindOrData, data, options) {
  requireInit();
  let kind = kindOrData;
  if (typeof kindOrData !== 'string') {
    options = data;
    data = kindOrData;
    if (has(data, 'summary', 'subscriptions')) data = data.summary;
    // A listing with no records (a 204) has no shape to tell its kind by,
    // and no rows: no text either (toCsv(kind, []) gives the header row).
    if (Array.isArray(data) && data.length === 0) return '';
    kind = kindOf(data);
    if (LISTED_BY[kind]) {
      throw new PartnerCenterError(
        `toCsv doesn't export ${kindName(kind)}: it exports usage records and summaries (${CSV_KINDS.join(', ')})`,
        { kind: 'invalid-input' },
      );
    }
    if (!kind) {
      throw new PartnerCenterError(
        `toCsv can't tell what this is; call toCsv(kind, data) with kind one of ${CSV_KINDS.join(', ')}`,
        { kind: 'invalid-input' },
      );
    }
  } else {
    if (data === undefined && !CSV_KINDS.includes(kindOrData)) {
      throw new PartnerCenterError(
        `toCsv(data) reads the kind from records or a summary as JavaScript values; for JSON text, name it: toCsv(kind, text), kind one of ${CSV_KINDS.join(', ')}`,
        { kind: 'invalid-input' },
      );
    }
    if (has(data, 'summary', 'subscriptions')) data = data.summary;
    // Data of another kind would decode leniently into a plausible but
    // wrong file (every field missing): refused.
    const seen = kindOf(data);
    if (seen && seen !== kind && CSV_KINDS.includes(kind)) {
      throw new PartnerCenterError(`toCsv(${JSON.stringify(kind)}): the data looks like ${kindName(seen)}, not ${kind}`, { kind: 'invalid-input' });
    }
  }
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new PartnerCenterError('toCsv: the options must be an object ({ columns })', { kind: 'invalid-input' });
  }
  const unknown = options && Object.keys(options).find((k) => k !== 'columns');
  if (unknown) {
    throw new PartnerCenterError(`toCsv options: unknown option \`${unknown}\`; expected \`columns\``, { kind: 'invalid-input' });
  }
  return wasm.toCsv(kind, jsonBytes(data, 'the data'), options?.columns);
}
