//! Where a subscription's money goes: resource usage records.

use super::ingest::{BadRecordPolicy, Ingest, RecordError};
use super::{
    by_usd_then_key, currency_rows, merge_by_currency, overflow_at, usd_of, ByCurrency,
    CurrencyTotal, Missing, Spellings, NONE_LABEL,
};
use crate::case;
use crate::decimal::Decimal;
use crate::error::Error;
use crate::model::ResourceUsageRecord;
use crate::money::Currency;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// What to group resource usage records by:
/// `'resource-group' | 'resource-type' | 'resource' | 'entitlement'`.
///
/// Every dimension compares case-insensitively, as Azure does, and shows the
/// value's most common spelling (ties: the smallest). Resource groups,
/// resources and entitlements are compared by Unicode case folding
/// ([`case::fold`](crate::case::fold)), so `Müller` and `MÜLLER` are one group;
/// resource types (`Microsoft.Compute`) by ASCII case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ResourceDimension {
    /// `resourceGroupName`, else the group parsed from `resourceUri` (the default).
    #[default]
    ResourceGroup,
    /// `resourceType`, e.g. `Microsoft.Compute`.
    ResourceType,
    /// The resource: keyed by `resourceUri` (else its name), shown by name.
    Resource,
    /// The entitlement: keyed by `entitlementId` (else its name), shown by `entitlementName`.
    Entitlement,
}

impl ResourceDimension {
    /// The name: `resource-group`, `resource-type`, `resource` or
    /// `entitlement`, as JavaScript and JSON spell it.
    ///
    /// ```
    /// use partner_usage_core::aggregate::ResourceDimension;
    /// assert_eq!(ResourceDimension::ResourceGroup.as_str(), "resource-group");
    /// for d in [ResourceDimension::ResourceGroup, ResourceDimension::ResourceType,
    ///           ResourceDimension::Resource, ResourceDimension::Entitlement] {
    ///     let json = format!("\"{}\"", d.as_str());
    ///     assert_eq!(serde_json::to_string(&d).unwrap(), json);
    ///     assert_eq!(serde_json::from_str::<ResourceDimension>(&json).unwrap(), d);
    /// }
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceDimension::ResourceGroup => "resource-group",
            ResourceDimension::ResourceType => "resource-type",
            ResourceDimension::Resource => "resource",
            ResourceDimension::Entitlement => "entitlement",
        }
    }

    /// The group key (lower-cased) and the spelling to count.
    fn of(self, r: &ResourceUsageRecord) -> (String, &str) {
        match self {
            ResourceDimension::ResourceGroup => {
                let g = r.resource_group();
                (case::fold(g).into_owned(), g)
            }
            ResourceDimension::ResourceType => {
                (r.resource_type.to_ascii_lowercase(), &r.resource_type)
            }
            ResourceDimension::Resource => (
                lower_first(&r.resource_uri, r.display_name()),
                r.display_name(),
            ),
            ResourceDimension::Entitlement => {
                let label = if r.entitlement_name.is_empty() {
                    &r.entitlement_id
                } else {
                    &r.entitlement_name
                };
                (lower_first(&r.entitlement_id, &r.entitlement_name), label)
            }
        }
    }
}

/// `a` case-folded, or `b` if `a` is empty.
fn lower_first(a: &str, b: &str) -> String {
    case::fold(if a.is_empty() { b } else { a }).into_owned()
}

/// Options of a [`ResourceSummariser`]. From JavaScript:
/// `{ groupBy: 'resource-group', thenBy: 'resource-type', topN: 10, badRecords: 'skip' }`,
/// every field optional.
///
/// ```
/// use partner_usage_core::aggregate::{ResourceDimension, ResourceOptions};
/// let o: ResourceOptions = serde_json::from_str(r#"{"groupBy":"resource-type","thenBy":"resource"}"#).unwrap();
/// assert_eq!(o.group_by, ResourceDimension::ResourceType);
/// assert_eq!(o.then_by, Some(ResourceDimension::Resource));
/// assert_eq!(o.top_n, None);
/// let r = ResourceOptions::default().group_by(ResourceDimension::ResourceType).then_by(Some(ResourceDimension::Resource));
/// assert_eq!(r, o);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct ResourceOptions {
    /// The first level of grouping (default: resource group).
    pub group_by: ResourceDimension,
    /// An optional second level inside each group (e.g. group → type).
    pub then_by: Option<ResourceDimension>,
    /// How many first-level groups to list before an `others` row (default:
    /// all, no `others` row). Second-level groups are always all listed.
    pub top_n: Option<usize>,
    /// What to do with a bad record (default: fail).
    pub bad_records: BadRecordPolicy,
}

