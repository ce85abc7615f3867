//! The in-wasm simulator transport, against the core simulator's ground
//! truth: deterministic paging, faults, summaries and concurrency.

use super::*;
use partner_usage_core::sim::{SimConfig, Simulator, SubscriptionKind};
use partner_usage_core::time::Timestamp;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: &str = "2026-11-25T00:00:00Z";
const CUSTOMERS: usize = 30;

/// The same partner the client simulates (seed 1, 30 customers, fixed now).
fn truth() -> Simulator {
    Simulator::new(SimConfig {
        customers: CUSTOMERS,
        ..SimConfig::default()
    })
}

fn sim_client(fault_rate: f64, latency_ms: u32, extra: &[(&str, &JsValue)]) -> Client {
    client(
        json!({
            "simulator": { "seed": 1, "customers": CUSTOMERS, "now": NOW,
                           "faultRate": fault_rate, "latencyMs": latency_ms, "retryAfterSecs": 0 },
            "token": "t", "maxRetries": 10,
            "retry": { "baseDelayMs": 1, "maxDelayMs": 10 }
        }),
        extra,
    )
}

/// A legacy subscription with a few hundred utilization records.
fn legacy_subscription(sim: &Simulator) -> (String, String, u64) {
    sim.customers()
        .iter()
        .flat_map(|c| c.subscriptions.iter().map(move |s| (c, s)))
        .filter(|(_, s)| s.kind == SubscriptionKind::Legacy && s.utilization_records >= 300)
        .min_by_key(|(_, s)| s.utilization_records)
        .map(|(c, s)| (c.id.clone(), s.id.clone(), s.utilization_records))
        .expect("a legacy subscription")
}

fn window(sim: &Simulator) -> Value {
    let (first, end) = sim.usage_window();
    json!({ "startTime": first.to_string(), "endTime": end.to_string() })
}

#[wasm_bindgen_test]
async fn customer_usage_money_is_exact_to_the_last_digit() {
    let sim = truth();
    let c = sim_client(0.0, 0, &[]);
    let r = json(
        &settle(c.customer_usage_records(JsValue::UNDEFINED))
            .await
            .expect("records"),
    );
    let records = r.as_array().expect("an array");
    assert_eq!(records.len(), CUSTOMERS);
    for (rec, want) in records.iter().zip(sim.customers()) {
        assert_eq!(rec["id"], want.id.as_str());
        assert_eq!(rec["name"], want.name.as_str());
        assert_eq!(rec["totalCost"], want.total_cost.as_str(), "{}", want.id);
        assert_eq!(rec["usdTotalCost"], want.usd_total_cost.as_str());
        assert_eq!(rec["isUpgraded"], want.is_upgraded);
        assert!(rec["lastModifiedDate"].is_string());
    }
    assert!(records.iter().any(|r| r["totalCost"]
        .as_str()
        .is_some_and(|s| s.split('.').nth(1).is_some_and(|f| f.len() > 15))));
}

#[wasm_bindgen_test]
async fn utilization_pages_in_order_with_progress() {
    let sim = truth();
    let (cid, sid, total) = legacy_subscription(&sim);
    let c = sim_client(0.0, 0, &[]);
    let progress = progress_recorder();
    let mut q = window(&sim);
    q["size"] = json!(100);
    let r = settle(c.azure_utilization(
        cid.as_str().into(),
        sid.as_str().into(),
        call_options(q, None, Some(&get(&progress, "fn"))),
    ))
    .await
    .expect("records");
    let records = json(&r);
    assert_eq!(records.as_array().map(|a| a.len() as u64), Some(total));
    let events = recorded(&progress, "events");
    let pages = total.div_ceil(100);
    assert_eq!(events.len() as u64, pages);
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["pages"], i + 1);
        assert_eq!(e["retries"], 0);
        let expected = ((i as u64 + 1) * 100).min(total);
        assert_eq!(e["records"], expected);
    }
    assert!(records[0]["quantity"].is_string());
    assert!(records[0]["usageStartTime"].is_string());
}

