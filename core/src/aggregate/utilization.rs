//! What is consumed, and when: Azure utilization records as time series.

use super::bucket::Bucket;
use super::ingest::{BadRecordPolicy, Ingest, RecordError};
use super::{field_error, overflow_at, total_overflow, Spellings};
use crate::case;
use crate::decimal::{Decimal, DecimalError};
use crate::error::Error;
use crate::model::AzureUtilizationRecord;
use crate::paginate::PageInfo;
use crate::scan::{eq_bytes, scan_utilization_page_or_skip, FieldSet, UtilizationFields};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What the summariser reads of a utilization record, decoded
/// ([`AzureUtilizationRecord`]) or scanned ([`UtilizationFields`]).
trait Usage {
    /// `usageStartTime`, or a record error naming it.
    fn start(&self) -> Result<Timestamp, Error>;
    /// `usageStartTime` as written, when the record has its text (then
    /// equal texts give equal times, so the summariser can reuse a parse).
    fn start_text(&self) -> Option<&str> {
        None
    }
    /// `quantity`, or a record error naming it.
    fn quantity(&self) -> Result<Decimal, Error>;
    fn name(&self) -> &str;
    fn category(&self) -> &str;
    fn subcategory(&self) -> &str;
    fn region(&self) -> &str;
    fn unit(&self) -> &str;
    fn resource_group(&self) -> Option<&str>;
    fn tag(&self, key: &str) -> Option<Cow<'_, str>>;
}

fn missing(field: &str) -> Error {
    field_error(field, "missing or null")
}

impl Usage for AzureUtilizationRecord {
    fn start(&self) -> Result<Timestamp, Error> {
        self.usage_start_time
            .ok_or_else(|| missing("usageStartTime"))
    }
    fn quantity(&self) -> Result<Decimal, Error> {
        self.quantity.ok_or_else(|| missing("quantity"))
    }
    fn name(&self) -> &str {
        &self.resource.name
    }
    fn category(&self) -> &str {
        &self.resource.category
    }
    fn subcategory(&self) -> &str {
        &self.resource.subcategory
    }
    fn region(&self) -> &str {
        &self.resource.region
    }
    fn unit(&self) -> &str {
        &self.unit
    }
    fn resource_group(&self) -> Option<&str> {
        AzureUtilizationRecord::resource_group(self)
    }
    fn tag(&self, key: &str) -> Option<Cow<'_, str>> {
        AzureUtilizationRecord::tag(self, key).map(Cow::Borrowed)
    }
}

impl Usage for UtilizationFields<'_> {
    fn start(&self) -> Result<Timestamp, Error> {
        let text = self
            .usage_start_time
            .as_deref()
            .ok_or_else(|| missing("usageStartTime"))?;
        Timestamp::parse(text).map_err(|e| field_error("usageStartTime", &e.to_string()))
    }
    fn start_text(&self) -> Option<&str> {
        self.usage_start_time.as_deref()
    }
    fn quantity(&self) -> Result<Decimal, Error> {
        let text = self.quantity.ok_or_else(|| missing("quantity"))?;
        Decimal::parse(text).map_err(|e| field_error("quantity", &e.to_string()))
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn category(&self) -> &str {
        &self.category
    }
    fn subcategory(&self) -> &str {
        &self.subcategory
    }
    fn region(&self) -> &str {
        &self.region
    }
    fn unit(&self) -> &str {
        &self.unit
    }
    fn resource_group(&self) -> Option<&str> {
        UtilizationFields::resource_group(self)
    }
    fn tag(&self, key: &str) -> Option<Cow<'_, str>> {
        UtilizationFields::tag(self, key)
    }
}

/// The largest fixed offset accepted, in minutes (±18:00).
const MAX_OFFSET_MINUTES: i32 = 18 * 60;

/// The largest accepted [`UtilizationOptions::max_buckets`]: a summary's
/// buckets are allocated, so a bigger bound would let a wide time range
/// exhaust memory (wasm aborts on a failed allocation) instead of failing
/// with an error. A million hours is over a century.
pub const MAX_BUCKETS: usize = 1_000_000;

/// What a series is keyed by, besides its unit:
/// `'meter' | 'category' | 'subcategory' | 'region' | 'resource-group' | 'tag'`.
///
/// The unit is always part of a series' key, so quantities in different
/// units are never summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SeriesDimension {
    /// The meter: `resource.name` (the default).
    #[default]
    Meter,
    /// `resource.category`, e.g. `Storage`.
    Category,
    /// `resource.subcategory`.
    Subcategory,
    /// `resource.region`, e.g. `West Europe`.
    Region,
    /// The resource group parsed from `instanceData.resourceUri`, compared
    /// case-insensitively and shown in its most common spelling.
    ResourceGroup,
    /// The value of the tag named by `tagKey` (`instanceData.tags`, names
    /// compared case-insensitively); records without it form the
    /// `(untagged)` series.
    Tag,
}

impl SeriesDimension {
    /// The name: `meter`, `category`, `subcategory`, `region`,
    /// `resource-group` or `tag`, as JavaScript and JSON spell it.
    ///
    /// ```
    /// use partner_usage_core::aggregate::SeriesDimension;
    /// assert_eq!(SeriesDimension::Tag.as_str(), "tag");
    /// for d in [SeriesDimension::Meter, SeriesDimension::Category, SeriesDimension::Subcategory,
    ///           SeriesDimension::Region, SeriesDimension::ResourceGroup, SeriesDimension::Tag] {
    ///     let json = format!("\"{}\"", d.as_str());
    ///     assert_eq!(serde_json::to_string(&d).unwrap(), json);
    ///     assert_eq!(serde_json::from_str::<SeriesDimension>(&json).unwrap(), d);
    /// }
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            SeriesDimension::Meter => "meter",
            SeriesDimension::Category => "category",
            SeriesDimension::Subcategory => "subcategory",
            SeriesDimension::Region => "region",
            SeriesDimension::ResourceGroup => "resource-group",
            SeriesDimension::Tag => "tag",
        }
    }

    fn none_label(self) -> &'static str {
        match self {
            SeriesDimension::ResourceGroup => "(no resource group)",
            SeriesDimension::Tag => "(untagged)",
            _ => super::NONE_LABEL,
        }
    }
}

/// A tag filter: the tag is present (`value` absent) or has exactly `value`.
/// Equal when they select the same records (the key ignoring case).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct TagFilter {
    /// The tag name, compared case-insensitively.
    pub key: String,
    /// The value, compared exactly; `None`: any value.
    pub value: Option<String>,
}

impl TagFilter {
    /// Records with tag `key`, with exactly `value` if given.
    ///
    /// ```
    /// use partner_usage_core::aggregate::{TagFilter, UtilizationFilters};
    /// let f = UtilizationFilters::default().tag(Some(TagFilter::new("Env", Some("prod"))));
    /// assert_eq!(f.tag.unwrap().key, "Env");
    /// ```
    pub fn new(key: impl Into<String>, value: Option<&str>) -> TagFilter {
        TagFilter {
            key: key.into(),
            value: value.map(str::to_string),
        }
    }
}

impl PartialEq for TagFilter {
    fn eq(&self, other: &Self) -> bool {
        case::eq_ignore_case(&self.key, &other.key) && self.value == other.value
    }
}

impl Eq for TagFilter {}

/// Filters applied to each record before it is aggregated. All given
/// filters must match. From JavaScript:
/// `{ start: '2024-01-01T00:00:00Z', end: '…', category: 'Storage',
///    region: 'West Europe', resourceGroup: 'prod', tag: { key: 'env', value: 'prod' },
///    meterContains: 'lrs' }`.
///
/// ```
/// use partner_usage_core::aggregate::UtilizationFilters;
/// use partner_usage_core::model::AzureUtilizationRecord;
/// let f: UtilizationFilters = serde_json::from_str(
///     r#"{"start":"2024-01-01T00:00:00Z","category":"storage","meterContains":"lrs"}"#).unwrap();
/// let r: AzureUtilizationRecord = serde_json::from_str(r#"{"usageStartTime":"2024-01-02T00:00:00Z",
///     "resource":{"name":"Hot LRS Data Stored","category":"Storage"},"quantity":1,"unit":"1 GB/Month"}"#).unwrap();
/// assert!(f.matches(&r));
/// // Names compare as Azure compares them, beyond ASCII too.
/// let f: UtilizationFilters = serde_json::from_str(r#"{"meterContains":"ÜBERTRAGUNG"}"#).unwrap();
/// let r: AzureUtilizationRecord = serde_json::from_str(
///     r#"{"resource":{"name":"Datenübertragung ausgehend"},"quantity":1,"unit":"1 GB"}"#).unwrap();
/// assert!(f.matches(&r));
/// ```
///
/// Two filters are equal when they select the same records: instants
/// compare as instants (`Z` = `+00:00`) and names ignoring case.
///
/// ```
/// use partner_usage_core::aggregate::UtilizationFilters;
/// let a: UtilizationFilters = serde_json::from_str(r#"{"start":"2024-01-01T00:00:00Z","category":"Storage"}"#).unwrap();
/// let b: UtilizationFilters = serde_json::from_str(r#"{"start":"2024-01-01T01:00:00+01:00","category":"storage"}"#).unwrap();
/// assert_eq!(a, b);
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct UtilizationFilters {
    /// Keep records whose `usageStartTime` is at or after this instant.
    pub start: Option<Timestamp>,
    /// Keep records whose `usageStartTime` is before this instant.
    pub end: Option<Timestamp>,
    /// `resource.category`, case-insensitively.
    pub category: Option<String>,
    /// `resource.region`, case-insensitively.
    pub region: Option<String>,
    /// The resource group of `instanceData.resourceUri`, case-insensitively.
    pub resource_group: Option<String>,
    /// A tag of `instanceData.tags`.
    pub tag: Option<TagFilter>,
    /// A substring of `resource.name`, case-insensitively.
    pub meter_contains: Option<String>,
}

impl PartialEq for UtilizationFilters {
    fn eq(&self, other: &Self) -> bool {
        fn instant(a: &Option<Timestamp>, b: &Option<Timestamp>) -> bool {
            a.map(|t| t.unix_nanos()) == b.map(|t| t.unix_nanos())
        }
        fn name(a: &Option<String>, b: &Option<String>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => case::eq_ignore_case(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
        }
        instant(&self.start, &other.start)
            && instant(&self.end, &other.end)
            && name(&self.category, &other.category)
            && name(&self.region, &other.region)
            && name(&self.resource_group, &other.resource_group)
            && self.tag == other.tag
            && name(&self.meter_contains, &other.meter_contains)
    }
}

impl Eq for UtilizationFilters {}

impl UtilizationFilters {
    /// Whether a record passes every filter. A record without
    /// `usageStartTime` fails a time filter.
    pub fn matches(&self, r: &AzureUtilizationRecord) -> bool {
        self.passes(r, r.usage_start_time.as_ref())
    }

