//! Token safety: the bearer token goes out only in the `Authorization`
//! header of requests to the configured base URL, and never shows up in
//! anything the library hands back or prints.
//!
//! Every case of the hostile-response corpus (`tests/corpus/corpus.json`),
//! and then a fault run of the in-wasm simulator, goes through the client's
//! listing and streaming-summary methods with a recognisable token. All that
//! can be observed is captured: results, every error (`String(e)`, stack,
//! every property, `partial`, `cause`), every progress event and everything
//! written to the console. The token must appear in none of it.

use super::*;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "../../../core/tests/support/corpus.rs"]
mod corpus;

const SECRET: &str = "pu-SECRET-7f3a9c0e-TOKEN";
const BASE: &str = "https://pc.example/api";
const CUSTOMER: &str = "c0ffee00-0000-4000-8000-000000000001";
const SUBSCRIPTION: &str = "5ab5c0de-0000-4000-8000-000000000002";

/// A client call, given its options.
type Call<'a> = Box<dyn FnOnce(JsValue) -> js_sys::Promise + 'a>;

/// Everything observed during one call.
#[derive(Default)]
struct Captured {
    text: String,
    calls: usize,
    errors: usize,
}

impl Captured {
    fn add(&mut self, what: &str, text: &str) {
        self.text.push_str(what);
        self.text.push('\n');
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn assert_clean(&self, context: &str) {
        for needle in [SECRET, "7f3a9c0e"] {
            if let Some(at) = self.text.find(needle) {
                let from = at.saturating_sub(200);
                panic!(
                    "{context}: the token shows up in what was captured: …{}…",
                    &self.text[from..(at + 60).min(self.text.len())]
                );
            }
        }
    }
}

/// Runs one call with a progress recorder and the console captured, and
/// adds its outcome, events and console lines to `out`.
async fn observe(
    out: &mut Captured,
    what: &str,
    call: impl FnOnce(JsValue) -> js_sys::Promise,
    options: Value,
) {
    let progress = progress_recorder();
    let console = capture_console();
    let outcome = settle(call(call_options(
        options,
        None,
        Some(&get(&progress, "fn")),
    )))
    .await;
    let restore: js_sys::Function = get(&console, "restore").into();
    let _ = restore.call0(&console);
    out.calls += 1;
    match outcome {
        Ok(v) => out.add(&format!("{what} result"), &to_json(&v)),
        Err(e) => {
            out.errors += 1;
            out.add(&format!("{what} error"), &dump_error(&e));
        }
    }
    out.add(
        &format!("{what} progress"),
        &to_json(&get(&progress, "events")),
    );
    out.add(
        &format!("{what} console"),
        &to_json(&get(&console, "lines")),
    );
}

/// A mock step for a corpus reply: the exact bytes.
fn step(r: &corpus::Reply) -> Value {
    let bytes = r.bytes();
    let mut s = json!({ "status": r.status, "headers": r.headers });
    match String::from_utf8(bytes) {
        Ok(text) => s["body"] = Value::String(text),
        Err(e) => {
            let hex: String = e.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
            s["bodyHex"] = Value::String(hex);
        }
    }
    s
}

fn secret_client() -> Client {
    client(
        json!({ "baseUrl": BASE, "token": SECRET, "maxRetries": 2,
                "retry": { "baseDelayMs": 1, "maxDelayMs": 5 } }),
        &[],
    )
}

/// Checks the requests a call made: all to the base URL, all with the token.
fn check_requests(log: &js_sys::Array, context: &str) {
    for r in json(log).as_array().into_iter().flatten() {
        let url = r["url"].as_str().unwrap_or_default();
        assert!(
            url.starts_with(&format!("{BASE}/")),
            "{context}: a request to {url}"
        );
        assert_eq!(
            r["headers"]["authorization"],
            format!("Bearer {SECRET}"),
            "{context}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_token_never_shows_up_while_the_corpus_goes_through_the_client() {
    let corpus: corpus::Corpus = serde_json::from_str(corpus::CORPUS).expect("the corpus");
    let mut out = Captured::default();
    let window = json!({ "startTime": "2026-10-01T00:00:00Z", "endTime": "2026-11-01T00:00:00Z" });
    for case in &corpus.cases {
        let script: Vec<Value> = std::iter::once(&case.reply)
            .chain(&case.then)
            .map(step)
            .collect();
        let script = Value::Array(script).to_string();
        let c = secret_client();
        let (cid, sid) = (JsValue::from_str(CUSTOMER), JsValue::from_str(SUBSCRIPTION));
        let name = &case.name;
        let calls: Vec<(&str, Call<'_>, Value)> = match case.endpoint.as_str() {
            "customers" => vec![
                (
                    "records",
                    Box::new(|o| c.customer_usage_records(o)),
                    json!({}),
                ),
                (
                    "summary",
                    Box::new(|o| c.customer_usage_summary(o)),
                    json!({}),
                ),
            ],
            "resources" => vec![
                (
                    "records",
                    Box::new(|o| c.resource_usage_records(cid.clone(), sid.clone(), o)),
                    json!({}),
                ),
                (
                    "summary",
                    Box::new(|o| c.resource_usage_summary(cid.clone(), sid.clone(), o)),
                    json!({}),
                ),
            ],
            "subscriptions" => vec![(
                "records",
                Box::new(|o| c.subscriptions(cid.clone(), o)),
                json!({}),
            )],
            "utilization" => vec![
                (
                    "records",
                    Box::new(|o| c.azure_utilization(cid.clone(), sid.clone(), o)),
                    window.clone(),
                ),
                (
                    "summary",
                    Box::new(|o| c.utilization_summary(cid.clone(), sid.clone(), o)),
                    window.clone(),
                ),
            ],
            other => panic!("{name}: unknown endpoint {other}"),
        };
        for (what, call, options) in calls {
            let log = mock_fetch(&script);
            observe(&mut out, &format!("{name} {what}"), call, options).await;
            check_requests(&log, name);
        }
    }
    use_real_fetch();
    out.assert_clean("corpus");
    // The corpus is mostly hostile: plenty of errors were looked at.
    assert!(out.calls >= 100, "{} calls", out.calls);
    assert!(out.errors >= 40, "{} errors", out.errors);
}

#[wasm_bindgen_test]
async fn the_token_never_shows_up_during_a_fault_run() {
    let sim = partner_usage_core::sim::Simulator::new(partner_usage_core::sim::SimConfig {
        seed: 4,
        customers: 12,
        ..Default::default()
    });
    let (first, end) = sim.usage_window();
    let window = json!({ "startTime": first.to_string(), "endTime": end.to_string() });
    let mut pairs = Vec::new();
    for c in sim.customers() {
        for s in &c.subscriptions {
            pairs.push(json!([c.id, s.id]));
        }
    }
    // Faults on half the requests, with no retries (every listing that meets
    // one fails with that fault's error) and with ten. And faults on nearly
    // every request with one retry, so that listings give up after retries
    // (with partial summaries): which request meets a fault depends on how
    // the concurrent listings interleave, so that must not decide whether
    // any gives up, and at half the requests a run sometimes had no page
    // fail twice in a row.
    for (max_retries, fault_rate) in [(0, 0.5), (1, 0.95), (10, 0.5)] {
        let c = client(
            json!({
                "simulator": { "seed": 4, "customers": 12, "faultRate": fault_rate, "retryAfterSecs": 0 },
                "token": SECRET, "maxRetries": max_retries, "concurrency": 4,
                "retry": { "baseDelayMs": 1, "maxDelayMs": 5 }
            }),
            &[],
        );
        let mut out = Captured::default();
        observe(
            &mut out,
            "usage",
            |o| c.customer_usage_records(o),
            json!({}),
        )
        .await;
        observe(
            &mut out,
            "usage summary",
            |o| c.customer_usage_summary(o),
            json!({}),
        )
        .await;
        let all = object(Value::Array(pairs.clone()), &[]);
        observe(
            &mut out,
            "resources",
            |o| c.resource_usage_summaries(all.clone(), o),
            json!({}),
        )
        .await;
        observe(
            &mut out,
            "utilization",
            |o| c.utilization_summaries(all.clone(), o),
            window.clone(),
        )
        .await;
        out.assert_clean(&format!("fault run, maxRetries {max_retries}"));
        assert!(
            out.text.contains("retries"),
            "progress events were captured"
        );
        match max_retries {
            0 => {
                assert!(
                    !out.text.contains("retries-exhausted"),
                    "at maxRetries 0 nothing is retried, so no retries run out"
                );
                assert!(
                    out.text.contains("\"http\""),
                    "at maxRetries 0 the listings that meet a fault fail with its HTTP error"
                );
            }
            1 => assert!(
                out.text.contains("retries-exhausted"),
                "at maxRetries 1 with faults on nearly every request, listings give up"
            ),
            _ => {}
        }
    }
}

#[wasm_bindgen_test]
async fn a_token_echoed_in_an_error_body_is_redacted() {
    // A proxy that echoes the `Authorization` header in its error body, in
    // the description and the code; and a long token (a JWT is often over a
    // thousand characters) cut off by the description's truncation.
    let long = "LONG-SECRET-".repeat(120);
    let from_callback = "pu-GETTOKEN-5e1d2b7a-SECRET";
    let cases = [
        ("static token", SECRET, false),
        ("getToken", from_callback, true),
        ("long static token", long.as_str(), false),
        ("long token from getToken", long.as_str(), true),
    ];
    for (name, token, from_get_token) in cases {
        let body = json!({
            "code": format!("Bearer {token}"),
            "description": format!("The header 'Authorization: Bearer {token}' is not valid."),
        });
        let script = json!([{ "status": 400, "body": body.to_string() }]).to_string();
        let source;
        let c = if from_get_token {
            source = token_source(&json!([token]).to_string());
            client(
                json!({ "baseUrl": BASE }),
                &[("getToken", &get(&source, "fn"))],
            )
        } else {
            client(json!({ "baseUrl": BASE, "token": token }), &[])
        };
        let log = mock_fetch(&script);
        let e = settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect_err(name);
        assert_eq!(requests_with(&log, token), 1, "{name}: the token was sent");
        let fields = error_fields(&e);
        assert_eq!(fields["status"], 400, "{name}");
        let dump = dump_error(&e);
        let head: String = token.chars().take(8).collect();
        assert!(!dump.contains(&head), "{name}: the token shows up: {dump}");
        assert!(
            fields["message"]
                .as_str()
                .is_some_and(|m| m.contains("Bearer [redacted]")),
            "{name}: {fields}"
        );
        assert!(
            fields["code"]
                .as_str()
                .is_some_and(|m| m.starts_with("Bearer [redacted]")),
            "{name}: {fields}"
        );
    }
    use_real_fetch();
}

#[wasm_bindgen_test]
async fn a_token_is_redacted_even_after_many_newer_tokens_were_sent() {
    // A slow answer echoing the token of a request sent before many others
    // (concurrent listings, clients, a getToken that rotates tokens), each
    // with its own token.
    let oldest = "pu-OLDEST-3c9e1f70-SECRET";
    let echo = json!({ "status": 400, "delayMs": 300,
        "body": json!({ "description": format!("Bearer {oldest} is not valid") }).to_string() });
    let empty = json!({ "status": 200, "headers": { "Content-Type": "application/json" },
        "body": r#"{"items":[],"links":{}}"# });
    let mut script = vec![echo];
    script.extend(std::iter::repeat_n(empty, 12));
    let log = mock_fetch(&json!(script).to_string());
    let first = client(json!({ "baseUrl": BASE, "token": oldest }), &[]);
    let pending = first.customer_usage_records(JsValue::UNDEFINED);
    for i in 0..12 {
        let token = format!("pu-NEWER-{i:02}-0123456789");
        let c = client(json!({ "baseUrl": BASE, "token": token }), &[]);
        settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect("an empty listing");
    }
    let e = settle(pending).await.expect_err("400");
    assert_eq!(requests_with(&log, oldest), 1);
    let sent_first = json(&log)[0]["headers"]["authorization"].clone();
    assert_eq!(
        sent_first,
        format!("Bearer {oldest}"),
        "the slow request went first"
    );
    let dump = dump_error(&e);
    assert!(!dump.contains("OLDEST"), "the token shows up: {dump}");
    assert!(error_fields(&e)["message"]
        .as_str()
        .is_some_and(|m| m.contains("Bearer [redacted]")));
    use_real_fetch();
}

/// How many logged requests carried `Bearer {token}`.
fn requests_with(log: &js_sys::Array, token: &str) -> usize {
    json(log)
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["headers"]["authorization"] == format!("Bearer {token}"))
        .count()
}
