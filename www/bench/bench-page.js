// In-page half of the browser benchmarks (run.mjs drives it through
// Playwright and reads `window.bench`). Nothing here touches the network
// while a timer runs: pages are loaded into ArrayBuffers first.
//
// Variants of "summarise utilization records into daily series per
// meter + unit":
//   baseline  what a portal developer would write: JSON.parse per page and a
//             Map keyed by meter + unit + day summing `quantity` as Number.
//   exactJs   what a careful JS developer would write to keep every digit:
//             quote `"quantity"` with a regex before JSON.parse, sum integer
//             and fraction parts in separate Number accumulators (each
//             stays an exact integer below 2^53), BigInt only at the end.
//   ours      the package: UtilizationPageSummarizer.addPage(bytes) per page
//             (the core's borrowing scanner, exact i128 sums), then finish().
//   baselineFetch  the baseline reading each page from a Response
//             (`await res.json()`), the fair comparison for `client`.
//   client    the package's streaming client, PartnerCenterClient
//             .utilizationSummary(), with `fetch` answered from the same
//             in-memory pages (paginator, the body read from its stream into
//             wasm memory, and the scan: everything but the network).

import init, { PartnerCenterClient } from '../src/index.js';
import initRaw, { UtilizationPageSummarizer } from '../pkg/partner_usage.js';

const status = document.getElementById('status');
let wasmMemory = null;
let pages = [];
let manifest = null;

