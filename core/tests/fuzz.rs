//! Mutational fuzzing of the decoders, the scanner, the link resolver and the
//! paginator: nothing may panic, hang or leave the configured origin.
//!
//! The short run here is part of `cargo xtask test`, always with the same
//! inputs. For a long run, and to try inputs no run has tried before
//! (`FUZZ_SEED`, any integer, picks other random inputs; a failure prints
//! the seed to run again):
//! `FUZZ_ITERS=2000000 FUZZ_SEED=1 cargo test --release -p partner-usage-core --test fuzz -- --nocapture`.

#[path = "support/corpus.rs"]
mod corpus;

use partner_usage_core::decimal::Decimal;
use partner_usage_core::endpoint::Endpoint;
use partner_usage_core::error::HttpError;
use partner_usage_core::http::Response;
use partner_usage_core::link::BaseUrl;
use partner_usage_core::model::{
    AzureUtilizationRecord, CustomerMonthlyUsageRecord, Link, ResourceUsageRecord, Subscription,
};
use partner_usage_core::paginate::{
    decode_page, decode_raw_page, Action, Paginator, PaginatorConfig,
};
use partner_usage_core::retry::{parse_retry_after, Jitter, RetryConfig};
use partner_usage_core::scan::scan_utilization_page;
use partner_usage_core::time::Timestamp;

