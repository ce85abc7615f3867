#!/usr/bin/env node
// The browser half of `cargo xtask bench` (which builds everything first:
// the npm package in www/pkg, pc-sim and pc-bench-data, and runs the native
// criterion benchmarks whose results this script reads from
// target/criterion). It measures, in headless Chromium through
// playwright-core:
//
//   2. wasm vs plain JavaScript: 1,000,000 utilization records summarised
//      into daily series per meter + unit, from pages held in memory;
//   3. memory while summarising 100k, 1M and 3M records;
//   4. the fetch pipeline against pc-sim with 100 ms latency;
//   5. sizes (gzip) of what the package and the demo load;
//   6. time to first chart on the demo page;
//
// then writes BENCHMARKS.md at the repository root (with the native
// figures, 1.) and prints the summary table. `--quick` runs a smaller
// version (100k records, fewer runs) and writes
// target/bench-results/BENCHMARKS-quick.md instead, leaving BENCHMARKS.md
// alone. Usage: node www/bench/run.mjs [--quick]

import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import http from 'node:http';
import http2 from 'node:http2';
import { existsSync, mkdirSync, mkdtempSync, rmSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { median, renderMarkdown, renderTable } from './report.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';

const QUICK = process.argv.includes('--quick');
const unknown = process.argv.slice(2).filter((a) => a !== '--quick');
if (unknown.length) {
  console.error(`run.mjs: unknown argument(s) ${unknown.join(' ')}; usage: node www/bench/run.mjs [--quick]`);
  process.exit(2);
}

const WWW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.dirname(WWW);
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
const CHROMIUM = process.env.CHROMIUM_PATH || CHROMIUM_PATH;
const SIM_NOW = '2026-11-25T00:00:00Z';

/** What each mode runs. */
const CFG = QUICK
  ? {
      mode: 'quick',
      pages: 100,
      runs: 3,
      memory: [
        { label: '10k', pages: 10, passes: 1 },
        { label: '100k', pages: 100, passes: 1 },
        { label: '300k', pages: 100, passes: 3 },
      ],
      pipeline: { subscriptions: 10, pagesPerListing: 5, concurrency: 10, runs: 2, sequential: false },
      ttfcRuns: 2,
    }
  : {
      mode: 'full',
      pages: 1000,
      runs: 6,
      memory: [
        { label: '100k', pages: 100, passes: 1 },
        { label: '1M', pages: 1000, passes: 1 },
        { label: '3M', pages: 1000, passes: 3 },
      ],
      pipeline: { subscriptions: 50, pagesPerListing: 10, concurrency: 50, runs: 5, sequential: true },
      ttfcRuns: 5,
    };
const LATENCY_MS = 100;
const DATA_RECORDS = 1_000_000;
/** The simulator seed of the data: its 1M-record subscription gets 8 meters (the most the simulator gives one subscription). */
const DATA_SEED = 5;

const started = Date.now();
const children = [];
const log = (...a) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s]`, ...a);

// ------------------------------------------------------------------ helpers

const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length, all: xs });
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

function need(file, hint) {
  if (!existsSync(file)) {
    console.error(`run.mjs: ${path.relative(ROOT, file)} is missing: ${hint}`);
    process.exit(1);
  }
}

/** Starts a process we own; it is killed (by its pid) when this script exits. */
function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  children.push(child);
  return child;
}

function stopAll() {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  }
}
process.on('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopAll();
    process.exit(130);
  });
}

/** Runs pc-sim and resolves with its base URL (from its first stdout line). */
function startSim(args) {
  const child = start(path.join(TARGET, 'release', 'pc-sim'), ['--port', '0', '--now', SIM_NOW, ...args]);
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`pc-sim exited with ${code}: ${stderr}`)));
  });
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** A static server: `/bench-data/…` from target/bench-data, the rest from www/. */
function startStatic() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = decodeURIComponent(url.pathname);
    const [base, rel] = p.startsWith('/bench-data/')
      ? [path.join(TARGET, 'bench-data'), p.slice('/bench-data/'.length)]
      : [WWW, p.slice(1)];
    const file = path.resolve(base, rel);
    if (!file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

/** A self-signed certificate for 127.0.0.1 (made once, with openssl). */
function tlsCert() {
  const dir = path.join(TARGET, 'bench-data', 'tls');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  if (!existsSync(cert)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** Clock ticks per second of /proc's CPU times. */
let clkTck = null;

/**
 * CPU time used so far, in ms, by the processes of a process group (the
 * page's Chromium: browser, renderer, network and GPU processes), by this
 * Node process (the front) and by one process (pc-sim); null where /proc
 * can't tell (not Linux). A process of the group that has already exited is
 * no longer counted.
 */
function cpuTimes(group, pid) {
  if (!existsSync('/proc/self/stat')) return null;
  clkTck ??= (() => {
    try {
      return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      return 100;
    }
  })();
  // Fields after the command name: state, ppid, pgrp, ..., utime (14th), stime (15th).
  const stat = (p) => {
    try {
      const s = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      return { pgrp: Number(f[2]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / clkTck };
    } catch {
      return null;
    }
  };
  let chromiumMs = 0;
  if (group != null) {
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      const st = stat(p);
      if (st && st.pgrp === group) chromiumMs += st.ms;
    }
  }
  const u = process.cpuUsage();
  return { chromium: chromiumMs, front: (u.user + u.system) / 1000, sim: stat(pid)?.ms ?? null };
}

/**
 * A front for pc-sim that the pipeline benchmark's browser talks to, over
 * HTTP/2 (TLS) and over plain HTTP/1.1. Partner Center and any real proxy in
 * front of it speak HTTP/2, where one connection carries every concurrent
 * request; over HTTP/1.1 a browser opens at most 6 connections per origin,
 * which caps a 50-listing fetch at 6 requests in flight. Both transports go
 * through the same front, so they differ only in the protocol. The front
 * also hands the page its job (`GET /__bench/job`) and takes its figures
 * (`POST /__bench/result`), since that page runs without Playwright.
 */
function startFront(upstream, simPid) {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const front = { job: null, onResult: null, chromiumGroup: null };
  const handler = (req, res) => {
    if (req.url === '/__bench/cpu') {
      // CPU time so far of the page's Chromium (its whole process group),
      // this Node process (the front) and pc-sim: the page reads it before
      // and after each timed variant.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(cpuTimes(front.chromiumGroup, simPid)));
      return;
    }
    if (req.url === '/__bench/job') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(front.job));
      return;
    }
    if (req.url === '/__bench/result' && req.method === 'POST') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204);
        res.end();
        front.onResult?.(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      return;
    }
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (!k.startsWith(':') && !['connection', 'keep-alive', 'upgrade', 'transfer-encoding', 'host'].includes(k)) headers[k] = v;
    }
    const up = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      (r) => {
        const out = {};
        for (const [k, v] of Object.entries(r.headers)) {
          if (!['connection', 'keep-alive', 'transfer-encoding'].includes(k)) out[k] = v;
        }
        res.writeHead(r.statusCode, out);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  };
  const h2 = http2.createSecureServer({ ...tlsCert(), allowHTTP1: true }, handler);
  const h1 = http.createServer({ keepAlive: true }, handler);
  const listen = (server, scheme) =>
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`${scheme}://127.0.0.1:${server.address().port}`)));
  return Promise.all([listen(h2, 'https'), listen(h1, 'http')]).then(([h2Url, h1Url]) => ({

    set job(j) {
      front.job = j;
    },
    urls: { h2: h2Url, http1: h1Url },
    /** Opens `url` in a Chromium started here (no automation) and waits for its posted result. */
    async run(url, timeoutMs) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'pu-bench-'));
      // Its own process group, so that the renderer, GPU and network
      // processes go with it: they write into the profile until they exit.
      const child = spawn(CHROMIUM, [...LAUNCH.args, '--headless', '--ignore-certificate-errors', `--user-data-dir=${dir}`, url], {
        stdio: 'ignore',
        detached: true,
      });
      front.chromiumGroup = child.pid;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      try {
        return await new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no result from ${url} in ${timeoutMs} ms`)), timeoutMs);
          child.on('exit', (code) => reject(new Error(`chromium exited with ${code} before posting a result`)));
          front.onResult = (r) => {
            clearTimeout(timer);
            if (r.ok) resolve(r.result);
            else reject(new Error(`pipeline page: ${r.error}`));
          };
        });
      } finally {
        front.onResult = null;
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        await exited;
        try {
          rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
        } catch (e) {
          // A leftover temporary profile is not worth losing the run for.
          log(`could not remove ${dir}: ${e.code ?? e.message}`);
        }
      }
    },
    close() {
      h2.close();
      h1.close();
    },
  }));
}

const LAUNCH = {
  executablePath: CHROMIUM,
  args: [
    ...CHROMIUM_ARGS,
    '--disable-renderer-backgrounding',
    '--disable-background-timer-throttling',
    '--enable-precise-memory-info',
    '--js-flags=--expose-gc',
  ],
};

async function benchPage(browser, origin) {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(new Error(m.text()));
  });
  await page.goto(`${origin}/bench/page.html`);
  await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 }).catch((e) => {
    throw errors[0] ?? e;
  });
  const info = await page.evaluate(() => window.bench.setup());
  return { ctx, page, info, errors };
}

// ------------------------------------------------------------------- steps

function ensureData() {
  const name = `utilization-${DATA_RECORDS}-seed${DATA_SEED}`;
  const out = path.join(TARGET, 'bench-data', name);
  const bin = path.join(TARGET, 'release', 'pc-bench-data');
  need(bin, 'build it with `cargo build --release -p partner-usage-tests --bins` (cargo xtask bench does)');
  execFileSync(bin, ['--records', String(DATA_RECORDS), '--seed', String(DATA_SEED), '--out', out], { stdio: 'inherit' });
  return { dir: out, url: `/bench-data/${name}`, manifest: JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) };
}

/** 2. wasm vs JavaScript, interleaved, with the exactness check. */
async function throughput(browser, origin, data) {
  const { ctx, page } = await benchPage(browser, origin);
  const loaded = await page.evaluate(([u, n]) => window.bench.load(u, n), [data.url, CFG.pages]);
  log(`loaded ${loaded.pages} pages (${(loaded.bytes / 1e6).toFixed(1)} MB) into the page`);
  const variants = ['baseline', 'exactJs', 'ours', 'baselineFetch', 'client'];
  await page.evaluate(() => window.bench.warmup());
  const times = Object.fromEntries(variants.map((v) => [v, []]));
  for (let r = 0; r < CFG.runs; r++) {
    // Rotate the order so no variant always runs first (or after the same one).
    const order = variants.map((_, i) => variants[(i + r) % variants.length]);
    for (const v of order) {
      times[v].push(await page.evaluate((name) => window.bench.run(name), v));
    }
    log(`round ${r + 1}/${CFG.runs}: ${variants.map((v) => `${v} ${times[v][r].toFixed(0)} ms`).join(', ')}`);
  }
  const check = await page.evaluate(() => window.bench.check());
  await ctx.close();
  const ratio = (a, b) => spread(times[a].map((t, i) => t / times[b][i]));
  return {
    ...loaded,
    times: Object.fromEntries(variants.map((v) => [v, spread(times[v])])),
    ratios: {
      baselineOverOurs: ratio('baseline', 'ours'),
      baselineOverClient: ratio('baseline', 'client'),
      baselineFetchOverClient: ratio('baselineFetch', 'client'),
      exactJsOverOurs: ratio('exactJs', 'ours'),
      exactJsOverBaseline: ratio('exactJs', 'baseline'),
    },
    check,
  };
}

/** 3. Memory, each size in a fresh page (wasm memory never shrinks). */
async function memory(browser, origin, data) {
  const rows = [];
  const runs = [...CFG.memory.map((m) => ({ ...m, variant: 'ours' })), { ...CFG.memory[1], variant: 'baseline' }];
  for (const m of runs) {
    const { ctx, page, info } = await benchPage(browser, origin);
    await page.evaluate(([u, n]) => window.bench.load(u, n), [data.url, m.pages]);
    const r = await page.evaluate(([p, v]) => window.bench.memory(p, v), [m.passes, m.variant]);
    await ctx.close();
    rows.push({ ...m, ...r, wasmAtInit: info.wasmBytes });
    log(`memory ${m.variant} ${m.label}: wasm ${(r.wasmBytes / 2 ** 20).toFixed(1)} MiB, JS heap +${((r.heapPeak - r.heapBefore) / 2 ** 20).toFixed(1)} MiB`);
  }
  return rows;
}

/** Days of usage each pipeline listing covers (small pages: the benchmark is about latency). */
const PIPELINE_DAYS = 14;

/**
 * Picks `n` legacy subscriptions and one page size that gives each of them
 * exactly `pages` pages over the window, counting their records first
 * (with the latency off).
 */
async function pickListings(simUrl, truth, window, n, pages) {
  const subs = [];
  for (const c of truth.customers) {
    for (const s of c.subscriptions) {
      if (s.kind === 'legacy' && s.utilizationRecords > 0) subs.push({ customerId: c.id, subscriptionId: s.id });
    }
  }
  const q = `start_time=${window.startTime}&end_time=${window.endTime}&size=1000`;
  const counted = [];
  for (const s of subs) {
    const res = await fetch(`${simUrl}/v1/customers/${s.customerId}/subscriptions/${s.subscriptionId}/utilizations/azure?${q}`, {
      headers: { Authorization: 'Bearer bench' },
    });
    if (res.status !== 200) continue;
    const page = await res.json();
    if (!page.links?.next) counted.push({ ...s, records: page.items.length });
  }
  let best = null;
  for (let size = 1; size <= 1000; size++) {
    const fit = counted.filter((s) => Math.ceil(s.records / size) === pages);
    if (!best || fit.length > best.fit.length) best = { size, fit };
  }
  if (!best || best.fit.length < n) return null;
  return { size: best.size, pairs: best.fit.slice(0, n) };
}

/** 4. Fetch pipeline against pc-sim with 100 ms latency. */
async function pipeline(sim) {
  const p = CFG.pipeline;
  const config = (c) =>
    fetch(`${sim.url}/sim/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(c) });
  let truth = null;
  let picked = null;
  let window = null;
  for (const customers of [800, 3200, 6400]) {
    await config({ customers, latencyMs: 0, faultRate: 0, seed: 1 });
    truth = await (await fetch(`${sim.url}/sim/truth`)).json();
    const end = new Date(truth.usageWindow.end);
    window = { startTime: new Date(end - PIPELINE_DAYS * 86_400_000).toISOString().replace('.000', ''), endTime: truth.usageWindow.end };
    picked = await pickListings(sim.url, truth, window, p.subscriptions, p.pagesPerListing);
    if (picked) break;
  }
  if (!picked) throw new Error('could not find enough subscriptions with equal page counts');
  await config({ latencyMs: LATENCY_MS });
  const job = {
    pairs: picked.pairs.map(({ customerId, subscriptionId }) => ({ customerId, subscriptionId })),
    ...window,
    size: picked.size,
  };
  const front = await startFront(sim.url, sim.child.pid);
  const out = {
    listings: p.subscriptions,
    pagesPerListing: p.pagesPerListing,
    days: PIPELINE_DAYS,
    size: picked.size,
    records: picked.pairs.reduce((a, s) => a + s.records, 0),
    latencyMs: LATENCY_MS,
    transports: {},
  };
  for (const name of ['h2', 'http1']) {
    front.job = { ...job, concurrency: p.concurrency, runs: p.runs, sequential: p.sequential && name === 'h2' };
    const res = await front.run(`${front.urls[name]}/bench/pipeline.html`, 15 * 60_000);
    for (const round of res.rounds) {
      for (const [variant, r] of Object.entries(round)) {
        if (r.pages.length !== p.subscriptions || r.pages.some((n) => n !== p.pagesPerListing)) {
          throw new Error(`pipeline ${name} ${variant}: pages ${JSON.stringify(r.pages)}`);
        }
      }
    }
    const entry = {
      concurrent: spread(res.rounds.map((r) => r.client.ms)),
      bare: spread(res.rounds.map((r) => r.bare.ms)),
      clientOverBare: spread(res.rounds.map((r) => r.client.ms / r.bare.ms)),
      pages: p.subscriptions * p.pagesPerListing,
    };
    if (res.sequential) entry.sequential = res.sequential.ms;
    // CPU per round (median ms) of Chromium, the front and pc-sim: with the
    // machine's cores, a lower bound on the round's wall time.
    const cpuOf = (variant) => {
      const rows = res.rounds.map((r) => r[variant].cpu).filter(Boolean);
      if (!rows.length) return null;
      const med = (k) => {
        const v = rows.map((c) => c[k]).filter((n) => n != null);
        return v.length ? median(v) : null;
      };
      const total = median(rows.map((c) => (c.chromium ?? 0) + (c.front ?? 0) + (c.sim ?? 0)));
      return { chromium: med('chromium'), front: med('front'), sim: med('sim'), total };
    };
    entry.cpu = { bare: cpuOf('bare'), client: cpuOf('client') };
    out.transports[name] = entry;
    const cpu = entry.cpu.bare;
    log(
      `pipeline ${name}: concurrency ${p.concurrency} client median ${entry.concurrent.median.toFixed(0)} ms, bare fetch ${entry.bare.median.toFixed(0)} ms${entry.sequential ? `, sequential ${entry.sequential.toFixed(0)} ms` : ''}${cpu ? `; bare round CPU ${cpu.total.toFixed(0)} ms (Chromium ${cpu.chromium.toFixed(0)}, front ${cpu.front.toFixed(0)}, pc-sim ${cpu.sim?.toFixed(0) ?? '?'})` : ''}`,
    );
  }
  front.close();
  return out;
}

