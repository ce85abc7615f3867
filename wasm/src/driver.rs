//! The fetch driver: runs the core's sans-IO [`Paginator`] over a
//! [`Transport`].
//!
//! One listing is one loop: `poll` says what to do, the driver does it
//! (send, sleep, fetch a fresh token) and feeds the outcome back. Pages
//! inside a listing are sequential, as the continuation token requires.
//! After a throttled answer the listing's `Retry-After` also holds back the
//! other listings of the same client (a shared [`Throttle`]), so concurrent
//! listings don't make throttling worse; the hold is capped like the
//! listing's own wait (see [`Paginator::throttled_until_ms`]).

use crate::errors::{remember_token, set, Failure};
use crate::options::Call;
use crate::runtime::{self, check_aborted, now_ms};
use crate::transport::{SendError, Transport};
use partner_usage_core::endpoint::Endpoint;
use partner_usage_core::error::Error;
use partner_usage_core::http::Response;
use partner_usage_core::link::BaseUrl;
use partner_usage_core::paginate::{
    decode_raw_page, Action, PageInfo, Paginator, PaginatorConfig, Progress, RetryCause,
};
use partner_usage_core::retry::Throttle;
use serde_json::value::RawValue;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// Reads one page's body (its 1-based number, the bytes) into whatever the
/// listing builds, and returns the page facts. It takes the page whole or
/// not at all: a body that ends early ([`DecodeError::truncated`]) is asked
/// for again (see [`Paginator::handle_response`]).
///
/// [`DecodeError::truncated`]: partner_usage_core::error::DecodeError::truncated
pub(crate) type ReadPage<'f> = dyn FnMut(u32, &[u8]) -> Result<PageInfo, Failure> + 'f;

/// Called after each page is taken and each retry is scheduled, with the
/// progress so far. It may ask the loop to wait before its next request.
pub(crate) type OnProgress<'f> = dyn FnMut(&Progress) -> Result<Option<Wait>, Failure> + 'f;

/// What user callbacks returned that the listing waits for before its
/// next request: the promises of `onRecords` (back-pressure), `onProgress`
/// and `onPage`, in turn, each with the callback's name for a rejection,
/// which fails the call (never an unhandled rejection).
pub(crate) struct Wait {
    /// Settles when the caller is ready for the next page.
    promise: js_sys::Promise,
    /// The callback, for the message of a rejection (`"onRecords()"`).
    what: &'static str,
    /// Another callback's promise, waited for after this one.
    then: Option<Box<Wait>>,
}

impl Wait {
    /// A wait for what callback `what` returned, if that is a promise (any
    /// thenable); nothing for a plain value.
    pub(crate) fn of(back: &JsValue, what: &'static str) -> Option<Wait> {
        let thenable = (back.is_object() || back.is_function())
            && js_sys::Reflect::get(back, &JsValue::from_str("then"))
                .is_ok_and(|t| t.is_function());
        thenable.then(|| Wait {
            // Handled from now on: one waiting behind another callback's
            // promise, or left when the call fails, may reject meanwhile.
            promise: runtime::handled_promise(back),
            what,
            then: None,
        })
    }

    /// `a`'s promises, then `b`'s.
    pub(crate) fn chain(a: Option<Wait>, b: Option<Wait>) -> Option<Wait> {
        match (a, b) {
            (Some(mut a), Some(b)) => {
                a.push(b);
                Some(a)
            }
            (a, b) => a.or(b),
        }
    }

    fn push(&mut self, b: Wait) {
        match &mut self.then {
            Some(t) => t.push(b),
            None => self.then = Some(Box::new(b)),
        }
    }
}

/// Waits for a [`Wait`], if any: a rejection is the callback's failure, an
/// abort of `signal` stops the wait.
pub(crate) async fn wait_for(
    mut wait: Option<Wait>,
    signal: Option<&AbortSignal>,
) -> Result<(), Failure> {
    while let Some(Wait {
        promise,
        what,
        then,
    }) = wait
    {
        if let Err(e) = runtime::settle(&promise, signal).await {
            check_aborted(signal)?;
            return Err(Failure::callback(what, e));
        }
        wait = then.map(|b| *b);
    }
    Ok(())
}

/// A listing that ended without all its pages: why, and the progress it
/// had made (pages and records received, retries).
#[derive(Debug)]
pub(crate) struct Stopped {
    /// Why the listing ended.
    pub failure: Failure,
    /// The progress when it ended.
    pub progress: Progress,
}

impl From<Stopped> for Failure {
    fn from(s: Stopped) -> Failure {
        s.failure
    }
}

