//! Retry policy as pure logic: which responses to retry, and when.
//!
//! * 429, 408, 500, 502, 503, 504 and transport errors are retried, at most
//!   [`RetryConfig::max_retries`] times per request, within a total waiting
//!   budget of [`RetryConfig::max_total_delay_ms`] per listing.
//! * The wait honours `Retry-After` (seconds or an HTTP-date): never shorter,
//!   up to 10 % longer to spread the herd, unless it is above
//!   [`RetryConfig::max_delay_ms`], which caps every wait (an interactive
//!   client would rather ask again than wait minutes). Without `Retry-After`
//!   it is capped exponential backoff with full jitter.
//! * 401 asks the driver for a fresh token, once per page (see the paginator).
//! * Every other 4xx fails at once.
//!
//! Time and randomness are parameters: `now` is Unix milliseconds from the
//! driver's wall clock, and jitter comes from a seeded generator, so every
//! decision is reproducible in tests.

use crate::http::Response;
use crate::time::{days_from_civil, Timestamp};
use serde::Deserialize;

/// Retry limits. The defaults suit an interactive dashboard: a wait is never
/// longer than a minute, even when `Retry-After` asks for more (the retry
/// then goes out early, and may be throttled again). A batch job that can
/// wait as long as the server asks raises the caps:
///
/// ```
/// use partner_usage_core::retry::RetryConfig;
/// let batch = RetryConfig::default()
///     .delays(500, 15 * 60_000) // honour a Retry-After of up to 15 minutes
///     .max_total_delay_ms(60 * 60_000); // and wait up to an hour per listing
/// assert_eq!(batch.max_delay_ms, 900_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Retries per request after the first attempt (default 5).
    pub max_retries: u32,
    /// The first backoff step in ms (default 500).
    pub base_delay_ms: u64,
    /// The largest single wait in ms, jitter included, also applied to
    /// `Retry-After` (default 60 000).
    pub max_delay_ms: u64,
    /// The most time one listing may spend waiting to retry, in ms (default 300 000).
    pub max_total_delay_ms: u64,
    /// How often a next page may answer 204 "not ready" (default 5).
    pub max_not_ready: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 5,
            base_delay_ms: 500,
            max_delay_ms: 60_000,
            max_total_delay_ms: 300_000,
            max_not_ready: 5,
        }
    }
}

impl RetryConfig {
    /// Sets the retries per request.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the first backoff step and the cap of one wait; a cap below the
    /// first step is raised to it.
    ///
    /// ```
    /// use partner_usage_core::retry::RetryConfig;
    /// let c = RetryConfig::default().delays(800, 100);
    /// assert_eq!((c.base_delay_ms, c.max_delay_ms), (800, 800));
    /// ```
    #[must_use]
    pub fn delays(mut self, base_ms: u64, max_ms: u64) -> Self {
        self.base_delay_ms = base_ms;
        self.max_delay_ms = max_ms.max(base_ms);
        self
    }

    /// Sets the total waiting budget of one listing.
    #[must_use]
    pub fn max_total_delay_ms(mut self, ms: u64) -> Self {
        self.max_total_delay_ms = ms;
        self
    }

    /// Sets how often a next page may answer 204 "not ready".
    #[must_use]
    pub fn max_not_ready(mut self, n: u32) -> Self {
        self.max_not_ready = n;
        self
    }
}

/// What a status code calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    /// 2xx other than 204.
    Success,
    /// 204 No Content.
    NoContent,
    /// 401: refresh the token (once per page).
    Unauthorized,
    /// Throttled or a transient server failure: retry.
    Transient,
    /// Any other error: fail.
    Fatal,
}

/// Classifies a status code.
///
/// ```
/// use partner_usage_core::retry::{classify, StatusClass};
/// assert_eq!(classify(429), StatusClass::Transient);
/// assert_eq!(classify(503), StatusClass::Transient);
/// assert_eq!(classify(404), StatusClass::Fatal);
/// assert_eq!(classify(204), StatusClass::NoContent);
/// ```
pub fn classify(status: u16) -> StatusClass {
    match status {
        204 => StatusClass::NoContent,
        200..=299 => StatusClass::Success,
        401 => StatusClass::Unauthorized,
        408 | 429 | 500 | 502 | 503 | 504 => StatusClass::Transient,
        _ => StatusClass::Fatal,
    }
}

