//! Who is spending what: customer monthly usage records.

use super::budget::{budget_check, BudgetCheck, BudgetStatus};
use super::ingest::{BadRecordPolicy, Ingest, RecordError};
use super::{
    by_usd_then_key, currency_rows, lenient_decimal, overflow_at, total_overflow, usd_of,
    ByCurrency, CurrencyTotal, Missing, RankRow, Spellings, Sum,
};
use crate::decimal::Decimal;
use crate::error::Error;
use crate::model::CustomerMonthlyUsageRecord;
use crate::money::Currency;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Options of a [`CustomerSummariser`]. From JavaScript:
/// `{ nearThreshold: 80, topN: 10, badRecords: 'fail' }`, every field optional.
///
/// ```
/// use partner_usage_core::aggregate::CustomerOptions;
/// let o: CustomerOptions = serde_json::from_str(r#"{"nearThreshold": "90.5", "topN": 3}"#).unwrap();
/// assert_eq!(o.near_threshold.to_string(), "90.5");
/// assert_eq!(o.top_n, Some(3));
/// assert_eq!(CustomerOptions::default().near_threshold.to_string(), "80");
/// // In Rust, the same with setters:
/// let o = CustomerOptions::default().near_threshold("90.5".parse().unwrap()).top_n(Some(3));
/// assert_eq!(o.top_n, Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct CustomerOptions {
    /// The percentage of the budget at which a customer is `near` (default
    /// 80). A number, or a string for an exact value.
    #[serde(deserialize_with = "lenient_decimal")]
    pub near_threshold: Decimal,
    /// How many customers the `top` ranking lists before its `others` row
    /// (default 10; `null`: everyone, no `others` row).
    pub top_n: Option<usize>,
    /// What to do with a bad record (default: fail).
    pub bad_records: BadRecordPolicy,
}

setters!(CustomerOptions { near_threshold: Decimal, top_n: Option<usize>, bad_records: BadRecordPolicy });

impl CustomerOptions {
    /// Whether the options make sense: `near_threshold` is a percentage
    /// above 0 and at most 100 (at 100 and beyond, "near" would never come
    /// before "over"). The summariser takes any; callers taking options
    /// from users check them first ([`Error::InvalidInput`]).
    ///
    /// ```
    /// use partner_usage_core::aggregate::CustomerOptions;
    /// assert!(CustomerOptions::default().check().is_ok());
    /// let o = CustomerOptions::default().near_threshold("150".parse().unwrap());
    /// assert!(o.check().unwrap_err().to_string().contains("nearThreshold"));
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        if self.near_threshold <= Decimal::ZERO || self.near_threshold > Decimal::from_i64(100) {
            return Err(Error::invalid_input(format!(
                "nearThreshold must be a percentage above 0 and at most 100, not {}",
                self.near_threshold
            )));
        }
        Ok(())
    }
}

impl Default for CustomerOptions {
    fn default() -> Self {
        CustomerOptions {
            near_threshold: Decimal::from_i64(80),
            top_n: Some(10),
            bad_records: BadRecordPolicy::Fail,
        }
    }
}

/// One customer's accumulated records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Acc {
    names: Spellings,
    upgraded: bool,
    /// `totalCost`, `usdTotalCost` and the number of records.
    sum: Sum,
    budget: Option<Decimal>,
    reported: Option<Decimal>,
    /// The latest `lastModifiedDate`.
    modified: Option<Timestamp>,
    /// Records without `totalCost`, and without `usdTotalCost`.
    missing: Missing,
}

impl Acc {
    fn merge(&mut self, o: &Acc) -> Result<(), Error> {
        self.sum = self
            .sum
            .merged(o.sum)
            .map_err(|_| total_overflow("a customer's cost"))?;
        self.names.merge(&o.names);
        self.upgraded |= o.upgraded;
        self.budget = self.budget.max(o.budget);
        self.reported = self.reported.max(o.reported);
        self.modified = self.modified.max(o.modified);
        self.missing.merge(o.missing);
        Ok(())
    }
}

