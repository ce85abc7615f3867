//! Timestamps as Partner Center writes them, without a date-time dependency.
//!
//! Partner Center sends `lastModifiedDate` and the utilization times as
//! ISO 8601 with 0 to 7 fractional digits and an offset
//! (`2019-09-17T17:08:11.1433333+00:00`, `2019-08-01T23:00:16.57+00:00`,
//! `2024-01-01T00:00:00Z`). [`Timestamp`] keeps the instant to the
//! nanosecond (finer than Partner Center's 100 ns tick; it reads up to 9
//! fractional digits) and the original offset.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Nanoseconds in one second.
const NANOS_PER_SEC: i64 = 1_000_000_000;

/// The earliest year a [`Timestamp`] holds: ISO 8601 writes four-digit years.
pub const MIN_YEAR: i32 = -9999;
/// The latest year a [`Timestamp`] holds.
pub const MAX_YEAR: i32 = 9999;
/// `-9999-01-01T00:00:00Z` in seconds since the Unix epoch.
const MIN_SECS: i64 = -377_705_116_800;
/// `9999-12-31T23:59:59Z` in seconds since the Unix epoch.
const MAX_SECS: i64 = 253_402_300_799;
/// The day numbers of `i32::MIN-01-01` and `i32::MAX-12-31`, the dates
/// [`civil_from_days`] saturates at.
const MIN_DAYS_I32: i64 = -784_353_015_833;
const MAX_DAYS_I32: i64 = 784_351_576_776;

/// An instant to the nanosecond and the UTC offset it was written with.
///
/// Ordering compares the instant first. Equality also compares the offset,
/// so use [`Timestamp::unix_nanos`] to compare instants written with
/// different offsets.
///
/// A timestamp stays within the years [`MIN_YEAR`] to [`MAX_YEAR`] (-9999 to
/// 9999), both in UTC and in the offset it was written with, so its text
/// always has a four-digit year that [`Timestamp::parse`] reads back, and
/// the arithmetic on it can't overflow. The Unix-time constructors and
/// [`Timestamp::add_seconds`] saturate at those bounds; `from_date` and
/// `parse` refuse a year or an instant beyond them.
///
/// ```
/// use partner_usage_core::time::Timestamp;
/// let t = Timestamp::parse("2019-09-17T17:08:11.1433333+00:00").unwrap();
/// assert_eq!(t.unix_seconds(), 1_568_740_091);
/// assert_eq!(t.subsec_nanos(), 143_333_300);
/// assert_eq!(t.to_string(), "2019-09-17T17:08:11.1433333+00:00");
/// let z = Timestamp::parse("2019-09-17T19:08:11.1433333+02:00").unwrap();
/// assert_eq!(z.unix_nanos(), t.unix_nanos());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    secs: i64,
    /// Sub-second nanoseconds, 0..1e9.
    nanos: u32,
    /// The offset from UTC it was written with, in minutes; `None` for `Z`.
    offset_minutes: Option<i16>,
}

