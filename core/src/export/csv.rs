//! CSV (RFC 4180) for every record type and summary.
//!
//! * A header row, then one row per item; `\r\n` line ends; UTF-8.
//! * A field containing `,`, `"`, CR or LF is quoted, with `"` doubled.
//! * Money and quantities are the exact decimal text (`120.5682999999995904716`),
//!   never rounded through `f64`.
//! * **Formula injection is neutralised in text cells**: a text cell that
//!   starts with `=`, `+`, `-`, `@`, tab or CR gets a `'` in front, so a
//!   spreadsheet shows it as text instead of running it. Numeric cells
//!   (amounts, counts) are written from numbers we hold, never from text we
//!   were sent, and are left as they are, so a negative amount `-1.5` stays
//!   a number.
//!
//! The column names of each table are listed on its [`CsvRecord`] or
//! [`CsvTable`] implementation and are part of the stable export schema.
//!
//! ```
//! use partner_usage_core::export::csv::to_csv;
//! use partner_usage_core::model::ResourceUsageRecord;
//! let r: ResourceUsageRecord = serde_json::from_str(
//!     r#"{"name":"=HYPERLINK(\"http://x\",\"y\")","totalCost":-1.50,"currencyCode":"GBP"}"#).unwrap();
//! let csv = to_csv(&[r][..]);
//! let row = csv.lines().nth(1).unwrap();
//! assert!(row.contains(r#""'=HYPERLINK(""http://x"",""y"")""#));
//! assert!(row.contains(",-1.50,GBP,"));
//! ```

use crate::aggregate::{
    CurrencyTotal, CustomerRow, CustomerSummary, RankRow, ResourceRow, ResourceSummary,
    UtilizationPoint, UtilizationSummary,
};
use crate::decimal::Decimal;
use crate::forecast::{Forecast, ForecastDay};
use crate::model::{AzureUtilizationRecord, CustomerMonthlyUsageRecord, ResourceUsageRecord};
use crate::time::Timestamp;

/// Builds CSV text row by row. Take the text out with
/// [`CsvWriter::take`] between pages to stream a long export.
///
/// ```
/// use partner_usage_core::export::csv::CsvWriter;
/// let mut w = CsvWriter::new();
/// w.header(&["name", "amount"]);
/// w.text("@SUM(A1)").decimal("-2.5".parse().unwrap()).end_row();
/// w.text("a, \"b\"\nc").int(3).end_row();
/// assert_eq!(w.take(), "name,amount\r\n'@SUM(A1),-2.5\r\n\"a, \"\"b\"\"\nc\",3\r\n");
/// assert_eq!(w.take(), "");
/// ```
#[derive(Debug, Clone, Default)]
pub struct CsvWriter {
    out: String,
    row_started: bool,
    /// Leading columns' names and values, written (comma-joined) at the
    /// start of the header row and of every other row.
    lead: Option<Box<(String, String)>>,
    in_header: bool,
}

impl CsvWriter {
    /// An empty writer.
    pub fn new() -> CsvWriter {
        CsvWriter::default()
    }

    /// A writer that puts these columns, the same value on every row,
    /// before the table's own: the context a file leaves out (whose
    /// subscription, which window), for files put together later.
    ///
    /// ```
    /// use partner_usage_core::export::csv::CsvWriter;
    /// let mut w = CsvWriter::with_columns(&[("subscriptionId", "s-1"), ("note", "a, b")]);
    /// w.header(&["amount"]);
    /// w.int(3).end_row();
    /// assert_eq!(w.take(), "subscriptionId,note,amount\r\ns-1,\"a, b\",3\r\n");
    /// ```
    pub fn with_columns(columns: &[(&str, &str)]) -> CsvWriter {
        let mut w = CsvWriter::new();
        if !columns.is_empty() {
            let (mut names, mut values) = (CsvWriter::new(), CsvWriter::new());
            for (name, value) in columns {
                names.text(name);
                values.text(value);
            }
            w.lead = Some(Box::new((names.out, values.out)));
        }
        w
    }