/// Streams customer monthly usage records into a [`CustomerSummary`].
///
/// Partner Center sends one record per customer. Records are grouped by
/// customer id (else name) and currency; if a customer comes more than once,
/// its costs are summed, the largest budget and `percentUsed` are kept, and
/// it counts as on the Azure plan if any record says so. A missing
/// `totalCost` or `usdTotalCost` counts as zero in the sums and is counted
/// in `missingCost`/`missingUsd` (the summary's and the customer's); a
/// customer with a budget and a missing `totalCost` has the status
/// [`BudgetStatus::Unknown`], not a comparison with a cost that isn't all
/// there.
///
/// ```
/// use partner_usage_core::aggregate::{BudgetStatus, CustomerOptions, CustomerSummariser};
/// use partner_usage_core::model::CustomerMonthlyUsageRecord;
/// let r: CustomerMonthlyUsageRecord = serde_json::from_str(r#"{"id":"b1","name":"SE",
///   "budget":{"amount":20},"percentUsed":602.84,"isUpgraded":true,
///   "totalCost":120.5682999999995904716,"currencyCode":"SEK","usdTotalCost":12.39999999999999985235}"#).unwrap();
/// let mut s = CustomerSummariser::new(CustomerOptions::default());
/// s.add(&r).unwrap();
/// let summary = s.finish().unwrap();
/// assert_eq!(summary.customers[0].status, BudgetStatus::Over);
/// assert_eq!(summary.currency_totals[0].amount.to_string(), "120.5682999999995904716");
/// assert_eq!(summary.budget.over, 1);
/// ```
#[derive(Debug, Clone)]
pub struct CustomerSummariser {
    options: CustomerOptions,
    ingest: Ingest,
    records: u64,
    missing: Missing,
    customers: BTreeMap<(String, Currency), Acc>,
}

impl CustomerSummariser {
    /// A summariser with options.
    pub fn new(options: CustomerOptions) -> CustomerSummariser {
        CustomerSummariser {
            ingest: Ingest::new(options.bad_records),
            options,
            records: 0,
            missing: Missing::default(),
            customers: BTreeMap::new(),
        }
    }

    /// Adds one record. On error (an amount that would overflow the exact
    /// total, naming the field) nothing is changed.
    pub fn add(&mut self, r: &CustomerMonthlyUsageRecord) -> Result<(), Error> {
        let id = match r.customer_id() {
            "" => r.display_name(),
            id => id,
        };
        let key = (id.to_string(), r.currency());
        let sum = self
            .customers
            .get(&key)
            .map_or(Sum::default(), |a| a.sum)
            .plus(
                r.total_cost.unwrap_or(Decimal::ZERO),
                r.usd_total_cost.unwrap_or(Decimal::ZERO),
            )
            .map_err(overflow_at)?;
        let acc = self.customers.entry(key).or_default();
        acc.sum = sum;
        acc.names.add(r.display_name());
        acc.upgraded |= r.is_upgraded;
        acc.budget = acc.budget.max(r.budget.as_ref().and_then(|b| b.amount));
        acc.reported = acc.reported.max(r.percent_used);
        acc.modified = acc.modified.max(r.last_modified_date);
        acc.missing.count(r.total_cost, r.usd_total_cost);
        self.records = self.records.saturating_add(1);
        self.missing.count(r.total_cost, r.usd_total_cost);
        Ok(())
    }

    /// Decodes and adds the raw items of page `page` (1-based) under the
    /// options' bad-record policy.
    pub fn add_page(&mut self, page: u32, items: &[&RawValue]) -> Result<(), Error> {
        let mut ingest = std::mem::take(&mut self.ingest);
        let result = ingest.page(page, items, |r: CustomerMonthlyUsageRecord| self.add(&r));
        self.ingest = ingest;
        result
    }