#[wasm_bindgen_test]
async fn faults_are_retried_and_give_exactly_the_same_data() {
    let sim = truth();
    let (cid, sid, total) = legacy_subscription(&sim);
    let mut q = window(&sim);
    q["size"] = json!(50);
    let clean = settle(sim_client(0.0, 0, &[]).azure_utilization(
        cid.as_str().into(),
        sid.as_str().into(),
        object(q.clone(), &[]),
    ))
    .await
    .expect("clean");
    let progress = progress_recorder();
    let faulty = settle(sim_client(0.35, 0, &[]).azure_utilization(
        cid.as_str().into(),
        sid.as_str().into(),
        call_options(q, None, Some(&get(&progress, "fn"))),
    ))
    .await
    .expect("recovers from 429, 5xx, 204, truncated bodies and dropped connections");
    assert_eq!(json(&clean), json(&faulty));
    assert_eq!(
        json(&faulty).as_array().map(|a| a.len() as u64),
        Some(total)
    );
    let events = recorded(&progress, "events");
    let retries = events.last().expect("events")["retries"].as_u64().unwrap();
    assert!(retries > 0, "no fault was injected");
}

#[wasm_bindgen_test]
async fn subscriptions_say_which_endpoint_serves_them() {
    let sim = truth();
    let c = sim_client(0.0, 0, &[]);
    let customer = &sim.customers()[0];
    let r = json(
        &settle(c.subscriptions(customer.id.as_str().into(), JsValue::UNDEFINED))
            .await
            .expect("subscriptions"),
    );
    let subs = r.as_array().expect("array");
    assert_eq!(subs.len(), customer.subscriptions.len());
    for (got, want) in subs.iter().zip(&customer.subscriptions) {
        assert_eq!(got["id"], want.id.as_str());
        let kind = match want.kind {
            SubscriptionKind::AzurePlan => "azure-plan",
            SubscriptionKind::Legacy => "legacy-azure",
            _ => "other",
        };
        assert_eq!(got["subscriptionKind"], kind);
    }
    let customers = json(
        &settle(c.customers(JsValue::UNDEFINED))
            .await
            .expect("customers"),
    );
    assert_eq!(customers.as_array().map(Vec::len), Some(CUSTOMERS));
}

#[wasm_bindgen_test]
async fn streaming_summaries_equal_offline_summaries_of_the_records() {
    let c = sim_client(0.0, 0, &[]);
    let streamed = settle(c.customer_usage_summary(object(json!({ "topN": 5 }), &[])))
        .await
        .expect("summary");
    let records = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect("records");
    let bytes = to_json(&records);
    let offline = partner_usage_wasm::summarize_customer_usage(
        bytes.as_bytes(),
        object(json!({ "topN": 5 }), &[]),
    )
    .expect("offline summary");
    let s = json(&streamed);
    assert_eq!(s, json(&offline));
    assert_eq!(s["records"], CUSTOMERS);
    assert_eq!(s["top"].as_array().map(Vec::len), Some(6));
    assert!(s["usd"].is_string() && s["usdNumber"].is_number());
}

#[wasm_bindgen_test]
async fn utilization_summary_has_typed_array_series() {
    let sim = truth();
    let (cid, sid, total) = legacy_subscription(&sim);
    let c = sim_client(0.0, 0, &[]);
    let mut o = window(&sim);
    o["bucket"] = json!("week");
    o["groupBy"] = json!("category");
    let s = settle(c.utilization_summary(cid.as_str().into(), sid.as_str().into(), object(o, &[])))
        .await
        .expect("summary");
    let starts = get(&s, "bucketStarts");
    assert!(is_float64_array(&starts));
    let series = js_sys::Array::from(&get(&s, "series"));
    assert!(series.length() > 0);
    let n = js_sys::Float64Array::from(starts.clone()).length();
    for item in series.iter() {
        let values = get(&item, "values");
        assert!(is_float64_array(&values));
        assert_eq!(js_sys::Float64Array::from(values).length(), n);
    }
    let j = json(&s);
    assert_eq!(j["records"], total);
    assert_eq!(j["bucket"], "week");
    assert!(j["series"][0]["exactValues"][0].is_string());
}

