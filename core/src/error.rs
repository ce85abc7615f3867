//! One error type for everything that can go wrong in a listing.
//!
//! Every error is a value with a clear message: the HTTP status and
//! Partner Center's error code where there is one, the request id, the JSON
//! path of a decode failure. Nothing here ever contains the bearer token: the
//! core never sees it.

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
    },
    /// A response body, or a record in it, could not be decoded.
    Decode(DecodeError),
    /// The listing's links can't be followed safely.
    Pagination(PaginationError),
    /// Retries ran out; `last` is the final failure.
    RetriesExhausted {
        /// Requests sent for this page, including the first.
        attempts: u32,
        /// The page (1-based) the listing had reached.
        page: u32,
        /// The last failure.
        last: Box<Error>,
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

    /// The HTTP status behind the error, if any (also through retries).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http(h) => Some(h.status),
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

    /// The `MS-RequestId` of the failing request, if known.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Http(h) => h.request_id.as_deref(),
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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Http(h) => h.fmt(f),
            Error::Network { message } => write!(f, "network error: {message}"),
            Error::Decode(d) => d.fmt(f),
            Error::Pagination(p) => p.fmt(f),
            Error::RetriesExhausted {
                attempts,
                page,
                last,
            } => write!(
                f,
                "gave up on page {page} after {attempts} attempts; last error: {last}"
            ),
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
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Partner Center answered {}", self.status)?;
        if let Some(reason) = reason_phrase(self.status) {
            write!(f, " {reason}")?;
        }
        if !self.path.is_empty() {
            write!(f, " for {}", self.path)?;
        }
        match (&self.code, &self.description) {
            (Some(c), Some(d)) => write!(f, ": error {c}: {d}")?,
            (Some(c), None) => write!(f, ": error {c}")?,
            (None, Some(d)) => write!(f, ": {d}")?,
            (None, None) => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
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
}

impl DecodeError {
    /// A decode error with a message.
    pub fn new(message: impl Into<String>) -> DecodeError {
        DecodeError {
            page: None,
            index: None,
            path: String::new(),
            message: message.into(),
        }
    }

    /// Sets the page number (1-based).
    pub fn at_page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Sets the item index (0-based).
    pub fn at_index(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }

    /// Sets the JSON path (`.` is the root and is not shown).
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        let p = path.into();
        self.path = if p == "." { String::new() } else { p };
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
        serde_json::from_slice(bytes).map_err(|_| Self::explain::<T>(bytes))
    }

    /// Decodes again with path tracking, only after a plain decode failed
    /// (so the fast path pays nothing for it).
    fn explain<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> DecodeError {
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(_) => DecodeError::new("invalid JSON"),
            Err(e) => {
                let path = e.path().to_string();
                DecodeError::new(describe_json_error(e.inner())).with_path(path)
            }
        }
    }
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationError {
    /// A `next` link points off the configured origin (or to `javascript:`,
    /// `data:`, …). It is not followed, so the token is not sent there.
    ForeignLink {
        /// The offending link (truncated).
        uri: String,
    },
    /// A `next` link or header can't be used (CR/LF, `..`, empty).
    InvalidLink {
        /// The offending link (truncated).
        uri: String,
        /// Why.
        reason: &'static str,
    },
    /// A `next` link repeats a request already made.
    Cycle {
        /// The page (1-based) whose link repeated.
        page: u32,
    },
    /// More pages than the configured cap.
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