impl ResourceOptions {
    /// Whether the options make sense: a second level other than the first
    /// (each group would have one child, itself). The summariser takes any;
    /// callers taking options from users check them first
    /// ([`Error::InvalidInput`]).
    ///
    /// ```
    /// use partner_usage_core::aggregate::{ResourceDimension, ResourceOptions};
    /// assert!(ResourceOptions::default().check().is_ok());
    /// let o = ResourceOptions::default().then_by(Some(ResourceDimension::ResourceGroup));
    /// assert!(o.check().unwrap_err().to_string().contains("thenBy"));
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        if self.then_by == Some(self.group_by) {
            return Err(Error::invalid_input(
                "thenBy is groupBy too: choose another second level, or none (null)",
            ));
        }
        Ok(())
    }
}

setters!(ResourceOptions {
    group_by: ResourceDimension,
    then_by: Option<ResourceDimension>,
    top_n: Option<usize>,
    bad_records: BadRecordPolicy,
});

/// A group: its spellings, its own sums (one level) or its children's (two levels).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Node {
    spellings: Spellings,
    sums: ByCurrency,
    children: BTreeMap<String, Node>,
}

impl Node {
    fn merge(&mut self, from: Node) -> Result<(), Error> {
        self.spellings.merge(&from.spellings);
        merge_by_currency(&mut self.sums, &from.sums)?;
        for (k, c) in from.children {
            match self.children.get_mut(&k) {
                Some(mine) => mine.merge(c)?,
                None => {
                    self.children.insert(k, c);
                }
            }
        }
        Ok(())
    }

    /// The row, with its children's sums added into its own.
    fn into_row(self, key: String) -> Result<(GroupRow, ByCurrency), Error> {
        let mut sums = self.sums;
        let mut children = Vec::with_capacity(self.children.len());
        for (k, c) in self.children {
            let (row, child_sums) = c.into_row(k)?;
            merge_by_currency(&mut sums, &child_sums)?;
            children.push(row);
        }
        sort_rows(&mut children);
        let label = match self.spellings.best() {
            "" => NONE_LABEL,
            s => s,
        };
        Ok((
            row_of(key, label.to_string(), &sums, children, false)?,
            sums,
        ))
    }
}

fn row_of(
    key: String,
    label: String,
    sums: &ByCurrency,
    children: Vec<GroupRow>,
    others: bool,
) -> Result<GroupRow, Error> {
    let usd = usd_of(sums)?;
    Ok(GroupRow {
        key,
        label,
        usd,
        usd_number: usd.to_f64(),
        records: sums.values().fold(0u64, |n, s| n.saturating_add(s.records)),
        currency_totals: currency_rows(sums),
        children,
        others,
    })
}

fn sort_rows(rows: &mut [GroupRow]) {
    super::order::sort_by(rows, |a, b| by_usd_then_key(&a.usd, &a.key, &b.usd, &b.key));
}

/// Streams resource usage records into a [`ResourceSummary`].
///
/// ```
/// use partner_usage_core::aggregate::{ResourceOptions, ResourceSummariser};
/// use partner_usage_core::model::ResourceUsageRecord;
/// let mut s = ResourceSummariser::new(ResourceOptions::default());
/// for (rg, usd) in [("TESTRG1", "2.47"), ("testrg1", "0.01"), ("TESTRG1", "98.17")] {
///     let r: ResourceUsageRecord = serde_json::from_str(&format!(
///         r#"{{"resourceGroupName":"{rg}","totalCost":1,"currencyCode":"GBP","usdTotalCost":{usd}}}"#)).unwrap();
///     s.add(&r).unwrap();
/// }
/// let summary = s.finish().unwrap();
/// assert_eq!(summary.groups.len(), 1);
/// assert_eq!(summary.groups[0].label, "TESTRG1");
/// assert_eq!(summary.groups[0].usd.to_string(), "100.65");
/// ```
#[derive(Debug, Clone)]
pub struct ResourceSummariser {
    options: ResourceOptions,
    ingest: Ingest,
    records: u64,
    missing: Missing,
    groups: BTreeMap<String, Node>,
}