    /// Adds the records of another summariser (e.g. one that summarised
    /// other pages), which must have the same options
    /// ([`Error::InvalidInput`] otherwise). After an error, discard both.
    pub fn merge(&mut self, other: CustomerSummariser) -> Result<(), Error> {
        if other.options != self.options {
            return Err(super::options_differ());
        }
        for (k, a) in &other.customers {
            match self.customers.get_mut(k) {
                Some(mine) => mine.merge(a)?,
                None => {
                    self.customers.insert(k.clone(), a.clone());
                }
            }
        }
        self.records = self.records.saturating_add(other.records);
        self.missing.merge(other.missing);
        self.ingest.merge(other.ingest);
        Ok(())
    }

    /// The summary. Fails only if a total over many customers overflows 38
    /// significant digits.
    pub fn finish(self) -> Result<CustomerSummary, Error> {
        let threshold = self.options.near_threshold;
        let mut budget = BudgetCounts::default();
        let mut by_currency = ByCurrency::new();
        let mut plans = [PlanTotal::default(), PlanTotal::default()];
        let mut customers = Vec::with_capacity(self.customers.len());
        // A customer billed in two currencies has an entry for each, next to
        // each other (the map is ordered by id): its plan counts it once,
        // and the budget counts once, by its worst status.
        let mut counted: [Option<String>; 2] = [None, None];
        let mut status: Option<(String, BudgetStatus, bool)> = None;
        for ((id, currency), a) in self.customers {
            let Sum {
                amount: cost,
                usd,
                records,
            } = a.sum;
            let check = if a.missing.cost > 0 && a.budget.is_some() {
                BudgetCheck {
                    status: BudgetStatus::Unknown,
                    percent_computed: None,
                    percent_disagrees: false,
                }
            } else {
                budget_check(cost, a.budget, a.reported, threshold)
            };
            match &mut status {
                Some((of, worst, disagrees)) if *of == id => {
                    *worst = (*worst).max(check.status);
                    *disagrees |= check.percent_disagrees;
                }
                _ => {
                    if let Some((_, worst, disagrees)) = status.take() {
                        budget.count(worst, disagrees);
                    }
                    status = Some((id.clone(), check.status, check.percent_disagrees));
                }
            }
            let sum = by_currency
                .get(&currency)
                .copied()
                .unwrap_or_default()
                .plus(cost, usd)
                .map_err(total_overflow)?;
            by_currency.insert(currency.clone(), sum);
            let which = usize::from(!a.upgraded);
            let plan = &mut plans[which];
            if counted[which].as_ref() != Some(&id) {
                plan.customers = plan.customers.saturating_add(1);
                counted[which] = Some(id.clone());
            }
            plan.usd = plan
                .usd
                .checked_add(usd)
                .map_err(|_| total_overflow("usdTotalCost"))?;
            customers.push(CustomerRow {
                customer_id: id,
                name: a.names.best().to_string(),
                legacy_currency: currency.is_legacy(),
                currency,
                is_upgraded: a.upgraded,
                cost,
                cost_number: cost.to_f64(),
                usd,
                usd_number: usd.to_f64(),
                budget: a.budget,
                budget_number: a.budget.map(|b| b.to_f64()),
                percent_used_reported: a.reported,
                percent_used_computed: check.percent_computed,
                percent_disagrees: check.percent_disagrees,
                status: check.status,
                records,
                missing_cost: a.missing.cost,
                missing_usd: a.missing.usd,
                last_modified_date: a.modified,
            });
        }
        if let Some((_, worst, disagrees)) = status {
            budget.count(worst, disagrees);
        }
        super::order::sort_by(&mut customers, |a, b| {
            by_usd_then_key(&a.usd, &a.customer_id, &b.usd, &b.customer_id)
                .then_with(|| a.currency.cmp(&b.currency))
        });
        let usd = usd_of(&by_currency)?;
        let top = rank(&customers, self.options.top_n)?;
        let [mut azure_plan, mut legacy] = plans;
        azure_plan.usd_number = azure_plan.usd.to_f64();
        legacy.usd_number = legacy.usd.to_f64();
        Ok(CustomerSummary {
            records: self.records,
            skipped_records: self.ingest.skipped(),
            errors: self.ingest.error_rows(),
            missing_cost: self.missing.cost,
            missing_usd: self.missing.usd,
            usd,
            usd_number: usd.to_f64(),
            currency_totals: currency_rows(&by_currency),
            azure_plan,
            legacy,
            near_threshold: threshold,
            budget,
            top,
            customers,
        })
    }
}