    fn passes(&self, r: &impl Usage, start: Option<&Timestamp>) -> bool {
        let start = start.map(Timestamp::unix_nanos);
        // The record's side is a closure: an absent filter reads nothing
        // (no resource-group parse per record when nobody filters on it).
        fn eq<'h>(want: &Option<String>, have: impl FnOnce() -> &'h str) -> bool {
            want.as_ref()
                .is_none_or(|w| case::eq_ignore_case(w, have()))
        }
        self.start
            .is_none_or(|s| start.is_some_and(|t| t >= s.unix_nanos()))
            && self
                .end
                .is_none_or(|e| start.is_some_and(|t| t < e.unix_nanos()))
            && eq(&self.category, || r.category())
            && eq(&self.region, || r.region())
            && eq(&self.resource_group, || r.resource_group().unwrap_or(""))
            && self
                .tag
                .as_ref()
                .is_none_or(|f| match (r.tag(&f.key), &f.value) {
                    (Some(have), Some(want)) => have == want.as_str(),
                    (have, None) => have.is_some(),
                    (None, Some(_)) => false,
                })
            && self
                .meter_contains
                .as_ref()
                .is_none_or(|n| case::contains_ignore_case(r.name(), n))
    }
}

/// The anomaly rule's parameters (see [`anomalies`]): `{ k: 3, window: 7,
/// minRise: 0.1 }`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct AnomalyOptions {
    /// How many standard deviations above the trailing mean (default 3).
    pub k: f64,
    /// How many prior buckets form the trailing window (default 7, at least 1).
    pub window: usize,
    /// The least rise above the trailing mean, as a share of it (default
    /// 0.1: 10 %), so that a steady series' small wobbles are not
    /// anomalies however steady it was; 0 flags any rise beyond `k`·sd.
    pub min_rise: f64,
}

impl Default for AnomalyOptions {
    fn default() -> Self {
        AnomalyOptions {
            k: 3.0,
            window: 7,
            min_rise: 0.1,
        }
    }
}

/// Options of a [`UtilizationSummariser`]. From JavaScript:
/// `{ bucket: 'day', offsetMinutes: 0, groupBy: 'meter', tagKey: 'env',
///    filters: {…}, exact: true, anomaly: { k: 3, window: 7 }, maxBuckets: 20000,
///    badRecords: 'fail' }`, every field optional.
///
/// ```
/// use partner_usage_core::aggregate::{Bucket, SeriesDimension, UtilizationOptions};
/// let o: UtilizationOptions = serde_json::from_str(
///     r#"{"bucket":"week","groupBy":"tag","tagKey":"env","filters":{"region":"West Europe"}}"#).unwrap();
/// assert_eq!((o.bucket, o.group_by), (Bucket::Week, SeriesDimension::Tag));
/// assert!(o.exact);
/// assert_eq!(o.anomaly.window, 7);
/// // In Rust, the same with setters:
/// use partner_usage_core::aggregate::UtilizationFilters;
/// let r = UtilizationOptions::default()
///     .bucket(Bucket::Week)
///     .group_by(SeriesDimension::Tag)
///     .tag_key(Some("env".into()))
///     .filters(UtilizationFilters::default().region(Some("West Europe".into())));
/// assert_eq!(r, o);
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct UtilizationOptions {
    /// The bucket width (default: day).
    pub bucket: Bucket,
    /// The fixed offset buckets are aligned in, minutes east of UTC
    /// (default 0: UTC; at most ±1080).
    pub offset_minutes: i32,
    /// What a series is keyed by besides the unit (default: meter).
    pub group_by: SeriesDimension,
    /// The tag name, required with `groupBy: 'tag'`.
    pub tag_key: Option<String>,
    /// Filters applied before aggregation.
    pub filters: UtilizationFilters,
    /// Whether series carry `exactValues` (default true).
    pub exact: bool,
    /// The anomaly rule.
    pub anomaly: AnomalyOptions,
    /// The most buckets a summary may span (default 20 000, at most
    /// [`MAX_BUCKETS`]); a wider span is an error rather than a huge
    /// allocation.
    pub max_buckets: usize,
    /// What to do with a bad record (default: fail).
    pub bad_records: BadRecordPolicy,
}

setters!(UtilizationOptions {
    bucket: Bucket,
    offset_minutes: i32,
    group_by: SeriesDimension,
    tag_key: Option<String>,
    filters: UtilizationFilters,
    exact: bool,
    anomaly: AnomalyOptions,
    max_buckets: usize,
    bad_records: BadRecordPolicy,
});

setters!(UtilizationFilters {
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    category: Option<String>,
    region: Option<String>,
    resource_group: Option<String>,
    tag: Option<TagFilter>,
    meter_contains: Option<String>,
});

setters!(AnomalyOptions {
    k: f64,
    window: usize,
    min_rise: f64
});

impl Default for UtilizationOptions {
    fn default() -> Self {
        UtilizationOptions {
            bucket: Bucket::Day,
            offset_minutes: 0,
            group_by: SeriesDimension::Meter,
            tag_key: None,
            filters: UtilizationFilters::default(),
            exact: true,
            anomaly: AnomalyOptions::default(),
            max_buckets: 20_000,
            bad_records: BadRecordPolicy::Fail,
        }
    }
}

impl UtilizationOptions {
    fn validate(&self) -> Result<(), Error> {
        let bad = |m: &str| Err(Error::invalid_input(m));
        // unsigned_abs: i32::MIN.abs() wraps (and stays negative) in release.
        if self.offset_minutes.unsigned_abs() > MAX_OFFSET_MINUTES.unsigned_abs() {
            return bad("offsetMinutes must be between -1080 and 1080");
        }
        if self.group_by == SeriesDimension::Tag
            && self.tag_key.as_deref().is_none_or(str::is_empty)
        {
            return bad("groupBy 'tag' needs a tagKey");
        }
        if self.group_by != SeriesDimension::Tag
            && self.tag_key.as_deref().is_some_and(|k| !k.is_empty())
        {
            return bad("tagKey goes with groupBy 'tag' (to keep the records with one tag value, filter: filters.tag)");
        }
        if self.anomaly.window == 0 {
            return bad("anomaly.window must be at least 1");
        }
        if !(self.anomaly.k.is_finite() && self.anomaly.k >= 0.0) {
            return bad("anomaly.k must be a number of at least 0");
        }
        if !(self.anomaly.min_rise.is_finite() && self.anomaly.min_rise >= 0.0) {
            return bad("anomaly.minRise must be a number of at least 0");
        }
        if self.max_buckets == 0 || self.max_buckets > MAX_BUCKETS {
            return bad(&format!("maxBuckets must be from 1 to {MAX_BUCKETS}"));
        }
        if let (Some(s), Some(e)) = (self.filters.start, self.filters.end) {
            if s.unix_nanos() >= e.unix_nanos() {
                return bad("filters.start must be before filters.end");
            }
        }
        Ok(())
    }
}

/// One series' accumulator: sparse exact sums per bucket index.
///
/// The bucket being filled is held apart in `current`, out of the map:
/// records arrive ordered by time, so nearly every add touches it and costs
/// one decimal addition, with no map lookup.
#[derive(Debug, Clone, Default)]
struct Acc {
    spellings: Spellings,
    buckets: BTreeMap<i64, Decimal>,
    current: Option<(i64, Decimal)>,
    records: u64,
}

impl Acc {
    /// Adds `q` to bucket `b`; on overflow nothing is changed.
    #[inline]
    fn add(&mut self, b: i64, q: Decimal) -> Result<(), DecimalError> {
        if let Some((cb, v)) = &mut self.current {
            if *cb == b {
                *v = v.checked_add(q)?;
                return Ok(());
            }
        }
        let sum = self
            .buckets
            .get(&b)
            .copied()
            .unwrap_or_default()
            .checked_add(q)?;
        self.buckets.remove(&b);
        if let Some((ob, ov)) = self.current.replace((b, sum)) {
            self.buckets.insert(ob, ov);
        }
        Ok(())
    }

    /// Every bucket, the current one included.
    fn settled(mut self) -> Acc {
        if let Some((b, v)) = self.current.take() {
            self.buckets.insert(b, v);
        }
        self
    }

    fn first_bucket(&self) -> Option<i64> {
        let first = self.buckets.keys().next().copied();
        match (first, self.current) {
            (Some(f), Some((c, _))) => Some(f.min(c)),
            (f, c) => f.or(c.map(|(c, _)| c)),
        }
    }

    fn last_bucket(&self) -> Option<i64> {
        let last = self.buckets.keys().next_back().copied();
        match (last, self.current) {
            (Some(l), Some((c, _))) => Some(l.max(c)),
            (l, c) => l.or(c.map(|(c, _)| c)),
        }
    }
}

/// A series: its unit, its group value (empty for "none") and its sums.
#[derive(Debug, Clone)]
struct Slot {
    unit: String,
    key: String,
    /// `SeriesIndex::hash(unit, key)`.
    hash: u64,
    acc: Acc,
}

/// FxHash's mixing step: a fast, non-cryptographic hash for the series
/// index. Its keys are the data's own meter names and units and a lookup
/// happens for every record, so SipHash's DoS resistance would cost more
/// than it protects here (a series is still found by comparing its text).
#[derive(Debug, Clone, Copy, Default)]
struct FxHash(u64);

impl FxHash {
    #[inline(always)]
    fn word(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    /// Hashes bytes (ASCII-lowercased when `lowercase`), 8 at a time.
    #[inline]
    fn bytes(&mut self, b: &[u8], lowercase: bool) {
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
            self.word(if lowercase { ascii_lower_word(w) } else { w });
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        let w = u64::from_le_bytes(last);
        self.word(if lowercase { ascii_lower_word(w) } else { w });
        self.word(b.len() as u64);
    }
}

/// Lowercases the ASCII letters of eight bytes at once.
#[inline(always)]
fn ascii_lower_word(w: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    // Bytes in b'A'..=b'Z' get 0x20 added; others (incl. UTF-8) are unchanged.
    let ge_a = (w | 0x8080_8080_8080_8080).wrapping_sub(LO * u64::from(b'A')) & !w;
    let gt_z = (w | 0x8080_8080_8080_8080).wrapping_sub(LO * u64::from(b'Z' + 1)) & !w;
    let upper = ge_a & !gt_z & 0x8080_8080_8080_8080;
    w | (upper >> 2)
}

/// The series index: open addressing over `slots`, probed with a hash of
/// the borrowed (unit, group value), so finding a record's series builds
/// no key and allocates nothing.
#[derive(Debug, Clone, Default)]
struct SeriesIndex {
    /// `0` is empty, else a position in `slots` plus one; the length is a
    /// power of two, at least twice the number of series.
    table: Vec<u32>,
}

impl SeriesIndex {
    fn hash(unit: &str, key: &str, lowercase: bool) -> u64 {
        let mut h = FxHash::default();
        h.bytes(unit.as_bytes(), false);
        h.bytes(key.as_bytes(), lowercase);
        h.0
    }

