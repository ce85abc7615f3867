//! The configured base URL and the safe resolution of `next` links.
//!
//! Partner Center writes relative links in three forms: `customers/…`,
//! `/customers/…` and `/v1/customers/…`. Like the official SDK, we strip a
//! leading `/`, drop a leading `v1/`, prefix `/v1/`, join to the configured
//! base, and keep the query string verbatim. An absolute link is followed only
//! on the configured origin, so the token is never sent anywhere else.

use crate::error::{truncate_for_message, Error, PaginationError};
use crate::http::{Method, Request};
use crate::model::Link;
use std::fmt;

/// Where `/v1/...` is served: the real API or the partner's proxy.
///
/// A trailing `/v1` is accepted and dropped, since every path is joined as
/// `/v1/...` (Partner Center's docs write the base URL both ways).
///
/// ```
/// use partner_usage_core::link::BaseUrl;
/// let base = BaseUrl::parse("https://portal.example/pc/").unwrap();
/// assert_eq!(base.origin(), "https://portal.example");
/// assert_eq!(base.url_for("customers/usagerecords"), "https://portal.example/pc/v1/customers/usagerecords");
/// let api = BaseUrl::parse("https://api.partnercenter.microsoft.com/v1/").unwrap();
/// assert_eq!(api.url_for("customers"), "https://api.partnercenter.microsoft.com/v1/customers");
/// assert!(BaseUrl::parse("ftp://x").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `scheme://host[:port]`, lower-cased, default port omitted.
    origin: String,
    /// The path prefix without a trailing slash (`/pc`, or empty).
    prefix: String,
}

impl BaseUrl {
    /// The real Partner Center API.
    pub const PARTNER_CENTER: &'static str = "https://api.partnercenter.microsoft.com";

    /// Parses an absolute `http` or `https` URL with an optional path prefix
    /// (no query or fragment, and no `.`/`..` segments in any spelling). A
    /// trailing `/v1` segment is dropped.
    pub fn parse(url: &str) -> Result<BaseUrl, Error> {
        let bad = |why: &str| {
            Error::invalid_input(format!(
                "base URL {:?} {why}",
                truncate_for_message(url, 100)
            ))
        };
        if url.chars().any(|c| c.is_control() || c == '\\' || c == ' ') {
            return Err(bad("contains spaces or control characters"));
        }
        let (origin, rest) = split_origin(url).ok_or_else(|| {
            bad("is not an absolute http(s) URL such as https://portal.example/pc")
        })?;
        if rest.contains(['?', '#']) {
            return Err(bad("must not have a query or fragment"));
        }
        let mut prefix = rest.trim_end_matches('/');
        if prefix.split('/').any(is_dot_segment) {
            return Err(bad("must not contain '.' or '..' segments"));
        }
        if let Some(head) = prefix
            .len()
            .checked_sub(3)
            .filter(|&i| prefix.as_bytes()[i..].eq_ignore_ascii_case(b"/v1"))
        {
            prefix = &prefix[..head];
        }
        Ok(BaseUrl {
            origin,
            prefix: prefix.to_string(),
        })
    }

    /// The origin, `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The absolute URL of `v1/{path_and_query}`.
    pub fn url_for(&self, path_and_query: &str) -> String {
        format!("{}{}/v1/{}", self.origin, self.prefix, path_and_query)
    }

    /// Whether an absolute URL is on this origin.
    ///
    /// ```
    /// use partner_usage_core::link::BaseUrl;
    /// let base = BaseUrl::parse("https://api.example").unwrap();
    /// assert!(base.is_same_origin("https://API.example:443/v1/x"));
    /// assert!(!base.is_same_origin("https://api.example.evil.com/v1/x"));
    /// assert!(!base.is_same_origin("http://api.example/v1/x"));
    /// ```
    pub fn is_same_origin(&self, url: &str) -> bool {
        split_origin(url).is_some_and(|(o, _)| o == self.origin)
    }

