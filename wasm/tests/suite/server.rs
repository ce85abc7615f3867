//! Real `fetch` against the pc-sim server (`PC_SIM_URL`, set at compile
//! time by `cargo xtask test`, which starts the server with `--seed 1`):
//! CORS preflights, exposed headers and real HTTP errors.

use super::*;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

/// The server's base URL.
fn base() -> &'static str {
    // Read at compile time so the same test binary runs in Node and in the
    // browser; a missing value fails these tests (not the whole suite) clearly.
    match option_env!("PC_SIM_URL") {
        Some(url) => url,
        None => panic!(
            "PC_SIM_URL is not set: run `cargo xtask test`, or start pc-sim and build the wasm tests with PC_SIM_URL=http://127.0.0.1:PORT"
        ),
    }
}

fn http_client(token: &str) -> Client {
    use_real_fetch();
    client(
        json!({ "baseUrl": base(), "token": token, "retry": { "baseDelayMs": 5, "maxDelayMs": 50 } }),
        &[],
    )
}

async fn truth() -> Value {
    use_real_fetch();
    json(
        &settle(fetch_json(&format!("{}/sim/truth", base())))
            .await
            .expect("GET /sim/truth"),
    )
}

#[wasm_bindgen_test]
async fn customer_usage_over_http_is_exact() {
    let t = truth().await;
    let c = http_client("t");
    let r = json(
        &settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect("records over HTTP"),
    );
    let want = t["customers"].as_array().expect("customers");
    let got = r.as_array().expect("records");
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g["id"], w["id"]);
        assert_eq!(g["totalCost"], w["totalCost"]);
        assert_eq!(g["usdTotalCost"], w["usdTotalCost"]);
    }
}

#[wasm_bindgen_test]
async fn utilization_pages_over_http() {
    let t = truth().await;
    let (cid, sub) = t["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .flat_map(|c| {
            c["subscriptions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |s| (c["id"].clone(), s.clone()))
        })
        .filter(|(_, s)| s["kind"] == "legacy" && s["utilizationRecords"].as_u64() >= Some(300))
        .min_by_key(|(_, s)| s["utilizationRecords"].as_u64())
        .expect("a legacy subscription");
    let total = sub["utilizationRecords"].as_u64().unwrap();
    let c = http_client("t");
    let progress = progress_recorder();
    let q = json!({ "startTime": t["usageWindow"]["start"], "endTime": t["usageWindow"]["end"], "size": 250 });
    let r = settle(c.azure_utilization(
        cid.as_str().unwrap_or("").into(),
        sub["id"].as_str().unwrap_or("").into(),
        call_options(q, None, Some(&get(&progress, "fn"))),
    ))
    .await
    .expect("records over HTTP");
    assert_eq!(json(&r).as_array().map(|a| a.len() as u64), Some(total));
    let events = recorded(&progress, "events");
    assert_eq!(events.len() as u64, total.div_ceil(250));
    assert!(events.len() > 1);
}

#[wasm_bindgen_test]
async fn http_errors_carry_the_exposed_request_id() {
    let c = http_client("t");
    let err = settle(c.subscriptions(
        "00000000-0000-0000-0000-000000000000".into(),
        JsValue::UNDEFINED,
    ))
    .await
    .expect_err("unknown customer");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "http");
    assert_eq!(e["status"], 404);
    assert_eq!(e["code"], "20002");
    assert_eq!(e["requestId"].as_str().map(str::len), Some(36));

    let c = http_client("forbidden");
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("forbidden token");
    let e = error_fields(&err);
    assert_eq!(e["status"], 403);
    assert!(!e["message"].as_str().unwrap().contains("Bearer"));
}

#[wasm_bindgen_test]
async fn an_expired_token_is_replaced_once_and_app_only_tokens_are_refused_where_partner_center_does(
) {
    // pc-sim answers 401 to the token `expired`: the client asks getToken
    // for a fresh one once, and the listing goes on with it.
    use_real_fetch();
    let tokens = token_source(r#"["expired", "fresh"]"#);
    let c = client(
        json!({ "baseUrl": base(), "retry": { "baseDelayMs": 5, "maxDelayMs": 50 } }),
        &[("getToken", &get(&tokens, "fn"))],
    );
    let r = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("succeeds with the fresh token");
    assert!(json(&r).as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(recorded(&tokens, "calls"), vec![json!(false), json!(true)]);

    // Always expired: the second 401 is final, with the server's words.
    let tokens = token_source(r#"["expired", "expired"]"#);
    let c = client(
        json!({ "baseUrl": base() }),
        &[("getToken", &get(&tokens, "fn"))],
    );
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("401 twice");
    let e = error_fields(&err);
    assert_eq!(
        (e["kind"].as_str(), e["status"].as_u64()),
        (Some("http"), Some(401))
    );
    assert!(e["message"].as_str().unwrap().contains("expired"), "{e}");
    assert_eq!(recorded(&tokens, "calls").len(), 2);

    // An app-only token: customer usage records need app+user credentials
    // (403, not retried, getToken not asked again); the customers list and
    // a customer's subscriptions take it.
    let t = truth().await;
    let c = http_client("app-only");
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("app-only token");
    let e = error_fields(&err);
    assert_eq!(
        (e["kind"].as_str(), e["status"].as_u64()),
        (Some("http"), Some(403))
    );
    assert!(e["message"].as_str().unwrap().contains("app+user"), "{e}");
    let id = t["customers"][0]["id"].as_str().unwrap_or("");
    let subs = settle(c.subscriptions(id.into(), JsValue::UNDEFINED))
        .await
        .expect("subscriptions with an app-only token");
    assert!(json(&subs).as_array().is_some_and(|a| !a.is_empty()));
}

#[wasm_bindgen_test]
async fn abort_over_http() {
    let c = http_client("t");
    let ctl = controller();
    let p = c.customer_usage_records(call_options(json!({}), Some(&ctl.signal()), None));
    ctl.abort();
    let err = settle(p).await.expect_err("aborted");
    assert_eq!(error_fields(&err)["name"], "AbortError");
}

#[wasm_bindgen_test]
async fn a_closed_port_is_a_network_error() {
    use_real_fetch();
    let c = client(
        json!({ "baseUrl": "http://127.0.0.1:9", "token": "t", "maxRetries": 1,
                "retry": { "baseDelayMs": 1, "maxDelayMs": 5 } }),
        &[],
    );
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("nothing listens on port 9");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "retries-exhausted");
    assert_eq!(e["status"], Value::Null);
    assert!(e["message"].as_str().unwrap().contains("network error"));
}