    fn sep(&mut self) {
        if self.row_started {
            self.out.push(',');
        } else if let Some(lead) = &self.lead {
            self.out
                .push_str(if self.in_header { &lead.0 } else { &lead.1 });
            self.out.push(',');
        }
        self.row_started = true;
    }

    /// Writes the header row.
    pub fn header(&mut self, columns: &[&str]) -> &mut Self {
        self.in_header = true;
        for c in columns {
            self.text(c);
        }
        self.in_header = false;
        self.end_row()
    }

    /// A text cell: formula-neutralised (a leading `'` before `=`, `+`,
    /// `-`, `@`, tab or carriage return, unless the text is a plain number
    /// such as `-5`, which a spreadsheet reads as that number anyway), then
    /// quoted if needed.
    ///
    /// ```
    /// use partner_usage_core::export::csv::CsvWriter;
    /// let mut w = CsvWriter::new();
    /// w.text("=1+2").text("-5").text("-1.5").text("-1-2").end_row();
    /// assert_eq!(w.take(), "'=1+2,-5,-1.5,'-1-2\r\n");
    /// ```
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        let guard = matches!(
            s.as_bytes().first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        ) && !plain_number(s);
        if s.contains([',', '"', '\r', '\n']) {
            self.out.push('"');
            if guard {
                self.out.push('\'');
            }
            for ch in s.chars() {
                if ch == '"' {
                    self.out.push('"');
                }
                self.out.push(ch);
            }
            self.out.push('"');
        } else {
            if guard {
                self.out.push('\'');
            }
            self.out.push_str(s);
        }
        self
    }

    /// An optional text cell (empty when `None`).
    pub fn opt_text(&mut self, s: Option<&str>) -> &mut Self {
        self.text(s.unwrap_or(""))
    }

    /// An exact decimal cell, written as is.
    pub fn decimal(&mut self, d: Decimal) -> &mut Self {
        self.sep();
        self.out.push_str(&d.to_string());
        self
    }

    /// An optional decimal cell (empty when `None`).
    pub fn opt_decimal(&mut self, d: Option<Decimal>) -> &mut Self {
        match d {
            Some(d) => self.decimal(d),
            None => self.empty(),
        }
    }

    /// The exact sum of `records` records, `missing` of which came without
    /// the amount: blank when none had it (a cost that wasn't reported is
    /// not a cost of zero).
    ///
    /// ```
    /// use partner_usage_core::export::csv::CsvWriter;
    /// let mut w = CsvWriter::new();
    /// w.sum_of("2.5".parse().unwrap(), 1, 2).sum_of("0".parse().unwrap(), 1, 1).end_row();
    /// assert_eq!(w.take(), "2.5,\r\n");
    /// ```
    pub fn sum_of(&mut self, amount: Decimal, missing: u64, records: u64) -> &mut Self {
        self.opt_decimal((missing < records).then_some(amount))
    }

    /// An integer cell.
    pub fn int(&mut self, n: u64) -> &mut Self {
        self.sep();
        self.out.push_str(&n.to_string());
        self
    }

    /// A floating-point cell (empty if not finite).
    pub fn float(&mut self, x: f64) -> &mut Self {
        self.sep();
        if x.is_finite() {
            self.out.push_str(&x.to_string());
        }
        self
    }

    /// `true` or `false`.
    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.sep();
        self.out.push_str(if b { "true" } else { "false" });
        self
    }

    /// An empty cell.
    pub fn empty(&mut self) -> &mut Self {
        self.sep();
        self
    }

    /// A timestamp cell, ISO 8601 as written (empty when `None`).
    pub fn time(&mut self, t: Option<&Timestamp>) -> &mut Self {
        match t {
            Some(t) => self.text(&t.to_string()),
            None => self.empty(),
        }
    }

    /// Ends the row with `\r\n`.
    pub fn end_row(&mut self) -> &mut Self {
        self.out.push_str("\r\n");
        self.row_started = false;
        self
    }

    /// Takes the text written so far, leaving the writer empty.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

/// A type written as one CSV row per value, under fixed columns.
pub trait CsvRecord {
    /// The header row.
    const COLUMNS: &'static [&'static str];
    /// Writes this value's row (including [`CsvWriter::end_row`]).
    fn write_row(&self, w: &mut CsvWriter);
}