impl ResourceSummariser {
    /// A summariser with options.
    pub fn new(options: ResourceOptions) -> ResourceSummariser {
        ResourceSummariser {
            ingest: Ingest::new(options.bad_records),
            options,
            records: 0,
            missing: Missing::default(),
            groups: BTreeMap::new(),
        }
    }

    /// Adds one record. A missing `totalCost` or `usdTotalCost` counts as
    /// zero (and in `missingCost`/`missingUsd`). On error (an amount that
    /// would overflow the exact total, naming the field) nothing is changed.
    pub fn add(&mut self, r: &ResourceUsageRecord) -> Result<(), Error> {
        let (key, spelling) = self.options.group_by.of(r);
        let child = self.options.then_by.map(|d| d.of(r));
        let currency = r.currency();
        let group = self.groups.get(&key);
        let leaf = match &child {
            Some((ck, _)) => group.and_then(|g| g.children.get(ck)),
            None => group,
        };
        let sum = leaf
            .and_then(|n| n.sums.get(&currency))
            .copied()
            .unwrap_or_default()
            .plus(
                r.total_cost.unwrap_or(Decimal::ZERO),
                r.usd_total_cost.unwrap_or(Decimal::ZERO),
            )
            .map_err(overflow_at)?;
        let group = self.groups.entry(key).or_default();
        group.spellings.add(spelling);
        let leaf = match child {
            Some((ck, cs)) => {
                let c = group.children.entry(ck).or_default();
                c.spellings.add(cs);
                c
            }
            None => group,
        };
        leaf.sums.insert(currency, sum);
        self.records = self.records.saturating_add(1);
        self.missing.count(r.total_cost, r.usd_total_cost);
        Ok(())
    }

    /// Decodes and adds the raw items of page `page` (1-based) under the
    /// options' bad-record policy.
    pub fn add_page(&mut self, page: u32, items: &[&RawValue]) -> Result<(), Error> {
        let mut ingest = std::mem::take(&mut self.ingest);
        let result = ingest.page(page, items, |r: ResourceUsageRecord| self.add(&r));
        self.ingest = ingest;
        result
    }

    /// Adds the records of another summariser, which must have the same
    /// options ([`Error::InvalidInput`] otherwise). After an error, discard both.
    pub fn merge(&mut self, other: ResourceSummariser) -> Result<(), Error> {
        if other.options != self.options {
            return Err(super::options_differ());
        }
        for (k, n) in other.groups {
            match self.groups.get_mut(&k) {
                Some(mine) => mine.merge(n)?,
                None => {
                    self.groups.insert(k, n);
                }
            }
        }
        self.records = self.records.saturating_add(other.records);
        self.missing.merge(other.missing);
        self.ingest.merge(other.ingest);
        Ok(())
    }

    /// The summary. Fails only if a total over many records overflows 38
    /// significant digits.
    pub fn finish(self) -> Result<ResourceSummary, Error> {
        let mut total = ByCurrency::new();
        let mut rows = Vec::with_capacity(self.groups.len());
        for (k, n) in self.groups {
            let (row, sums) = n.into_row(k)?;
            merge_by_currency(&mut total, &sums)?;
            rows.push((row, sums));
        }
        super::order::sort_by(&mut rows, |(a, _), (b, _)| {
            by_usd_then_key(&a.usd, &a.key, &b.usd, &b.key)
        });
        let group_count = rows.len() as u64;
        let n = self.options.top_n.unwrap_or(usize::MAX).min(rows.len());
        let rest = rows.split_off(n);
        let mut groups: Vec<GroupRow> = rows.into_iter().map(|(r, _)| r).collect();
        if !rest.is_empty() {
            let mut sums = ByCurrency::new();
            for (_, s) in &rest {
                merge_by_currency(&mut sums, s)?;
            }
            groups.push(row_of(
                String::new(),
                "others".to_string(),
                &sums,
                vec![],
                true,
            )?);
        }
        let usd = usd_of(&total)?;
        Ok(ResourceSummary {
            group_by: self.options.group_by,
            then_by: self.options.then_by,
            records: self.records,
            skipped_records: self.ingest.skipped(),
            errors: self.ingest.error_rows(),
            missing_cost: self.missing.cost,
            missing_usd: self.missing.usd,
            usd,
            usd_number: usd.to_f64(),
            currency_totals: currency_rows(&total),
            group_count,
            groups,
        })
    }
}

