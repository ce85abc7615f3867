//! One error type for everything that can go wrong in a listing.
//!
//! Every error is a value with a clear message: the HTTP status and
//! Partner Center's error code where there is one, the request id, the JSON
//! path of a decode failure. The core never sees the bearer token, but a
//! server may echo it in an error body: drivers pass their errors through
//! [`Error::redacted`] before showing them.

use std::fmt;

/// An error from a Partner Center listing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Partner Center (or a proxy) answered with an error status.
    Http(HttpError),
    /// The transport failed: no response at all (connection refused or
    /// dropped, DNS, CORS, timeout). The message comes from the driver.
    Network {
        /// What the driver reported.
        message: String,
        /// The `MS-RequestId` the failed request was sent with (there was
        /// no response to echo one), for Partner Center support.
        request_id: Option<String>,
        /// The request path (no host, no query), for context; empty when
        /// unknown.
        path: String,
    },
    /// A response body, or a record in it, could not be decoded.
    Decode(DecodeError),
    /// The listing's links can't be followed safely.
    Pagination(PaginationError),
    /// Retries ran out, or the wait budget did; `last` is the final failure.
    /// With `max_retries` 0 a failure is reported as itself instead.
    RetriesExhausted {
        /// Requests sent for this page, including the first.
        attempts: u32,
        /// The page (1-based) the listing had reached.
        page: u32,
        /// The last failure.
        last: Box<Error>,
        /// When the wait budget ran out before the attempts did: the budget
        /// ([`RetryConfig::max_total_delay_ms`](crate::retry::RetryConfig::max_total_delay_ms)).
        budget_ms: Option<u64>,
    },
    /// The caller cancelled the listing.
    Aborted,
    /// A parameter was invalid before anything was sent.
    InvalidInput {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// A short, stable name of the kind of error, as JavaScript sees it:
    /// `http`, `network`, `decode`, `pagination`, `retries-exhausted`,
    /// `aborted` or `invalid-input`.
    ///
    /// ```
    /// use partner_usage_core::error::Error;
    /// assert_eq!(Error::Aborted.kind(), "aborted");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Http(_) => "http",
            Error::Network { .. } => "network",
            Error::Decode(_) => "decode",
            Error::Pagination(_) => "pagination",
            Error::RetriesExhausted { .. } => "retries-exhausted",
            Error::Aborted => "aborted",
            Error::InvalidInput { .. } => "invalid-input",
        }
    }

    /// The HTTP status behind the error, if any (also through retries); for
    /// a decode error, the status of the response whose body could not be
    /// read (a 200 whose body is not Partner Center's JSON).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http(h) => Some(h.status),
            Error::Decode(d) => d.status,
            Error::RetriesExhausted { last, .. } => last.status(),
            _ => None,
        }
    }

    /// Partner Center's error code, if the body had one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Http(h) => h.code.as_deref(),
            Error::RetriesExhausted { last, .. } => last.code(),
            _ => None,
        }
    }

    /// The `MS-RequestId` of the failing request, if known: the one the
    /// response echoed, else the one the request was sent with. A listing's
    /// `http`, `network` and `decode` errors have one (also through
    /// `retries-exhausted`, whose retries keep the request id); pagination
    /// errors (a bad `next` link, the page cap), aborts and input errors
    /// don't.
    ///
    /// ```
    /// use partner_usage_core::error::{DecodeError, Error};
    /// let e = Error::Decode(DecodeError::new("malformed JSON").with_request_id(Some("rid-7")));
    /// assert_eq!(e.request_id(), Some("rid-7"));
    /// let e = Error::Network { message: "reset".into(), request_id: Some("rid-8".into()), path: "/v1/customers".into() };
    /// assert_eq!(e.request_id(), Some("rid-8"));
    /// assert_eq!(Error::Aborted.request_id(), None);
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Http(h) => h.request_id.as_deref(),
            Error::Network { request_id, .. } => request_id.as_deref(),
            Error::Decode(d) => d.request_id.as_deref(),
            Error::RetriesExhausted { last, .. } => last.request_id(),
            _ => None,
        }
    }

    /// An input error.
    pub fn invalid_input(message: impl Into<String>) -> Error {
        Error::InvalidInput {
            message: message.into(),
        }
    }

    /// The same error with `secret` (the bearer token) [redacted](redact)
    /// from every text it carries: message, code, description, request id,
    /// path and link.
    ///
    /// The core never sees the token, but an error body is the server's (or
    /// a proxy's) own text, and it may echo the `Authorization` header. So a
    /// driver redacts the token it sent from an error before showing or
    /// logging it (the wasm driver does, for JavaScript).
    ///
    /// ```
    /// use partner_usage_core::error::{Error, HttpError};
    /// let body = br#"{"code":"Unauthorized","description":"token Bearer s3cr3t-T0KEN-abc123 is expired"}"#;
    /// let e = Error::Http(HttpError::from_body(401, body)).redacted("s3cr3t-T0KEN-abc123");
    /// assert_eq!(e.to_string(), "Partner Center answered 401 Unauthorized: error Unauthorized: token Bearer [redacted] is expired");
    /// ```
    #[must_use]
    pub fn redacted(self, secret: &str) -> Error {
        let r = |text: String| redact(&text, secret);
        let ro = |text: Option<String>| text.map(r);
        match self {
            Error::Http(h) => Error::Http(HttpError {
                code: ro(h.code),
                description: ro(h.description),
                request_id: ro(h.request_id),
                path: r(h.path),
                ..h
            }),
            Error::Network {
                message,
                request_id,
                path,
            } => Error::Network {
                message: r(message),
                request_id: ro(request_id),
                path: r(path),
            },
            Error::Decode(d) => Error::Decode(DecodeError {
                path: r(d.path),
                message: r(d.message),
                request_id: ro(d.request_id),
                ..d
            }),
            Error::Pagination(PaginationError::ForeignLink { uri }) => {
                Error::Pagination(PaginationError::ForeignLink { uri: r(uri) })
            }
            Error::Pagination(PaginationError::InvalidLink { uri, reason }) => {
                Error::Pagination(PaginationError::InvalidLink {
                    uri: r(uri),
                    reason,
                })
            }
            Error::RetriesExhausted {
                attempts,
                page,
                last,
                budget_ms,
            } => Error::RetriesExhausted {
                attempts,
                page,
                last: Box::new(last.redacted(secret)),
                budget_ms,
            },
            Error::InvalidInput { message } => Error::InvalidInput {
                message: r(message),
            },
            other @ (Error::Pagination(_) | Error::Aborted) => other,
        }
    }
}

