//! Native decode + aggregate throughput per record type, on simulator pages
//! of 1000 records (`cargo xtask bench` runs it and reports MB/s and
//! records/s in BENCHMARKS.md; run alone with
//! `cargo bench -p partner-usage-core --bench throughput`).
//!
//! Each benchmark folds one page into a fresh summariser, as the streaming
//! client does for every page it receives:
//!
//! * `customers/serde`: `decode_raw_page` + `CustomerSummariser::add_page`.
//! * `resources/serde`: `decode_raw_page` + `ResourceSummariser::add_page`.
//! * `utilization/scan`: `UtilizationSummariser::add_scanned_page`, the
//!   borrowing scanner the wasm summary path uses.
//! * `utilization/envelope+scan`: `decode_raw_page` first, then the scan:
//!   what the wasm streaming driver did per page before it handed each body
//!   to the scanner directly (kept to show what one extra pass costs).
//! * `utilization/serde`: `decode_raw_page` + `UtilizationSummariser::add_page`
//!   (serde decoding of every record), for comparison.
//! * `utilization/scan-only`: the scanner alone, no aggregation (profiling aid).
//!
//! Each benchmark's throughput is the page's byte size, so criterion's
//! `estimates.json` gives seconds per page, and the report derives MB/s
//! and records/s from it.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use partner_usage_core::aggregate::{
    CustomerOptions, CustomerSummariser, ResourceOptions, ResourceSummariser, UtilizationOptions,
    UtilizationSummariser,
};
use partner_usage_core::http::{Method, Request};
use partner_usage_core::paginate::decode_raw_page;
use partner_usage_core::scan::scan_utilization_page;
use partner_usage_core::sim::{SimConfig, SimResponse, Simulator, SubscriptionKind};
use std::hint::black_box;
use std::time::Duration;

/// Records per page: Partner Center's largest page.
const PAGE: usize = 1000;

fn get(sim: &Simulator, path: &str) -> SimResponse {
    let res = sim.handle(&Request {
        method: Method::Get,
        url: format!("/v1/{path}"),
        headers: vec![("Authorization".into(), "Bearer bench".into())],
    });
    assert_eq!(
        res.status,
        200,
        "{path}: {}",
        String::from_utf8_lossy(&res.body)
    );
    res
}

/// Wraps raw items into a page envelope, as Partner Center writes one.
fn envelope(items: &[String]) -> Vec<u8> {
    format!(
        "{{\"totalCount\":{},\"items\":[{}],\"links\":{{}},\"attributes\":{{\"objectType\":\"Collection\"}}}}",
        items.len(),
        items.join(",")
    )
    .into_bytes()
}

/// A page of 1000 customer usage records (one per customer).
fn customer_page() -> Vec<u8> {
    let sim = Simulator::new(SimConfig {
        customers: PAGE,
        ..SimConfig::default()
    });
    let body = get(&sim, &format!("customers/usagerecords?size={PAGE}")).body;
    assert_eq!(decode_raw_page(&body).unwrap().0.items.len(), PAGE);
    body
}

/// 1000 resource usage records: a subscription has 5–40, so the items of
/// the Azure plan subscriptions are gathered into one page.
fn resource_page() -> Vec<u8> {
    let sim = Simulator::new(SimConfig {
        customers: 200,
        ..SimConfig::default()
    });
    let mut items = Vec::new();
    'outer: for c in sim.customers() {
        for s in &c.subscriptions {
            if s.kind != SubscriptionKind::AzurePlan || s.resource_records == 0 {
                continue;
            }
            let path = format!(
                "customers/{}/subscriptions/{}/resourceusagerecords",
                c.id, s.id
            );
            let body = get(&sim, &path).body;
            let (page, _) = decode_raw_page(&body).unwrap();
            for item in page.items {
                items.push(item.get().to_string());
                if items.len() == PAGE {
                    break 'outer;
                }
            }
        }
    }
    assert_eq!(items.len(), PAGE, "not enough resource usage records");
    envelope(&items)
}

/// The first page (1000 records) of the simulator's 1M-record subscription
/// (seed 5, as in the browser benchmark: 8 meters).
fn utilization_page() -> Vec<u8> {
    let sim = Simulator::new(SimConfig {
        seed: 5,
        customers: 1,
        big_subscription_records: 1_000_000,
        ..SimConfig::default()
    });
    let c = sim.customers().last().unwrap();
    let s = &c.subscriptions[0];
    let (start, end) = sim.usage_window();
    let path = format!(
        "customers/{}/subscriptions/{}/utilizations/azure?start_time={}&end_time={}&size={PAGE}",
        c.id,
        s.id,
        start.to_query_string(),
        end.to_query_string()
    );
    get(&sim, &path).body
}

fn bench(c: &mut Criterion) {
    let customers = customer_page();
    let resources = resource_page();
    let utilization = utilization_page();

    let mut g = c.benchmark_group("decode+aggregate");

    g.throughput(Throughput::Bytes(customers.len() as u64));
    g.bench_function(BenchmarkId::new("customers", "serde"), |b| {
        b.iter(|| {
            let (page, _) = decode_raw_page(black_box(&customers)).unwrap();
            let mut s = CustomerSummariser::new(CustomerOptions::default());
            s.add_page(1, &page.items).unwrap();
            s
        })
    });

    g.throughput(Throughput::Bytes(resources.len() as u64));
    g.bench_function(BenchmarkId::new("resources", "serde"), |b| {
        b.iter(|| {
            let (page, _) = decode_raw_page(black_box(&resources)).unwrap();
            let mut s = ResourceSummariser::new(ResourceOptions::default());
            s.add_page(1, &page.items).unwrap();
            s
        })
    });

    let options = UtilizationOptions::default();
    g.throughput(Throughput::Bytes(utilization.len() as u64));
    g.bench_function(BenchmarkId::new("utilization", "scan"), |b| {
        b.iter(|| {
            let mut s = UtilizationSummariser::new(options.clone()).unwrap();
            s.add_scanned_page(1, black_box(&utilization)).unwrap();
            s
        })
    });
    g.bench_function(BenchmarkId::new("utilization", "envelope+scan"), |b| {
        b.iter(|| {
            let (page, _) = decode_raw_page(black_box(&utilization)).unwrap();
            let mut s = UtilizationSummariser::new(options.clone()).unwrap();
            s.add_scanned_page(1, black_box(&utilization)).unwrap();
            (s, page.items.len())
        })
    });
    g.bench_function(BenchmarkId::new("utilization", "serde"), |b| {
        b.iter(|| {
            let (page, _) = decode_raw_page(black_box(&utilization)).unwrap();
            let mut s = UtilizationSummariser::new(options.clone()).unwrap();
            s.add_page(1, &page.items).unwrap();
            s
        })
    });
    g.bench_function(BenchmarkId::new("utilization", "scan-only"), |b| {
        b.iter(|| {
            let mut n = 0usize;
            scan_utilization_page(black_box(&utilization), |f| {
                n += f.quantity.map_or(0, str::len);
                Ok(())
            })
            .unwrap();
            n
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // Set here rather than on the group, so that command-line flags
    // (`cargo xtask bench --quick` passes shorter ones) still override them.
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