/// The top `n` customers (from rows already sorted) and an `others` row
/// with the rest. A customer billed in two currencies has a row for each in
/// `customers` but one here, ranked by the sum of their USD.
fn rank(customers: &[CustomerRow], n: Option<usize>) -> Result<Vec<RankRow>, Error> {
    let mut rows: Vec<RankRow> = Vec::with_capacity(customers.len());
    let mut row_of: BTreeMap<&str, usize> = BTreeMap::new();
    for c in customers {
        match row_of.get(c.customer_id.as_str()) {
            Some(&i) => {
                let row = &mut rows[i];
                row.usd = row
                    .usd
                    .checked_add(c.usd)
                    .map_err(|_| total_overflow("usdTotalCost"))?;
                row.usd_number = row.usd.to_f64();
            }
            None => {
                row_of.insert(&c.customer_id, rows.len());
                rows.push(RankRow {
                    key: c.customer_id.clone(),
                    label: c.name.clone(),
                    usd: c.usd,
                    usd_number: c.usd_number,
                    count: 1,
                    others: false,
                });
            }
        }
    }
    if rows.len() < customers.len() {
        super::order::sort_by(&mut rows, |a, b| {
            by_usd_then_key(&a.usd, &a.key, &b.usd, &b.key)
        });
    }
    let rest = rows.split_off(n.unwrap_or(usize::MAX).min(rows.len()));
    if !rest.is_empty() {
        let usd = rest.iter().try_fold(Decimal::ZERO, |acc, c| {
            acc.checked_add(c.usd)
                .map_err(|_| total_overflow("usdTotalCost"))
        })?;
        rows.push(RankRow {
            key: String::new(),
            label: "others".to_string(),
            usd,
            usd_number: usd.to_f64(),
            count: rest.len() as u64,
            others: true,
        });
    }
    Ok(rows)
}

/// One customer, with its budget status.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomerRow {
    /// The tenant id (or the name, if the record had no id).
    pub customer_id: String,
    /// The company name (its most common spelling).
    pub name: String,
    /// The currency: `SEK`, or `legacy:fr-FR` for a legacy customer.
    pub currency: Currency,
    /// Whether the currency is a legacy customer's locale.
    pub legacy_currency: bool,
    /// `true`: on the Azure plan; `false`: legacy.
    pub is_upgraded: bool,
    /// The exact cost in `currency`: the sum of the records' `totalCost`
    /// (of those that have one: see `missing_cost`).
    pub cost: Decimal,
    /// `cost` as a number, for charting only.
    pub cost_number: f64,
    /// The exact cost in USD (of the records with `usdTotalCost`: see
    /// `missing_usd`).
    pub usd: Decimal,
    /// `usd` as a number, for charting only.
    pub usd_number: f64,
    /// The budget in `currency`, if one is set.
    pub budget: Option<Decimal>,
    /// `budget` as a number, for charting only.
    pub budget_number: Option<f64>,
    /// Partner Center's `percentUsed`.
    pub percent_used_reported: Option<Decimal>,
    /// `cost / budget × 100` rounded to 2 decimals (see [`budget_check`]).
    pub percent_used_computed: Option<Decimal>,
    /// Whether the two percentages differ by more than 0.01 points.
    pub percent_disagrees: bool,
    /// The budget status.
    pub status: BudgetStatus,
    /// How many records it sums (1 unless the customer came twice).
    pub records: u64,
    /// Of those, how many came without `totalCost`: if all of them, the
    /// cost isn't known at all (`cost` is zero; the CSV export leaves it
    /// blank).
    pub missing_cost: u64,
    /// Of those, how many came without `usdTotalCost`.
    pub missing_usd: u64,
    /// When Partner Center last updated the cost (the latest
    /// `lastModifiedDate` of its records): the cost is as of then, so a
    /// run rate divides by the time up to it, not up to now.
    pub last_modified_date: Option<Timestamp>,
}