/// What [`redact`] puts in place of a secret.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this many characters are not [redacted](redact):
/// replacing a few common characters would garble messages, and such a
/// token is no secret.
pub const MIN_REDACTED_CHARS: usize = 8;

/// `text` with every occurrence of `secret` replaced by [`REDACTED`], and
/// so is a beginning of it (at least [`MIN_REDACTED_CHARS`] characters)
/// right before a `…`, where error texts are truncated in the middle of
/// the secret. A secret shorter than [`MIN_REDACTED_CHARS`] is left alone.
///
/// ```
/// use partner_usage_core::error::redact;
/// assert_eq!(redact("Bearer eyJ0eXAi.abc was refused", "eyJ0eXAi.abc"), "Bearer [redacted] was refused");
/// assert_eq!(redact("header: Bearer eyJ0eXAi.a…", "eyJ0eXAi.abc"), "header: Bearer [redacted]…");
/// assert_eq!(redact("a short one", "short"), "a short one");
/// ```
pub fn redact(text: &str, secret: &str) -> String {
    let Some(head) = secret
        .char_indices()
        .nth(MIN_REDACTED_CHARS - 1)
        .map(|(i, c)| &secret[..i + c.len_utf8()])
    else {
        return text.to_string();
    };
    let mut out = text.replace(secret, REDACTED);
    let mut from = 0;
    while let Some(at) = out[from..].find(head).map(|i| from + i) {
        let rest = &out[at..];
        // The longest run from `at` that the secret starts with.
        let run = rest
            .char_indices()
            .zip(secret.chars())
            .find(|&((_, a), b)| a != b)
            .map_or(rest.len().min(secret.len()), |((i, _), _)| i);
        if rest[run..].starts_with('…') {
            out.replace_range(at..at + run, REDACTED);
            from = at + REDACTED.len();
        } else {
            from = at + head.len();
        }
    }
    out
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Http(h) => h.fmt(f),
            Error::Network { message, path, .. } if !path.is_empty() => {
                write!(f, "network error for {path}: {message}")
            }
            Error::Network { message, .. } => write!(f, "network error: {message}"),
            Error::Decode(d) => d.fmt(f),
            Error::Pagination(p) => p.fmt(f),
            Error::RetriesExhausted {
                attempts,
                page,
                last,
                budget_ms,
            } => {
                write!(
                    f,
                    "gave up on page {page} after {attempts} attempt{}",
                    if *attempts == 1 { "" } else { "s" }
                )?;
                if let Some(ms) = budget_ms {
                    write!(
                        f,
                        " (the next wait would have taken the listing past its {ms} ms retry budget)"
                    )?;
                }
                write!(f, "; last error: {last}")
            }
            Error::Aborted => f.write_str("the request was aborted"),
            Error::InvalidInput { message } => write!(f, "invalid input: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<PaginationError> for Error {
    fn from(e: PaginationError) -> Self {
        Error::Pagination(e)
    }
}

/// A value the caller gave that isn't a valid decimal, so that `?` works on
/// [`Decimal::parse`](crate::decimal::Decimal::parse) in a function returning
/// this crate's [`Error`].
///
/// ```
/// use partner_usage_core::decimal::Decimal;
/// use partner_usage_core::error::Error;
/// fn budget(text: &str) -> Result<Decimal, Error> {
///     Ok(Decimal::parse(text)?)
/// }
/// assert_eq!(budget("12.5x").unwrap_err().kind(), "invalid-input");
/// ```
impl From<crate::decimal::DecimalError> for Error {
    fn from(e: crate::decimal::DecimalError) -> Self {
        Error::invalid_input(e.to_string())
    }
}

/// A timestamp the caller gave that can't be read, as [`InvalidInput`](Error::InvalidInput).
///
/// ```
/// use partner_usage_core::error::Error;
/// use partner_usage_core::time::Timestamp;
/// fn start(text: &str) -> Result<Timestamp, Error> {
///     Ok(Timestamp::parse(text)?)
/// }
/// assert_eq!(start("2026-13-01T00:00:00Z").unwrap_err().kind(), "invalid-input");
/// ```
impl From<crate::time::TimestampError> for Error {
    fn from(e: crate::time::TimestampError) -> Self {
        Error::invalid_input(e.to_string())
    }
}

/// Amounts the caller added that can't be added (other currencies, an
/// overflow), as [`InvalidInput`](Error::InvalidInput).
impl From<crate::money::MoneyError> for Error {
    fn from(e: crate::money::MoneyError) -> Self {
        Error::invalid_input(e.to_string())
    }
}

/// An error status from Partner Center, with what its body said.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpError {
    /// The HTTP status.
    pub status: u16,
    /// Partner Center's error code (`3000`, `"InvalidInput"`), as text.
    pub code: Option<String>,
    /// The error description or message, truncated to 1024 characters.
    pub description: Option<String>,
    /// The `MS-RequestId` of the request.
    pub request_id: Option<String>,
    /// The request path (no host, no query), for context.
    pub path: String,
    /// Whether the body was a web page (HTML or XML) rather than JSON: the
    /// answer of a proxy, gateway or web server on the way, not Partner
    /// Center's, which the message says.
    pub page: bool,
    /// Whether the body was JSON (Partner Center's error shape, or its
    /// throttling's `{ statusCode, message }`): only then does the message
    /// say Partner Center answered.
    pub json: bool,
    /// The listing's page the request was for (1-based), when it was a
    /// later one: the message says "on page 3" (a first page needs no word).
    pub page_number: Option<u32>,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A web page is a proxy's or a web server's answer, not Partner
        // Center's: said so, with its title when it has one. An answer
        // that isn't JSON (a proxy's plain-text 401, an empty 502) is the
        // server's too: nothing in it says it is Partner Center's.
        let who = if self.page || !self.json {
            "the server"
        } else {
            "Partner Center"
        };
        write!(f, "{who} answered {}", self.status)?;
        if let Some(reason) = reason_phrase(self.status) {
            write!(f, " {reason}")?;
        }
        if !self.path.is_empty() {
            write!(f, " for {}", self.path)?;
        }
        if let Some(n) = self.page_number.filter(|&n| n > 1) {
            write!(f, " on page {n}")?;
        }
        match (&self.code, &self.description) {
            (None, d) if self.page => {
                f.write_str(" with a web page")?;
                if let Some(title) = d.as_ref().filter(|d| *d != NOT_JSON) {
                    write!(f, " titled {title:?}")?;
                }
                f.write_str(", not Partner Center's JSON")?;
            }
            (Some(c), Some(d)) => write!(f, ": error {c}: {d}")?,
            (Some(c), None) => write!(f, ": error {c}")?,
            (None, Some(d)) => write!(f, ": {d}")?,
            (None, None) => {}
        }
        // Partner Center's own 404s carry an error code: one without is
        // most likely a web server's answer for a path it doesn't serve.
        if self.status == 404 && self.code.is_none() {
            f.write_str(
                " (no Partner Center error code: is baseUrl where Partner Center's /v1/... is served?)",
            )?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// An HTTP error is an error of its own too, for callers that keep it apart
/// from [`Error`] (e.g. in a `Box<dyn std::error::Error>`).
impl std::error::Error for HttpError {}

impl HttpError {
    /// Reads an error response leniently: Partner Center's
    /// `{code, description}` (with a string or number `code`), the 429
    /// `{statusCode, message}`, a bare `{message}`, an `{error: {code, message}}`,
    /// an HTML page from a proxy (its `<title>`), or any text (truncated).
    ///
    /// ```
    /// use partner_usage_core::error::HttpError;
    /// let e = HttpError::from_body(404, br#"{"code": 800011, "description": "not a valid Azure subscription"}"#);
    /// assert_eq!(e.code.as_deref(), Some("800011"));
    /// assert_eq!(e.description.as_deref(), Some("not a valid Azure subscription"));
    /// let e = HttpError::from_body(429, br#"{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds."}"#);
    /// assert_eq!(e.code, None);
    /// assert_eq!(e.description.as_deref(), Some("Rate limit is exceeded. Try again in 57 seconds."));
    /// let e = HttpError::from_body(502, b"<html><head><title>502 Bad Gateway</title></head></html>");
    /// assert_eq!(e.description.as_deref(), Some("502 Bad Gateway"));
    /// ```
    pub fn from_body(status: u16, body: &[u8]) -> HttpError {
        let (code, description, json) = parse_error_body(body);
        let page = code.is_none() && is_markup(body);
        HttpError {
            page,
            json,
            page_number: None,
            status,
            code,
            description,
            request_id: None,
            path: String::new(),
        }
    }

    /// Sets the request id.
    #[must_use]
    pub fn with_request_id(mut self, id: Option<&str>) -> Self {
        self.request_id = id.map(|s| truncate_for_message(s, 80));
        self
    }

    /// Sets the listing's page the request was for (1-based).
    #[must_use]
    pub fn with_page_number(mut self, n: u32) -> Self {
        self.page_number = Some(n);
        self
    }

    /// Sets the request path (see [`path_for_message`]).
    #[must_use]
    pub fn with_path(mut self, url: &str) -> Self {
        self.path = path_for_message(url);
        self
    }
}

/// The path of a request URL as error messages show it: without the origin
/// and the query (it may hold tokens), at most 200 characters, control
/// characters replaced.
///
/// ```
/// use partner_usage_core::error::path_for_message;
/// assert_eq!(
///     path_for_message("https://pc.example/api/v1/customers?seekOperation=Next"),
///     "/api/v1/customers"
/// );
/// assert_eq!(path_for_message("https://pc.example"), "/");
/// ```
pub fn path_for_message(url: &str) -> String {
    let no_query = url.split(['?', '#']).next().unwrap_or("");
    let path = match no_query.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => no_query,
    };
    truncate_for_message(path, 200)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    #[serde(default, borrow)]
    code: Option<&'a serde_json::value::RawValue>,
    #[serde(default)]
    error_code: Option<&'a serde_json::value::RawValue>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error: Option<Box<ErrorBody<'a>>>,
}

fn raw_to_code(raw: Option<&serde_json::value::RawValue>) -> Option<String> {
    let text = raw?.get();
    let code = if text.starts_with('"') {
        serde_json::from_str::<String>(text).ok()?
    } else if text == "null" {
        return None;
    } else {
        text.to_string()
    };
    let code = code.trim();
    (!code.is_empty()).then(|| truncate_for_message(code, 64))
}

/// What an error says of a body that is a web page rather than JSON.
pub(crate) const NOT_JSON: &str = "the server sent an HTML or XML page instead of JSON";

/// Whether a body is a web page (HTML or XML), not JSON: an error body or a
/// success's, so both say [`NOT_JSON`] alike.
pub(crate) fn is_markup(body: &[u8]) -> bool {
    crate::paginate::strip_bom(body).trim_ascii_start().first() == Some(&b'<')
}

/// The code and description of an error body, and whether it was JSON.
fn parse_error_body(body: &[u8]) -> (Option<String>, Option<String>, bool) {
    let text = String::from_utf8_lossy(crate::paginate::strip_bom(body));
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return (None, None, false);
    }
    if let Ok(b) = serde_json::from_str::<ErrorBody<'_>>(trimmed) {
        let inner = b.error.as_deref();
        let code = raw_to_code(b.code)
            .or_else(|| raw_to_code(b.error_code))
            .or_else(|| inner.and_then(|i| raw_to_code(i.code)));
        let description = b
            .description
            .or(b.message)
            .or_else(|| inner.and_then(|i| i.description.clone().or(i.message.clone())))
            .filter(|d| !d.trim().is_empty())
            .map(|d| truncate_for_message(d.trim(), 1024));
        // A JSON object with neither: its text says what it can.
        if code.is_none() && description.is_none() {
            return (None, Some(truncate_for_message(trimmed, 200)), true);
        }
        return (code, description, true);
    }
    let lower = trimmed.to_ascii_lowercase();
    if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>")) {
        if a + 7 <= b {
            let title = trimmed[a + 7..b].trim();
            if !title.is_empty() {
                return (None, Some(truncate_for_message(title, 200)), false);
            }
        }
    }
    if is_markup(body) {
        return (None, Some(NOT_JSON.into()), false);
    }
    (None, Some(truncate_for_message(trimmed, 200)), false)
}

fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// A body or record that could not be decoded, and where.
///
/// ```
/// use partner_usage_core::error::DecodeError;
/// let e = DecodeError::new("invalid type: string \"x\", expected a decimal number")
///     .at_page(2).at_index(17).with_path("totalCost");
/// assert_eq!(e.to_string(),
///     "could not decode page 2, item 17, field `totalCost`: invalid type: string \"x\", expected a decimal number");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The page (1-based), if known.
    pub page: Option<u32>,
    /// The item's index within the page (0-based), if the error is in a record.
    pub index: Option<usize>,
    /// The JSON path inside the item or body, e.g. `instanceData.tags.env`.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The body ended before the JSON did: most likely cut in transit, so
    /// the paginator asks for the page again.
    pub truncated: bool,
    /// The `MS-RequestId` of the response the body came in (or, if it
    /// echoed none, of the request), set by the paginator. Not part of the
    /// message.
    pub request_id: Option<String>,
    /// The HTTP status of the response the body came in, set by the
    /// paginator. Not part of the message.
    pub status: Option<u16>,
}

impl DecodeError {
    /// A decode error with a message.
    pub fn new(message: impl Into<String>) -> DecodeError {
        DecodeError {
            page: None,
            index: None,
            path: String::new(),
            message: message.into(),
            truncated: false,
            request_id: None,
            status: None,
        }
    }

