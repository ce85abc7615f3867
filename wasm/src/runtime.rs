//! The few JavaScript facilities the driver needs: the clock, a cancellable
//! sleep, a random seed, safe calls of user callbacks and a signal of our
//! own that follows the caller's.

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

    #[wasm_bindgen(js_name = handled)]
    fn js_handled(p: &js_sys::Promise) -> js_sys::Promise;

    #[wasm_bindgen(js_name = withSignal)]
    fn js_with_signal(p: &js_sys::Promise, signal: Option<&AbortSignal>) -> js_sys::Promise;

    /// `{ controller, unlink }` (see [`Stopper`]).
    type Linked;

    #[wasm_bindgen(js_name = linkedController)]
    fn js_linked_controller(signal: Option<&AbortSignal>) -> Linked;

    #[wasm_bindgen(js_name = deadlineController)]
    fn js_deadline_controller(signal: Option<&AbortSignal>, ms: f64) -> Linked;

    #[wasm_bindgen(method, getter)]
    fn controller(this: &Linked) -> web_sys::AbortController;

    #[wasm_bindgen(method)]
    fn unlink(this: &Linked);
}

/// A signal of our own that also aborts (with the same reason) when the
/// caller's does, so work the caller can cancel can also be stopped from
/// inside without aborting the caller's signal. Dropping it detaches it
/// from the caller's signal.
pub(crate) struct Stopper {
    linked: Linked,
    signal: AbortSignal,
}

impl Stopper {
    /// A stopper that follows `signal` (if any).
    pub(crate) fn new(signal: Option<&AbortSignal>) -> Stopper {
        let linked = js_linked_controller(signal);
        let signal = linked.controller().signal();
        Stopper { linked, signal }
    }

    /// A stopper that follows `signal` (if any) and also stops after `ms`
    /// milliseconds (a request's time limit). Dropping it clears the timer.
    pub(crate) fn with_deadline(signal: Option<&AbortSignal>, ms: u32) -> Stopper {
        let linked = js_deadline_controller(signal, f64::from(ms));
        let signal = linked.controller().signal();
        Stopper { linked, signal }
    }

    /// The signal to hand to the work.
    pub(crate) fn signal(&self) -> &AbortSignal {
        &self.signal
    }

    /// Aborts the work (the caller's signal stays as it is).
    pub(crate) fn stop(&self) {
        self.linked.controller().abort();
    }
}

impl Drop for Stopper {
    fn drop(&mut self) {
        self.linked.unlink();
    }
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

/// `Promise.resolve(value)`, with a handler attached at once: its rejection
/// is seen by whoever awaits it later, and is never an unhandled rejection
/// meanwhile (or if the call ends first).
pub(crate) fn handled_promise(value: &JsValue) -> js_sys::Promise {
    js_handled(&js_sys::Promise::resolve(value))
}

/// Fails with [`Failure::Aborted`] if `signal` has aborted.
pub(crate) fn check_aborted(signal: Option<&AbortSignal>) -> Result<(), Failure> {
    match signal {
        Some(s) if s.aborted() => Err(Failure::Aborted { reason: s.reason() }),
        _ => Ok(()),
    }
}

/// Awaits a promise a user callback returned; an abort of `signal` wins
/// over one that never settles (`Err` is then the signal's reason).
pub(crate) async fn settle(
    p: &js_sys::Promise,
    signal: Option<&AbortSignal>,
) -> Result<JsValue, JsValue> {
    JsFuture::from(js_with_signal(p, signal)).await
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