/// Usage reported a day late (the simulator's `reportDelayHours`): a
/// window's summary keeps the usage of the day before it, on that day, and
/// its buckets still cover the whole window. Streamed and offline agree.
#[wasm_bindgen_test]
async fn usage_reported_late_is_kept_on_its_own_day() {
    let sim = truth();
    let (cid, sid, _) = legacy_subscription(&sim);
    let (first, _) = sim.usage_window();
    let day = |n: i64| first.add_seconds(n * 86_400).to_string();
    let late = client(
        json!({
            "simulator": { "seed": 1, "customers": CUSTOMERS, "now": NOW, "reportDelayHours": 24 },
            "token": "t"
        }),
        &[],
    );
    // Reported on days 5 to 7: used on days 4 to 6.
    let o = json!({ "startTime": day(5), "endTime": day(8), "bucket": "day" });
    let streamed = json(
        &settle(late.utilization_summary(
            cid.as_str().into(),
            sid.as_str().into(),
            object(o.clone(), &[]),
        ))
        .await
        .expect("summary"),
    );
    let ms = |n: i64| first.add_seconds(n * 86_400).unix_seconds() as f64 * 1000.0;
    let starts: Vec<f64> = streamed["bucketStarts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(
        starts,
        [ms(4), ms(5), ms(6), ms(7)],
        "day 4 (used before the window) to day 7"
    );
    let values = |s: &Value| -> Vec<Value> {
        s["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["exactValues"].clone())
            .collect()
    };
    assert!(values(&streamed).iter().all(|v| v[0] != "0" && v[3] == "0"));

    // The same records, fetched and then summarised offline.
    let records = settle(late.azure_utilization(
        cid.as_str().into(),
        sid.as_str().into(),
        object(json!({ "startTime": day(5), "endTime": day(8) }), &[]),
    ))
    .await
    .expect("records");
    let offline = json(
        &partner_usage_wasm::summarize_utilization(to_json(&records).as_bytes(), object(o, &[]))
            .expect("offline summary"),
    );
    assert_eq!(offline["records"], streamed["records"]);
    assert_eq!(values(&offline), values(&streamed));

    // The summary names its window, in the options' words: spread into the
    // offline summary's options (with the query's granularity), the same.
    let utc = |t: String| Timestamp::parse(&t).unwrap().to_utc().to_string();
    assert_eq!(
        streamed["window"],
        json!({ "startTime": utc(day(5)), "endTime": utc(day(8)) })
    );
    let mut again = streamed["window"].clone();
    again["granularity"] = json!("daily");
    again["bucket"] = json!("day");
    let offline = json(
        &partner_usage_wasm::summarize_utilization(
            to_json(&records).as_bytes(),
            object(again, &[]),
        )
        .expect("offline summary in the window's words"),
    );
    assert_eq!(offline["bucketStarts"], streamed["bucketStarts"]);
    assert_eq!(offline["window"], streamed["window"]);
}

#[wasm_bindgen_test]
async fn many_subscriptions_run_concurrently_and_merge() {
    let sim = truth();
    let plans: Vec<(String, String, String)> = sim
        .customers()
        .iter()
        .flat_map(|c| c.subscriptions.iter().map(move |s| (c, s)))
        // With usage (the simulator's new tenant has none: no currency totals).
        .filter(|(_, s)| s.kind == SubscriptionKind::AzurePlan && s.resource_records > 0)
        .take(5)
        .map(|(c, s)| (c.id.clone(), s.id.clone(), s.total_cost.clone()))
        .collect();
    assert_eq!(plans.len(), 5);
    let mut pairs: Vec<Value> = plans
        .iter()
        .map(|(c, s, _)| json!({ "customerId": c, "subscriptionId": s }))
        .collect();
    pairs.push(json!([plans[0].0, "00000000-0000-0000-0000-000000000000"]));
    let c = client(
        json!({
            "simulator": { "seed": 1, "customers": CUSTOMERS, "now": NOW, "latencyMs": 200 },
            "token": "t", "concurrency": 3
        }),
        &[],
    );
    let progress = progress_recorder();
    let t0 = now();
    let r = settle(c.resource_usage_summaries(
        object(json!(pairs), &[]),
        call_options(
            json!({ "groupBy": "resource-type" }),
            None,
            Some(&get(&progress, "fn")),
        ),
    ))
    .await
    .expect("summaries");
    let elapsed = now() - t0;
    let j = json(&r);
    assert_eq!(j["failed"], 1);
    let subs = j["subscriptions"].as_array().expect("array");
    assert_eq!(subs.len(), 6);
    for (i, (cid, sid, total)) in plans.iter().enumerate() {
        assert_eq!(subs[i]["customerId"], cid.as_str());
        assert_eq!(subs[i]["subscriptionId"], sid.as_str());
        assert_eq!(subs[i]["error"], Value::Null);
        let cost = &subs[i]["summary"]["currencyTotals"][0]["amount"];
        assert_eq!(cost, total.as_str(), "{sid}");
    }
    let failed = get(
        &js_sys::Array::from(&get(&r, "subscriptions")).get(5),
        "error",
    );
    let e = error_fields(&failed);
    assert_eq!(e["status"], 404);
    assert_eq!(e["code"], "800011");
    let merged: u64 = j["summary"]["records"].as_u64().unwrap();
    let sum: u64 = subs[..5]
        .iter()
        .map(|s| s["summary"]["records"].as_u64().unwrap())
        .sum();
    assert_eq!(merged, sum);
    let events = recorded(&progress, "events");
    let last = events.last().expect("events");
    assert_eq!(last["listings"], 6);
    assert_eq!(last["completed"], 6);
    // Six 200 ms listings, three at a time, take about two rounds, not six.
    assert!(
        elapsed < 900.0,
        "{elapsed} ms: the listings did not overlap"
    );
}

#[wasm_bindgen_test]
async fn abort_cancels_a_simulated_slow_response() {
    let c = sim_client(0.0, 60_000, &[]);
    let ctl = controller();
    abort_after(&ctl, 30.0);
    let t0 = now();
    let err = settle(c.customer_usage_summary(call_options(json!({}), Some(&ctl.signal()), None)))
        .await
        .expect_err("aborted");
    assert!(now() - t0 < 5_000.0);
    let e = error_fields(&err);
    assert_eq!(e["name"], "AbortError");
    assert_eq!(e["kind"], "aborted");
}

#[wasm_bindgen_test]
async fn the_forbidden_token_gets_a_403() {
    let c = client(
        json!({ "simulator": { "customers": 3, "now": NOW }, "token": "forbidden" }),
        &[],
    );
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("403");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "http");
    assert_eq!(e["status"], 403);
    assert_eq!(e["code"], "Forbidden");
    assert_eq!(e["requestId"].as_str().map(str::len), Some(36));
}