    /// Marks the error as a body that ended early (see [`DecodeError::truncated`]).
    #[must_use]
    pub fn as_truncated(mut self) -> Self {
        self.truncated = true;
        self
    }

    /// Sets the page number (1-based).
    #[must_use]
    pub fn at_page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Sets the page number (1-based) unless one is set already.
    pub(crate) fn on_page(self, page: u32) -> Self {
        if self.page.is_some() {
            self
        } else {
            self.at_page(page)
        }
    }

    /// Sets the request id (see [`DecodeError::request_id`]).
    #[must_use]
    pub fn with_request_id(mut self, id: Option<&str>) -> Self {
        self.request_id = id.map(|s| truncate_for_message(s, 80));
        self
    }

    /// Sets the item index (0-based). A position serde_json gave (`at line
    /// 1 column 28`) counts from the item's start, and now says so.
    ///
    /// ```
    /// use partner_usage_core::error::DecodeError;
    /// use partner_usage_core::model::CustomerMonthlyUsageRecord;
    /// let item = br#"{"id":"b","totalCost":"abc"}"#;
    /// let e = DecodeError::decode::<CustomerMonthlyUsageRecord>(item).unwrap_err().at_page(1).at_index(1);
    /// assert!(e.to_string().starts_with("could not decode page 1, item 1, field `totalCost`: "));
    /// assert!(e.to_string().ends_with(" at line 1 column 28 of the item"), "{e}");
    /// ```
    #[must_use]
    pub fn at_index(mut self, index: usize) -> Self {
        if self.index.is_none() && ends_with_position(&self.message) {
            self.message.push_str(" of the item");
        }
        self.index = Some(index);
        self
    }

