//! The hostile-response corpus runner, shared by the native suite
//! (`core/tests/corpus.rs`) and the wasm suite (`wasm/tests/corpus.rs`).
//!
//! Each case of `tests/corpus/corpus.json` is served as the answer to a
//! listing's requests (its `then` responses answer later requests), and the
//! listing's outcome must match `expect`. Nothing may panic or hang: the
//! driver loop is bounded.

#![allow(dead_code)] // each suite that includes this module uses a part of it

use partner_usage_core::endpoint::{CustomerId, Endpoint, SubscriptionId, UtilizationQuery};
use partner_usage_core::error::DecodeError;
use partner_usage_core::error::Error;
use partner_usage_core::http::Response;
use partner_usage_core::link::BaseUrl;
use partner_usage_core::model::{
    AzureUtilizationRecord, CustomerMonthlyUsageRecord, ResourceUsageRecord, Subscription,
};
use partner_usage_core::paginate::{decode_page, Action, PageInfo, Paginator, PaginatorConfig};
use partner_usage_core::retry::RetryConfig;
use partner_usage_core::scan::scan_utilization_page;
use partner_usage_core::time::Timestamp;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The corpus file.
pub const CORPUS: &str = include_str!("../../../tests/corpus/corpus.json");

#[derive(Deserialize)]
pub struct Corpus {
    pub cases: Vec<Case>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    #[serde(default = "ok_status")]
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub body_hex: Option<String>,
    #[serde(default)]
    pub generate: Option<Generate>,
}

fn ok_status() -> u16 {
    200
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub name: String,
    pub endpoint: String,
    #[serde(flatten)]
    pub reply: Reply,
    #[serde(default)]
    pub then: Vec<Reply>,
    pub expect: Expect,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(untagged)]
pub enum Expect {
    Ok {
        ok: u64,
    },
    Error {
        error: String,
        #[serde(default)]
        contains: Option<String>,
    },
}

#[derive(Deserialize, Clone)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Generate {
    HugeString { bytes: usize },
    Deep { depth: usize },
    Records { count: usize },
    Utilization { count: usize },
}

const UTIL: &str = r#"{"usageStartTime":"2024-01-01T00:00:00+00:00","usageEndTime":"2024-01-02T00:00:00+00:00","resource":{"id":"m","name":"Hot LRS Data Stored","category":"Storage","subcategory":"Tiered Block Blob","region":"West Europe"},"quantity":0.0327433333333333,"unit":"1 GB/Month","infoFields":{},"instanceData":{"resourceUri":"/subscriptions/s/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/a","location":"westeurope","tags":{"env":"prod"}}}"#;
const REC: &str =
    r#"{"id":"c1","name":"Contoso","totalCost":1.25,"currencyCode":"EUR","usdTotalCost":1.35}"#;