#[wasm_bindgen_test]
async fn named_faults_are_the_ones_the_client_meets() {
    let c = client(
        json!({ "simulator": { "customers": 3, "now": NOW, "faultRate": 1, "faults": ["server-error"] },
                "token": "t", "maxRetries": 0 }),
        &[],
    );
    let err = settle(c.customer_usage_records(JsValue::UNDEFINED))
        .await
        .expect_err("a server error");
    let e = error_fields(&err);
    assert_eq!(e["kind"], "http");
    assert!(e["status"] == 500 || e["status"] == 503, "{e}");
}

#[wasm_bindgen_test]
async fn faults_change_nothing_for_several_seeds_and_every_endpoint() {
    // Each seed makes another partner and another sequence of faults; the
    // streaming summaries read each body once, inside the paginator, and
    // must take a cut body whole or not at all.
    let mut retries = 0u64;
    for seed in [2u64, 3, 5] {
        let sim = Simulator::new(SimConfig {
            seed,
            customers: 12,
            ..SimConfig::default()
        });
        let (first, end) = sim.usage_window();
        let window =
            json!({ "startTime": first.to_string(), "endTime": end.to_string(), "size": 100 });
        let mut plans = Vec::new();
        let mut legacy = Vec::new();
        for c in sim.customers() {
            for s in &c.subscriptions {
                match s.kind {
                    SubscriptionKind::AzurePlan => plans.push(json!([c.id, s.id])),
                    SubscriptionKind::Legacy => legacy.push(json!([c.id, s.id])),
                    _ => {}
                }
            }
        }
        assert!(!plans.is_empty() && !legacy.is_empty(), "seed {seed}");
        let (lc, ls) = (legacy[0][0].clone(), legacy[0][1].clone());
        let mut outcomes = Vec::new();
        for fault_rate in [0.0, 0.3] {
            let c = client(
                json!({
                    "simulator": { "seed": seed, "customers": 12, "now": NOW,
                                   "faultRate": fault_rate, "retryAfterSecs": 0 },
                    "token": "t", "maxRetries": 12, "concurrency": 4,
                    "retry": { "baseDelayMs": 1, "maxDelayMs": 5 }
                }),
                &[],
            );
            let progress = progress_recorder();
            let on = |o: Value| call_options(o, None, Some(&get(&progress, "fn")));
            let mut got = Vec::new();
            for p in [
                c.customer_usage_records(on(json!({}))),
                c.customer_usage_summary(on(json!({ "topN": 5 }))),
                c.resource_usage_summaries(object(Value::Array(plans.clone()), &[]), on(json!({}))),
                c.utilization_summaries(
                    object(Value::Array(legacy.clone()), &[]),
                    on(window.clone()),
                ),
                c.azure_utilization(
                    lc.as_str().unwrap_or_default().into(),
                    ls.as_str().unwrap_or_default().into(),
                    on(window.clone()),
                ),
            ] {
                let v = settle(p).await.unwrap_or_else(|e| {
                    panic!("seed {seed}, faults {fault_rate}: {}", json_err(&e))
                });
                got.push(without_retries(json(&v)));
            }
            let n: u64 = recorded(&progress, "events")
                .iter()
                .filter_map(|e| e["retries"].as_u64())
                .max()
                .unwrap_or(0);
            if fault_rate > 0.0 {
                retries += n;
            } else {
                assert_eq!(n, 0);
            }
            outcomes.push(got);
        }
        assert_eq!(outcomes[1][2]["failed"], 0, "seed {seed}");
        assert_eq!(outcomes[1][3]["failed"], 0, "seed {seed}");
        for (i, what) in [
            "usage records",
            "usage summary",
            "resource summaries",
            "utilization summaries",
            "utilization records",
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(
                outcomes[0][i], outcomes[1][i],
                "seed {seed}: {what} differ under faults"
            );
        }
    }
    assert!(retries > 10, "faults were injected and retried: {retries}");
}