    /// Sets the JSON path (`.` is the root and is not shown). Its keys come
    /// from the response, so it is shortened to 200 characters and control
    /// characters become U+FFFD, as other untrusted text in messages.
    ///
    /// ```
    /// use partner_usage_core::error::DecodeError;
    /// let key = format!("\u{1b}[2J{}", "k".repeat(300));
    /// let e = DecodeError::new("expected a string").with_path(format!("items[0].{key}"));
    /// assert!(e.path.starts_with("items[0].\u{FFFD}[2Jk") && e.path.ends_with('…'));
    /// assert_eq!(e.path.chars().count(), 201);
    /// ```
    #[must_use]
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        let p = path.into();
        self.path = if p == "." {
            String::new()
        } else {
            truncate_for_message(&p, 200)
        };
        self
    }

    /// Decodes `T` from JSON bytes, naming the JSON path on failure.
    ///
    /// ```
    /// use partner_usage_core::error::DecodeError;
    /// use partner_usage_core::model::ResourceUsageRecord;
    /// let err = DecodeError::decode::<ResourceUsageRecord>(br#"{"totalCost": "abc"}"#).unwrap_err();
    /// assert_eq!(err.path, "totalCost");
    /// ```
    pub fn decode<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, DecodeError> {
        serde_json::from_slice(bytes).map_err(|e| Self::explain(bytes, &e))
    }

    /// Describes a failed serde_json decode of `bytes`, naming the JSON
    /// path where it stopped (found afterwards from serde_json's line and
    /// column, so decoding itself tracks nothing): for a decode made some
    /// other way than [`DecodeError::decode`] (from a `&str`, into a
    /// `Value`), without decoding again.
    ///
    /// ```
    /// use partner_usage_core::error::DecodeError;
    /// #[derive(serde::Deserialize)]
    /// struct Options { filters: Filters }
    /// #[derive(serde::Deserialize)]
    /// struct Filters { #[allow(dead_code)] tag: String }
    /// let text = r#"{"filters":{"tag":5}}"#;
    /// let e = serde_json::from_str::<Options>(text).err().unwrap();
    /// assert_eq!(DecodeError::explain(text.as_bytes(), &e).path, "filters.tag");
    /// ```
    pub fn explain(bytes: &[u8], e: &serde_json::Error) -> DecodeError {
        let at = crate::json_path::offset_of(bytes, e.line(), e.column());
        let d = DecodeError::new(describe_json_error(e))
            .with_path(crate::json_path::path_at(bytes, at));
        if e.classify() == serde_json::error::Category::Eof {
            d.as_truncated()
        } else {
            d
        }
    }
}

/// Whether `message` ends as serde_json's do: ` at line L column C`.
fn ends_with_position(message: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    message
        .rsplit_once(" at line ")
        .and_then(|(_, at)| at.split_once(" column "))
        .is_some_and(|(line, column)| number(line) && number(column))
}