/// Why a timestamp did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    input: String,
    reason: &'static str,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid timestamp {:?}: {}", self.input, self.reason)
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// A UTC timestamp from seconds and nanoseconds since the Unix epoch. An
    /// instant outside the years -9999 to 9999 saturates to the first or last
    /// instant of that range.
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// assert_eq!(Timestamp::from_unix(0, 0).to_string(), "1970-01-01T00:00:00Z");
    /// assert_eq!(Timestamp::from_unix(i64::MAX, 0).to_string(), "9999-12-31T23:59:59.999999999Z");
    /// assert_eq!(Timestamp::from_unix(i64::MIN, 0).to_string(), "-9999-01-01T00:00:00Z");
    /// ```
    pub fn from_unix(secs: i64, nanos: u32) -> Timestamp {
        let extra = i64::from(nanos) / NANOS_PER_SEC;
        Timestamp::saturated(
            secs.saturating_add(extra),
            (i64::from(nanos) % NANOS_PER_SEC) as u32,
            None,
        )
    }

    /// The instant, moved to the nearest bound if it (or its local time in
    /// `offset_minutes`) lies outside the years -9999 to 9999.
    fn saturated(secs: i64, nanos: u32, offset_minutes: Option<i16>) -> Timestamp {
        let (lo, hi) = secs_range(offset_minutes);
        let (secs, nanos) = if secs < lo {
            (lo, 0)
        } else if secs > hi {
            (hi, (NANOS_PER_SEC - 1) as u32)
        } else {
            (secs, nanos)
        };
        Timestamp {
            secs,
            nanos,
            offset_minutes,
        }
    }

    /// A UTC timestamp from milliseconds since the Unix epoch (JavaScript's `Date.now()`).
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// assert_eq!(Timestamp::from_unix_millis(1_500).to_string(), "1970-01-01T00:00:01.5Z");
    /// assert_eq!(Timestamp::from_unix_millis(-1).to_string(), "1969-12-31T23:59:59.999Z");
    /// ```
    pub fn from_unix_millis(ms: i64) -> Timestamp {
        let secs = ms.div_euclid(1000);
        let nanos = (ms.rem_euclid(1000) * 1_000_000) as u32;
        Timestamp::from_unix(secs, nanos)
    }

    /// A UTC timestamp at midnight of a calendar date, or `None` for a date
    /// that doesn't exist or a year outside -9999 to 9999.
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// assert_eq!(Timestamp::from_date(2024, 2, 29).unwrap().to_string(), "2024-02-29T00:00:00Z");
    /// assert!(Timestamp::from_date(2023, 2, 29).is_none());
    /// assert!(Timestamp::from_date(10_000, 1, 1).is_none());
    /// ```
    pub fn from_date(year: i32, month: u32, day: u32) -> Option<Timestamp> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Timestamp::from_unix(
            days_from_civil(year, month, day) * 86_400,
            0,
        ))
    }

    /// Parses ISO 8601 / RFC 3339 as Partner Center writes it: a date, `T`
    /// (or a space), a time with 0 to 9 fractional digits, and `Z`, an offset
    /// `±HH:MM`/`±HHMM`, or no offset (taken as UTC). A bare date is midnight UTC.
    /// The year has four digits, after a `-` for a negative (astronomical)
    /// year; an instant whose UTC time falls outside the years -9999 to 9999
    /// is refused.
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// assert!(Timestamp::parse("2019-08-01T23:00:16.57+00:00").is_ok());
    /// assert!(Timestamp::parse("2024-01-01T00:00:00Z").is_ok());
    /// assert!(Timestamp::parse("2024-01-01").is_ok());
    /// assert!(Timestamp::parse("2024-13-01T00:00:00Z").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Timestamp, TimestampError> {
        let err = |reason| TimestampError {
            input: truncate(s),
            reason,
        };
        let b = s.as_bytes();
        let mut p = Cursor { b, i: 0 };
        let negative_year = p.eat(b'-');
        let year = p.digits(4).ok_or_else(|| err("expected a 4-digit year"))? as i32;
        let year = if negative_year { -year } else { year };
        if !p.eat(b'-') {
            return Err(err("expected '-' after the year"));
        }
        let month = p.digits(2).ok_or_else(|| err("expected a 2-digit month"))?;
        if !p.eat(b'-') {
            return Err(err("expected '-' after the month"));
        }
        let day = p.digits(2).ok_or_else(|| err("expected a 2-digit day"))?;
        if !(1..=12).contains(&month) {
            return Err(err("month out of range"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(err("day out of range"));
        }
        let days = days_from_civil(year, month, day);
        if p.done() {
            return Ok(Timestamp::from_unix(days * 86_400, 0));
        }
        if !(p.eat(b'T') || p.eat(b't') || p.eat(b' ')) {
            return Err(err("expected 'T' between date and time"));
        }
        let hour = p.digits(2).ok_or_else(|| err("expected a 2-digit hour"))?;
        if !p.eat(b':') {
            return Err(err("expected ':' after the hour"));
        }
        let minute = p.digits(2).ok_or_else(|| err("expected 2-digit minutes"))?;
        let second = if p.eat(b':') {
            p.digits(2).ok_or_else(|| err("expected 2-digit seconds"))?
        } else {
            0
        };
        if hour > 23 || minute > 59 || second > 60 {
            return Err(err("time out of range"));
        }
        let mut nanos: u32 = 0;
        if p.eat(b'.') || p.eat(b',') {
            let mut n = 0;
            while let Some(d) = p.digit() {
                if n < 9 {
                    nanos = nanos * 10 + d;
                }
                n += 1;
            }
            if n == 0 {
                return Err(err("expected digits after the decimal point"));
            }
            for _ in n..9 {
                nanos *= 10;
            }
        }
        let offset_minutes: Option<i16> = if p.done() || p.eat(b'Z') || p.eat(b'z') {
            None
        } else {
            let sign = if p.eat(b'+') {
                1
            } else if p.eat(b'-') {
                -1
            } else {
                return Err(err("expected 'Z' or an offset like +00:00"));
            };
            let oh = p.digits(2).ok_or_else(|| err("expected offset hours"))?;
            p.eat(b':');
            let om = p.digits(2).unwrap_or(0);
            if oh > 23 || om > 59 {
                return Err(err("offset out of range"));
            }
            Some(sign * (oh * 60 + om) as i16)
        };
        if !p.done() {
            return Err(err("unexpected trailing characters"));
        }
        let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
        let secs = local - i64::from(offset_minutes.unwrap_or(0)) * 60;
        let (lo, hi) = secs_range(offset_minutes);
        if !(lo..=hi).contains(&secs) {
            // A leap second at the very end, or an offset taking the
            // instant past a bound.
            return Err(err("out of range (years -9999 to 9999)"));
        }
        Ok(Timestamp {
            secs,
            nanos,
            offset_minutes,
        })
    }

    /// Seconds since the Unix epoch (floor).
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// The sub-second part in nanoseconds.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Nanoseconds since the Unix epoch; compares instants across offsets.
    pub fn unix_nanos(&self) -> i128 {
        i128::from(self.secs) * i128::from(NANOS_PER_SEC) + i128::from(self.nanos)
    }

    /// Milliseconds since the Unix epoch (floor), as JavaScript's `Date` uses.
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// let t = Timestamp::parse("1970-01-01T00:00:01.9999Z").unwrap();
    /// assert_eq!(t.unix_millis(), 1999);
    /// ```
    pub fn unix_millis(&self) -> i64 {
        // The year range keeps this far from overflowing; saturate anyway.
        self.secs
            .saturating_mul(1000)
            .saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// The offset it was written with, in minutes east of UTC (`Z` is 0).
    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes.unwrap_or(0)
    }

    /// The same instant, written in UTC with `Z`.
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// let t = Timestamp::parse("2024-01-01T01:00:00+01:00").unwrap();
    /// assert_eq!(t.to_utc().to_string(), "2024-01-01T00:00:00Z");
    /// ```
    #[must_use]
    pub fn to_utc(self) -> Timestamp {
        Timestamp {
            offset_minutes: None,
            ..self
        }
    }

    /// The instant shifted by whole seconds (keeps the offset), saturating
    /// at the years -9999 and 9999.
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// let t = Timestamp::parse("2024-01-01T00:00:00+01:00").unwrap();
    /// assert_eq!(t.add_seconds(3_600).to_string(), "2024-01-01T01:00:00+01:00");
    /// assert_eq!(t.add_seconds(i64::MAX).to_string(), "9999-12-31T23:59:59.999999999+01:00");
    /// ```
    #[must_use]
    pub fn add_seconds(self, secs: i64) -> Timestamp {
        Timestamp::saturated(
            self.secs.saturating_add(secs),
            self.nanos,
            self.offset_minutes,
        )
    }

    /// The UTC calendar date `(year, month, day)` of this instant.
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// let t = Timestamp::parse("2024-03-01T00:30:00+01:00").unwrap();
    /// assert_eq!(t.utc_date(), (2024, 2, 29));
    /// ```
    pub fn utc_date(&self) -> (i32, u32, u32) {
        civil_from_days(self.secs.div_euclid(86_400))
    }

    /// Formats as `yyyy-MM-ddTHH:mm:ssZ` in UTC with no fraction, the form
    /// Partner Center's utilization query parameters expect.
    ///
    /// ```
    /// use partner_usage_core::time::Timestamp;
    /// let t = Timestamp::parse("2024-01-01T01:02:03.5+01:00").unwrap();
    /// assert_eq!(t.to_query_string(), "2024-01-01T00:02:03Z");
    /// ```
    pub fn to_query_string(&self) -> String {
        let mut s = String::with_capacity(20);
        write_datetime(&mut s, self.secs, 0, None);
        s
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.secs, self.nanos, self.offset_minutes).cmp(&(
            other.secs,
            other.nanos,
            other.offset_minutes,
        ))
    }
}