/// A group of resource usage records, with its second-level groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GroupRow {
    /// The group key: the value lower-cased; empty for the `others` row.
    pub key: String,
    /// The value's most common spelling, `(none)` for an empty value, or
    /// `others`.
    pub label: String,
    /// The exact USD total.
    pub usd: Decimal,
    /// `usd` as a number, for charting only.
    pub usd_number: f64,
    /// How many records it sums.
    pub records: u64,
    /// One exact total per currency.
    pub currency_totals: Vec<CurrencyTotal>,
    /// The second-level groups (empty without `thenBy`, and for `others`).
    pub children: Vec<GroupRow>,
    /// Whether this is the `others` row (use this flag, not the key).
    pub others: bool,
}

/// What [`ResourceSummariser::finish`] returns.
///
/// JSON: `{ groupBy, thenBy, records, skippedRecords, errors, missingCost,
/// missingUsd, usd, usdNumber, currencyTotals, groupCount, groups }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceSummary {
    /// The first level of grouping.
    pub group_by: ResourceDimension,
    /// The second level, if any.
    pub then_by: Option<ResourceDimension>,
    /// Records aggregated.
    pub records: u64,
    /// Bad records skipped (under `badRecords: 'skip'`).
    pub skipped_records: u64,
    /// The first skipped records' errors.
    pub errors: Vec<RecordError>,
    /// Records without `totalCost` (counted as zero).
    pub missing_cost: u64,
    /// Records without `usdTotalCost` (counted as zero).
    pub missing_usd: u64,
    /// The exact USD total.
    pub usd: Decimal,
    /// `usd` as a number, for charting only.
    pub usd_number: f64,
    /// One exact total per currency.
    pub currency_totals: Vec<CurrencyTotal>,
    /// How many first-level groups there are (before top N).
    pub group_count: u64,
    /// The groups by USD descending then key, the top N then `others`;
    /// they add up to the totals exactly.
    pub groups: Vec<GroupRow>,
}

/// One flat row of a [`ResourceSummary`]: a (group, currency) or a
/// (group, child, currency) total. The CSV and JSON Lines exports use it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceRow {
    /// 1 for a group, 2 for a second-level group.
    pub level: u8,
    /// The group key.
    pub group_key: String,
    /// The group label.
    pub group: String,
    /// The second-level key (empty at level 1).
    pub child_key: String,
    /// The second-level label (empty at level 1).
    pub child: String,
    /// The currency.
    pub currency: Currency,
    /// The exact total in `currency`.
    pub amount: Decimal,
    /// The exact USD of the same records.
    pub usd: Decimal,
    /// How many records.
    pub records: u64,
    /// Whether the row belongs to the `others` group.
    pub others: bool,
}

