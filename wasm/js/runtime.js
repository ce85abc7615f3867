// Small JavaScript helpers of the wasm crate: a cancellable sleep, a random
// seed and a safe way to call user callbacks. Imported by src/driver.rs
// through #[wasm_bindgen(module = "/js/runtime.js")].

// Resolves after `ms` milliseconds; rejects with the signal's reason (or an
// AbortError) as soon as `signal` aborts. The timer and the listener are
// always cleaned up.
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
    }, Math.max(0, ms));
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