/// The wait a `Retry-After` header asks for, in ms from `now_ms`: either
/// delta-seconds or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in
/// the past means 0. Unparseable values, and HTTP-dates outside the years 1
/// to 9999, give `None`.
///
/// ```
/// use partner_usage_core::retry::parse_retry_after;
/// assert_eq!(parse_retry_after("57", 0), Some(57_000));
/// let now = 1_445_412_470_000; // 2015-10-21T07:27:50Z
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(10_000));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now_ms: i64) -> Option<u64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            v.parse::<u64>()
                .unwrap_or(u64::MAX / 1000)
                .saturating_mul(1000),
        );
    }
    let at = parse_http_date(v)?;
    Some(u64::try_from(at.unix_millis().saturating_sub(now_ms)).unwrap_or(0))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), also without the
/// weekday, and RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`). Years outside
/// 1 to 9999 are refused.
fn parse_http_date(s: &str) -> Option<Timestamp> {
    let s = match s.split_once(", ") {
        Some((_, rest)) => rest,
        None => s,
    };
    let mut parts = s.split([' ', '-']).filter(|p| !p.is_empty());
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| month.eq_ignore_ascii_case(m))? as u32
        + 1;
    let year_text = parts.next()?;
    let mut year: i32 = year_text.parse().ok()?;
    if year_text.len() <= 2 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    if !(1..=9999).contains(&year) {
        return None;
    }
    let mut hms = parts.next()?.split(':');
    let h: i64 = hms.next()?.parse().ok()?;
    let m: i64 = hms.next()?.parse().ok()?;
    let sec: i64 = hms.next()?.parse().ok()?;
    let zone = parts.next()?;
    if !(zone.eq_ignore_ascii_case("GMT") || zone.eq_ignore_ascii_case("UTC")) {
        return None;
    }
    if !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec;
    Some(Timestamp::from_unix(secs, 0))
}

/// A small, fast, seedable generator (SplitMix64) for jitter and request ids.
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    /// A generator from a seed. The driver seeds it (from `crypto.getRandomValues`
    /// in the browser); tests use fixed seeds.
    pub fn new(seed: u64) -> Jitter {
        Jitter(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in `0..=max`.
    pub fn up_to(&mut self, max: u64) -> u64 {
        if max == u64::MAX {
            self.next_u64()
        } else {
            self.next_u64() % (max + 1)
        }
    }

    /// A random (version 4) UUID, for `MS-RequestId` and `MS-CorrelationId`.
    ///
    /// ```
    /// use partner_usage_core::retry::Jitter;
    /// let id = Jitter::new(1).uuid();
    /// assert_eq!(id.len(), 36);
    /// assert_eq!(&id[14..15], "4");
    /// ```
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
        let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0xFFFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        )
    }
}

/// The retry bookkeeping of one listing.
#[derive(Debug, Clone)]
pub struct RetryState {
    config: RetryConfig,
    jitter: Jitter,
    /// Retries of the current request.
    attempt: u32,
    /// 204 "not ready" answers for the current page.
    not_ready: u32,
    /// Time spent (scheduled) waiting, in ms.
    waited_ms: u64,
    /// Retries over the whole listing.
    total_retries: u32,
}

/// Whether to retry, and after how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this many ms, then send the same request again.
    RetryAfter(u64),
    /// Give up: retries or the waiting budget are spent.
    GiveUp,
}

