//! URL parsing and routing: `(method, url, headers)` → handler.

use super::data::{Customer, Subscription};
use super::reply::{error, message, Code, Reply};
use super::{listings, utilization, Simulator};
use crate::http::{headers, Method, Request};
use crate::time::Timestamp;

/// A parsed request URL: decoded path segments and query pairs.
#[derive(Debug)]
pub(crate) struct Url {
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    /// The raw path, for messages.
    pub(crate) path: String,
}

impl Url {
    /// The first value of a query parameter (names are case-insensitive,
    /// as ASP.NET binds them).
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes; `plus` turns `+` into a space (query strings).
pub(crate) fn percent_decode(s: &str, plus: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hi = hex(*b.get(i + 1)?)?;
                let lo = hex(*b.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 3;
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Parses an absolute URL or an origin-relative path.
pub(crate) fn parse_url(url: &str) -> Option<Url> {
    let mut rest = url;
    if let Some(i) = rest.find("://") {
        if rest[..i]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+')
        {
            let after = &rest[i + 3..];
            rest = match after.find(['/', '?', '#']) {
                Some(j) => &after[j..],
                None => "/",
            };
        }
    }
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, q),
        None => (rest, ""),
    };
    let path = if path.is_empty() { "/" } else { path };
    if !path.starts_with('/') {
        return None;
    }
    let mut segments = Vec::new();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        segments.push(percent_decode(seg, false)?);
    }
    let mut pairs = Vec::new();
    for part in query.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        pairs.push((percent_decode(k, true)?, percent_decode(v, true)?));
    }
    Some(Url {
        segments,
        query: pairs,
        path: path.to_string(),
    })
}

/// The routes of the simulated API.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Customers,
    UsageRecords,
    Customer(String),
    Subscriptions(String),
    Subscription(String, String),
    ResourceUsage(String, String),
    Utilization(String, String),
}

fn route(segs: &[String]) -> Option<Route> {
    let is = |i: usize, lit: &str| segs.get(i).is_some_and(|s| s.eq_ignore_ascii_case(lit));
    if !is(0, "v1") || !is(1, "customers") {
        return None;
    }
    let s = |i: usize| segs[i].clone();
    Some(match segs.len() {
        2 => Route::Customers,
        3 if is(2, "usagerecords") => Route::UsageRecords,
        3 => Route::Customer(s(2)),
        4 if is(3, "subscriptions") => Route::Subscriptions(s(2)),
        5 if is(3, "subscriptions") => Route::Subscription(s(2), s(4)),
        6 if is(3, "subscriptions") && is(5, "resourceusagerecords") => {
            Route::ResourceUsage(s(2), s(4))
        }
        7 if is(3, "subscriptions") && is(5, "utilizations") && is(6, "azure") => {
            Route::Utilization(s(2), s(4))
        }
        _ => return None,
    })
}

/// What a handler needs from the request.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub(crate) sim: &'a Simulator,
    pub(crate) url: Url,
    /// `MS-ContinuationToken`, if sent and non-empty.
    pub(crate) token: Option<&'a str>,
    /// The request's wall clock (see [`Simulator::handle_at`]).
    pub(crate) wall_clock: Timestamp,
}

fn not_found_customer(id: &str) -> Reply {
    let mut d = String::from("Customer ");
    d.push_str(id);
    d.push_str(" was not found.");
    error(404, Code::Num(20002), &d)
}

pub(crate) fn not_valid_subscription(status: u16, id: &str) -> Reply {
    let mut d = String::from("Subscription ");
    d.push_str(id);
    d.push_str(" is not a valid Azure subscription.");
    error(status, Code::Num(800011), &d)
}

fn find_customer<'s>(sim: &'s Simulator, id: &str) -> Result<&'s Customer, Reply> {
    sim.customer(id).ok_or_else(|| not_found_customer(id))
}

fn find_sub<'s>(c: &'s Customer, id: &str) -> Result<&'s Subscription, Reply> {
    c.subscriptions
        .iter()
        .find(|s| s.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| not_valid_subscription(404, id))
}

/// A bearer token that gets 401, as an expired token does.
pub const EXPIRED_TOKEN: &str = "expired";
/// A bearer token that stands for app-only credentials: 403 from the
/// listings that need app+user credentials.
pub const APP_ONLY_TOKEN: &str = "app-only";

/// Checks `Authorization: Bearer <token>`: any token is valid but three.
/// `expired` gets 401 as an expired token does (a client asks for a fresh
/// one), the configured forbidden token 403 everywhere, and `app-only` 403
/// where Partner Center accepts only app+user credentials (the seeds of
/// customer usage records and resource usage records): an app-only token
/// works for the customers and subscriptions lists and utilization.
fn authorize(sim: &Simulator, req: &Request, route: &Route) -> Result<(), Reply> {
    let value = req.header("Authorization").unwrap_or("").trim();
    let token = match value.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("Bearer") => t.trim(),
        _ => "",
    };
    if token.is_empty() {
        return Err(error(
            401,
            Code::Str("Unauthorized"),
            "Authorization has been denied for this request. Send a Partner Center access token as 'Authorization: Bearer <token>'.",
        )
        .with_header("WWW-Authenticate", "Bearer"));
    }
    if token == sim.config().forbidden_token {
        return Err(error(
            403,
            Code::Str("Forbidden"),
            "The caller is authenticated but not authorized to access this resource. App+user (delegated) credentials are required.",
        ));
    }
    if token == EXPIRED_TOKEN {
        return Err(error(
            401,
            Code::Str("Unauthorized"),
            "Authorization has been denied for this request. The access token has expired.",
        )
        .with_header(
            "WWW-Authenticate",
            "Bearer error=\"invalid_token\", error_description=\"The access token has expired\"",
        ));
    }
    let app_user_only = matches!(route, Route::UsageRecords | Route::ResourceUsage(..));
    if token == APP_ONLY_TOKEN && app_user_only {
        return Err(error(
            403,
            Code::Str("Forbidden"),
            "This operation supports app+user (delegated) credentials only; the token is an app-only token.",
        ));
    }
    Ok(())
}

