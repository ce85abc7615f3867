//! Streaming aggregation: who spends what, where a subscription's money goes,
//! and what is consumed when.
//!
//! Each summariser is fed page by page and keeps one accumulator per group,
//! never one per record, so memory grows with the number of groups:
//!
//! | records | summariser | summary |
//! | --- | --- | --- |
//! | [`CustomerMonthlyUsageRecord`](crate::model::CustomerMonthlyUsageRecord) | [`CustomerSummariser`] | [`CustomerSummary`]: totals per currency, the USD total, budget status, top N + others, Azure plan vs legacy |
//! | [`ResourceUsageRecord`](crate::model::ResourceUsageRecord) | [`ResourceSummariser`] | [`ResourceSummary`]: one or two levels of groups, top N + others |
//! | [`AzureUtilizationRecord`](crate::model::AzureUtilizationRecord) | [`UtilizationSummariser`] | [`UtilizationSummary`]: a bucketed time series per (group, unit), peaks and anomalies |
//!
//! Every summariser has the same shape: `new(options)`, `add(&record)`,
//! `add_page(page, &[&RawValue])` (decodes each item under the options'
//! [`BadRecordPolicy`]), `merge(other)` and `finish()`.
//!
//! Invariants:
//! * Sums are exact [`Decimal`]s; `f64` appears only as a `…Number`
//!   companion for charting and in the anomaly statistics.
//! * Amounts in different currencies are never added; quantities in
//!   different units are never added.
//! * A summary depends only on the multiset of records: not on their order,
//!   nor on how they were split into pages or summarisers. Ties are broken
//!   by key, so the output is deterministic.
//! * `add` either takes the whole record or returns an error and changes
//!   nothing, so a skipped record leaves no trace but the skip count.
//! * `records` and `skippedRecords` are always reported.
//!
//! ```
//! use partner_usage_core::aggregate::{CustomerOptions, CustomerSummariser};
//! use serde_json::value::RawValue;
//!
//! let page: Vec<&RawValue> = serde_json::from_str(r#"[
//!   {"id":"a","name":"Contoso","totalCost":10.5,"currencyCode":"EUR","usdTotalCost":11.25},
//!   {"id":"b","name":"Fabrikam","totalCost":3,"currencyCode":"GBP","usdTotalCost":3.75}
//! ]"#).unwrap();
//! let mut s = CustomerSummariser::new(CustomerOptions::default());
//! s.add_page(1, &page).unwrap();
//! let summary = s.finish().unwrap();
//! assert_eq!(summary.usd.to_string(), "15.00");
//! assert_eq!(summary.records, 2);
//! ```

/// Builder-style setters of an options struct (its fields are public, but
/// `#[non_exhaustive]` keeps struct literals out of other crates): one
/// `#[must_use]` method per field, named like it.
macro_rules! setters {
    ($ty:ident { $($field:ident: $t:ty),* $(,)? }) => {
        impl $ty {
            $(
                #[doc = concat!("Sets `", stringify!($field), "` (see the field).")]
                #[must_use]
                pub fn $field(mut self, value: $t) -> Self {
                    self.$field = value;
                    self
                }
            )*
        }
    };
}

mod bucket;
mod budget;
mod customers;
mod ingest;
mod order;
mod resources;
mod utilization;

pub use bucket::Bucket;
pub use budget::{budget_check, percent_of, BudgetCheck, BudgetStatus};
pub use customers::{
    BudgetCounts, CustomerOptions, CustomerRow, CustomerSummariser, CustomerSummary, PlanTotal,
};
pub use ingest::{BadRecordPolicy, Ingest, RecordError, MAX_KEPT_ERRORS};
pub use resources::{
    GroupRow, ResourceDimension, ResourceOptions, ResourceRow, ResourceSummariser, ResourceSummary,
};
pub use utilization::{
    anomalies, AnomalyOptions, Series, SeriesDimension, SummaryWindow, TagFilter,
    UtilizationFilters, UtilizationOptions, UtilizationPoint, UtilizationSummariser,
    UtilizationSummary, MAX_BUCKETS,
};

use crate::decimal::{Decimal, DecimalError};
use crate::error::{DecodeError, Error};
use crate::money::Currency;
use serde::{de, Deserializer, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// One currency's exact total, with its USD equivalent.
///
/// `currency` serialises as its label: `GBP`, `legacy:fr-FR` or `unknown`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CurrencyTotal {
    /// The currency (legacy customers: their locale).
    pub currency: Currency,
    /// Whether the currency is a legacy customer's locale.
    pub legacy: bool,
    /// The exact total in `currency`.
    pub amount: Decimal,
    /// `amount` as a number, for charting only.
    pub amount_number: f64,
    /// The exact total of `usdTotalCost` of the same records.
    pub usd: Decimal,
    /// `usd` as a number, for charting only.
    pub usd_number: f64,
    /// How many records (or customers) it sums.
    pub records: u64,
}

