//! `toCsv(kind, json)`: CSV with the core's stable schema, for records and
//! for summaries that went through JavaScript.
//!
//! Records are decoded into the core's models and written by the core's
//! [`to_csv`]. Summaries only exist as JavaScript objects by the time they
//! are exported, so they are read back into the small mirror structs below
//! (the fields the CSV needs) and written with the core's [`CsvWriter`]
//! under the core's own columns. A native test checks that this gives
//! byte-for-byte what the core writes for the same summary.

use crate::errors::Failure;
use partner_usage_core::aggregate::{CustomerRow, ResourceRow, UtilizationPoint};
use partner_usage_core::decimal::Decimal;
use partner_usage_core::export::csv::{to_csv_with, CsvRecord, CsvWriter};
use partner_usage_core::model::{
    AzureUtilizationRecord, CustomerMonthlyUsageRecord, ResourceUsageRecord,
};
use partner_usage_core::time::Timestamp;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use wasm_bindgen::prelude::*;

/// The kinds `toCsv` knows.
pub(crate) const KINDS: &[&str] = &[
    "customerUsageRecords",
    "resourceUsageRecords",
    "azureUtilization",
    "customerUsageSummary",
    "resourceUsageSummary",
    "utilizationSummary",
];

/// `toCsv(kind, json, columns)`: CSV text (RFC 4180, `\r\n`, exact money,
/// formula cells neutralised). `kind` is one of `customerUsageRecords`,
/// `resourceUsageRecords`, `azureUtilization` (arrays of records) or
/// `customerUsageSummary`, `resourceUsageSummary`, `utilizationSummary`;
/// `json` is the UTF-8 JSON of the records or the summary; `columns`, if
/// not undefined, an object of columns to put first, each with its one
/// value on every row (`{ subscriptionId: '…' }`). Throws a
/// `PartnerCenterError`.
#[wasm_bindgen(js_name = toCsv)]
pub fn to_csv_js(kind: &str, json: &[u8], columns: JsValue) -> Result<String, JsValue> {
    (|| {
        let columns = lead_columns(&columns)?;
        let pairs: Vec<(&str, &str)> = columns
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        csv_with(kind, json, &pairs)
    })()
    .map_err(Failure::into_js)
}

/// The `columns` option: an object of string values, in its order.
fn lead_columns(columns: &JsValue) -> Result<Vec<(String, String)>, Failure> {
    if columns.is_undefined() || columns.is_null() {
        return Ok(Vec::new());
    }
    if !columns.is_object() || js_sys::Array::is_array(columns) {
        return Err(Failure::invalid(
            "toCsv: `columns` must be an object of column names and their values",
        ));
    }
    js_sys::Object::entries(columns.unchecked_ref())
        .iter()
        .map(|entry| {
            let pair = js_sys::Array::from(&entry);
            let name = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1);
            let value = value
                .as_string()
                .or_else(|| {
                    value
                        .as_f64()
                        .filter(|n| n.is_finite())
                        .map(|n| n.to_string())
                })
                .ok_or_else(|| {
                    Failure::invalid(format!(
                        "toCsv: column `{}` must have a string or number value",
                        crate::errors::truncate(&name, 40)
                    ))
                })?;
            if name.is_empty() {
                return Err(Failure::invalid(
                    "toCsv: a column in `columns` has an empty name",
                ));
            }
            Ok((name, value))
        })
        .collect()
}

/// [`to_csv_js`] without the JavaScript error or leading columns.
#[cfg(all(test, feature = "sim"))]
pub(crate) fn csv_of(kind: &str, json: &[u8]) -> Result<String, Failure> {
    csv_with(kind, json, &[])
}