/// Something written as a whole CSV table: a slice of [`CsvRecord`]s, or a summary.
pub trait CsvTable {
    /// The header row.
    fn columns(&self) -> &'static [&'static str];
    /// Writes every data row (not the header).
    fn write_rows(&self, w: &mut CsvWriter);
}

impl<T: CsvRecord> CsvTable for [T] {
    fn columns(&self) -> &'static [&'static str] {
        T::COLUMNS
    }
    fn write_rows(&self, w: &mut CsvWriter) {
        for item in self {
            item.write_row(w);
        }
    }
}

/// The whole table: the header row and every data row.
///
/// ```
/// use partner_usage_core::aggregate::{CustomerOptions, CustomerSummariser};
/// use partner_usage_core::export::csv::to_csv;
/// let s = CustomerSummariser::new(CustomerOptions::default()).finish().unwrap();
/// assert!(to_csv(&s).starts_with("customerId,name,currency,"));
/// assert!(to_csv(&s.currency_totals[..]).starts_with("currency,legacy,amount,usd,records\r\n"));
/// ```
pub fn to_csv<T: CsvTable + ?Sized>(table: &T) -> String {
    to_csv_with(table, CsvWriter::new())
}

/// [`to_csv`] into `w`, such as a [`CsvWriter::with_columns`].
pub fn to_csv_with<T: CsvTable + ?Sized>(table: &T, mut w: CsvWriter) -> String {
    w.header(table.columns());
    table.write_rows(&mut w);
    w.take()
}

/// Columns: `customerId,name,currencyCode,currencyLocale,isUpgraded,totalCost,usdTotalCost,budget,percentUsed,lastModifiedDate`.
impl CsvRecord for CustomerMonthlyUsageRecord {
    const COLUMNS: &'static [&'static str] = &[
        "customerId",
        "name",
        "currencyCode",
        "currencyLocale",
        "isUpgraded",
        "totalCost",
        "usdTotalCost",
        "budget",
        "percentUsed",
        "lastModifiedDate",
    ];
    fn write_row(&self, w: &mut CsvWriter) {
        w.text(self.customer_id())
            .text(self.display_name())
            .opt_text(self.currency_code.as_deref())
            .opt_text(self.currency_locale.as_deref())
            .bool(self.is_upgraded)
            .opt_decimal(self.total_cost)
            .opt_decimal(self.usd_total_cost)
            .opt_decimal(self.budget.as_ref().and_then(|b| b.amount))
            .opt_decimal(self.percent_used)
            .time(self.last_modified_date.as_ref())
            .end_row();
    }
}

/// Columns: `subscriptionId,resourceUri,resourceType,resourceGroupName,name,entitlementId,entitlementName,totalCost,currencyCode,usdTotalCost,lastModifiedDate`.
impl CsvRecord for ResourceUsageRecord {
    const COLUMNS: &'static [&'static str] = &[
        "subscriptionId",
        "resourceUri",
        "resourceType",
        "resourceGroupName",
        "name",
        "entitlementId",
        "entitlementName",
        "totalCost",
        "currencyCode",
        "usdTotalCost",
        "lastModifiedDate",
    ];
    fn write_row(&self, w: &mut CsvWriter) {
        w.text(&self.subscription_id)
            .text(&self.resource_uri)
            .text(&self.resource_type)
            .text(self.resource_group())
            .text(self.display_name())
            .text(&self.entitlement_id)
            .text(&self.entitlement_name)
            .opt_decimal(self.total_cost)
            .opt_text(self.currency_code.as_deref())
            .opt_decimal(self.usd_total_cost)
            .time(self.last_modified_date.as_ref())
            .end_row();
    }
}

