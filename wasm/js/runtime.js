// Small JavaScript helpers of the wasm crate: a cancellable sleep, a random
// seed, a safe way to call user callbacks, an AbortController that follows
// the caller's signal and the JSON of an options object.
// Imported by src/runtime.rs and src/options.rs through
// #[wasm_bindgen(module = "/js/runtime.js")].

// setTimeout's longest delay: a longer one overflows and fires at once.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

// Resolves after `ms` milliseconds (at most MAX_TIMEOUT_MS, about 24.8 days:
// a caller that needs longer polls again); rejects with the signal's reason
// (or an AbortError) as soon as `signal` aborts. The timer and the listener
// are always cleaned up.
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(signal.reason);
      return;
    }
    let onAbort;
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(Math.max(0, ms), MAX_TIMEOUT_MS));
    if (signal) {
      onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}

// 64 random bits for the paginator's jitter and request ids:
// crypto.getRandomValues where there is one, else Math.random.
export function randomSeed() {
  const a = new Uint32Array(2);
  if (globalThis.crypto && typeof globalThis.crypto.getRandomValues === 'function') {
    globalThis.crypto.getRandomValues(a);
  } else {
    a[0] = Math.random() * 0x100000000;
    a[1] = Math.random() * 0x100000000;
  }
  return (BigInt(a[0]) << 32n) | BigInt(a[1]);
}

// Calls a user callback and normalises its result to a promise, so a
// synchronous throw and a rejection are handled the same way.
export function callAsync(fn, arg) {
  try {
    return Promise.resolve(arg === undefined ? fn() : fn(arg));
  } catch (e) {
    return Promise.reject(e);
  }
}

// `promise`, marked handled: a rejection before anything awaits it (a
// callback's promise waiting behind another's) is no unhandled rejection,
// which would end a Node process. Awaiting it still sees the rejection.
export function handled(promise) {
  promise.catch(() => {});
  return promise;
}

// Settles like `promise`, or rejects with the signal's reason as soon as
// `signal` aborts (for callbacks such as getToken that know no signal).
export function withSignal(promise, signal) {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

// An AbortController of the library's own that also aborts, with the same
// reason, when the caller's `signal` does (AbortSignal.any is too recent for
// Safari 16.4 and Node 18): `{ controller, unlink }`. A multi-subscription
// call stops its listings with it. `unlink()` removes the listener, so a
// long-lived `signal` keeps none.
export function linkedController(signal) {
  const controller = new AbortController();
  if (!signal) return { controller, unlink() {} };
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { controller, unlink: () => signal.removeEventListener('abort', onAbort) };
}

// linkedController's, that also aborts after `ms` milliseconds with a
// TimeoutError: a request's own signal, for the client's `timeoutMs`.
// `unlink()` also clears the timer.
export function deadlineController(signal, ms) {
  const link = linkedController(signal);
  const timer = setTimeout(() => {
    link.controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
  }, Math.min(Math.max(0, ms), MAX_TIMEOUT_MS));
  return {
    controller: link.controller,
    unlink() {
      clearTimeout(timer);
      link.unlink();
    },
  };
}

// The JSON text of an options object: `{ json }`. JSON turns NaN, ±Infinity
// and an invalid Date into null, which would read as "not given", so the
// first such value is reported instead: `{ bad, value }`, with its path
// (`retry.maxDelayMs`) and `String(value)` ('NaN', 'Invalid Date').
// A function stays as the text '[function]', not left out as JSON does: a
// misspelt callback (`gettoken`, `onProgres`) is then an unknown key like
// any other, instead of a callback silently never called (the callbacks a
// call takes are read from the object itself and allowed by name).
// Throws what JSON.stringify throws (a BigInt, a circular reference).
export function optionsJson(opts) {
  const paths = new Map();
  let bad;
  const json = JSON.stringify(opts, function (key, value) {
    const parent = paths.get(this);
    const path = !parent ? key : Array.isArray(this) ? `${parent}[${key}]` : `${parent}.${key}`;
    const original = this[key];
    const nonFinite = typeof original === 'number' && !Number.isFinite(original);
    const invalidDate = original instanceof Date && Number.isNaN(original.getTime());
    if (bad === undefined && (nonFinite || invalidDate)) bad = { bad: path, value: String(original) };
    if (typeof value === 'function') return '[function]';
    if (value !== null && typeof value === 'object') paths.set(value, path);
    return value;
  });
  return bad ?? { json };
}