/// How many customers are in each budget status (a customer billed in two
/// currencies once, by its worst).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BudgetCounts {
    /// Customers without a budget.
    pub no_budget: u64,
    /// Customers under the near threshold.
    pub under: u64,
    /// Customers with a budget whose cost isn't known (a record without
    /// `totalCost`).
    pub unknown: u64,
    /// Customers near their budget.
    pub near: u64,
    /// Customers over their budget.
    pub over: u64,
    /// Customers whose `percentUsed` disagrees with their cost and budget.
    pub disagreements: u64,
}

impl BudgetCounts {
    fn count(&mut self, status: BudgetStatus, disagrees: bool) {
        let slot = match status {
            BudgetStatus::NoBudget => &mut self.no_budget,
            BudgetStatus::Under => &mut self.under,
            BudgetStatus::Unknown => &mut self.unknown,
            BudgetStatus::Near => &mut self.near,
            BudgetStatus::Over => &mut self.over,
        };
        *slot = slot.saturating_add(1);
        self.disagreements = self.disagreements.saturating_add(u64::from(disagrees));
    }
}

/// The customers and USD of one plan kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PlanTotal {
    /// How many customers.
    pub customers: u64,
    /// Their exact USD total.
    pub usd: Decimal,
    /// `usd` as a number, for charting only.
    pub usd_number: f64,
}

