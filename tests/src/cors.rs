//! CORS for the simulator and the proxy: every call sends `Authorization`
//! and `MS-*` headers, so browsers always preflight.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};

/// Request headers always allowed by a preflight answer.
pub const ALLOWED_HEADERS: &[&str] = &[
    "Authorization",
    "Accept",
    "MS-RequestId",
    "MS-CorrelationId",
    "MS-ContinuationToken",
    "MS-CV",
    "X-Locale",
    "Content-Type",
];

/// Response headers a page may read.
pub const EXPOSED_HEADERS: &str = "Retry-After, MS-RequestId, MS-CorrelationId, MS-CV, MS-ServerId";

/// The `Access-Control-Allow-Headers` value for a preflight that asked for
/// `requested`: the fixed list plus any requested `MS-*` header.
///
/// ```
/// let v = partner_usage_tests::cors::allow_headers(Some("authorization, ms-foo, x-evil"));
/// assert!(v.contains("ms-foo") && v.contains("Authorization") && !v.contains("x-evil"));
/// ```
pub fn allow_headers(requested: Option<&str>) -> String {
    let mut out: Vec<String> = ALLOWED_HEADERS.iter().map(|s| s.to_string()).collect();
    for h in requested.unwrap_or("").split(',') {
        let h = h.trim();
        let is_ms = h.len() > 3 && h[..3].eq_ignore_ascii_case("ms-");
        let valid = h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if is_ms && valid && !out.iter().any(|o| o.eq_ignore_ascii_case(h)) {
            out.push(h.to_string());
        }
    }
    out.join(", ")
}

/// Answers a preflight `OPTIONS` request with 204.
pub fn preflight(requested_headers: Option<&str>, control: bool) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::NO_CONTENT;
    let h = r.headers_mut();
    let methods = if control {
        "GET, POST, OPTIONS"
    } else {
        "GET, OPTIONS"
    };
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
    );
    if let Ok(v) = HeaderValue::from_str(&allow_headers(requested_headers)) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v);
    }
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    r
}

/// Adds the headers every response carries.
pub fn decorate(h: &mut HeaderMap) {
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
}