/// Columns: `usageStartTime,usageEndTime,meterId,meterName,category,subcategory,region,quantity,unit,resourceUri,location,resourceGroup,tags`
/// (`tags` as a JSON object).
impl CsvRecord for AzureUtilizationRecord {
    const COLUMNS: &'static [&'static str] = &[
        "usageStartTime",
        "usageEndTime",
        "meterId",
        "meterName",
        "category",
        "subcategory",
        "region",
        "quantity",
        "unit",
        "resourceUri",
        "location",
        "resourceGroup",
        "tags",
    ];
    fn write_row(&self, w: &mut CsvWriter) {
        let inst = self.instance_data.as_ref();
        let tags = inst
            .filter(|i| !i.tags.is_empty())
            .and_then(|i| serde_json::to_string(&i.tags).ok());
        w.time(self.usage_start_time.as_ref())
            .time(self.usage_end_time.as_ref())
            .text(&self.resource.id)
            .text(&self.resource.name)
            .text(&self.resource.category)
            .text(&self.resource.subcategory)
            .text(&self.resource.region)
            .opt_decimal(self.quantity)
            .text(&self.unit)
            .opt_text(inst.map(|i| i.resource_uri.as_str()))
            .opt_text(inst.map(|i| i.location.as_str()))
            .opt_text(self.resource_group())
            .opt_text(tags.as_deref())
            .end_row();
    }
}

/// Columns: `customerId,name,currency,legacyCurrency,isUpgraded,cost,usd,budget,percentUsedReported,percentUsedComputed,percentDisagrees,status,records,lastModifiedDate,missingCost,missingUsd`.
/// `cost` (`usd`) is blank when none of the customer's records had
/// `totalCost` (`usdTotalCost`): not a cost of zero; `missingCost`
/// (`missingUsd`) counts the records without it, so a partial sum is told
/// apart.
impl CsvRecord for CustomerRow {
    const COLUMNS: &'static [&'static str] = &[
        "customerId",
        "name",
        "currency",
        "legacyCurrency",
        "isUpgraded",
        "cost",
        "usd",
        "budget",
        "percentUsedReported",
        "percentUsedComputed",
        "percentDisagrees",
        "status",
        "records",
        "lastModifiedDate",
        "missingCost",
        "missingUsd",
    ];
    fn write_row(&self, w: &mut CsvWriter) {
        w.text(&self.customer_id)
            .text(&self.name)
            .text(&self.currency.label())
            .bool(self.legacy_currency)
            .bool(self.is_upgraded)
            .sum_of(self.cost, self.missing_cost, self.records)
            .sum_of(self.usd, self.missing_usd, self.records)
            .opt_decimal(self.budget)
            .opt_decimal(self.percent_used_reported)
            .opt_decimal(self.percent_used_computed)
            .bool(self.percent_disagrees)
            .text(self.status.as_str())
            .int(self.records)
            .time(self.last_modified_date.as_ref())
            .int(self.missing_cost)
            .int(self.missing_usd)
            .end_row();
    }
}

/// Columns: `currency,legacy,amount,usd,records`.
impl CsvRecord for CurrencyTotal {
    const COLUMNS: &'static [&'static str] = &["currency", "legacy", "amount", "usd", "records"];
    fn write_row(&self, w: &mut CsvWriter) {
        w.text(&self.currency.label())
            .bool(self.legacy)
            .decimal(self.amount)
            .decimal(self.usd)
            .int(self.records)
            .end_row();
    }
}

/// Columns: `key,label,usd,count,others`.
impl CsvRecord for RankRow {
    const COLUMNS: &'static [&'static str] = &["key", "label", "usd", "count", "others"];
    fn write_row(&self, w: &mut CsvWriter) {
        w.text(&self.key)
            .text(&self.label)
            .decimal(self.usd)
            .int(self.count)
            .bool(self.others)
            .end_row();
    }
}

/// Columns: `level,groupKey,group,childKey,child,currency,amount,usd,records,others`.
impl CsvRecord for ResourceRow {
    const COLUMNS: &'static [&'static str] = &[
        "level", "groupKey", "group", "childKey", "child", "currency", "amount", "usd", "records",
        "others",
    ];
    fn write_row(&self, w: &mut CsvWriter) {
        w.int(u64::from(self.level))
            .text(&self.group_key)
            .text(&self.group)
            .text(&self.child_key)
            .text(&self.child)
            .text(&self.currency.label())
            .decimal(self.amount)
            .decimal(self.usd)
            .int(self.records)
            .bool(self.others)
            .end_row();
    }
}