    /// Resolves a `next` link to the request to send (with the link's own
    /// headers only), or refuses it. Absolute links must be on the configured
    /// origin and under its path prefix; they are rebuilt from the normalised
    /// base, so the URL sent always starts with `{base}/v1/`.
    ///
    /// ```
    /// use partner_usage_core::link::BaseUrl;
    /// use partner_usage_core::model::Link;
    /// let base = BaseUrl::parse("https://api.example").unwrap();
    /// for uri in ["customers/x?seek_operation=Next", "/customers/x?seek_operation=Next",
    ///             "/v1/customers/x?seek_operation=Next"] {
    ///     let req = base.resolve(&Link::get(uri, [])).unwrap();
    ///     assert_eq!(req.url, "https://api.example/v1/customers/x?seek_operation=Next");
    /// }
    /// assert!(base.resolve(&Link::get("https://evil.example/v1/x", [])).is_err());
    /// assert!(base.resolve(&Link::get("javascript:alert(1)", [])).is_err());
    /// ```
    pub fn resolve(&self, link: &Link) -> Result<Request, PaginationError> {
        let uri = link.uri.as_str();
        let invalid = |reason| PaginationError::InvalidLink {
            uri: truncate_for_message(uri, 120),
            reason,
        };
        let foreign = || PaginationError::ForeignLink {
            uri: truncate_for_message(uri, 120),
        };
        if uri.trim().is_empty() {
            return Err(invalid("the link is empty"));
        }
        if uri.chars().any(|c| c.is_control() || c == '\\') {
            return Err(invalid(
                "the link contains control characters or backslashes",
            ));
        }
        let relative = if has_scheme(uri) {
            // Only on the configured origin, under the configured path prefix.
            if !self.is_same_origin(uri) {
                return Err(foreign());
            }
            let (_, rest) = split_origin(uri).ok_or_else(foreign)?;
            match rest.strip_prefix(self.prefix.as_str()) {
                Some(r) if r.starts_with('/') => r,
                _ => return Err(foreign()),
            }
        } else if uri.starts_with("//") {
            return Err(foreign());
        } else {
            uri
        };
        let rest = relative.strip_prefix('/').unwrap_or(relative);
        let rest = match rest.get(..3) {
            Some(v) if v.eq_ignore_ascii_case("v1/") => &rest[3..],
            _ => rest,
        };
        // A fragment is never sent: a link that differs only there is the
        // same request (and must count as a repeat of it).
        let rest = rest.split('#').next().unwrap_or(rest);
        check_path(rest).map_err(invalid)?;
        let url = self.url_for(rest);
        let method = if link.method.is_empty() {
            Method::Get
        } else {
            Method::parse(&link.method).ok_or(invalid("the link's method is not GET or POST"))?
        };
        let mut headers = Vec::with_capacity(link.headers.len());
        for h in &link.headers {
            if !is_token(&h.key) {
                return Err(invalid("a link header name is not a valid HTTP token"));
            }
            if h.key.eq_ignore_ascii_case("authorization")
                || h.key.eq_ignore_ascii_case("cookie")
                || h.key.eq_ignore_ascii_case("host")
            {
                return Err(invalid(
                    "a link header tries to set Authorization, Cookie or Host",
                ));
            }
            if h.value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
                return Err(invalid("a link header value contains CR, LF or NUL"));
            }
            // What fetch's Headers accepts: one byte per character.
            if h.value.chars().any(|c| u32::from(c) > 0xFF) {
                return Err(invalid(
                    "a link header value has characters an HTTP header can't hold",
                ));
            }
            headers.push((h.key.clone(), h.value.clone()));
        }
        Ok(Request {
            method,
            url,
            headers,
        })
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.prefix)
    }
}

/// Splits `scheme://authority/rest` into a normalised origin and the rest
/// (starting with `/`, or empty). Only http and https.
fn split_origin(url: &str) -> Option<(String, &str)> {
    let (scheme, after) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, after) = authority.split_at(close + 1);
        (host, after.strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority.as_str(), None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let authority = match port {
        None | Some("") => host.to_string(),
        Some(p) if p == default_port => host.to_string(),
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => format!("{host}:{p}"),
        Some(_) => return None,
    };
    Some((format!("{scheme}://{authority}"), rest))
}

