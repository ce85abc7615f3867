// In-page half of the fetch pipeline benchmark (BENCHMARKS.md, section 4).
//
// run.mjs opens this page in a Chromium it starts itself, not through
// Playwright: an automation client turns on the browser's network
// instrumentation, which costs about a millisecond per request here and
// would be measured as the client's. The page reads its job from the
// front's `/__bench/job`, runs it, and posts the figures to
// `/__bench/result`. Around each timed variant it reads `/__bench/cpu`, the
// CPU time the processes on the path have used (outside the timing).
//
// Variants, interleaved round by round over the same listings:
//   client  PartnerCenterClient.utilizationSummaries() at the job's
//           concurrency: the package as a portal uses it.
//   bare    the same requests from a plain JS loop per listing: fetch,
//           `res.json()`, follow `links.next` with its headers, at the same
//           concurrency and nothing else. The requests carry the headers
//           the client sends (Accept, a fresh MS-RequestId each, one
//           MS-CorrelationId per listing), as Partner Center asks: a
//           client's header costs are the browser's and the server's, not
//           its own. What the browser, the network path and the server
//           cost on their own: the floor under any client on this machine.

import init, { PartnerCenterClient } from '../src/index.js';

const status = document.getElementById('status');
const OPTIONS = { bucket: 'day', groupBy: 'meter' };

/** Runs `tasks` (functions returning promises) with at most `limit` at once. */
async function pool(tasks, limit) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** One listing read the way a plain JS client would; returns its page count. */
async function bareListing(job, { customerId, subscriptionId }) {
  let url = `/v1/customers/${customerId}/subscriptions/${subscriptionId}/utilizations/azure?start_time=${job.startTime}&end_time=${job.endTime}&size=${job.size}`;
  const base = { Authorization: 'Bearer bench', Accept: 'application/json', 'MS-CorrelationId': crypto.randomUUID() };
  let headers = base;
  let pages = 0;
  for (;;) {
    const res = await fetch(url, { headers: { ...headers, 'MS-RequestId': crypto.randomUUID() } });
    if (res.status === 204) return pages;
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    pages += 1;
    const next = body.links?.next;
    if (!next) return pages;
    const rel = next.uri.replace(/^\//, '');
    url = rel.startsWith('v1/') ? `/${rel}` : `/v1/${rel}`;
    headers = { ...base };
    for (const h of next.headers ?? []) headers[h.key] = h.value;
  }
}

/** CPU time so far (ms) of this Chromium, the front and pc-sim, as the front reads it from /proc. */
async function cpuNow() {
  return (await fetch('/__bench/cpu')).json();
}

/** What each process spent between two `cpuNow()` readings, or null. */
function cpuSpent(a, b) {
  if (!a || !b) return null;
  const d = (k) => (a[k] == null || b[k] == null ? null : b[k] - a[k]);
  return { chromium: d('chromium'), front: d('front'), sim: d('sim') };
}

async function bare(job, concurrency) {
  const counts = [];
  const c0 = await cpuNow();
  const t0 = performance.now();
  await pool(job.pairs.map((p) => async () => counts.push(await bareListing(job, p))), concurrency);
  const ms = performance.now() - t0;
  return { ms, pages: counts, cpu: cpuSpent(c0, await cpuNow()) };
}

async function client(job, concurrency) {
  const c = new PartnerCenterClient({ baseUrl: location.origin, token: 'bench', concurrency });
  const c0 = await cpuNow();
  const t0 = performance.now();
  const r = await c.utilizationSummaries(job.pairs, { startTime: job.startTime, endTime: job.endTime, size: job.size, ...OPTIONS });
  const ms = performance.now() - t0;
  const cpu = cpuSpent(c0, await cpuNow());
  c.free();
  if (r.failed.length > 0) throw new Error(`failed listings: ${JSON.stringify(r.failed)}`);
  return { ms, pages: r.subscriptions.map((s) => s.pages), cpu };
}

async function main() {
  const job = await (await fetch('/__bench/job')).json();
  await init();
  // One untimed round of each warms the connection and the JIT.
  const warm = { ...job, pairs: job.pairs.slice(0, 2) };
  await client(warm, 2);
  await bare(warm, 2);
  const rounds = [];
  for (let r = 0; r < job.runs; r++) {
    const round = {};
    // Alternate which variant goes first.
    for (const name of r % 2 === 0 ? ['client', 'bare'] : ['bare', 'client']) {
      round[name] = name === 'client' ? await client(job, job.concurrency) : await bare(job, job.concurrency);
    }
    rounds.push(round);
  }
  const sequential = job.sequential ? await client(job, 1) : null;
  return { rounds, sequential };
}

const post = (body) =>
  fetch('/__bench/result', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

main().then(
  (result) => {
    status.textContent = 'done';
    return post({ ok: true, result });
  },
  (e) => {
    status.textContent = `failed: ${e}`;
    return post({ ok: false, error: String(e?.stack ?? e) });
  },
);