fn many(item: &str, count: usize) -> Vec<u8> {
    let mut s = String::with_capacity(count * (item.len() + 1) + 64);
    s.push_str(&format!(r#"{{"totalCount":{count},"items":["#));
    for i in 0..count {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
    }
    s.push_str("]}");
    s.into_bytes()
}

impl Reply {
    pub fn bytes(&self) -> Vec<u8> {
        if let Some(g) = &self.generate {
            return match g {
                Generate::HugeString { bytes } => format!(
                    r#"{{"items":[{{"id":"c","name":"{}","totalCost":1,"currencyCode":"EUR"}}]}}"#,
                    "A".repeat(*bytes)
                )
                .into_bytes(),
                Generate::Deep { depth } => format!(
                    r#"{{"items":[{{"id":"c","x":{}{}}}]}}"#,
                    "[".repeat(*depth),
                    "]".repeat(*depth)
                )
                .into_bytes(),
                Generate::Records { count } => many(REC, *count),
                Generate::Utilization { count } => many(UTIL, *count),
            };
        }
        if let Some(hex) = &self.body_hex {
            return (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("corpus hex"))
                .collect();
        }
        self.body.clone().unwrap_or_default().into_bytes()
    }

    fn header_pairs(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

fn endpoint(name: &str) -> Endpoint {
    let c = CustomerId::new("c1").unwrap();
    let s = SubscriptionId::new("s1").unwrap();
    match name {
        "customers" => Endpoint::CustomerUsageRecords,
        "resources" => Endpoint::ResourceUsageRecords {
            customer: c,
            subscription: s,
        },
        "subscriptions" => Endpoint::Subscriptions { customer: c },
        "utilization" => Endpoint::AzureUtilization {
            customer: c,
            subscription: s,
            query: UtilizationQuery::new(
                Timestamp::parse("2024-01-01T00:00:00Z").unwrap(),
                Timestamp::parse("2024-02-01T00:00:00Z").unwrap(),
            )
            .unwrap(),
        },
        other => panic!("unknown endpoint {other}"),
    }
}

/// How a listing decodes its pages.
#[derive(Clone, Copy, Debug)]
pub enum Decoder {
    /// serde, into the endpoint's record type.
    Serde,
    /// The borrowing utilization scanner.
    Scanner,
}

fn decode_count(
    endpoint: &str,
    decoder: Decoder,
    body: &[u8],
) -> Result<(usize, PageInfo), DecodeError> {
    fn count<T>(
        r: Result<(partner_usage_core::paginate::Page<T>, PageInfo), DecodeError>,
    ) -> Result<(usize, PageInfo), DecodeError> {
        r.map(|(p, i)| (p.items.len(), i))
    }
    match (endpoint, decoder) {
        ("customers", _) => count(decode_page::<CustomerMonthlyUsageRecord>(body)),
        ("resources", _) => count(decode_page::<ResourceUsageRecord>(body)),
        ("subscriptions", _) => count(decode_page::<Subscription>(body)),
        ("utilization", Decoder::Serde) => count(decode_page::<AzureUtilizationRecord>(body)),
        ("utilization", Decoder::Scanner) => {
            let mut n = 0;
            let info = scan_utilization_page(body, |_| {
                n += 1;
                Ok(())
            })
            .map_err(|e| match e {
                Error::Decode(d) => d,
                other => DecodeError::new(other.to_string()),
            })?;
            Ok((n, info))
        }
        (other, _) => panic!("unknown endpoint {other}"),
    }
}

/// Runs one case with one decoder; returns the records received or the error.
pub fn run(case: &Case, decoder: Decoder) -> Result<u64, Error> {
    let base = BaseUrl::parse("https://portal.example/pc").unwrap();
    let config = PaginatorConfig::default().retry(RetryConfig::default().delays(1, 50));
    let mut p = Paginator::new(&base, &endpoint(&case.endpoint), config, 5);
    type Scripted = (u16, Vec<(String, String)>, Vec<u8>);
    let replies: Vec<Scripted> = std::iter::once(&case.reply)
        .chain(&case.then)
        .map(|r| (r.status, r.header_pairs(), r.bytes()))
        .collect();
    let mut sent = 0usize;
    let mut now: i64 = 1_700_000_000_000;
    let mut records = 0u64;
    for _ in 0..10_000 {
        match p.poll(now) {
            Action::Send(req) => {
                assert!(
                    req.url.starts_with("https://portal.example/pc/v1/"),
                    "{}: {}",
                    case.name,
                    req.url
                );
                let (status, headers, body) = &replies[sent.min(replies.len() - 1)];
                sent += 1;
                let resp = Response {
                    status: *status,
                    headers,
                    body,
                };
                if let Some(n) =
                    p.handle_response(now, resp, |b| decode_count(&case.endpoint, decoder, b))?
                {
                    records += n as u64;
                }
            }
            Action::Wait { until_ms } => now = until_ms.max(now),
            Action::RefreshToken => p.token_refreshed(),
            Action::Complete => return Ok(records),
            // A page's failing next link (after the page was handed over).
            Action::Failed(e) => return Err(e),
        }
    }
    panic!("{}: the listing did not finish", case.name)
}

/// Checks every case with every decoder that applies; returns the number of
/// (case, decoder) runs that passed, or the failures.
pub fn check_all() -> Result<usize, Vec<String>> {
    let corpus: Corpus = serde_json::from_str(CORPUS).expect("corpus.json parses");
    let mut failures = vec![];
    let mut passed = 0;
    for case in &corpus.cases {
        let decoders: &[Decoder] = if case.endpoint == "utilization" {
            &[Decoder::Serde, Decoder::Scanner]
        } else {
            &[Decoder::Serde]
        };
        for &d in decoders {
            let got = run(case, d);
            let good = match (&case.expect, &got) {
                (Expect::Ok { ok }, Ok(n)) => ok == n,
                (Expect::Error { error, contains }, Err(e)) => {
                    e.kind() == error
                        && contains
                            .as_ref()
                            .is_none_or(|c| e.to_string().contains(c.as_str()))
                }
                _ => false,
            };
            if good {
                passed += 1;
            } else {
                let got = match &got {
                    Ok(n) => format!("ok({n})"),
                    Err(e) => {
                        let msg: String = e.to_string().chars().take(300).collect();
                        format!("{}: {msg}", e.kind())
                    }
                };
                failures.push(format!(
                    "{} [{d:?}]: expected {:?}, got {got}",
                    case.name, case.expect
                ));
            }
        }
    }
    if failures.is_empty() {
        Ok(passed)
    } else {
        Err(failures)
    }
}
