//! Every failure becomes a JavaScript `PartnerCenterError`.
//!
//! The class is defined in `js/errors.js` (the same file the npm package's
//! `index.js` exports, see that file), so an error made here passes
//! `err instanceof PartnerCenterError` in the caller's code. Its fields are
//! `name`, `message`, `kind`, `status`, `code`, `requestId` and `cause`.
//! `requestId` is the core's [`Error::request_id`]: the response's (else
//! the request's) `MS-RequestId`, for kinds `http`, `network`, `decode`
//! and `retries-exhausted`, also on a streaming summary's error with a
//! `partial`.
//!
//! Aborts reject with a `PartnerCenterError` whose `kind` is `'aborted'` and
//! whose `name` is `'AbortError'`: code that checks
//! `err.name === 'AbortError'` (the fetch convention) keeps working, and code
//! that checks `instanceof PartnerCenterError` catches every failure. The
//! signal's `reason` is kept as `cause`.
//!
//! No message contains the bearer token. The core never sees it, transport
//! messages come from `fetch` (which never echoes headers), and a token that
//! can't be put in a header is reported without its value. But an error body
//! is the server's (or a proxy's) own text, and it may echo the
//! `Authorization` header: so the driver [remembers](remember_token) the
//! last 64 tokens it used, and [`Failure::into_js`] replaces them in
//! `message`, `code` and `requestId` with `[redacted]`, including a token's
//! beginning cut off by a truncation (`…`).

use partner_usage_core::error::{self, Error};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// How many of the most recently used tokens are redacted from errors:
/// enough that a slow answer still finds its request's token after the
/// other listings of concurrent summaries (and other clients, and a
/// `getToken` that hands out a new token each time) have sent theirs.
/// (With 4, a 400 echoing a token sent before 12 others showed it.)
const REMEMBERED_TOKENS: usize = 64;

thread_local! {
    /// The most recently used tokens, oldest first.
    static TOKENS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records a token the driver is about to send, so that errors made from
/// here on never show it (see [`redact`]). Only the last
/// [`REMEMBERED_TOKENS`] distinct tokens are kept.
pub(crate) fn remember_token(token: &str) {
    if token.chars().count() < error::MIN_REDACTED_CHARS {
        return;
    }
    TOKENS.with_borrow_mut(|tokens| {
        tokens.retain(|t| t != token);
        if tokens.len() == REMEMBERED_TOKENS {
            tokens.remove(0);
        }
        tokens.push(token.to_string());
    });
}

/// `text` with every remembered token [redacted](error::redact) (also a
/// token's beginning cut off by a truncation).
fn redact(text: &str) -> String {
    TOKENS.with_borrow(|tokens| {
        tokens
            .iter()
            .fold(text.to_string(), |out, token| error::redact(&out, token))
    })
}

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// The `PartnerCenterError` class.
    #[wasm_bindgen(js_name = PartnerCenterError, extends = js_sys::Error)]
    type PartnerCenterError;

    #[wasm_bindgen(constructor, js_class = "PartnerCenterError")]
    fn new(message: &str, init: &js_sys::Object) -> PartnerCenterError;
}

/// Why an operation failed, before it becomes a JavaScript error.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A failure the core describes (HTTP, network, decode, pagination,
    /// retries exhausted, invalid input).
    Core(Error),
    /// A listing's failure, with the `MS-CorrelationId` its requests shared
    /// (for Partner Center support, with the request id).
    Listing {
        /// Why the listing failed (boxed: a failure stays small).
        error: Box<Error>,
        /// The listing's `MS-CorrelationId`.
        correlation_id: String,
    },
    /// The caller's `AbortSignal` fired; `reason` is the signal's reason.
    Aborted {
        /// `signal.reason` (an `AbortError` `DOMException` unless the caller
        /// passed one to `abort(reason)`).
        reason: JsValue,
    },
    /// A callback the caller passed (`getToken`, `onProgress`) threw,
    /// rejected or returned something unusable.
    Callback {
        /// What went wrong, naming the callback.
        message: String,
        /// What the callback threw, if anything.
        cause: JsValue,
    },
    /// A streaming summary stopped early: the core's error, with the
    /// summary of the pages read before it (`partial`, marked
    /// `incomplete: true`).
    Incomplete {
        /// Why the listing stopped (boxed: a failure stays small).
        error: Box<Error>,
        /// The summary so far, as JavaScript sees it.
        partial: JsValue,
        /// The listing's `MS-CorrelationId`.
        correlation_id: Option<String>,
    },
}

impl Failure {
    /// An invalid argument or option.
    pub(crate) fn invalid(message: impl Into<String>) -> Failure {
        Failure::Core(Error::invalid_input(message))
    }