/// A readable message for a serde_json error, without the input itself.
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = e.to_string();
    // serde_json appends " at line L column C"; keep it, it helps find the spot.
    match e.classify() {
        Category::Eof => format!("the body ends early (truncated?): {what}"),
        Category::Syntax => format!("malformed JSON: {what}"),
        Category::Io | Category::Data => what,
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("could not decode")?;
        let mut sep = " ";
        if let Some(p) = self.page {
            write!(f, "{sep}page {p}")?;
            sep = ", ";
        }
        if let Some(i) = self.index {
            write!(f, "{sep}item {i}")?;
            sep = ", ";
        }
        if !self.path.is_empty() {
            write!(f, "{sep}field `{}`", self.path)?;
        }
        if self.page.is_none() && self.index.is_none() && self.path.is_empty() {
            f.write_str(" the response")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A listing whose links can't be followed safely.
///
/// Except for [`PaginationError::NotReady`], these are found in the `next`
/// link of a page whose body is fine: the paginator hands that page over
/// (and counts it) like any other, then ends the listing with the error
/// (see [`Paginator::error`](crate::paginate::Paginator::error)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationError {
    /// A `next` link points off the configured origin (or to `javascript:`,
    /// `data:`, …). It is not followed, so the token is not sent there.
    ForeignLink {
        /// The offending link (truncated).
        uri: String,
    },
    /// A `next` link or header can't be used (CR/LF, a `.` or `..` segment
    /// in any spelling such as `%2e%2e`, empty).
    InvalidLink {
        /// The offending link (truncated).
        uri: String,
        /// Why.
        reason: &'static str,
    },
    /// A `next` link repeats a request already made. The page that
    /// carried it was handed over.
    Cycle {
        /// The page (1-based) whose link repeated.
        page: u32,
    },
    /// More pages than the configured cap: page `max_pages` (handed over)
    /// still had a `next` link.
    PageCap {
        /// The cap.
        max_pages: u32,
    },
    /// A next page kept answering 204 "not ready".
    NotReady {
        /// The page (1-based) that was not ready.
        page: u32,
        /// How many times it said so.
        attempts: u32,
    },
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaginationError::ForeignLink { uri } => write!(
                f,
                "refused to follow a next link off the configured origin: {uri}"
            ),
            PaginationError::InvalidLink { uri, reason } => {
                write!(f, "invalid next link {uri:?}: {reason}")
            }
            PaginationError::Cycle { page } => write!(
                f,
                "page {page}'s next link repeats an earlier request (a pagination cycle)"
            ),
            PaginationError::PageCap { max_pages } => {
                write!(f, "stopped after the page cap of {max_pages} pages")
            }
            PaginationError::NotReady { page, attempts } => write!(
                f,
                "page {page} was still not ready (204) after {attempts} attempts"
            ),
        }
    }
}

impl std::error::Error for PaginationError {}