/// Columns: `bucketStart,seriesKey,unit,label,quantity,anomaly`; `quantity`
/// is exact, or the `f64` value when the summary was made with `exact: false`.
impl CsvRecord for UtilizationPoint {
    const COLUMNS: &'static [&'static str] = &[
        "bucketStart",
        "seriesKey",
        "unit",
        "label",
        "quantity",
        "anomaly",
    ];
    fn write_row(&self, w: &mut CsvWriter) {
        w.text(&self.bucket_start)
            .opt_text(self.series_key.as_deref())
            .text(&self.unit)
            .text(&self.label);
        match self.quantity {
            Some(q) => w.decimal(q),
            None => w.float(self.quantity_number),
        };
        w.bool(self.anomaly).end_row();
    }
}

/// Columns: `day,actual,cumulativeActual,projected,cumulative`.
impl CsvRecord for ForecastDay {
    const COLUMNS: &'static [&'static str] = &[
        "day",
        "actual",
        "cumulativeActual",
        "projected",
        "cumulative",
    ];
    fn write_row(&self, w: &mut CsvWriter) {
        w.int(u64::from(self.day))
            .opt_decimal(self.actual)
            .opt_decimal(self.cumulative_actual);
        match self.projected {
            Some(p) => w.float(p),
            None => w.empty(),
        };
        w.float(self.cumulative_number).end_row();
    }
}

/// The per-customer table: the columns of [`CustomerRow`]. The currency
/// totals and the top N are `to_csv(&summary.currency_totals[..])` and
/// `to_csv(&summary.top[..])`.
impl CsvTable for CustomerSummary {
    fn columns(&self) -> &'static [&'static str] {
        CustomerRow::COLUMNS
    }
    fn write_rows(&self, w: &mut CsvWriter) {
        self.customers.write_rows(w);
    }
}

/// The flat rows of [`ResourceSummary::rows`]: the columns of [`ResourceRow`].
impl CsvTable for ResourceSummary {
    fn columns(&self) -> &'static [&'static str] {
        ResourceRow::COLUMNS
    }
    fn write_rows(&self, w: &mut CsvWriter) {
        self.rows().write_rows(w);
    }
}

/// The long format of [`UtilizationSummary::points`]: the columns of
/// [`UtilizationPoint`], one row per series and bucket.
impl CsvTable for UtilizationSummary {
    fn columns(&self) -> &'static [&'static str] {
        UtilizationPoint::COLUMNS
    }
    fn write_rows(&self, w: &mut CsvWriter) {
        for p in self.points() {
            p.write_row(w);
        }
    }
}

/// One row per day: the columns of [`ForecastDay`].
impl CsvTable for Forecast {
    fn columns(&self) -> &'static [&'static str] {
        ForecastDay::COLUMNS
    }
    fn write_rows(&self, w: &mut CsvWriter) {
        self.days.write_rows(w);
    }
}

