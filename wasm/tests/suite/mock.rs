//! The protocol against a scripted `fetch`: every request and answer is
//! exact, so retries, token refresh, 204 and aborts are checked precisely.

use super::*;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

const BASE: &str = "https://pc.example/api";

const PAGE_1: &str = r#"{"totalCount":1,"items":[{"id":"c1","name":"Contoso","totalCost":120.5682999999995904716,
  "currencyCode":"SEK","usdTotalCost":12.39999999999999985235,"isUpgraded":true,
  "lastModifiedDate":"2019-09-17T17:08:11.1433333+00:00","percentUsed":602.84,"budget":{"amount":20}}],
  "links":{"next":{"uri":"/customers/usagerecords?seekOperation=Next","method":"GET",
  "headers":[{"key":"MS-ContinuationToken","value":"a/b?c=d&e%2F==+x"}]}}}"#;
const PAGE_2: &str = r#"{"totalCount":1,"items":[{"id":"c2","name":"Fabrikam","totalCost":27.23292827625710931604,
  "currencyCode":"GBP","usdTotalCost":"33.280000000000001044","isUpgraded":false}],"links":{}}"#;

fn ok(body: &str) -> Value {
    json!({ "status": 200, "headers": { "Content-Type": "application/json" }, "body": body })
}

/// Fast retries; `extra` JSON merged in.
fn mock_client(extra: Value, fns: &[(&str, &JsValue)]) -> Client {
    let mut o = json!({ "baseUrl": BASE, "retry": { "baseDelayMs": 1, "maxDelayMs": 20 } });
    if let (Value::Object(o), Value::Object(e)) = (&mut o, extra) {
        o.extend(e);
    }
    client(o, fns)
}

fn requests(log: &Array) -> Vec<Value> {
    match json(log) {
        Value::Array(a) => a,
        _ => panic!("log"),
    }
}

#[wasm_bindgen_test]
async fn pages_are_followed_with_their_headers_and_money_stays_exact() {
    let log = mock_fetch(&json!([ok(PAGE_1), ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "tok-123" }), &[]);
    let progress = progress_recorder();
    let records = settle(c.customer_usage_records(call_options(
        json!({}),
        None,
        Some(&get(&progress, "fn")),
    )))
    .await
    .expect("records");
    let r = json(&records);
    assert_eq!(r.as_array().map(Vec::len), Some(2));
    assert_eq!(r[0]["totalCost"], "120.5682999999995904716");
    assert_eq!(r[0]["usdTotalCost"], "12.39999999999999985235");
    assert_eq!(r[0]["percentUsed"], "602.84");
    assert_eq!(r[0]["budget"]["amount"], "20");
    assert_eq!(
        r[0]["lastModifiedDate"],
        "2019-09-17T17:08:11.1433333+00:00"
    );
    assert_eq!(r[1]["totalCost"], "27.23292827625710931604");
    assert_eq!(r[1]["usdTotalCost"], "33.280000000000001044");

    let reqs = requests(&log);
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0]["url"], format!("{BASE}/v1/customers/usagerecords"));
    assert_eq!(
        reqs[1]["url"],
        format!("{BASE}/v1/customers/usagerecords?seekOperation=Next")
    );
    assert_eq!(
        reqs[1]["headers"]["ms-continuationtoken"],
        "a/b?c=d&e%2F==+x"
    );
    for r in &reqs {
        assert_eq!(r["headers"]["authorization"], "Bearer tok-123");
        assert_eq!(r["headers"]["accept"], "application/json");
    }
    assert_eq!(
        reqs[0]["headers"]["ms-correlationid"],
        reqs[1]["headers"]["ms-correlationid"]
    );
    assert_ne!(
        reqs[0]["headers"]["ms-requestid"],
        reqs[1]["headers"]["ms-requestid"]
    );

    let events = recorded(&progress, "events");
    assert_eq!(
        events,
        vec![
            json!({ "pages": 1, "records": 1, "retries": 0, "totalCount": 1 }),
            json!({ "pages": 2, "records": 2, "retries": 0, "totalCount": 1 }),
        ]
    );
}

#[wasm_bindgen_test]
async fn the_headers_option_goes_with_every_page_and_retry() {
    let busy = json!({ "status": 503, "headers": { "Retry-After": "0" }, "body": "" });
    let log = mock_fetch(&json!([ok(PAGE_1), busy, ok(PAGE_2)]).to_string());
    let c = mock_client(
        json!({ "token": "tok-123", "headers": { "X-CSRF-Token": "csrf-1", "MS-PartnerCenter-Application": "Contoso portal" } }),
        &[],
    );
    settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("records");
    let reqs = requests(&log);
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(r["headers"]["x-csrf-token"], "csrf-1", "{r}");
        assert_eq!(
            r["headers"]["ms-partnercenter-application"],
            "Contoso portal"
        );
        assert_eq!(r["headers"]["authorization"], "Bearer tok-123");
    }
    // The next page's continuation token is still the link's.
    assert_eq!(
        reqs[2]["headers"]["ms-continuationtoken"],
        "a/b?c=d&e%2F==+x"
    );
}