/// Shortens untrusted text for an error message.
pub(crate) fn truncate_for_message(s: &str, max_chars: usize) -> String {
    let mut out: String = s
        .chars()
        .take(max_chars)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if s.chars().count() > max_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_code_and_request_id_are_read_through_retries() {
        let http = Error::Http(
            HttpError::from_body(503, br#"{"code":"3000","description":"busy"}"#)
                .with_request_id(Some("rid-1")),
        );
        let network = Error::Network {
            message: "reset".into(),
            request_id: Some("rid-2".into()),
            path: String::new(),
        };
        let mut decode = DecodeError::new("bad").with_request_id(Some("rid-3"));
        decode.status = Some(200);
        let decode = Error::Decode(decode);
        let exhausted = |last: &Error| Error::RetriesExhausted {
            attempts: 6,
            page: 2,
            last: Box::new(last.clone()),
            budget_ms: None,
        };
        fn facts(e: &Error) -> (Option<u16>, Option<&str>, Option<&str>) {
            (e.status(), e.code(), e.request_id())
        }
        for (e, want) in [
            (&http, (Some(503), Some("3000"), Some("rid-1"))),
            (&network, (None, None, Some("rid-2"))),
            (&decode, (Some(200), None, Some("rid-3"))),
        ] {
            assert_eq!(facts(e), want, "{e}");
            assert_eq!(facts(&exhausted(e)), want, "{e}");
        }
        for e in [
            Error::Aborted,
            Error::invalid_input("x"),
            Error::Pagination(PaginationError::PageCap { max_pages: 1 }),
        ] {
            assert_eq!(facts(&e), (None, None, None), "{e}");
        }
    }

    #[test]
    fn pagination_errors_and_json_errors_read_as_sentences() {
        let cases = [
            (
                PaginationError::ForeignLink {
                    uri: "https://evil.example/x".into(),
                },
                "refused to follow a next link off the configured origin: https://evil.example/x",
            ),
            (
                PaginationError::InvalidLink {
                    uri: "a\\b".into(),
                    reason: "a backslash",
                },
                "invalid next link \"a\\\\b\": a backslash",
            ),
            (
                PaginationError::Cycle { page: 3 },
                "page 3's next link repeats an earlier request (a pagination cycle)",
            ),
            (
                PaginationError::PageCap { max_pages: 9 },
                "stopped after the page cap of 9 pages",
            ),
            (
                PaginationError::NotReady {
                    page: 2,
                    attempts: 6,
                },
                "page 2 was still not ready (204) after 6 attempts",
            ),
        ];
        for (e, text) in cases {
            assert_eq!(Error::Pagination(e).to_string(), text);
        }
        let e = DecodeError::decode::<crate::model::CustomerMonthlyUsageRecord>(b"{\"id\": ]")
            .unwrap_err();
        assert!(
            e.message
                .starts_with("malformed JSON: expected value at line 1 column 8"),
            "{e}"
        );
        let e = DecodeError::decode::<crate::model::CustomerMonthlyUsageRecord>(b"{\"id\": \"a")
            .unwrap_err();
        assert!(
            e.message
                .starts_with("the body ends early (truncated?): EOF"),
            "{e}"
        );
        assert!(e.truncated);
    }

    #[test]
    fn truncation_marks_only_what_it_cut() {
        assert_eq!(truncate_for_message("abcd", 4), "abcd");
        assert_eq!(truncate_for_message("abcde", 4), "abcd…");
        assert_eq!(truncate_for_message("a\u{7}b", 9), "a\u{FFFD}b");
    }

    #[test]
    fn a_secret_is_redacted_from_every_text_an_error_carries() {
        const T: &str = "s3cr3t-T0KEN-abc123";
        let echo = format!("Bearer {T}");
        let cut = truncate_for_message(&format!("Authorization: Bearer {T}"), 30);
        assert!(cut.ends_with('…') && !cut.contains(T), "{cut}");
        let http = HttpError {
            status: 400,
            code: Some(echo.clone()),
            description: Some(cut),
            request_id: Some(echo.clone()),
            path: format!("/v1/{T}"),
            page: false,
            json: true,
            page_number: Some(2),
        };
        let mut decode = DecodeError::new(echo.clone()).with_request_id(Some(&echo));
        decode.path = echo.clone();
        let errors = [
            Error::Http(http.clone()),
            Error::Network {
                message: echo.clone(),
                request_id: Some(echo.clone()),
                path: echo.clone(),
            },
            Error::Decode(decode),
            Error::Pagination(PaginationError::ForeignLink { uri: echo.clone() }),
            Error::Pagination(PaginationError::InvalidLink {
                uri: echo.clone(),
                reason: "r",
            }),
            Error::RetriesExhausted {
                attempts: 2,
                page: 1,
                last: Box::new(Error::Http(http)),
                budget_ms: Some(3_000),
            },
            Error::invalid_input(echo.clone()),
        ];
        for e in errors {
            let kind = e.kind();
            let r = e.clone().redacted(T);
            let all = format!("{r} {r:?}");
            assert!(!all.contains("s3cr3t-T"), "{all}");
            assert!(all.contains(REDACTED), "{all}");
            assert_eq!(r.kind(), kind);
            assert_eq!(r.status(), e.status());
            // Another secret leaves the error as it was.
            assert_eq!(e.clone().redacted("another-token"), e);
        }
        let keep = Error::Pagination(PaginationError::PageCap { max_pages: 3 });
        assert_eq!(keep.clone().redacted(T), keep);
    }

    #[test]
    fn error_bodies_are_read_leniently() {
        let cases: &[(&[u8], Option<&str>, Option<&str>)] = &[
            (
                br#"{"code":"3000","description":"Customer does not have usage data"}"#,
                Some("3000"),
                Some("Customer does not have usage data"),
            ),
            (
                br#"{"code":20002,"description":"x","data":[],"source":"PartnerFD"}"#,
                Some("20002"),
                Some("x"),
            ),
            (
                br#"{"message":"The request is invalid."}"#,
                None,
                Some("The request is invalid."),
            ),
            (
                br#"{"error":{"code":"Forbidden","message":"no"}}"#,
                Some("Forbidden"),
                Some("no"),
            ),
            (
                br#"{"code":null,"description":null}"#,
                None,
                Some(r#"{"code":null,"description":null}"#),
            ),
            (
                b"<?xml version=\"1.0\"?><Error/>",
                None,
                Some("the server sent an HTML or XML page instead of JSON"),
            ),
            (
                b"\xEF\xBB\xBF<?xml version=\"1.0\"?><Error/>",
                None,
                Some("the server sent an HTML or XML page instead of JSON"),
            ),
            (
                b"upstream connect error",
                None,
                Some("upstream connect error"),
            ),
            (b"", None, None),
            (
                b"\xff\xfe\x00garbage",
                None,
                Some("\u{FFFD}\u{FFFD}\u{FFFD}garbage"),
            ),
        ];
        for (body, code, desc) in cases {
            let e = HttpError::from_body(500, body);
            assert_eq!(
                e.code.as_deref(),
                *code,
                "{:?}",
                String::from_utf8_lossy(body)
            );
            assert_eq!(
                e.description.as_deref(),
                *desc,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    /// A proxy's HTML page gives its `<title>` (any case, trimmed), or
    /// says it was a page when the title is empty or missing.
    #[test]
    fn html_pages_give_their_title() {
        let page = "the server sent an HTML or XML page instead of JSON";
        let cases: &[(&str, &str)] = &[
            (
                "<html><head><title>502 Bad Gateway</title></head></html>",
                "502 Bad Gateway",
            ),
            (
                "<HTML><TITLE>  Service Unavailable \n</TITLE></HTML>",
                "Service Unavailable",
            ),
            ("<html><title>a</title></html>", "a"),
            ("<html><title></title><body>x</body></html>", page),
            ("<html><title>   </title></html>", page),
            ("<html></title>x<title></html>", page),
            ("<html><body>no title</body></html>", page),
        ];
        for (body, desc) in cases {
            let e = HttpError::from_body(502, body.as_bytes());
            assert_eq!(e.description.as_deref(), Some(*desc), "{body}");
            assert!(e.page, "{body}");
        }
        // Said as a page of the server's, not an answer of Partner Center's.
        let e = HttpError::from_body(502, b"<html><title>502 Bad Gateway</title></html>")
            .with_path("https://portal.example/pc/v1/customers");
        assert_eq!(
            e.to_string(),
            "the server answered 502 Bad Gateway for /pc/v1/customers with a web page titled \"502 Bad Gateway\", not Partner Center's JSON"
        );
        let e = HttpError::from_body(503, b"<html><body>busy</body></html>");
        assert_eq!(
            e.to_string(),
            "the server answered 503 Service Unavailable with a web page, not Partner Center's JSON"
        );
        assert!(!HttpError::from_body(502, br#"{"code":1,"description":"x"}"#).page);
    }

    /// The status line's reason phrase, where the status is a common one.
    #[test]
    fn messages_name_the_status() {
        let named = [
            (400, "Bad Request"),
            (401, "Unauthorized"),
            (403, "Forbidden"),
            (404, "Not Found"),
            (405, "Method Not Allowed"),
            (408, "Request Timeout"),
            (409, "Conflict"),
            (429, "Too Many Requests"),
            (500, "Internal Server Error"),
            (502, "Bad Gateway"),
            (503, "Service Unavailable"),
            (504, "Gateway Timeout"),
        ];
        for (status, reason) in named.into_iter().filter(|(s, _)| *s != 404) {
            let e = HttpError::from_body(status, b"");
            assert_eq!(
                e.to_string(),
                format!("the server answered {status} {reason}")
            );
        }
        assert_eq!(
            HttpError::from_body(418, b"").to_string(),
            "the server answered 418"
        );
        // Only a JSON body is Partner Center's to say: a proxy's plain-text
        // 401 is the server's, Partner Center's throttling JSON its own.
        assert_eq!(
            HttpError::from_body(401, b"Unauthorized: token expired").to_string(),
            "the server answered 401 Unauthorized: Unauthorized: token expired"
        );
        assert_eq!(
            HttpError::from_body(
                429,
                br#"{"statusCode":429,"message":"Rate limit is exceeded."}"#
            )
            .to_string(),
            "Partner Center answered 429 Too Many Requests: Rate limit is exceeded."
        );
        // A byte order mark before Partner Center's JSON changes nothing.
        let bom = HttpError::from_body(
            403,
            b"\xEF\xBB\xBF{\"code\":900128,\"description\":\"Denied\"}",
        );
        assert_eq!(
            bom.to_string(),
            "Partner Center answered 403 Forbidden: error 900128: Denied"
        );
    }

    #[test]
    fn long_descriptions_are_truncated() {
        let body = format!(r#"{{"code":"1","description":"{}"}}"#, "x".repeat(5000));
        let e = HttpError::from_body(400, body.as_bytes());
        assert_eq!(e.description.unwrap().chars().count(), 1025);
    }

    #[test]
    fn messages_read_well_and_drop_queries() {
        let e = HttpError::from_body(
            404,
            br#"{"code":800011,"description":"not a valid Azure subscription"}"#,
        )
        .with_request_id(Some("rid-1"))
        .with_path(
            "https://api.example/v1/customers/c/subscriptions/s/resourceusagerecords?secret=1",
        );
        assert_eq!(
            Error::Http(e).to_string(),
            "Partner Center answered 404 Not Found for /v1/customers/c/subscriptions/s/resourceusagerecords: error 800011: not a valid Azure subscription (request id rid-1)"
        );
        // A 404 without Partner Center's error code: a web server's answer
        // for a path it doesn't serve, most likely a wrong baseUrl.
        let e = HttpError::from_body(
            404,
            b"<html><title>Cannot GET /app/v1/customers</title></html>",
        )
        .with_path("https://portal.example/app/v1/customers?size=1000");
        assert_eq!(
            e.to_string(),
            "the server answered 404 Not Found for /app/v1/customers with a web page titled \"Cannot GET /app/v1/customers\", not Partner Center's JSON (no Partner Center error code: is baseUrl where Partner Center's /v1/... is served?)"
        );
    }

    #[test]
    fn network_errors_name_the_request_path() {
        let e = Error::Network {
            message: "TypeError: Failed to fetch".into(),
            request_id: None,
            path: "/pc/v1/customers".into(),
        };
        assert_eq!(
            e.to_string(),
            "network error for /pc/v1/customers: TypeError: Failed to fetch"
        );
    }
}