const NUL = '\u0000';
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Loads the wasm module (through the package's idempotent init). */
async function setup() {
  await init();
  // The package's init already instantiated the module; the raw init
  // returns the same instance's exports, whose `memory` we watch.
  const exports = await initRaw();
  wasmMemory = exports.memory;
  status.textContent = 'ready';
  return { wasmBytes: wasmMemory.buffer.byteLength };
}

/** Fetches the manifest and the first `count` pages into memory (untimed). */
async function load(base, count) {
  manifest = await (await fetch(`${base}/manifest.json`)).json();
  const n = Math.min(count, manifest.pages);
  pages = new Array(n);
  let bytes = 0;
  const next = { i: 0 };
  async function worker() {
    while (next.i < n) {
      const i = next.i++;
      const res = await fetch(`${base}/page-${String(i + 1).padStart(4, '0')}.json`);
      if (!res.ok) throw new Error(`page ${i + 1}: HTTP ${res.status}`);
      pages[i] = new Uint8Array(await res.arrayBuffer());
      bytes += pages[i].byteLength;
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  status.textContent = `loaded ${n} pages`;
  return { pages: n, bytes, records: n * 1000 };
}

// ------------------------------------------------------------- variants

function baseline() {
  const td = new TextDecoder();
  const sums = new Map();
  for (const u8 of pages) {
    const page = JSON.parse(td.decode(u8));
    for (const r of page.items) {
      const key = r.resource.name + NUL + r.unit + NUL + r.usageStartTime.slice(0, 10);
      sums.set(key, (sums.get(key) ?? 0) + r.quantity);
    }
  }
  return sums;
}

/**
 * The baseline as it reads with fetch: each page is a `Response` (built from
 * the same in-memory bytes) read with `await res.json()`. The streaming
 * client pays for reading Responses too, so this is its fair comparison.
 */
async function baselineFetch() {
  const sums = new Map();
  for (const u8 of pages) {
    const page = await new Response(u8, { headers: { 'Content-Type': 'application/json' } }).json();
    for (const r of page.items) {
      const key = r.resource.name + NUL + r.unit + NUL + r.usageStartTime.slice(0, 10);
      sums.set(key, (sums.get(key) ?? 0) + r.quantity);
    }
  }
  return sums;
}

const QUANTITY = /"quantity":(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
const SIMPLE = /^(-?)(\d{1,15})(?:\.(\d{1,18}))?$/;
const E9 = 1_000_000_000n;
const E18 = E9 * E9;

/** A quantity's exact value × 10^18 as a BigInt (the slow, general path). */
function scaled18(q) {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(q);
  if (!m) throw new Error(`not a number: ${q}`);
  const digits = BigInt(m[2] + (m[3] ?? ''));
  const shift = 18 - (m[3] ?? '').length + Number(m[4] ?? 0);
  if (shift < 0) throw new Error(`more than 18 fractional digits: ${q}`);
  const v = digits * 10n ** BigInt(shift);
  return m[1] ? -v : v;
}

function exactJs() {
  const td = new TextDecoder();
  const cells = new Map();
  for (const u8 of pages) {
    const page = JSON.parse(td.decode(u8).replace(QUANTITY, '"quantity":"$1"'));
    for (const r of page.items) {
      const key = r.resource.name + NUL + r.unit + NUL + r.usageStartTime.slice(0, 10);
      let c = cells.get(key);
      if (c === undefined) {
        c = { int: 0, hi: 0, lo: 0, big: 0n };
        cells.set(key, c);
      }
      const q = r.quantity;
      const m = SIMPLE.exec(q);
      if (m === null) {
        c.big += scaled18(q);
        continue;
      }
      const frac = m[3] === undefined ? '' : m[3].padEnd(18, '0');
      const int = Number(m[2]);
      const hi = frac ? Number(frac.slice(0, 9)) : 0;
      const lo = frac ? Number(frac.slice(9)) : 0;
      if (m[1]) {
        c.int -= int;
        c.hi -= hi;
        c.lo -= lo;
      } else {
        c.int += int;
        c.hi += hi;
        c.lo += lo;
      }
    }
  }
  const out = new Map();
  for (const [key, c] of cells) {
    out.set(key, BigInt(c.int) * E18 + BigInt(c.hi) * E9 + BigInt(c.lo) + c.big);
  }
  return out;
}

const OPTIONS = { bucket: 'day', groupBy: 'meter' };

function ours(passes = 1) {
  const s = new UtilizationPageSummarizer(OPTIONS);
  for (let p = 0; p < passes; p++) {
    for (const u8 of pages) s.addPage(u8);
  }
  return s.finish();
}

async function client() {
  const byToken = new Map(manifest.continuationTokens.map((t, i) => [t ?? '', i]));
  const window = new URLSearchParams(manifest.query.split('?')[1]);
  const realFetch = globalThis.fetch;
  globalThis.fetch = (req) => {
    const i = byToken.get(req.headers.get('MS-ContinuationToken') ?? '');
    if (i === undefined) return Promise.resolve(new Response('{}', { status: 404 }));
    // Past the loaded pages (a --quick run uses a prefix): an empty last page.
    const body = i < pages.length ? pages[i] : '{"totalCount":0,"items":[],"links":{}}';
    return Promise.resolve(
      new Response(body, { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' } }),
    );
  };
  try {
    const c = new PartnerCenterClient({ baseUrl: `${location.origin}/pc`, token: 'bench', maxPages: 100_000 });
    const summary = await c.utilizationSummary(manifest.customerId, manifest.subscriptionId, {
      startTime: window.get('start_time'),
      endTime: window.get('end_time'),
      size: 1000,
      ...OPTIONS,
    });
    c.free();
    return summary;
  } finally {
    globalThis.fetch = realFetch;
  }
}

const VARIANTS = { baseline, exactJs, ours, baselineFetch, client };
const results = {};

/** Times one variant once; keeps its last result for `check`. */
async function run(name) {
  globalThis.gc?.();
  const t0 = performance.now();
  const r = await VARIANTS[name]();
  const ms = performance.now() - t0;
  results[name] = r;
  return ms;
}

/** Runs every variant once over the first 20 pages (JIT and wasm tier-up). */
async function warmup() {
  const all = pages;
  pages = all.slice(0, 20);
  try {
    for (const v of Object.values(VARIANTS)) await v();
  } finally {
    pages = all;
  }
}

// ------------------------------------------------------------- exactness

function normalise(s) {
  let [int, frac = ''] = String(s).split('.');
  frac = frac.replace(/0+$/, '');
  if (/^-0*$/.test(int) && !frac) int = '0';
  return frac ? `${int}.${frac}` : int;
}

function bigToDecimal(v) {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const s = `${a / E18}.${(a % E18).toString().padStart(18, '0')}`;
  return normalise((neg ? '-' : '') + s);
}

/** Cells of a package summary: key → exact decimal text (non-zero cells and cells with records). */
function cellsOf(summary) {
  const days = Array.from(summary.bucketStarts, dayOf);
  const out = new Map();
  for (const s of summary.series) {
    s.exactValues.forEach((v, i) => {
      out.set((s.key ?? '') + NUL + s.unit + NUL + days[i], normalise(v));
    });
  }
  return out;
}

/**
 * Compares every variant's last result with the exact-JS BigInt sums, cell
 * by cell: `ours` and `client` must match all of them; the Number baseline
 * is counted (cells whose sum is not the correctly rounded exact value).
 */
function check() {
  const exact = new Map([...results.exactJs].map(([k, v]) => [k, bigToDecimal(v)]));
  const report = { cells: exact.size };
  for (const name of ['ours', 'client']) {
    if (!results[name]) continue;
    const cells = cellsOf(results[name]);
    let mismatched = 0;
    const examples = [];
    for (const [k, v] of exact) {
      if (cells.get(k) !== v) {
        mismatched++;
        if (examples.length < 3) examples.push({ cell: k.split(NUL).join(' | '), exact: v, got: cells.get(k) });
      }
    }
    // A non-zero cell the exact sums don't have is wrong too.
    for (const [k, v] of cells) if (!exact.has(k) && v !== '0') mismatched++;
    report[name] = { mismatched, examples, records: results[name].records };
  }
  if (results.baseline) {
    let wrong = 0;
    let maxRel = 0;
    for (const [k, v] of exact) {
      const f = results.baseline.get(k);
      const want = Number(v);
      if (f !== want) {
        wrong++;
        maxRel = Math.max(maxRel, Math.abs(f - want) / Math.abs(want || 1));
      }
    }
    report.baseline = { wrong, maxRelativeError: maxRel, cells: results.baseline.size };
  }
  return report;
}

// ---------------------------------------------------------------- memory

/**
 * Summarises the loaded pages `passes` times with the package, sampling the
 * JS heap every 10 pages. Run it in a fresh page: wasm memory never shrinks,
 * so `wasmBytes` afterwards is the peak of this run.
 */
function memory(passes, variant = 'ours') {
  globalThis.gc?.();
  const heap0 = performance.memory.usedJSHeapSize;
  const wasm0 = wasmMemory.buffer.byteLength;
  let peak = heap0;
  let n = 0;
  const sample = () => {
    if (++n % 10 === 0) peak = Math.max(peak, performance.memory.usedJSHeapSize);
  };
  let records = 0;
  if (variant === 'ours') {
    const s = new UtilizationPageSummarizer(OPTIONS);
    for (let p = 0; p < passes; p++) {
      for (const u8 of pages) {
        records += s.addPage(u8);
        sample();
      }
    }
    const summary = s.finish();
    peak = Math.max(peak, performance.memory.usedJSHeapSize);
    if (summary.records !== records) throw new Error(`summary has ${summary.records} records, expected ${records}`);
  } else {
    const td = new TextDecoder();
    const sums = new Map();
    for (let p = 0; p < passes; p++) {
      for (const u8 of pages) {
        const page = JSON.parse(td.decode(u8));
        for (const r of page.items) {
          const key = r.resource.name + NUL + r.unit + NUL + r.usageStartTime.slice(0, 10);
          sums.set(key, (sums.get(key) ?? 0) + r.quantity);
          records++;
        }
        sample();
      }
    }
    peak = Math.max(peak, performance.memory.usedJSHeapSize);
  }
  return {
    records,
    wasmBefore: wasm0,
    wasmBytes: wasmMemory.buffer.byteLength,
    heapBefore: heap0,
    heapPeak: peak,
  };
}

// --------------------------------------------------------- fetch pipeline

/** `utilizationSummaries` over the page's origin (pc-sim), timed. */
async function pipeline({ pairs, startTime, endTime, size, concurrency }) {
  const c = new PartnerCenterClient({ baseUrl: location.origin, token: 'bench', concurrency });
  const t0 = performance.now();
  const r = await c.utilizationSummaries(pairs, { startTime, endTime, size, ...OPTIONS });
  const ms = performance.now() - t0;
  c.free();
  const listingPages = r.subscriptions.map((s) => s.pages);
  return {
    ms,
    failed: r.failed,
    pages: listingPages.reduce((a, b) => a + b, 0),
    maxPages: Math.max(...listingPages),
    minPages: Math.min(...listingPages),
    records: r.summary.records,
  };
}

window.bench = { setup, load, warmup, run, check, memory, pipeline };
