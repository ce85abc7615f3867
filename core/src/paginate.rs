//! The sans-IO paginator: one listing as a pure state machine.
//!
//! A [`Paginator`] never performs I/O and never reads a clock. The driver
//! (`fetch` through web-sys in the browser, any HTTP client natively, or the in-process
//! simulator) runs this loop:
//!
//! 1. [`Paginator::poll`] says what to do: send a [`Request`], wait until a
//!    time, fetch a fresh token, or stop.
//! 2. The driver sends the request (adding `Authorization` itself) and feeds
//!    the outcome back with [`Paginator::handle_response`] or
//!    [`Paginator::handle_transport_error`].
//! 3. A successful page comes back from `handle_response`, decoded by the
//!    caller's decode function (so a streaming summary can fold records
//!    straight from the body bytes).
//!
//! It follows `links.next` with its method and every header, refuses links
//! off the configured origin, detects cycles, caps the page count, retries
//! transient failures with the [retry policy](crate::retry), treats a 204 on
//! the first request as an empty listing and a 204 on a next page as "not
//! ready yet", and asks for a fresh token after a 401 (once per page: a
//! second 401 in a row fails).
//!
//! A page is valid or not by its body; its `next` link only says whether
//! the listing can go on. So a page whose link can't be followed (off the
//! origin, malformed, a [cycle](PaginationError::Cycle), past the
//! [page cap](PaginationError::PageCap)) is still handed over like any
//! other page, and counted in [`Progress`]; the listing then fails: the next
//! [`Paginator::poll`] says [`Action::Failed`] with the error. Every other
//! failure is returned by the call that fed it back (and is also kept in
//! [`Paginator::error`]), so a driver that propagates those never sees a
//! listing end half-read without an error.
//!
//! ```
//! use partner_usage_core::endpoint::Endpoint;
//! use partner_usage_core::http::Response;
//! use partner_usage_core::link::BaseUrl;
//! use partner_usage_core::paginate::{decode_page, Action, Paginator, PaginatorConfig};
//! use partner_usage_core::model::CustomerMonthlyUsageRecord;
//!
//! let base = BaseUrl::parse("https://api.example").unwrap();
//! let mut p = Paginator::new(&base, &Endpoint::CustomerUsageRecords, PaginatorConfig::default(), 1);
//! let pages = [
//!     r#"{"totalCount":1,"items":[{"id":"a","totalCost":1.5,"currencyCode":"EUR"}],
//!         "links":{"next":{"uri":"customers/usagerecords","method":"GET",
//!                  "headers":[{"key":"MS-ContinuationToken","value":"t/1?&%="}]}}}"#,
//!     r#"{"totalCount":1,"items":[{"id":"b","totalCost":2,"currencyCode":"EUR"}],"links":{}}"#,
//! ];
//! let mut ids = vec![];
//! let mut now = 0;
//! loop {
//!     match p.poll(now) {
//!         Action::Send(req) => {
//!             let body = pages[p.progress().pages as usize];
//!             let resp = Response { status: 200, headers: &[], body: body.as_bytes() };
//!             if let Some(page) = p.handle_response(now, resp, decode_page::<CustomerMonthlyUsageRecord>).unwrap() {
//!                 ids.extend(page.items.into_iter().map(|r| r.id));
//!             }
//!         }
//!         Action::Wait { until_ms } => now = until_ms,
//!         Action::RefreshToken => p.token_refreshed(),
//!         Action::Complete => break,
//!         Action::Failed(e) => panic!("{e}"),
//!     }
//! }
//! assert!(p.is_complete() && p.error().is_none());
//! assert_eq!(ids, ["a", "b"]);
//! ```

use crate::endpoint::Endpoint;
use crate::error::{DecodeError, Error, HttpError, PaginationError};
use crate::http::{headers, Method, Request, Response};
use crate::link::BaseUrl;
use crate::model::{Link, ResourceLinks};
use crate::retry::{classify, retry_after_of, Decision, RetryConfig, RetryState, StatusClass};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashSet;

/// Paginator limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct PaginatorConfig {
    /// The most pages a listing takes (default 100 000). When page
    /// `max_pages` still has a `next` link, that page is handed over (as
    /// every page is) and the listing then fails with
    /// [`PaginationError::PageCap`] (see [`Paginator::error`]).
    pub max_pages: u32,
    /// Retry limits.
    pub retry: RetryConfig,
}

impl Default for PaginatorConfig {
    fn default() -> Self {
        PaginatorConfig {
            max_pages: 100_000,
            retry: RetryConfig::default(),
        }
    }
}