    /// A callback failure; the thrown value's message is appended.
    pub(crate) fn callback(what: &str, cause: JsValue) -> Failure {
        let detail = cause
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| cause.as_string())
            .unwrap_or_default();
        let message = if detail.is_empty() {
            format!("{what} failed")
        } else {
            format!("{what} failed: {}", truncate(&detail, 300))
        };
        Failure::Callback { message, cause }
    }

    /// The failure of a listing whose requests shared `correlation_id`:
    /// the core's failures of a listing (not an invalid input or an abort)
    /// carry it.
    pub(crate) fn in_listing(self, correlation_id: &str) -> Failure {
        match self {
            Failure::Core(error)
                if !matches!(error, Error::InvalidInput { .. } | Error::Aborted) =>
            {
                Failure::Listing {
                    error: Box::new(error),
                    correlation_id: correlation_id.to_string(),
                }
            }
            f => f,
        }
    }

    /// A core error, of a listing if `correlation_id` is given: the
    /// inverse of [`Failure::into_core`].
    pub(crate) fn of_listing(error: Error, correlation_id: Option<String>) -> Failure {
        match correlation_id {
            Some(correlation_id) => Failure::Listing {
                error: Box::new(error),
                correlation_id,
            },
            None => Failure::Core(error),
        }
    }

    /// The core's error and the listing's correlation id, if this is one;
    /// else the failure as it was.
    pub(crate) fn into_core(self) -> Result<(Error, Option<String>), Failure> {
        match self {
            Failure::Core(error) => Ok((error, None)),
            Failure::Listing {
                error,
                correlation_id,
            } => Ok((*error, Some(correlation_id))),
            f => Err(f),
        }
    }

    /// The `kind` field.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Failure::Core(e) => e.kind(),
            Failure::Listing { error, .. } => error.kind(),
            Failure::Aborted { .. } => "aborted",
            Failure::Callback { .. } => "callback",
            Failure::Incomplete { error, .. } => error.kind(),
        }
    }

    /// The JavaScript `PartnerCenterError`.
    pub(crate) fn into_js(self) -> JsValue {
        let init = js_sys::Object::new();
        set(&init, "kind", &JsValue::from_str(self.kind()));
        let message = redact(&self.describe(&init));
        PartnerCenterError::new(&message, &init).into()
    }

    /// Sets the fields of the error's `init` object; returns the message.
    fn describe(self, init: &js_sys::Object) -> String {
        match self {
            Failure::Core(e) => {
                if let Some(s) = e.status() {
                    set(init, "status", &JsValue::from(s));
                }
                if let Some(c) = e.code() {
                    set(init, "code", &JsValue::from_str(&redact(c)));
                }
                if let Some(r) = e.request_id() {
                    set(init, "requestId", &JsValue::from_str(&redact(r)));
                }
                e.to_string()
            }
            Failure::Aborted { reason } => {
                set(init, "cause", &reason);
                Error::Aborted.to_string()
            }
            Failure::Callback { message, cause } => {
                set(init, "cause", &cause);
                message
            }
            Failure::Listing {
                error,
                correlation_id,
            } => {
                set(
                    init,
                    "correlationId",
                    &JsValue::from_str(&redact(&correlation_id)),
                );
                Failure::Core(*error).describe(init)
            }
            Failure::Incomplete {
                error,
                partial,
                correlation_id,
            } => {
                set(init, "partial", &partial);
                Failure::of_listing(*error, correlation_id).describe(init)
            }
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

/// Sets a property on a fresh plain object (this cannot fail).
pub(crate) fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    // Reflect.set only fails on frozen objects or throwing setters; `obj`
    // is always a fresh plain object here.
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Shortens text for a message, on a character boundary.
pub(crate) fn truncate(s: &str, max_chars: usize) -> String {
    let mut out: String = s.chars().take(max_chars).collect();
    if s.chars().count() > max_chars {
        out.push('…');
    }
    out
}

/// A boxed future of a JavaScript result: every promise the API returns
/// goes through this one type, so `future_to_promise` is instantiated once.
pub(crate) type JsResultFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, Failure>>>>;

/// A promise that settles with the future's result, rejecting with a
/// `PartnerCenterError`.
pub(crate) fn promise(fut: JsResultFuture) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(Box::pin(
        async move { fut.await.map_err(Failure::into_js) },
    )
        as std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>>)
}

/// A promise rejected with `f` (invalid arguments reject, they never throw).
pub(crate) fn rejected(f: Failure) -> js_sys::Promise {
    js_sys::Promise::reject(&f.into_js())
}