impl fmt::Display for Timestamp {
    /// Writes ISO 8601 in the original offset, with as many fractional digits
    /// as needed (none for whole seconds).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(33);
        let local = self.secs + i64::from(self.offset_minutes.unwrap_or(0)) * 60;
        write_datetime(&mut s, local, self.nanos, Some(self.offset_minutes));
        f.write_str(&s)
    }
}

fn write_datetime(s: &mut String, local_secs: i64, nanos: u32, offset: Option<Option<i16>>) {
    use fmt::Write;
    let days = local_secs.div_euclid(86_400);
    let sod = local_secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if y < 0 {
        // `{:04}` would count the sign as a digit (`-001`).
        s.push('-');
    }
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        y.unsigned_abs(),
        m,
        d,
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if nanos != 0 {
        let mut frac = format!("{nanos:09}");
        while frac.ends_with('0') {
            frac.pop();
        }
        s.push('.');
        s.push_str(&frac);
    }
    match offset {
        None | Some(None) => s.push('Z'),
        Some(Some(off)) => {
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            let _ = write!(s, "{sign}{:02}:{:02}", a / 60, a % 60);
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 8601 date-time string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// The first and last second (UTC) of a timestamp written with an offset:
/// both the instant and its local time lie in the years -9999 to 9999.
fn secs_range(offset_minutes: Option<i16>) -> (i64, i64) {
    let off = i64::from(offset_minutes.unwrap_or(0)) * 60;
    (MIN_SECS.max(MIN_SECS - off), MAX_SECS.min(MAX_SECS - off))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
///
/// ```
/// use partner_usage_core::time::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2000, 3, 1), 11_017);
/// ```
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `(year, month, day)` of a day count since
/// 1970-01-01. Day counts beyond the years an `i32` holds saturate to the
/// first or last day of those years.
///
/// ```
/// use partner_usage_core::time::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// assert_eq!(civil_from_days(i64::MAX), (i32::MAX, 12, 31));
/// ```
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z.clamp(MIN_DAYS_I32, MAX_DAYS_I32) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// The number of days in a month of a proleptic Gregorian year.
///
/// ```
/// use partner_usage_core::time::days_in_month;
/// assert_eq!(days_in_month(2024, 2), 29);
/// assert_eq!(days_in_month(2100, 2), 28);
/// ```
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(64).collect()
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn digit(&mut self) -> Option<u32> {
        match self.b.get(self.i) {
            Some(c @ b'0'..=b'9') => {
                self.i += 1;
                Some(u32::from(c - b'0'))
            }
            _ => None,
        }
    }
    fn digits(&mut self, n: usize) -> Option<u32> {
        let mut v = 0;
        for _ in 0..n {
            v = v * 10 + self.digit()?;
        }
        Some(v)
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractional_digits_zero_to_seven() {
        for (s, nanos) in [
            ("2019-09-17T17:08:11+00:00", 0),
            ("2019-09-17T17:08:11.1+00:00", 100_000_000),
            ("2019-09-17T17:08:11.57+00:00", 570_000_000),
            ("2019-09-17T17:08:11.123+00:00", 123_000_000),
            ("2019-09-17T17:08:11.1433333+00:00", 143_333_300),
        ] {
            let t = Timestamp::parse(s).unwrap();
            assert_eq!(t.subsec_nanos(), nanos, "{s}");
            assert_eq!(t.unix_seconds(), 1_568_740_091, "{s}");
            assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn offsets() {
        let a = Timestamp::parse("2024-01-01T00:00:00Z").unwrap();
        let b = Timestamp::parse("2023-12-31T19:00:00-05:00").unwrap();
        let c = Timestamp::parse("2024-01-01T05:30:00+0530").unwrap();
        assert_eq!(a.unix_nanos(), b.unix_nanos());
        assert_eq!(a.unix_nanos(), c.unix_nanos());
        assert_eq!(b.to_string(), "2023-12-31T19:00:00-05:00");
        assert_eq!(b.offset_minutes(), -300);
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "2024",
            "2024-02-30T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00+",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00Zjunk",
            "not a date",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn month_lengths_and_leap_years() {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for (m, &len) in (1..=12).zip(&lengths) {
            assert_eq!(days_in_month(2023, m), len, "{m}");
        }
        for (y, feb) in [
            (2023, 28),
            (2024, 29),
            (1900, 28),
            (2100, 28),
            (2000, 29),
            (1600, 29),
            (-4, 29),
            (-100, 28),
        ] {
            assert_eq!(days_in_month(y, 2), feb, "{y}");
        }
        assert_eq!(days_in_month(2024, 0), 0);
        assert_eq!(days_in_month(2024, 13), 0);
    }

    #[test]
    fn the_last_day_of_a_400_year_era_round_trips() {
        for y in [1600, 2000, 2400, -400] {
            for (m, d) in [(2, 28), (2, 29), (3, 1)] {
                assert_eq!(
                    civil_from_days(days_from_civil(y, m, d)),
                    (y, m, d),
                    "{y}-{m}-{d}"
                );
            }
        }
    }

    #[test]
    fn the_bounds_are_the_years_minus_9999_to_9999() {
        assert_eq!(MIN_SECS, days_from_civil(MIN_YEAR, 1, 1) * 86_400);
        assert_eq!(MAX_SECS, days_from_civil(MAX_YEAR + 1, 1, 1) * 86_400 - 1);
        assert_eq!(MIN_DAYS_I32, days_from_civil(i32::MIN, 1, 1));
        assert_eq!(MAX_DAYS_I32, days_from_civil(i32::MAX, 12, 31));
    }

    #[test]
    fn construction_and_arithmetic_saturate_instead_of_overflowing() {
        let max = Timestamp::from_unix(i64::MAX, 1_000_000_000);
        assert_eq!(max.to_string(), "9999-12-31T23:59:59.999999999Z");
        assert_eq!(Timestamp::from_unix(i64::MAX, 0), max);
        let min = Timestamp::from_unix(i64::MIN, 0);
        assert_eq!(min.to_string(), "-9999-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(i64::MAX / 1000 + 1, 0).unix_millis(),
            MAX_SECS * 1000 + 999
        );
        assert_eq!(Timestamp::from_unix_millis(i64::MIN), min);
        assert_eq!(Timestamp::from_unix(1, 0).add_seconds(i64::MAX), max);
        assert_eq!(Timestamp::from_unix(-1, 0).add_seconds(i64::MIN), min);
        assert_eq!(min.add_seconds(1).unix_seconds(), MIN_SECS + 1);
        assert_eq!(Timestamp::from_date(10_000, 1, 1), None);
        assert_eq!(Timestamp::from_date(-10_000, 12, 31), None);
        assert_eq!(Timestamp::from_date(-9999, 1, 1), Some(min));
        assert_eq!(civil_from_days(i64::MAX), (i32::MAX, 12, 31));
        assert_eq!(civil_from_days(i64::MIN), (i32::MIN, 1, 1));
        // With an offset, the local time saturates too.
        let east = Timestamp::parse("9999-12-31T00:00:00+05:00").unwrap();
        assert_eq!(
            east.add_seconds(i64::MAX).to_string(),
            "9999-12-31T23:59:59.999999999+05:00"
        );
        let west = Timestamp::parse("-9999-01-01T12:00:00-05:00").unwrap();
        assert_eq!(
            west.add_seconds(i64::MIN).to_string(),
            "-9999-01-01T00:00:00-05:00"
        );
    }

    #[test]
    fn text_round_trips_at_the_bounds_and_for_negative_years() {
        for secs in [
            i64::MAX,
            i64::MIN,
            i64::MIN / 2,
            -62_200_000_000, // the year -2
            -62_167_219_200, // 0000-01-01
            MIN_SECS,
            MAX_SECS,
            MAX_SECS + 1,
        ] {
            let t = Timestamp::from_unix(secs, 0);
            let text = t.to_string();
            assert_eq!(Timestamp::parse(&text), Ok(t), "{secs}: {text}");
        }
        assert_eq!(
            Timestamp::from_unix(-62_200_000_000, 0).to_string(),
            "-0002-12-17T14:13:20Z"
        );
        for s in ["-0001-12-06T01:46:40+01:00", "-9999-01-01T00:00:00-00:01"] {
            assert_eq!(Timestamp::parse(s).unwrap().to_string(), s);
        }
        // Beyond the bounds in UTC: refused rather than unwritable.
        for s in [
            "-9999-01-01T00:00:00+00:01",
            "9999-12-31T23:59:00-00:01",
            "9999-12-31T23:59:60Z",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn serde_round_trip() {
        let t: Timestamp = serde_json::from_str("\"2019-08-01T23:00:16.57+00:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2019-08-01T23:00:16.57+00:00\""
        );
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
    }

    #[test]
    fn errors_say_what_and_why() {
        assert_eq!(
            Timestamp::parse("2024-13-01").unwrap_err().to_string(),
            r#"invalid timestamp "2024-13-01": month out of range"#
        );
        // The input is cut to 64 characters.
        let long = format!("x{}", "9".repeat(100));
        let e = Timestamp::parse(&long).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "invalid timestamp \"x{}\": expected a 4-digit year",
                "9".repeat(63)
            )
        );
    }

    #[test]
    fn unix_constructors_carry_whole_seconds_and_keep_the_fraction() {
        let t = Timestamp::from_unix(1, 1_500_000_000);
        assert_eq!((t.unix_seconds(), t.subsec_nanos()), (2, 500_000_000));
        assert_eq!(t.unix_nanos(), 2_500_000_000);
        assert_eq!(t.unix_millis(), 2_500);
        let t = Timestamp::from_unix_millis(-1);
        assert_eq!((t.unix_seconds(), t.subsec_nanos()), (-1, 999_000_000));
        let t = Timestamp::from_unix_millis(1_234);
        assert_eq!((t.unix_seconds(), t.subsec_nanos()), (1, 234_000_000));
        // The first instant of the range keeps its fraction; only earlier
        // ones saturate.
        assert_eq!(Timestamp::from_unix(MIN_SECS, 5).subsec_nanos(), 5);
        assert_eq!(Timestamp::from_unix(MIN_SECS - 1, 5).subsec_nanos(), 0);
        assert_eq!(Timestamp::from_unix(MAX_SECS, 5).subsec_nanos(), 5);
    }

    #[test]
    fn from_date_checks_the_day_of_the_month() {
        let day = |y, m, d| Timestamp::from_date(y, m, d).map(|t| t.to_string());
        assert_eq!(day(2024, 1, 31).as_deref(), Some("2024-01-31T00:00:00Z"));
        assert_eq!(day(2024, 2, 29).as_deref(), Some("2024-02-29T00:00:00Z"));
        for (y, m, d) in [
            (2024, 1, 0),
            (2024, 1, 32),
            (2023, 2, 29),
            (2024, 4, 31),
            (2024, 13, 1),
            (2024, 0, 1),
        ] {
            assert_eq!(day(y, m, d), None, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn parse_separators_bare_dates_and_time_bounds() {
        let secs = |s: &str| Timestamp::parse(s).map(|t| t.unix_seconds());
        assert_eq!(secs("2024-01-02"), Ok(1_704_153_600));
        for s in [
            "2024-01-02T00:00:00Z",
            "2024-01-02t00:00:00z",
            "2024-01-02 00:00:00Z",
            "2024-01-02T00:00",
        ] {
            assert_eq!(secs(s), Ok(1_704_153_600), "{s}");
        }
        assert_eq!(secs("2024-01-02T23:59:59Z"), Ok(1_704_239_999));
        // A leap second reads as the first second of the next day.
        assert_eq!(secs("2016-12-31T23:59:60Z"), Ok(1_483_228_800));
        for s in [
            "2024-01-02T00:60:00Z",
            "2024-01-02T00:00:61Z",
            "2024-01-02_00:00:00Z",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn fraction_digits_past_nine_are_dropped() {
        for s in [
            "2024-01-02T00:00:00.1234567891Z",
            "2024-01-02T00:00:00.9999999999999Z",
        ] {
            let t = Timestamp::parse(s).unwrap();
            let want = if s.contains(".1") {
                123_456_789
            } else {
                999_999_999
            };
            assert_eq!(t.subsec_nanos(), want, "{s}");
        }
    }

    #[test]
    fn utc_views_and_order() {
        let t = Timestamp::parse("2024-03-01T00:30:00+01:00").unwrap();
        assert_eq!(t.to_utc().to_string(), "2024-02-29T23:30:00Z");
        assert_eq!(t.to_utc().offset_minutes(), 0);
        assert_eq!(t.utc_date(), (2024, 2, 29));
        assert_eq!(
            Timestamp::from_unix(-62_200_000_000, 0).utc_date(),
            (-2, 12, 17)
        );
        // Year 0 has no sign; year -1 has one.
        assert_eq!(
            Timestamp::from_unix(-62_167_219_200, 0).to_string(),
            "0000-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix(-62_167_219_201, 0).to_string(),
            "-0001-12-31T23:59:59Z"
        );
        let earlier = Timestamp::parse("2024-01-01T00:00:00Z").unwrap();
        let later = Timestamp::parse("2024-01-01T00:00:00.5Z").unwrap();
        assert!(earlier < later);
        assert_eq!(earlier.partial_cmp(&later), Some(std::cmp::Ordering::Less));
    }

    #[test]
    fn serde_says_what_it_expected() {
        let e = serde_json::from_str::<Timestamp>("12")
            .unwrap_err()
            .to_string();
        assert!(e.contains("an ISO 8601 date-time string"), "{e}");
    }

    #[test]
    fn offset_bounds() {
        for (s, minutes) in [
            ("+23:59", 1_439),
            ("-23:59", -1_439),
            ("+23", 1_380),
            ("+0059", 59),
        ] {
            let t = Timestamp::parse(&format!("2024-01-02T00:00:00{s}")).unwrap();
            assert_eq!(t.offset_minutes(), minutes, "{s}");
        }
        for s in ["+24:00", "+25:00", "+00:60", "+00:61", "-24:00"] {
            assert!(
                Timestamp::parse(&format!("2024-01-02T00:00:00{s}")).is_err(),
                "{s}"
            );
        }
    }
}
