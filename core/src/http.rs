//! Transport-neutral HTTP request and response descriptions.
//!
//! The core never performs I/O. A paginator hands the driver a [`Request`];
//! the driver sends it with whatever client it has (`fetch` through web-sys in the browser,
//! reqwest in native tests, the in-process simulator) and hands back a
//! [`Response`] that borrows the status, headers and body bytes.

use std::fmt;

/// An HTTP method. Partner Center's `links.next.method` is always `GET` in
/// practice, but the link's method is followed as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// The method's name as sent on the wire.
    ///
    /// ```
    /// use partner_usage_core::http::Method;
    /// assert_eq!(Method::Get.as_str(), "GET");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// Parses a method name case-insensitively. Only `GET` and `POST` exist here.
    ///
    /// ```
    /// use partner_usage_core::http::Method;
    /// assert_eq!(Method::parse("get"), Some(Method::Get));
    /// assert_eq!(Method::parse("DELETE"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Method> {
        if s.eq_ignore_ascii_case("GET") {
            Some(Method::Get)
        } else if s.eq_ignore_ascii_case("POST") {
            Some(Method::Post)
        } else {
            None
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request the driver must send.
///
/// It never contains the bearer token: the driver adds `Authorization` itself,
/// and only to requests built by a paginator, whose URLs are guaranteed to be
/// on the configured origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The absolute URL, on the configured origin.
    pub url: String,
    /// Headers to send, in order (e.g. `Accept`, `MS-RequestId`,
    /// `MS-CorrelationId`, `MS-ContinuationToken`). Values are sent byte for byte.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The value of the first header named `name` (case-insensitive).
    ///
    /// ```
    /// use partner_usage_core::http::{Method, Request};
    /// let r = Request { method: Method::Get, url: "https://x/v1/a".into(),
    ///     headers: vec![("MS-RequestId".into(), "abc".into())] };
    /// assert_eq!(r.header("ms-requestid"), Some("abc"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

/// A response handed back to the core. It borrows everything from the driver.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers (names in any case).
    pub headers: &'a [(String, String)],
    /// The body bytes, undecoded.
    pub body: &'a [u8],
}

impl<'a> Response<'a> {
    /// The value of the first header named `name` (case-insensitive).
    ///
    /// ```
    /// use partner_usage_core::http::Response;
    /// let headers = vec![("Retry-After".to_string(), "5".to_string())];
    /// let r = Response { status: 429, headers: &headers, body: b"" };
    /// assert_eq!(r.header("retry-after"), Some("5"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&'a str> {
        header_value(self.headers, name)
    }
}

/// Finds a header value by case-insensitive name.
pub(crate) fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Header names used by Partner Center.
pub mod headers {
    /// Idempotency id of one request; kept when the request is retried.
    pub const REQUEST_ID: &str = "MS-RequestId";
    /// Ties together all requests of one listing.
    pub const CORRELATION_ID: &str = "MS-CorrelationId";
    /// The opaque continuation token of a `next` link.
    pub const CONTINUATION_TOKEN: &str = "MS-ContinuationToken";
    /// Seconds or an HTTP-date.
    pub const RETRY_AFTER: &str = "Retry-After";
    /// Always `application/json`.
    pub const ACCEPT: &str = "Accept";
}