/// A [`ReadPage`] for listings that hand over records: the envelope is
/// decoded by the core ([`decode_raw_page`]) and `item` sees each raw item
/// with its page number and index.
pub(crate) fn read_items<'f>(
    mut item: impl FnMut(&RawValue, u32, usize) -> Result<(), Failure> + 'f,
) -> impl FnMut(u32, &[u8]) -> Result<PageInfo, Failure> + 'f {
    move |page, body| {
        let (raw, info) = decode_raw_page(body).map_err(Error::Decode)?;
        for (i, r) in raw.items.iter().enumerate() {
            item(r, page, i)?;
        }
        Ok(info)
    }
}

/// Where the token comes from. Its `Debug` never shows the token.
pub(crate) enum Auth {
    /// No `Authorization` header (e.g. a same-origin proxy that adds it).
    None,
    /// A fixed token.
    Static(String),
    /// `getToken({ refresh })`, called at the start of each listing and
    /// again (with `refresh: true`) after a 401, once per page.
    Callback(js_sys::Function),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::None => "Auth::None",
            Auth::Static(_) => "Auth::Static([redacted])",
            Auth::Callback(_) => "Auth::Callback",
        })
    }
}

/// The `headers` option: fixed, or a function called for each request.
#[derive(Debug)]
pub(crate) enum ExtraHeaders {
    Fixed(Vec<(String, String)>),
    Callback(js_sys::Function),
}

/// What every listing of a client shares.
#[derive(Debug)]
pub(crate) struct Driver {
    pub base: BaseUrl,
    pub transport: Transport,
    pub auth: Auth,
    /// The caller's extra headers (the `headers` option), sent with every request.
    pub headers: ExtraHeaders,
    pub config: PaginatorConfig,
    pub throttle: Cell<Throttle>,
}

impl Driver {
    /// The token for the next request, from the configured source. It is
    /// [remembered](crate::errors::remember_token), so no error shows it.
    async fn token(
        &self,
        refresh: bool,
        signal: Option<&AbortSignal>,
    ) -> Result<Option<String>, Failure> {
        let f = match &self.auth {
            Auth::None => return Ok(None),
            Auth::Static(t) => {
                remember_token(t);
                return Ok(Some(t.clone()));
            }
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
            Some(t) => {
                remember_token(&t);
                Ok(Some(t))
            }
            None => Err(Failure::Callback {
                message: "getToken() must return (or resolve to) a string, null or undefined"
                    .into(),
                cause: JsValue::UNDEFINED,
            }),
        }
    }

