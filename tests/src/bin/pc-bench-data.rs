//! `pc-bench-data`: writes the benchmark's utilization pages to disk.
//!
//! `cargo xtask bench` summarises a million utilization records in headless
//! Chromium, loading them as bytes from a local server before it starts the
//! clock. This generates those bytes once, from the deterministic simulator
//! (`SimConfig::big_subscription_records`), by running the core's paginator
//! against `Simulator::handle`, exactly as a client pages through Partner
//! Center (`size=1000`, daily, `show_details=true`, the whole data window):
//!
//! ```text
//! pc-bench-data --records 1000000 --out target/bench-data/utilization-1000000
//! ```
//!
//! The directory gets `page-0001.json` … and `manifest.json`:
//! `{ version, seed, records, pages, bytes, customerId, subscriptionId,
//! query, continuationTokens }`, where `continuationTokens[i]` is the
//! `MS-ContinuationToken` that asks for page `i + 1` (`null` for the first),
//! so the benchmark page can answer the client's requests from memory.
//! An existing directory whose manifest matches is left alone.

use partner_usage_core::endpoint::{CustomerId, Endpoint, SubscriptionId, UtilizationQuery};
use partner_usage_core::http::{headers, Method, Request};
use partner_usage_core::link::BaseUrl;
use partner_usage_core::paginate::{decode_raw_page, Action, Paginator, PaginatorConfig};
use partner_usage_core::sim::{SimConfig, Simulator};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Bumped whenever the layout or the generated data changes.
const VERSION: u32 = 1;
const USAGE: &str = "\
pc-bench-data: write simulator utilization pages for the benchmarks

USAGE: pc-bench-data --records N --out DIR [--seed N]

  --records N   records in the subscription (pages of 1000)
  --out DIR     where to write page-NNNN.json and manifest.json
  --seed N      simulator seed (default 1)
";

struct Args {
    records: u64,
    out: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut records = None;
    let mut out = None;
    let mut seed = 1;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--records" => {
                let v = value("--records")?;
                records = Some(v.parse().map_err(|_| format!("bad --records {v:?}"))?);
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = v.parse().map_err(|_| format!("bad --seed {v:?}"))?;
            }
            "--help" | "-h" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    match (records, out) {
        (Some(records), Some(out)) if records > 0 => Ok(Args { records, out, seed }),
        _ => Err(format!("--records (> 0) and --out are required\n\n{USAGE}")),
    }
}

/// The manifest's first line: what identifies the data.
fn identity(a: &Args) -> String {
    format!(
        "{{\"version\":{VERSION},\"seed\":{},\"records\":{},",
        a.seed, a.records
    )
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn generate(a: &Args) -> Result<(), String> {
    let manifest_path = a.out.join("manifest.json");
    if let Ok(m) = std::fs::read_to_string(&manifest_path) {
        if m.starts_with(&identity(a)) {
            println!("{}: up to date", a.out.display());
            return Ok(());
        }
    }
    let t = Instant::now();
    std::fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    let sim = Simulator::new(SimConfig {
        seed: a.seed,
        customers: 1,
        big_subscription_records: a.records,
        ..SimConfig::default()
    });
    let big = sim
        .customers()
        .last()
        .ok_or("the simulator has no scale-test customer")?;
    let sub = big
        .subscriptions
        .first()
        .ok_or("the scale-test customer has no subscription")?;
    let (start, end) = sim.usage_window();
    let query = UtilizationQuery::new(start, end).map_err(|e| e.to_string())?;
    let endpoint = Endpoint::AzureUtilization {
        customer: CustomerId::new(&big.id).map_err(|e| e.to_string())?,
        subscription: SubscriptionId::new(&sub.id).map_err(|e| e.to_string())?,
        query,
    };
    let base =
        BaseUrl::parse("https://api.partnercenter.microsoft.com").map_err(|e| e.to_string())?;
    let config = PaginatorConfig::default().max_pages(1_000_000);
    let mut p = Paginator::new(&base, &endpoint, config, 1);
    let (mut pages, mut bytes, mut records) = (0u32, 0u64, 0u64);
    let mut tokens = Vec::new();
    loop {
        match p.poll(0) {
            Action::Send(req) => {
                let token = req
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(headers::CONTINUATION_TOKEN))
                    .map(|(_, v)| v.clone());
                let mut hdrs = req.headers.clone();
                hdrs.push(("Authorization".into(), "Bearer bench".into()));
                let res = sim.handle(&Request {
                    method: Method::Get,
                    url: req.url.clone(),
                    headers: hdrs,
                });
                if res.status != 200 {
                    return Err(format!("{} answered {}", req.url, res.status));
                }
                let page = p
                    .handle_response(0, res.as_response(), decode_raw_page)
                    .map_err(|e| e.to_string())?;
                if let Some(page) = page {
                    pages += 1;
                    records += page.items.len() as u64;
                    bytes += res.body.len() as u64;
                    tokens.push(token);
                    let path = a.out.join(format!("page-{pages:04}.json"));
                    std::fs::write(&path, &res.body)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    if pages % 100 == 0 {
                        print!("\r{pages} pages, {records} records");
                        let _ = std::io::stdout().flush();
                    }
                }
            }
            Action::Complete => break,
            // A link that can't be followed ends the listing after its page.
            Action::Failed(e) => return Err(e.to_string()),
            Action::Wait { .. } | Action::RefreshToken => {
                return Err("the simulator asked for a retry without faults".into())
            }
        }
    }
    let tokens: Vec<String> = tokens
        .iter()
        .map(|t| t.as_deref().map_or("null".into(), json_str))
        .collect();
    let manifest = format!(
        "{}\"pages\":{pages},\"bytes\":{bytes},\"recordsWritten\":{records},\n\
         \"customerId\":{},\"subscriptionId\":{},\n\
         \"query\":{},\n\"continuationTokens\":[\n{}\n]}}\n",
        identity(a),
        json_str(&big.id),
        json_str(&sub.id),
        json_str(&endpoint.path_and_query()),
        tokens.join(",\n")
    );
    write_atomically(&manifest_path, manifest.as_bytes())?;
    println!(
        "\r{}: {pages} pages, {records} records, {:.1} MB in {:.1} s",
        a.out.display(),
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The manifest goes last, so an interrupted run is regenerated next time.
fn write_atomically(path: &Path, data: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, data).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

fn main() {
    let result = parse_args().and_then(|a| generate(&a));
    if let Err(e) = result {
        eprintln!("pc-bench-data: {e}");
        std::process::exit(1);
    }
}