impl RetryState {
    /// Fresh bookkeeping.
    pub fn new(config: RetryConfig, seed: u64) -> RetryState {
        RetryState {
            config,
            jitter: Jitter::new(seed),
            attempt: 0,
            not_ready: 0,
            waited_ms: 0,
            total_retries: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &RetryConfig {
        &self.config
    }

    /// The generator, shared for request ids.
    pub fn jitter(&mut self) -> &mut Jitter {
        &mut self.jitter
    }

    /// Decides about a transient failure of the current request, given the
    /// server's `Retry-After` wait (if any).
    ///
    /// ```
    /// use partner_usage_core::retry::{Decision, RetryConfig, RetryState};
    /// let mut r = RetryState::new(RetryConfig::default().max_retries(2), 7);
    /// // Never sooner than Retry-After, with up to 10 % jitter on top.
    /// assert!(matches!(r.on_transient(Some(3_000)), Decision::RetryAfter(ms) if (3_000..=3_300).contains(&ms)));
    /// assert!(matches!(r.on_transient(None), Decision::RetryAfter(ms) if ms <= 1_000));
    /// assert_eq!(r.on_transient(None), Decision::GiveUp);
    /// ```
    pub fn on_transient(&mut self, retry_after_ms: Option<u64>) -> Decision {
        if self.attempt >= self.config.max_retries {
            return Decision::GiveUp;
        }
        let delay = self.delay(retry_after_ms);
        self.schedule(delay)
    }

    /// Decides about a 204 "not ready" on a next page.
    pub fn on_not_ready(&mut self, retry_after_ms: Option<u64>) -> Decision {
        if self.not_ready >= self.config.max_not_ready {
            return Decision::GiveUp;
        }
        let delay = self.delay(retry_after_ms);
        let d = self.schedule(delay);
        if d != Decision::GiveUp {
            self.not_ready += 1;
            // A "not ready" is not a failure of the request itself.
            self.attempt -= 1;
        }
        d
    }

    fn delay(&mut self, retry_after_ms: Option<u64>) -> u64 {
        let cap = self.config.max_delay_ms;
        let exp = self
            .config
            .base_delay_ms
            .saturating_mul(1u64 << self.attempt.min(20))
            .min(cap);
        match retry_after_ms {
            // Never sooner than asked (up to the cap); up to 10 % jitter on
            // top spreads the herd, within the cap.
            Some(ra) => {
                let ra = ra.min(cap);
                ra.saturating_add(self.jitter.up_to(ra / 10)).min(cap)
            }
            None => self.jitter.up_to(exp),
        }
    }

    fn schedule(&mut self, delay: u64) -> Decision {
        if self.waited_ms.saturating_add(delay) > self.config.max_total_delay_ms {
            return Decision::GiveUp;
        }
        self.waited_ms = self.waited_ms.saturating_add(delay);
        self.attempt += 1;
        self.total_retries += 1;
        Decision::RetryAfter(delay)
    }

    /// The current request succeeded: the next one starts fresh.
    pub fn on_success(&mut self) {
        self.attempt = 0;
        self.not_ready = 0;
    }

    /// Attempts made for the current request, including the first.
    pub fn attempts(&self) -> u32 {
        self.attempt + 1
    }

    /// 204 answers for the current page.
    pub fn not_ready_count(&self) -> u32 {
        self.not_ready
    }

    /// Retries over the whole listing.
    pub fn total_retries(&self) -> u32 {
        self.total_retries
    }

    /// Time scheduled for waiting so far, in ms.
    pub fn waited_ms(&self) -> u64 {
        self.waited_ms
    }
}

/// The `Retry-After` wait of a response, in ms. Without the header, a 429's
/// body may still say it (`"Rate limit is exceeded. Try again in 57
/// seconds."`): a browser can't read `Retry-After` from a cross-origin
/// proxy that doesn't expose it, and a proxy may drop it.
///
/// ```
/// use partner_usage_core::http::Response;
/// use partner_usage_core::retry::retry_after_of;
/// let body = br#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 57 seconds."}"#;
/// let r = Response { status: 429, headers: &[], body };
/// assert_eq!(retry_after_of(&r, 0), Some(57_000));
/// let h = [("Retry-After".to_string(), "3".to_string())];
/// assert_eq!(retry_after_of(&Response { status: 429, headers: &h, body }, 0), Some(3_000));
/// ```
pub fn retry_after_of(resp: &Response<'_>, now_ms: i64) -> Option<u64> {
    match resp.header(crate::http::headers::RETRY_AFTER) {
        Some(v) => parse_retry_after(v, now_ms),
        None if resp.status == 429 => try_again_in(resp.body),
        None => None,
    }
}

/// The seconds of "Try again in N seconds" in a throttling body, in ms.
fn try_again_in(body: &[u8]) -> Option<u64> {
    const LEAD: &[u8] = b"Try again in ";
    let at = body.windows(LEAD.len()).position(|w| w == LEAD)? + LEAD.len();
    let digits = body[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 6 || !body[at + digits..].starts_with(b" second") {
        return None;
    }
    let secs: u64 = std::str::from_utf8(&body[at..at + digits])
        .ok()?
        .parse()
        .ok()?;
    Some(secs * 1000)
}

/// A shared gate for all listings to one origin: after a 429, every listing
/// waits until the server's `Retry-After` has passed, so concurrent listings
/// don't amplify throttling. The driver owns one per client, shared by its listings.
///
/// ```
/// use partner_usage_core::retry::Throttle;
/// let mut t = Throttle::default();
/// t.hold_until(5_000);
/// t.hold_until(3_000); // an earlier time never shortens the hold
/// assert_eq!(t.wait_ms(1_000), 4_000);
/// assert_eq!(t.wait_ms(6_000), 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Throttle {
    until_ms: i64,
}

impl Throttle {
    /// Holds every request until `until_ms` (Unix ms).
    pub fn hold_until(&mut self, until_ms: i64) {
        self.until_ms = self.until_ms.max(until_ms);
    }

    /// How long a request at `now_ms` must still wait.
    pub fn wait_ms(&self, now_ms: i64) -> u64 {
        u64::try_from(self.until_ms.saturating_sub(now_ms)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throttling_body_stands_in_for_a_missing_retry_after() {
        let at = |status: u16, body: &str| {
            retry_after_of(
                &Response {
                    status,
                    headers: &[],
                    body: body.as_bytes(),
                },
                0,
            )
        };
        let says =
            |s: &str| format!(r#"{{"statusCode":429,"message":"Rate limit is exceeded. {s}"}}"#);
        assert_eq!(at(429, &says("Try again in 57 seconds.")), Some(57_000));
        assert_eq!(at(429, &says("Try again in 1 second.")), Some(1_000));
        // Up to six digits.
        assert_eq!(
            at(429, &says("Try again in 999999 seconds.")),
            Some(999_999_000)
        );
        // Only a 429's body, and only the sentence as Partner Center writes it.
        assert_eq!(at(503, &says("Try again in 57 seconds.")), None);
        for s in [
            "Try again in a minute.",
            "Try again in 57 minutes.",
            "Try again in  5 seconds.",
            "Try again in 9999999 seconds.",
            "Try again in 5",
        ] {
            assert_eq!(at(429, &says(s)), None, "{s}");
        }
        assert_eq!(at(429, ""), None);
    }

    #[test]
    fn retry_after_is_never_undercut() {
        let mut longest = 0;
        for seed in 0..200 {
            let mut r = RetryState::new(RetryConfig::default(), seed);
            match r.on_transient(Some(2_000)) {
                Decision::RetryAfter(ms) => {
                    assert!((2_000..=2_200).contains(&ms), "{ms}");
                    longest = longest.max(ms);
                }
                Decision::GiveUp => panic!("gave up on the first retry"),
            }
        }
        // The jitter on top spans up to a tenth of the wait.
        assert!(longest > 2_150, "{longest}");
    }

    #[test]
    fn backoff_is_capped_full_jitter() {
        let cfg = RetryConfig::default()
            .max_retries(30)
            .delays(100, 1_000)
            .max_total_delay_ms(u64::MAX);
        let mut r = RetryState::new(cfg, 42);
        let mut seen_nonzero = false;
        for attempt in 0..30u32 {
            let bound = (100u64 << attempt.min(20)).min(1_000);
            match r.on_transient(None) {
                Decision::RetryAfter(ms) => {
                    assert!(ms <= bound, "attempt {attempt}: {ms} > {bound}");
                    seen_nonzero |= ms > 0;
                }
                Decision::GiveUp => panic!("gave up early at {attempt}"),
            }
        }
        assert!(seen_nonzero);
        assert_eq!(r.on_transient(None), Decision::GiveUp);
        assert_eq!(r.total_retries(), 30);
    }

    #[test]
    fn retry_after_is_capped_by_max_delay() {
        let mut r = RetryState::new(RetryConfig::default().delays(10, 5_000), 1);
        assert_eq!(r.on_transient(Some(3_600_000)), Decision::RetryAfter(5_000));
        // The jitter on top of a Retry-After just under the cap stays within it,
        // and a Retry-After well under the cap is never shortened.
        for seed in 0..200 {
            let mut r = RetryState::new(
                RetryConfig::default().delays(10, 5_000).max_retries(50),
                seed,
            );
            for ra in [4_900, 1_000] {
                match r.on_transient(Some(ra)) {
                    Decision::RetryAfter(ms) => {
                        assert!((ra..=(ra + ra / 10).min(5_000)).contains(&ms), "{ms}")
                    }
                    d => panic!("{d:?}"),
                }
            }
        }
    }

    #[test]
    fn configs_refuse_unknown_fields() {
        let e = serde_json::from_str::<RetryConfig>(r#"{"maxRetrys":3}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `maxRetrys`"), "{e}");
        let c: RetryConfig = serde_json::from_str(r#"{"maxNotReady":2}"#).unwrap();
        assert_eq!(c, RetryConfig::default().max_not_ready(2));
        let e = serde_json::from_str::<crate::paginate::PaginatorConfig>(r#"{"maxPage":3}"#)
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `maxPage`"), "{e}");
    }

    #[test]
    fn total_wait_is_bounded() {
        let cfg = RetryConfig::default()
            .max_retries(100)
            .max_total_delay_ms(10_000);
        let mut r = RetryState::new(cfg, 3);
        let mut total = 0;
        while let Decision::RetryAfter(ms) = r.on_transient(Some(3_000)) {
            total += ms;
        }
        assert!(total <= 10_000);
        assert_eq!(r.total_retries(), 3);
    }

    #[test]
    fn success_resets_the_per_request_count() {
        let mut r = RetryState::new(RetryConfig::default().max_retries(1), 0);
        assert!(matches!(r.on_transient(None), Decision::RetryAfter(_)));
        assert_eq!(r.on_transient(None), Decision::GiveUp);
        r.on_success();
        assert!(matches!(r.on_transient(None), Decision::RetryAfter(_)));
    }

    #[test]
    fn not_ready_is_bounded_separately() {
        let mut r = RetryState::new(RetryConfig::default().max_retries(1), 0);
        for _ in 0..5 {
            assert!(matches!(
                r.on_not_ready(Some(1_000)),
                Decision::RetryAfter(_)
            ));
        }
        assert_eq!(r.on_not_ready(Some(1_000)), Decision::GiveUp);
        // The request's own retry budget is untouched by "not ready".
        assert!(matches!(r.on_transient(None), Decision::RetryAfter(_)));
    }

    #[test]
    fn http_dates() {
        let now = Timestamp::parse("1994-11-06T08:49:30Z")
            .unwrap()
            .unix_millis();
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(v, now), Some(7_000), "{v}");
        }
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(0)
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
        assert_eq!(
            parse_retry_after("99999999999999999999999", 0),
            Some(u64::MAX / 1000 * 1000)
        );
    }

    #[test]
    fn http_dates_outside_years_1_to_9999_are_refused() {
        for far in [
            "Wed, 21 Oct 2147483647 07:28:00 GMT",
            "Sun, 01 Nov 292278994 00:49:37 GMT",
            "Sat, 01 Jan 10000 00:00:00 GMT",
            "Sat, 01 Jan 0000 00:00:00 GMT",
        ] {
            assert_eq!(parse_retry_after(far, 0), None, "{far}");
        }
        let last = "Fri, 31 Dec 9999 23:59:59 GMT";
        assert_eq!(parse_retry_after(last, 0), Some(253_402_300_799_000));
        // Any `now` from the driver: the difference saturates.
        assert_eq!(parse_retry_after(last, i64::MIN), Some(i64::MAX as u64));
        assert_eq!(parse_retry_after(last, i64::MAX), Some(0));
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 0001 00:00:00 GMT", i64::MIN),
            Some((-62_135_596_800_000i64).abs_diff(i64::MIN))
        );
    }

    #[test]
    fn a_far_future_retry_after_date_on_a_429_is_no_panic() {
        use crate::endpoint::Endpoint;
        use crate::link::BaseUrl;
        use crate::model::CustomerMonthlyUsageRecord;
        use crate::paginate::{decode_page, Action, Paginator, PaginatorConfig};
        let base = BaseUrl::parse("https://api.example").unwrap();
        for status in [408, 429, 503] {
            let mut p = Paginator::new(
                &base,
                &Endpoint::CustomerUsageRecords,
                PaginatorConfig::default(),
                1,
            );
            assert!(matches!(p.poll(0), Action::Send(_)));
            let h = [(
                "Retry-After".to_string(),
                "Wed, 21 Oct 2147483647 07:28:00 GMT".to_string(),
            )];
            let r = p.handle_response(
                0,
                Response {
                    status,
                    headers: &h,
                    body: b"",
                },
                decode_page::<CustomerMonthlyUsageRecord>,
            );
            assert!(r.is_ok(), "{status}: {r:?}");
            // The header is ignored: plain backoff, within the cap.
            match p.poll(0) {
                Action::Wait { until_ms } => assert!(until_ms <= 500, "{status}: {until_ms}"),
                Action::Send(_) => {}
                other => panic!("{status}: {other:?}"),
            }
        }
    }

    #[test]
    fn extreme_delays_saturate() {
        // An uncapped single wait: Retry-After plus its jitter.
        let mut r = RetryState::new(RetryConfig::default().delays(0, u64::MAX), 1);
        assert_eq!(r.on_transient(Some(u64::MAX)), Decision::GiveUp);
        let cfg = RetryConfig::default()
            .delays(0, u64::MAX)
            .max_total_delay_ms(u64::MAX);
        for seed in 0..16 {
            let mut r = RetryState::new(cfg, seed);
            assert_eq!(
                r.on_transient(Some(u64::MAX)),
                Decision::RetryAfter(u64::MAX)
            );
            // The waiting total saturates too.
            assert!(matches!(r.on_transient(Some(5)), Decision::RetryAfter(_)));
            assert_eq!(r.waited_ms(), u64::MAX);
        }
    }

    #[test]
    fn throttle_waits_saturate() {
        // No hold is a hold until the epoch.
        assert_eq!(Throttle::default().wait_ms(i64::MIN), i64::MAX as u64);
        assert_eq!(Throttle::default().wait_ms(i64::MAX), 0);
        let mut t = Throttle::default();
        t.hold_until(i64::MAX);
        assert_eq!(t.wait_ms(-1), i64::MAX as u64);
        assert_eq!(t.wait_ms(i64::MIN), i64::MAX as u64);
        let mut t = Throttle::default();
        t.hold_until(i64::MIN);
        assert_eq!(t.wait_ms(i64::MAX), 0);
    }

    #[test]
    fn status_classes() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert_eq!(classify(s), StatusClass::Transient, "{s}");
        }
        for s in [400, 403, 404, 405, 409, 501] {
            assert_eq!(classify(s), StatusClass::Fatal, "{s}");
        }
        assert_eq!(classify(401), StatusClass::Unauthorized);
        assert_eq!(classify(200), StatusClass::Success);
        assert_eq!(classify(204), StatusClass::NoContent);
        assert_eq!(classify(299), StatusClass::Success);
    }

    #[test]
    fn two_digit_years_and_time_of_day_bounds() {
        let at = |s: &str| parse_http_date(s).map(|t| t.unix_millis());
        let ms = |iso: &str| Some(Timestamp::parse(iso).unwrap().unix_millis());
        // RFC 850 years: 70..99 are 19xx, 00..69 are 20xx.
        assert_eq!(
            at("Thursday, 01-Jan-70 00:00:00 GMT"),
            ms("1970-01-01T00:00:00Z")
        );
        assert_eq!(
            at("Sunday, 31-Dec-69 23:59:59 GMT"),
            ms("2069-12-31T23:59:59Z")
        );
        assert_eq!(
            at("Saturday, 05-Jan-05 00:00:00 GMT"),
            ms("2005-01-05T00:00:00Z")
        );
        // The last valid second of a day, and a leap second.
        assert_eq!(
            at("Sun, 06 Nov 1994 23:59:59 GMT"),
            ms("1994-11-06T23:59:59Z")
        );
        assert_eq!(
            at("Sun, 06 Nov 1994 23:59:60 GMT"),
            ms("1994-11-07T00:00:00Z")
        );
        for bad in [
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }

    #[test]
    fn jitter_is_splitmix64() {
        // Reference outputs of SplitMix64 (Vigna's splitmix64.c).
        let mut j = Jitter::new(0);
        assert_eq!(j.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(j.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(j.next_u64(), 0x06c4_5d18_8009_454f);
        let mut j = Jitter::new(1_234_567);
        assert_eq!(j.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(j.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(j.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn uuids_are_version_4_rfc_4122() {
        assert_eq!(
            Jitter::new(1).uuid(),
            "910a2dec-8902-4cc1-beeb-8da1658eec67"
        );
        assert_eq!(
            Jitter::new(42).uuid(),
            "bdd73226-2feb-4e95-a8ef-e333b266f103"
        );
        for seed in 0..64 {
            let id = Jitter::new(seed).uuid();
            let b = id.as_bytes();
            assert_eq!(id.len(), 36, "{id}");
            for (i, &c) in b.iter().enumerate() {
                if [8, 13, 18, 23].contains(&i) {
                    assert_eq!(c, b'-', "{id}");
                } else {
                    assert!(matches!(c, b'0'..=b'9' | b'a'..=b'f'), "{id}");
                }
            }
            assert_eq!(b[14], b'4', "{id}");
            assert!(matches!(b[19], b'8' | b'9' | b'a' | b'b'), "{id}");
        }
    }

    #[test]
    fn backoff_grows_with_each_attempt() {
        // Full jitter over 0..=base*2^n: across seeds, the fourth wait goes
        // well past the first step.
        let cfg = RetryConfig::default().delays(100, 60_000);
        let longest = (0..64)
            .map(|seed| {
                let mut r = RetryState::new(cfg, seed);
                let mut last = 0;
                for _ in 0..4 {
                    match r.on_transient(None) {
                        Decision::RetryAfter(ms) => last = ms,
                        Decision::GiveUp => panic!("gave up"),
                    }
                }
                last
            })
            .max()
            .unwrap();
        assert!((400..=800).contains(&longest), "{longest}");
    }

    #[test]
    fn counters_and_config() {
        let cfg = RetryConfig::default().max_retries(3).delays(1, 2);
        let mut r = RetryState::new(cfg, 9);
        assert_eq!(r.config(), &cfg);
        assert_eq!(r.attempts(), 1);
        assert!(matches!(r.on_transient(None), Decision::RetryAfter(_)));
        assert!(matches!(r.on_transient(None), Decision::RetryAfter(_)));
        assert_eq!(r.attempts(), 3);
        assert_eq!(r.not_ready_count(), 0);
        assert!(matches!(r.on_not_ready(None), Decision::RetryAfter(_)));
        assert!(matches!(r.on_not_ready(None), Decision::RetryAfter(_)));
        assert_eq!(r.not_ready_count(), 2);
        // "Not ready" doesn't count as an attempt of the request.
        assert_eq!(r.attempts(), 3);
        assert_eq!(r.total_retries(), 4);
        r.on_success();
        assert_eq!(r.attempts(), 1);
        assert_eq!(r.not_ready_count(), 0);
    }
}