/// The CSV of `kind`, with `lead` columns first; a lead column named as
/// one of the export's own is refused (two columns of one name).
fn csv_with(kind: &str, json: &[u8], lead: &[(&str, &str)]) -> Result<String, Failure> {
    let own: &[&str] = match kind {
        "customerUsageRecords" => CustomerMonthlyUsageRecord::COLUMNS,
        "resourceUsageRecords" => ResourceUsageRecord::COLUMNS,
        "azureUtilization" => AzureUtilizationRecord::COLUMNS,
        "customerUsageSummary" => <CustomerRow as CsvRecord>::COLUMNS,
        "resourceUsageSummary" => <ResourceRow as CsvRecord>::COLUMNS,
        "utilizationSummary" => <UtilizationPoint as CsvRecord>::COLUMNS,
        _ => &[],
    };
    for (i, (name, _)) in lead.iter().enumerate() {
        if own.contains(name) || lead[..i].iter().any(|(n, _)| n == name) {
            return Err(Failure::invalid(format!(
                "toCsv: the export has a column `{}` already",
                crate::errors::truncate(name, 40)
            )));
        }
    }
    let w = || CsvWriter::with_columns(lead);
    Ok(match kind {
        "customerUsageRecords" => to_csv_with(
            &read::<Vec<CustomerMonthlyUsageRecord>>(json, kind)?[..],
            w(),
        ),
        "resourceUsageRecords" => {
            to_csv_with(&read::<Vec<ResourceUsageRecord>>(json, kind)?[..], w())
        }
        "azureUtilization" => {
            to_csv_with(&read::<Vec<AzureUtilizationRecord>>(json, kind)?[..], w())
        }
        "customerUsageSummary" => customer_summary(&read(json, kind)?, w()),
        "resourceUsageSummary" => resource_summary(&read(json, kind)?, w()),
        "utilizationSummary" => utilization_summary(&read(json, kind)?, w()),
        _ => {
            return Err(Failure::invalid(format!(
                "toCsv: unknown kind {:?}; expected one of {}",
                crate::errors::truncate(kind, 40),
                KINDS.join(", ")
            )))
        }
    })
}