    /// The extra headers of the next request: the fixed ones, or what the
    /// `headers` function returns (or resolves to) now, checked as the
    /// option is.
    async fn extra_headers(
        &self,
        signal: Option<&AbortSignal>,
    ) -> Result<std::borrow::Cow<'_, [(String, String)]>, Failure> {
        let f = match &self.headers {
            ExtraHeaders::Fixed(h) => return Ok(std::borrow::Cow::Borrowed(&h[..])),
            ExtraHeaders::Callback(f) => f,
        };
        let value = match runtime::call_async(f, &js_sys::Object::new(), signal).await {
            Ok(v) => v,
            Err(e) => {
                check_aborted(signal)?;
                return Err(Failure::callback("headers()", e));
            }
        };
        crate::client::read_headers(&value).map(std::borrow::Cow::Owned)
    }

    /// Runs one listing to the end: `read` takes each page's body (see
    /// [`ReadPage`]; [`read_items`] is the one for record listings), then
    /// `after` sees the progress so far (`pages` is the page's 1-based
    /// number), and again each time a retry is scheduled (`retries` went
    /// up; `pages` and `records` as they were). Returns the final progress,
    /// also when the listing fails ([`Stopped`]; `?` turns it into its
    /// [`Failure`]).
    ///
    /// A page whose `next` link fails the listing (a cycle, the page cap, a
    /// link off the origin) was read whole, so it is taken like any page:
    /// `after` sees it (a streaming summary's `partial` includes it and
    /// says so in `pages`), and the listing fails after it with the
    /// paginator's [`Paginator::error`].
    ///
    /// Each body is read once, by `read`, inside the paginator's
    /// [`Paginator::handle_response`]: a streaming summary scans the bytes
    /// straight into its totals, with no envelope pass before it.
    ///
    /// The callbacks are trait objects so this loop is compiled once, not
    /// once per record or summary type (it matters for the size of the wasm).
    pub(crate) async fn run(
        &self,
        endpoint: &Endpoint,
        signal: Option<&AbortSignal>,
        read: &mut ReadPage<'_>,
        after: &mut OnProgress<'_>,
    ) -> Result<Progress, Stopped> {
        let mut p = Paginator::new(&self.base, endpoint, self.config, runtime::random_seed());
        match self.drive(&mut p, signal, read, after).await {
            Ok(()) => Ok(p.progress()),
            Err(failure) => Err(Stopped {
                failure: failure.in_listing(p.correlation_id()),
                progress: p.progress(),
            }),
        }
    }

    /// [`Driver::run`]'s loop, over its paginator.
    async fn drive(
        &self,
        p: &mut Paginator,
        signal: Option<&AbortSignal>,
        read: &mut ReadPage<'_>,
        after: &mut OnProgress<'_>,
    ) -> Result<(), Failure> {
        check_aborted(signal)?;
        let mut token = self.token(false, signal).await?;
        loop {
            check_aborted(signal)?;
            match p.poll(now_ms()) {
                Action::Send(req) => {
                    // Until the hold is over (a sleep ends early beyond
                    // setTimeout's limit).
                    loop {
                        let hold = self.throttle.get().wait_ms(now_ms());
                        if hold == 0 {
                            break;
                        }
                        runtime::sleep(hold as f64, signal).await?;
                    }
                    let retries = p.progress().retries;
                    let extra = self.extra_headers(signal).await?;
                    let taken = match self
                        .transport
                        .send(&req, &extra, token.as_deref(), signal)
                        .await
                    {
                        Ok(reply) => {
                            let response = Response {
                                status: reply.status,
                                headers: &reply.headers,
                                body: &reply.body,
                            };
                            let page = p.progress().pages + 1;
                            // A failure that isn't the core's (a callback
                            // threw) leaves the paginator through here.
                            let mut stopped = None;
                            let outcome =
                                p.handle_response(now_ms(), response, |body| {
                                    match read(page, body) {
                                        Ok(info) => Ok(((), info)),
                                        Err(Failure::Core(e)) => Err(e),
                                        Err(f) => {
                                            stopped = Some(f);
                                            Err(Error::invalid_input("the page reader stopped"))
                                        }
                                    }
                                });
                            if let Some(f) = stopped {
                                return Err(f);
                            }
                            if let Some(until) = p.throttled_until_ms() {
                                let mut t = self.throttle.get();
                                t.hold_until(until);
                                self.throttle.set(t);
                            }
                            outcome?.is_some()
                        }
                        Err(SendError::Network(message)) => {
                            p.handle_transport_error(now_ms(), &message)?;
                            false
                        }
                        Err(SendError::Fatal(f)) => {
                            p.abort();
                            return Err(f);
                        }
                    };
                    // A page taken, or a retry scheduled.
                    if taken || p.progress().retries > retries {
                        wait_for(after(&p.progress())?, signal).await?;
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
                Action::Complete => break,
                // A failure found in the link of a page already taken
                // (every other one left through `?` above).
                Action::Failed(e) => return Err(Failure::Core(e)),
            }
        }
        let progress = p.progress();
        if progress.pages == 0 && progress.retry_after_ms.is_some() {
            // An empty first answer that says when to ask again: the
            // listing's last progress event carries `retryAfterMs`.
            wait_for(after(&progress)?, signal).await?;
        }
        Ok(())
    }
}

/// Calls `onProgress({ pages, records, retries, totalCount })`, if given
/// (after each page and each retry).
pub(crate) fn report(call: &Call, progress: &Progress) -> Result<Option<Wait>, Failure> {
    match &call.on_progress {
        Some(f) => emit(f, &progress_object(progress)),
        None => Ok(None),
    }
}

/// Calls a progress callback with an event object. A promise it returns is
/// waited for before the next request, and its rejection fails the call.
pub(crate) fn emit(f: &js_sys::Function, event: &js_sys::Object) -> Result<Option<Wait>, Failure> {
    f.call1(&JsValue::NULL, event)
        .map(|back| Wait::of(&back, "onProgress()"))
        .map_err(|e| Failure::callback("onProgress()", e))
}

/// `{ pages, records, retries, totalCount }` (`totalCount` is the last
/// page's own count, or `null`), `retryAfterMs` when a first-page 204
/// said when to ask again, and `retryInMs` while a retry waits to go out.
pub(crate) fn progress_object(progress: &Progress) -> js_sys::Object {
    let o = js_sys::Object::new();
    set(&o, "pages", &JsValue::from(progress.pages));
    set(&o, "records", &JsValue::from(progress.records as f64));
    set(&o, "retries", &JsValue::from(progress.retries));
    let total = progress
        .total_count
        .map_or(JsValue::NULL, |n| JsValue::from(n as f64));
    set(&o, "totalCount", &total);
    if let Some(ms) = progress.retry_after_ms {
        set(&o, "retryAfterMs", &JsValue::from(ms as f64));
    }
    // Only while there is a wait (a retry due now needs no word).
    let wait = progress.retry_at_ms.map(|at| at.saturating_sub(now_ms()));
    if let Some(ms) = wait.filter(|&ms| ms > 0) {
        set(&o, "retryInMs", &JsValue::from(ms as f64));
    }
    // Why it retries: the status the latest retry followed, null for no answer.
    match progress.last_retry {
        Some(RetryCause::Status(status)) => set(&o, "retryStatus", &JsValue::from(status)),
        Some(RetryCause::Network) => set(&o, "retryStatus", &JsValue::NULL),
        _ => {}
    }
    o
}
