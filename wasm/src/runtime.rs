//! The few JavaScript facilities the driver needs: the clock, a cancellable
//! sleep, a random seed and safe calls of user callbacks.

use crate::errors::Failure;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = sleep)]
    fn js_sleep(ms: f64, signal: Option<&AbortSignal>) -> js_sys::Promise;

    #[wasm_bindgen(js_name = randomSeed)]
    fn js_random_seed() -> u64;

    #[wasm_bindgen(js_name = callAsync)]
    fn js_call_async(f: &js_sys::Function, arg: &JsValue) -> js_sys::Promise;

    #[wasm_bindgen(js_name = withSignal)]
    fn js_with_signal(p: &js_sys::Promise, signal: Option<&AbortSignal>) -> js_sys::Promise;
}

/// Wall-clock time in Unix milliseconds (`Date.now()`).
pub(crate) fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// 64 random bits from `crypto.getRandomValues` (or `Math.random`).
pub(crate) fn random_seed() -> u64 {
    js_random_seed()
}

/// Waits `ms` milliseconds (0 still yields to the event loop; at most
/// 2³¹−1, `setTimeout`'s limit, so a longer wait ends early); fails with
/// [`Failure::Aborted`] as soon as `signal` aborts.
pub(crate) async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), Failure> {
    JsFuture::from(js_sleep(ms, signal))
        .await
        .map(|_| ())
        .map_err(|reason| Failure::Aborted { reason })
}

/// Fails with [`Failure::Aborted`] if `signal` has aborted.
pub(crate) fn check_aborted(signal: Option<&AbortSignal>) -> Result<(), Failure> {
    match signal {
        Some(s) if s.aborted() => Err(Failure::Aborted { reason: s.reason() }),
        _ => Ok(()),
    }
}

/// Calls a user callback with `arg` and awaits its result (a plain value or
/// a promise). Throws and rejections become `Err` with the thrown value; an
/// abort of `signal` wins over a callback that never settles.
pub(crate) async fn call_async(
    f: &js_sys::Function,
    arg: &JsValue,
    signal: Option<&AbortSignal>,
) -> Result<JsValue, JsValue> {
    JsFuture::from(js_with_signal(&js_call_async(f, arg), signal)).await
}