    /// The table entry where probing for `hash` starts: the hash's top
    /// bits, which its last multiply mixes best (its low bits depend only
    /// on the input's low bits).
    #[inline(always)]
    fn start(hash: u64, len: usize) -> usize {
        (hash >> (64 - len.trailing_zeros())) as usize
    }

    /// The series' position, or the table entry where it would go.
    #[inline]
    fn find(
        &self,
        slots: &[Slot],
        hash: u64,
        unit: &str,
        key: &str,
        lowercase: bool,
    ) -> Result<usize, usize> {
        if self.table.is_empty() {
            return Err(0);
        }
        let mask = self.table.len() - 1;
        let mut i = Self::start(hash, self.table.len());
        loop {
            let Some(s) = (self.table[i] as usize).checked_sub(1) else {
                return Err(i);
            };
            let slot = &slots[s];
            let same_key = if lowercase {
                slot.key.as_bytes().eq_ignore_ascii_case(key.as_bytes())
            } else {
                eq_bytes(slot.key.as_bytes(), key.as_bytes())
            };
            if slot.hash == hash && same_key && eq_bytes(slot.unit.as_bytes(), unit.as_bytes()) {
                return Ok(s);
            }
            #[cfg(test)]
            crate::slow_paths::count(&crate::slow_paths::SERIES_PROBES);
            i = (i + 1) & mask;
        }
    }

    /// Rebuilds the table for `slots` (when it would be over half full).
    fn rebuild(&mut self, slots: &[Slot]) {
        let size = (slots.len() * 2).next_power_of_two().max(16);
        self.table = vec![0; size];
        let mask = size - 1;
        for (n, slot) in slots.iter().enumerate() {
            let mut i = Self::start(slot.hash, size);
            while self.table[i] != 0 {
                #[cfg(test)]
                crate::slow_paths::count(&crate::slow_paths::SERIES_PROBES);
                i = (i + 1) & mask;
            }
            self.table[i] = n as u32 + 1;
        }
    }
}

/// The last `usageStartTime` text read, its time and its bucket: records
/// come ordered by time, so most repeat the previous record's text.
#[derive(Debug, Clone)]
struct LastStart {
    text: String,
    time: Timestamp,
    bucket: i64,
}

/// Streams Azure utilization records into a [`UtilizationSummary`].
///
/// A record goes in the bucket of its `usageStartTime` (the time the billing
/// system reported it). A record without `usageStartTime` or `quantity` is a
/// bad record. Each series sums its records' exact quantities per bucket.
///
/// ```
/// use partner_usage_core::aggregate::{UtilizationOptions, UtilizationSummariser};
/// use partner_usage_core::model::AzureUtilizationRecord;
/// let mut s = UtilizationSummariser::new(UtilizationOptions::default()).unwrap();
/// for (day, q, unit) in [("01", "0.5", "1 Hour"), ("03", "2", "1 Hour"), ("03", "7", "10 GB")] {
///     let r: AzureUtilizationRecord = serde_json::from_str(&format!(r#"{{
///         "usageStartTime": "2024-01-{day}T00:00:00Z", "resource": {{"name": "D2 v3"}},
///         "quantity": {q}, "unit": "{unit}"}}"#)).unwrap();
///     s.add(&r).unwrap();
/// }
/// let out = s.finish().unwrap();
/// assert_eq!(out.bucket_starts.len(), 3); // 1, 2 and 3 January
/// assert_eq!(out.series.len(), 2);        // never 1 Hour + 10 GB
/// assert_eq!(out.series[0].label, "D2 v3 (1 Hour)");
/// assert_eq!(out.series[0].values, [0.5, 0.0, 2.0]);
/// assert_eq!(out.series[0].total.to_string(), "2.5");
/// assert_eq!(out.series[0].peak_index, 2);
/// ```
#[derive(Debug, Clone)]
pub struct UtilizationSummariser {
    options: UtilizationOptions,
    ingest: Ingest,
    records: u64,
    filtered_out: u64,
    /// The series, in order of first appearance; an empty value is "none".
    slots: Vec<Slot>,
    /// Finds a (unit, group value) in `slots`.
    index: SeriesIndex,
    last_start: Option<LastStart>,
    /// The item count of the last scanned page: the next page's records
    /// are gathered into a vector this size, grown only when it has more.
    page_items: usize,
    /// The window the records were fetched for (see [`Self::spanning`]).
    window: (Option<Timestamp>, Option<Timestamp>),
}

impl UtilizationSummariser {
    /// A summariser, or [`Error::InvalidInput`] for inconsistent options.
    pub fn new(options: UtilizationOptions) -> Result<UtilizationSummariser, Error> {
        options.validate()?;
        Ok(UtilizationSummariser {
            ingest: Ingest::new(options.bad_records),
            options,
            records: 0,
            filtered_out: 0,
            slots: Vec::new(),
            index: SeriesIndex::default(),
            last_start: None,
            page_items: 0,
            window: (None, None),
        })
    }

    /// The window the records were fetched for: a utilization query's
    /// `start_time` and `end_time`, which select usage by when Partner
    /// Center *reported* it. The buckets span the window, empty ones
    /// included, and any record outside it too: usage that happened before
    /// the window but was reported in it is kept, not dropped. (To keep
    /// only a time range, filter: [`UtilizationFilters`] `start`/`end`.)
    ///
    /// ```
    /// use partner_usage_core::aggregate::{UtilizationOptions, UtilizationSummariser};
    /// use partner_usage_core::time::Timestamp;
    /// let t = |s| Timestamp::parse(s).unwrap();
    /// let mut s = UtilizationSummariser::new(UtilizationOptions::default()).unwrap()
    ///     .spanning(Some(t("2024-01-02T00:00:00Z")), Some(t("2024-01-04T00:00:00Z")));
    /// // Reported in the window, used the day before it.
    /// s.add_scanned_page(1, br#"{"items":[{"usageStartTime":"2024-01-01T00:00:00Z",
    ///     "resource":{"name":"VM"},"quantity":2,"unit":"1 Hour"}]}"#).unwrap();
    /// let sum = s.finish().unwrap();
    /// let window = sum.window.as_ref().unwrap();
    /// assert_eq!((window.start_time.to_string(), window.end_time.to_string()),
    ///     ("2024-01-02T00:00:00Z".to_string(), "2024-01-04T00:00:00Z".to_string()));
    /// assert_eq!(sum.bucket_starts.len(), 3); // Jan 1 (the late record), Jan 2, Jan 3
    /// assert_eq!(sum.series[0].values, [2.0, 0.0, 0.0]);
    /// ```
    #[must_use]
    pub fn spanning(mut self, start: Option<Timestamp>, end: Option<Timestamp>) -> Self {
        self.window = (start, end);
        self
    }

    /// The series key (to be lowercased for resource groups) and, for
    /// resource groups, the spelling to count.
    fn key_of<'r>(&self, r: &'r impl Usage) -> (Cow<'r, str>, Option<&'r str>) {
        match self.options.group_by {
            SeriesDimension::Meter => (Cow::Borrowed(r.name()), None),
            SeriesDimension::Category => (Cow::Borrowed(r.category()), None),
            SeriesDimension::Subcategory => (Cow::Borrowed(r.subcategory()), None),
            SeriesDimension::Region => (Cow::Borrowed(r.region()), None),
            SeriesDimension::ResourceGroup => {
                let g = r.resource_group().unwrap_or("");
                (Cow::Borrowed(g), Some(g))
            }
            SeriesDimension::Tag => {
                let key = self.options.tag_key.as_deref().unwrap_or("");
                (r.tag(key).unwrap_or_default(), None)
            }
        }
    }

    /// The fields `add_fields` reads with these options: the scanner skips
    /// the others without decoding them.
    fn wanted_fields(&self) -> FieldSet {
        let o = &self.options;
        let mut f = FieldSet::NONE;
        f.usage_start_time = true;
        f.quantity = true;
        f.unit = true;
        match o.group_by {
            SeriesDimension::Meter => f.name = true,
            SeriesDimension::Category => f.category = true,
            SeriesDimension::Subcategory => f.subcategory = true,
            SeriesDimension::Region => f.region = true,
            SeriesDimension::ResourceGroup => f.resource_uri = true,
            SeriesDimension::Tag => f.tags = true,
        }
        let x = &o.filters;
        f.category |= x.category.is_some();
        f.region |= x.region.is_some();
        f.resource_uri |= x.resource_group.is_some();
        f.tags |= x.tag.is_some();
        f.name |= x.meter_contains.is_some();
        f
    }

    /// The position of the (unit, key) series in `slots`, added if new.
    #[inline]
    fn slot(&mut self, unit: &str, key: &str) -> usize {
        let lowercase = self.options.group_by == SeriesDimension::ResourceGroup;
        // The index folds ASCII case itself; the rare non-ASCII resource
        // group is folded first.
        let folded = if lowercase && !key.is_ascii() {
            case::fold(key)
        } else {
            Cow::Borrowed(key)
        };
        let key = &*folded;
        let hash = SeriesIndex::hash(unit, key, lowercase);
        if let Ok(i) = self.index.find(&self.slots, hash, unit, key, lowercase) {
            return i;
        }
        let i = self.slots.len();
        self.slots.push(Slot {
            unit: unit.to_string(),
            key: if lowercase {
                key.to_ascii_lowercase()
            } else {
                key.to_string()
            },
            hash,
            acc: Acc::default(),
        });
        match self.index.find(&self.slots, hash, unit, key, lowercase) {
            Err(e) if self.slots.len() * 2 <= self.index.table.len() => {
                self.index.table[e] = i as u32 + 1;
            }
            _ => self.index.rebuild(&self.slots),
        }
        i
    }