impl PaginatorConfig {
    /// Sets the page cap.
    #[must_use]
    pub fn max_pages(mut self, n: u32) -> Self {
        self.max_pages = n;
        self
    }

    /// Sets the retry limits.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }
}

/// What the driver should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send this request (add `Authorization`), then call
    /// [`Paginator::handle_response`] or [`Paginator::handle_transport_error`].
    Send(Request),
    /// Nothing to send before this time (Unix ms); poll again then.
    Wait {
        /// When to poll again.
        until_ms: i64,
    },
    /// Get a fresh token, then call [`Paginator::token_refreshed`].
    RefreshToken,
    /// The listing is over with every page received.
    Complete,
    /// The listing failed, and this is why (also kept in
    /// [`Paginator::error`]). A failure found in a page's `next` link after
    /// the page was handed over (a cycle, the page cap, a link off the
    /// origin) is reported only here; every other one was also returned by
    /// the call that fed it back.
    Failed(Error),
}

/// Counters for progress reports. They count exactly the pages (and their
/// items) handed to the caller, including a page whose `next` link then
/// failed the listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Progress {
    /// Pages received.
    pub pages: u32,
    /// Records received (items in those pages).
    pub records: u64,
    /// Retries so far (transient failures and "not ready" answers).
    pub retries: u32,
    /// The last page's `totalCount` (the number of items in **that page**).
    pub total_count: Option<u64>,
    /// When a first-page 204 ended the listing empty ("no data for this
    /// window yet") with a `Retry-After`: how long Partner Center suggests
    /// waiting before asking again, in ms.
    pub retry_after_ms: Option<u64>,
    /// While a retry is scheduled (after a transient failure or a "not
    /// ready" answer): when it goes out, in Unix ms. A driver can tell the
    /// reader how long the wait is (a `Retry-After` can be a minute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_at_ms: Option<i64>,
    /// What the latest retry followed, once there was one: a reader can be
    /// told why the listing waits (throttled, a server error, no answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_retry: Option<RetryCause>,
}

/// What a retry followed (see [`Progress::last_retry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum RetryCause {
    /// A response with this status: 429 (throttled), a 5xx, 204 (the next
    /// page not ready yet), or a success whose body was cut short (200).
    Status(u16),
    /// No response: the connection failed or dropped.
    Network,
}

/// What a page decoder reports besides the page itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageInfo {
    /// `links.next`, if any.
    pub next: Option<Link>,
    /// The number of items in the page.
    pub item_count: usize,
    /// The page's `totalCount`.
    pub total_count: Option<u64>,
}