fn iterations(default: u64) -> u64 {
    std::env::var("FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The random inputs of a test: `base` (each test's own) unless `FUZZ_SEED`
/// asks for others.
fn random(base: u64) -> Jitter {
    let extra: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if extra != 0 {
        eprintln!("FUZZ_SEED={extra}");
    }
    Jitter::new(base ^ extra.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\\",
    b"\\u",
    b"null",
    b"true",
    b"-",
    b"1e400",
    b"0.000000000000000000000000000000000000001",
    b"\"items\"",
    b"\"links\"",
    b"\"next\"",
    b"\"uri\"",
    b"\xff",
    b"\x00",
    b"\r\n",
    b"https://evil.example/",
    b"javascript:",
    b"/../",
    b"123456789012345678901234567890123456789012",
];

fn mutate(rng: &mut Jitter, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    let n = 1 + rng.up_to(4);
    for _ in 0..n {
        let len = v.len() as u64;
        match rng.up_to(5) {
            0 if len > 0 => {
                let i = rng.up_to(len - 1) as usize;
                v[i] ^= 1 << rng.up_to(7);
            }
            1 => {
                let i = rng.up_to(len) as usize;
                let t = TOKENS[rng.up_to(TOKENS.len() as u64 - 1) as usize];
                v.splice(i..i, t.iter().copied());
            }
            2 if len > 0 => {
                let a = rng.up_to(len - 1) as usize;
                let b = (a + rng.up_to(16) as usize).min(v.len());
                v.drain(a..b);
            }
            3 => {
                let cut = rng.up_to(len) as usize;
                v.truncate(cut);
            }
            4 if len > 1 => {
                let a = rng.up_to(len - 1) as usize;
                let b = (a + rng.up_to(64) as usize).min(v.len());
                let chunk = v[a..b].to_vec();
                let at = rng.up_to(v.len() as u64) as usize;
                v.splice(at..at, chunk);
            }
            _ => v.push(b'}'),
        }
    }
    v
}

fn seeds() -> Vec<Vec<u8>> {
    let corpus: corpus::Corpus = serde_json::from_str(corpus::CORPUS).unwrap();
    let mut out: Vec<Vec<u8>> = corpus
        .cases
        .iter()
        .filter(|c| c.reply.generate.is_none())
        .map(|c| c.reply.bytes())
        .collect();
    out.push(include_bytes!("fixtures/customer_usage_records.json").to_vec());
    out.push(include_bytes!("fixtures/resource_usage_records.json").to_vec());
    out
}

#[test]
fn decoders_and_scanner_never_panic_and_agree() {
    let seeds = seeds();
    let mut rng = random(0xF022);
    let iters = iterations(4_000);
    let (mut agreed, mut both_failed) = (0u64, 0u64);
    for _ in 0..iters {
        let seed = &seeds[rng.up_to(seeds.len() as u64 - 1) as usize];
        let body = mutate(&mut rng, seed);
        let _ = decode_raw_page(&body);
        let _ = decode_page::<CustomerMonthlyUsageRecord>(&body);
        let _ = decode_page::<ResourceUsageRecord>(&body);
        let _ = decode_page::<Subscription>(&body);
        let _ = HttpError::from_body(500, &body);
        let serde = decode_page::<AzureUtilizationRecord>(&body);
        let mut scanned = vec![];
        let scan = scan_utilization_page(&body, |r| {
            scanned.push((
                r.name.into_owned(),
                r.unit.into_owned(),
                r.quantity.map(str::to_string),
            ));
            Ok(())
        });
        // The scanner checks the grammar of everything it walks past (a
        // byte order mark is allowed before the JSON, as Partner Center may
        // send one).
        if scan.is_ok() {
            let json = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&body);
            assert!(
                serde_json::from_slice::<serde::de::IgnoredAny>(json).is_ok(),
                "the scanner accepted malformed JSON: {}",
                String::from_utf8_lossy(&body)
            );
        }
        match (serde, scan) {
            (Ok((page, info)), Ok(scan_info)) => {
                assert_eq!(info.next, scan_info.next);
                assert_eq!(page.items.len(), scanned.len());
                for (r, (name, unit, q)) in page.items.iter().zip(&scanned) {
                    assert_eq!(&r.resource.name, name);
                    assert_eq!(&r.unit, unit);
                    // The scanner hands over the text; it must parse to the same value.
                    let sq = q.as_deref().map(Decimal::parse);
                    if let Some(Ok(sq)) = sq {
                        assert_eq!(Some(sq), r.quantity);
                    }
                }
                agreed += 1;
            }
            (Err(_), Err(_)) => both_failed += 1,
            _ => {}
        }
    }
    println!("fuzz decoders: {iters} executions, {agreed} accepted by both, {both_failed} refused by both");
    assert!(
        agreed > 0 && both_failed > 0,
        "the mutations explore both sides"
    );
}

#[test]
fn text_parsers_never_panic() {
    let mut rng = random(7);
    let samples = [
        "120.5682999999995904716",
        "-0",
        "1e-5",
        "2019-09-17T17:08:11.1433333+00:00",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "57",
        "https://portal.example/pc/v1/x?y",
    ];
    for _ in 0..iterations(20_000) {
        let s = samples[rng.up_to(samples.len() as u64 - 1) as usize];
        let m = mutate(&mut rng, s.as_bytes());
        let text = String::from_utf8_lossy(&m);
        let _ = Decimal::parse(&text);
        let _ = Timestamp::parse(&text);
        let _ = parse_retry_after(&text, 0);
        let _ = BaseUrl::parse(&text);
        let base = BaseUrl::parse("https://portal.example/pc").unwrap();
        if let Ok(req) = base.resolve(&Link::get(&text, [("MS-ContinuationToken", &*text)])) {
            assert!(
                req.url.starts_with("https://portal.example/"),
                "{}",
                req.url
            );
            assert!(!req.url.contains(['\r', '\n']));
        }
    }
}

#[test]
fn the_paginator_survives_any_sequence_of_responses() {
    let seeds = seeds();
    let base = BaseUrl::parse("https://portal.example/pc").unwrap();
    let statuses = [
        200, 200, 200, 204, 400, 401, 403, 404, 429, 500, 503, 302, 0,
    ];
    let mut rng = random(99);
    let runs = iterations(1_500);
    let mut requests = 0u64;
    for run in 0..runs {
        let config = PaginatorConfig::default().max_pages(20).retry(
            RetryConfig::default()
                .delays(1, 100)
                .max_total_delay_ms(5_000),
        );
        let mut p = Paginator::new(&base, &Endpoint::CustomerUsageRecords, config, run);
        let mut now = 0i64;
        let mut steps = 0;
        loop {
            steps += 1;
            assert!(steps < 10_000, "run {run} did not finish");
            match p.poll(now) {
                Action::Send(req) => {
                    requests += 1;
                    assert!(
                        req.url.starts_with("https://portal.example/pc/v1/"),
                        "{}",
                        req.url
                    );
                    let status = statuses[rng.up_to(statuses.len() as u64 - 1) as usize];
                    if status == 0 {
                        if p.handle_transport_error(now, "reset").is_err() {
                            break;
                        }
                        continue;
                    }
                    let seed = &seeds[rng.up_to(seeds.len() as u64 - 1) as usize];
                    let body = if rng.up_to(1) == 0 {
                        mutate(&mut rng, seed)
                    } else {
                        seed.clone()
                    };
                    let headers = vec![("Retry-After".to_string(), rng.up_to(3).to_string())];
                    let resp = Response {
                        status,
                        headers: &headers,
                        body: &body,
                    };
                    if p.handle_response(now, resp, decode_page::<CustomerMonthlyUsageRecord>)
                        .is_err()
                    {
                        assert!(matches!(p.poll(now), Action::Failed(_)));
                        break;
                    }
                }
                Action::Wait { until_ms } => {
                    assert!(until_ms >= now);
                    now = until_ms;
                }
                Action::RefreshToken => p.token_refreshed(),
                Action::Complete => {
                    assert!(p.is_complete() && p.error().is_none(), "run {run}");
                    break;
                }
                Action::Failed(e) => {
                    // A page's next link failed after the page was handed over.
                    assert!(!p.is_complete(), "run {run}");
                    assert_eq!(p.error(), Some(&e), "run {run}");
                    break;
                }
            }
        }
    }
    println!("fuzz paginator: {runs} listings, {requests} requests");
}
