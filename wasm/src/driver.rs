//! The fetch driver: runs the core's sans-IO [`Paginator`] over a
//! [`Transport`].
//!
//! One listing is one loop: `poll` says what to do, the driver does it
//! (send, sleep, fetch a fresh token) and feeds the outcome back. Pages
//! inside a listing are sequential, as the continuation token requires.
//! After a throttled answer the listing's `Retry-After` also holds back the
//! other listings of the same client (a shared [`Throttle`]), so concurrent
//! listings don't make throttling worse.

use crate::errors::{set, Failure};
use crate::options::Call;
use crate::runtime::{self, check_aborted, now_ms};
use crate::transport::{SendError, Transport};
use partner_usage_core::endpoint::Endpoint;
use partner_usage_core::http::Response;
use partner_usage_core::link::BaseUrl;
use partner_usage_core::paginate::{
    decode_raw_page, Action, Paginator, PaginatorConfig, Progress, RawPage,
};
use partner_usage_core::retry::Throttle;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// What a listing does with each page: the raw items, the body bytes they
/// borrow, and the progress so far.
pub(crate) type OnPage<'f> = dyn FnMut(RawPage<'_>, &[u8], &Progress) -> Result<(), Failure> + 'f;

/// Where the token comes from.
#[derive(Debug)]
pub(crate) enum Auth {
    /// No `Authorization` header (e.g. a same-origin proxy that adds it).
    None,
    /// A fixed token.
    Static(String),
    /// `getToken({ refresh })`, called at the start of each listing and
    /// again (with `refresh: true`) once after a 401.
    Callback(js_sys::Function),
}

/// What every listing of a client shares.
#[derive(Debug)]
pub(crate) struct Driver {
    pub base: BaseUrl,
    pub transport: Transport,
    pub auth: Auth,
    pub config: PaginatorConfig,
    pub throttle: Cell<Throttle>,
}

impl Driver {
    /// The token for the next request, from the configured source.
    async fn token(
        &self,
        refresh: bool,
        signal: Option<&AbortSignal>,
    ) -> Result<Option<String>, Failure> {
        let f = match &self.auth {
            Auth::None => return Ok(None),
            Auth::Static(t) => return Ok(Some(t.clone())),
            Auth::Callback(f) => f,
        };
        let arg = js_sys::Object::new();
        set(&arg, "refresh", &JsValue::from_bool(refresh));
        let value = match runtime::call_async(f, &arg, signal).await {
            Ok(v) => v,
            Err(e) => {
                check_aborted(signal)?;
                return Err(Failure::callback("getToken()", e));
            }
        };
        if !crate::options::given(&value) {
            return Ok(None);
        }
        match value.as_string() {
            Some(t) if t.is_empty() => Ok(None),
            Some(t) => Ok(Some(t)),
            None => Err(Failure::Callback {
                message: "getToken() must return (or resolve to) a string, null or undefined"
                    .into(),
                cause: JsValue::UNDEFINED,
            }),
        }
    }

    /// Runs one listing to the end. Each page's envelope is decoded by the
    /// core ([`decode_raw_page`]), so `on_page` only ever sees a complete,
    /// well-formed page: its raw items (borrowing the body), the body bytes
    /// themselves (for the scanning summariser), and the progress so far
    /// (`pages` is the page's 1-based number). Returns the final progress.
    ///
    /// `on_page` is a trait object so this loop is compiled once, not once
    /// per record or summary type (it matters for the size of the wasm).
    pub(crate) async fn run(
        &self,
        endpoint: &Endpoint,
        signal: Option<&AbortSignal>,
        on_page: &mut OnPage<'_>,
    ) -> Result<Progress, Failure> {
        check_aborted(signal)?;
        let mut p = Paginator::new(&self.base, endpoint, self.config, runtime::random_seed());
        let mut token = self.token(false, signal).await?;
        loop {
            check_aborted(signal)?;
            match p.poll(now_ms()) {
                Action::Send(req) => {
                    let hold = self.throttle.get().wait_ms(now_ms());
                    if hold > 0 {
                        runtime::sleep(hold as f64, signal).await?;
                    }
                    match self.transport.send(&req, token.as_deref(), signal).await {
                        Ok(reply) => {
                            let response = Response {
                                status: reply.status,
                                headers: &reply.headers,
                                body: &reply.body,
                            };
                            let outcome = p.handle_response(now_ms(), response, decode_raw_page);
                            if let Some(until) = p.throttled_until_ms() {
                                let mut t = self.throttle.get();
                                t.hold_until(until);
                                self.throttle.set(t);
                            }
                            if let Some(page) = outcome? {
                                on_page(page, &reply.body, &p.progress())?;
                            }
                        }
                        Err(SendError::Network(message)) => {
                            p.handle_transport_error(now_ms(), &message)?;
                        }
                        Err(SendError::Fatal(f)) => {
                            p.abort();
                            return Err(f);
                        }
                    }
                }
                Action::Wait { until_ms } => {
                    let ms = until_ms.saturating_sub(now_ms()).max(0);
                    runtime::sleep(ms as f64, signal).await?;
                }
                Action::RefreshToken => {
                    token = self.token(true, signal).await?;
                    p.token_refreshed();
                }
                Action::Done => break,
            }
        }
        Ok(p.progress())
    }
}

/// Calls `onProgress({ pages, records, retries, totalCount })`, if given.
pub(crate) fn report(call: &Call, progress: &Progress) -> Result<(), Failure> {
    match &call.on_progress {
        Some(f) => emit(f, &progress_object(progress)),
        None => Ok(()),
    }
}

/// Calls a progress callback with an event object.
pub(crate) fn emit(f: &js_sys::Function, event: &js_sys::Object) -> Result<(), Failure> {
    f.call1(&JsValue::NULL, event)
        .map(|_| ())
        .map_err(|e| Failure::callback("onProgress()", e))
}

/// `{ pages, records, retries, totalCount }` (`totalCount` is the last
/// page's own count, or `null`).
pub(crate) fn progress_object(progress: &Progress) -> js_sys::Object {
    let o = js_sys::Object::new();
    set(&o, "pages", &JsValue::from(progress.pages));
    set(&o, "records", &JsValue::from(progress.records as f64));
    set(&o, "retries", &JsValue::from(progress.retries));
    let total = progress
        .total_count
        .map_or(JsValue::NULL, |n| JsValue::from(n as f64));
    set(&o, "totalCount", &total);
    o
}
