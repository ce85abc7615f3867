//! Proxy mode: the same-origin backend a partner portal would run.
//!
//! Only `GET /v1/...` is forwarded, path and query verbatim. The page's
//! `Authorization` is dropped and replaced by the server's own token (from
//! `PARTNER_CENTER_TOKEN`), which is never logged and never sent anywhere
//! but the configured upstream (redirects are not followed).

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use std::time::Duration;

/// The upstream to forward to.
#[derive(Clone)]
pub struct Upstream {
    /// Origin such as `https://api.partnercenter.microsoft.com` (no trailing slash).
    pub base: String,
    /// The bearer token sent upstream.
    pub token: String,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("base", &self.base)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Upstream {
    /// Validates the upstream URL (`http` or `https`, no path, query or
    /// credentials) and pairs it with a token.
    ///
    /// ```
    /// use partner_usage_tests::proxy::Upstream;
    /// assert!(Upstream::new("https://api.partnercenter.microsoft.com/", "t").is_ok());
    /// assert!(Upstream::new("ftp://x", "t").is_err());
    /// assert!(Upstream::new("https://x/v1", "t").is_err());
    /// assert!(Upstream::new("https://x", "").is_err());
    /// ```
    pub fn new(url: &str, token: &str) -> Result<Upstream, String> {
        let base = url.trim_end_matches('/');
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or_else(|| format!("upstream must be an http(s) URL: {base}"))?;
        if rest.is_empty() || rest.contains(['/', '?', '#', '@']) {
            return Err(format!(
                "upstream must be an origin like https://api.partnercenter.microsoft.com: {base}"
            ));
        }
        if token.trim().is_empty() {
            return Err("PARTNER_CENTER_TOKEN is empty".to_string());
        }
        Ok(Upstream {
            base: base.to_string(),
            token: token.trim().to_string(),
        })
    }
}

/// The upstream HTTP client: no redirects, bounded time.
pub fn client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .build()
}

/// Whether a request header is forwarded upstream.
///
/// ```
/// use partner_usage_tests::proxy::forwards_header;
/// assert!(forwards_header("MS-ContinuationToken") && forwards_header("accept"));
/// assert!(!forwards_header("authorization") && !forwards_header("cookie"));
/// ```
pub fn forwards_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("ms-") || n == "accept" || n == "x-locale"
}

/// Response headers passed back to the page.
const BACK: &[&str] = &[
    "content-type",
    "retry-after",
    "ms-requestid",
    "ms-correlationid",
    "ms-cv",
    "ms-serverid",
];

fn error(status: StatusCode, message: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(
        serde_json::json!({ "code": status.as_u16(), "description": message, "data": [], "source": "pc-sim-proxy" })
            .to_string(),
    ));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// Forwards one `GET /v1/...` request.
pub async fn forward(
    client: &reqwest::Client,
    up: &Upstream,
    req: Request<Body>,
) -> Response<Body> {
    if req.method() != Method::GET {
        let mut r = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET is forwarded to Partner Center.",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET"));
        return r;
    }
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    if !(target == "/v1" || target.starts_with("/v1/") || target.starts_with("/v1?")) {
        return error(StatusCode::NOT_FOUND, "Not found.");
    }
    let mut out = client.get(format!("{}{}", up.base, target));
    for (k, v) in req.headers() {
        if forwards_header(k.as_str()) {
            out = out.header(k.as_str(), v.as_bytes());
        }
    }
    out = out.header(header::AUTHORIZATION, format!("Bearer {}", up.token));
    let res = match out.send().await {
        Ok(r) => r,
        Err(e) => {
            let kind = if e.is_timeout() {
                "timed out"
            } else {
                "failed"
            };
            return error(
                StatusCode::BAD_GATEWAY,
                &format!("The request to Partner Center {kind}."),
            );
        }
    };
    let status = res.status().as_u16();
    let mut headers = Vec::new();
    for (k, v) in res.headers() {
        if BACK.contains(&k.as_str()) {
            headers.push((k.clone(), v.clone()));
        }
    }
    let body = match res.bytes().await {
        Ok(b) => b,
        Err(_) => {
            return error(
                StatusCode::BAD_GATEWAY,
                "The response from Partner Center was cut short.",
            )
        }
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (k, v) in headers {
        r.headers_mut().append(k, v);
    }
    r
}