/// A row of a top-N ranking by USD: one customer, or the `others` row
/// that sums everyone past the top N so the rows add up to the grand total.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RankRow {
    /// The customer id; empty for the `others` row.
    pub key: String,
    /// The name to show; `others` for the `others` row.
    pub label: String,
    /// Exact USD.
    pub usd: Decimal,
    /// `usd` as a number, for charting only.
    pub usd_number: f64,
    /// How many customers the row sums (1, or more for `others`).
    pub count: u64,
    /// Whether this is the `others` row. Use this flag, not the key, to tell
    /// it apart: a real group may be called `others`.
    pub others: bool,
}

/// An exact running sum of one currency: the amount, its USD and a count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sum {
    pub amount: Decimal,
    pub usd: Decimal,
    pub records: u64,
}

/// How many records came without `totalCost`, and without `usdTotalCost`
/// (each counted as zero in the sums).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Missing {
    pub cost: u64,
    pub usd: u64,
}

impl Missing {
    /// Counts one record by its two amounts.
    pub fn count(&mut self, total_cost: Option<Decimal>, usd_total_cost: Option<Decimal>) {
        self.merge(Missing {
            cost: u64::from(total_cost.is_none()),
            usd: u64::from(usd_total_cost.is_none()),
        });
    }

    /// Adds another count.
    pub fn merge(&mut self, other: Missing) {
        self.cost = self.cost.saturating_add(other.cost);
        self.usd = self.usd.saturating_add(other.usd);
    }
}

impl Sum {
    /// This sum with one more record, or the name of the field that overflowed.
    pub fn plus(self, amount: Decimal, usd: Decimal) -> Result<Sum, &'static str> {
        Ok(Sum {
            amount: self.amount.checked_add(amount).map_err(|_| "totalCost")?,
            usd: self.usd.checked_add(usd).map_err(|_| "usdTotalCost")?,
            records: self.records.saturating_add(1),
        })
    }

    /// The sum of two sums.
    pub fn merged(self, other: Sum) -> Result<Sum, DecimalError> {
        Ok(Sum {
            amount: self.amount.checked_add(other.amount)?,
            usd: self.usd.checked_add(other.usd)?,
            records: self.records.saturating_add(other.records),
        })
    }
}

/// Exact sums per currency.
pub(crate) type ByCurrency = BTreeMap<Currency, Sum>;

/// Adds every currency of `from` into `into`.
pub(crate) fn merge_by_currency(into: &mut ByCurrency, from: &ByCurrency) -> Result<(), Error> {
    for (c, s) in from {
        let merged = match into.get(c) {
            Some(t) => t
                .merged(*s)
                .map_err(|_| total_overflow("a currency total"))?,
            None => *s,
        };
        into.insert(c.clone(), merged);
    }
    Ok(())
}

/// The USD total over all currencies.
pub(crate) fn usd_of(sums: &ByCurrency) -> Result<Decimal, Error> {
    sums.values().try_fold(Decimal::ZERO, |acc, s| {
        acc.checked_add(s.usd)
            .map_err(|_| total_overflow("usdTotalCost"))
    })
}

/// The rows of per-currency totals, ordered by currency.
pub(crate) fn currency_rows(sums: &ByCurrency) -> Vec<CurrencyTotal> {
    sums.iter()
        .map(|(c, s)| CurrencyTotal {
            currency: c.clone(),
            legacy: c.is_legacy(),
            amount: s.amount,
            amount_number: s.amount.to_f64(),
            usd: s.usd,
            usd_number: s.usd.to_f64(),
            records: s.records,
        })
        .collect()
}

/// Counts the spellings of a case-insensitive name, to show the most common.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Spellings(BTreeMap<String, u64>);

impl Spellings {
    pub fn add(&mut self, spelling: &str) {
        self.add_n(spelling, 1);
    }

    fn add_n(&mut self, spelling: &str, n: u64) {
        match self.0.get_mut(spelling) {
            Some(c) => *c = c.saturating_add(n),
            None => {
                self.0.insert(spelling.to_string(), n);
            }
        }
    }

    pub fn merge(&mut self, other: &Spellings) {
        for (s, n) in &other.0 {
            self.add_n(s, *n);
        }
    }

    /// The most frequent spelling; among equally frequent ones, the
    /// lexicographically smallest. Empty when none was added.
    pub fn best(&self) -> &str {
        let mut best: Option<(&str, u64)> = None;
        // BTreeMap iterates in ascending order, so `>` keeps the smallest on ties.
        for (s, &n) in &self.0 {
            if best.is_none_or(|(_, b)| n > b) {
                best = Some((s, n));
            }
        }
        best.map_or("", |(s, _)| s)
    }
}