    /// The record's start time and bucket, reusing the previous record's
    /// parse when the text is the same.
    fn start_and_bucket(&mut self, r: &impl Usage) -> Result<(Timestamp, i64), Error> {
        let o = &self.options;
        let Some(text) = r.start_text() else {
            let start = r.start()?;
            return Ok((
                start,
                o.bucket.index(start.unix_seconds(), o.offset_minutes),
            ));
        };
        if let Some(last) = &self.last_start {
            if eq_bytes(last.text.as_bytes(), text.as_bytes()) {
                return Ok((last.time, last.bucket));
            }
        }
        #[cfg(test)]
        crate::slow_paths::count(&crate::slow_paths::START_PARSES);
        let time = r.start()?;
        let bucket = o.bucket.index(time.unix_seconds(), o.offset_minutes);
        match &mut self.last_start {
            Some(last) => {
                last.text.clear();
                last.text.push_str(text);
                last.time = time;
                last.bucket = bucket;
            }
            None => {
                self.last_start = Some(LastStart {
                    text: text.to_string(),
                    time,
                    bucket,
                })
            }
        }
        Ok((time, bucket))
    }

    /// Adds one record, or counts it as filtered out. On error (a missing
    /// `usageStartTime` or `quantity`, or a quantity that would overflow the
    /// exact total) nothing is changed.
    pub fn add(&mut self, r: &AzureUtilizationRecord) -> Result<(), Error> {
        self.add_usage(r)
    }

    /// Adds the fields of one record read by the page scanner
    /// ([`crate::scan`]), exactly as [`UtilizationSummariser::add`] would
    /// add the decoded record. An unreadable `usageStartTime` or
    /// `quantity` is a record error naming the field.
    pub fn add_fields(&mut self, f: &UtilizationFields<'_>) -> Result<(), Error> {
        self.add_usage(f)
    }

    fn add_usage(&mut self, r: &impl Usage) -> Result<(), Error> {
        let (start, bucket) = self.start_and_bucket(r)?;
        let quantity = r.quantity()?;
        if !self.options.filters.passes(r, Some(&start)) {
            self.filtered_out = self.filtered_out.saturating_add(1);
            return Ok(());
        }
        let (key, spelling) = self.key_of(r);
        let i = self.slot(r.unit(), &key);
        let acc = &mut self.slots[i].acc;
        // A new series starts at zero, so only an existing one can overflow,
        // and then nothing has been changed yet.
        acc.add(bucket, quantity)
            .map_err(|_| overflow_at("quantity"))?;
        acc.records = acc.records.saturating_add(1);
        if let Some(s) = spelling {
            acc.spellings.add(s);
        }
        self.records = self.records.saturating_add(1);
        Ok(())
    }

    /// Scans a whole utilization response body (page `page`, 1-based) with
    /// the fast borrowing scanner ([`scan_utilization_page_fields`](crate::scan::scan_utilization_page_fields), reading
    /// only the fields these options use) and adds its records under the
    /// options' bad-record policy. Returns the page facts (the `next` link,
    /// the item count).
    ///
    /// The body is read once. A body that isn't well-formed JSON, or that
    /// ends early, adds nothing (whatever the policy: the scan can't go
    /// past it), so a paginator can ask for a truncated page again and
    /// nothing is counted twice.
    ///
    /// ```
    /// use partner_usage_core::aggregate::{UtilizationOptions, UtilizationSummariser};
    /// let mut s = UtilizationSummariser::new(UtilizationOptions::default()).unwrap();
    /// let page = br#"{"items":[{"usageStartTime":"2026-11-01T00:00:00Z","unit":"1 Hour","quantity":2.5,"resource":{"id":"m1"}},{"usageStartTime":"2026-11-01T00:00:00Z","unit":"1 Hour","quantity":1,"resource":{"id":"m1"}}]}"#;
    /// // Cut in transit: nothing is added, and the error says so.
    /// let cut = s.add_scanned_page(1, &page[..page.len() - 3]).unwrap_err();
    /// assert!(matches!(cut, partner_usage_core::error::Error::Decode(ref d) if d.truncated));
    /// let info = s.add_scanned_page(1, page).unwrap();
    /// assert_eq!(info.item_count, 2);
    /// let summary = s.finish().unwrap();
    /// assert_eq!(summary.records, 2);
    /// assert_eq!(summary.series[0].total.to_string(), "3.5");
    /// ```
    pub fn add_scanned_page(&mut self, page: u32, body: &[u8]) -> Result<PageInfo, Error> {
        let mut records = Vec::with_capacity(self.page_items);
        // Items that are JSON but not records: under `fail` the first stops
        // the scan; under `skip` they are counted once the whole page has
        // been read (a page cut short is asked for again, and must not
        // count them twice).
        let fail = self.ingest.policy() == BadRecordPolicy::Fail;
        let mut skipped = Vec::new();
        let info = scan_utilization_page_or_skip(
            body,
            self.wanted_fields(),
            |f| {
                records.push(f);
                Ok(())
            },
            |e| {
                let e = e.at_page(page);
                if fail {
                    return Err(Error::Decode(e));
                }
                skipped.push(e);
                Ok(())
            },
        )
        .map_err(|e| match e {
            Error::Decode(d) => Error::Decode(d.on_page(page)),
            e => e,
        })?;
        self.page_items = records.len();
        // The scanner gave each skipped item its index.
        let skipped_at: Vec<usize> = skipped.iter().filter_map(|e| e.index).collect();
        for e in skipped {
            // Under `skip`: counted, its error kept (never an error itself).
            self.ingest.bad_record(e)?;
        }
        let mut ingest = std::mem::take(&mut self.ingest);
        let mut result = Ok(info);
        let mut before = 0; // skipped items before the current record
        for (i, f) in records.iter().enumerate() {
            while skipped_at.get(before).is_some_and(|&k| k <= i + before) {
                before += 1;
            }
            let added = match self.add_fields(f) {
                Err(Error::Decode(e)) => ingest.bad_record(e.at_page(page).at_index(i + before)),
                other => other,
            };
            if let Err(e) = added {
                result = Err(e);
                break;
            }
        }
        self.ingest = ingest;
        result
    }

    /// Decodes and adds the raw items of page `page` (1-based) under the
    /// options' bad-record policy.
    pub fn add_page(&mut self, page: u32, items: &[&RawValue]) -> Result<(), Error> {
        let mut ingest = std::mem::take(&mut self.ingest);
        let result = ingest.page(page, items, |r: AzureUtilizationRecord| self.add(&r));
        self.ingest = ingest;
        result
    }

    /// Adds the records of another summariser, which must have the same
    /// options ([`Error::InvalidInput`] otherwise). After an error, discard both.
    pub fn merge(&mut self, other: UtilizationSummariser) -> Result<(), Error> {
        if other.options != self.options {
            return Err(super::options_differ());
        }
        for slot in other.slots {
            let acc = slot.acc.settled();
            let i = self.slot(&slot.unit, &slot.key);
            let mine = &mut self.slots[i].acc;
            *mine = std::mem::take(mine).settled();
            for (b, v) in acc.buckets {
                let sum = match mine.buckets.get(&b) {
                    Some(m) => m.checked_add(v).map_err(|_| total_overflow("quantity"))?,
                    None => v,
                };
                mine.buckets.insert(b, sum);
            }
            mine.spellings.merge(&acc.spellings);
            mine.records = mine.records.saturating_add(acc.records);
        }
        self.records = self.records.saturating_add(other.records);
        self.filtered_out = self.filtered_out.saturating_add(other.filtered_out);
        self.ingest.merge(other.ingest);
        self.window = (
            self.window.0.into_iter().chain(other.window.0).min(),
            self.window.1.into_iter().chain(other.window.1).max(),
        );
        Ok(())
    }

    /// Fails, as [`Self::finish`] would, when the window and the filters'
    /// time range alone already span more than `maxBuckets` buckets: known
    /// before any record, so a caller can say so before fetching them.
    ///
    /// ```
    /// use partner_usage_core::aggregate::{UtilizationOptions, UtilizationSummariser};
    /// use partner_usage_core::time::Timestamp;
    /// let t = |s| Timestamp::parse(s).unwrap();
    /// let o: UtilizationOptions = serde_json::from_str(r#"{"bucket":"hour","maxBuckets":24}"#).unwrap();
    /// let day = UtilizationSummariser::new(o.clone()).unwrap()
    ///     .spanning(Some(t("2024-01-01T00:00:00Z")), Some(t("2024-01-02T00:00:00Z")));
    /// assert!(day.check_window().is_ok());
    /// let week = UtilizationSummariser::new(o).unwrap()
    ///     .spanning(Some(t("2024-01-01T00:00:00Z")), Some(t("2024-01-08T00:00:00Z")));
    /// assert!(week.check_window().unwrap_err().to_string().contains("168 hour buckets"));
    /// ```
    pub fn check_window(&self) -> Result<(), Error> {
        self.bucket_range(None, None).map(|_| ())
    }

    /// The first bucket's index and how many buckets the summary spans,
    /// from the time range (see [`Self::finish`]) and the records' own
    /// first and last buckets.
    fn bucket_range(
        &self,
        data_lo: Option<i64>,
        data_hi: Option<i64>,
    ) -> Result<(i64, usize), Error> {
        let o = &self.options;
        let off = o.offset_minutes;
        let first = |t: Timestamp| o.bucket.index(t.unix_seconds(), off);
        // An end is exclusive: its bucket counts only if it starts before it.
        let last = |t: Timestamp| {
            o.bucket.index(
                t.unix_seconds()
                    .saturating_sub(i64::from(t.subsec_nanos() == 0)),
                off,
            )
        };
        let lo = match o.filters.start {
            Some(t) => Some(first(t)),
            None => self.window.0.map(first).into_iter().chain(data_lo).min(),
        };
        let hi = match o.filters.end {
            Some(t) => Some(last(t)),
            None => self.window.1.map(last).into_iter().chain(data_hi).max(),
        };
        match (lo, hi) {
            (Some(lo), Some(hi)) if hi >= lo => {
                let n = hi
                    .checked_sub(lo)
                    .and_then(|d| usize::try_from(d).ok())
                    .and_then(|n| n.checked_add(1));
                match n.filter(|&n| n <= o.max_buckets) {
                    Some(n) => Ok((lo, n)),
                    None => Err(Error::invalid_input(format!(
                        "{} {} {} buckets, more than maxBuckets ({}); \
                         narrow the time range or use a wider bucket",
                        if data_lo.is_none() && data_hi.is_none() {
                            "the time range spans"
                        } else {
                            "the records span"
                        },
                        i128::from(hi) - i128::from(lo) + 1,
                        o.bucket.as_str(),
                        o.max_buckets
                    ))),
                }
            }
            _ => Ok((0, 0)),
        }
    }