#[wasm_bindgen_test]
async fn throttling_and_server_errors_are_retried_with_the_same_request_id() {
    let throttled = json!({ "status": 429, "headers": { "Retry-After": "0" },
        "body": r#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 0 seconds."}"# });
    let unavailable = json!({ "status": 503, "headers": { "Retry-After": "0" },
        "body": r#"{"code":"ServiceUnavailable","description":"Retry."}"# });
    let failed =
        json!({ "status": 500, "body": r#"{"code":500,"description":"The caller may retry."}"# });
    let log = mock_fetch(
        &json!([
            throttled,
            unavailable,
            failed,
            ok(PAGE_1),
            throttled,
            ok(PAGE_2)
        ])
        .to_string(),
    );
    let c = mock_client(json!({ "token": "t" }), &[]);
    let progress = progress_recorder();
    let records = settle(c.customer_usage_records(call_options(
        json!({}),
        None,
        Some(&get(&progress, "fn")),
    )))
    .await
    .expect("records after retries");
    assert_eq!(json(&records).as_array().map(Vec::len), Some(2));
    let reqs = requests(&log);
    assert_eq!(reqs.len(), 6);
    let id = |i: usize| reqs[i]["headers"]["ms-requestid"].clone();
    assert_eq!(id(0), id(1));
    assert_eq!(id(0), id(2));
    assert_eq!(id(0), id(3));
    assert_eq!(id(4), id(5));
    assert_ne!(id(0), id(4));
    // An event for each retry as it is scheduled, and one for each page;
    // once there was a retry, the status the latest one followed.
    let event = |pages: u32, retries: u32, status: Option<u16>| {
        let total = if pages == 0 { json!(null) } else { json!(1) };
        let mut e =
            json!({ "pages": pages, "records": pages, "retries": retries, "totalCount": total });
        if let Some(s) = status {
            e["retryStatus"] = json!(s);
        }
        e
    };
    assert_eq!(
        recorded(&progress, "events"),
        vec![
            event(0, 1, Some(429)),
            event(0, 2, Some(503)),
            event(0, 3, Some(500)),
            event(1, 3, Some(500)),
            event(1, 4, Some(429)),
            event(2, 4, Some(429))
        ]
    );
}

/// A two-page utilization listing of subscription s1: page 1 (one record,
/// a next link with a continuation token) and page 2 (one record, the end).
const UTIL_PAGE_1: &str = r#"{"totalCount":1,"items":[{"usageStartTime":"2024-01-01T00:00:00Z","quantity":1,"unit":"1 Hour"}],
  "links":{"next":{"uri":"customers/c1/subscriptions/s1/utilizations/azure?seek_operation=Next","method":"GET",
  "headers":[{"key":"MS-ContinuationToken","value":"t1"}]}}}"#;
const UTIL_PAGE_2: &str = r#"{"totalCount":1,"items":[{"usageStartTime":"2024-01-02T00:00:00Z","quantity":2,"unit":"1 Hour"}]}"#;

/// The two utilization pages with a fault before, between and inside them:
/// a network error, a next page not ready yet (204), a body cut short.
fn faulty_utilization_pages() -> String {
    json!([
        { "error": "Failed to fetch" },
        ok(UTIL_PAGE_1),
        { "status": 204, "headers": { "Retry-After": "0" } },
        ok(&UTIL_PAGE_2[..40]),
        ok(UTIL_PAGE_2)
    ])
    .to_string()
}

#[wasm_bindgen_test]
async fn progress_is_reported_when_a_retry_is_scheduled() {
    // A network error, a next page that isn't ready (204) and a body cut
    // short are retried like a 429, each with its own event.
    let log = mock_fetch(&faulty_utilization_pages());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let progress = progress_recorder();
    let r = settle(c.azure_utilization(
        "c1".into(),
        "s1".into(),
        call_options(json!({ "days": 7 }), None, Some(&get(&progress, "fn"))),
    ))
    .await
    .expect("records");
    assert_eq!(json(&r).as_array().map(Vec::len), Some(2));
    assert_eq!(log.length(), 5);
    // `retryStatus`: what the latest retry followed (null: no answer).
    let event = |pages: u32, retries: u32, total: Value, status: Value| json!({ "pages": pages, "records": pages, "retries": retries, "totalCount": total, "retryStatus": status });
    assert_eq!(
        recorded(&progress, "events"),
        vec![
            event(0, 1, json!(null), json!(null)),
            event(1, 1, json!(1), json!(null)),
            event(1, 2, json!(1), json!(204)),
            event(1, 3, json!(1), json!(200)),
            event(2, 3, json!(1), json!(200)),
        ]
    );

    // The events of a multi-subscription call add up their listings'.
    let progress = summaries_after_a_503(&c, "0").await;
    let event = |pages: u32, retries: u32, completed: u32| {
        json!({ "pages": pages, "records": pages, "retries": retries, "totalCount": null,
                "listings": 1, "completed": completed, "retryStatus": 503 })
    };
    assert_eq!(
        recorded(&progress, "events"),
        vec![event(0, 1, 0), event(1, 1, 0), event(1, 1, 1)]
    );
}

/// A one-subscription resource summary whose first answer is a 503 with
/// `Retry-After: retry_after`; returns its progress recorder.
async fn summaries_after_a_503(c: &Client, retry_after: &str) -> JsValue {
    mock_fetch(
        &json!([
            { "status": 503, "headers": { "Retry-After": retry_after }, "body": "{}" },
            ok(RESOURCE_PAGE)
        ])
        .to_string(),
    );
    let progress = progress_recorder();
    settle(c.resource_usage_summaries(
        object(json!([["c1", "s1"]]), &[]),
        call_options(json!({}), None, Some(&get(&progress, "fn"))),
    ))
    .await
    .expect("summaries");
    progress
}

#[wasm_bindgen_test]
async fn a_retry_event_says_how_long_until_the_retry_goes_out() {
    // Partner Center asks for 1 s: the event after the 429 says so (up to
    // a tenth more for jitter, less the time the event took to fire); the
    // page's event has no wait.
    mock_fetch(
        &json!([
            { "status": 429, "headers": { "Retry-After": "1" }, "body": "{}" },
            ok(RESOURCE_PAGE)
        ])
        .to_string(),
    );
    let c = mock_client(
        json!({ "token": "t", "retry": { "baseDelayMs": 1, "maxDelayMs": 5000 } }),
        &[],
    );
    let progress = progress_recorder();
    settle(c.resource_usage_records(
        "c1".into(),
        "s1".into(),
        call_options(json!({}), None, Some(&get(&progress, "fn"))),
    ))
    .await
    .expect("records");
    let waits = recorded(&progress, "waits");
    assert_eq!(waits.len(), 2, "{waits:?}");
    let first = waits[0].as_f64().expect("a wait after the 429");
    assert!(first > 500.0 && first <= 1_100.0, "{first}");
    assert_eq!(waits[1], Value::Null);

    // A multi-subscription call reports its longest pending wait.
    let progress = summaries_after_a_503(&c, "1").await;
    let waits = recorded(&progress, "waits");
    let first = waits[0].as_f64().expect("a wait after the 503");
    assert!(first > 500.0 && first <= 1_100.0, "{first}");
    assert!(waits[1..].iter().all(Value::is_null), "{waits:?}");
}

#[wasm_bindgen_test]
async fn retries_run_out_with_the_last_status() {
    let throttled = json!({ "status": 429, "headers": { "Retry-After": "0", "MS-RequestId": "rid-9" },
        "body": r#"{"statusCode":429,"message":"Rate limit is exceeded."}"# });
    let log = mock_fetch(&json!([throttled]).to_string());
    let c = mock_client(json!({ "token": "t", "maxRetries": 2 }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("must fail");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "retries-exhausted");
    assert_eq!(e["name"], "PartnerCenterError");
    assert_eq!(e["status"], 429);
    assert_eq!(e["requestId"], "rid-9");
    assert!(
        e["message"].as_str().unwrap().contains("after 3 attempts"),
        "{e}"
    );
    assert_eq!(log.length(), 3);
}

#[wasm_bindgen_test]
async fn network_errors_are_retried_then_reported_as_network() {
    mock_fetch(&json!([{ "error": "Failed to fetch" }, ok(PAGE_2)]).to_string());
    let c = mock_client(json!({}), &[]);
    let progress = progress_recorder();
    let r = settle(c.customer_usage_records(call_options(
        json!({}),
        None,
        Some(&get(&progress, "fn")),
    )))
    .await
    .expect("a network error is retried");
    assert_eq!(json(&r).as_array().map(Vec::len), Some(1));
    // The retry's event says it followed no answer: a null status.
    let events = recorded(&progress, "events");
    assert_eq!(events[0]["retries"], 1);
    assert_eq!(
        events[0].get("retryStatus"),
        Some(&Value::Null),
        "{}",
        events[0]
    );

    let log = mock_fetch(&json!([{ "error": "Failed to fetch" }]).to_string());
    let c = mock_client(json!({ "maxRetries": 1 }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("must fail");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "retries-exhausted");
    assert_eq!(e["status"], Value::Null);
    let m = e["message"].as_str().unwrap();
    // The request's path (no host, no query), what fetch said, and what
    // that can mean (a browser says "Failed to fetch" whatever the cause,
    // CORS included; Node has no CORS).
    let browser = !get(&js_sys::global(), "location").is_undefined();
    let hint = if browser {
        "Failed to fetch (no answer: the server is down or unreachable, or the browser refused the request, e.g. for CORS)"
    } else {
        "Failed to fetch (no answer: the server is down or unreachable)"
    };
    assert!(
        m.contains("network error for /api/v1/customers/usagerecords: ") && m.contains(hint),
        "{m}"
    );
    assert_eq!(log.length(), 2);
}

#[wasm_bindgen_test]
async fn a_body_streamed_in_small_chunks_decodes_exactly() {
    // Chunks cut the UTF-8 of the name and the digits of the money; a wrong
    // Content-Length is only a size hint.
    // Both kinds of body stream: a byte stream (a browser's fetch; read
    // with a BYOB reader) and a plain one (a polyfilled fetch).
    let page = PAGE_2.replace("Fabrikam", "Fabrikam Å€😀");
    for byte_stream in [true, false] {
        for size in [1, 3, 7, 64] {
            let log = mock_fetch(
                &json!([{ "status": 200, "headers": { "Content-Length": "5" }, "chunkSize": size,
                    "byteStream": byte_stream, "body": page }])
                .to_string(),
            );
            let c = mock_client(json!({ "token": "t" }), &[]);
            let r = settle(c.customer_usage_records(JsValue::UNDEFINED))
                .await
                .expect("records");
            let r = json(&r);
            let case = format!("chunks of {size} bytes, byte stream: {byte_stream}");
            assert_eq!(r[0]["name"], "Fabrikam Å€😀", "{case}");
            assert_eq!(r[0]["totalCost"], "27.23292827625710931604", "{case}");
            assert_eq!(r[0]["usdTotalCost"], "33.280000000000001044", "{case}");
            let byob = requests(&log)[0]["byobReads"].as_u64();
            assert_eq!(byob.is_some_and(|n| n > 0), byte_stream, "{case}");
        }
    }
}

/// A customers page of `n` records, each with a long exact amount.
fn large_page(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"c{i}","name":"Customer {i} Å€","totalCost":{i}.5682999999995904716,"currencyCode":"SEK","usdTotalCost":"{i}.39999999999999985235","isUpgraded":true,"lastModifiedDate":"2019-09-17T17:08:11.1433333+00:00","percentUsed":1.5,"budget":{{"amount":20}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"totalCount":{n},"items":[{}],"links":{{}}}}"#,
        items.join(",")
    )
}

#[wasm_bindgen_test]
async fn bodies_larger_than_their_buffer_and_smaller_after_them_decode_exactly() {
    // A BYOB reader fills one buffer that is kept from body to body: a body
    // with no Content-Length outgrows it (180 KB in 7,000-byte chunks), and
    // the next, shorter bodies must not see the bytes it left there.
    let large = large_page(800);
    assert!(large.len() > 150_000, "{}", large.len());
    let small = large_page(3);
    for byte_stream in [true, false] {
        let step = |body: &str| json!({ "status": 200, "chunkSize": 7_000, "byteStream": byte_stream, "body": body });
        let log = mock_fetch(&json!([step(&large), step(&small), ok(PAGE_2)]).to_string());
        let c = mock_client(json!({ "token": "t" }), &[]);
        for (n, last) in [(800, "c799"), (3, "c2"), (1, "c2")] {
            let r = settle(c.customer_usage_records(JsValue::UNDEFINED))
                .await
                .expect("records");
            let r = json(&r);
            let case = format!("{n} records, byte stream: {byte_stream}");
            assert_eq!(r.as_array().map(Vec::len), Some(n), "{case}");
            assert_eq!(r[n - 1]["id"], last, "{case}");
            if n > 1 {
                let i = n - 1;
                assert_eq!(r[i]["name"], format!("Customer {i} Å€"), "{case}");
                assert_eq!(
                    r[i]["totalCost"],
                    format!("{i}.5682999999995904716"),
                    "{case}"
                );
                assert_eq!(
                    r[i]["usdTotalCost"],
                    format!("{i}.39999999999999985235"),
                    "{case}"
                );
            } else {
                assert_eq!(r[0]["totalCost"], "27.23292827625710931604", "{case}");
            }
        }
        let reqs = requests(&log);
        if byte_stream {
            let reads = reqs[0]["byobReads"].as_u64().unwrap_or(0);
            assert!(reads > 1, "the large body took {reads} BYOB reads");
        }
    }
}

#[wasm_bindgen_test]
async fn a_body_without_end_stops_at_64_mib_with_a_decode_error() {
    // A broken proxy streaming for ever: reading stops past 64 MiB (no page
    // comes near it) with a typed error, instead of growing wasm memory
    // until an allocation fails and aborts the module. Both readers, and a
    // Content-Length over the cap is refused before reading.
    for byte_stream in [false, true] {
        let huge = json!({ "status": 200, "hugeMiB": 200, "byteStream": byte_stream });
        let log = mock_fetch(&json!([huge, ok(PAGE_2)]).to_string());
        let c = mock_client(json!({}), &[]);
        let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect_err("too large");
        let e = error_fields(&err);
        assert_eq!(e["kind"], "decode", "{e}");
        assert_eq!(
            e["status"], 200,
            "the status it came with, as decode errors have"
        );
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("larger than 64 MiB"),
            "{e}"
        );
        let reqs = requests(&log);
        assert_eq!(reqs.len(), 1, "not retried");
        let pulled = reqs[0]["pulledMiB"].as_u64().unwrap();
        assert!((64..=66).contains(&pulled), "read {pulled} MiB");
    }
    let declared =
        json!({ "status": 200, "headers": { "Content-Length": "1000000000" }, "body": "{}" });
    let log = mock_fetch(&json!([declared]).to_string());
    let err = settle(mock_client(json!({}), &[]).customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("declared too large");
    assert_eq!(error_fields(&err)["kind"], "decode");
    assert_eq!(error_fields(&err)["status"], 200);
    assert_eq!(log.length(), 1);
    // The module goes on working.
    mock_fetch(&json!([ok(PAGE_2)]).to_string());
    let records = settle(mock_client(json!({}), &[]).customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("a page after");
    assert_eq!(json(&records).as_array().map(Vec::len), Some(1));
}

#[wasm_bindgen_test]
async fn a_body_cut_off_midway_is_a_network_error_and_is_retried() {
    let broken = json!({ "status": 200, "chunkSize": 16, "body": &PAGE_2[..60], "breakWith": "connection reset" });
    let broken_bytes = json!({ "status": 200, "chunkSize": 16, "body": &PAGE_2[..60], "breakWith": "connection reset", "byteStream": true });
    for step in [&broken, &broken_bytes] {
        let log = mock_fetch(&json!([step, ok(PAGE_2)]).to_string());
        let c = mock_client(json!({ "token": "t" }), &[]);
        let r = settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect("the second answer is read");
        assert_eq!(
            json(&r)[0]["totalCost"],
            "27.23292827625710931604",
            "{step}"
        );
        assert_eq!(log.length(), 2, "{step}");
    }

    let log = mock_fetch(&json!([broken]).to_string());
    let c = mock_client(json!({ "token": "t", "maxRetries": 1 }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("never completes");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "retries-exhausted");
    let m = e["message"].as_str().unwrap();
    assert!(
        m.contains("network error") && m.contains("connection reset"),
        "{m}"
    );
    assert_eq!(log.length(), 2);
}

#[wasm_bindgen_test]
async fn a_401_calls_get_token_again_once() {
    let unauthorized = json!({ "status": 401, "body": r#"{"code":"Unauthorized","description":"Token expired."}"# });
    let log = mock_fetch(&json!([unauthorized, ok(PAGE_2)]).to_string());
    let tokens = token_source(r#"["old-token", "new-token"]"#);
    let c = mock_client(json!({}), &[("getToken", &get(&tokens, "fn"))]);
    let r = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("succeeds with the fresh token");
    assert_eq!(json(&r).as_array().map(Vec::len), Some(1));
    assert_eq!(recorded(&tokens, "calls"), vec![json!(false), json!(true)]);
    let reqs = requests(&log);
    assert_eq!(reqs[0]["headers"]["authorization"], "Bearer old-token");
    assert_eq!(reqs[1]["headers"]["authorization"], "Bearer new-token");

    // A second 401 is final, and the message never shows a token.
    mock_fetch(&json!([unauthorized]).to_string());
    let tokens = token_source(r#"["old-token", "new-token"]"#);
    let c = mock_client(json!({}), &[("getToken", &get(&tokens, "fn"))]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("401 twice");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "http");
    assert_eq!(e["status"], 401);
    assert_eq!(e["code"], "Unauthorized");
    let m = e["message"].as_str().unwrap();
    assert!(!m.contains("old-token") && !m.contains("new-token"), "{m}");
    assert_eq!(recorded(&tokens, "calls").len(), 2);
}

#[wasm_bindgen_test]
async fn no_token_means_no_authorization_header() {
    let log = mock_fetch(&json!([ok(PAGE_2)]).to_string());
    let tokens = token_source("[null]");
    let c = mock_client(json!({}), &[("getToken", &get(&tokens, "fn"))]);
    settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("ok");
    assert_eq!(requests(&log)[0]["headers"]["authorization"], Value::Null);
}

#[wasm_bindgen_test]
async fn a_first_page_204_is_an_empty_listing() {
    let log =
        mock_fetch(&json!([{ "status": 204, "headers": { "Retry-After": "3600" } }]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let progress = progress_recorder();
    let r = settle(c.azure_utilization(
        "c1".into(),
        "s1".into(),
        call_options(
            json!({ "startTime": "2024-01-01T00:00:00Z", "endTime": "2024-02-01T00:00:00Z", "size": 10 }),
            None,
            Some(&get(&progress, "fn")),
        ),
    ))
    .await
    .expect("204 is not an error");
    assert_eq!(json(&r), json!([]));
    // One event, saying when Partner Center suggests asking again.
    assert_eq!(
        recorded(&progress, "events"),
        vec![
            json!({ "pages": 0, "records": 0, "retries": 0, "totalCount": null, "retryAfterMs": 3_600_000 })
        ]
    );
    let reqs = requests(&log);
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        reqs[0]["url"],
        format!("{BASE}/v1/customers/c1/subscriptions/s1/utilizations/azure?start_time=2024-01-01T00:00:00Z&end_time=2024-02-01T00:00:00Z&size=10&granularity=daily&show_details=true")
    );
}

/// Two hours before now, on the hour, as the query sends it.
fn latest_end() -> String {
    let ms = js_sys::Date::now() as i64;
    let secs = ms.div_euclid(1000);
    let end = secs - secs.rem_euclid(3600) - 2 * 3600;
    partner_usage_core::time::Timestamp::from_unix(end, 0).to_query_string()
}

#[wasm_bindgen_test]
async fn a_window_ending_in_the_last_two_hours_ends_two_hours_ago_where_partner_center_has_usage() {
    let empty = json!({ "status": 204 });
    let log = mock_fetch(&json!([empty, empty, empty, empty]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let now = js_sys::Date::now();
    let before = latest_end();
    let windows = [
        // `new Date()`: Partner Center would return nothing for it.
        json!({ "startTime": "2024-01-01T00:00:00Z", "endTime": now }),
        // The end of next year, as "this year" might be written.
        json!({ "startTime": "2024-01-01T00:00:00Z", "endTime": "2099-01-01T00:00:00Z" }),
        json!({ "days": 2, "endTime": now + 86_400_000.0 }),
        // Starting after that point: left as asked (no usage for it yet).
        json!({ "startTime": now - 1_800_000.0, "endTime": now }),
    ];
    for w in &windows {
        settle(c.azure_utilization("c1".into(), "s1".into(), object(w.clone(), &[])))
            .await
            .expect("204 is an empty listing");
    }
    let after = latest_end();
    let reqs = requests(&log);
    let ends: Vec<String> = reqs
        .iter()
        .map(|r| {
            let url = r["url"].as_str().unwrap();
            let at = url.find("end_time=").unwrap() + 9;
            url[at..at + 20].to_string()
        })
        .collect();
    for end in &ends[..3] {
        assert!(end == &before || end == &after, "{end} vs {before}");
    }
    let url = reqs[2]["url"].as_str().unwrap();
    let start = &url[url.find("start_time=").unwrap() + 11..][..20];
    let two_days = partner_usage_core::time::Timestamp::parse(&ends[2])
        .unwrap()
        .add_seconds(-2 * 86_400)
        .to_query_string();
    assert_eq!(start, two_days, "`days` counts back from the end sent");
    assert!(ends[3] > ends[0], "{ends:?}");
    // Without an end, a start after that point has no window at all.
    let err = settle(c.azure_utilization(
        "c1".into(),
        "s1".into(),
        object(json!({ "startTime": now - 1_800_000.0 }), &[]),
    ))
    .await
    .expect_err("no window");
    assert_error(&err, "invalid-input", "give an earlier `startTime`");
    assert_eq!(requests(&log).len(), 4, "nothing sent");
}

#[wasm_bindgen_test]
async fn a_next_page_204_is_retried_not_taken_as_the_end() {
    let (first, last) = (UTIL_PAGE_1, UTIL_PAGE_2);
    let log = mock_fetch(
        &json!([ok(first), { "status": 204, "headers": { "Retry-After": "0" } }, ok(last)])
            .to_string(),
    );
    let c = mock_client(json!({ "token": "t" }), &[]);
    let r =
        settle(c.azure_utilization("c1".into(), "s1".into(), object(json!({ "days": 7 }), &[])))
            .await
            .expect("records");
    let r = json(&r);
    assert_eq!(r.as_array().map(Vec::len), Some(2));
    assert_eq!(r[1]["quantity"], "2");
    assert_eq!(log.length(), 3);
}

#[wasm_bindgen_test]
async fn abort_cancels_an_in_flight_fetch() {
    // Before the response arrives, and while its body streams.
    let stalled = json!({ "status": 200, "chunkSize": 16, "body": &PAGE_2[..60], "stall": true });
    let stalled_bytes = json!({ "status": 200, "chunkSize": 16, "body": &PAGE_2[..60], "stall": true, "byteStream": true });
    for step in [json!({ "hang": true }), stalled, stalled_bytes] {
        let log = mock_fetch(&json!([step]).to_string());
        let c = mock_client(json!({ "token": "t" }), &[]);
        let ctl = controller();
        abort_after(&ctl, 30.0);
        let t0 = now();
        let err =
            settle(c.customer_usage_records(call_options(json!({}), Some(&ctl.signal()), None)))
                .await
                .expect_err("aborted");
        assert!(now() - t0 < 5_000.0);
        let e = error_fields(&err);
        assert_eq!(e["name"], "AbortError", "{step}");
        assert_eq!(e["kind"], "aborted", "{step}");
        assert_eq!(e["status"], Value::Null, "{step}");
        // An abort is the caller's, not the listing's failure: no correlation id.
        assert!(get(&err, "correlationId").is_undefined(), "{step}");
        assert_eq!(
            get(&get(&err, "cause"), "name").as_string().as_deref(),
            Some("AbortError"),
            "{step}"
        );
        assert_eq!(log.length(), 1, "an aborted fetch is not retried: {step}");
    }
}

#[wasm_bindgen_test]
async fn abort_cancels_a_retry_wait_and_an_aborted_signal_sends_nothing() {
    let log = mock_fetch(
        &json!([{ "status": 429, "headers": { "Retry-After": "30" }, "body": "{}" }]).to_string(),
    );
    let c = client(json!({ "baseUrl": BASE, "token": "t" }), &[]);
    let ctl = controller();
    abort_after(&ctl, 50.0);
    let t0 = now();
    let err = settle(c.customer_usage_records(call_options(json!({}), Some(&ctl.signal()), None)))
        .await
        .expect_err("aborted while waiting 30 s");
    assert!(now() - t0 < 5_000.0, "the wait was not cancelled");
    assert_eq!(error_fields(&err)["kind"], "aborted");
    assert_eq!(log.length(), 1);

    let log = mock_fetch(&json!([ok(PAGE_2)]).to_string());
    let ctl = controller();
    ctl.abort();
    let err = settle(c.customer_usage_records(call_options(json!({}), Some(&ctl.signal()), None)))
        .await
        .expect_err("already aborted");
    assert_eq!(error_fields(&err)["name"], "AbortError");
    assert_eq!(log.length(), 0);
}

#[wasm_bindgen_test]
async fn abort_with_a_custom_reason_keeps_it_as_the_cause() {
    mock_fetch(&json!([{ "hang": true }]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let ctl = controller();
    let p = c.customer_usage_records(call_options(json!({}), Some(&ctl.signal()), None));
    ctl.abort_with_reason(&JsValue::from_str("user left the page"));
    let err = settle(p).await.expect_err("aborted");
    assert_eq!(error_fields(&err)["kind"], "aborted");
    assert_eq!(
        get(&err, "cause").as_string().as_deref(),
        Some("user left the page")
    );

    // A multi-subscription call's listings follow the caller's signal too.
    let ctl = controller();
    let p = c.resource_usage_summaries(
        object(json!([["c1", "s1"], ["c2", "s2"]]), &[]),
        call_options(json!({}), Some(&ctl.signal()), None),
    );
    ctl.abort_with_reason(&JsValue::from_str("user left the page"));
    let err = settle(p).await.expect_err("aborted");
    assert_eq!(error_fields(&err)["kind"], "aborted");
    assert_eq!(
        get(&err, "cause").as_string().as_deref(),
        Some("user left the page")
    );
}

#[wasm_bindgen_test]
async fn http_errors_carry_status_code_and_request_id() {
    let not_found = json!({ "status": 404, "headers": { "MS-RequestId": "rid-123" },
        "body": r#"{"code":800011,"description":"Subscription s1 is not a valid Azure subscription.","data":[],"source":"PartnerFD"}"# });
    let log = mock_fetch(&json!([not_found]).to_string());
    let c = mock_client(json!({ "token": "secret-token-value" }), &[]);
    let err = settle(c.resource_usage_records("c1".into(), "s1".into(), JsValue::UNDEFINED))
        .await
        .expect_err("404");
    let e = error_fields(&err);
    assert_eq!(e["name"], "PartnerCenterError");
    assert_eq!(e["kind"], "http");
    assert_eq!(e["status"], 404);
    assert_eq!(e["code"], "800011");
    assert_eq!(e["requestId"], "rid-123");
    // The listing's MS-CorrelationId, as sent, for support.
    let sent = requests(&log)[0]["headers"]["ms-correlationid"].clone();
    assert!(sent.is_string(), "{sent}");
    assert_eq!(json(&get(&err, "correlationId")), sent);
    assert_eq!(
        json(
            &get(&err, "toJSON")
                .unchecked_ref::<js_sys::Function>()
                .call0(&err)
                .unwrap()
        )["correlationId"],
        sent
    );
    let m = e["message"].as_str().unwrap();
    assert!(
        m.contains("404") && m.contains("not a valid Azure subscription"),
        "{m}"
    );
    assert!(!m.contains("secret-token-value"));
}

#[wasm_bindgen_test]
async fn a_foreign_next_link_is_refused_before_any_request() {
    let page = r#"{"items":[],"links":{"next":{"uri":"https://evil.example/v1/customers","method":"GET","headers":[]}}}"#;
    let log = mock_fetch(&json!([ok(page)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("foreign link");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "pagination");
    assert!(e["message"].as_str().unwrap().contains("evil.example"));
    assert_eq!(log.length(), 1);
    assert_eq!(
        json(&get(&err, "correlationId")),
        requests(&log)[0]["headers"]["ms-correlationid"]
    );
}

#[wasm_bindgen_test]
async fn a_redirect_is_not_followed_and_not_retried() {
    // fetch is asked not to follow redirects (a browser then answers with an
    // opaque response, Node with the 3xx itself): a redirect could take the
    // token to a URL the paginator never checked.
    let moved = json!({ "status": 302, "headers": { "Location": "https://evil.example/steal" }, "body": "" });
    let log = mock_fetch(&json!([moved, ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "secret-token-value" }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("redirect");
    let e = error_fields(&err);
    assert_eq!(e["name"], "PartnerCenterError");
    assert_eq!(e["kind"], "network");
    let m = e["message"].as_str().unwrap();
    assert!(
        m.contains("network error for /api/v1/customers/usagerecords: the server answered with a redirect (302)")
            && m.contains("baseUrl"),
        "{m}"
    );
    assert!(
        !m.contains("evil.example") && !m.contains("secret-token-value"),
        "{m}"
    );
    let reqs = requests(&log);
    assert_eq!(reqs.len(), 1, "not retried");
    assert_eq!(reqs[0]["redirect"], "manual");
    assert!(e["requestId"].as_str().is_some_and(|r| !r.is_empty()));
}

#[wasm_bindgen_test]
async fn a_bad_record_is_a_decode_error_naming_the_field() {
    mock_fetch(
        &json!([ok(
            r#"{"items":[{"id":"a","totalCost":1},{"id":"b","totalCost":"lots"}]}"#
        )])
        .to_string(),
    );
    let c = mock_client(json!({ "token": "t" }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("decode");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "decode");
    let m = e["message"].as_str().unwrap();
    assert!(
        m.contains("page 1, item 1") && m.contains("totalCost"),
        "{m}"
    );
}

#[wasm_bindgen_test]
async fn callbacks_that_throw_reject_with_kind_callback() {
    mock_fetch(&json!([ok(PAGE_2)]).to_string());
    let c = mock_client(json!({}), &[("getToken", &thrower("no session"))]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("getToken threw");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "callback");
    assert!(get(&err, "correlationId").is_undefined());
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("getToken() failed: no session"));
    assert_eq!(
        get(&get(&err, "cause"), "message").as_string().as_deref(),
        Some("no session")
    );

    let c = mock_client(json!({ "token": "t" }), &[]);
    let err = settle(c.customer_usage_records(call_options(
        json!({}),
        None,
        Some(&thrower("render failed")),
    )))
    .await
    .expect_err("onProgress threw");
    assert_eq!(error_fields(&err)["kind"], "callback");
}

#[wasm_bindgen_test]
async fn invalid_arguments_reject_before_sending_anything() {
    let log = mock_fetch(&json!([ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let err = settle(c.subscriptions("../admin".into(), JsValue::UNDEFINED))
        .await
        .expect_err("bad id");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
    let err = settle(c.subscriptions(JsValue::from(42), JsValue::UNDEFINED))
        .await
        .expect_err("not a string");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
    let err = settle(c.customer_usage_records(object(json!({ "signal": "nope" }), &[])))
        .await
        .expect_err("bad signal");
    assert!(error_fields(&err)["message"]
        .as_str()
        .unwrap()
        .contains("AbortSignal"));
    let err = settle(c.customer_usage_records(object(json!({ "pageSize": 5 }), &[])))
        .await
        .expect_err("unknown call option");
    assert!(error_fields(&err)["message"]
        .as_str()
        .unwrap()
        .contains("pageSize"));
    let err = settle(c.azure_utilization(
        "c".into(),
        "s".into(),
        object(
            json!({ "startTime": "2024-02-01", "endTime": "2024-01-01" }),
            &[],
        ),
    ))
    .await
    .expect_err("reversed window");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
    // Messages in a JavaScript caller's words: numbers, not Rust's types;
    // an unknown key's list has every key the call takes.
    let message = |err: JsValue| error_fields(&err)["message"].as_str().unwrap().to_string();
    let days = object(json!({ "days": 1.5 }), &[]);
    let m = message(
        settle(c.azure_utilization("c".into(), "s".into(), days))
            .await
            .expect_err("fractional days"),
    );
    assert!(
        m.ends_with("`days` must be a whole number from 1 to 3660"),
        "{m}"
    );
    for (options, says) in [
        (
            json!({ "days": 0 }),
            "`days` must be a whole number from 1 to 3660",
        ),
        (
            json!({ "days": 3661 }),
            "`days` must be a whole number from 1 to 3660",
        ),
        (
            json!({ "days": 3, "startTime": "2024-01-01" }),
            "give `days` or `startTime`, not both",
        ),
    ] {
        let m = message(
            settle(c.utilization_summary("c".into(), "s".into(), object(options.clone(), &[])))
                .await
                .expect_err("bad days"),
        );
        assert!(m.contains(says), "{options}: {m}");
    }
    let unknown = object(json!({ "colour": 1 }), &[]);
    let m = message(
        settle(c.utilization_summary("c".into(), "s".into(), unknown.clone()))
            .await
            .expect_err("unknown option"),
    );
    assert!(
        m.contains("unknown field `colour`, expected one of `bucket`, "),
        "{m}"
    );
    for key in [
        "signal",
        "onProgress",
        "startTime",
        "days",
        "granularity",
        "size",
    ] {
        assert!(m.contains(&format!("`{key}`")), "{key}: {m}");
    }
    // An unknown key inside `filters`: named with it, and only the
    // filter's keys are offered.
    let m = message(
        settle(c.utilization_summary(
            "c".into(),
            "s".into(),
            object(json!({ "filters": { "meter": "x" } }), &[]),
        ))
        .await
        .expect_err("unknown filter"),
    );
    assert!(
        m.contains("`filters`: unknown field `meter`, expected one of `start`"),
        "{m}"
    );
    assert!(
        m.contains("`meterContains`") && !m.contains("`signal`"),
        "{m}"
    );
    let m = message(
        settle(c.customer_usage_summary(unknown.clone()))
            .await
            .expect_err("unknown option"),
    );
    assert!(m.contains("`topN`") && m.contains("`onProgress`"), "{m}");
    assert!(!m.contains("`days`"), "no utilization query here: {m}");
    assert!(
        m.contains("`onPage`"),
        "a single listing's summary takes onPage: {m}"
    );
    // The calls over many subscriptions don't list `onPage`: they refuse it.
    let pairs: JsValue = js_sys::Array::of1(&js_sys::Array::of2(&"c".into(), &"s".into())).into();
    let m = message(
        settle(c.utilization_summaries(pairs.clone(), unknown.clone()))
            .await
            .expect_err("unknown option"),
    );
    assert!(m.contains("`onProgress`") && m.contains("`days`"), "{m}");
    assert!(!m.contains("`onPage`"), "{m}");
    let f = js_sys::Function::new_no_args("");
    let m = message(
        settle(c.resource_usage_summaries(pairs, object(json!({}), &[("onPage", &f)])))
            .await
            .expect_err("onPage refused"),
    );
    assert!(
        m.contains("`onPage` is for the summary of one listing"),
        "{m}"
    );
    let m = message(
        partner_usage_wasm::summarize_utilization(b"[]", unknown).expect_err("unknown option"),
    );
    assert!(m.contains("`badRecords`, `startTime`, `endTime`"), "{m}");
    // A misspelt callback is an unknown key too (JSON would leave a function
    // out), and so is a callback the call doesn't take: never silently unused.
    for (what, options) in [
        ("onProgres", object(json!({}), &[("onProgres", &f)])),
        ("onPage", object(json!({}), &[("onPage", &f)])),
    ] {
        let m = message(
            settle(c.customer_usage_records(options))
                .await
                .expect_err("unknown callback"),
        );
        assert!(m.contains(&format!("unknown field `{what}`")), "{m}");
    }
    let retry = object(json!({}), &[("onRetry", &f)]);
    let m = message(
        settle(c.utilization_summary("c".into(), "s".into(), retry))
            .await
            .expect_err("unknown callback"),
    );
    assert!(m.contains("unknown field `onRetry`"), "{m}");
    // A function for a value is named so, at any depth.
    let retry = object(json!({}), &[("maxDelayMs", &f)]);
    let err = Client::new(object(json!({ "baseUrl": BASE }), &[("retry", &retry)]))
        .expect_err("a function for a number");
    let m = message(err);
    assert!(m.contains("invalid type: a function, expected"), "{m}");
    // The callbacks a call takes still pass.
    let ok_options = object(json!({}), &[("onProgress", &f)]);
    assert!(settle(c.customer_usage_records(ok_options)).await.is_ok());
    assert_eq!(log.length(), 1, "only the last call sent a request");

    for (options, needle) in [
        (json!({}), "baseUrl"),
        (json!({ "baseUrl": "ftp://x" }), "base URL"),
        (json!({ "baseUrl": BASE, "pagesize": 5 }), "pagesize"),
        (json!({ "baseUrl": BASE, "pageSize": 0 }), "pageSize"),
        (json!({ "baseUrl": BASE, "concurrency": 0 }), "concurrency"),
        (
            json!({ "baseUrl": BASE, "maxRetries": 101 }),
            "`maxRetries` must be from 0 to 100",
        ),
        (
            json!({ "baseUrl": BASE, "retry": { "maxNotReady": 101 } }),
            "`retry.maxNotReady` must be from 0 to 100",
        ),
        (
            json!({ "baseUrl": BASE, "token": 5 }),
            "`token` must be a string",
        ),
        (
            json!({ "baseUrl": BASE, "simulator": { "faultRate": 2 } }),
            "faultRate",
        ),
        (
            json!({ "baseUrl": BASE, "simulator": { "faults": ["throttled", "oops"] } }),
            "`simulator.faults` has \"oops\": expected some of 'throttled', 'server-error'",
        ),
        (
            json!({ "baseUrl": BASE, "headers": { "authorization": "Bearer x" } }),
            "`headers` may not set Authorization: the client sets it",
        ),
        (
            json!({ "baseUrl": BASE, "headers": { "MS-ContinuationToken": "x" } }),
            "`headers` may not set MS-ContinuationToken",
        ),
        (
            json!({ "baseUrl": BASE, "headers": { "X Bad": "x" } }),
            "`headers` has \"X Bad\", which is not a header name",
        ),
        (
            json!({ "baseUrl": BASE, "headers": { "X-Tenant": "a\r\nX-Evil: 1" } }),
            "`headers` has a value for X-Tenant with a line break",
        ),
        (
            json!({ "baseUrl": BASE, "headers": { "X-App": "Contoso – 門户" } }),
            "`headers` has a value for X-App with characters an HTTP header can't carry",
        ),
        (
            json!({ "baseUrl": BASE, "headers": { "X-Tenant": 5 } }),
            "`headers` has a value for X-Tenant that is not a string",
        ),
    ] {
        let err = Client::new(object(options.clone(), &[])).expect_err("invalid options");
        let e = error_fields(&err);
        assert_eq!(e["kind"], "invalid-input", "{options}");
        assert!(
            e["message"].as_str().unwrap().contains(needle),
            "{options}: {e}"
        );
    }
    // A misspelt getToken: refused, not a client that sends no token.
    let err = Client::new(object(json!({ "baseUrl": BASE }), &[("gettoken", &f)]))
        .expect_err("misspelt getToken");
    let m = error_fields(&err)["message"].as_str().unwrap().to_string();
    assert!(
        m.contains("unknown field `gettoken`") && m.contains("`getToken`"),
        "{m}"
    );
}

/// A JavaScript expression's value.
fn js(expr: &str) -> JsValue {
    js_sys::Function::new_no_args(&format!("return {expr}"))
        .call0(&JsValue::NULL)
        .expect("expression")
}

#[wasm_bindgen_test]
async fn the_headers_option_takes_what_fetch_takes() {
    // A Headers, a Map and an array of pairs: each sent, none read as an
    // object with no entries of its own.
    for given in [
        "new Headers({ 'X-CSRF-Token': 'csrf-1' })",
        "new Map([['X-CSRF-Token', 'csrf-1']])",
        "[['X-CSRF-Token', 'csrf-1']]",
    ] {
        let log = mock_fetch(&json!([ok(PAGE_2)]).to_string());
        let c = mock_client(json!({ "token": "tok-123" }), &[("headers", &js(given))]);
        settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect("records");
        let reqs = requests(&log);
        assert_eq!(
            reqs[0]["headers"]["x-csrf-token"], "csrf-1",
            "{given}: {}",
            reqs[0]
        );
    }
    // Their entries are checked like an object's.
    for (given, needle) in [
        (
            "new Headers({ authorization: 'Bearer x' })",
            "`headers` may not set Authorization",
        ),
        (
            "new Map([['X-Tenant', 5]])",
            "`headers` has a value for X-Tenant that is not a string",
        ),
        (
            "new Map([[5, 'x']])",
            "`headers` has a name that is not a string",
        ),
        (
            "[['X-Tenant']]",
            "`headers` has an entry that is not a [name, value] pair",
        ),
        (
            "'X-Tenant: a'",
            "`headers` must be an object, a Headers or an array",
        ),
    ] {
        let err = Client::new(object(
            json!({ "baseUrl": BASE }),
            &[("headers", &js(given))],
        ))
        .expect_err(given);
        let e = error_fields(&err);
        assert_eq!(e["kind"], "invalid-input", "{given}");
        assert!(
            e["message"].as_str().unwrap().contains(needle),
            "{given}: {e}"
        );
    }
    // A header a browser's fetch() would drop without a word is refused
    // there; Node sends it.
    let browser = !get(&js_sys::global(), "location").is_undefined();
    for name in ["Cookie", "sec-fetch-mode", "Proxy-Authorization", "Host"] {
        let made = Client::new(object(
            json!({ "baseUrl": BASE, "headers": { name: "x" } }),
            &[],
        ));
        match made {
            Ok(_) => assert!(!browser, "{name} accepted in a browser"),
            Err(err) => {
                assert!(browser, "{name} refused in Node");
                let e = error_fields(&err);
                assert_eq!(e["kind"], "invalid-input");
                assert!(
                    e["message"].as_str().unwrap().contains(&format!(
                        "`headers` has {name}, which a browser doesn't let a page send"
                    )),
                    "{e}"
                );
            }
        }
    }
}

#[wasm_bindgen_test]
async fn a_429_holds_back_the_other_listings_of_the_client() {
    let first = r#"{"items":[{"resourceType":"a","totalCost":"1","currencyCode":"EUR","usdTotalCost":"1"}],
      "links":{"next":{"uri":"customers/c2/subscriptions/s2/resourceusagerecords?page=2","method":"GET","headers":[]}}}"#;
    let last = r#"{"items":[{"resourceType":"b","totalCost":"2","currencyCode":"EUR","usdTotalCost":"2"}]}"#;
    // Listing A's first request is throttled for 1 s; listing B's first page
    // arrives at once, but its next page must wait for A's Retry-After too.
    let log = mock_fetch(
        &json!([
            { "status": 429, "headers": { "Retry-After": "1" }, "body": "{}" },
            ok(first),
            ok(last),
            ok(last),
        ])
        .to_string(),
    );
    let c = client(
        json!({ "baseUrl": BASE, "token": "t", "concurrency": 2 }),
        &[],
    );
    let r = settle(c.resource_usage_summaries(
        object(json!([["c1", "s1"], ["c2", "s2"]]), &[]),
        JsValue::UNDEFINED,
    ))
    .await
    .expect("both listings succeed");
    let j = json(&r);
    assert_eq!(j["failed"], 0);
    assert_eq!(j["subscriptions"][0]["summary"]["records"], 1);
    assert_eq!(j["subscriptions"][1]["summary"]["records"], 2);
    let reqs = requests(&log);
    assert_eq!(reqs.len(), 4);
    assert!(reqs[0]["url"].as_str().unwrap().contains("/c1/"));
    assert!(reqs[1]["url"].as_str().unwrap().contains("/c2/"));
    let t = |i: usize| reqs[i]["t"].as_f64().unwrap();
    for i in [2, 3] {
        assert!(
            t(i) - t(0) >= 950.0,
            "request {i} went out {} ms after the 429, before its Retry-After",
            t(i) - t(0)
        );
    }
}

#[wasm_bindgen_test]
async fn a_streaming_summary_that_stops_early_rejects_with_its_partial_summary() {
    let failing = json!({ "status": 500, "headers": { "MS-RequestId": "rid-5" },
        "body": r#"{"code":"1000","description":"Server error."}"# });
    let log = mock_fetch(&json!([ok(PAGE_1), failing, failing]).to_string());
    let c = mock_client(json!({ "maxRetries": 1 }), &[]);
    let err = settle(c.customer_usage_summary(JsValue::UNDEFINED))
        .await
        .expect_err("page 2 never comes");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "retries-exhausted");
    // Every request of the listing, retries included, carried the one correlation id.
    let reqs = requests(&log);
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(
            r["headers"]["ms-correlationid"],
            reqs[0]["headers"]["ms-correlationid"]
        );
    }
    assert_eq!(
        json(&get(&err, "correlationId")),
        reqs[0]["headers"]["ms-correlationid"]
    );
    assert!(e["message"].as_str().unwrap().contains("page 2"), "{e}");
    let partial = json(&get(&err, "partial"));
    assert_eq!(partial["incomplete"], true, "{partial}");
    assert_eq!(partial["pages"], 1);
    assert_eq!(partial["records"], 1);
    assert_eq!(partial["usd"], "12.39999999999999985235");

    // A page stopped by a bad record (badRecords: 'fail') adds nothing,
    // not even its good records before the bad one: whole pages only.
    let bad_page = r#"{"items":[{"id":"c2","totalCost":1,"currencyCode":"GBP","usdTotalCost":1},
      {"id":"c3","totalCost":"not a number","currencyCode":"GBP"}],"links":{}}"#;
    mock_fetch(&json!([ok(PAGE_1), ok(bad_page)]).to_string());
    let c = mock_client(json!({}), &[]);
    let err = settle(c.customer_usage_summary(JsValue::UNDEFINED))
        .await
        .expect_err("item 1 of page 2 is bad");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "decode", "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("page 2, item 1"),
        "{e}"
    );
    let partial = json(&get(&err, "partial"));
    assert_eq!(partial["pages"], 1, "{partial}");
    assert_eq!(
        partial["records"], 1,
        "page 2's good record is not in: {partial}"
    );
    assert_eq!(partial["usd"], "12.39999999999999985235");

    // Nothing read, nothing to hand over.
    mock_fetch(&json!([failing, failing]).to_string());
    let c = mock_client(json!({ "maxRetries": 1 }), &[]);
    let err = settle(c.customer_usage_summary(JsValue::UNDEFINED))
        .await
        .expect_err("page 1 never comes");
    assert_eq!(error_fields(&err)["kind"], "retries-exhausted");
    assert!(get(&err, "partial").is_undefined());

    // A complete summary has no `incomplete` mark.
    mock_fetch(&json!([ok(PAGE_1), ok(PAGE_2)]).to_string());
    let c = mock_client(json!({}), &[]);
    let s = json(
        &settle(c.customer_usage_summary(JsValue::UNDEFINED))
            .await
            .expect("complete"),
    );
    assert_eq!(s["records"], 2);
    assert_eq!(s.get("incomplete"), None);
}

#[wasm_bindgen_test]
async fn a_multi_subscription_summary_with_a_failed_listing_is_marked_incomplete() {
    let page = r#"{"items":[{"resourceType":"a","totalCost":"1","currencyCode":"EUR","usdTotalCost":"1"}]}"#;
    let missing = json!({ "status": 404, "body": r#"{"code":"900","description":"Not found."}"# });
    mock_fetch(&json!([ok(page), missing]).to_string());
    let c = client(json!({ "baseUrl": BASE, "concurrency": 1 }), &[]);
    let r = settle(c.resource_usage_summaries(
        object(json!([["c1", "s1"], ["c2", "s2"]]), &[]),
        JsValue::UNDEFINED,
    ))
    .await
    .expect("resolves with the failure listed");
    let j = json(&r);
    assert_eq!(j["failed"], 1);
    assert_eq!(j["summary"]["incomplete"], true);
    assert_eq!(j["summary"]["records"], 1);
    assert_eq!(j["subscriptions"][1]["error"]["status"], 404);
}

#[wasm_bindgen_test]
async fn a_multi_subscription_summary_names_the_subscription_of_each_skipped_record() {
    let good = r#"{"resourceType":"a","totalCost":"1","currencyCode":"EUR","usdTotalCost":"1"}"#;
    let bad = r#"{"totalCost":"x"}"#;
    let first = format!(r#"{{"items":[{good},{bad}]}}"#);
    let second = format!(r#"{{"items":[{bad},{good},{good}]}}"#);
    mock_fetch(&json!([ok(&first), ok(&second)]).to_string());
    let c = client(json!({ "baseUrl": BASE, "concurrency": 1 }), &[]);
    let r = settle(c.resource_usage_summaries(
        object(json!([["c1", "s1"], ["c2", "s2"]]), &[]),
        object(json!({ "badRecords": "skip" }), &[]),
    ))
    .await
    .expect("resolves");
    let j = json(&r);
    let merged = &j["summary"];
    assert_eq!(
        (&merged["records"], &merged["skippedRecords"]),
        (&json!(3), &json!(2))
    );
    // Both errors are page 1's: without the ids they couldn't be told apart.
    let named: Vec<_> = merged["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["customerId"].clone(),
                e["subscriptionId"].clone(),
                e["page"].clone(),
                e["index"].clone(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            (json!("c1"), json!("s1"), json!(1), json!(1)),
            (json!("c2"), json!("s2"), json!(1), json!(0)),
        ]
    );
    // A subscription's own summary keeps its errors as they were.
    let own = &j["subscriptions"][1]["summary"]["errors"][0];
    assert_eq!(
        (&own["index"], own.get("subscriptionId")),
        (&json!(0), None)
    );
}

#[wasm_bindgen_test]
async fn a_failed_listing_keeps_its_progress_in_a_multi_subscription_summary() {
    // The first listing runs out of retries on its first page; the second
    // reads a page, then refuses its foreign next link.
    let throttled = json!({ "status": 429, "headers": { "Retry-After": "0" }, "body": "{}" });
    let foreign = r#"{"items":[{"resourceType":"a","totalCost":"1","currencyCode":"EUR","usdTotalCost":"1"}],
      "links":{"next":{"uri":"https://evil.example/v1/next","method":"GET","headers":[]}}}"#;
    let log =
        mock_fetch(&json!([throttled, throttled, throttled, throttled, ok(foreign)]).to_string());
    let c = mock_client(
        json!({ "token": "t", "concurrency": 1, "maxRetries": 3 }),
        &[],
    );
    let progress = progress_recorder();
    let r = settle(c.resource_usage_summaries(
        object(json!([["c1", "s1"], ["c2", "s2"]]), &[]),
        call_options(json!({}), None, Some(&get(&progress, "fn"))),
    ))
    .await
    .expect("resolves with the failures listed");
    assert_eq!(log.length(), 5);
    let j = json(&r);
    assert_eq!(j["failed"], 2);
    let subs = &j["subscriptions"];
    assert_eq!(subs[0]["error"]["kind"], "retries-exhausted");
    assert_eq!(
        (&subs[0]["pages"], &subs[0]["records"], &subs[0]["retries"]),
        (&json!(0), &json!(0), &json!(3))
    );
    assert_eq!(subs[1]["error"]["kind"], "pagination");
    assert_eq!(
        (&subs[1]["pages"], &subs[1]["records"], &subs[1]["retries"]),
        (&json!(1), &json!(1), &json!(0))
    );
    let events = recorded(&progress, "events");
    let last = events.last().expect("events");
    assert_eq!(last["completed"], 2, "{last}");
    assert_eq!(last["retryStatus"], 429, "{last}");
    assert_eq!(
        (&last["pages"], &last["records"], &last["retries"]),
        (&json!(1), &json!(1), &json!(3)),
        "{last}"
    );
}

/// A first resource page with a next link.
const RESOURCE_PAGE_1: &str = r#"{"items":[{"resourceType":"a","totalCost":"1","currencyCode":"EUR","usdTotalCost":"1"}],
  "links":{"next":{"uri":"/customers/c1/subscriptions/s1/resourceusagerecords?seekOperation=Next","method":"GET",
  "headers":[{"key":"MS-ContinuationToken","value":"t2"}]}}}"#;

const RESOURCE_PAGE: &str =
    r#"{"items":[{"resourceType":"a","totalCost":"1","currencyCode":"EUR","usdTotalCost":"1"}]}"#;

#[wasm_bindgen_test]
async fn a_multi_subscription_on_progress_that_throws_at_the_end_rejects() {
    mock_fetch(&json!([ok(RESOURCE_PAGE)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    // Its second call is the last event: the listing has completed.
    let on_progress = thrower_from(2, "render failed");
    let err = settle(c.resource_usage_summaries(
        object(json!([["c1", "s1"]]), &[]),
        call_options(json!({}), None, Some(&get(&on_progress, "fn"))),
    ))
    .await
    .expect_err("onProgress threw");
    assert_error(&err, "callback", "onProgress() failed: render failed");
    assert_eq!(get(&on_progress, "calls").as_f64(), Some(2.0));
}

#[wasm_bindgen_test]
async fn a_request_without_an_answer_in_time_is_retried_then_reported() {
    // The first request hangs: after timeoutMs it counts as no answer and is
    // asked again, which answers.
    let log = mock_fetch(&json!([{ "hang": true }, ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t", "timeoutMs": 50 }), &[]);
    let progress = progress_recorder();
    let records = settle(c.customer_usage_records(call_options(
        json!({}),
        None,
        Some(&get(&progress, "fn")),
    )))
    .await
    .expect("retried");
    assert_eq!(js_sys::Array::from(&records).length(), 1);
    assert_eq!(log.length(), 2);
    let events = json(&get(&progress, "events"));
    assert_eq!(events.as_array().unwrap().last().unwrap()["retries"], 1);

    // A body that stops midway is under the same limit, whichever reader.
    for byte_stream in [false, true] {
        let stalled = json!({ "status": 200, "chunkSize": 16, "body": &PAGE_2[..60], "stall": true, "byteStream": byte_stream });
        let log = mock_fetch(&json!([stalled, ok(PAGE_2)]).to_string());
        let c = mock_client(json!({ "token": "t", "timeoutMs": 50 }), &[]);
        let records = settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect("the stalled body is asked for again");
        assert_eq!(js_sys::Array::from(&records).length(), 1, "{byte_stream}");
        assert_eq!(log.length(), 2, "{byte_stream}");
    }

    // Without retries, the failure is said as it is: kind 'network'.
    mock_fetch(&json!([{ "hang": true }]).to_string());
    let c = mock_client(
        json!({ "token": "t", "timeoutMs": 50, "maxRetries": 0 }),
        &[],
    );
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("no answer");
    assert_error(
        &err,
        "network",
        "no answer within 50 ms (the client's timeoutMs)",
    );

    // The caller's abort is still an abort, not a time-out.
    mock_fetch(&json!([{ "hang": true }]).to_string());
    let c = mock_client(json!({ "token": "t", "timeoutMs": 5000 }), &[]);
    let controller = web_sys::AbortController::new().unwrap();
    abort_after(&controller, 30.0);
    let err =
        settle(c.customer_usage_records(call_options(json!({}), Some(&controller.signal()), None)))
            .await
            .expect_err("aborted");
    assert_eq!(error_fields(&err)["kind"], "aborted");

    // Out of range.
    for bad in [json!(-1), json!(3_600_001), json!("60")] {
        let err = Client::new(object(
            json!({ "baseUrl": BASE, "token": "t", "timeoutMs": bad }),
            &[],
        ))
        .expect_err("timeoutMs");
        assert_eq!(error_fields(&err)["kind"], "invalid-input", "{bad}");
    }
}

#[wasm_bindgen_test]
async fn an_async_callback_that_rejects_fails_the_call_before_the_next_request() {
    // onProgress on a listing of records: the second page isn't asked for.
    let log = mock_fetch(&json!([ok(PAGE_1), ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let on_progress = rejecter_from(1, "render failed", &log);
    let err = settle(c.customer_usage_records(call_options(
        json!({}),
        None,
        Some(&get(&on_progress, "fn")),
    )))
    .await
    .expect_err("onProgress rejected");
    assert_error(&err, "callback", "onProgress() failed: render failed");
    assert_eq!(log.length(), 1);

    // onPage on a summary, and onProgress beside it: each one's promise is
    // waited for, and the page's rejection names onPage.
    let log = mock_fetch(&json!([ok(RESOURCE_PAGE)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let on_page = rejecter_from(1, "store full", &log);
    let quiet = rejecter_from(99, "never", &log);
    let err = settle(c.resource_usage_summary(
        "c1".into(),
        "s1".into(),
        object(
            json!({}),
            &[
                ("onPage", &get(&on_page, "fn")),
                ("onProgress", &get(&quiet, "fn")),
            ],
        ),
    ))
    .await
    .expect_err("onPage rejected");
    assert_error(&err, "callback", "onPage() failed: store full");
    assert_eq!(get(&on_page, "calls").as_f64(), Some(1.0));

    // A rejection behind another callback's pending promise (onProgress's,
    // behind a slow onRecords): handled, never an unhandled rejection (which
    // would end this Node process), and it fails the call once reached.
    let log = mock_fetch(&json!([ok(PAGE_1), ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let slow = records_recorder(&log, "slow");
    let on_progress = rejecter_from(1, "render failed", &log);
    let err = settle(c.customer_usage_records(object(
        json!({}),
        &[
            ("onRecords", &get(&slow, "fn")),
            ("onProgress", &get(&on_progress, "fn")),
        ],
    )))
    .await
    .expect_err("onProgress rejected behind onRecords");
    assert_error(&err, "callback", "onProgress() failed: render failed");
    assert_eq!(json(&get(&slow, "seen")).as_array().unwrap().len(), 1);
    assert_eq!(log.length(), 1);

    // onPage is waited for before the next page too.
    let log = mock_fetch(&json!([ok(RESOURCE_PAGE_1), ok(RESOURCE_PAGE)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let pages = rejecter_from(99, "never", &log);
    settle(c.resource_usage_summary(
        "c1".into(),
        "s1".into(),
        object(json!({}), &[("onPage", &get(&pages, "fn"))]),
    ))
    .await
    .expect("two pages");
    assert_eq!(json(&get(&pages, "requests")), json!([1, 2]));

    // onProgress of a call over many subscriptions, at its last event.
    mock_fetch(&json!([ok(RESOURCE_PAGE)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let on_progress = rejecter_from(2, "render failed", &JsValue::NULL);
    let err = settle(c.resource_usage_summaries(
        object(json!([["c1", "s1"]]), &[]),
        call_options(json!({}), None, Some(&get(&on_progress, "fn"))),
    ))
    .await
    .expect_err("onProgress rejected at the end");
    assert_error(&err, "callback", "onProgress() failed: render failed");

    // Resolved promises are waited for and change nothing.
    let log = mock_fetch(&json!([ok(PAGE_1), ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let fine = rejecter_from(99, "never", &log);
    let records =
        settle(c.customer_usage_records(call_options(json!({}), None, Some(&get(&fine, "fn")))))
            .await
            .expect("resolved");
    assert_eq!(js_sys::Array::from(&records).length(), 2);
    // Each page's event came before the next page was asked for.
    assert_eq!(json(&get(&fine, "requests")), json!([1, 2]));
}

#[wasm_bindgen_test]
async fn a_multi_subscription_on_progress_that_throws_stops_every_listing() {
    // One listing's page comes at once; the other is told to wait 2 s.
    let log = mock_fetch(
        &json!([
            ok(RESOURCE_PAGE),
            { "status": 429, "headers": { "Retry-After": "2" }, "body": "{}" },
            ok(RESOURCE_PAGE),
        ])
        .to_string(),
    );
    let c = client(
        json!({ "baseUrl": BASE, "token": "t", "concurrency": 2 }),
        &[],
    );
    let on_progress = thrower_from(1, "render failed");
    let t0 = now();
    let err = settle(c.resource_usage_summaries(
        object(json!([["c1", "s1"], ["c2", "s2"]]), &[]),
        call_options(json!({}), None, Some(&get(&on_progress, "fn"))),
    ))
    .await
    .expect_err("onProgress threw");
    assert!(
        now() - t0 < 1_000.0,
        "rejected {} ms later, after the other listing",
        now() - t0
    );
    assert_eq!(error_fields(&err)["kind"], "callback");
    // Nothing goes on behind the rejection.
    settle(runtime_sleep(2_500.0, None)).await.expect("slept");
    assert_eq!(get(&on_progress, "calls").as_f64(), Some(1.0));
    assert_eq!(log.length(), 2);
}

#[wasm_bindgen_test]
async fn the_shared_hold_keeps_to_the_retry_limits() {
    let throttled =
        |secs: &str| json!({ "status": 429, "headers": { "Retry-After": secs }, "body": "{}" });
    // Retry-After 30 s, but the listing waits at most 200 ms per retry.
    let log = mock_fetch(&json!([throttled("30"), ok(PAGE_2)]).to_string());
    let c = client(
        json!({ "baseUrl": BASE, "token": "t",
                "retry": { "baseDelayMs": 1, "maxDelayMs": 200, "maxTotalDelayMs": 1000 } }),
        &[],
    );
    let t0 = now();
    settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("retried after 200 ms");
    assert!(now() - t0 < 2_000.0, "waited {} ms", now() - t0);
    assert_eq!(log.length(), 2);

    // A listing that gives up on a 429 leaves no hold for the next call.
    mock_fetch(&json!([throttled("3"), ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t", "maxRetries": 0 }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("no retries");
    assert_eq!(error_fields(&err)["status"], 429);
    let t0 = now();
    settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("the next call");
    assert!(now() - t0 < 1_000.0, "waited {} ms", now() - t0);
    use_real_fetch();
}

#[wasm_bindgen(module = "/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = sleep)]
    fn runtime_sleep(ms: f64, signal: Option<&web_sys::AbortSignal>) -> js_sys::Promise;
}

#[wasm_bindgen_test]
async fn a_sleep_beyond_the_timer_limit_does_not_end_at_once() {
    // setTimeout turns a delay over 2^31 - 1 ms into 1 ms.
    let ctl = controller();
    abort_after(&ctl, 100.0);
    let slept = settle(runtime_sleep(2f64.powi(31) + 1_000.0, Some(&ctl.signal()))).await;
    assert!(slept.is_err(), "the sleep ended before the abort");
}

#[wasm_bindgen_test]
async fn nan_infinity_and_invalid_dates_are_refused_by_name() {
    // JSON would turn each into `null`, read as "not given".
    let nan = JsValue::from_f64(f64::NAN);
    let infinity = JsValue::from_f64(f64::INFINITY);
    let invalid_date: JsValue = js_sys::Date::new(&nan).into();
    let check = |err: &JsValue, needle: &str| {
        let e = error_fields(err);
        assert_eq!(e["kind"], "invalid-input", "{needle}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains(needle),
            "{needle}: {e}"
        );
    };
    let base = json!({ "baseUrl": BASE });
    for (key, value, needle) in [
        (
            "pageSize",
            &nan,
            "`pageSize` must be a finite number, not NaN",
        ),
        ("maxRetries", &nan, "`maxRetries`"),
        (
            "concurrency",
            &infinity,
            "`concurrency` must be a finite number, not Infinity",
        ),
    ] {
        let err = Client::new(object(base.clone(), &[(key, value)])).expect_err(needle);
        check(&err, needle);
    }
    let retry = object(json!({ "baseDelayMs": 1 }), &[("maxDelayMs", &infinity)]);
    let err = Client::new(object(base.clone(), &[("retry", &retry)])).expect_err("retry");
    check(&err, "`retry.maxDelayMs`");

    let log = mock_fetch(&json!([ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let (cid, sid) = (JsValue::from_str("c"), JsValue::from_str("s"));
    for (key, value, needle) in [
        ("startTime", &invalid_date, "`startTime` is an invalid Date"),
        ("endTime", &nan, "`endTime`"),
        ("size", &nan, "`size`"),
    ] {
        let options = object(json!({}), &[(key, value)]);
        let err = settle(c.azure_utilization(cid.clone(), sid.clone(), options.clone()))
            .await
            .expect_err(needle);
        check(&err, needle);
        let err = settle(c.utilization_summary(cid.clone(), sid.clone(), options))
            .await
            .expect_err(needle);
        check(&err, needle);
    }
    assert_eq!(log.length(), 0);
    use_real_fetch();

    let options = object(json!({ "bucket": "hour" }), &[("endTime", &nan)]);
    let err = partner_usage_wasm::summarize_utilization(b"[]", options).expect_err("endTime");
    check(&err, "`endTime` must be a finite number, not NaN");
    let anomaly = object(json!({}), &[("k", &nan)]);
    let options = object(json!({}), &[("anomaly", &anomaly)]);
    let err = partner_usage_wasm::summarize_utilization(b"[]", options).expect_err("anomaly.k");
    check(&err, "`anomaly.k`");
}

/// The `MS-RequestId` the `i`th request of a mock log was sent with.
fn sent_id(log: &Array, i: usize) -> Value {
    let id = requests(log)[i]["headers"]["ms-requestid"].clone();
    assert!(id.is_string(), "request {i} has no MS-RequestId");
    id
}

#[wasm_bindgen_test]
async fn decode_and_network_errors_carry_the_request_id() {
    // A malformed body whose response echoed no id: the id the request sent.
    let malformed = r#"{"items": [}"#;
    let log = mock_fetch(&json!([ok(malformed)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("malformed");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "decode", "{e}");
    assert_eq!(e["requestId"], sent_id(&log, 0), "{e}");
    assert_eq!(e["status"], 200, "the status the body came with: {e}");

    // The response's own id when it echoes one, also from a summary.
    let echoed =
        json!({ "status": 200, "headers": { "MS-RequestId": "rid-echo" }, "body": malformed });
    mock_fetch(&json!([echoed]).to_string());
    let err = settle(c.customer_usage_summary(JsValue::UNDEFINED))
        .await
        .expect_err("malformed");
    let e = error_fields(&err);
    assert_eq!(
        (&e["kind"], &e["requestId"]),
        (&json!("decode"), &json!("rid-echo"))
    );

    // A web page with 200 (an app's fallback page served for /v1/...),
    // through the utilization scanner too: said so, and not retried.
    let page = json!({ "status": 200, "headers": { "Content-Type": "text/html" },
        "body": "<!doctype html><title>My portal</title>" });
    let log = mock_fetch(&json!([page.clone(), page]).to_string());
    let (cid, sid) = (JsValue::from_str("c"), JsValue::from_str("s"));
    let days = object(json!({ "days": 1 }), &[]);
    for err in [
        settle(c.customer_usage_records(JsValue::UNDEFINED)).await,
        settle(c.utilization_summary(cid, sid, days)).await,
    ] {
        let e = error_fields(&err.expect_err("a web page"));
        assert_eq!((&e["kind"], &e["status"]), (&json!("decode"), &json!(200)));
        assert_eq!(
            e["message"],
            "could not decode page 1: the server sent an HTML or XML page instead of JSON: \
             check that the base URL is where the Partner Center API (/v1/...) is served"
        );
    }
    assert_eq!(log.length(), 2);

    // A bad record on page 2: page 2's request.
    let bad = r#"{"items":[{"id":"b","totalCost":"lots"}]}"#;
    let log = mock_fetch(&json!([ok(PAGE_1), ok(bad)]).to_string());
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("bad record");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "decode", "{e}");
    assert_eq!(e["requestId"], sent_id(&log, 1), "{e}");
    assert_ne!(sent_id(&log, 0), sent_id(&log, 1));

    // No response at all, retries off: a network error with the id sent.
    let log = mock_fetch(&json!([{ "error": "Failed to fetch" }]).to_string());
    let c = mock_client(json!({ "maxRetries": 0 }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("network");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "network", "{e}");
    assert_eq!(e["requestId"], sent_id(&log, 0), "{e}");

    // Retries running out over dropped connections, bodies broken off
    // mid-stream and bodies cut short: every attempt sent the same id, and
    // the error has it.
    let broken = json!({ "status": 200, "chunkSize": 16, "body": &PAGE_2[..60], "breakWith": "connection reset" });
    for step in [
        json!({ "error": "Failed to fetch" }),
        broken,
        ok(&PAGE_2[..60]),
    ] {
        let log = mock_fetch(&json!([step]).to_string());
        let c = mock_client(json!({ "maxRetries": 2 }), &[]);
        let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect_err("never answers whole");
        let e = error_fields(&err);
        assert_eq!(e["kind"], "retries-exhausted", "{step}: {e}");
        assert_eq!(log.length(), 3, "{step}");
        assert_eq!(sent_id(&log, 1), sent_id(&log, 0));
        assert_eq!(sent_id(&log, 2), sent_id(&log, 0));
        assert_eq!(e["requestId"], sent_id(&log, 0), "{step}: {e}");
    }
}

/// PAGE_2 with PAGE_1's next link: following it would repeat page 2's request.
const PAGE_2_CYCLING: &str = r#"{"totalCount":1,"items":[{"id":"c2","name":"Fabrikam","totalCost":27.23292827625710931604,
  "currencyCode":"GBP","usdTotalCost":"33.280000000000001044","isUpgraded":false}],
  "links":{"next":{"uri":"/customers/usagerecords?seekOperation=Next","method":"GET",
  "headers":[{"key":"MS-ContinuationToken","value":"a/b?c=d&e%2F==+x"}]}}}"#;

#[wasm_bindgen_test]
async fn a_page_whose_next_link_stops_the_listing_is_in_the_partial_summary() {
    /// A customers summary over mocked `pages` that rejects: its error's
    /// fields, its partial summary, the last progress event and how many
    /// requests were sent.
    async fn rejected_summary(pages: Value, options: Value) -> (Value, Value, Value, u32) {
        let log = mock_fetch(&pages.to_string());
        let c = mock_client(options, &[]);
        let progress = progress_recorder();
        let err = settle(c.customer_usage_summary(call_options(
            json!({}),
            None,
            Some(&get(&progress, "fn")),
        )))
        .await
        .expect_err("the listing stops");
        let events = recorded(&progress, "events");
        let last = events.last().cloned().expect("an event for each page");
        (
            error_fields(&err),
            json(&get(&err, "partial")),
            last,
            log.length(),
        )
    }

    // The page cap: page 1 is read whole; only its link goes past the cap.
    let (e, partial, last, sent) =
        rejected_summary(json!([ok(PAGE_1), ok(PAGE_2)]), json!({ "maxPages": 1 })).await;
    assert_eq!(e["kind"], "pagination", "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("page cap of 1"),
        "{e}"
    );
    assert_eq!(sent, 1);
    assert_eq!(partial["incomplete"], true, "{partial}");
    assert_eq!(
        (&partial["pages"], &partial["records"]),
        (&json!(1), &json!(1)),
        "{partial}"
    );
    assert_eq!(partial["usd"], "12.39999999999999985235");
    // Progress says what the summary holds.
    assert_eq!(
        (&last["pages"], &last["records"]),
        (&json!(1), &json!(1)),
        "{last}"
    );

    // A cycle: page 2's link repeats the request for page 2.
    let (e, partial, last, sent) =
        rejected_summary(json!([ok(PAGE_1), ok(PAGE_2_CYCLING)]), json!({})).await;
    assert_eq!(e["kind"], "pagination", "{e}");
    assert!(e["message"].as_str().unwrap().contains("page 2"), "{e}");
    assert_eq!(sent, 2);
    assert_eq!(
        (&partial["pages"], &partial["records"]),
        (&json!(2), &json!(2)),
        "{partial}"
    );
    assert_eq!(partial["usd"], "45.68000000000000089635", "{partial}");
    assert_eq!(
        (&last["pages"], &last["records"]),
        (&json!(2), &json!(2)),
        "{last}"
    );

    // A record listing still rejects: it never resolves short.
    mock_fetch(&json!([ok(PAGE_1)]).to_string());
    let c = mock_client(json!({ "maxPages": 1 }), &[]);
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("past the page cap");
    assert_eq!(error_fields(&err)["kind"], "pagination");
}

#[wasm_bindgen_test]
async fn on_records_gets_each_page_in_turn_and_the_next_page_waits_for_it() {
    // 'slow' notes each page 30 ms after it is handed over: had the next
    // request not waited for its promise, it would have gone out by then.
    for mode in ["sync", "slow"] {
        let log = mock_fetch(&json!([ok(PAGE_1), ok(PAGE_2)]).to_string());
        let c = mock_client(json!({ "token": "t" }), &[]);
        let rec = records_recorder(&log, mode);
        let progress = progress_recorder();
        let done = settle(c.customer_usage_records(object(
            json!({}),
            &[
                ("onRecords", &get(&rec, "fn")),
                ("onProgress", &get(&progress, "fn")),
            ],
        )))
        .await
        .expect("listing");
        // The final progress, not the records (which went to onRecords).
        let done = json(&done);
        assert_eq!(
            (done["pages"].clone(), done["records"].clone()),
            (json!(2), json!(2)),
            "{mode}: {done}"
        );
        assert_eq!(
            json(&get(&rec, "seen")),
            json!([
                { "ids": ["c1"], "costs": ["120.5682999999995904716"], "pages": 1, "requests": 1 },
                { "ids": ["c2"], "costs": ["27.23292827625710931604"], "pages": 2, "requests": 2 },
            ]),
            "{mode}"
        );
        // onProgress still hears of every page.
        assert_eq!(
            json(&get(&progress, "events")).as_array().unwrap().len(),
            2,
            "{mode}"
        );
    }
}

#[wasm_bindgen_test]
async fn on_records_that_fails_or_never_settles_stops_the_listing() {
    // A throw and a rejection: kind 'callback', nothing more fetched.
    for (mode, fun) in [("throw", thrower("disk full")), ("reject", JsValue::NULL)] {
        let log = mock_fetch(&json!([ok(PAGE_1), ok(PAGE_2)]).to_string());
        let c = mock_client(json!({ "token": "t" }), &[]);
        let f = if fun.is_null() {
            get(&records_recorder(&log, mode), "fn")
        } else {
            fun
        };
        let err = settle(c.customer_usage_records(object(json!({}), &[("onRecords", &f)])))
            .await
            .expect_err(mode);
        let e = error_fields(&err);
        assert_eq!(e["kind"], "callback", "{mode}: {e}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("onRecords() failed: disk full"),
            "{mode}: {e}"
        );
        assert_eq!(log.length(), 1, "{mode}");
    }
    // A promise that never settles: the signal still ends the call.
    let log = mock_fetch(&json!([ok(PAGE_1), ok(PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let rec = records_recorder(&log, "never");
    let ctl = controller();
    abort_after(&ctl, 30.0);
    let signal = ctl.signal();
    let err = settle(c.customer_usage_records(object(
        json!({}),
        &[
            ("signal", signal.unchecked_ref()),
            ("onRecords", &get(&rec, "fn")),
        ],
    )))
    .await
    .expect_err("aborted");
    assert_eq!(error_fields(&err)["kind"], "aborted");
    assert_eq!(log.length(), 1);
    // It belongs to the record listings: a summary refuses it, and they
    // refuse a summary's onPage.
    let f = thrower("unused");
    let err = settle(c.customer_usage_summary(object(json!({}), &[("onRecords", &f)])))
        .await
        .expect_err("summary");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
    let err = settle(c.customer_usage_records(object(json!({}), &[("onPage", &f)])))
        .await
        .expect_err("records");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
}

#[wasm_bindgen_test]
async fn on_records_gets_each_page_once_through_retries_and_nothing_for_a_204() {
    // A network error, a next page not ready (204) and a body cut short
    // between the pages: each page is handed over once, whole.
    let log = mock_fetch(&faulty_utilization_pages());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let rec = records_recorder(&log, "sync");
    let done = settle(c.azure_utilization(
        "c1".into(),
        "s1".into(),
        object(json!({ "days": 7 }), &[("onRecords", &get(&rec, "fn"))]),
    ))
    .await
    .expect("listing");
    let done = json(&done);
    assert_eq!(
        (done["pages"].clone(), done["retries"].clone()),
        (json!(2), json!(3)),
        "{done}"
    );
    let seen = json(&get(&rec, "seen"));
    let ids: Vec<&Value> = seen.as_array().unwrap().iter().map(|p| &p["ids"]).collect();
    assert_eq!(
        ids,
        [
            &json!(["2024-01-01T00:00:00Z"]),
            &json!(["2024-01-02T00:00:00Z"])
        ],
        "{seen}"
    );
    assert_eq!(log.length(), 5);

    // No data for the window: never called, the progress says no pages.
    let log = mock_fetch(&json!([{ "status": 204 }]).to_string());
    let rec = records_recorder(&log, "sync");
    let done = settle(c.azure_utilization(
        "c1".into(),
        "s1".into(),
        object(json!({ "days": 7 }), &[("onRecords", &get(&rec, "fn"))]),
    ))
    .await
    .expect("empty listing");
    assert_eq!(json(&done)["pages"], 0);
    assert_eq!(json(&get(&rec, "seen")), json!([]));

    // Not a function: refused before anything is sent.
    let log = mock_fetch(&json!([ok(PAGE_2)]).to_string());
    let err = settle(c.customer_usage_records(object(json!({ "onRecords": true }), &[])))
        .await
        .expect_err("not a function");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "invalid-input");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("`onRecords` must be a function"),
        "{e}"
    );
    assert_eq!(log.length(), 0);
}

#[wasm_bindgen_test]
async fn a_window_of_more_buckets_than_max_buckets_is_refused_before_any_request() {
    let log = mock_fetch(&json!([ok(UTIL_PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    let options = json!({ "days": 7, "bucket": "hour", "maxBuckets": 10 });
    let one = settle(c.utilization_summary("c1".into(), "s1".into(), object(options.clone(), &[])))
        .await
        .expect_err("one listing");
    let many = settle(c.utilization_summaries(
        object(json!([["c1", "s1"], ["c1", "s2"]]), &[]),
        object(options, &[]),
    ))
    .await
    .expect_err("many listings");
    for err in [one, many] {
        let e = error_fields(&err);
        assert_eq!(e["kind"], "invalid-input");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("the time range spans 168 hour buckets, more than maxBuckets (10)"),
            "{e}"
        );
    }
    assert_eq!(log.length(), 0, "nothing fetched");
}

#[wasm_bindgen_test]
async fn a_bad_option_value_names_its_option() {
    let log = mock_fetch(&json!([ok(UTIL_PAGE_2)]).to_string());
    let c = mock_client(json!({ "token": "t" }), &[]);
    for (options, needle) in [
        (
            json!({ "granularity": "Daily" }),
            "azureUtilization options: `granularity`: unknown variant `Daily`",
        ),
        (
            json!({ "showDetails": "yes" }),
            "azureUtilization options: `showDetails`: invalid type: string \"yes\", expected a boolean",
        ),
    ] {
        let err = settle(c.azure_utilization("c1".into(), "s1".into(), object(options.clone(), &[])))
            .await
            .expect_err("refused");
        assert_error(&err, "invalid-input", needle);
    }
    let err = settle(c.utilization_summary(
        "c1".into(),
        "s1".into(),
        object(json!({ "bucket": "days" }), &[]),
    ))
    .await
    .expect_err("refused");
    let m = error_fields(&err)["message"].as_str().unwrap().to_string();
    assert!(m.contains("`bucket`: unknown variant `days`"), "{m}");
    assert_eq!(log.length(), 0);
}

#[wasm_bindgen_test]
async fn a_headers_function_is_asked_for_each_request_and_checked_like_the_option() {
    // A rotating CSRF token: each request sends what the function gives
    // then (a value or a promise), retries included.
    let log = mock_fetch(&json!([ok(PAGE_1), { "status": 503 }, ok(PAGE_2)]).to_string());
    let source = header_source(
        &json!([{ "X-CSRF": "a" }, { "X-CSRF": "b" }, [["X-CSRF", "c"]]]).to_string(),
    );
    let c = mock_client(
        json!({ "retry": { "baseDelayMs": 1 } }),
        &[("headers", &get(&source, "fn"))],
    );
    settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("both pages");
    let sent: Vec<Value> = requests(&log)
        .iter()
        .map(|r| r["headers"]["x-csrf"].clone())
        .collect();
    assert_eq!(sent, [json!("a"), json!("b"), json!("c")]);
    // What it gives is checked as the option is; what it throws is 'callback'.
    for (headers, kind, needle) in [
        (json!(["throw"]), "callback", "headers()"),
        (
            json!([{ "Authorization": "Bearer x" }]),
            "invalid-input",
            "may not set Authorization",
        ),
        (json!([5]), "invalid-input", "`headers` must be an object"),
    ] {
        let log = mock_fetch(&json!([ok(PAGE_2)]).to_string());
        let source = header_source(&headers.to_string());
        let c = mock_client(json!({}), &[("headers", &get(&source, "fn"))]);
        let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect_err("refused");
        assert_error(&err, kind, needle);
        assert_eq!(log.length(), 0, "nothing sent");
    }
}