fn has_scheme(uri: &str) -> bool {
    match uri.find(':') {
        Some(i) => {
            let s = &uri[..i];
            !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !s.contains('/')
        }
        None => false,
    }
}

/// Refuses `.`/`..` path segments, and `/` or `\\` written as `%2F` or
/// `%5C` (a proxy that decodes them would then resolve a `..` segment the
/// check never saw), in the path, not the verbatim query.
fn check_path(path_and_query: &str) -> Result<(), &'static str> {
    let path = path_and_query
        .split(['?', '#'])
        .next()
        .unwrap_or(path_and_query);
    if path.split('/').any(is_dot_segment) {
        return Err("the link has '.' or '..' path segments");
    }
    let encoded_separator = path
        .as_bytes()
        .windows(3)
        .any(|w| matches!(w, [b'%', b'2', b'f' | b'F'] | [b'%', b'5', b'c' | b'C']));
    if encoded_separator {
        return Err("the link's path has an encoded '/' or '\\'");
    }
    Ok(())
}

/// Whether a path segment is one a URL parser takes for `.` or `..`: the
/// WHATWG URL standard reads `%2e` (any case) as a dot there, so `.%2e`,
/// `%2E.` and `%2e%2e` all climb a level.
fn is_dot_segment(seg: &str) -> bool {
    // At most two dots, each one character or three.
    if seg.is_empty() || seg.len() > 6 {
        return false;
    }
    let mut rest = seg.as_bytes();
    let mut dots = 0;
    while !rest.is_empty() {
        rest = match rest {
            [b'.', tail @ ..] => tail,
            [b'%', b'2', b'e' | b'E', tail @ ..] => tail,
            _ => return false,
        };
        dots += 1;
    }
    dots <= 2
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Link;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://portal.example/pc").unwrap()
    }

    #[test]
    fn three_relative_forms_and_verbatim_query() {
        let q = "?seek_operation=Next&x=%2F%3F";
        for uri in [
            format!("customers/c/subscriptions/s/utilizations/azure{q}"),
            format!("/customers/c/subscriptions/s/utilizations/azure{q}"),
            format!("/v1/customers/c/subscriptions/s/utilizations/azure{q}"),
            format!("v1/customers/c/subscriptions/s/utilizations/azure{q}"),
        ] {
            let req = base().resolve(&Link::get(&uri, [])).unwrap();
            assert_eq!(req.method, Method::Get);
            assert_eq!(
                req.url,
                format!("https://portal.example/pc/v1/customers/c/subscriptions/s/utilizations/azure{q}")
            );
        }
    }

    #[test]
    fn absolute_links_only_on_the_origin() {
        let b = base();
        for uri in [
            "https://portal.example/pc/v1/customers?x=1",
            "HTTPS://Portal.Example:443/pc/v1/customers?x=1",
        ] {
            assert_eq!(
                b.resolve(&Link::get(uri, [])).unwrap().url,
                "https://portal.example/pc/v1/customers?x=1"
            );
        }
        for uri in [
            "https://evil.example/v1/customers",
            "https://portal.example.evil.com/v1/customers",
            "https://portal.example@evil.com/v1/customers",
            "http://portal.example/pc/v1/customers",
            "https://portal.example:8443/pc/v1/customers",
            "https://portal.example/other/v1/customers",
            "https://portal.example/pcx/v1/customers",
            "//evil.example/v1/customers",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(
                    b.resolve(&Link::get(uri, [])),
                    Err(PaginationError::ForeignLink { .. })
                ),
                "{uri}"
            );
        }
    }

    #[test]
    fn refuses_traversal_injection_and_bad_headers() {
        let b = base();
        for uri in [
            "../admin",
            "/v1/../../admin",
            "customers/%2e%2e/x",
            "a\r\nHost: x",
            "",
        ] {
            assert!(
                matches!(
                    b.resolve(&Link::get(uri, [])),
                    Err(PaginationError::InvalidLink { .. })
                ),
                "{uri:?}"
            );
        }
        let crlf = Link::get("customers", [("MS-ContinuationToken", "abc\r\nX-Evil: 1")]);
        assert!(b.resolve(&crlf).is_err());
        let auth = Link::get("customers", [("Authorization", "Bearer stolen")]);
        assert!(b.resolve(&auth).is_err());
        let bad_name = Link::get("customers", [("Bad Name", "x")]);
        assert!(b.resolve(&bad_name).is_err());
    }

    #[test]
    fn refuses_percent_encoded_dot_segments_in_every_form() {
        let b = base();
        let dots = [
            ".", "..", "%2e", "%2E", ".%2e", ".%2E", "%2e.", "%2E.", "%2e%2e", "%2E%2e", "%2e%2E",
            "%2E%2E",
        ];
        for dot in dots {
            for uri in [
                format!("customers/{dot}/{dot}/{dot}/admin/secrets"),
                format!("/customers/{dot}/x"),
                format!("/v1/{dot}/x?q=1"),
                format!("customers/{dot}"),
                format!("https://portal.example/pc/v1/customers/{dot}/{dot}/admin"),
                format!("https://portal.example/pc/{dot}/pc/v1/customers"),
            ] {
                assert!(
                    matches!(
                        b.resolve(&Link::get(&uri, [])),
                        Err(PaginationError::InvalidLink { .. })
                    ),
                    "{uri}"
                );
            }
            let base_url = format!("https://portal.example/{dot}/pc");
            assert!(BaseUrl::parse(&base_url).is_err(), "{base_url}");
        }
        // Dots elsewhere, and dot escapes in the verbatim query, are fine.
        for uri in [
            "customers/a.b/x",
            "customers/.../x",
            "customers/%2e%2e%2e/x",
            "customers/.well-known/x",
            "customers/x%2e/y%2E",
            "customers/x?path=../%2e%2e/.%2e",
        ] {
            let req = b.resolve(&Link::get(uri, [])).unwrap();
            assert_eq!(req.url, format!("https://portal.example/pc/v1/{uri}"));
        }
        assert!(BaseUrl::parse("https://portal.example/a.b/%2e%2e%2e").is_ok());
    }

    #[test]
    fn refuses_encoded_separators_in_the_path_but_not_in_the_query() {
        let b = base();
        for uri in [
            "customers/..%2F..%2Fadmin",
            "customers/..%2f..%2fadmin",
            "customers%2Fx",
            "customers/%5C..%5Cadmin",
            "customers/%5c..%5cadmin",
            "/v1/customers/x%2F..%2F..%2Fsecrets?q=1",
            "https://portal.example/pc/v1/customers/..%2Fadmin",
        ] {
            assert!(
                matches!(
                    b.resolve(&Link::get(uri, [])),
                    Err(PaginationError::InvalidLink { .. })
                ),
                "{uri}"
            );
        }
        let req = b.resolve(&Link::get("customers/x?q=%2F..%5C", [])).unwrap();
        assert_eq!(
            req.url,
            "https://portal.example/pc/v1/customers/x?q=%2F..%5C"
        );
        // Latin-1 in a header value is what fetch accepts.
        let req = b
            .resolve(&Link::get("customers", [("X-Note", "caf\u{e9}")]))
            .unwrap();
        assert_eq!(req.headers[0].1, "caf\u{e9}");
    }

    #[test]
    fn the_fragment_is_not_part_of_the_request() {
        for uri in [
            "customers/usagerecords?next#a",
            "/v1/customers/usagerecords?next#",
        ] {
            let req = base().resolve(&Link::get(uri, [])).unwrap();
            assert_eq!(
                req.url,
                "https://portal.example/pc/v1/customers/usagerecords?next"
            );
        }
    }

    #[test]
    fn continuation_token_is_sent_byte_for_byte() {
        let token = "a/b?c=d&e%2Ff==/+?&%";
        let headers = base()
            .resolve(&Link::get("customers", [("MS-ContinuationToken", token)]))
            .unwrap()
            .headers;
        assert_eq!(
            headers,
            vec![("MS-ContinuationToken".to_string(), token.to_string())]
        );
    }

    #[test]
    fn base_url_forms() {
        assert_eq!(
            BaseUrl::parse("http://127.0.0.1:8080")
                .unwrap()
                .url_for("x"),
            "http://127.0.0.1:8080/v1/x"
        );
        assert_eq!(
            BaseUrl::parse("HTTPS://API.partnercenter.microsoft.com:443/")
                .unwrap()
                .origin(),
            "https://api.partnercenter.microsoft.com"
        );
        for bad in [
            "",
            "/pc",
            "api.example",
            "https://",
            "https://a/b?c",
            "https://a/../b",
            "https://user@host",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn base_url_refuses_spaces_controls_backslashes_and_bad_ports() {
        for bad in [
            "https://portal.example/p c",
            "https://portal.example/p\\c",
            "https://portal.example/p\tc",
            "https://portal.example:80a/pc",
            "https://portal.example:-1",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn base_url_ipv6_origin_and_display() {
        let v6 = BaseUrl::parse("http://[::1]:8080/pc/").unwrap();
        assert_eq!(v6.origin(), "http://[::1]:8080");
        assert_eq!(v6.url_for("x"), "http://[::1]:8080/pc/v1/x");
        assert_eq!(
            BaseUrl::parse("https://[::1]:443").unwrap().origin(),
            "https://[::1]"
        );
        assert_eq!(v6.to_string(), "http://[::1]:8080/pc");
        assert_eq!(base().to_string(), "https://portal.example/pc");
    }

    #[test]
    fn a_colon_in_a_relative_links_query_is_not_a_scheme() {
        for uri in [
            "customers?from=2024-01-01T00:00:00Z",
            "customers?x=a:b",
            "1customers:x",
        ] {
            let req = base().resolve(&Link::get(uri, [])).unwrap();
            assert_eq!(req.url, format!("https://portal.example/pc/v1/{uri}"));
        }
    }

    #[test]
    fn refuses_every_forbidden_link_header() {
        let b = base();
        for (name, value) in [
            ("Authorization", "Bearer stolen"),
            ("cookie", "session=1"),
            ("HOST", "evil.example"),
            ("MS-ContinuationToken", "abc\rdef"),
            ("MS-ContinuationToken", "abc\ndef"),
            ("MS-ContinuationToken", "abc\0def"),
            // fetch's Headers take one byte per character: no "€".
            ("MS-ContinuationToken", "a\u{20ac}b"),
        ] {
            assert!(
                matches!(
                    b.resolve(&Link::get("customers", [(name, value)])),
                    Err(PaginationError::InvalidLink { .. })
                ),
                "{name}: {value:?}"
            );
        }
    }

    #[test]
    fn a_trailing_v1_is_the_same_base() {
        for (url, want) in [
            ("https://api.example/v1", "https://api.example/v1/customers"),
            (
                "https://api.example/V1/",
                "https://api.example/v1/customers",
            ),
            (
                "https://portal.example/pc/v1",
                "https://portal.example/pc/v1/customers",
            ),
            // Only a whole last segment named v1.
            (
                "https://portal.example/apiv1",
                "https://portal.example/apiv1/v1/customers",
            ),
            (
                "https://portal.example/v1/pc",
                "https://portal.example/v1/pc/v1/customers",
            ),
            (
                "https://portal.example/ä/v1",
                "https://portal.example/ä/v1/customers",
            ),
            (
                "https://portal.example/äv1",
                "https://portal.example/äv1/v1/customers",
            ),
        ] {
            let base = BaseUrl::parse(url).unwrap();
            assert_eq!(base.url_for("customers"), want, "{url}");
            // A next link under the base is still accepted.
            assert_eq!(
                base.resolve(&Link::get(want, [])).unwrap().url,
                want,
                "{url}"
            );
        }
    }
}