    /// The summary. The buckets run contiguously from the filter's `start`
    /// (else the earlier of the [window](Self::spanning)'s start and the
    /// first record's bucket) to its `end` (else the later of the window's
    /// end and the last record's), empty buckets included. Fails if that is
    /// more than `maxBuckets` buckets, or if a series total overflows.
    pub fn finish(self) -> Result<UtilizationSummary, Error> {
        let data_lo = self.slots.iter().filter_map(|s| s.acc.first_bucket()).min();
        let data_hi = self.slots.iter().filter_map(|s| s.acc.last_bucket()).max();
        let (lo, n) = self.bucket_range(data_lo, data_hi)?;
        let o = self.options;
        let off = o.offset_minutes;
        let bucket_starts = (0..n)
            .map(|i| o.bucket.start(lo + i as i64, off) as f64 * 1000.0)
            .collect();
        let mut series = Vec::with_capacity(self.slots.len());
        for Slot { unit, key, acc, .. } in self.slots {
            let acc = acc.settled();
            let mut exact = vec![Decimal::ZERO; n];
            // The series' first bucket with a record: it has no history before.
            let mut first = n;
            for (b, v) in acc.buckets {
                let i = b.checked_sub(lo).and_then(|i| usize::try_from(i).ok());
                if let Some((i, slot)) = i.and_then(|i| Some((i, exact.get_mut(i)?))) {
                    *slot = v;
                    first = first.min(i);
                }
            }
            let total = exact.iter().try_fold(Decimal::ZERO, |t, v| {
                t.checked_add(*v).map_err(|_| total_overflow("quantity"))
            })?;
            let values: Vec<f64> = exact
                .iter()
                .map(|v| if v.is_zero() { 0.0 } else { v.to_f64() })
                .collect();
            let mut peak_index = 0;
            for (i, v) in exact.iter().enumerate() {
                if exact.get(peak_index).is_some_and(|p| v > p) {
                    peak_index = i;
                }
            }
            let value = match o.group_by {
                SeriesDimension::ResourceGroup => acc.spellings.best().to_string(),
                _ => key,
            };
            let shown = if value.is_empty() {
                o.group_by.none_label()
            } else {
                &value
            };
            let label = if unit.is_empty() {
                shown.to_string()
            } else {
                format!("{shown} ({unit})")
            };
            series.push(Series {
                key: (!value.is_empty()).then_some(value),
                unit,
                label,
                // Counted from the series' first record: a meter that starts
                // within the window (a resource created then, or a window
                // reaching before Partner Center's history) has no run of
                // zeros before it to rise from.
                anomalies: anomalies(
                    values.get(first..).unwrap_or_default(),
                    o.anomaly.window,
                    o.anomaly.k,
                    o.anomaly.min_rise,
                )
                .into_iter()
                .map(|i| i + first)
                .collect(),
                values,
                exact_values: o.exact.then_some(exact),
                total,
                total_number: total.to_f64(),
                peak_index,
                records: acc.records,
            });
        }
        super::order::sort_by(&mut series, |a, b| {
            a.unit
                .cmp(&b.unit)
                .then_with(|| b.total.cmp(&a.total))
                .then_with(|| a.key.cmp(&b.key))
        });
        Ok(UtilizationSummary {
            bucket: o.bucket,
            offset_minutes: off,
            group_by: o.group_by,
            tag_key: o.tag_key,
            window: match self.window {
                (Some(start), Some(end)) => Some(SummaryWindow {
                    start_time: start.to_utc(),
                    end_time: end.to_utc(),
                }),
                _ => None,
            },
            records: self.records,
            filtered_out: self.filtered_out,
            skipped_records: self.ingest.skipped(),
            errors: self.ingest.error_rows(),
            bucket_starts,
            series,
        })
    }
}

/// The indices of anomalous buckets.
///
/// Bucket `i` is anomalous (a spike: the rule looks for rises, not dips)
/// when it has at least `window` buckets before it and `values[i] > mean +
/// k·sd`, where `mean` and `sd` are the mean and the population standard
/// deviation (divided by `window`) of the `window` buckets just before it,
/// empty buckets counting as 0. The rise must also exceed `min_rise ×
/// |mean|` (a share of the mean, 0.1 in the options by default: a steady
/// series' small wobble has a tiny `sd` to beat) and `1e-9 × |mean|`, so
/// floating-point noise on a flat series is never flagged. Computed in
/// `f64`: it's a statistic for display, not a sum.
///
/// ```
/// use partner_usage_core::aggregate::anomalies;
/// let v = [10.0, 11.0, 9.0, 10.0, 10.0, 11.0, 9.0, 10.0, 30.0, 10.0];
/// assert_eq!(anomalies(&v, 7, 3.0, 0.1), [8]);
/// assert_eq!(anomalies(&v[..8], 7, 3.0, 0.1), Vec::<usize>::new());
/// assert_eq!(anomalies(&[0.1; 20], 7, 3.0, 0.1), Vec::<usize>::new());
/// // A steady series' 5 % rise: beyond 3 sd, not beyond 10 % of the mean.
/// let steady = [100.0, 100.5, 99.5, 100.0, 100.5, 99.5, 100.0, 105.0];
/// assert_eq!(anomalies(&steady, 7, 3.0, 0.1), Vec::<usize>::new());
/// assert_eq!(anomalies(&steady, 7, 3.0, 0.0), [7]);
/// ```
pub fn anomalies(values: &[f64], window: usize, k: f64, min_rise: f64) -> Vec<usize> {
    if window == 0 {
        return Vec::new();
    }
    let w = window as f64;
    (window..values.len())
        .filter(|&i| {
            let prior = &values[i - window..i];
            let mean = prior.iter().sum::<f64>() / w;
            let sd = (prior.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / w).sqrt();
            let rise = values[i] - mean;
            rise > k * sd && rise > min_rise * mean.abs() && rise > 1e-9 * mean.abs()
        })
        .collect()
}

/// One series: a (group value, unit) pair over the summary's buckets.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Series {
    /// The group value (the meter name, category, …; a resource group in its
    /// most common spelling); `None` for records without one.
    pub key: Option<String>,
    /// The unit of every quantity in the series.
    pub unit: String,
    /// What to show: `Hot LRS Data Stored (1 GB/Month)`, `(untagged) (1 Hour)`.
    pub label: String,
    /// The quantity per bucket, for charting (parallel to `bucketStarts`).
    pub values: Vec<f64>,
    /// The exact quantity per bucket, as decimal strings (absent with `exact: false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact_values: Option<Vec<Decimal>>,
    /// The exact total.
    pub total: Decimal,
    /// `total` as a number, for charting only.
    pub total_number: f64,
    /// The index of the largest bucket (the first, on ties).
    pub peak_index: usize,
    /// The indices of anomalous buckets (see [`anomalies`]), from the
    /// series' first bucket with a record on: the empty buckets before it
    /// are no history to rise from.
    pub anomalies: Vec<usize>,
    /// How many records it sums.
    pub records: u64,
}

/// The window a summary's records were fetched for (see
/// [`UtilizationSummariser::spanning`]), in UTC: JSON `{ startTime, endTime }`,
/// the options that fetch or summarise the same window again.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SummaryWindow {
    /// The window's start.
    pub start_time: Timestamp,
    /// The window's end (not included).
    pub end_time: Timestamp,
}

/// What [`UtilizationSummariser::finish`] returns.
///
/// JSON: `{ bucket, offsetMinutes, groupBy, tagKey, window, records,
/// filteredOut, skippedRecords, errors, bucketStarts, series }`. `bucketStarts` are
/// milliseconds since the Unix epoch (UTC instants, as JavaScript's `Date`
/// takes them); series are ordered by unit, then total descending, then key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UtilizationSummary {
    /// The bucket width.
    pub bucket: Bucket,
    /// The offset buckets are aligned in, minutes east of UTC.
    pub offset_minutes: i32,
    /// What series are keyed by, besides the unit.
    pub group_by: SeriesDimension,
    /// The tag name, with `groupBy: 'tag'`.
    pub tag_key: Option<String>,
    /// The window the records were fetched for, when both its ends are
    /// known ([`UtilizationSummariser::spanning`]); a merged summary's spans
    /// its parts'.
    pub window: Option<SummaryWindow>,
    /// Records aggregated (after the filters).
    pub records: u64,
    /// Records the filters left out.
    pub filtered_out: u64,
    /// Bad records skipped (under `badRecords: 'skip'`).
    pub skipped_records: u64,
    /// The first skipped records' errors.
    pub errors: Vec<RecordError>,
    /// Each bucket's start, in ms since the Unix epoch, contiguous and sorted.
    pub bucket_starts: Vec<f64>,
    /// The series.
    pub series: Vec<Series>,
}

/// One (bucket, series) value of a [`UtilizationSummary`], for the long
/// CSV and JSON Lines exports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UtilizationPoint {
    /// The bucket start, ISO 8601 in UTC.
    pub bucket_start: String,
    /// The bucket start in ms since the Unix epoch.
    pub bucket_start_ms: f64,
    /// The series key.
    pub series_key: Option<String>,
    /// The unit.
    pub unit: String,
    /// The series label.
    pub label: String,
    /// The exact quantity (absent with `exact: false`).
    pub quantity: Option<Decimal>,
    /// The quantity as a number.
    pub quantity_number: f64,
    /// Whether the bucket is an anomaly of its series.
    pub anomaly: bool,
}