/// Orders by USD descending, then by key ascending.
pub(crate) fn by_usd_then_key(
    a_usd: &Decimal,
    a_key: &str,
    b_usd: &Decimal,
    b_key: &str,
) -> Ordering {
    b_usd.cmp(a_usd).then_with(|| a_key.cmp(b_key))
}

/// A record-level error at a field: the ingest adds the page and index.
pub(crate) fn field_error(path: &str, message: &str) -> Error {
    Error::Decode(DecodeError::new(message).with_path(path))
}

/// A record whose amount would overflow an exact total.
pub(crate) fn overflow_at(path: &str) -> Error {
    field_error(
        path,
        "adding this value would overflow the exact total (38 significant digits)",
    )
}

/// A total over many records overflowed.
pub(crate) fn total_overflow(what: &str) -> Error {
    Error::invalid_input(format!(
        "the exact total of {what} overflowed a 128-bit mantissa (about 38 digits)"
    ))
}

/// Merging summarisers made with different options would mix groupings.
pub(crate) fn options_differ() -> Error {
    Error::invalid_input("can't merge summaries made with different options")
}

/// The label shown for an empty group value.
pub(crate) const NONE_LABEL: &str = "(none)";

/// Deserialises a [`Decimal`] from a string (exact) or a number (via its
/// shortest `f64` text), with any deserializer, including
/// serde-wasm-bindgen's, which can't hand out raw JSON text.
pub(crate) fn lenient_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(LenientDecimal)
}

/// [`lenient_decimal`] for an optional value (`null` is `None`).
pub(crate) fn lenient_decimal_opt<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Decimal>, D::Error> {
    struct Opt;
    impl<'de> de::Visitor<'de> for Opt {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number, a string holding one, or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            lenient_decimal(d).map(Some)
        }
    }
    d.deserialize_option(Opt)
}

struct LenientDecimal;

impl de::Visitor<'_> for LenientDecimal {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number or a string holding one")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        Decimal::parse(v.trim()).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from_i64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Decimal::new(i128::from(v), 0).ok_or_else(|| E::custom("out of range"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // Rust prints the shortest text that reads back as the same f64,
        // without an exponent.
        Decimal::parse(&v.to_string()).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_common_spelling_breaks_ties_by_smallest() {
        let mut s = Spellings::default();
        assert_eq!(s.best(), "");
        s.add("testrg1");
        s.add("TESTRG1");
        assert_eq!(s.best(), "TESTRG1");
        s.add("testrg1");
        assert_eq!(s.best(), "testrg1");
        let mut t = Spellings::default();
        t.add("TESTRG1");
        t.add("TESTRG1");
        s.merge(&t);
        assert_eq!(s.best(), "TESTRG1");
    }

    #[test]
    fn lenient_decimal_reads_strings_and_numbers() {
        #[derive(serde::Deserialize)]
        struct W {
            #[serde(deserialize_with = "lenient_decimal")]
            v: Decimal,
            #[serde(default, deserialize_with = "lenient_decimal_opt")]
            o: Option<Decimal>,
        }
        let w: W = serde_json::from_str(r#"{"v":"120.5682999999995904716","o":null}"#).unwrap();
        assert_eq!(w.v.to_string(), "120.5682999999995904716");
        assert_eq!(w.o, None);
        let w: W = serde_json::from_str(r#"{"v":80,"o":0.1}"#).unwrap();
        assert_eq!(w.v.to_string(), "80");
        assert_eq!(w.o.unwrap().to_string(), "0.1");
        let w: W = serde_json::from_str(r#"{"v":-2}"#).unwrap();
        assert_eq!(w.v.to_string(), "-2");
        assert!(serde_json::from_str::<W>(r#"{"v":"abc"}"#).is_err());
        // A wrong type says what was expected, for a value and an option's value.
        let e = serde_json::from_str::<W>(r#"{"v":true}"#)
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("expected a decimal number or a string holding one"),
            "{e}"
        );
        let e = serde_json::from_str::<W>(r#"{"v":1,"o":[]}"#)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("expected a decimal number or a string"), "{e}");
    }

    #[test]
    fn lenient_decimal_opt_says_what_it_expects() {
        // serde_json hands an option's value to `visit_some`; a deserializer
        // with no notion of options (serde's value deserializers) asks the
        // option's own visitor, whose message names null too.
        use serde::de::value::{BoolDeserializer, Error as VErr};
        let e = lenient_decimal_opt(BoolDeserializer::<VErr>::new(true)).unwrap_err();
        assert!(
            e.to_string()
                .contains("expected a decimal number, a string holding one, or null"),
            "{e}"
        );
    }
}