impl PageInfo {
    /// Page facts from a decoder.
    pub fn new(next: Option<Link>, item_count: usize, total_count: Option<u64>) -> PageInfo {
        PageInfo {
            next,
            item_count,
            total_count,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// `next` is ready to send, possibly after `not_before`.
    Ready {
        not_before: i64,
    },
    /// `next` was handed out; waiting for its outcome.
    InFlight,
    /// Waiting for the driver to refresh the token.
    NeedsToken,
    Complete,
    /// Over, and why.
    Failed(Box<Error>),
}

/// One listing's pagination and retry state.
///
/// Every page whose body decodes is handed over by
/// [`Paginator::handle_response`], even when its `next` link can't be
/// followed ([`PaginationError`]: a cycle, the page cap, a foreign or
/// invalid link): only the link is bad. The listing has failed all the
/// same: the next [`Paginator::poll`] is [`Action::Failed`] with the
/// [`Error::Pagination`], [`Paginator::is_complete`] is false and
/// [`Paginator::error`] holds it too.
#[derive(Debug, Clone)]
pub struct Paginator {
    base: BaseUrl,
    next: Request,
    state: State,
    config: PaginatorConfig,
    retry: RetryState,
    progress: Progress,
    correlation_id: String,
    seen: HashSet<u64>,
    token_refreshed: bool,
    throttled_until_ms: Option<i64>,
}

impl Paginator {
    /// A paginator for a listing. `seed` feeds the jitter and the request ids
    /// (the driver passes a random value; tests pass a constant).
    pub fn new(
        base: &BaseUrl,
        endpoint: &Endpoint,
        config: PaginatorConfig,
        seed: u64,
    ) -> Paginator {
        let mut retry = RetryState::new(config.retry, seed);
        let correlation_id = retry.jitter().uuid();
        let request_id = retry.jitter().uuid();
        let url = base.url_for(&endpoint.path_and_query());
        let next = Request {
            method: Method::Get,
            url,
            headers: vec![
                (headers::ACCEPT.to_string(), "application/json".to_string()),
                (headers::REQUEST_ID.to_string(), request_id),
                (headers::CORRELATION_ID.to_string(), correlation_id.clone()),
            ],
        };
        let mut seen = HashSet::new();
        seen.insert(request_key(&next));
        // An endpoint built from its public fields may be out of range.
        Paginator {
            base: base.clone(),
            next,
            state: match endpoint.validate() {
                Ok(()) => State::Ready {
                    not_before: i64::MIN,
                },
                Err(e) => State::Failed(Box::new(e)),
            },
            config,
            retry,
            progress: Progress::default(),
            correlation_id,
            seen,
            token_refreshed: false,
            throttled_until_ms: None,
        }
    }

    /// What to do next, at wall-clock time `now_ms` (Unix ms).
    pub fn poll(&mut self, now_ms: i64) -> Action {
        match self.state {
            State::Ready { not_before } if now_ms < not_before => Action::Wait {
                until_ms: not_before,
            },
            State::Ready { .. } => {
                self.state = State::InFlight;
                Action::Send(self.next.clone())
            }
            // Polling again while a request is out re-sends nothing.
            State::InFlight => Action::Wait { until_ms: now_ms },
            State::NeedsToken => Action::RefreshToken,
            State::Complete => Action::Complete,
            State::Failed(ref e) => Action::Failed(Error::clone(e)),
        }
    }

    /// The driver has a fresh token: the same request goes out again.
    pub fn token_refreshed(&mut self) {
        if self.state == State::NeedsToken {
            self.state = State::Ready {
                not_before: i64::MIN,
            };
        }
    }

    /// Feeds back the response to the last [`Action::Send`].
    ///
    /// Returns `Ok(Some(page))` for a page of data, `Ok(None)` when there is
    /// nothing to hand over (a retry is scheduled, a token refresh is needed,
    /// or a first-page 204 ended the listing), and `Err` when the listing
    /// failed. `decode` turns the body into the caller's page type and reports
    /// the next link; [`decode_page`] and [`decode_raw_page`] are ready-made.
    ///
    /// A page whose `next` link can't be followed is still `Ok(Some(page))`:
    /// the listing's [`PaginationError`] comes with the next
    /// [`poll`](Paginator::poll) ([`Action::Failed`]).
    ///
    /// Decode errors carry the request id (see [`Error::request_id`]).
    ///
    /// `decode` may also consume the page on the spot (a streaming summary
    /// does), as long as it takes the page whole or not at all: a body that
    /// ends early ([`DecodeError::truncated`]) is asked for again. Its other
    /// errors end the listing.
    pub fn handle_response<'a, P, E: Into<Error>>(
        &mut self,
        now_ms: i64,
        response: Response<'a>,
        decode: impl FnOnce(&'a [u8]) -> Result<(P, PageInfo), E>,
    ) -> Result<Option<P>, Error> {
        if self.state != State::InFlight {
            return Err(Error::invalid_input(
                "a response was handed to the paginator without a request in flight",
            ));
        }
        self.throttled_until_ms = None;
        let page_no = self.progress.pages + 1;
        match classify(response.status) {
            StatusClass::Success => match decode(response.body).map_err(Into::into) {
                Ok((page, info)) => {
                    self.on_page(info);
                    Ok(Some(page))
                }
                Err(Error::Decode(mut e)) => {
                    let truncated = e.truncated || looks_truncated(response.body);
                    if crate::error::is_markup(response.body) {
                        // Most often a web app's fallback page or a sign-in
                        // page: the base URL serves no Partner Center API.
                        e.message = format!(
                            "{}: check that the base URL is where the Partner Center API (/v1/...) is served",
                            crate::error::NOT_JSON
                        );
                        e.path.clear();
                    }
                    e.status = Some(response.status);
                    let request_id = response
                        .header(headers::REQUEST_ID)
                        .or_else(|| self.next.header(headers::REQUEST_ID));
                    let e = Error::Decode(e.on_page(page_no).with_request_id(request_id));
                    if truncated {
                        self.retry_transient(now_ms, None, e).map(|()| None)
                    } else {
                        self.fail(e)
                    }
                }
                Err(other) => self.fail(other),
            },
            StatusClass::NoContent => {
                let retry_after = retry_after_of(&response, now_ms);
                if self.progress.pages == 0 {
                    // No data for this window (yet): an empty, finished listing.
                    self.progress.retry_after_ms = retry_after;
                    self.state = State::Complete;
                    Ok(None)
                } else {
                    match self.retry.on_not_ready(retry_after) {
                        Decision::RetryAfter(ms) => {
                            self.progress.retries = self.retry.total_retries();
                            self.progress.last_retry = Some(RetryCause::Status(response.status));
                            self.schedule(now_ms, ms);
                            Ok(None)
                        }
                        Decision::GiveUp => {
                            self.fail(Error::Pagination(PaginationError::NotReady {
                                page: self.progress.pages + 1,
                                attempts: self.retry.not_ready_count() + 1,
                            }))
                        }
                    }
                }
            }
            StatusClass::Unauthorized if !self.token_refreshed => {
                self.token_refreshed = true;
                self.state = State::NeedsToken;
                Ok(None)
            }
            StatusClass::Transient => {
                let retry_after = retry_after_of(&response, now_ms);
                let last = Error::Http(self.http_error(&response));
                self.retry_transient(now_ms, retry_after, last)
                    .map(|()| None)
            }
            StatusClass::Unauthorized | StatusClass::Fatal => {
                let e = self.http_error(&response);
                self.fail(Error::Http(e))
            }
        }
    }

    /// Feeds back a transport failure (no response: connection refused or
    /// dropped, timeout, CORS). It is retried like a 503. `message` must not
    /// contain the token. The [`Error::Network`] carries the request's
    /// `MS-RequestId` (the same on every retry).
    pub fn handle_transport_error(&mut self, now_ms: i64, message: &str) -> Result<(), Error> {
        if self.state != State::InFlight {
            return Err(Error::invalid_input(
                "a transport error was handed to the paginator without a request in flight",
            ));
        }
        let last = Error::Network {
            message: crate::error::truncate_for_message(message, 300),
            request_id: self
                .next
                .header(headers::REQUEST_ID)
                .map(|id| crate::error::truncate_for_message(id, 80)),
            path: crate::error::path_for_message(&self.next.url),
        };
        self.retry_transient(now_ms, None, last)
    }

    /// Ends the listing as aborted by the caller.
    pub fn abort(&mut self) -> Error {
        self.state = State::Failed(Box::new(Error::Aborted));
        Error::Aborted
    }

    /// Progress counters, and when a scheduled retry goes out.
    ///
    /// ```
    /// use partner_usage_core::endpoint::Endpoint;
    /// use partner_usage_core::http::Response;
    /// use partner_usage_core::link::BaseUrl;
    /// use partner_usage_core::paginate::{decode_raw_page, Action, Paginator, PaginatorConfig};
    ///
    /// let base = BaseUrl::parse("https://api.partnercenter.microsoft.com").unwrap();
    /// let mut p = Paginator::new(&base, &Endpoint::customers(1000).unwrap(), PaginatorConfig::default(), 1);
    /// assert!(matches!(p.poll(0), Action::Send(_)));
    /// let headers = vec![("Retry-After".to_string(), "30".to_string())];
    /// let busy = Response { status: 429, headers: &headers, body: b"" };
    /// assert!(p.handle_response(1_000, busy, decode_raw_page).unwrap().is_none());
    /// // Thirty seconds (plus up to a tenth of jitter) after the answer.
    /// let at = p.progress().retry_at_ms.unwrap();
    /// assert!((31_000..=34_000).contains(&at));
    /// assert!(matches!(p.poll(at), Action::Send(_)));
    /// assert_eq!(p.progress().retry_at_ms, None);
    /// ```
    pub fn progress(&self) -> Progress {
        let retry_at_ms = match self.state {
            State::Ready { not_before } if not_before != i64::MIN => Some(not_before),
            _ => None,
        };
        Progress {
            retry_at_ms,
            ..self.progress
        }
    }

    /// Whether the listing finished with every page received.
    pub fn is_complete(&self) -> bool {
        self.state == State::Complete
    }

    /// Why the listing failed, once it has (`None` while it runs and when
    /// it completed). This is the only report of a failure found in the
    /// `next` link of a page that was handed over (see [`Paginator`]); a
    /// failure returned by [`Paginator::handle_response`],
    /// [`Paginator::handle_transport_error`] or [`Paginator::abort`] is kept
    /// here too.
    ///
    /// ```
    /// use partner_usage_core::endpoint::Endpoint;
    /// use partner_usage_core::error::{Error, PaginationError};
    /// use partner_usage_core::http::Response;
    /// use partner_usage_core::link::BaseUrl;
    /// use partner_usage_core::paginate::{decode_raw_page, Action, Paginator, PaginatorConfig};
    ///
    /// let base = BaseUrl::parse("https://api.example").unwrap();
    /// let config = PaginatorConfig::default().max_pages(1);
    /// let mut p = Paginator::new(&base, &Endpoint::CustomerUsageRecords, config, 1);
    /// assert!(matches!(p.poll(0), Action::Send(_)));
    /// let body = br#"{"items":[{"id":"a"}],"links":{"next":{"uri":"customers/usagerecords?p=2"}}}"#;
    /// let resp = Response { status: 200, headers: &[], body };
    /// // The page is handed over: its body is fine...
    /// let page = p.handle_response(0, resp, decode_raw_page).unwrap().unwrap();
    /// assert_eq!(page.items.len(), 1);
    /// assert_eq!(p.progress().records, 1);
    /// // ...but the listing can't go on.
    /// let cap = Error::Pagination(PaginationError::PageCap { max_pages: 1 });
    /// assert_eq!(p.poll(0), Action::Failed(cap.clone()));
    /// assert!(!p.is_complete());
    /// assert_eq!(p.error(), Some(&cap));
    /// ```
    pub fn error(&self) -> Option<&Error> {
        match &self.state {
            State::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// The `Retry-After` of a first-page 204 ("no data yet; try after"), in ms.
    pub fn retry_after_hint_ms(&self) -> Option<u64> {
        self.progress.retry_after_ms
    }

    /// After a throttled (429/503 with `Retry-After`) response that the
    /// listing retries: until when the server asked every caller to hold off
    /// (Unix ms), but no later than this listing's own retry (so the retry
    /// config's `max_delay_ms` caps it too). `None` when the listing gave up
    /// on the response. Drivers feed it to a shared
    /// [`Throttle`](crate::retry::Throttle).
    pub fn throttled_until_ms(&self) -> Option<i64> {
        self.throttled_until_ms
    }

    /// The `MS-CorrelationId` shared by every request of this listing.
    pub fn correlation_id(&self) -> &str {
        &self.correlation_id
    }

    /// Takes a page's facts; a `next` link that can't be followed fails the
    /// listing without taking the page back (see [`Paginator`]).
    fn on_page(&mut self, info: PageInfo) {
        self.retry.on_success();
        // The token worked: a later 401 (it expired mid-listing) gets its
        // own refresh.
        self.token_refreshed = false;
        self.progress.pages += 1;
        self.progress.records += info.item_count as u64;
        self.progress.total_count = info.total_count;
        let Some(link) = info.next else {
            self.state = State::Complete;
            return;
        };
        if self.progress.pages >= self.config.max_pages {
            return self.fail_after_page(PaginationError::PageCap {
                max_pages: self.config.max_pages,
            });
        }
        let Request {
            method,
            url,
            headers: link_headers,
        } = match self.base.resolve(&link) {
            Ok(r) => r,
            Err(e) => return self.fail_after_page(e),
        };
        let request_id = self.retry.jitter().uuid();
        let mut headers = vec![
            (headers::ACCEPT.to_string(), "application/json".to_string()),
            (headers::REQUEST_ID.to_string(), request_id),
            (
                headers::CORRELATION_ID.to_string(),
                self.correlation_id.clone(),
            ),
        ];
        for (k, v) in link_headers {
            // A link header replaces ours of the same name.
            headers.retain(|(h, _)| !h.eq_ignore_ascii_case(&k));
            headers.push((k, v));
        }
        let next = Request {
            method,
            url,
            headers,
        };
        if !self.seen.insert(request_key(&next)) {
            return self.fail_after_page(PaginationError::Cycle {
                page: self.progress.pages,
            });
        }
        self.next = next;
        self.state = State::Ready {
            not_before: i64::MIN,
        };
    }

    /// Fails the listing over the `next` link of a page that is handed over
    /// all the same: the error is reported by the next `poll`
    /// ([`Action::Failed`]) and [`Paginator::error`].
    fn fail_after_page(&mut self, e: PaginationError) {
        self.state = State::Failed(Box::new(Error::Pagination(e)));
    }

    fn retry_transient(
        &mut self,
        now_ms: i64,
        retry_after: Option<u64>,
        last: Error,
    ) -> Result<(), Error> {
        match self.retry.on_transient(retry_after) {
            Decision::RetryAfter(ms) => {
                self.progress.retries = self.retry.total_retries();
                self.progress.last_retry = Some(match last.status() {
                    Some(status) => RetryCause::Status(status),
                    None => RetryCause::Network,
                });
                if let Some(ra) = retry_after {
                    // The server's hold, but never longer than this
                    // listing's own wait (capped by the retry config).
                    let hold = i64::try_from(ra.min(ms)).unwrap_or(i64::MAX);
                    self.throttled_until_ms = Some(now_ms.saturating_add(hold));
                }
                self.schedule(now_ms, ms);
                Ok(())
            }
            // With retries turned off there was nothing to exhaust: the
            // failure is reported as it is (an HTTP error keeps kind `http`).
            Decision::GiveUp if self.retry.config().max_retries == 0 => self.fail(last),
            Decision::GiveUp => {
                let attempts = self.retry.attempts();
                // Attempts were left: the wait budget is what ran out.
                let config = self.retry.config();
                let budget_ms =
                    (attempts <= config.max_retries).then_some(config.max_total_delay_ms);
                self.fail(Error::RetriesExhausted {
                    attempts,
                    page: self.progress.pages + 1,
                    last: Box::new(last),
                    budget_ms,
                })
            }
        }
    }

    fn schedule(&mut self, now_ms: i64, delay_ms: u64) {
        self.state = State::Ready {
            not_before: now_ms.saturating_add(i64::try_from(delay_ms).unwrap_or(i64::MAX)),
        };
    }

    fn fail<T>(&mut self, e: Error) -> Result<T, Error> {
        self.state = State::Failed(Box::new(e.clone()));
        Err(e)
    }

    fn http_error(&self, response: &Response<'_>) -> HttpError {
        let request_id = response
            .header(headers::REQUEST_ID)
            .or_else(|| self.next.header(headers::REQUEST_ID));
        HttpError::from_body(response.status, response.body)
            .with_request_id(request_id)
            .with_path(&self.next.url)
            .with_page_number(self.progress.pages.saturating_add(1))
    }
}

/// Identifies a request for cycle detection: method, URL and the link
/// headers (the continuation token), but not the per-request ids.
fn request_key(r: &Request) -> u64 {
    // FNV-1a: stable across platforms and runs.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(r.method.as_str().as_bytes());
    eat(r.url.as_bytes());
    for (k, v) in &r.headers {
        if k.eq_ignore_ascii_case(headers::REQUEST_ID)
            || k.eq_ignore_ascii_case(headers::CORRELATION_ID)
        {
            continue;
        }
        eat(k.to_ascii_lowercase().as_bytes());
        eat(v.as_bytes());
    }
    h
}

/// Drops a UTF-8 byte order mark, which some .NET servers and proxies send.
pub(crate) fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// A body that stops before its closing brace was cut in transit: worth a retry.
fn looks_truncated(body: &[u8]) -> bool {
    let trimmed = strip_bom(body).trim_ascii_end();
    trimmed.first() == Some(&b'{') && trimmed.last() != Some(&b'}')
}

/// A page whose items are still raw JSON, for callers that decode (or scan)
/// records themselves, e.g. with a bad-record policy.
#[derive(Debug)]
#[non_exhaustive]
pub struct RawPage<'a> {
    /// The items, undecoded.
    pub items: Vec<&'a RawValue>,
    /// The page's `totalCount`.
    pub total_count: Option<u64>,
    /// The page's `continuationToken`, if sent in the body.
    pub continuation_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    #[serde(default)]
    total_count: Option<u64>,
    /// `None` when the field is missing; `null` reads as no items.
    #[serde(borrow, default, deserialize_with = "items_or_null")]
    items: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    continuation_token: Option<String>,
    #[serde(default)]
    links: Option<ResourceLinks>,
}

fn items_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<&'de RawValue>>, D::Error> {
    Ok(Some(
        Option::<Vec<&'de RawValue>>::deserialize(d)?.unwrap_or_default(),
    ))
}

/// Decodes a page's envelope and leaves its items raw.
///
/// ```
/// use partner_usage_core::paginate::decode_raw_page;
/// let (page, info) = decode_raw_page(br#"{"totalCount":2,"items":[{"a":1},{"b":2}]}"#).unwrap();
/// assert_eq!(page.items.len(), 2);
/// assert_eq!(info.item_count, 2);
/// assert!(decode_raw_page(br#"{"totalCount":0}"#).is_err());
/// assert!(decode_raw_page(br#"{"items":{}}"#).is_err());
/// let err = decode_raw_page(br#"[{"totalCost": 1}]"#).unwrap_err();
/// assert!(err.message.starts_with("the response is a JSON array, not a page"));
/// ```
pub fn decode_raw_page(body: &[u8]) -> Result<(RawPage<'_>, PageInfo), DecodeError> {
    let body = strip_bom(body);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err(DecodeError::new("the response body is empty")),
        // Serde would read an array as the envelope's fields in order
        // ("expected u64"): said as what it is.
        Some(b'[') => {
            return Err(DecodeError::new(
                "the response is a JSON array, not a page ({ \"items\": [...] }): does a proxy unwrap Partner Center's pages?",
            ))
        }
        Some(_) => {}
    }
    let env: Envelope<'_> = DecodeError::decode(body)?;
    let items = env
        .items
        .ok_or_else(|| DecodeError::new("the response has no `items` array").with_path("items"))?;
    let next = env.links.and_then(|l| l.next);
    let info = PageInfo::new(next, items.len(), env.total_count);
    Ok((
        RawPage {
            items,
            total_count: env.total_count,
            continuation_token: env.continuation_token,
        },
        info,
    ))
}

/// A decoded page.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The records.
    pub items: Vec<T>,
    /// The page's `totalCount`.
    pub total_count: Option<u64>,
}