impl UtilizationSummary {
    /// Every (series, bucket) value, series by series, buckets in order.
    ///
    /// ```
    /// use partner_usage_core::aggregate::{UtilizationOptions, UtilizationSummariser};
    /// let s = UtilizationSummariser::new(UtilizationOptions::default()).unwrap().finish().unwrap();
    /// assert_eq!(s.points().count(), 0);
    /// ```
    pub fn points(&self) -> impl Iterator<Item = UtilizationPoint> + '_ {
        self.series.iter().flat_map(move |s| {
            self.bucket_starts
                .iter()
                .enumerate()
                .map(move |(i, &ms)| UtilizationPoint {
                    bucket_start: Timestamp::from_unix_millis(ms as i64).to_string(),
                    bucket_start_ms: ms,
                    series_key: s.key.clone(),
                    unit: s.unit.clone(),
                    label: s.label.clone(),
                    quantity: s.exact_values.as_ref().and_then(|e| e.get(i).copied()),
                    quantity_number: s.values.get(i).copied().unwrap_or(0.0),
                    anomaly: s.anomalies.binary_search(&i).is_ok(),
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_helpers_match_their_byte_versions() {
        let samples: [&[u8]; 6] = [
            b"",
            b"a",
            b"Prod-RG",
            b"PROD-rg-\xc3\x89x",
            b"AZaz@[`{09",
            b"0123456789abcdefXYZ",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(eq_bytes(a, b), a == b);
            }
            let mut w = [0u8; 8];
            for chunk in a.chunks(8) {
                w[..chunk.len()].copy_from_slice(chunk);
                let lower: Vec<u8> = w.iter().map(u8::to_ascii_lowercase).collect();
                assert_eq!(
                    ascii_lower_word(u64::from_le_bytes(w))
                        .to_le_bytes()
                        .as_slice(),
                    lower
                );
            }
        }
        for b in 0..=255u8 {
            let w = u64::from_le_bytes([b; 8]);
            assert_eq!(
                ascii_lower_word(w),
                u64::from_le_bytes([b.to_ascii_lowercase(); 8]),
                "{b}"
            );
        }
        assert_eq!(
            SeriesIndex::hash("u", "Prod-RG", true),
            SeriesIndex::hash("u", "prod-rg", true)
        );
    }

    #[test]
    fn many_series_are_found_again() {
        let mut s = UtilizationSummariser::new(opts(r#"{"groupBy":"resource-group"}"#)).unwrap();
        for round in 0..2 {
            for i in 0..300 {
                let g = if round == 0 {
                    format!("Group-{i}")
                } else {
                    format!("GROUP-{i}")
                };
                let extra = format!(
                    r#","instanceData":{{"resourceUri":"/subscriptions/s/resourceGroups/{g}/providers/p/t/n"}}"#
                );
                s.add(&rec(
                    "2024-01-01T00:00:00Z",
                    "m",
                    "1",
                    if i % 2 == 0 { "u" } else { "v" },
                    &extra,
                ))
                .unwrap();
            }
        }
        let out = s.finish().unwrap();
        assert_eq!(out.series.len(), 300);
        assert!(out
            .series
            .iter()
            .all(|x| x.total.to_string() == "2" && x.records == 2));
    }

    fn rec(start: &str, name: &str, q: &str, unit: &str, extra: &str) -> AzureUtilizationRecord {
        serde_json::from_str(&format!(
            r#"{{"usageStartTime":"{start}","resource":{{"name":"{name}","category":"Storage","region":"West Europe"}},
                "quantity":{q},"unit":"{unit}"{extra}}}"#
        ))
        .unwrap()
    }

    fn opts(json: &str) -> UtilizationOptions {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn invalid_options_are_errors() {
        // Each message names the option that is wrong, and only that one.
        for (bad, names) in [
            (r#"{"offsetMinutes": 1200}"#, "offsetMinutes"),
            (r#"{"offsetMinutes": 1081}"#, "offsetMinutes"),
            (r#"{"offsetMinutes": -1081}"#, "offsetMinutes"),
            (r#"{"offsetMinutes": -2147483648}"#, "offsetMinutes"),
            (r#"{"groupBy": "tag"}"#, "tagKey"),
            (r#"{"groupBy": "tag", "tagKey": ""}"#, "tagKey"),
            (r#"{"tagKey": "env"}"#, "tagKey goes with groupBy 'tag'"),
            (
                r#"{"groupBy": "region", "tagKey": "env"}"#,
                "tagKey goes with",
            ),
            (r#"{"anomaly": {"window": 0}}"#, "anomaly.window must"),
            (r#"{"anomaly": {"k": -1}}"#, "anomaly.k must"),
            (r#"{"maxBuckets": 0}"#, "maxBuckets"),
            (
                r#"{"filters": {"start": "2024-01-02T00:00:00Z", "end": "2024-01-01T00:00:00Z"}}"#,
                "filters.start",
            ),
        ] {
            let err = UtilizationSummariser::new(opts(bad)).unwrap_err();
            assert_eq!(err.kind(), "invalid-input", "{bad}");
            let text = err.to_string();
            assert!(text.contains(names), "{bad}: {text}");
            assert_eq!(text.contains("anomaly.k"), bad.contains(r#""k""#), "{text}");
            assert_eq!(
                text.contains("anomaly.window"),
                bad.contains("window"),
                "{text}"
            );
        }
        // The edges: ±18:00, the widest offset anywhere, and maxBuckets' bound.
        for good in [
            r#"{"offsetMinutes": 1080}"#,
            r#"{"offsetMinutes": -1080}"#,
            r#"{"maxBuckets": 1}"#,
            r#"{"groupBy": "region", "tagKey": null}"#,
            r#"{"groupBy": "region", "tagKey": ""}"#,
        ] {
            assert!(UtilizationSummariser::new(opts(good)).is_ok(), "{good}");
        }
        assert!(serde_json::from_str::<UtilizationOptions>(r#"{"bucket": "year"}"#).is_err());
        assert!(
            serde_json::from_str::<UtilizationOptions>(r#"{"filters": {"colour": 1}}"#).is_err()
        );
    }

    #[test]
    fn windows_at_the_ends_of_time_are_errors_or_empty_never_panics() {
        let min = Timestamp::from_unix(i64::MIN, 0);
        let max = Timestamp::from_unix(i64::MAX, 0);
        for o in [
            "{}",
            r#"{"bucket":"hour"}"#,
            r#"{"bucket":"month","offsetMinutes":-720}"#,
        ] {
            let span = |start, end| {
                UtilizationSummariser::new(opts(o))
                    .unwrap()
                    .spanning(start, end)
                    .finish()
            };
            // An end before every record: no buckets.
            let s = span(None, Some(min)).unwrap();
            assert!(s.bucket_starts.is_empty(), "{o}");
            assert!(
                span(Some(max), None).unwrap().bucket_starts.is_empty(),
                "{o}"
            );
            // Twenty thousand years of buckets: too many, an error.
            assert!(span(Some(min), Some(max)).is_err(), "{o}");
        }
    }

    #[test]
    fn the_window_spans_the_buckets_merges_as_a_union_and_gives_way_to_filters() {
        let t = |s: &str| Timestamp::parse(s).unwrap();
        let page = |days: &[&str]| {
            let items: Vec<String> = days
                .iter()
                .map(|d| format!(r#"{{"usageStartTime":"{d}T00:00:00Z","resource":{{"name":"VM"}},"quantity":1,"unit":"1 Hour"}}"#))
                .collect();
            format!(r#"{{"items":[{}]}}"#, items.join(","))
        };
        let fresh = |o: &str, from: &str, to: &str| {
            UtilizationSummariser::new(opts(o))
                .unwrap()
                .spanning(Some(t(from)), Some(t(to)))
        };
        let mut a = fresh("{}", "2024-01-03T00:00:00Z", "2024-01-05T00:00:00Z");
        a.add_scanned_page(1, page(&["2024-01-03"]).as_bytes())
            .unwrap();
        let mut b = fresh("{}", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
        b.add_scanned_page(1, page(&["2024-01-01"]).as_bytes())
            .unwrap();
        a.merge(b).unwrap();
        let s = a.finish().unwrap();
        assert_eq!(s.bucket_starts.len(), 4, "Jan 1 to Jan 4");
        assert_eq!(s.series[0].values, [1.0, 0.0, 1.0, 0.0]);

        // A filter's range decides the buckets, and drops what is outside.
        let mut f = fresh(
            r#"{"filters":{"start":"2024-01-03T00:00:00Z"}}"#,
            "2024-01-01T00:00:00Z",
            "2024-01-05T00:00:00Z",
        );
        f.add_scanned_page(1, page(&["2024-01-01", "2024-01-03"]).as_bytes())
            .unwrap();
        let s = f.finish().unwrap();
        assert_eq!((s.records, s.filtered_out), (1, 1));
        assert_eq!(s.series[0].values, [1.0, 0.0], "Jan 3 and Jan 4");
    }

    #[test]
    fn items_of_the_wrong_shape_are_skipped_whole_under_skip() {
        // Items 0-3 are JSON but not records; item 5 has a bad time; 4 and 6 are good.
        let body = br#"{"items":[
            {"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"VM"},"quantity":true,"unit":"1 Hour"},
            null,
            {"usageStartTime":"2024-01-01T00:00:00Z","resource":"x","quantity":1,"unit":"1 Hour"},
            {"usageStartTime":5,"resource":{"name":"VM"},"quantity":1,"unit":"1 Hour"},
            {"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"VM"},"quantity":1.5,"unit":"1 Hour"},
            {"usageStartTime":"nope","resource":{"name":"VM"},"quantity":1,"unit":"1 Hour"},
            {"usageStartTime":"2024-01-02T00:00:00Z","resource":{"name":"VM"},"quantity":2,"unit":"1 Hour"}
        ]}"#;
        let mut lenient = UtilizationSummariser::new(opts(r#"{"badRecords":"skip"}"#)).unwrap();
        let info = lenient.add_scanned_page(2, body).unwrap();
        assert_eq!(info.item_count, 7);
        let out = lenient.finish().unwrap();
        assert_eq!((out.records, out.skipped_records), (2, 5));
        let at: Vec<_> = out.errors.iter().map(|e| (e.page, e.index)).collect();
        assert_eq!(
            at,
            (0..6)
                .filter(|&i| i != 4)
                .map(|i| (Some(2), Some(i)))
                .collect::<Vec<_>>()
        );
        assert_eq!(out.series[0].values, [1.5, 2.0]);

        // Under fail, the first of them stops the page, which adds nothing.
        let mut strict = UtilizationSummariser::new(UtilizationOptions::default()).unwrap();
        let err = strict.add_scanned_page(2, body).unwrap_err();
        assert!(err.to_string().contains("page 2, item 0"), "{err}");
        assert_eq!(strict.finish().unwrap().records, 0);
        // A page cut short fails whatever the policy, and counts nothing:
        // read again whole, its skipped items count once.
        let mut lenient = UtilizationSummariser::new(opts(r#"{"badRecords":"skip"}"#)).unwrap();
        assert!(lenient
            .add_scanned_page(2, &body[..body.len() - 40])
            .is_err());
        lenient.add_scanned_page(2, body).unwrap();
        let out = lenient.finish().unwrap();
        assert_eq!((out.records, out.skipped_records), (2, 5));
        assert_eq!(out.errors.len(), 5);
    }

    #[test]
    fn many_items_of_the_wrong_shape_in_one_page_are_all_skipped() {
        // Each fails inside its object: more of them than the nesting limit.
        let bad = r#"{"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"VM"},"quantity":true,"unit":"1 Hour"}"#;
        let good = r#"{"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"VM"},"quantity":2,"unit":"1 Hour"}"#;
        let items = std::iter::repeat_n(bad, 300)
            .chain([good])
            .collect::<Vec<_>>();
        let body = format!(r#"{{"items":[{}]}}"#, items.join(","));
        let mut s = UtilizationSummariser::new(opts(r#"{"badRecords":"skip"}"#)).unwrap();
        s.add_scanned_page(1, body.as_bytes()).unwrap();
        let out = s.finish().unwrap();
        assert_eq!((out.records, out.skipped_records), (1, 300));
        assert_eq!(out.series[0].values, [2.0]);
    }

    #[test]
    fn max_buckets_is_bounded() {
        for bad in [
            r#"{"maxBuckets": 1000001}"#,
            r#"{"maxBuckets": 4000000000}"#,
        ] {
            let err = UtilizationSummariser::new(opts(bad)).unwrap_err();
            assert_eq!(err.kind(), "invalid-input", "{bad}");
            assert!(err.to_string().contains("1000000"), "{err}");
        }
        // At the bound, a far wider span is an error, not an allocation.
        let s = UtilizationSummariser::new(opts(
            r#"{"bucket": "hour", "maxBuckets": 1000000, "filters":
                {"start": "1970-01-01T00:00:00Z", "end": "9999-01-01T00:00:00Z"}}"#,
        ))
        .unwrap();
        let err = s.finish().unwrap_err();
        assert!(err.to_string().contains("more than maxBuckets"), "{err}");
    }

    #[test]
    fn missing_time_or_quantity_is_a_bad_record() {
        let mut s = UtilizationSummariser::new(UtilizationOptions::default()).unwrap();
        let no_time: AzureUtilizationRecord = serde_json::from_str(r#"{"quantity":1}"#).unwrap();
        let err = s.add(&no_time).unwrap_err();
        assert!(err.to_string().contains("`usageStartTime`"), "{err}");
        let no_q: AzureUtilizationRecord =
            serde_json::from_str(r#"{"usageStartTime":"2024-01-01T00:00:00Z"}"#).unwrap();
        assert!(s.add(&no_q).unwrap_err().to_string().contains("`quantity`"));
        // A null one (which the record type allows) is said as such, scanned too.
        let null_q: AzureUtilizationRecord =
            serde_json::from_str(r#"{"usageStartTime":"2024-01-01T00:00:00Z","quantity":null}"#)
                .unwrap();
        let err = s.add(&null_q).unwrap_err().to_string();
        assert!(err.contains("`quantity`: missing or null"), "{err}");
        let err = s
            .add_scanned_page(
                1,
                br#"{"items":[{"usageStartTime":"2024-01-01T00:00:00Z","quantity":null,"unit":"u"}]}"#,
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("`quantity`: missing or null"), "{err}");
        assert_eq!(s.finish().unwrap().records, 0);
    }

    #[test]
    fn filter_range_pads_buckets_and_end_is_exclusive() {
        let mut s = UtilizationSummariser::new(opts(
            r#"{"filters":{"start":"2024-01-01T00:00:00Z","end":"2024-01-05T00:00:00Z"}}"#,
        ))
        .unwrap();
        s.add(&rec("2024-01-02T10:00:00Z", "m", "1", "u", ""))
            .unwrap();
        s.add(&rec("2024-01-05T00:00:00Z", "m", "1", "u", ""))
            .unwrap();
        s.add(&rec("2023-12-31T23:59:59Z", "m", "1", "u", ""))
            .unwrap();
        let out = s.finish().unwrap();
        assert_eq!(out.bucket_starts.len(), 4);
        assert_eq!(out.bucket_starts[0], 1_704_067_200_000.0);
        assert_eq!(out.filtered_out, 2);
        assert_eq!(out.series[0].values, [0.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn a_series_that_starts_within_the_window_is_no_anomaly_where_it_starts() {
        // Two meters over 20 days: "old" from day 1, "new" from day 12 (a
        // resource created then, or a window reaching before the data).
        let mut s = UtilizationSummariser::new(opts(
            r#"{"anomaly":{"window":5},
                "filters":{"start":"2024-01-01T00:00:00Z","end":"2024-01-21T00:00:00Z"}}"#,
        ))
        .unwrap();
        for day in 1..=20 {
            let at = format!("2024-01-{day:02}T00:00:00Z");
            s.add(&rec(&at, "old", "10", "u", "")).unwrap();
            if day >= 12 {
                let q = if day == 17 { "40" } else { "10" };
                s.add(&rec(&at, "new", q, "u", "")).unwrap();
            }
        }
        let out = s.finish().unwrap();
        let series = |k: &str| {
            out.series
                .iter()
                .find(|x| x.key.as_deref() == Some(k))
                .unwrap()
        };
        assert_eq!(series("new").values[..11], [0.0; 11]);
        assert_eq!(series("old").anomalies, Vec::<usize>::new());
        // Day 17 (index 16 of the window's buckets) is 4x its five days
        // before; day 12's jump from the zeros before the meter began is no
        // anomaly.
        assert_eq!(series("new").anomalies, [16]);
    }

    #[test]
    fn too_many_buckets_is_an_error_not_an_allocation() {
        let mut s =
            UtilizationSummariser::new(opts(r#"{"bucket":"hour","maxBuckets":48}"#)).unwrap();
        s.add(&rec("2024-01-01T00:00:00Z", "m", "1", "u", ""))
            .unwrap();
        s.add(&rec("9999-01-01T00:00:00Z", "m", "1", "u", ""))
            .unwrap();
        let err = s.finish().unwrap_err();
        assert!(err.to_string().contains("maxBuckets (48)"), "{err}");
    }

    #[test]
    fn resource_groups_fold_case_and_tags_have_an_untagged_series() {
        let rg = |g: &str, tags: &str| {
            format!(
                r#","instanceData":{{"resourceUri":"/subscriptions/s/resourceGroups/{g}/providers/p/t/n","tags":{tags}}}"#
            )
        };
        let records = [
            rec(
                "2024-01-01T00:00:00Z",
                "m",
                "1",
                "1 Hour",
                &rg("Prod", r#"{"Env":"prod"}"#),
            ),
            rec(
                "2024-01-01T00:00:00Z",
                "m",
                "2",
                "1 Hour",
                &rg("PROD", r#"{"env":"prod"}"#),
            ),
            rec(
                "2024-01-01T00:00:00Z",
                "m",
                "4",
                "1 Hour",
                &rg("prod", "{}"),
            ),
            rec(
                "2024-01-01T00:00:00Z",
                "m",
                "8",
                "1 Hour",
                &rg("PROD", "null"),
            ),
            rec("2024-01-01T00:00:00Z", "m", "16", "1 Hour", ""),
        ];
        let run = |o: &str| {
            let mut s = UtilizationSummariser::new(opts(o)).unwrap();
            for r in &records {
                s.add(r).unwrap();
            }
            s.finish().unwrap().series
        };
        let by_rg = run(r#"{"groupBy":"resource-group"}"#);
        assert_eq!(by_rg.len(), 2);
        assert_eq!(by_rg[0].label, "(no resource group) (1 Hour)");
        assert_eq!(by_rg[1].key.as_deref(), Some("PROD"));
        assert_eq!(by_rg[1].total.to_string(), "15");
        let by_tag = run(r#"{"groupBy":"tag","tagKey":"ENV"}"#);
        assert_eq!(by_tag.len(), 2);
        assert_eq!(by_tag[0].label, "(untagged) (1 Hour)");
        assert_eq!(by_tag[0].key, None);
        assert_eq!(by_tag[0].total.to_string(), "28");
        assert_eq!(by_tag[1].label, "prod (1 Hour)");
        let filtered = run(r#"{"filters":{"tag":{"key":"env"},"resourceGroup":"prod"}}"#);
        assert_eq!(filtered[0].total.to_string(), "3");
        let valued = run(r#"{"filters":{"tag":{"key":"env","value":"Prod"}}}"#);
        assert!(valued.is_empty());
    }

    #[test]
    fn unicode_resource_groups_and_tag_names_fold_case_too() {
        let record = |g: &str, tag: &str, q: &str| {
            format!(
                r#"{{"usageStartTime":"2024-01-01T00:00:00Z","resource":{{"name":"{g}"}},"quantity":{q},"unit":"u",
                    "instanceData":{{"resourceUri":"/subscriptions/s/resourceGroups/{g}/providers/p/t/n","tags":{{"{tag}":"x"}}}}}}"#
            )
        };
        let items = [
            record("Prod-Ärzte", "Kostenstelle-Ä", "1"),
            record("PROD-ÄRZTE", "KOSTENSTELLE-ä", "2"),
            record("prod-ärzte", "kostenstelle-ä", "4"),
            record("prod-arzte", "kostenstelle-a", "8"),
        ];
        let body = format!(r#"{{"items":[{}]}}"#, items.join(","));
        let run = |o: &str| {
            // Both ways in: serde records and the scanner.
            let mut decoded = UtilizationSummariser::new(opts(o)).unwrap();
            for item in &items {
                decoded.add(&serde_json::from_str(item).unwrap()).unwrap();
            }
            let mut scanned = UtilizationSummariser::new(opts(o)).unwrap();
            scanned.add_scanned_page(1, body.as_bytes()).unwrap();
            let (a, b) = (decoded.finish().unwrap(), scanned.finish().unwrap());
            assert_eq!(a.series, b.series, "{o}");
            a.series
        };
        let by_rg = run(r#"{"groupBy":"resource-group"}"#);
        let totals: Vec<_> = by_rg.iter().map(|s| s.total.to_string()).collect();
        assert_eq!(by_rg.len(), 2, "{by_rg:?}");
        assert!(
            totals.contains(&"7".to_string()) && totals.contains(&"8".to_string()),
            "{totals:?}"
        );
        let filtered =
            run(r#"{"groupBy":"resource-group","filters":{"resourceGroup":"PROD-ärzte"}}"#);
        assert_eq!(filtered.len(), 1);
        assert_eq!(filtered[0].total.to_string(), "7");
        let tagged =
            run(r#"{"groupBy":"resource-group","filters":{"tag":{"key":"KOSTENSTELLE-Ä"}}}"#);
        assert_eq!(tagged.len(), 1);
        assert_eq!(tagged[0].total.to_string(), "7");
        // Meter names are not resource groups: their case counts.
        let by_meter = run("{}");
        assert_eq!(by_meter.len(), 4, "{by_meter:?}");
    }

    #[test]
    fn scanned_pages_follow_the_bad_record_policy() {
        let body = br#"{"items":[
            {"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"m"},"quantity":1.5,"unit":"u"},
            {"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"m"},"quantity":"lots","unit":"u"},
            {"usageStartTime":"yesterday","resource":{"name":"m"},"quantity":1,"unit":"u"},
            {"usageStartTime":"2024-01-02T00:00:00Z","resource":{"name":"m"},"quantity":2,"unit":"u"}],
            "links":{"next":{"uri":"customers/c/subscriptions/s/utilizations/azure?seek_operation=Next"}}}"#;
        let mut strict = UtilizationSummariser::new(UtilizationOptions::default()).unwrap();
        let err = strict.add_scanned_page(3, body).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("could not decode page 3, item 1, field `quantity`"),
            "{err}"
        );

        let mut lenient = UtilizationSummariser::new(opts(r#"{"badRecords":"skip"}"#)).unwrap();
        let info = lenient.add_scanned_page(3, body).unwrap();
        assert_eq!(info.item_count, 4);
        assert!(info.next.is_some());
        let out = lenient.finish().unwrap();
        assert_eq!((out.records, out.skipped_records), (2, 2));
        assert_eq!(out.errors[1].path, "usageStartTime");
        assert_eq!(out.errors[1].index, Some(2));
        assert_eq!(out.series[0].values, [1.5, 2.0]);

        // A record's error names its item, counting the items the scanner
        // skipped before it: here a record without a quantity (an error of
        // the summariser's) after an item that is no record (the scanner's).
        let body = br#"{"items":[
            {"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"m"},"quantity":1,"unit":"u"},
            {"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"m"},"quantity":1,"unit":"u"},
            ["not", "a", "record"],
            {"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"m"},"unit":"u"}]}"#;
        let mut lenient = UtilizationSummariser::new(opts(r#"{"badRecords":"skip"}"#)).unwrap();
        lenient.add_scanned_page(1, body).unwrap();
        let out = lenient.finish().unwrap();
        let at: Vec<_> = out
            .errors
            .iter()
            .map(|e| (e.index, e.path.as_str()))
            .collect();
        assert_eq!(at, [(Some(2), ""), (Some(3), "quantity")]);

        // Broken JSON can't be skipped past.
        let mut s = UtilizationSummariser::new(opts(r#"{"badRecords":"skip"}"#)).unwrap();
        let err = s
            .add_scanned_page(4, br#"{"items":[{"quantity":1,}]}"#)
            .unwrap_err();
        assert!(err.to_string().contains("page 4"), "{err}");
    }

    /// The parse cache at work: a scanned record whose `usageStartTime`
    /// is written as the record before's takes that record's parse, so the
    /// parses follow the distinct start times in a row, not the records.
    #[test]
    fn a_start_time_repeated_is_not_parsed_again() {
        use crate::slow_paths::{during, START_PARSES};
        let record = |day: u32| {
            format!(
                r#"{{"usageStartTime":"2024-01-{day:02}T00:00:00Z","resource":{{"name":"m"}},"quantity":1,"unit":"u"}}"#
            )
        };
        let parses = |days: &[u32]| {
            let items: Vec<String> = days.iter().map(|&d| record(d)).collect();
            let body = format!(r#"{{"items":[{}]}}"#, items.join(","));
            let mut s = UtilizationSummariser::new(opts("{}")).unwrap();
            let n = during(&START_PARSES, || {
                s.add_scanned_page(1, body.as_bytes()).unwrap();
            });
            assert_eq!(s.finish().unwrap().records, days.len() as u64);
            n
        };
        assert_eq!(parses(&[1; 500]), 1);
        assert_eq!(parses(&[[1; 250], [2; 250]].concat()), 2);
        assert_eq!(
            parses(&[1, 2, 1, 2]),
            4,
            "only the record before is remembered"
        );
    }

    /// The series index at work: with 5,000 series (meters named alike, in
    /// two units; resource groups in mixed case), a record's series is
    /// found (or added, growing the table) in under one step past the first
    /// table entry on average: here 0.79 and 0.73, what linear probing in a
    /// table at most half full gives with well-spread hashes. Probing from
    /// the hash's low bits took 1.27 and 3.03 (names that differ only in
    /// their last bytes clustered), and a poor hash or a full table takes
    /// thousands.
    #[test]
    fn finding_a_series_takes_few_steps() {
        use crate::slow_paths::{during, SERIES_PROBES};
        for group_by in ["meter", "resource-group"] {
            let mut s = UtilizationSummariser::new(opts(&format!(r#"{{"groupBy":"{group_by}"}}"#)))
                .unwrap();
            let records: Vec<_> = (0..2_500)
                .flat_map(|i| {
                    let uri = |group: &str| {
                        format!(r#","instanceData":{{"resourceUri":"/subscriptions/s/resourceGroups/{group}/providers/p/t/x"}}"#)
                    };
                    let meter = format!("meter-{i}");
                    let day = "2024-01-01T00:00:00Z";
                    [
                        rec(day, &meter, "1", "1 Hour", &uri(&format!("RG-{i}"))),
                        rec(day, &meter, "1", "1 Hour", &uri(&format!("rg-{i}"))),
                        rec(day, &meter, "1", "10 GB", &uri(&format!("Rg-{i}"))),
                    ]
                })
                .collect();
            let probes = during(&SERIES_PROBES, || {
                for _ in 0..2 {
                    for r in &records {
                        s.add(r).unwrap();
                    }
                }
            });
            let adds = 2 * records.len() as u64;
            assert_eq!(s.finish().unwrap().series.len(), 5_000, "{group_by}");
            assert!(
                probes < adds,
                "{group_by}: {probes} steps for {adds} records"
            );
        }
    }

    /// The anomaly rule's edges: strictly above mean + k·sd of the window
    /// before (population sd), and above a relative noise floor of the mean.
    #[test]
    fn anomalies_are_strictly_above_mean_plus_k_sd() {
        // Window [8, 12]: mean 10, sd 2, so with k = 1.5 the bar is 13.
        assert_eq!(
            anomalies(&[8.0, 12.0, 13.0], 2, 1.5, 0.0),
            Vec::<usize>::new()
        );
        assert_eq!(anomalies(&[8.0, 12.0, 13.001], 2, 1.5, 0.0), [2]);
        assert_eq!(
            anomalies(&[8.0, 12.0, 12.9], 2, 1.5, 0.0),
            Vec::<usize>::new()
        );
        // Only the `window` buckets just before count: [12, 4] (mean 8,
        // sd 4, bar 14), then [4, 14.5] (mean 9.25, sd 5.25, bar 17.125).
        assert_eq!(anomalies(&[100.0, 12.0, 4.0, 14.5, 16.0], 2, 1.5, 0.0), [3]);
        // After a flat history any real rise counts, however small
        // against the mean, and however small the mean.
        assert_eq!(anomalies(&[10.0, 10.0, 10.5], 2, 3.0, 0.0), [2]);
        assert_eq!(anomalies(&[1e-6, 1e-6, 2e-6], 2, 3.0, 0.0), [2]);
        assert_eq!(
            anomalies(&[10.0, 10.0, 10.0], 2, 3.0, 0.0),
            Vec::<usize>::new()
        );
        assert_eq!(anomalies(&[5.0, 9.0], 0, 3.0, 0.0), Vec::<usize>::new());
        // The documented example: one spike in a noisy series.
        let v = [10.0, 11.0, 9.0, 10.0, 10.0, 11.0, 9.0, 10.0, 30.0, 10.0];
        assert_eq!(anomalies(&v, 7, 3.0, 0.0), [8]);
        assert_eq!(anomalies(&[0.1; 20], 7, 3.0, 0.0), Vec::<usize>::new());
        // A least rise, as a share of the mean: 10.5 after [10, 10] is 5 %.
        assert_eq!(
            anomalies(&[10.0, 10.0, 10.5], 2, 3.0, 0.1),
            Vec::<usize>::new()
        );
        assert_eq!(anomalies(&[10.0, 10.0, 11.001], 2, 3.0, 0.1), [2]);
    }

    /// A series' peak is its largest bucket, the first of equal ones.
    #[test]
    fn the_peak_is_the_first_largest_bucket() {
        let mut s = UtilizationSummariser::new(UtilizationOptions::default()).unwrap();
        for (day, q) in [("01", "2"), ("02", "0.5"), ("03", "2"), ("04", "1")] {
            s.add(&rec(&format!("2024-01-{day}T00:00:00Z"), "m", q, "u", ""))
                .unwrap();
        }
        assert_eq!(s.finish().unwrap().series[0].peak_index, 0);
    }

    /// A window that ends before it starts, with no record, spans no bucket:
    /// an empty summary, not an error (a filter like it is refused up front).
    #[test]
    fn a_window_ending_before_it_starts_is_empty() {
        let t = |d: &str| Some(Timestamp::parse(d).unwrap());
        let s = UtilizationSummariser::new(UtilizationOptions::default())
            .unwrap()
            .spanning(t("2024-01-05T00:00:00Z"), t("2024-01-01T00:00:00Z"));
        let out = s.finish().unwrap();
        assert!(out.bucket_starts.is_empty(), "{:?}", out.bucket_starts);
        assert!(UtilizationSummariser::new(opts(
            r#"{"filters":{"start":"2024-01-05T00:00:00Z","end":"2024-01-01T00:00:00Z"}}"#
        ))
        .is_err());
    }

    #[test]
    fn merge_needs_the_same_options() {
        let mut a = UtilizationSummariser::new(UtilizationOptions::default()).unwrap();
        let b = UtilizationSummariser::new(opts(r#"{"bucket":"hour"}"#)).unwrap();
        assert_eq!(a.merge(b).unwrap_err().kind(), "invalid-input");
        // The same filters written another way are the same options.
        let mut a = UtilizationSummariser::new(opts(
            r#"{"filters":{"start":"2024-01-01T00:00:00Z","category":"Storage","tag":{"key":"Env","value":"prod"}}}"#,
        ))
        .unwrap();
        let b = UtilizationSummariser::new(opts(
            r#"{"filters":{"start":"2024-01-01T00:00:00+00:00","category":"STORAGE","tag":{"key":"env","value":"prod"}}}"#,
        ))
        .unwrap();
        a.merge(b).unwrap();
        // A tag value is compared exactly, so these select other records.
        let c = UtilizationSummariser::new(opts(
            r#"{"filters":{"start":"2024-01-01T00:00:00Z","category":"Storage","tag":{"key":"Env","value":"Prod"}}}"#,
        ))
        .unwrap();
        assert_eq!(a.merge(c).unwrap_err().kind(), "invalid-input");
    }

    #[test]
    fn exact_false_drops_exact_values_but_keeps_totals() {
        let mut s = UtilizationSummariser::new(opts(r#"{"exact":false}"#)).unwrap();
        s.add(&rec("2024-01-01T00:00:00Z", "m", "0.1", "u", ""))
            .unwrap();
        s.add(&rec("2024-01-01T05:00:00Z", "m", "0.2", "u", ""))
            .unwrap();
        let out = s.finish().unwrap();
        assert_eq!(out.series[0].exact_values, None);
        assert_eq!(out.series[0].total.to_string(), "0.3");
        let json = serde_json::to_value(&out).unwrap();
        assert!(json["series"][0].get("exactValues").is_none());
        let p: Vec<_> = out.points().collect();
        assert_eq!((p[0].quantity, p[0].quantity_number), (None, 0.3));
    }
}
