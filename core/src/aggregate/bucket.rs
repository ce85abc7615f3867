//! Time buckets in UTC or a fixed offset, without a date-time dependency.

use crate::time::{civil_from_days, days_from_civil};
use serde::{Deserialize, Serialize};

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// The width of a time bucket: `'hour' | 'day' | 'week' | 'month'`.
///
/// Buckets are aligned in a fixed UTC offset (in minutes east of UTC, 0 for
/// UTC): days start at 00:00 local time, weeks on Monday 00:00, months on
/// the 1st at 00:00. A bucket is identified by a consecutive integer index,
/// so the buckets between two indices are exactly the integers between them.
/// Far beyond the years a [`Timestamp`](crate::time::Timestamp) holds
/// (-9999 to 9999), indices and starts saturate rather than overflow.
///
/// ```
/// use partner_usage_core::aggregate::Bucket;
/// use partner_usage_core::time::Timestamp;
/// let t = Timestamp::parse("2024-03-06T10:30:00Z").unwrap(); // a Wednesday
/// let week = Bucket::Week.index(t.unix_seconds(), 0);
/// assert_eq!(Timestamp::from_unix(Bucket::Week.start(week, 0), 0).to_string(), "2024-03-04T00:00:00Z");
/// let month = Bucket::Month.index(t.unix_seconds(), 0);
/// assert_eq!(Bucket::Month.start(month + 1, 0), Timestamp::parse("2024-04-01T00:00:00Z").unwrap().unix_seconds());
/// // In UTC+05:30 the day starts at 18:30 UTC the evening before.
/// let day = Bucket::Day.index(t.unix_seconds(), 330);
/// assert_eq!(Timestamp::from_unix(Bucket::Day.start(day, 330), 0).to_string(), "2024-03-05T18:30:00Z");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Bucket {
    /// One hour.
    Hour,
    /// One day (the default).
    #[default]
    Day,
    /// One week, Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
}

impl Bucket {
    /// The name: `hour`, `day`, `week` or `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Hour => "hour",
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }

    /// The index of the bucket holding an instant (seconds since the Unix
    /// epoch) in a fixed offset (minutes east of UTC).
    pub fn index(self, unix_secs: i64, offset_minutes: i32) -> i64 {
        let local = unix_secs.saturating_add(i64::from(offset_minutes) * 60);
        let day = local.div_euclid(DAY);
        match self {
            Bucket::Hour => local.div_euclid(HOUR),
            Bucket::Day => day,
            // 1970-01-01 was a Thursday, three days after a Monday.
            Bucket::Week => (day + 3).div_euclid(7),
            Bucket::Month => {
                let (y, m, _) = civil_from_days(day);
                i64::from(y) * 12 + i64::from(m) - 1
            }
        }
    }

    /// The instant (seconds since the Unix epoch) at which a bucket starts.
    pub fn start(self, index: i64, offset_minutes: i32) -> i64 {
        let local = match self {
            Bucket::Hour => index.saturating_mul(HOUR),
            Bucket::Day => index.saturating_mul(DAY),
            Bucket::Week => index
                .saturating_mul(7)
                .saturating_sub(3)
                .saturating_mul(DAY),
            Bucket::Month => {
                // Saturates at the months of i32's years, whose starts fit.
                let index = index.clamp(i64::from(i32::MIN) * 12, i64::from(i32::MAX) * 12 + 11);
                let year = index.div_euclid(12) as i32;
                let month = index.rem_euclid(12) as u32 + 1;
                days_from_civil(year, month, 1) * DAY
            }
        };
        local.saturating_sub(i64::from(offset_minutes) * 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn secs(s: &str) -> i64 {
        Timestamp::parse(s).unwrap().unix_seconds()
    }

    #[test]
    fn every_bucket_starts_at_or_before_its_instants_and_ends_after() {
        for b in [Bucket::Hour, Bucket::Day, Bucket::Week, Bucket::Month] {
            for off in [-720, -300, 0, 330, 840] {
                for t in
                    (secs("1968-12-25T07:00:00Z")..secs("2025-03-01T00:00:00Z")).step_by(7_919_993)
                {
                    let i = b.index(t, off);
                    assert!(b.start(i, off) <= t, "{b:?} {off} {t}");
                    assert!(b.start(i + 1, off) > t, "{b:?} {off} {t}");
                    assert_eq!(b.index(b.start(i, off), off), i);
                }
            }
        }
    }

    #[test]
    fn weeks_start_on_monday_months_on_the_first() {
        let t = secs("2023-01-01T12:00:00Z"); // a Sunday
        assert_eq!(
            Bucket::Week.start(Bucket::Week.index(t, 0), 0),
            secs("2022-12-26T00:00:00Z")
        );
        let t = secs("2024-02-29T23:59:59Z");
        assert_eq!(
            Bucket::Month.start(Bucket::Month.index(t, 0), 0),
            secs("2024-02-01T00:00:00Z")
        );
        // One minute later in UTC+01:00 is already March.
        let t = secs("2024-02-29T23:00:00Z");
        assert_eq!(
            Bucket::Month.start(Bucket::Month.index(t, 60), 60),
            secs("2024-03-01T00:00:00+01:00")
        );
        assert_eq!(Bucket::Hour.index(secs("1969-12-31T23:59:59Z"), 0), -1);
    }

    #[test]
    fn extreme_instants_and_indices_saturate() {
        for b in [Bucket::Hour, Bucket::Day, Bucket::Week, Bucket::Month] {
            for off in [i32::MIN, -720, 0, 840, i32::MAX] {
                for x in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
                    let i = b.index(x, off);
                    let _ = b.start(x, off);
                    let _ = b.start(i, off);
                }
                // Monotonic at the edges.
                assert!(b.index(i64::MIN, off) <= b.index(0, off));
                assert!(b.index(i64::MAX, off) >= b.index(0, off));
                assert!(b.start(i64::MIN, off) <= b.start(0, off));
                assert!(b.start(i64::MAX, off) >= b.start(0, off));
            }
        }
        assert_eq!(Bucket::Hour.start(i64::MAX, 0), i64::MAX);
        assert_eq!(Bucket::Day.start(i64::MIN, 0), i64::MIN);
        assert_eq!(Bucket::Day.index(i64::MAX, 1), i64::MAX / DAY);
        // A month index beyond i32's years starts in the last (first) of them.
        assert_eq!(
            Bucket::Month.start(i64::MAX, 0),
            days_from_civil(i32::MAX, 12, 1) * DAY
        );
        assert_eq!(
            Bucket::Month.start(i64::MIN, 0),
            days_from_civil(i32::MIN, 1, 1) * DAY
        );
    }

    #[test]
    fn names_round_trip() {
        for b in [Bucket::Hour, Bucket::Day, Bucket::Week, Bucket::Month] {
            let json = format!("\"{}\"", b.as_str());
            assert_eq!(serde_json::from_str::<Bucket>(&json).unwrap(), b);
        }
        assert!(serde_json::from_str::<Bucket>("\"fortnight\"").is_err());
    }
}