/// A result with every `retries` count taken out: the only thing faults
/// may change.
fn without_retries(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, _)| k != "retries")
                .map(|(k, v)| (k, without_retries(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_retries).collect()),
        other => other,
    }
}

/// `onPage` hands over each page's body once it is summarised, and
/// `summarizeUtilizationPages` reads those pages back: the summary the
/// stream gave, and with other options the one the client would stream.
#[wasm_bindgen_test]
async fn kept_pages_summarise_as_the_stream_does() {
    let sim = truth();
    let (cid, sid, total) = legacy_subscription(&sim);
    let c = sim_client(0.0, 0, &[]);
    let pages = js_sys::Array::new();
    let keep = Closure::<dyn FnMut(JsValue)>::new({
        let pages = pages.clone();
        move |body: JsValue| {
            pages.push(&body);
        }
    });
    // The window and summary options; the stream also takes a page size.
    let offline = |summary: &Value| {
        let mut o = window(&sim);
        for (k, v) in summary.as_object().expect("an object") {
            o[k] = v.clone();
        }
        o
    };
    let online = |summary: &Value| {
        let mut o = offline(summary);
        o["size"] = json!(100);
        o
    };
    let stream = |o: Value, extra: &[(&str, &JsValue)]| {
        settle(c.utilization_summary(cid.as_str().into(), sid.as_str().into(), object(o, extra)))
    };
    let summary = json!({ "bucket": "day", "groupBy": "category" });
    let first = stream(online(&summary), &[("onPage", keep.as_ref())])
        .await
        .expect("summary");
    assert_eq!(
        pages.length(),
        (total as u32).div_ceil(100),
        "one body per page"
    );
    assert!(pages
        .iter()
        .all(|p| p.is_instance_of::<js_sys::Uint8Array>()));
    let again = partner_usage_wasm::summarize_utilization_pages(
        pages.clone().into(),
        object(offline(&summary), &[]),
    )
    .expect("summarised");
    assert_eq!(json(&again), json(&first));
    assert_eq!(json(&again)["records"], total);

    // Other options: as the client streams them.
    let other = json!({ "bucket": "week", "groupBy": "meter" });
    let kept = partner_usage_wasm::summarize_utilization_pages(
        pages.clone().into(),
        object(offline(&other), &[]),
    )
    .expect("summarised");
    assert_eq!(
        json(&kept),
        json(&stream(online(&other), &[]).await.expect("summary"))
    );

    // An onPage that throws; pages that aren't bytes; onPage over many listings.
    let err = stream(online(&summary), &[("onPage", &thrower("full"))])
        .await
        .expect_err("onPage threw");
    assert_eq!(error_fields(&err)["kind"], "callback");
    let err = partner_usage_wasm::summarize_utilization_pages(
        js_sys::Array::of1(&JsValue::from_str("{}")).into(),
        JsValue::UNDEFINED,
    )
    .expect_err("a string page");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
    let pairs = js_sys::JSON::parse(&json!([[cid, sid]]).to_string()).expect("JSON");
    let err =
        settle(c.utilization_summaries(pairs, object(window(&sim), &[("onPage", keep.as_ref())])))
            .await
            .expect_err("onPage over many listings");
    assert_eq!(error_fields(&err)["kind"], "invalid-input");
}

#[wasm_bindgen_test]
fn simulator_options_over_their_limits_are_refused_not_capped() {
    for (simulator, needle) in [
        (
            json!({ "reportDelayHours": 721 }),
            "`simulator.reportDelayHours` must be at most 720",
        ),
        (
            json!({ "customers": 10_001 }),
            "`simulator.customers` must be at most 10000",
        ),
    ] {
        let err = Client::new(object(json!({ "simulator": simulator, "token": "t" }), &[]))
            .expect_err("over the limit");
        assert_error(&err, "invalid-input", needle);
    }
    assert!(Client::new(object(
        json!({ "simulator": { "reportDelayHours": 720 }, "token": "t" }),
        &[]
    ))
    .is_ok());
}