/// What [`CustomerSummariser::finish`] returns.
///
/// JSON: `{ records, skippedRecords, errors, missingCost, missingUsd, usd,
/// usdNumber, currencyTotals, azurePlan, legacy, nearThreshold, budget, top,
/// customers }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomerSummary {
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
    /// The exact USD total of every customer.
    pub usd: Decimal,
    /// `usd` as a number, for charting only.
    pub usd_number: f64,
    /// One exact total per currency (legacy locales apart), by currency.
    /// `records` counts customers.
    pub currency_totals: Vec<CurrencyTotal>,
    /// Customers on the Azure plan (`isUpgraded: true`).
    pub azure_plan: PlanTotal,
    /// Legacy customers (`isUpgraded: false`).
    pub legacy: PlanTotal,
    /// The near threshold used, in percent.
    pub near_threshold: Decimal,
    /// Customers per budget status.
    pub budget: BudgetCounts,
    /// The top N customers by USD, then an `others` row: the rows' USD add
    /// up to `usd` exactly.
    pub top: Vec<RankRow>,
    /// Every customer, by USD descending then id.
    pub customers: Vec<CustomerRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(json: &str) -> CustomerMonthlyUsageRecord {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_repeated_customer_is_summed_once() {
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        let r = rec(
            r#"{"id":"a","name":"A","totalCost":1.5,"currencyCode":"EUR","usdTotalCost":2,"budget":{"amount":3}}"#,
        );
        s.add(&r).unwrap();
        s.add(&r).unwrap();
        let out = s.finish().unwrap();
        assert_eq!(out.customers.len(), 1);
        assert_eq!(out.customers[0].cost.to_string(), "3.0");
        assert_eq!(out.customers[0].records, 2);
        assert_eq!(out.customers[0].status, BudgetStatus::Near);
        assert_eq!(out.currency_totals[0].records, 1);
        assert_eq!(out.records, 2);
    }

    #[test]
    fn a_page_counts_budgets_and_splits_plans_by_customer() {
        // One page of raw items, as the client hands them over.
        let page = r#"[
          {"id":"a","isUpgraded":true,"totalCost":90,"currencyCode":"EUR","usdTotalCost":90,"budget":{"amount":100},"percentUsed":10},
          {"id":"b","isUpgraded":false,"totalCost":50,"currencyCode":"EUR","usdTotalCost":60,"budget":{"amount":40},"percentUsed":125},
          {"id":"c","isUpgraded":true,"totalCost":8,"currencyCode":"EUR","usdTotalCost":10},
          {"id":"d","isUpgraded":false,"totalCost":4,"currencyCode":"EUR","usdTotalCost":5,"budget":{"amount":100}}
        ]"#;
        let items: Vec<&RawValue> = serde_json::from_str(page).unwrap();
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        s.add_page(1, &items).unwrap();
        // "d" again, in another summariser's pages, as an Azure plan
        // customer: one of its records says so, so it is one.
        let mut other = CustomerSummariser::new(CustomerOptions::default());
        other
            .add(&rec(
                r#"{"id":"d","isUpgraded":true,"totalCost":6,"currencyCode":"EUR","usdTotalCost":5}"#,
            ))
            .unwrap();
        s.merge(other).unwrap();
        let out = s.finish().unwrap();
        assert_eq!(out.records, 5);
        let b = &out.budget;
        assert_eq!(
            (b.no_budget, b.under, b.near, b.over, b.disagreements),
            (1, 1, 1, 1, 1),
            "c none, d 10 % under, a 90 % near (its reported 10 % disagrees), b over"
        );
        assert_eq!(out.azure_plan.customers, 3, "a, c and d");
        assert_eq!(out.azure_plan.usd.to_string(), "110");
        assert_eq!(
            (out.legacy.customers, out.legacy.usd.to_string()),
            (1, "60".into())
        );
        // The same upgrade from a record within one summariser's pages.
        let mut one = CustomerSummariser::new(CustomerOptions::default());
        one.add(&rec(r#"{"id":"e","isUpgraded":false,"usdTotalCost":1}"#))
            .unwrap();
        one.add(&rec(r#"{"id":"e","isUpgraded":true,"usdTotalCost":1}"#))
            .unwrap();
        assert_eq!(one.finish().unwrap().azure_plan.customers, 1);
    }

    #[test]
    fn the_latest_last_modified_date_is_kept() {
        let at = |t: &str| {
            rec(&format!(
                r#"{{"id":"a","name":"A","totalCost":1,"currencyCode":"EUR","usdTotalCost":1,"lastModifiedDate":"{t}"}}"#
            ))
        };
        let late = "2026-11-20T17:08:11.1433333+00:00";
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        s.add(&at("2026-11-19T08:00:00Z")).unwrap();
        let mut other = CustomerSummariser::new(CustomerOptions::default());
        other.add(&at(late)).unwrap();
        other
            .add(&rec(
                r#"{"id":"a","name":"A","totalCost":1,"currencyCode":"EUR","usdTotalCost":1}"#,
            ))
            .unwrap();
        s.merge(other).unwrap();
        s.add(&at("2026-11-18T00:00:00Z")).unwrap();
        let row = &s.finish().unwrap().customers[0];
        assert_eq!(
            row.last_modified_date,
            Some(Timestamp::parse(late).unwrap())
        );
        let json = serde_json::to_value(row).unwrap();
        assert_eq!(json["lastModifiedDate"], late);
        let mut none = CustomerSummariser::new(CustomerOptions::default());
        none.add(&rec(
            r#"{"id":"b","name":"B","totalCost":1,"currencyCode":"EUR","usdTotalCost":1}"#,
        ))
        .unwrap();
        assert_eq!(none.finish().unwrap().customers[0].last_modified_date, None);
    }

    #[test]
    fn trailing_zeros_never_make_an_overflow() {
        for (small, expected) in [
            ("0e-500", "2"),
            ("0.1000000000000000000000000000", "100000000002.1"),
        ] {
            let mut s = CustomerSummariser::new(CustomerOptions::default());
            s.add(&rec(&format!(
                r#"{{"id":"a","totalCost":"{small}","currencyCode":"EUR"}}"#
            )))
            .unwrap();
            let big = if expected == "2" { "2" } else { "100000000002" };
            s.add(&rec(&format!(
                r#"{{"id":"b","totalCost":{big},"currencyCode":"EUR"}}"#
            )))
            .unwrap();
            let out = s.finish().unwrap();
            let total = out.currency_totals[0].amount.normalized().to_string();
            assert_eq!(total, expected, "{small}");
        }
    }

    #[test]
    fn an_overflowing_record_changes_nothing() {
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        let big = rec(r#"{"id":"a","totalCost":1e38,"currencyCode":"EUR","usdTotalCost":1}"#);
        s.add(&big).unwrap();
        let before = s.customers.clone();
        let err = s.add(&big).unwrap_err();
        assert!(err.to_string().contains("field `totalCost`"), "{err}");
        assert_eq!(s.customers, before);
        assert_eq!(s.records, 1);
    }

    #[test]
    fn top_n_none_lists_everyone_and_zero_only_others() {
        let recs = [
            rec(r#"{"id":"a","usdTotalCost":1}"#),
            rec(r#"{"id":"b","usdTotalCost":2}"#),
        ];
        let run = |top_n| {
            let mut s = CustomerSummariser::new(CustomerOptions {
                top_n,
                ..CustomerOptions::default()
            });
            for r in &recs {
                s.add(r).unwrap();
            }
            s.finish().unwrap().top
        };
        let all = run(None);
        assert_eq!(
            all.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        let none = run(Some(0));
        assert_eq!(none.len(), 1);
        assert!(none[0].others);
        assert_eq!((none[0].count, none[0].usd.to_string().as_str()), (2, "3"));
        assert_eq!(run(Some(1))[1].usd.to_string(), "1");
        assert_eq!(
            CustomerSummariser::new(CustomerOptions::default())
                .finish()
                .unwrap()
                .top,
            []
        );
    }

    #[test]
    fn a_customer_in_two_currencies_ranks_once_and_counts_once() {
        // "b" is billed in SEK and EUR: two table rows, one ranking row
        // with both USD amounts, one customer of the plan.
        let recs = [
            rec(
                r#"{"id":"a","isUpgraded":true,"currencyCode":"USD","totalCost":5,"usdTotalCost":5}"#,
            ),
            rec(
                r#"{"id":"b","isUpgraded":true,"currencyCode":"SEK","totalCost":30,"usdTotalCost":3}"#,
            ),
            rec(
                r#"{"id":"b","isUpgraded":true,"currencyCode":"EUR","totalCost":3,"usdTotalCost":3.5}"#,
            ),
            rec(
                r#"{"id":"c","isUpgraded":false,"currencyCode":"USD","totalCost":1,"usdTotalCost":1}"#,
            ),
        ];
        let run = |top_n| {
            let mut s = CustomerSummariser::new(CustomerOptions::default().top_n(top_n));
            for r in &recs {
                s.add(r).unwrap();
            }
            s.finish().unwrap()
        };
        let s = run(None);
        assert_eq!(s.customers.len(), 4);
        let top: Vec<_> = s
            .top
            .iter()
            .map(|r| (r.key.as_str(), r.usd.to_string()))
            .collect();
        assert_eq!(
            top,
            [("b", "6.5".into()), ("a", "5".into()), ("c", "1".into())]
        );
        assert_eq!(s.top[0].usd_number, 6.5);
        assert_eq!((s.azure_plan.customers, s.legacy.customers), (2, 1));
        // No budget anywhere: three customers without one, not four.
        assert_eq!(s.budget.no_budget, 3);
        let s = run(Some(1));
        assert_eq!((s.top.len(), s.top[1].others, s.top[1].count), (2, true, 2));
        assert_eq!(s.top[1].usd.to_string(), "6");
    }

    #[test]
    fn a_customer_in_two_currencies_counts_once_by_its_worst_budget_status() {
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        for r in [
            r#"{"id":"b","currencyCode":"SEK","totalCost":30,"budget":{"amount":10}}"#,
            r#"{"id":"b","currencyCode":"EUR","totalCost":1,"budget":{"amount":10}}"#,
            r#"{"id":"c","currencyCode":"EUR","totalCost":1,"budget":{"amount":10}}"#,
        ] {
            s.add(&rec(r)).unwrap();
        }
        let b = s.finish().unwrap().budget;
        assert_eq!((b.over, b.under, b.near, b.no_budget), (1, 1, 0, 0));
    }

    #[test]
    fn a_customer_without_total_cost_is_unknown_against_its_budget_not_under() {
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        for r in [
            // No totalCost, a budget: unknown, not "under" at a cost of 0.
            r#"{"id":"a","currencyCode":"EUR","usdTotalCost":5,"budget":{"amount":10},"percentUsed":0}"#,
            // totalCost null and no budget: nothing to compare.
            r#"{"id":"b","currencyCode":"EUR","totalCost":null,"usdTotalCost":1}"#,
            // Known on one record, missing on the other: still unknown.
            r#"{"id":"c","currencyCode":"EUR","totalCost":1,"usdTotalCost":1,"budget":{"amount":10}}"#,
            r#"{"id":"c","currencyCode":"EUR","usdTotalCost":1,"budget":{"amount":10}}"#,
            // Another currency over budget: the customer counts once, as over.
            r#"{"id":"c","currencyCode":"SEK","totalCost":20,"usdTotalCost":2,"budget":{"amount":10}}"#,
            r#"{"id":"d","currencyCode":"EUR","totalCost":1}"#,
        ] {
            s.add(&rec(r)).unwrap();
        }
        let out = s.finish().unwrap();
        let row = |id: &str, cur: &str| {
            out.customers
                .iter()
                .find(|c| c.customer_id == id && c.currency.label() == cur)
                .unwrap()
        };
        let a = row("a", "EUR");
        assert_eq!(a.status, BudgetStatus::Unknown);
        assert_eq!((a.missing_cost, a.missing_usd, a.records), (1, 0, 1));
        assert_eq!(
            (a.percent_used_computed, a.percent_disagrees),
            (None, false)
        );
        assert_eq!(row("b", "EUR").status, BudgetStatus::NoBudget);
        let c = row("c", "EUR");
        assert_eq!(
            (c.status, c.missing_cost, c.records),
            (BudgetStatus::Unknown, 1, 2)
        );
        assert_eq!(c.cost.to_string(), "1");
        assert_eq!(row("c", "SEK").status, BudgetStatus::Over);
        assert_eq!(row("d", "EUR").missing_usd, 1);
        let b = out.budget;
        assert_eq!((b.unknown, b.over, b.no_budget, b.under), (1, 1, 2, 0));
        assert_eq!((out.missing_cost, out.missing_usd), (3, 1));
        let json = serde_json::to_value(&out).unwrap();
        assert_eq!(json["budget"]["unknown"], 1);
        let a = json["customers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["customerId"] == "a")
            .unwrap();
        assert_eq!(
            (&a["missingCost"], &a["missingUsd"]),
            (&1.into(), &0.into())
        );
        assert_eq!(a["status"], "unknown");
    }

    #[test]
    fn options_reject_unknown_fields() {
        assert!(serde_json::from_str::<CustomerOptions>(r#"{"topn": 3}"#).is_err());
        let o: CustomerOptions =
            serde_json::from_str(r#"{"topN": null, "badRecords": "skip"}"#).unwrap();
        assert_eq!((o.top_n, o.bad_records), (None, BadRecordPolicy::Skip));
    }
}
