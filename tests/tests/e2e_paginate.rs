//! End to end: the core's sans-IO paginator, driven over real HTTP (reqwest)
//! against the pc-sim server, fetches every customer usage record, every
//! customer and subscription, every resource usage record and every
//! utilization record, with no loss and no duplicates, and with faults
//! (fault rate 0.2: throttling, 5xx, "not ready", truncated bodies, dropped
//! connections) giving exactly the same result as without, for several
//! seeds (each seeds other data and other faults).
//!
//! The streaming path runs alongside: every resource and utilization page is
//! also consumed inside `handle_response` (the utilization pages by the
//! scanning summariser, which must take a cut body whole or not at all), and
//! the exact summaries must match the fault-free run too.

use partner_usage_core::aggregate::{
    ResourceOptions, ResourceSummariser, UtilizationOptions, UtilizationSummariser,
};
use partner_usage_core::endpoint::{CustomerId, Endpoint, SubscriptionId, UtilizationQuery};
use partner_usage_core::error::Error;
use partner_usage_core::http::{Method, Response};
use partner_usage_core::link::BaseUrl;
use partner_usage_core::paginate::{decode_raw_page, Action, Paginator, PaginatorConfig};
use partner_usage_core::retry::RetryConfig;
use partner_usage_core::sim::SimConfig;
use partner_usage_core::time::Timestamp;
use partner_usage_tests::{spawn, LogSink, ServerConfig};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The bearer token every request carries.
const TOKEN: &str = "e2e-token-5ecret";

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as i64
}

/// What one listing produced, and how hard it was.
struct Listing {
    items: Vec<String>,
    retries: u32,
    transport_errors: u32,
}

/// Consumes a page body (1-based page number) inside `handle_response`:
/// whole or not at all.
type Consume<'a> = dyn FnMut(u32, &[u8]) -> Result<(), Error> + 'a;

/// Drives one paginator to the end over HTTP; items come back as raw JSON,
/// and each page is handed to `consume` first.
async fn run(
    http: &reqwest::Client,
    base: &BaseUrl,
    endpoint: Endpoint,
    consume: &mut Consume<'_>,
) -> Listing {
    let mut retry = RetryConfig::default()
        .max_retries(30)
        .delays(1, 20)
        .max_total_delay_ms(600_000);
    retry.max_not_ready = 30;
    let config = PaginatorConfig::default().retry(retry);
    let mut p = Paginator::new(base, &endpoint, config, 7);
    let mut items = Vec::new();
    let mut transport_errors = 0;
    loop {
        match p.poll(now_ms()) {
            Action::Send(req) => {
                assert_eq!(req.method, Method::Get);
                assert!(base.is_same_origin(&req.url), "{}", req.url);
                let mut rb = http.get(&req.url).bearer_auth(TOKEN);
                for (k, v) in &req.headers {
                    rb = rb.header(k.as_str(), v.as_str());
                }
                let sent = match rb.send().await {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        let headers: Vec<(String, String)> = res
                            .headers()
                            .iter()
                            .filter_map(|(k, v)| {
                                Some((k.as_str().to_string(), v.to_str().ok()?.to_string()))
                            })
                            .collect();
                        res.bytes().await.map(|b| (status, headers, b))
                    }
                    Err(e) => Err(e),
                };
                match sent {
                    Ok((status, headers, body)) => {
                        let resp = Response {
                            status,
                            headers: &headers,
                            body: &body,
                        };
                        let page_no = p.progress().pages + 1;
                        let page = p
                            .handle_response(now_ms(), resp, |body| -> Result<_, Error> {
                                consume(page_no, body)?;
                                Ok(decode_raw_page(body)?)
                            })
                            .unwrap_or_else(|e| panic!("{endpoint:?}: {e}"));
                        if let Some(page) = page {
                            items.extend(page.items.iter().map(|r| r.get().to_string()));
                        }
                    }
                    Err(e) => {
                        transport_errors += 1;
                        assert!(!format!("{e:?}").contains(TOKEN), "{e:?}");
                        p.handle_transport_error(now_ms(), &e.to_string())
                            .unwrap_or_else(|e| panic!("{endpoint:?}: {e}"));
                    }
                }
            }
            Action::Wait { until_ms } => {
                let ms = (until_ms - now_ms()).clamp(0, 5_000) as u64;
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            Action::RefreshToken => p.token_refreshed(),
            Action::Complete => break,
            Action::Failed(e) => panic!("{endpoint:?}: {e}"),
        }
    }
    assert!(p.is_complete(), "{endpoint:?} did not complete");
    Listing {
        items,
        retries: p.progress().retries,
        transport_errors,
    }
}

