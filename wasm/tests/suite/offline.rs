//! The offline summarisers and `toCsv`, with records that are already in
//! JavaScript (as the package's index.js passes them: UTF-8 JSON bytes).

use super::*;
use partner_usage_wasm::{
    summarize_customer_usage, summarize_resource_usage, summarize_utilization, to_csv_js,
};
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

const RESOURCES: &str = r#"[
 {"resourceUri":"/subscriptions/s/resourceGroups/TESTRG1/providers/Microsoft.Compute/disks/d1","resourceType":"Microsoft.Compute",
  "resourceGroupName":"TESTRG1","name":"d1","totalCost":"2.0211938955034572","currencyCode":"GBP","usdTotalCost":"2.4700000000000001"},
 {"resourceUri":"/subscriptions/s/resourceGroups/testrg1/providers/Microsoft.Storage/storageAccounts/a","resourceType":"Microsoft.Storage",
  "resourceGroupName":"testrg1","name":"=HYPERLINK(\"http://x\")","totalCost":"0.0081829712368561032","currencyCode":"GBP","usdTotalCost":"0.0099999999999999997"}
]"#;

#[wasm_bindgen_test]
fn resource_summary_adds_exactly_across_spellings() {
    let s = summarize_resource_usage(RESOURCES.as_bytes(), JsValue::UNDEFINED).expect("summary");
    let j = json(&s);
    assert_eq!(j["records"], 2);
    assert_eq!(j["groups"].as_array().map(Vec::len), Some(1));
    assert_eq!(j["currencyTotals"][0]["amount"], "2.0293768667403133032");
    assert_eq!(j["usd"], "2.4800000000000000997");
    assert!(j["usdNumber"]
        .as_f64()
        .is_some_and(|n| (n - 2.48).abs() < 1e-9));

    let csv = to_csv_js(
        "resourceUsageSummary",
        to_json(&s).as_bytes(),
        JsValue::UNDEFINED,
    )
    .expect("csv");
    assert!(csv
        .starts_with("level,groupKey,group,childKey,child,currency,amount,usd,records,others\r\n"));
    assert!(csv.contains(",GBP,2.0293768667403133032,2.4800000000000000997,2,false\r\n"));

    let csv = to_csv_js(
        "resourceUsageRecords",
        RESOURCES.as_bytes(),
        JsValue::UNDEFINED,
    )
    .expect("records csv");
    assert!(
        csv.contains(r#""'=HYPERLINK(""http://x"")""#),
        "formula neutralised: {csv}"
    );
    assert!(csv.contains(",0.0081829712368561032,GBP,"));

    // Leading columns: whose records these are, on every row, header too.
    let columns = object(
        json!({ "customerId": "c-1", "month": 11, "note": "=a, b", "offset": -5 }),
        &[],
    );
    let csv = to_csv_js("resourceUsageSummary", to_json(&s).as_bytes(), columns).expect("columns");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(
        lines[0].starts_with("customerId,month,note,offset,level,groupKey,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.starts_with("c-1,11,\"'=a, b\",-5,1,")),
        "{csv}"
    );
    for (bad, says) in [
        (json!({ "level": "x" }), "has a column `level` already"),
        (
            json!({ "a": { "b": 1 } }),
            "column `a` must have a string or number value",
        ),
        (json!(["a"]), "`columns` must be an object"),
    ] {
        let err = to_csv_js(
            "resourceUsageSummary",
            to_json(&s).as_bytes(),
            object(bad.clone(), &[]),
        )
        .expect_err("bad columns");
        assert_error(&err, "invalid-input", says);
    }
}

#[wasm_bindgen_test]
fn a_page_as_partner_center_sends_it_summarises_as_its_records_do() {
    // A response body saved whole (a proxy's cache): its items are read.
    let page = format!(
        r#"{{"totalCount":2,"items":{RESOURCES},"links":{{"self":{{"uri":"x"}}}},"attributes":{{"objectType":"Collection"}}}}"#
    );
    let from_page = summarize_resource_usage(page.as_bytes(), JsValue::UNDEFINED).expect("page");
    let from_records =
        summarize_resource_usage(RESOURCES.as_bytes(), JsValue::UNDEFINED).expect("records");
    assert_eq!(json(&from_page), json(&from_records));
    assert_eq!(json(&from_page)["records"], 2);
}

#[wasm_bindgen_test]
fn options_that_make_no_sense_are_refused() {
    // A second level that is the first: each group would be its own child.
    let err = summarize_resource_usage(
        RESOURCES.as_bytes(),
        object(
            json!({ "groupBy": "resource-type", "thenBy": "resource-type" }),
            &[],
        ),
    )
    .expect_err("thenBy = groupBy");
    assert_error(&err, "invalid-input", "thenBy is groupBy too");
    // A near threshold that is no share of a budget; 100 is one.
    for bad in [json!(-5), json!(0), json!(150), json!("100.5")] {
        let err = summarize_customer_usage(b"[]", object(json!({ "nearThreshold": bad }), &[]))
            .expect_err("nearThreshold");
        assert_error(
            &err,
            "invalid-input",
            "nearThreshold must be a percentage above 0 and at most 100",
        );
    }
    summarize_customer_usage(b"[]", object(json!({ "nearThreshold": 100 }), &[])).expect("100");
}