/// Reads what the library itself produced, so a plain decode (without the
/// core's JSON-path tracking, which would add to the wasm for every type
/// here) gives a clear enough message.
fn read<T: DeserializeOwned>(json: &[u8], kind: &str) -> Result<T, Failure> {
    serde_json::from_slice(json)
        .map_err(|e| Failure::invalid(format!("toCsv({kind}): not a {kind} value: {e}")))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerSummaryIn {
    customers: Vec<CustomerRowIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerRowIn {
    customer_id: String,
    name: String,
    currency: String,
    legacy_currency: bool,
    is_upgraded: bool,
    cost: Decimal,
    usd: Decimal,
    budget: Option<Decimal>,
    percent_used_reported: Option<Decimal>,
    percent_used_computed: Option<Decimal>,
    percent_disagrees: bool,
    status: String,
    records: u64,
    #[serde(default)]
    last_modified_date: Option<Timestamp>,
    // Absent in a summary made before they were (counted as none).
    #[serde(default)]
    missing_cost: u64,
    #[serde(default)]
    missing_usd: u64,
}

fn customer_summary(s: &CustomerSummaryIn, mut w: CsvWriter) -> String {
    w.header(<CustomerRow as CsvRecord>::COLUMNS);
    for r in &s.customers {
        w.text(&r.customer_id)
            .text(&r.name)
            .text(&r.currency)
            .bool(r.legacy_currency)
            .bool(r.is_upgraded)
            // As the core writes a CustomerRow (blank when none reported it).
            .sum_of(r.cost, r.missing_cost, r.records)
            .sum_of(r.usd, r.missing_usd, r.records)
            .opt_decimal(r.budget)
            .opt_decimal(r.percent_used_reported)
            .opt_decimal(r.percent_used_computed)
            .bool(r.percent_disagrees)
            .text(&r.status)
            .int(r.records)
            .time(r.last_modified_date.as_ref())
            .int(r.missing_cost)
            .int(r.missing_usd)
            .end_row();
    }
    w.take()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceSummaryIn {
    groups: Vec<GroupIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupIn {
    key: String,
    label: String,
    currency_totals: Vec<TotalIn>,
    #[serde(default)]
    children: Vec<GroupIn>,
    others: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TotalIn {
    currency: String,
    amount: Decimal,
    usd: Decimal,
    records: u64,
}

fn resource_summary(s: &ResourceSummaryIn, mut w: CsvWriter) -> String {
    w.header(<ResourceRow as CsvRecord>::COLUMNS);
    for g in &s.groups {
        let mut row = |level: u8, child: Option<&GroupIn>| {
            let of = child.unwrap_or(g);
            for t in &of.currency_totals {
                w.int(u64::from(level))
                    .text(&g.key)
                    .text(&g.label)
                    .text(child.map_or("", |c| c.key.as_str()))
                    .text(child.map_or("", |c| c.label.as_str()))
                    .text(&t.currency)
                    .decimal(t.amount)
                    .decimal(t.usd)
                    .int(t.records)
                    .bool(g.others)
                    .end_row();
            }
        };
        row(1, None);
        for c in &g.children {
            row(2, Some(c));
        }
    }
    w.take()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UtilizationSummaryIn {
    bucket_starts: Vec<f64>,
    series: Vec<SeriesIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeriesIn {
    key: Option<String>,
    unit: String,
    label: String,
    #[serde(deserialize_with = "f64s_exactly")]
    values: Vec<f64>,
    #[serde(default)]
    exact_values: Option<Vec<Decimal>>,
    #[serde(default)]
    anomalies: Vec<usize>,
}

/// Reads numbers with Rust's correctly rounded parser, so an `f64` that
/// went through JavaScript (`JSON.stringify` writes the shortest text that
/// reads back the same) is the same `f64` again; serde_json's own fast
/// parser can be one unit in the last place off.
fn f64s_exactly<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let raw: Vec<&'de RawValue> = Deserialize::deserialize(d)?;
    raw.iter()
        .map(|r| {
            r.get()
                .parse::<f64>()
                .map_err(|_| serde::de::Error::custom("expected a number"))
        })
        .collect()
}

fn utilization_summary(s: &UtilizationSummaryIn, mut w: CsvWriter) -> String {
    w.header(<UtilizationPoint as CsvRecord>::COLUMNS);
    for series in &s.series {
        for (i, &ms) in s.bucket_starts.iter().enumerate() {
            w.text(&Timestamp::from_unix_millis(ms as i64).to_string())
                .opt_text(series.key.as_deref())
                .text(&series.unit)
                .text(&series.label);
            match series.exact_values.as_ref().and_then(|e| e.get(i)) {
                Some(q) => w.decimal(*q),
                None => w.float(series.values.get(i).copied().unwrap_or(0.0)),
            };
            w.bool(series.anomalies.contains(&i)).end_row();
        }
    }
    w.take()
}

#[cfg(all(test, feature = "sim"))]
mod tests {
    use super::*;
    use partner_usage_core::aggregate::{
        CustomerOptions, CustomerSummariser, ResourceDimension, ResourceOptions,
        ResourceSummariser, SeriesDimension, UtilizationOptions, UtilizationSummariser,
    };
    use partner_usage_core::export::csv::to_csv;
    use partner_usage_core::http::{Method, Request};
    use partner_usage_core::paginate::decode_raw_page;
    use partner_usage_core::sim::{SimConfig, Simulator, SubscriptionKind};

    fn get(sim: &Simulator, path: &str) -> Vec<u8> {
        let r = sim.handle(&Request {
            method: Method::Get,
            url: path.to_string(),
            headers: vec![("Authorization".into(), "Bearer t".into())],
        });
        assert_eq!(r.status, 200, "{path}");
        r.body
    }

    /// Compares two CSV texts line by line, reporting the first difference.
    fn same(ours: &str, core: &str) {
        for (i, (a, b)) in ours.lines().zip(core.lines()).enumerate() {
            assert_eq!(a, b, "line {i}");
        }
        assert_eq!(ours.len(), core.len());
    }

    fn sim() -> Simulator {
        Simulator::new(SimConfig {
            customers: 12,
            ..SimConfig::default()
        })
    }

    #[test]
    fn customer_summary_csv_matches_the_core() {
        let sim = sim();
        let body = get(&sim, "/v1/customers/usagerecords");
        let (page, _) = decode_raw_page(&body).unwrap();
        let mut s = CustomerSummariser::new(CustomerOptions::default());
        s.add_page(1, &page.items).unwrap();
        // Costs Partner Center left out: none reported (a blank cell), and
        // one of two records without it (a partial sum, counted).
        for json in [
            r#"{"id":"zz-1","name":"No cost","currencyCode":"EUR","usdTotalCost":1,"budget":{"amount":5}}"#,
            r#"{"id":"zz-2","name":"Half","currencyCode":"EUR","totalCost":2}"#,
            r#"{"id":"zz-2","name":"Half","currencyCode":"EUR","usdTotalCost":3}"#,
        ] {
            s.add(&serde_json::from_str(json).unwrap()).unwrap();
        }
        let summary = s.finish().unwrap();
        let json = serde_json::to_vec(&summary).unwrap();
        let ours = csv_of("customerUsageSummary", &json).unwrap();
        same(&ours, &to_csv(&summary));
        assert_eq!(ours.lines().count(), 15);
        assert!(
            ours.contains("\r\nzz-1,No cost,EUR,false,false,,1,5,"),
            "{ours}"
        );
        assert!(ours.contains(",2,,1,1\r\n"), "{ours}");
        // The records export is the core's too.
        let items = serde_json::to_vec(&page.items).unwrap();
        let records: Vec<CustomerMonthlyUsageRecord> = serde_json::from_slice(&items).unwrap();
        assert_eq!(
            csv_of("customerUsageRecords", &items).unwrap(),
            to_csv(&records[..])
        );
    }

    #[test]
    fn resource_summary_csv_matches_the_core_at_two_levels() {
        let sim = sim();
        let (c, s) = sim
            .customers()
            .iter()
            .find_map(|c| {
                c.subscriptions
                    .iter()
                    .find(|s| s.kind == SubscriptionKind::AzurePlan && s.resource_records > 3)
                    .map(|s| (c.id.clone(), s.id.clone()))
            })
            .unwrap();
        let body = get(
            &sim,
            &format!("/v1/customers/{c}/subscriptions/{s}/resourceusagerecords"),
        );
        let (page, _) = decode_raw_page(&body).unwrap();
        let mut o = ResourceOptions::default();
        o.then_by = Some(ResourceDimension::ResourceType);
        o.top_n = Some(1);
        let mut sum = ResourceSummariser::new(o);
        sum.add_page(1, &page.items).unwrap();
        let summary = sum.finish().unwrap();
        let json = serde_json::to_vec(&summary).unwrap();
        let ours = csv_of("resourceUsageSummary", &json).unwrap();
        same(&ours, &to_csv(&summary));
        assert!(ours.lines().count() > 2);
    }

    #[test]
    fn utilization_summary_csv_matches_the_core_exact_or_not() {
        let sim = sim();
        let (c, s) = sim
            .customers()
            .iter()
            .find_map(|c| {
                c.subscriptions
                    .iter()
                    .find(|s| s.kind == SubscriptionKind::Legacy && s.utilization_records > 0)
                    .map(|s| (c.id.clone(), s.id.clone()))
            })
            .unwrap();
        let (first, end) = sim.usage_window();
        let body = get(
            &sim,
            &format!(
                "/v1/customers/{c}/subscriptions/{s}/utilizations/azure?start_time={}&end_time={}&size=1000",
                first.to_query_string(),
                end.to_query_string()
            ),
        );
        let (page, _) = decode_raw_page(&body).unwrap();
        for exact in [true, false] {
            let mut o = UtilizationOptions::default();
            o.group_by = SeriesDimension::Category;
            o.exact = exact;
            let mut sum = UtilizationSummariser::new(o).unwrap();
            sum.add_page(1, &page.items).unwrap();
            let summary = sum.finish().unwrap();
            let json = serde_json::to_vec(&summary).unwrap();
            let ours = csv_of("utilizationSummary", &json).unwrap();
            same(&ours, &to_csv(&summary));
            assert!(ours.lines().count() > 10);
        }
    }

    #[test]
    fn unknown_kinds_and_bad_json_are_errors() {
        let e = csv_of("nope", b"[]").unwrap_err();
        assert_eq!(e.kind(), "invalid-input");
        let e = csv_of("resourceUsageSummary", b"[]").unwrap_err();
        assert_eq!(e.kind(), "invalid-input");
        assert_eq!(
            csv_of("azureUtilization", b"[]").unwrap(),
            "usageStartTime,usageEndTime,meterId,meterName,category,subcategory,region,quantity,unit,resourceUri,location,resourceGroup,tags\r\n"
        );
    }
}