/// `-5`, `12.50`: digits with an optional leading minus and one decimal
/// point between digits, nothing else.
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && all_digits(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str) -> String {
        let mut w = CsvWriter::new();
        w.text(s);
        w.take()
    }

    #[test]
    fn neutralises_every_formula_lead() {
        for (input, want) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            // A plain number stays one; anything more after a minus is guarded.
            ("-1", "-1"),
            ("-0.25", "-0.25"),
            ("-1-1", "'-1-1"),
            ("-1e3", "'-1e3"),
            ("-.5", "'-.5"),
            ("-1.", "'-1."),
            ("--1", "'--1"),
            ("-", "'-"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("=A1,B1", "\"'=A1,B1\""),
            ("a=b", "a=b"),
            (" =x", " =x"),
            ("", ""),
            ("Ünïcødé 名前", "Ünïcødé 名前"),
            (
                "<img src=x onerror=alert(1)>",
                "<img src=x onerror=alert(1)>",
            ),
            ("line\nbreak", "\"line\nbreak\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ] {
            assert_eq!(cell(input), want, "{input:?}");
        }
    }

    #[test]
    fn numbers_are_not_neutralised() {
        let mut w = CsvWriter::new();
        w.decimal("-1.5".parse().unwrap())
            .float(-0.25)
            .float(f64::NAN)
            .int(7)
            .opt_decimal(None)
            .end_row();
        assert_eq!(w.take(), "-1.5,-0.25,,7,\r\n");
    }

    #[test]
    fn utilization_records_and_forecast_days() {
        use crate::forecast::{forecast, ForecastInput};
        use crate::model::AzureUtilizationRecord;
        let rec = |instance: &str| -> AzureUtilizationRecord {
            serde_json::from_str(&format!(
                r#"{{"usageStartTime":"2026-11-01T00:00:00+00:00","usageEndTime":"2026-11-02T00:00:00+00:00",
                "resource":{{"id":"m1","name":"Disk","category":"Storage","subcategory":"Disks","region":"West Europe"}},
                "quantity":1.50,"unit":"1 GB"{instance}}}"#
            ))
            .unwrap()
        };
        let tagged = rec(
            r#","instanceData":{"resourceUri":"/subscriptions/s/resourceGroups/RG1/providers/P/d","location":"westeurope","tags":{"env":"prod"}}"#,
        );
        let untagged = rec(
            r#","instanceData":{"resourceUri":"/subscriptions/s/resourceGroups/RG1/providers/P/d","location":"westeurope","tags":{}}"#,
        );
        let csv = to_csv(&[tagged, untagged, rec("")][..]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], AzureUtilizationRecord::COLUMNS.join(","));
        let row = "2026-11-01T00:00:00+00:00,2026-11-02T00:00:00+00:00,m1,Disk,Storage,Disks,West Europe,1.50,1 GB,\
                   /subscriptions/s/resourceGroups/RG1/providers/P/d,westeurope,RG1";
        assert_eq!(lines[1], format!("{row},\"{{\"\"env\"\":\"\"prod\"\"}}\""));
        // No tags: an empty cell, not `{}`.
        assert_eq!(lines[2], format!("{row},"));
        assert!(lines[3].ends_with(",1 GB,,,,"), "{}", lines[3]);

        let f = forecast(&ForecastInput::new(3).day(1, "2.50".parse().unwrap())).unwrap();
        assert_eq!(
            to_csv(&f),
            "day,actual,cumulativeActual,projected,cumulative\r\n\
             1,2.50,2.50,,2.5\r\n2,,,2.5,5\r\n3,,,2.5,7.5\r\n"
        );
    }

    #[test]
    fn customer_rows_say_when_the_cost_was_updated() {
        use crate::aggregate::{CustomerOptions, CustomerSummariser};
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        for json in [
            r#"{"id":"a","name":"A","totalCost":1,"currencyCode":"EUR","usdTotalCost":1,"lastModifiedDate":"2026-11-20T17:08:11.1433333+00:00"}"#,
            r#"{"id":"b","name":"B","totalCost":2,"currencyCode":"EUR","usdTotalCost":2}"#,
        ] {
            s.add(&serde_json::from_str(json).unwrap()).unwrap();
        }
        let rows = s.finish().unwrap().customers;
        let csv = to_csv(&rows[..]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(
            lines[0].ends_with(",status,records,lastModifiedDate,missingCost,missingUsd"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("b,") && lines[1].ends_with(",1,,0,0"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("a,")
                && lines[2].ends_with(",1,2026-11-20T17:08:11.1433333+00:00,0,0"),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn a_customer_cost_that_was_not_reported_is_blank_not_zero() {
        use crate::aggregate::{CustomerOptions, CustomerSummariser};
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        for json in [
            r#"{"id":"a","name":"A","currencyCode":"EUR","usdTotalCost":1,"budget":{"amount":5}}"#,
            r#"{"id":"b","name":"B","totalCost":0,"currencyCode":"EUR"}"#,
        ] {
            s.add(&serde_json::from_str(json).unwrap()).unwrap();
        }
        let csv = to_csv(&s.finish().unwrap().customers[..]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[1], "a,A,EUR,false,false,,1,5,,,false,unknown,1,,1,0");
        assert_eq!(lines[2], "b,B,EUR,false,false,0,,,,,false,no-budget,1,,0,1");
    }
}