#[wasm_bindgen_test]
fn bad_records_fail_or_are_skipped_as_asked() {
    let bad = r#"[{"totalCost":"1","currencyCode":"EUR","usdTotalCost":"1"},{"totalCost":"x"}]"#;
    let err = summarize_resource_usage(bad.as_bytes(), JsValue::UNDEFINED).expect_err("fails");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "decode");
    assert!(e["message"].as_str().unwrap().contains("item 1"));
    let s = summarize_resource_usage(bad.as_bytes(), object(json!({ "badRecords": "skip" }), &[]))
        .expect("skips");
    let j = json(&s);
    assert_eq!(j["records"], 1);
    assert_eq!(j["skippedRecords"], 1);
    assert_eq!(j["errors"][0]["index"], 1);

    let err = summarize_resource_usage(b"{\"not\":\"an array\"}", JsValue::UNDEFINED)
        .expect_err("not an array");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
    assert!(
        error_fields(&err)["message"]
            .as_str()
            .unwrap()
            .contains("the records must be a JSON array of records, or a page of them"),
        "{}",
        error_fields(&err)
    );
    let err = summarize_resource_usage(b"\"records\"", JsValue::UNDEFINED).expect_err("a string");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
    let err = summarize_resource_usage(b"[]", object(json!({ "groupBy": "planet" }), &[]))
        .expect_err("bad option");
    assert!(error_fields(&err)["message"]
        .as_str()
        .unwrap()
        .contains("planet"));
}

#[wasm_bindgen_test]
fn the_utilization_window_spans_the_buckets_and_keeps_usage_reported_late() {
    // Fetched for Jan 1 to Jan 4 (when Partner Center reported the usage):
    // one record is of Dec 31, reported late.
    let records = r#"[
      {"usageStartTime":"2024-01-02T00:00:00Z","resource":{"name":"VM","category":"Compute"},"quantity":1.5,"unit":"1 Hour"},
      {"usageStartTime":"2024-01-02T00:00:00Z","resource":{"name":"VM","category":"Compute"},"quantity":"0.25","unit":"1 Hour"},
      {"usageStartTime":"2023-12-31T00:00:00Z","resource":{"name":"VM","category":"Compute"},"quantity":9,"unit":"1 Hour"}
    ]"#;
    let window = json!({ "startTime": "2024-01-01T00:00:00Z", "endTime": "2024-01-04T00:00:00Z" });
    let s =
        summarize_utilization(records.as_bytes(), object(window.clone(), &[])).expect("summary");
    assert!(is_float64_array(&get(&s, "bucketStarts")));
    let j = json(&s);
    assert_eq!(j["records"], 3);
    assert_eq!(j["filteredOut"], 0);
    assert_eq!(
        j["bucketStarts"],
        json!([
            1_703_980_800_000_u64,
            1_704_067_200_000_u64,
            1_704_153_600_000_u64,
            1_704_240_000_000_u64
        ])
    );
    assert_eq!(j["series"][0]["values"], json!([9, 0, 1.75, 0]));
    assert_eq!(
        j["series"][0]["exactValues"],
        json!(["9", "0", "1.75", "0"])
    );

    // A time range is a filter: the late record is left out.
    let mut filtered = window.clone();
    filtered["filters"] = json!({ "start": "2024-01-01T00:00:00Z", "end": "2024-01-04T00:00:00Z" });
    let s = summarize_utilization(records.as_bytes(), object(filtered, &[])).expect("summary");
    let j = json(&s);
    assert_eq!(j["records"], 2);
    assert_eq!(j["filteredOut"], 1);
    assert_eq!(j["series"][0]["values"], json!([0, 1.75, 0]));
    assert_eq!(j["series"][0]["exactValues"], json!(["0", "1.75", "0"]));
    // The window fetched, as the summary names it.
    assert_eq!(j["window"], window);
    // Unix milliseconds too, as `startTime` and `endTime` take them.
    let mut in_ms = window.clone();
    in_ms["filters"] = json!({ "start": 1_704_067_200_000_u64, "end": 1_704_326_400_000_u64 });
    let again = json(
        &summarize_utilization(records.as_bytes(), object(in_ms, &[])).expect("filters in ms"),
    );
    assert_eq!(again["series"], j["series"]);
    assert_eq!(again["filteredOut"], 1);
    let csv = to_csv_js(
        "utilizationSummary",
        to_json(&s).as_bytes(),
        JsValue::UNDEFINED,
    )
    .expect("csv");
    assert_eq!(
        csv.lines().nth(2),
        Some("2024-01-02T00:00:00Z,VM,1 Hour,VM (1 Hour),1.75,false")
    );
}

#[wasm_bindgen_test]
fn records_with_a_byte_order_mark_are_read() {
    let records = "\u{feff}[{\"id\":\"a\",\"totalCost\":\"1.25\",\"currencyCode\":\"EUR\"}]";
    let s = partner_usage_wasm::summarize_customer_usage(records.as_bytes(), JsValue::UNDEFINED)
        .expect("summary");
    assert_eq!(json(&s)["records"], 1);
}

#[wasm_bindgen_test]
fn to_csv_refuses_unknown_kinds() {
    let err = to_csv_js("spreadsheet", b"[]", JsValue::UNDEFINED).expect_err("unknown kind");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "invalid-input");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("customerUsageRecords"));
}
