// Test helpers for the wasm-bindgen-test suites (Node and Chromium).

const realFetch = globalThis.fetch;

/** Puts the real fetch back (after a mocked test). */
export function useRealFetch() {
  globalThis.fetch = realFetch;
}

/**
 * Replaces the global fetch with a script: each call takes the next step
 * (the last one repeats). A step is `{ status, headers, body }` (body: the
 * exact text; or `bodyHex`: the exact bytes), `{ error: 'message' }` (fetch
 * rejects with a TypeError),
 * `{ hang: true }` (never answers; rejects when the request's signal aborts)
 * or a streamed body: `{ status, headers, chunkSize, body }` hands `body`'s
 * UTF-8 bytes over `chunkSize` bytes at a time (cutting characters and
 * numbers anywhere), then ends, or, with `breakWith: 'message'`, errors the
 * stream as a dropped connection does, or, with `stall: true`, waits until
 * the request's signal aborts and errors it with the abort reason, as a
 * real fetch does. A streamed body is a plain stream, as a polyfilled fetch
 * gives, or with `byteStream: true` a byte stream, as a browser's fetch
 * gives (readable with a BYOB reader).
 * Returns the log of requests: `{ url, method, headers, t }` (header names
 * lower-case, `t` the time of the call in ms), and for a byte stream
 * `byobReads`, how many of its reads were BYOB reads.
 */
export function mockFetch(scriptJson) {
  const script = JSON.parse(scriptJson);
  const log = [];
  let i = 0;
  globalThis.fetch = (req) => {
    const headers = {};
    req.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const entry = { url: req.url, method: req.method, headers, redirect: req.redirect, t: Date.now() };
    log.push(entry);
    const step = script[Math.min(i++, script.length - 1)];
    if (step.error) return Promise.reject(new TypeError(step.error));
    if (step.hang) {
      return new Promise((_, reject) => {
        const s = req.signal;
        if (s.aborted) reject(s.reason);
        else s.addEventListener('abort', () => reject(s.reason), { once: true });
      });
    }
    const body = step.hugeMiB
      ? hugeBody(step, entry)
      : step.chunkSize
      ? chunkedBody(step, req.signal, entry)
      : step.status === 204 ? null : step.bodyHex !== undefined ? hexBytes(step.bodyHex) : step.body ?? '';
    const response = new Response(body, { status: step.status, headers: step.headers ?? {} });
    // `delayMs`: answered that much later (other requests go on meanwhile).
    if (step.delayMs) return new Promise((resolve) => setTimeout(() => resolve(response), step.delayMs));
    return Promise.resolve(response);
  };
  return log;
}

/** A getToken that answers the given tokens in turn; `calls` records each `refresh` flag. */
export function tokenSource(tokensJson) {
  const tokens = JSON.parse(tokensJson);
  const calls = [];
  const fn = (req) => {
    calls.push(req.refresh);
    return Promise.resolve(tokens[Math.min(calls.length - 1, tokens.length - 1)]);
  };
  return { fn, calls };
}

/**
 * A `headers` function: call n returns `headers[n]` (the last one after),
 * every other call as a promise; the string 'throw' throws instead.
 */
export function headerSource(headersJson) {
  const headers = JSON.parse(headersJson);
  const calls = [];
  const fn = (...args) => {
    calls.push(args.length);
    const h = headers[Math.min(calls.length - 1, headers.length - 1)];
    if (h === 'throw') throw new Error('no CSRF token yet');
    return calls.length % 2 ? h : Promise.resolve(h);
  };
  return { fn, calls };
}

/**
 * An onProgress that records copies of its events. `events` leaves out
 * `retryInMs` (a wait that depends on when the event fired), `waits` holds
 * it (or null) for each event.
 */
/**
 * An onRecords callback: `seen` gets, per call, the ids (or resource types,
 * or start times) of the
 * page's records, its totalCosts as given, progress.pages and how many
 * requests `log` held then. `mode`: 'sync' returns nothing; 'slow' a
 * promise that settles 30 ms later (when `seen` is written); 'never' one that
 * never settles; 'reject' one that rejects.
 */
export function recordsRecorder(log, mode) {
  const seen = [];
  const fn = (records, progress) => {
    const note = () => seen.push({
      ids: records.map((r) => r.id ?? r.resourceType ?? r.usageStartTime),
      costs: records.map((r) => r.totalCost),
      pages: progress.pages,
      requests: log.length,
    });
    if (mode === 'sync') { note(); return undefined; }
    if (mode === 'never') { note(); return new Promise(() => {}); }
    if (mode === 'reject') return Promise.reject(new Error('disk full'));
    return new Promise((resolve) => setTimeout(() => { note(); resolve(); }, 30));
  };
  return { fn, seen };
}