/** 6. Time to first chart on the demo page; 5. what it loads (gzip). */
async function demo(browser, sim) {
  await fetch(`${sim.url}/sim/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ customers: 120, latencyMs: 0, faultRate: 0, seed: 7 }) });
  const times = [];
  const phases = [];
  let loads = null;
  for (let r = 0; r < CFG.ttfcRuns; r++) {
    // A fresh context each time: a first visit, nothing cached.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const responses = [];
    page.on('response', (res) => responses.push(res));
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`${sim.url}/index.html`, { waitUntil: 'commit' });
    const handle = await page
      .waitForFunction(
        () => {
          const d = document.querySelector('partner-usage-dashboard');
          const c = d?.shadowRoot?.querySelector('canvas');
          return c && c.width > 0 && c.height > 0 ? performance.now() : false;
        },
        null,
        { polling: 'raf', timeout: 30_000 },
      )
      .catch((e) => {
        throw errors[0] ?? e;
      });
    times.push(await handle.jsonValue());
    // Where the time went, from the page's resource timings.
    phases.push(
      await page.evaluate(() => {
        const rs = performance.getEntriesByType('resource');
        const end = (f) => Math.max(0, ...rs.filter(f).map((r) => r.responseEnd));
        const api = rs.filter((r) => new URL(r.name).pathname.startsWith('/v1/'));
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          html: nav ? nav.responseEnd : 0,
          scripts: end((r) => /\.js$/.test(new URL(r.name).pathname)),
          wasm: end((r) => r.name.endsWith('.wasm')),
          firstApiStart: api.length ? Math.min(...api.map((r) => r.startTime)) : 0,
          lastApiEnd: api.length ? Math.max(...api.map((r) => r.responseEnd)) : 0,
          apiRequests: api.length,
        };
      }),
    );
    if (r === 0) {
      await page.waitForLoadState('networkidle');
      loads = [];
      for (const res of responses) {
        const u = new URL(res.url());
        if (u.pathname.startsWith('/v1/') || u.pathname.startsWith('/sim/') || res.status() !== 200) continue;
        const body = await res.body().catch(() => null);
        if (body) loads.push({ path: u.pathname, bytes: body.length, gzip: gz(body) });
      }
    }
    await ctx.close();
  }
  log(`time to first chart: median ${median(times).toFixed(0)} ms`);
  const at = (k) => median(phases.map((p) => p[k]));
  const breakdown = Object.fromEntries(Object.keys(phases[0]).map((k) => [k, at(k)]));
  return { ttfc: { ...spread(times), breakdown }, loads };
}

/** 5. Sizes of the package's parts, and of everything the demo loaded. */
function sizes(loads) {
  const file = (rel) => {
    const buf = readFileSync(path.join(WWW, rel));
    return { path: rel, bytes: buf.length, gzip: gz(buf) };
  };
  const jsFiles = (dir) => (existsSync(path.join(WWW, dir)) ? readdirSync(path.join(WWW, dir), { recursive: true }) : [])
    .filter((f) => f.endsWith('.js'))
    .map((f) => `${dir}/${f}`);
  const groups = {
    wasm: ['pkg/partner_usage_bg.wasm'],
    simWasm: ['pkg/partner_usage_sim_bg.wasm'],
    glue: ['pkg/partner_usage.js', ...jsFiles('pkg/snippets'), 'src/index.js', 'src/errors.js'],
    // The dashboard's modules; not the other languages' catalogues
    // (dashboard-messages-<lang>.js), which load only where imported.
    component: readdirSync(path.join(WWW, 'src')).filter((f) => /^dashboard(?!-messages-).*\.js$/.test(f)).map((f) => `src/${f}`),
    chart: jsFiles('src/vendor/uplot'),
  };
  const out = {};
  for (const [k, files] of Object.entries(groups)) {
    const rows = files.filter((f) => existsSync(path.join(WWW, f))).map(file);
    out[k] = { files: rows, bytes: rows.reduce((a, r) => a + r.bytes, 0), gzip: rows.reduce((a, r) => a + r.gzip, 0) };
  }
  out.demo = loads
    ? { files: loads, bytes: loads.reduce((a, r) => a + r.bytes, 0), gzip: loads.reduce((a, r) => a + r.gzip, 0) }
    : null;
  return out;
}

/** 1. The native criterion figures (cargo bench ran before this script). */
function native() {
  const dir = path.join(TARGET, 'criterion', 'decode+aggregate');
  if (!existsSync(dir)) return null;
  const rows = [];
  for (const kind of readdirSync(dir)) {
    const kdir = path.join(dir, kind);
    if (!statSync(kdir).isDirectory() || kind === 'report') continue;
    for (const variant of readdirSync(kdir)) {
      const base = path.join(kdir, variant, 'new');
      if (!existsSync(path.join(base, 'estimates.json'))) continue;
      const est = JSON.parse(readFileSync(path.join(base, 'estimates.json'), 'utf8'));
      const meta = JSON.parse(readFileSync(path.join(base, 'benchmark.json'), 'utf8'));
      const sample = JSON.parse(readFileSync(path.join(base, 'sample.json'), 'utf8'));
      const perIter = sample.iters.map((n, i) => sample.times[i] / n);
      const bytes = meta.throughput?.Bytes ?? 0;
      const ns = est.median.point_estimate;
      const mtime = statSync(path.join(base, 'estimates.json')).mtimeMs;
      rows.push({
        id: `${kind}/${variant}`,
        nsPerPage: ns,
        nsMin: Math.min(...perIter),
        nsMax: Math.max(...perIter),
        samples: perIter.length,
        bytes,
        records: 1000,
        mbPerSec: bytes / ns * 1e3,
        recordsPerSec: 1000 / ns * 1e9,
        measuredAt: new Date(mtime).toISOString(),
        fresh: mtime >= started - 3 * 3600_000,
      });
    }
  }
  const order = ['customers/serde', 'resources/serde', 'utilization/scan', 'utilization/envelope+scan', 'utilization/serde', 'utilization/scan-only'];
  rows.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return rows;
}

function machine(browserVersion) {
  const cpus = os.cpus();
  const v = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'n/a';
    }
  };
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'n/a',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    browser: browserVersion,
    node: process.version,
    rustc: v('rustc', ['--version']),
    loadBefore: os.loadavg(),
  };
}

// -------------------------------------------------------------------- main

async function main() {
  need(path.join(WWW, 'pkg', 'partner_usage_bg.wasm'), 'build the package with `cargo xtask package`');
  need(path.join(TARGET, 'release', 'pc-sim'), 'build it with `cargo build --release -p partner-usage-tests --bins`');
  const data = ensureData();
  const statics = await startStatic();
  const browser = await chromium.launch(LAUNCH);
  const results = { quick: QUICK, config: CFG, date: new Date().toISOString(), machine: machine(browser.version()) };
  log(`Chromium ${browser.version()}, ${results.machine.cores} cores, load ${results.machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  try {
    results.throughput = await throughput(browser, statics.url, data);
    results.memory = await memory(browser, statics.url, data);
    const sim = await startSim(['--site', 'www', '--latency-ms', String(LATENCY_MS)]);
    results.pipeline = await pipeline(sim);
    const d = await demo(browser, sim);
    results.ttfc = d.ttfc;
    results.sizes = sizes(d.loads);
    sim.child.kill('SIGTERM');
  } finally {
    await browser.close();
    statics.server.close();
    stopAll();
  }
  results.native = native();
  results.machine.loadAfter = os.loadavg();
  results.seconds = (Date.now() - started) / 1000;

  const outDir = path.join(TARGET, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, `results-${CFG.mode}.json`), JSON.stringify(results, null, 2));
  const md = renderMarkdown(results);
  const mdPath = QUICK ? path.join(outDir, 'BENCHMARKS-quick.md') : path.join(ROOT, 'BENCHMARKS.md');
  writeFileSync(mdPath, md);
  console.log(`\n${renderTable(results)}\n`);
  console.log(`wrote ${path.relative(ROOT, mdPath)} (raw figures: ${path.relative(ROOT, path.join(outDir, `results-${CFG.mode}.json`))}) in ${results.seconds.toFixed(0)} s`);
  const exact = results.throughput.check;
  if (exact.ours?.mismatched || exact.client?.mismatched) {
    console.error('run.mjs: the package\'s sums are NOT exact (see BENCHMARKS.md)');
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