/// Everything the portal would fetch, keyed by listing, and the exact
/// summaries streamed alongside (as JSON).
#[derive(Debug, PartialEq)]
struct World {
    listings: BTreeMap<String, Vec<String>>,
    summaries: BTreeMap<String, Value>,
}

fn ignore(_: u32, _: &[u8]) -> Result<(), Error> {
    Ok(())
}

fn id(v: &str, key: &str) -> String {
    let v: Value = serde_json::from_str(v).unwrap();
    v[key].as_str().unwrap().to_string()
}

fn assert_unique(items: &[String], key: impl Fn(&Value) -> String, what: &str) {
    let mut seen = BTreeSet::new();
    for it in items {
        let v: Value = serde_json::from_str(it).unwrap();
        assert!(seen.insert(key(&v)), "duplicate in {what}: {it}");
    }
}

async fn fetch_everything(seed: u64, fault_rate: f64) -> (World, u32, u32) {
    let (log, lines) = LogSink::memory();
    let sim = SimConfig {
        seed,
        customers: 40,
        fault_rate,
        retry_after_secs: 0,
        ..SimConfig::default()
    };
    let addr = spawn(
        ServerConfig {
            sim,
            site: None,
            upstream: None,
            log,
        },
        0,
    )
    .await
    .unwrap();
    let origin = format!("http://{addr}");
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let truth: Value = http
        .get(format!("{origin}/sim/truth"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let base = BaseUrl::parse(&origin).unwrap();
    let mut listings = BTreeMap::new();
    let mut summaries = BTreeMap::new();
    let mut retries = 0;
    let mut transport_errors = 0;
    let mut record = |name: String, l: Listing, listings: &mut BTreeMap<String, Vec<String>>| {
        retries += l.retries;
        transport_errors += l.transport_errors;
        listings.insert(name, l.items);
    };

    let usage = run(&http, &base, Endpoint::CustomerUsageRecords, &mut ignore).await;
    let truth_ids: Vec<String> = truth["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let usage_ids: Vec<String> = usage.items.iter().map(|i| id(i, "id")).collect();
    assert_eq!(usage_ids, truth_ids, "every customer usage record, once");
    record("usagerecords".into(), usage, &mut listings);

    let customers = run(&http, &base, Endpoint::customers(15).unwrap(), &mut ignore).await;
    let ids: Vec<String> = customers.items.iter().map(|i| id(i, "id")).collect();
    assert_eq!(ids, truth_ids, "every customer, once, over 3 pages");
    record("customers".into(), customers, &mut listings);

    let (first, end) = (
        Timestamp::parse(truth["usageWindow"]["start"].as_str().unwrap()).unwrap(),
        Timestamp::parse(truth["usageWindow"]["end"].as_str().unwrap()).unwrap(),
    );
    for c in truth["customers"].as_array().unwrap() {
        let cid = c["id"].as_str().unwrap();
        let customer = CustomerId::new(cid).unwrap();
        let subs = run(
            &http,
            &base,
            Endpoint::Subscriptions {
                customer: customer.clone(),
            },
            &mut ignore,
        )
        .await;
        let sub_ids: Vec<String> = subs.items.iter().map(|i| id(i, "id")).collect();
        let truth_subs = c["subscriptions"].as_array().unwrap();
        let expected: Vec<String> = truth_subs
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(sub_ids, expected);
        record(format!("subscriptions {cid}"), subs, &mut listings);
        for s in truth_subs {
            let sid = s["id"].as_str().unwrap();
            let subscription = SubscriptionId::new(sid).unwrap();
            match s["kind"].as_str().unwrap() {
                "azurePlan" => {
                    let mut sum = ResourceSummariser::new(ResourceOptions::default());
                    let l = run(
                        &http,
                        &base,
                        Endpoint::ResourceUsageRecords {
                            customer: customer.clone(),
                            subscription,
                        },
                        &mut |page, body| {
                            let (raw, _) = decode_raw_page(body)?;
                            sum.add_page(page, &raw.items)
                        },
                    )
                    .await;
                    assert_eq!(l.items.len() as u64, s["resourceRecords"].as_u64().unwrap());
                    let summary = sum.finish().unwrap();
                    assert_eq!(summary.records, l.items.len() as u64);
                    summaries.insert(
                        format!("resources {cid} {sid}"),
                        serde_json::to_value(&summary).unwrap(),
                    );
                    record(format!("resources {cid} {sid}"), l, &mut listings);
                }
                "legacy" => {
                    let query = UtilizationQuery::new(first, end)
                        .unwrap()
                        .size(300)
                        .unwrap();
                    let mut sum =
                        UtilizationSummariser::new(UtilizationOptions::default()).unwrap();
                    let l = run(
                        &http,
                        &base,
                        Endpoint::AzureUtilization {
                            customer: customer.clone(),
                            subscription,
                            query,
                        },
                        &mut |page, body| sum.add_scanned_page(page, body).map(drop),
                    )
                    .await;
                    let summary = sum.finish().unwrap();
                    assert_eq!(summary.records, l.items.len() as u64, "{sid}");
                    summaries.insert(
                        format!("utilization {cid} {sid}"),
                        serde_json::to_value(&summary).unwrap(),
                    );
                    assert_eq!(
                        l.items.len() as u64,
                        s["utilizationRecords"].as_u64().unwrap(),
                        "every utilization record of {sid}"
                    );
                    assert_unique(
                        &l.items,
                        |v| {
                            format!(
                                "{} {}",
                                v["usageStartTime"], v["instanceData"]["resourceUri"]
                            )
                        },
                        sid,
                    );
                    record(format!("utilization {cid} {sid}"), l, &mut listings);
                }
                _ => {}
            }
        }
    }
    for (name, items) in &listings {
        if name.starts_with("resources") {
            assert_unique(items, |v| v["resourceUri"].to_string(), name);
        }
    }
    // The server logged every request (with the faults it injected); the
    // bearer token is in none of the lines.
    let lines = lines.lock().unwrap();
    assert!(lines.len() > 100, "{} log lines", lines.len());
    for line in lines.iter() {
        assert!(!line.contains(TOKEN), "the token is in a log line: {line}");
    }
    (
        World {
            listings,
            summaries,
        },
        retries,
        transport_errors,
    )
}

/// The seeds of the fault runs: each one generates another partner and
/// another sequence of faults.
const SEEDS: [u64; 3] = [1, 2, 3];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_paginator_fetches_everything_with_and_without_faults() {
    let mut total_retries = 0;
    let mut total_drops = 0;
    let mut total_records = 0;
    for seed in SEEDS {
        let (clean, retries, drops) = fetch_everything(seed, 0.0).await;
        assert_eq!((retries, drops), (0, 0), "seed {seed}");
        let kinds: BTreeSet<&str> = clean
            .listings
            .keys()
            .map(|k| k.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            kinds,
            BTreeSet::from([
                "customers",
                "resources",
                "subscriptions",
                "usagerecords",
                "utilization"
            ]),
            "seed {seed}"
        );
        let records: usize = clean.listings.values().map(Vec::len).sum();
        assert!(records > 5_000, "seed {seed}: {records}");
        assert!(
            clean.summaries.keys().any(|k| k.starts_with("utilization"))
                && clean.summaries.keys().any(|k| k.starts_with("resources")),
            "seed {seed}"
        );

        let (faulty, retries, drops) = fetch_everything(seed, 0.2).await;
        assert!(
            retries > 10,
            "seed {seed}: faults were injected and retried: {retries}"
        );
        assert!(drops > 0, "seed {seed}: some connections were dropped");
        assert_eq!(clean.listings.len(), faulty.listings.len(), "seed {seed}");
        for (name, items) in &clean.listings {
            assert!(
                faulty.listings[name] == *items,
                "seed {seed}: {name} differs under faults"
            );
        }
        assert_eq!(clean.summaries.len(), faulty.summaries.len(), "seed {seed}");
        for (name, summary) in &clean.summaries {
            assert_eq!(
                faulty.summaries[name], *summary,
                "seed {seed}: the exact summary of {name} differs under faults"
            );
        }
        total_retries += retries;
        total_drops += drops;
        total_records += records;
    }
    println!(
        "{} seeds: {total_records} records fetched twice each, {total_retries} faults retried \
         ({total_drops} dropped connections), 0 records lost or duplicated",
        SEEDS.len()
    );
}