export function progressRecorder() {
  const events = [];
  const waits = [];
  return {
    fn: (p) => {
      const { retryInMs, ...rest } = p;
      events.push(rest);
      waits.push(retryInMs ?? null);
    },
    events,
    waits,
  };
}

/** A callback that throws an Error with `message`. */
export function thrower(message) {
  return () => {
    throw new Error(message);
  };
}

/**
 * A callback that throws an Error with `message` from its `n`th call on;
 * `calls` counts every call.
 */
export function throwerFrom(n, message) {
  const counter = { calls: 0 };
  counter.fn = () => {
    counter.calls += 1;
    if (counter.calls >= n) throw new Error(message);
  };
  return counter;
}

/**
 * An async callback: from its `n`th call on, it returns a promise that
 * rejects with an Error with `message` (a tick later); `calls` counts
 * every call, `requests` the length of `log` at each.
 */
export function rejecterFrom(n, message, log) {
  const counter = { calls: 0, requests: [] };
  counter.fn = async () => {
    counter.calls += 1;
    counter.requests.push(log ? log.length : null);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (counter.calls >= n) throw new Error(message);
  };
  return counter;
}

/** Aborts `controller` after `ms` milliseconds. */
export function abortAfter(controller, ms) {
  setTimeout(() => controller.abort(), ms);
}

/** GETs JSON with the real fetch. */
export async function fetchJson(url) {
  const r = await realFetch(url);
  return r.json();
}

/** JSON text of a value, with typed arrays as arrays. */
export function toJson(value) {
  return JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v));
}

/** Whether a value is a Float64Array. */
export function isFloat64Array(value) {
  return value instanceof Float64Array;
}

/**
 * `step.hugeMiB` MiB of spaces, a MiB per pull (a byte stream with
 * `step.byteStream`); `entry.pulledMiB` counts what was read of it.
 */
function hugeBody(step, entry) {
  const mib = new Uint8Array(1 << 20).fill(0x20);
  entry.pulledMiB = 0;
  return new ReadableStream({
    type: step.byteStream ? 'bytes' : undefined,
    pull(controller) {
      if (entry.pulledMiB < step.hugeMiB) {
        entry.pulledMiB += 1;
        controller.enqueue(mib.slice());
      } else {
        controller.close();
        controller.byobRequest?.respond(0);
      }
    },
  });
}

/**
 * A ReadableStream of `step.body` in `step.chunkSize`-byte chunks (see
 * mockFetch); a byte stream counts its BYOB reads in `entry.byobReads`.
 */
function chunkedBody(step, signal, entry) {
  const bytes = new TextEncoder().encode(step.body);
  let at = 0;
  if (step.byteStream) entry.byobReads = 0;
  return new ReadableStream({
    type: step.byteStream ? 'bytes' : undefined,
    pull(controller) {
      if (controller.byobRequest) entry.byobReads += 1;
      if (at < bytes.length) {
        controller.enqueue(bytes.slice(at, at + step.chunkSize));
        at += step.chunkSize;
      } else if (step.breakWith) {
        controller.error(new TypeError(step.breakWith));
      } else if (step.stall) {
        return new Promise((resolve) => {
          const fail = () => {
            controller.error(signal.reason);
            resolve();
          };
          if (signal.aborted) fail();
          else signal.addEventListener('abort', fail, { once: true });
        });
      } else {
        controller.close();
        // A pending BYOB read learns of the end only from respond(0).
        controller.byobRequest?.respond(0);
      }
    },
  });
}

function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

/**
 * Records everything written to the console until `restore()` (and still
 * passes it on): `lines` holds one string per call.
 */
export function captureConsole() {
  const lines = [];
  const saved = CONSOLE_METHODS.map((m) => console[m]);
  CONSOLE_METHODS.forEach((m, i) => {
    console[m] = (...args) => {
      lines.push(args.map((a) => (a instanceof Error ? `${a.stack}` : typeof a === 'string' ? a : safeJson(a))).join(' '));
      saved[i].apply(console, args);
    };
  });
  return {
    lines,
    restore() {
      CONSOLE_METHODS.forEach((m, i) => {
        console[m] = saved[i];
      });
    },
  };
}

function safeJson(v) {
  try {
    return toJson(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Everything an error exposes, as text: `String(e)`, its stack, every own
 * property (`partial` and `cause` included, and the cause's stack).
 */
export function dumpError(e) {
  if (!(e instanceof Error)) return `not an Error: ${safeJson(e)}`;
  const parts = [String(e), e.stack ?? ''];
  for (const k of Object.getOwnPropertyNames(e)) parts.push(`${k}=${k === 'stack' ? '' : safeJson(e[k])}`);
  for (const k of ['kind', 'status', 'code', 'requestId', 'partial']) parts.push(`${k}=${safeJson(e[k])}`);
  if (e.cause !== undefined) parts.push(`cause=${e.cause instanceof Error ? `${e.cause.stack}` : safeJson(e.cause)}`);
  return parts.join('\n');
}