/// Decodes a page's envelope and every item as `T`, failing on the first bad
/// item (the error names its index and field).
///
/// ```
/// use partner_usage_core::model::ResourceUsageRecord;
/// use partner_usage_core::paginate::decode_page;
/// let err = decode_page::<ResourceUsageRecord>(br#"{"items":[{},{"totalCost":"x"}]}"#).unwrap_err();
/// assert_eq!(err.index, Some(1));
/// assert_eq!(err.path, "totalCost");
/// ```
pub fn decode_page<'a, T: Deserialize<'a>>(
    body: &'a [u8],
) -> Result<(Page<T>, PageInfo), DecodeError> {
    let (raw, info) = decode_raw_page(body)?;
    let mut items = Vec::with_capacity(raw.items.len());
    for (i, item) in raw.items.into_iter().enumerate() {
        items.push(DecodeError::decode::<T>(item.get().as_bytes()).map_err(|e| e.at_index(i))?);
    }
    Ok((
        Page {
            items,
            total_count: raw.total_count,
        },
        info,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paginator(config: PaginatorConfig) -> Paginator {
        let base = BaseUrl::parse("https://api.example").unwrap();
        Paginator::new(&base, &Endpoint::CustomerUsageRecords, config, 5)
    }

    fn respond<'a>(
        p: &mut Paginator,
        now_ms: i64,
        status: u16,
        headers: &'a [(String, String)],
        body: &'a [u8],
    ) -> Result<Option<RawPage<'a>>, Error> {
        assert!(matches!(p.poll(now_ms), Action::Send(_)));
        let resp = Response {
            status,
            headers,
            body,
        };
        p.handle_response(now_ms, resp, decode_raw_page)
    }

    #[test]
    fn a_next_page_not_ready_too_often_reports_every_attempt() {
        let config = PaginatorConfig::default();
        let mut p = paginator(config);
        let first =
            br#"{"items":[{"id":"a"}],"links":{"next":{"uri":"customers/usagerecords?p=2"}}}"#;
        assert!(respond(&mut p, 0, 200, &[], first).unwrap().is_some());
        let mut now = 0;
        for _ in 0..config.retry.max_not_ready {
            assert!(respond(&mut p, now, 204, &[], b"").unwrap().is_none());
            now = p.progress().retry_at_ms.unwrap();
        }
        assert_eq!(
            respond(&mut p, now, 204, &[], b"").unwrap_err(),
            Error::Pagination(PaginationError::NotReady {
                page: 2,
                attempts: config.retry.max_not_ready + 1,
            })
        );
    }

    #[test]
    fn progress_tells_when_a_scheduled_retry_goes_out() {
        let mut p = paginator(PaginatorConfig::default());
        // Nothing scheduled before the first request, nor while it is out.
        assert_eq!(p.progress().retry_at_ms, None);
        let h = [("Retry-After".to_string(), "2".to_string())];
        assert!(respond(&mut p, 1_000, 503, &h, b"").unwrap().is_none());
        let at = p.progress().retry_at_ms.unwrap();
        assert!((3_000..=3_200).contains(&at), "{at}");
        assert_eq!(p.poll(at - 1), Action::Wait { until_ms: at });
        assert!(matches!(p.poll(at), Action::Send(_)));
        assert_eq!(p.progress().retry_at_ms, None);
        assert_eq!(p.progress().retries, 1);
    }

    #[test]
    fn progress_says_what_the_latest_retry_followed() {
        let mut p = paginator(PaginatorConfig::default());
        assert_eq!(p.progress().last_retry, None);
        let mut now = 0;
        // `respond` sends the request first; a transport error needs it sent.
        let mut step = |p: &mut Paginator, status: Option<u16>, body: &[u8]| {
            match status {
                Some(s) => assert!(respond(p, now, s, &[], body).unwrap().is_none()),
                None => {
                    assert!(matches!(p.poll(now), Action::Send(_)));
                    p.handle_transport_error(now, "connection reset").unwrap()
                }
            }
            now = p.progress().retry_at_ms.unwrap();
            p.progress().last_retry
        };
        assert_eq!(step(&mut p, Some(429), b""), Some(RetryCause::Status(429)));
        assert_eq!(step(&mut p, None, b""), Some(RetryCause::Network));
        assert_eq!(step(&mut p, Some(503), b""), Some(RetryCause::Status(503)));
        let cut = br#"{"items":[{"id":"a""#;
        assert_eq!(step(&mut p, Some(200), cut), Some(RetryCause::Status(200)));
        // A next page not ready yet (204).
        let first =
            br#"{"items":[{"id":"a"}],"links":{"next":{"uri":"customers/usagerecords?p=2"}}}"#;
        assert!(respond(&mut p, now, 200, &[], first).unwrap().is_some());
        assert!(respond(&mut p, now, 204, &[], b"").unwrap().is_none());
        assert_eq!(p.progress().last_retry, Some(RetryCause::Status(204)));
        assert_eq!(p.progress().retries, 5);
    }

    #[test]
    fn a_body_cut_short_looks_truncated() {
        for body in [
            &br#"{"items":[{"id":"a""#[..],
            b"{",
            b"\xEF\xBB\xBF{\"items\":[ \n",
        ] {
            assert!(looks_truncated(body), "{body:?}");
        }
        for body in [
            &br#"{"items":[]}"#[..],
            b"\xEF\xBB\xBF{\"items\":[]}\r\n",
            b"<html>",
            b"[1,2",
            b"",
        ] {
            assert!(!looks_truncated(body), "{body:?}");
        }
    }

    #[test]
    fn a_web_page_in_a_success_is_not_json_and_carries_its_status() {
        // An app's fallback page or a sign-in page answered for /v1/...:
        // failed at once (no retry), saying what the body was.
        for body in [
            &b"<!doctype html><html><head><title>My portal</title>"[..],
            b"\xEF\xBB\xBF\r\n  <?xml version=\"1.0\"?><error/>",
        ] {
            let mut p = paginator(PaginatorConfig::default());
            let rid = [("MS-RequestId".to_string(), "rid-9".to_string())];
            let Err(Error::Decode(e)) = respond(&mut p, 0, 200, &rid, body) else {
                panic!("{body:?} decoded");
            };
            assert_eq!(
                e.to_string(),
                "could not decode page 1: the server sent an HTML or XML page instead of JSON: \
                 check that the base URL is where the Partner Center API (/v1/...) is served"
            );
            assert_eq!(
                (e.status, e.request_id.as_deref()),
                (Some(200), Some("rid-9"))
            );
            assert_eq!(Error::Decode(e).status(), Some(200));
            assert_eq!(p.progress().retries, 0);
            assert!(matches!(p.poll(0), Action::Failed(Error::Decode(d)) if d.status == Some(200)));
        }
        // JSON that is wrong keeps its own message and path, with the status.
        let mut p = paginator(PaginatorConfig::default());
        let Err(Error::Decode(e)) = respond(&mut p, 0, 203, &[], br#"{"items":{}}"#) else {
            panic!("decoded");
        };
        assert!(!e.message.contains("HTML"), "{e}");
        assert_eq!((e.path.as_str(), e.status), ("items", Some(203)));
    }

    #[test]
    fn a_decoder_error_on_a_cut_body_is_retried_on_a_whole_one_fails() {
        let refuse = |_: &[u8]| Err::<((), PageInfo), _>(DecodeError::new("refused"));
        let mut p = paginator(PaginatorConfig::default());
        assert!(matches!(p.poll(0), Action::Send(_)));
        let cut = Response {
            status: 200,
            headers: &[],
            body: br#"{"items":[{"id":"a""#,
        };
        assert_eq!(p.handle_response(0, cut, refuse), Ok(None));
        assert_eq!(p.progress().retries, 1);
        let at = p.progress().retry_at_ms.unwrap();
        assert!(matches!(p.poll(at), Action::Send(_)));
        let whole = Response {
            status: 200,
            headers: &[],
            body: br#"{"items":[{"id":"a"}]}"#,
        };
        assert!(matches!(
            p.handle_response(at, whole, refuse),
            Err(Error::Decode(_))
        ));
        assert!(matches!(p.poll(at), Action::Failed(Error::Decode(d)) if d.message == "refused"));
    }
}