impl ResourceSummary {
    /// The flat rows: each group's per-currency totals (level 1), each
    /// followed by its children's (level 2). Level 1 rows alone add up to
    /// the totals, and so do level 2 rows plus the `others` rows (which
    /// have no children) when `thenBy` is set.
    ///
    /// ```
    /// use partner_usage_core::aggregate::{ResourceOptions, ResourceSummariser};
    /// let s = ResourceSummariser::new(ResourceOptions::default()).finish().unwrap();
    /// assert!(s.rows().is_empty());
    /// ```
    pub fn rows(&self) -> Vec<ResourceRow> {
        let mut out = Vec::new();
        for g in &self.groups {
            let mut push = |level: u8, child: Option<&GroupRow>| {
                let of = child.unwrap_or(g);
                for t in &of.currency_totals {
                    out.push(ResourceRow {
                        level,
                        group_key: g.key.clone(),
                        group: g.label.clone(),
                        child_key: child.map(|c| c.key.clone()).unwrap_or_default(),
                        child: child.map(|c| c.label.clone()).unwrap_or_default(),
                        currency: t.currency.clone(),
                        amount: t.amount,
                        usd: t.usd,
                        records: t.records,
                        others: g.others,
                    });
                }
            };
            push(1, None);
            for c in &g.children {
                push(2, Some(c));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(json: &str) -> ResourceUsageRecord {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn dimensions_fall_back_and_fold_case() {
        let r = rec(
            r#"{"resourceUri":"/subscriptions/s/resourceGroups/RG/providers/P/t/VM1","resourceType":"Microsoft.Compute",
                "name":"VM1","entitlementId":"E-1","entitlementName":"Partner"}"#,
        );
        assert_eq!(ResourceDimension::ResourceGroup.of(&r), ("rg".into(), "RG"));
        assert_eq!(
            ResourceDimension::ResourceType.of(&r),
            ("microsoft.compute".into(), "Microsoft.Compute")
        );
        assert_eq!(
            ResourceDimension::Resource.of(&r),
            (
                "/subscriptions/s/resourcegroups/rg/providers/p/t/vm1".into(),
                "VM1"
            )
        );
        assert_eq!(
            ResourceDimension::Entitlement.of(&r),
            ("e-1".into(), "Partner")
        );
        let unicode = rec(
            r#"{"resourceUri":"/subscriptions/s/resourceGroups/PROD-ÄRZTE/providers/P/t/VM1"}"#,
        );
        assert_eq!(
            ResourceDimension::ResourceGroup.of(&unicode),
            ("prod-ärzte".into(), "PROD-ÄRZTE")
        );
        let bare = rec(r#"{"entitlementId":"E-2"}"#);
        assert_eq!(
            ResourceDimension::Entitlement.of(&bare),
            ("e-2".into(), "E-2")
        );
        assert_eq!(
            ResourceDimension::ResourceGroup.of(&bare),
            (String::new(), "")
        );
    }

    #[test]
    fn second_level_groups_are_sorted_by_usd_largest_first() {
        let mut s = ResourceSummariser::new(ResourceOptions {
            then_by: Some(ResourceDimension::ResourceType),
            ..ResourceOptions::default()
        });
        for (t, usd) in [("a.small", 1), ("b.large", 9), ("c.middle", 5)] {
            s.add(&rec(&format!(
                r#"{{"resourceGroupName":"rg","resourceType":"{t}","totalCost":{usd},"currencyCode":"USD","usdTotalCost":{usd}}}"#
            )))
            .unwrap();
        }
        let out = s.finish().unwrap();
        let children: Vec<_> = out.groups[0]
            .children
            .iter()
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(children, ["b.large", "c.middle", "a.small"]);
    }

    #[test]
    fn empty_groups_show_none_and_others_sums_the_rest() {
        let mut s = ResourceSummariser::new(ResourceOptions {
            top_n: Some(1),
            ..ResourceOptions::default()
        });
        for json in [
            r#"{"resourceGroupName":"a","totalCost":5,"currencyCode":"EUR","usdTotalCost":6}"#,
            r#"{"totalCost":1,"currencyCode":"EUR","usdTotalCost":1}"#,
            r#"{"resourceGroupName":"b","totalCost":2,"currencyCode":"GBP"}"#,
        ] {
            s.add(&rec(json)).unwrap();
        }
        let out = s.finish().unwrap();
        assert_eq!(out.group_count, 3);
        assert_eq!(out.missing_usd, 1);
        assert_eq!(out.groups.len(), 2);
        assert_eq!(out.groups[0].label, "a");
        let others = &out.groups[1];
        assert!(others.others);
        assert_eq!(others.records, 2);
        assert_eq!(others.currency_totals.len(), 2);
        assert_eq!(out.rows().len(), 3);
        let mut all = ResourceSummariser::new(ResourceOptions::default());
        all.add(&rec(r#"{"totalCost":1}"#)).unwrap();
        assert_eq!(all.finish().unwrap().groups[0].label, NONE_LABEL);
    }
}
