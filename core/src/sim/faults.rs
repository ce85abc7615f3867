//! Fault injection, seeded by `(seed, request number)`.
//!
//! A fault replaces or damages one response; it never changes the data, so
//! the same request sent again returns exactly the page it would have.

use super::json::http_date;
use super::reply::{error, Code, Reply};
use super::rng::{hash, unit};
use super::SimConfig;

const T_FAULT: u64 = 0xFA17;

/// A fault the simulator injected into a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// 429 with `Retry-After` in seconds and the throttling body.
    Throttled,
    /// 500 or 503 with an error body.
    ServerError,
    /// 204 "not ready" on a next page of utilization records, with `Retry-After` as an HTTP-date.
    NotReady,
    /// The normal response, after an extra delay (in [`SimResponse::delay_ms`](super::SimResponse::delay_ms)).
    Delay,
    /// The normal status and headers, with the body cut mid-JSON.
    Truncated,
    /// No response at all: the server closes the connection.
    DropConnection,
}

impl Fault {
    /// A short name for logs: `throttled`, `server-error`, `not-ready`,
    /// `delay`, `truncated` or `drop`.
    ///
    /// ```
    /// use partner_usage_core::sim::Fault;
    /// assert_eq!(Fault::Throttled.as_str(), "throttled");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Throttled => "throttled",
            Fault::ServerError => "server-error",
            Fault::NotReady => "not-ready",
            Fault::Delay => "delay",
            Fault::Truncated => "truncated",
            Fault::DropConnection => "drop",
        }
    }

    /// Every fault, in the order of [`Fault::as_str`]'s list.
    pub const ALL: [Fault; 6] = [
        Fault::Throttled,
        Fault::ServerError,
        Fault::NotReady,
        Fault::Delay,
        Fault::Truncated,
        Fault::DropConnection,
    ];

    /// The fault of a [short name](Fault::as_str).
    ///
    /// ```
    /// use partner_usage_core::sim::Fault;
    /// assert_eq!(Fault::from_name("truncated"), Some(Fault::Truncated));
    /// assert_eq!(Fault::from_name("oops"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Fault> {
        Fault::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// Decides whether request number `n` gets a fault, and which: from
/// [`SimConfig::faults`] when it names some (a kind that can't apply to this
/// request, "not ready" on a first page or a cut body without one, means no
/// fault), else from the usual mix.
pub(crate) fn roll(cfg: &SimConfig, n: u64, next_page: bool, has_body: bool) -> Option<Fault> {
    if cfg.fault_rate <= 0.0 || unit(hash(&[cfg.seed, T_FAULT, n])) >= cfg.fault_rate {
        return None;
    }
    let pick = hash(&[cfg.seed, T_FAULT, n, 1]);
    if !cfg.faults.is_empty() {
        let f = cfg.faults[(pick % cfg.faults.len() as u64) as usize];
        return match f {
            Fault::NotReady if !next_page => None,
            Fault::Truncated if !has_body => None,
            f => Some(f),
        };
    }
    let f = match pick % 100 {
        0..=29 => Fault::Throttled,
        30..=49 => Fault::ServerError,
        50..=64 if next_page => Fault::NotReady,
        50..=64 => Fault::Throttled,
        65..=79 => Fault::Delay,
        80..=89 if has_body => Fault::Truncated,
        80..=89 => Fault::Delay,
        _ => Fault::DropConnection,
    };
    Some(f)
}

/// Applies a fault to a response; returns extra delay in milliseconds.
pub(crate) fn apply(cfg: &SimConfig, n: u64, f: Fault, reply: &mut Reply, wall_secs: i64) -> u32 {
    let r = hash(&[cfg.seed, T_FAULT, n, 2]);
    let after = u64::from(cfg.retry_after_secs) + r % 2;
    match f {
        Fault::Throttled => {
            let mut body = String::from(
                "{\"statusCode\":429,\"message\":\"Rate limit is exceeded. Try again in ",
            );
            body.push_str(&after.to_string());
            body.push_str(" seconds.\"}");
            *reply =
                Reply::json(429, body.into_bytes()).with_header("Retry-After", &after.to_string());
            0
        }
        Fault::ServerError => {
            *reply = if r % 3 == 0 {
                error(
                    503,
                    Code::Str("ServiceUnavailable"),
                    "The service is temporarily unavailable. Please retry.",
                )
                .with_header("Retry-After", &after.to_string())
            } else {
                error(
                    500,
                    Code::Num(500),
                    "An unexpected error occurred while processing the request. The caller may retry.",
                )
            };
            0
        }
        Fault::NotReady => {
            let at = wall_secs + i64::from(cfg.retry_after_secs.max(1));
            *reply = Reply::json(204, Vec::new()).with_header("Retry-After", &http_date(at));
            0
        }
        Fault::Delay => 100 + (r % 300) as u32,
        Fault::Truncated => {
            let len = reply.body.len();
            // Somewhere in the middle, never the whole body.
            let cut = (len / 4 + (r as usize) % (len / 2 + 1)).min(len.saturating_sub(1));
            reply.body.truncate(cut);
            0
        }
        Fault::DropConnection => {
            *reply = Reply::json(0, Vec::new());
            0
        }
    }
}