/// Routes a request to its handler.
pub(crate) fn dispatch(sim: &Simulator, req: &Request, wall_clock: Timestamp) -> Reply {
    let Some(url) = parse_url(&req.url) else {
        return message(400, "The request is invalid.");
    };
    let Some(r) = route(&url.segments) else {
        let mut m = String::from("No HTTP resource was found that matches the request URI '");
        m.extend(url.path.chars().take(200));
        m.push_str("'.");
        return message(404, &m);
    };
    if req.method != Method::Get {
        let mut m = String::from("The requested resource does not support http method '");
        m.push_str(req.method.as_str());
        m.push_str("'.");
        return message(405, &m).with_header("Allow", "GET");
    }
    if let Err(e) = authorize(sim, req, &r) {
        return e;
    }
    let token = req
        .header(headers::CONTINUATION_TOKEN)
        .filter(|t| !t.is_empty());
    let ctx = Ctx {
        sim,
        url,
        token,
        wall_clock,
    };
    let sub_of = |c: &str, s: &str| find_customer(sim, c).and_then(|c| Ok((c, find_sub(c, s)?)));
    let mut reply = match &r {
        Route::Customers => listings::customers(&ctx),
        Route::UsageRecords => listings::usage_records(&ctx),
        Route::Customer(c) => {
            find_customer(sim, c).map_or_else(|e| e, |c| listings::customer(&ctx, c))
        }
        Route::Subscriptions(c) => {
            find_customer(sim, c).map_or_else(|e| e, |c| listings::subscriptions(&ctx, c))
        }
        Route::Subscription(c, s) => {
            sub_of(c, s).map_or_else(|e| e, |(c, s)| listings::subscription(&ctx, c, s))
        }
        Route::ResourceUsage(c, s) => {
            sub_of(c, s).map_or_else(|e| e, |(c, s)| listings::resource_usage(&ctx, c, s))
        }
        Route::Utilization(c, s) => {
            sub_of(c, s).map_or_else(|e| e, |(c, s)| utilization::utilization(&ctx, c, s))
        }
    };
    // Only utilization's next pages answer 204 "not ready" (the digest's
    // error table); the other listings' next pages are there or fail.
    reply.next_page = ctx.token.is_some() && matches!(r, Route::Utilization(..));
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = parse_url("https://api.partnercenter.microsoft.com/v1/customers?size=40&x=a+b%2Fc")
            .unwrap();
        assert_eq!(u.segments, ["v1", "customers"]);
        assert_eq!(u.param("SIZE"), Some("40"));
        assert_eq!(u.param("x"), Some("a b/c"));
        let u = parse_url("/v1/customers/a%20b/?#frag").unwrap();
        assert_eq!(u.segments, ["v1", "customers", "a b"]);
        assert!(u.query.is_empty());
        assert!(parse_url("/v1/customers/%zz").is_none());
        assert!(parse_url("/v1/customers?size=%").is_none());
        assert!(parse_url("/v1/%ff%fe").is_none(), "invalid UTF-8");
        // Escapes in either case; `+` is a space in the query only.
        let u = parse_url("/v1/a%2fb%2F%c3%A9+c?q=%c3%a9+d").unwrap();
        assert_eq!(u.segments, ["v1", "a/b/é+c"]);
        assert_eq!(u.param("q"), Some("é d"));
        assert!(parse_url("v1/customers").is_none());
        assert_eq!(parse_url("http://host").unwrap().segments.len(), 0);
        assert_eq!(parse_url("http://host?x=1").unwrap().param("x"), Some("1"));
        // A "://" after the path is not a scheme's.
        let u = parse_url("/v1/customers?next=https://x/y").unwrap();
        assert_eq!(u.segments, ["v1", "customers"]);
        assert_eq!(u.param("next"), Some("https://x/y"));
    }

    #[test]
    fn routes() {
        let r = |p: &str| {
            let u = parse_url(p).unwrap();
            route(&u.segments).map(|r| format!("{r:?}"))
        };
        assert_eq!(r("/v1/customers").as_deref(), Some("Customers"));
        assert_eq!(
            r("/V1/Customers/UsageRecords").as_deref(),
            Some("UsageRecords")
        );
        assert_eq!(
            r("/v1/customers/c/subscriptions/s/utilizations/azure").as_deref(),
            Some("Utilization(\"c\", \"s\")")
        );
        assert_eq!(r("/v1/customers/c/subscriptions/s/utilizations"), None);
        // Every literal segment counts, at every depth.
        for p in [
            "/v1/customers/c/other",
            "/v1/customers/c/other/s",
            "/v1/customers/c/other/s/resourceusagerecords",
            "/v1/customers/c/subscriptions/s/other",
            "/v1/customers/c/other/s/utilizations/azure",
            "/v1/customers/c/subscriptions/s/other/azure",
            "/v1/customers/c/subscriptions/s/utilizations/other",
        ] {
            assert_eq!(r(p), None, "{p}");
        }
        assert_eq!(r("/v2/customers"), None);
        assert_eq!(r("/"), None);
    }
}
