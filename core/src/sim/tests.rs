//! Behaviour tests of the simulator, through `Simulator::handle` only
//! (plus internal helpers where a test needs to jump into a listing).

use super::data::{CURRENCIES, MONEY_SCALE, QTY_SCALE};
use super::*;
use crate::http::Method;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn sim() -> Simulator {
    Simulator::new(SimConfig::default())
}

fn req(url: &str, extra: &[(&str, &str)]) -> Request {
    let mut headers = vec![("Authorization".to_string(), "Bearer t".to_string())];
    for (k, v) in extra {
        headers.push((k.to_string(), v.to_string()));
    }
    Request {
        method: Method::Get,
        url: url.to_string(),
        headers,
    }
}

fn get(sim: &Simulator, url: &str) -> SimResponse {
    sim.handle(&req(url, &[]))
}

fn json(res: &SimResponse) -> Value {
    serde_json::from_slice(&res.body).unwrap_or_else(|e| {
        panic!(
            "status {} body is not JSON ({e}): {}",
            res.status,
            String::from_utf8_lossy(&res.body)
        )
    })
}

/// Follows a relative link the way the digest says clients must.
fn follow(uri: &str) -> String {
    let u = uri.strip_prefix('/').unwrap_or(uri);
    let u = u.strip_prefix("v1/").unwrap_or(u);
    format!("https://api.partnercenter.microsoft.com/v1/{u}")
}

/// One page: items, next (url, token), and the response.
struct Page {
    items: Vec<Value>,
    next: Option<(String, String)>,
    raw_next_uri: Option<String>,
}

fn parse_page(res: &SimResponse) -> Page {
    let v = json(res);
    let items = v["items"].as_array().expect("items").clone();
    assert_eq!(v["totalCount"].as_u64(), Some(items.len() as u64));
    assert_eq!(v["attributes"]["objectType"], "Collection");
    assert_eq!(v["links"]["self"]["method"], "GET");
    let next = &v["links"]["next"];
    // The body's continuationToken (paged listings), when there, is the next
    // link's; without a next page there is none.
    let body_token = v.get("continuationToken");
    let (next, raw) = if next.is_null() {
        assert!(body_token.is_none(), "{v}");
        (None, None)
    } else {
        if let Some(t) = body_token {
            assert_eq!(t, &next["headers"][0]["value"]);
        }
        assert_eq!(next["method"], "GET");
        let h = &next["headers"][0];
        assert_eq!(h["key"], "MS-ContinuationToken");
        let uri = next["uri"].as_str().unwrap().to_string();
        (
            Some((follow(&uri), h["value"].as_str().unwrap().to_string())),
            Some(uri),
        )
    };
    Page {
        items,
        next,
        raw_next_uri: raw,
    }
}

/// Sends a request, retrying injected faults (as a client would), and
/// returns the first clean response.
fn fetch_retrying(sim: &Simulator, url: &str, token: Option<&str>) -> SimResponse {
    let headers: Vec<(&str, &str)> = token
        .map(|t| vec![("MS-ContinuationToken", t)])
        .unwrap_or_default();
    for _ in 0..200 {
        let r = sim.handle(&req(url, &headers));
        match r.fault {
            None | Some(Fault::Delay) => return r,
            Some(_) => continue,
        }
    }
    panic!("too many faults for {url}");
}

/// Every item of a listing, following `next` links; with retries of faults.
fn fetch_all(sim: &Simulator, url: &str) -> (Vec<Value>, usize, Vec<String>) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut uris = Vec::new();
    let mut res = fetch_retrying(sim, url, None);
    loop {
        assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
        let p = parse_page(&res);
        pages += 1;
        items.extend(p.items);
        match p.next {
            None => return (items, pages, uris),
            Some((u, t)) => {
                uris.extend(p.raw_next_uri);
                res = fetch_retrying(sim, &u, Some(&t));
            }
        }
    }
}

/// Parses a JSON number's text as an exact integer of 10^-scale units.
fn units(text: &str, scale: u32) -> u128 {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    assert!(frac.len() as u32 <= scale, "{text} has too many digits");
    let mut v: u128 = int.parse().unwrap();
    for i in 0..scale as usize {
        v = v * 10 + frac.as_bytes().get(i).map_or(0, |b| u128::from(b - b'0'));
    }
    v
}

/// The exact text of a number field (serde_json with arbitrary precision is
/// not enabled, so take it from the raw body).
fn raw_numbers(body: &[u8], key: &str) -> Vec<String> {
    let s = std::str::from_utf8(body).unwrap();
    let pat = format!("\"{key}\":");
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let end = rest.find([',', '}']).unwrap();
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The legacy subscriptions with hourly data (the tests ask for both
/// granularities): (customer id, subscription id, daily detail records).
fn legacy_subs(sim: &Simulator) -> Vec<(String, String, u64)> {
    let mut v = Vec::new();
    for c in sim.customers() {
        for s in &c.subscriptions {
            if s.kind == SubscriptionKind::Legacy && s.hourly_data {
                v.push((c.id.clone(), s.id.clone(), s.utilization_records));
            }
        }
    }
    v
}

/// The first Azure plan customer with usage, and its first plan subscription's id.
fn plan_with_usage(sim: &Simulator) -> (&Customer, &str) {
    let c = sim
        .customers()
        .iter()
        .find(|c| c.is_upgraded && c.total_cost != "0")
        .unwrap();
    let plan = c
        .subscriptions
        .iter()
        .find(|s| s.kind == SubscriptionKind::AzurePlan)
        .unwrap();
    (c, &plan.id)
}

fn util_url(c: &str, s: &str, query: &str) -> String {
    format!("/v1/customers/{c}/subscriptions/{s}/utilizations/azure?{query}")
}

const FULL: &str = "start_time=2026-07-01T00:00:00Z&end_time=2026-11-24T00:00:00Z";

#[test]
fn same_config_and_requests_give_same_bytes() {
    let cfg = SimConfig {
        fault_rate: 0.3,
        ..SimConfig::default()
    };
    let run = || {
        let s = Simulator::new(cfg.clone());
        let (c, sub, _) = legacy_subs(&s)[0].clone();
        let urls = [
            "/v1/customers?size=7".to_string(),
            "/v1/customers/usagerecords".to_string(),
            util_url(&c, &sub, &format!("{FULL}&size=50")),
            util_url(&c, &sub, &format!("{FULL}&size=50&granularity=hourly")),
            "/v1/nowhere".to_string(),
        ];
        let mut out = Vec::new();
        for _ in 0..5 {
            for u in &urls {
                out.push(get(&s, u));
            }
        }
        out
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert!(a.iter().any(|r| r.fault.is_some()));
    // Another seed is another partner.
    let other = Simulator::new(SimConfig {
        seed: 2,
        ..SimConfig::default()
    });
    assert_ne!(other.customers()[0].id, sim().customers()[0].id);
}

#[test]
fn customer_usage_records_have_the_seed_shape() {
    let s = sim();
    let res = get(&s, "/v1/customers/usagerecords");
    assert_eq!(res.status, 200);
    let v = json(&res);
    assert_eq!(
        keys(&v),
        set(&["totalCount", "items", "links", "attributes"])
    );
    assert_eq!(v["links"]["self"]["uri"], "/customers/usagerecords");
    assert!(v["links"]["next"].is_null());
    let allowed = set(&[
        "budget",
        "customerSpendingBudget",
        "percentUsed",
        "isUpgraded",
        "resourceId",
        "id",
        "resourceName",
        "name",
        "totalCost",
        "currencyCode",
        "currencyLocale",
        "currencySymbol",
        "usdTotalCost",
        "lastModifiedDate",
        "attributes",
    ]);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 120);
    let totals = raw_numbers(&res.body, "totalCost");
    let usds = raw_numbers(&res.body, "usdTotalCost");
    let pcts = raw_numbers(&res.body, "percentUsed");
    assert_eq!(totals.len(), 120);
    let mut currencies = BTreeSet::new();
    let mut categories = BTreeSet::new();
    let mut long_digits = 0;
    let mut fraction_lengths = BTreeSet::new();
    for (i, it) in items.iter().enumerate() {
        let k = keys(it);
        assert!(k.is_subset(&allowed), "{k:?}");
        for must in [
            "budget",
            "percentUsed",
            "isUpgraded",
            "id",
            "resourceId",
            "name",
        ] {
            assert!(k.contains(must), "{must} missing in {it}");
        }
        assert_eq!(it["id"], it["resourceId"]);
        assert_eq!(it["name"], it["resourceName"]);
        assert_eq!(it["attributes"]["objectType"], "CustomerMonthlyUsageRecord");
        assert_eq!(it["budget"]["attributes"]["objectType"], "SpendingBudget");
        // As .NET writes them: 0 to 7 fractional digits, no trailing zero.
        let modified = it["lastModifiedDate"].as_str().unwrap();
        let fraction = modified
            .strip_suffix("+00:00")
            .and_then(|m| m.get(19..))
            .unwrap_or_else(|| panic!("{modified}"));
        let digits = fraction.strip_prefix('.').unwrap_or(fraction);
        assert_eq!(fraction.is_empty(), digits.is_empty(), "{modified}");
        assert!(digits.len() <= 7 && !digits.ends_with('0'), "{modified}");
        assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{modified}");
        fraction_lengths.insert(digits.len());
        assert!(crate::time::Timestamp::parse(modified).is_ok());
        let legacy = it["isUpgraded"] == false;
        if legacy {
            assert!(it.get("currencyCode").is_none());
            assert!(it["currencyLocale"].is_string());
        } else {
            assert!(it.get("currencyLocale").is_none());
            currencies.insert(it["currencyCode"].as_str().unwrap().to_string());
        }
        let total = units(&totals[i], MONEY_SCALE);
        let usd = units(&usds[i], MONEY_SCALE);
        let digits = totals[i].chars().filter(char::is_ascii_digit).count();
        if digits >= 19 {
            long_digits += 1;
        }
        // usdTotalCost follows the FX rate of the customer's currency.
        let truth = &s.customers()[i];
        let cur = CURRENCIES
            .iter()
            .find(|c| c.code == truth.currency)
            .unwrap();
        let expected = data::to_usd(total, cur);
        assert!(expected.abs_diff(usd) <= 64, "{} vs {}", usds[i], totals[i]);
        // percentUsed is totalCost / budget, rounded to 2 decimals.
        let pct = units(&pcts[i], 2);
        match it["budget"]["amount"].as_u64() {
            None => {
                assert_eq!(pct, 0);
                categories.insert("none");
            }
            Some(a) => {
                let exact = total * 10_000 / (u128::from(a) * 10u128.pow(MONEY_SCALE));
                assert!(pct == exact || pct == exact + 1, "{pct} vs {exact}");
                categories.insert(match pct {
                    0..=7999 => "under",
                    8000..=10000 => "near",
                    _ => "over",
                });
            }
        }
        assert_eq!(truth.total_cost, totals[i]);
        assert_eq!(truth.usd_total_cost, usds[i]);
    }
    assert_eq!(currencies, set(&["EUR", "GBP", "JPY", "SEK", "USD"]));
    assert_eq!(categories.len(), 4, "{categories:?}");
    assert!(long_digits > 20);
    // Fractions of every length the seeds show: 7 digits, fewer, none.
    for n in [0, 2, 5, 7] {
        assert!(fraction_lengths.contains(&n), "{fraction_lengths:?}");
    }
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"<img src=x onerror=alert(1)>"));
    assert!(names.contains(&"Müller & Søn AB"));
    assert_eq!(
        names.iter().collect::<BTreeSet<_>>().len(),
        names.len(),
        "names are unique"
    );
    assert!(items.iter().filter(|i| i["isUpgraded"] == false).count() >= 5);
    // The XSS probe is JSON-escaped only as JSON requires: the raw bytes hold it verbatim.
    let body = String::from_utf8(res.body.clone()).unwrap();
    assert!(body.contains("\"<img src=x onerror=alert(1)>\""));
}

#[test]
fn customer_totals_equal_the_sum_of_resource_costs() {
    let s = sim();
    let mut checked = 0;
    let mut no_usage = 0;
    let mut case_variants = 0;
    let mut types = BTreeSet::new();
    for c in s.customers().iter().filter(|c| c.is_upgraded) {
        let subs = get(&s, &format!("/v1/customers/{}/subscriptions", c.id));
        assert_eq!(subs.status, 200);
        let (sub_items, _, _) = fetch_all(&s, &format!("/v1/customers/{}/subscriptions", c.id));
        let plans: Vec<&Value> = sub_items
            .iter()
            .filter(|x| x["offerId"] == "DZH318Z0BCZC")
            .collect();
        assert!((1..=3).contains(&plans.len()));
        let mut sum = 0u128;
        let mut usd_sum = 0u128;
        for p in plans {
            assert_eq!(p["offerName"], "Azure plan");
            let url = format!(
                "/v1/customers/{}/subscriptions/{}/resourceusagerecords",
                c.id,
                p["id"].as_str().unwrap()
            );
            let res = get(&s, &url);
            assert_eq!(res.status, 200);
            let v = json(&res);
            let items = v["items"].as_array().unwrap();
            if c.total_cost == "0" {
                // The customer with no usage yet this billing period.
                assert!(items.is_empty() && v["totalCount"] == 0, "{v}");
                no_usage += 1;
            } else {
                assert!((5..=40).contains(&items.len()));
            }
            let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for it in items {
                assert_eq!(
                    keys(it),
                    set(&[
                        "subscriptionId",
                        "resourceUri",
                        "resourceType",
                        "entitlementId",
                        "entitlementName",
                        "resourceGroupName",
                        "name",
                        "resourceName",
                        "totalCost",
                        "currencyCode",
                        "usdTotalCost",
                        "lastModifiedDate",
                        "attributes"
                    ])
                );
                assert_eq!(it["currencyCode"], c.currency);
                assert_eq!(it["subscriptionId"], p["id"]);
                let g = it["resourceGroupName"].as_str().unwrap();
                let uri = it["resourceUri"].as_str().unwrap();
                assert!(
                    uri.contains(&format!("/resourceGroups/{g}/providers/")),
                    "{uri}"
                );
                assert!(uri.ends_with(it["name"].as_str().unwrap()));
                types.insert(it["resourceType"].as_str().unwrap().to_string());
                groups
                    .entry(g.to_ascii_lowercase())
                    .or_default()
                    .insert(g.to_string());
            }
            case_variants += groups.values().filter(|v| v.len() > 1).count();
            let uris: BTreeSet<String> = items
                .iter()
                .map(|i| i["resourceUri"].as_str().unwrap().to_ascii_lowercase())
                .collect();
            assert_eq!(uris.len(), items.len(), "one record per resource");
            for t in raw_numbers(&res.body, "totalCost") {
                sum += units(&t, MONEY_SCALE);
            }
            for t in raw_numbers(&res.body, "usdTotalCost") {
                usd_sum += units(&t, MONEY_SCALE);
            }
        }
        assert_eq!(
            super::json::fixed(sum, MONEY_SCALE),
            c.total_cost,
            "{}",
            c.name
        );
        assert_eq!(super::json::fixed(usd_sum, MONEY_SCALE), c.usd_total_cost);
        checked += 1;
    }
    assert!(checked > 90);
    assert_eq!(no_usage, 1, "one Azure plan customer has no usage yet");
    assert!(case_variants > 10, "resource groups vary in case");
    for t in [
        "Microsoft.Compute",
        "Microsoft.Storage",
        "Microsoft.Sql",
        "Microsoft.Network",
        "Microsoft.Web",
    ] {
        assert!(types.contains(t), "{t}");
    }
}

#[test]
fn subscriptions_have_the_sdk_shape_and_kinds() {
    let s = sim();
    let mut kinds = BTreeSet::new();
    for c in s.customers() {
        let res = get(&s, &format!("/v1/customers/{}/subscriptions", c.id));
        assert_eq!(res.status, 200);
        let p = parse_page(&res);
        assert!(p.next.is_none());
        assert_eq!(p.items.len(), c.subscriptions.len());
        for (it, truth) in p.items.iter().zip(&c.subscriptions) {
            for k in [
                "id",
                "offerId",
                "offerName",
                "friendlyName",
                "quantity",
                "unitType",
                "creationDate",
                "status",
                "billingType",
                "billingCycle",
                "consumptionType",
                "links",
                "attributes",
            ] {
                assert!(it.get(k).is_some(), "{k} missing in {it}");
            }
            assert_eq!(it["id"], truth.id.as_str());
            assert_eq!(it["offerId"], truth.offer_id);
            assert_eq!(it["attributes"]["objectType"], "Subscription");
            // Each kind as Partner Center shows it: an Azure plan names its
            // first Azure entitlement, a legacy subscription is its own
            // entitlement, and a license subscription has none.
            let license = truth.kind == SubscriptionKind::License;
            let entitlement = match truth.kind {
                SubscriptionKind::AzurePlan => truth.entitlements.first().map(|(e, _)| e.as_str()),
                SubscriptionKind::Legacy => Some(truth.id.as_str()),
                _ => None,
            };
            assert_eq!(it["entitlementId"].as_str(), entitlement, "{it}");
            let (unit, billing, cycle, consumption) = if license {
                ("Licenses", "license", "monthly", "none")
            } else {
                ("Usage-based", "usage", "none", "usage")
            };
            assert_eq!(
                [
                    &it["unitType"],
                    &it["billingType"],
                    &it["billingCycle"],
                    &it["consumptionType"]
                ],
                [unit, billing, cycle, consumption],
                "{it}"
            );
            assert_eq!(it["autoRenewEnabled"], license, "{it}");
            kinds.insert(truth.kind.as_str());
            let one = get(
                &s,
                &format!("/v1/customers/{}/subscriptions/{}", c.id, truth.id),
            );
            assert_eq!(json(&one), *it);
        }
        let legacy = c
            .subscriptions
            .iter()
            .filter(|x| x.offer_id == "MS-AZR-0145P")
            .count();
        let plans = c
            .subscriptions
            .iter()
            .filter(|x| x.offer_id == "DZH318Z0BCZC")
            .count();
        if c.is_upgraded {
            assert!((1..=3).contains(&plans) && legacy == 0);
        } else {
            assert!((1..=2).contains(&legacy) && plans == 0);
        }
        let one = get(&s, &format!("/v1/customers/{}", c.id.to_uppercase()));
        assert_eq!(json(&one)["companyProfile"]["companyName"], c.name.as_str());
    }
    assert_eq!(kinds.len(), 3);
}

#[test]
fn customers_list_pages_with_seek_operation_next() {
    let s = sim();
    let (all, pages, uris) = fetch_all(&s, "/v1/customers?size=40");
    assert_eq!(pages, 3);
    assert_eq!(all.len(), 120);
    for u in &uris {
        assert!(u.contains("customers?size=40&seekOperation=Next"), "{u}");
    }
    let ids: Vec<&str> = all.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let truth: Vec<&str> = s.customers().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, truth);
    // The first page's body carries the token of its next link too.
    let first = json(&get(&s, "/v1/customers?size=40"));
    assert_eq!(
        first["continuationToken"],
        first["links"]["next"]["headers"][0]["value"]
    );
    assert!(first["continuationToken"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let (default, pages, _) = fetch_all(&s, "/v1/customers");
    assert_eq!((default.len(), pages), (120, 2));
    for size in [1, 7, 119, 120, 1000] {
        let (items, _, _) = fetch_all(&s, &format!("/v1/customers?size={size}"));
        assert_eq!(items, all, "size {size}");
    }
    assert_eq!(all[0]["attributes"]["objectType"], "Customer");
    // Usage records and subscriptions page too when asked to.
    let (one_page, _, _) = fetch_all(&s, "/v1/customers/usagerecords");
    for size in [1, 13, 120] {
        let (items, pages, _) = fetch_all(&s, &format!("/v1/customers/usagerecords?size={size}"));
        assert_eq!(items, one_page);
        assert_eq!(pages, 120usize.div_ceil(size));
    }
    let c = s
        .customers()
        .iter()
        .find(|c| c.subscriptions.len() >= 2)
        .unwrap();
    let url = format!("/v1/customers/{}/subscriptions", c.id);
    let (subs, _, _) = fetch_all(&s, &url);
    let (paged, pages, _) = fetch_all(&s, &format!("{url}?size=1"));
    assert_eq!((subs.clone(), subs.len()), (paged, pages));
    let plan = c.subscriptions.iter().find(|x| x.resource_records > 1);
    if let Some(p) = plan {
        let url = format!(
            "/v1/customers/{}/subscriptions/{}/resourceusagerecords",
            c.id, p.id
        );
        let (all, _, _) = fetch_all(&s, &url);
        let (paged, pages, _) = fetch_all(&s, &format!("{url}?size=3"));
        assert_eq!(all, paged);
        assert_eq!(pages as u64, p.resource_records.div_ceil(3));
    }
}

#[test]
fn next_links_use_all_three_relative_forms_and_tokens_are_nasty() {
    let s = sim();
    let mut forms = BTreeSet::new();
    for (c, sub, _) in legacy_subs(&s).iter().take(30) {
        let res = get(&s, &util_url(c, sub, &format!("{FULL}&size=5")));
        let p = parse_page(&res);
        let uri = p.raw_next_uri.unwrap();
        let (_, token) = p.next.unwrap();
        for ch in ['/', '?', '&', '%', '='] {
            assert!(token.contains(ch), "{token}");
        }
        assert!(
            uri.ends_with("/utilizations/azure?seek_operation=Next"),
            "{uri}"
        );
        forms.insert(if uri.starts_with("/v1/") {
            "v1"
        } else if uri.starts_with('/') {
            "slash"
        } else {
            assert!(uri.starts_with("customers/"));
            "bare"
        });
    }
    assert_eq!(forms.len(), 3, "{forms:?}");
}

/// The raw items of every page of a listing, joined: compares bytes, not
/// parsed values, so that the sweep over 1000 sizes stays fast.
fn raw_items(sim: &Simulator, url: &str) -> (String, usize) {
    let mut out = String::new();
    let mut pages = 0;
    let mut res = get(sim, url);
    loop {
        assert_eq!(res.status, 200);
        let body = std::str::from_utf8(&res.body).unwrap();
        let start = body.find("\"items\":[").unwrap() + 9;
        let end = body
            .rfind("],\"continuationToken\":")
            .or_else(|| body.rfind("],\"links\":"))
            .unwrap();
        if !out.is_empty() && end > start {
            out.push(',');
        }
        out.push_str(&body[start..end]);
        pages += 1;
        let links = &body[end..];
        let Some(i) = links.find("\"next\":{\"uri\":\"") else {
            return (out, pages);
        };
        let rest = &links[i + 15..];
        let uri = &rest[..rest.find('"').unwrap()];
        let t = rest.find("\"value\":\"").unwrap() + 9;
        let token = &rest[t..t + rest[t..].find('"').unwrap()];
        res = sim.handle(&req(&follow(uri), &[("MS-ContinuationToken", token)]));
    }
}

/// Every page size gives the same records in the same order.
#[test]
fn every_page_size_gives_the_same_records() {
    let s = sim();
    let subs = legacy_subs(&s);
    // A modest window of a small subscription keeps 1000 listings fast.
    let (c, sub, _) = subs
        .iter()
        .filter(|x| x.2 >= 360)
        .min_by_key(|x| x.2)
        .unwrap()
        .clone();
    let q = "start_time=2026-10-01T00:00:00Z&end_time=2026-10-11T00:00:00Z";
    let (reference, _, _) = fetch_all(&s, &util_url(&c, &sub, q));
    let (raw, pages) = raw_items(&s, &util_url(&c, &sub, q));
    assert_eq!(pages, 1);
    let n = reference.len();
    assert!(n >= 25, "{n}");
    let parsed: Value = serde_json::from_str(&format!("[{raw}]")).unwrap();
    assert_eq!(parsed.as_array().unwrap(), &reference);
    for size in 1..=1000 {
        let (items, pages) = raw_items(&s, &util_url(&c, &sub, &format!("{q}&size={size}")));
        assert_eq!(pages, n.div_ceil(size), "size {size}");
        assert!(items == raw, "size {size} differs");
    }
    // Hourly and aggregated listings too, on a sample of sizes.
    for extra in [
        "granularity=hourly",
        "show_details=false",
        "granularity=hourly&show_details=false",
    ] {
        let (reference, _) = raw_items(&s, &util_url(&c, &sub, &format!("{q}&{extra}")));
        assert!(!reference.is_empty());
        for size in [1, 2, 3, 17, 24, 100, 999] {
            let (items, _) =
                raw_items(&s, &util_url(&c, &sub, &format!("{q}&{extra}&size={size}")));
            assert!(items == reference, "{extra} size {size}");
        }
    }
}

#[test]
fn utilization_records_have_the_seed_shape() {
    let s = sim();
    let mut tagged = 0;
    let mut untagged = 0;
    let mut units_seen = BTreeSet::new();
    let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (c, sub, n) in legacy_subs(&s).iter().take(12) {
        let (items, _, _) = fetch_all(&s, &util_url(c, sub, FULL));
        assert_eq!(items.len() as u64, *n);
        let mut last = String::new();
        for it in &items {
            assert_eq!(
                keys(it),
                set(&[
                    "usageStartTime",
                    "usageEndTime",
                    "resource",
                    "quantity",
                    "unit",
                    "infoFields",
                    "instanceData",
                    "attributes"
                ])
            );
            assert_eq!(
                keys(&it["resource"]),
                set(&["id", "name", "category", "subcategory", "region"])
            );
            let inst = &it["instanceData"];
            let k = keys(inst);
            assert!(k.is_subset(&set(&[
                "resourceUri",
                "location",
                "partNumber",
                "orderNumber",
                "tags",
                "additionalInfo"
            ])));
            if inst.get("tags").is_some() {
                tagged += 1;
                assert!(inst["tags"]
                    .as_object()
                    .unwrap()
                    .values()
                    .all(Value::is_string));
            } else {
                untagged += 1;
            }
            assert_eq!(it["infoFields"], serde_json::json!({}));
            assert_eq!(it["attributes"]["objectType"], "AzureUtilizationRecord");
            let start = it["usageStartTime"].as_str().unwrap().to_string();
            assert!(start >= last, "ordered by usageStartTime");
            last = start;
            units_seen.insert(it["unit"].as_str().unwrap().to_string());
            let uri = inst["resourceUri"].as_str().unwrap();
            let g = uri.split('/').nth(4).unwrap();
            groups
                .entry(g.to_ascii_lowercase())
                .or_default()
                .insert(g.to_string());
            assert!(uri.starts_with(&format!("/subscriptions/{sub}/resourceGroups/")));
        }
    }
    assert!(tagged > 0 && untagged > 0);
    assert!(units_seen.len() >= 4, "{units_seen:?}");
    assert!(groups.values().any(|v| v.len() > 1), "group case varies");
}

#[test]
fn utilization_quantities_add_up_across_granularity_and_details() {
    let s = sim();
    let (c, sub, _) = legacy_subs(&s)[0].clone();
    let day = "start_time=2026-10-05T00:00:00Z&end_time=2026-10-06T00:00:00Z";
    let sum_by = |extra: &str, by_instance: bool| {
        let res = get(&s, &util_url(&c, &sub, &format!("{day}&{extra}")));
        assert_eq!(res.status, 200);
        let v = json(&res);
        let qs = raw_numbers(&res.body, "quantity");
        let mut m: BTreeMap<String, u128> = BTreeMap::new();
        for (it, q) in v["items"].as_array().unwrap().iter().zip(qs) {
            let key = if by_instance {
                it["instanceData"]["resourceUri"]
                    .as_str()
                    .unwrap()
                    .to_string()
            } else {
                it["resource"]["id"].as_str().unwrap().to_string()
            };
            *m.entry(key).or_default() += units(&q, QTY_SCALE);
        }
        m
    };
    assert_eq!(sum_by("", true), sum_by("granularity=hourly", true));
    assert_eq!(sum_by("show_details=false", false), sum_by("", false));
    assert_eq!(
        sum_by("show_details=false&granularity=hourly", false),
        sum_by("show_details=false", false)
    );
    let agg = json(&get(
        &s,
        &util_url(&c, &sub, &format!("{day}&show_details=false")),
    ));
    assert!(agg["items"][0].get("instanceData").is_none());
    let hourly = json(&get(
        &s,
        &util_url(&c, &sub, &format!("{day}&granularity=HOURLY")),
    ));
    assert_eq!(
        hourly["items"][0]["usageStartTime"],
        "2026-10-05T00:00:00+00:00"
    );
    assert_eq!(
        hourly["items"][0]["usageEndTime"],
        "2026-10-05T01:00:00+00:00"
    );
}

/// Every record of a listing, each with its exact `quantity` text.
fn records_with_quantities(sim: &Simulator, url: &str) -> Vec<(Value, String)> {
    let mut out = Vec::new();
    let mut res = get(sim, url);
    loop {
        if res.status == 204 {
            return out;
        }
        assert_eq!(res.status, 200, "{url}");
        let page = parse_page(&res);
        let quantities = raw_numbers(&res.body, "quantity");
        assert_eq!(quantities.len(), page.items.len());
        out.extend(page.items.into_iter().zip(quantities));
        let Some((next, token)) = page.next else {
            return out;
        };
        res = sim.handle(&req(&next, &[("MS-ContinuationToken", &token)]));
    }
}

#[test]
fn quantities_follow_their_meters_and_a_day_is_its_24_hours() {
    let s = sim();
    let (c, sub, _) = legacy_subs(&s)[0].clone();
    let window = "start_time=2026-10-05T00:00:00Z&end_time=2026-10-08T00:00:00Z";
    let daily = records_with_quantities(&s, &util_url(&c, &sub, window));
    let hourly = records_with_quantities(
        &s,
        &util_url(&c, &sub, &format!("{window}&granularity=hourly")),
    );
    assert!(!daily.is_empty() && hourly.len() >= 24 * daily.len() / 2);
    let meter = |r: &Value| {
        let name = r["resource"]["name"].as_str().unwrap();
        data::METERS.iter().find(|m| m.name == name).unwrap()
    };
    let hourly_meter = |r: &Value| meter(r).hourly;
    let instance_day = |r: &Value| {
        let start = r["usageStartTime"].as_str().unwrap();
        (
            r["instanceData"]["resourceUri"]
                .as_str()
                .unwrap()
                .to_string(),
            start[..10].to_string(),
        )
    };
    // Per instance and day: the 24 hourly quantities add up to the daily one.
    let mut sums: BTreeMap<(String, String), u128> = BTreeMap::new();
    let (mut whole_hours, mut running_hours) = (0, 0);
    let mut partial = Vec::new();
    let mut spread: BTreeMap<String, (u128, u128)> = BTreeMap::new();
    for (r, q) in &hourly {
        let v = units(q, QTY_SCALE);
        *sums.entry(instance_day(r)).or_default() += v;
        if hourly_meter(r) {
            // A running hour is one unit; a partial one (start or stop) less.
            assert!(v <= units("1", QTY_SCALE), "{q}");
            running_hours += 1;
            whole_hours += usize::from(q == "1");
            if q != "1" {
                partial.push(v);
            }
        } else {
            // lo..=hi ten-thousandths of a unit an hour, ±50 %, plus < 1000 × 10^-16.
            let m = meter(r);
            let unit = units("1", QTY_SCALE) / 10_000;
            let (min, max) = (
                u128::from(m.lo) * unit / 2,
                u128::from(m.hi) * unit * 3 / 2 + 1000,
            );
            assert!(
                (min..=max).contains(&v),
                "{q} outside {min}..={max} for {}",
                m.name
            );
            let e = spread.entry(instance_day(r).0).or_insert((u128::MAX, 0));
            *e = (e.0.min(v), e.1.max(v));
        }
    }
    assert!(running_hours > 24, "{running_hours}");
    let share = 100 * whole_hours / running_hours;
    assert!((75..=95).contains(&share), "{share} % whole hours");
    // Partial hours spread over the hour.
    let mean = partial.iter().sum::<u128>() / partial.len().max(1) as u128;
    let half = units("1", QTY_SCALE) / 2;
    assert!(
        !partial.is_empty() && mean.abs_diff(half) < half / 2,
        "{mean}"
    );
    // Other meters vary from hour to hour (±50 %), around the instance's own scale.
    assert!(!spread.is_empty());
    for (uri, (lo, hi)) in &spread {
        assert!(*lo > 0 && hi > lo, "{uri}: {lo}..{hi}");
        assert!(*hi < 4 * *lo, "{uri}: {lo}..{hi}");
    }
    assert_eq!(sums.len(), daily.len());
    for (r, q) in &daily {
        let v = units(q, QTY_SCALE);
        assert!(v > 0, "{r}");
        assert_eq!(sums[&instance_day(r)], v, "{r}");
    }
}

#[test]
fn windows_select_records_by_usage_start_time() {
    let s = sim();
    let (first, end) = s.usage_window();
    let (c, sub, n) = legacy_subs(&s)[1].clone();
    let q = |a: &str, b: &str| util_url(&c, &sub, &format!("start_time={a}&end_time={b}"));
    // The whole window holds every record; a wider one adds nothing.
    let whole = q(&first.to_query_string(), &end.to_query_string());
    assert_eq!(fetch_all(&s, &whole).0.len() as u64, n);
    // Before the data, after the horizon and an empty window: 204, empty body.
    for url in [
        q("2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z"),
        q(&end.to_query_string(), "2027-01-01T00:00:00Z"),
        q("2026-10-01T00:00:00Z", "2026-10-01T00:00:00Z"),
        q("2026-10-01T00:00:01Z", "2026-10-02T00:00:00Z"),
        // A fraction of a second past the day's start is past its record.
        q("2026-10-01T00:00:00.5Z", "2026-10-02T00:00:00Z"),
    ] {
        let r = get(&s, &url);
        assert_eq!(r.status, 204, "{url}");
        assert!(r.body.is_empty());
        assert!(r.header("Content-Type").is_none());
        assert_eq!(r.header("Retry-After"), Some("3600"));
    }
    // Half-open: [start, end).
    let one = fetch_all(&s, &q("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z")).0;
    assert!(one
        .iter()
        .all(|r| r["usageStartTime"] == "2026-10-01T00:00:00+00:00"));
    // A window must end two hours before now or earlier: Partner Center
    // returns nothing for an end_time of now (the digest), so a client that
    // doesn't clamp its window's end gets a 204 here too, hourly or daily.
    let now = s.config().now.unix_seconds();
    let at = |secs: i64| crate::time::Timestamp::from_unix(secs, 0).to_query_string();
    let hourly = |a: &str, b: &str| format!("{}&granularity=hourly", q(a, b));
    let from = end.unix_seconds() - 2 * 86_400;
    let latest = now - 2 * 3_600;
    assert!(latest >= end.unix_seconds());
    let to_end = fetch_all(&s, &hourly(&at(from), &at(end.unix_seconds()))).0;
    assert!(!to_end.is_empty());
    assert_eq!(fetch_all(&s, &hourly(&at(from), &at(latest))).0, to_end);
    for url in [
        hourly(&at(from), &at(latest + 1)),
        hourly(&at(from), &at(now)),
        q(&at(from), &at(now + 5 * 86_400)),
    ] {
        let r = get(&s, &url);
        assert_eq!(r.status, 204, "{url}");
        assert!(r.body.is_empty());
        assert_eq!(r.header("Retry-After"), Some("3600"));
    }
    // A simulator left running: a window that ends 2 hours before the wall
    // clock (a client's default window, hours after `now`) gets the usage up
    // to `now`, while one ending later than that is still too recent.
    let at_wall = |url: &str, wall: i64| {
        s.handle_at(&req(url, &[]), crate::time::Timestamp::from_unix(wall, 0))
    };
    let wall = now + 5 * 3_600;
    let r = at_wall(&hourly(&at(from), &at(wall - 2 * 3_600)), wall);
    assert_eq!(r.status, 200);
    assert_eq!(
        at_wall(&hourly(&at(from), &at(wall - 2 * 3_600 + 1)), wall).status,
        204
    );
    assert_eq!(
        at_wall(&hourly(&at(from), &at(now)), now).status,
        204,
        "the wall clock counts only when later"
    );
    // Half a second after the start still holds the record that starts there.
    let half = fetch_all(&s, &q("2026-10-01T00:00:00Z", "2026-10-01T00:00:00.5Z")).0;
    assert_eq!(half, one);
    let offset = fetch_all(
        &s,
        &util_url(
            &c,
            &sub,
            "start_time=2026-10-01T02:00:00%2B02:00&end_time=2026-10-02T00:00:00Z",
        ),
    )
    .0;
    assert_eq!(offset, one, "an encoded +02:00 offset is understood");
}

#[test]
fn with_a_report_delay_a_window_returns_the_usage_reported_in_it() {
    let s = sim();
    let late = Simulator::new(SimConfig {
        report_delay_hours: 24,
        ..s.config().clone()
    });
    let (c, sub, _) = legacy_subs(&s)[1].clone();
    let q = |a: &str, b: &str| util_url(&c, &sub, &format!("start_time={a}&end_time={b}"));
    // Reported on Oct 2: the usage of Oct 1, one day before the window.
    let reported = fetch_all(&late, &q("2026-10-02T00:00:00Z", "2026-10-03T00:00:00Z")).0;
    let used = fetch_all(&s, &q("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z")).0;
    assert!(!reported.is_empty());
    assert_eq!(reported, used);
    assert!(reported
        .iter()
        .all(|r| r["usageStartTime"] == "2026-10-01T00:00:00+00:00"));
    // More than 30 days is capped.
    let capped = Simulator::new(SimConfig {
        report_delay_hours: 10_000,
        ..s.config().clone()
    });
    assert_eq!(capped.config().report_delay_hours, 720);
}

/// A simulator of one customer and "Contoso Scale Test" with `records`
/// utilization records, and the URL of that subscription's whole window.
fn big_sim(records: u64) -> (Simulator, String) {
    let s = Simulator::new(SimConfig {
        customers: 1,
        big_subscription_records: records,
        ..SimConfig::default()
    });
    let big = s.customers().last().unwrap();
    let url = util_url(&big.id, &big.subscriptions[0].id, FULL);
    (s, url)
}

#[test]
fn big_subscription_pages_lazily_with_an_exact_count() {
    let s = Simulator::new(SimConfig {
        customers: 3,
        big_subscription_records: 1_000_000,
        ..SimConfig::default()
    });
    let big = s.customers().last().unwrap();
    assert_eq!(big.name, "Contoso Scale Test");
    assert!(!big.is_upgraded);
    let sub = &big.subscriptions[0];
    assert_eq!(sub.utilization_records, 1_000_000);
    // First page, then jump straight to the end with a token for offset 999,500.
    let url = util_url(&big.id, &sub.id, FULL);
    let p = parse_page(&get(&s, &url));
    assert_eq!(p.items.len(), 1000);
    let (next_url, token) = p.next.unwrap();
    let mut cur = paging::decode(s.config().seed, &token).unwrap();
    cur.offset = 999_500;
    let jump = paging::encode(s.config().seed, &cur);
    let last = parse_page(&s.handle(&req(&next_url, &[("MS-ContinuationToken", &jump)])));
    assert_eq!(last.items.len(), 500);
    assert!(last.next.is_none());
    let (_, end) = s.usage_window();
    let last_day = end.add_seconds(-86_400).to_utc();
    assert_eq!(
        last.items[499]["usageStartTime"].as_str().unwrap(),
        format!("{}+00:00", &last_day.to_query_string()[..19])
    );
    // A smaller one is paged completely.
    let (s, url) = big_sim(2_345);
    let (items, pages, _) = fetch_all(&s, &url);
    assert_eq!((items.len(), pages), (2_345, 3));
    let (agg, _, _) = fetch_all(&s, &format!("{url}&show_details=false"));
    assert!(!agg.is_empty() && agg.len() < 2_345);
    // With fewer instances than meters, each has a meter of its own: the
    // aggregated listing has a record per instance and day too, and the
    // last instance runs only on the last days (250 = 2 × 120 + 10).
    let (s, url) = big_sim(250);
    for details in ["true", "false"] {
        let (items, _, _) = fetch_all(&s, &format!("{url}&show_details={details}"));
        assert_eq!(items.len(), 250, "show_details={details}");
        let mut per_day: BTreeMap<String, usize> = BTreeMap::new();
        for it in &items {
            *per_day
                .entry(it["usageStartTime"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        let counts: Vec<usize> = per_day.values().copied().collect();
        assert_eq!(counts.len(), 120);
        assert!(counts[..110].iter().all(|&n| n == 2), "{counts:?}");
        assert!(counts[110..].iter().all(|&n| n == 3), "{counts:?}");
    }
}

fn error_of(res: &SimResponse, status: u16) -> Value {
    assert_eq!(res.status, status, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(
        res.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    json(res)
}

fn pc_error(res: &SimResponse, status: u16) -> Value {
    let v = error_of(res, status);
    assert_eq!(
        keys(&v),
        set(&["code", "description", "data", "source"]),
        "{v}"
    );
    assert!(v["code"].is_number() || v["code"].is_string());
    assert!(v["description"].as_str().unwrap().len() <= 1024);
    assert_eq!(v["data"], serde_json::json!([]));
    assert_eq!(v["source"], "PartnerFD");
    v
}

#[test]
fn authentication_and_authorization() {
    let s = sim();
    for auth in [
        None,
        Some("Basic abc"),
        Some("Bearer "),
        Some("Bearer"),
        Some(""),
    ] {
        let mut r = req("/v1/customers/usagerecords", &[]);
        r.headers.clear();
        if let Some(a) = auth {
            r.headers.push(("authorization".into(), a.into()));
        }
        let res = s.handle(&r);
        pc_error(&res, 401);
        assert_eq!(res.header("WWW-Authenticate"), Some("Bearer"));
    }
    let mut r = req("/v1/customers", &[]);
    r.headers[0].1 = "bearer forbidden".into();
    pc_error(&s.handle(&r), 403);
    let custom = Simulator::new(SimConfig {
        customers: 1,
        forbidden_token: "nope".into(),
        ..SimConfig::default()
    });
    r.headers[0].1 = "Bearer nope".into();
    pc_error(&custom.handle(&r), 403);
    r.headers[0].1 = "Bearer forbidden".into();
    assert_eq!(custom.handle(&r).status, 200);
}

#[test]
fn some_legacy_subscriptions_have_no_hourly_data_where_daily_works() {
    let s = sim();
    let subs: Vec<&Subscription> = s
        .customers()
        .iter()
        .flat_map(|c| &c.subscriptions)
        .filter(|x| x.kind == SubscriptionKind::Legacy)
        .collect();
    let without = subs.iter().filter(|x| !x.hourly_data).count();
    assert!(
        (subs.len() / 10..=subs.len() * 2 / 5).contains(&without),
        "{without} of {}",
        subs.len()
    );
    let mut seen = [false; 2];
    let first = s.customers().iter().flat_map(|c| {
        c.subscriptions
            .iter()
            .filter(|x| x.kind == SubscriptionKind::Legacy && x.utilization_records > 0)
            .map(move |x| {
                (
                    c.id.clone(),
                    x.id.clone(),
                    x.utilization_records,
                    x.hourly_data,
                )
            })
    });
    for (c, sub, records, hourly_data) in first.take(12) {
        let daily = get(&s, &util_url(&c, &sub, FULL));
        assert_eq!(
            daily.status, 200,
            "daily works for every one ({records} records)"
        );
        let hourly = get(
            &s,
            &util_url(&c, &sub, &format!("{FULL}&granularity=hourly")),
        );
        // No hourly data: 204 No Content, as a window without usage.
        assert_eq!(hourly.status, if hourly_data { 200 } else { 204 });
        seen[usize::from(hourly_data)] = true;
    }
    assert_eq!(
        seen,
        [true, true],
        "both kinds among the first subscriptions"
    );
}

#[test]
fn expired_and_app_only_tokens() {
    let s = sim();
    let (c, sub, _) = legacy_subs(&s)[0].clone();
    let (c_plan, plan) = plan_with_usage(&s);
    let resources = format!(
        "/v1/customers/{}/subscriptions/{plan}/resourceusagerecords",
        c_plan.id
    );
    let app_user_only = ["/v1/customers/usagerecords".to_string(), resources];
    let any = [
        "/v1/customers".to_string(),
        format!("/v1/customers/{c}/subscriptions"),
        util_url(&c, &sub, FULL),
    ];
    let with = |url: &str, token: &str| {
        let mut r = req(url, &[]);
        r.headers[0].1 = format!("Bearer {token}");
        s.handle(&r)
    };
    for url in app_user_only.iter().chain(&any) {
        // Expired: 401 everywhere, saying why in the body and the header.
        let res = with(url, EXPIRED_TOKEN);
        let v = pc_error(&res, 401);
        assert!(
            v["description"].as_str().unwrap().contains("expired"),
            "{v}"
        );
        assert!(res
            .header("WWW-Authenticate")
            .unwrap()
            .contains("invalid_token"));
        assert_eq!(with(url, "fresh").status, 200, "{url}");
    }
    // App-only: refused where app+user credentials are required, only there.
    for url in &app_user_only {
        let v = pc_error(&with(url, APP_ONLY_TOKEN), 403);
        assert!(
            v["description"].as_str().unwrap().contains("app+user"),
            "{v}"
        );
    }
    for url in &any {
        assert_eq!(with(url, APP_ONLY_TOKEN).status, 200, "{url}");
    }
}

#[test]
fn routing_errors() {
    let s = sim();
    let c = &s.customers()[0];
    let v = error_of(&get(&s, "/v1/unknown"), 404);
    assert!(v["message"].as_str().unwrap().contains("/v1/unknown"));
    error_of(&get(&s, "/v2/customers"), 404);
    error_of(&get(&s, "/"), 404);
    error_of(
        &get(&s, "/v1/customers/x/subscriptions/y/utilizations"),
        404,
    );
    let v = pc_error(
        &get(
            &s,
            "/v1/customers/00000000-0000-0000-0000-000000000000/subscriptions",
        ),
        404,
    );
    assert_eq!(v["code"], 20002);
    let v = pc_error(
        &get(
            &s,
            &format!(
                "/v1/customers/{}/subscriptions/nope/resourceusagerecords",
                c.id
            ),
        ),
        404,
    );
    assert_eq!(v["code"], 800011);
    let mut post = req("/v1/customers", &[]);
    post.method = Method::Post;
    let res = s.handle(&post);
    let v = error_of(&res, 405);
    assert!(v["message"].as_str().unwrap().contains("POST"));
    assert_eq!(res.header("Allow"), Some("GET"));
    for bad in [
        "/v1/customers/%zz",
        "/v1/customers?size=%G1",
        "/v1/%ff",
        "not a url",
    ] {
        let v = error_of(&get(&s, bad), 400);
        assert_eq!(v["message"], "The request is invalid.");
    }
}

#[test]
fn wrong_endpoint_for_the_subscription_kind() {
    let s = sim();
    let mut seen = 0;
    for c in s.customers() {
        for sub in &c.subscriptions {
            let base = format!("/v1/customers/{}/subscriptions/{}", c.id, sub.id);
            let res_usage = get(&s, &format!("{base}/resourceusagerecords"));
            let util = get(&s, &util_url(&c.id, &sub.id, FULL));
            match sub.kind {
                SubscriptionKind::AzurePlan => {
                    assert_eq!(res_usage.status, 200);
                    assert_eq!(pc_error(&util, 400)["code"], 800011);
                }
                SubscriptionKind::Legacy => {
                    assert_eq!(util.status, 200);
                    let v = pc_error(&res_usage, 400);
                    assert!(v["description"].as_str().unwrap().contains("MS-AZR-0145P"));
                }
                _ => {
                    pc_error(&res_usage, 400);
                    pc_error(&util, 400);
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 0);
}

#[test]
fn utilization_validation() {
    let s = sim();
    let (c, sub, _) = legacy_subs(&s)[0].clone();
    for q in [
        "",
        "start_time=2026-10-01T00:00:00Z",
        "end_time=2026-10-01T00:00:00Z",
        "start_time=yesterday&end_time=2026-10-01T00:00:00Z",
        "start_time=2026-10-01T00:00:00Z&end_time=2026-13-01T00:00:00Z",
        // An unencoded '+' is a space in a query string.
        "start_time=2026-10-01T00:00:00+00:00&end_time=2026-10-02T00:00:00Z",
        "start_time=2026-10-02T00:00:00Z&end_time=2026-10-01T00:00:00Z",
        "start_time=2026-10-01T00:00:00Z&end_time=2026-10-02T00:00:00Z&granularity=weekly",
        "start_time=2026-10-01T00:00:00Z&end_time=2026-10-02T00:00:00Z&show_details=yes",
        "start_time=2026-10-01T00:00:00Z&end_time=2026-10-02T00:00:00Z&size=0",
        "start_time=2026-10-01T00:00:00Z&end_time=2026-10-02T00:00:00Z&size=1001",
        "start_time=2026-10-01T00:00:00Z&end_time=2026-10-02T00:00:00Z&size=ten",
        "start_time=2026-10-01T00:00:00Z&end_time=2026-10-02T00:00:00Z&seek_operation=Previous",
        "seek_operation=Next",
    ] {
        let v = pc_error(&get(&s, &util_url(&c, &sub, q)), 400);
        assert_eq!(v["code"], 2000, "{q}");
    }
    let ok = "start_time=2026-10-01T00:00:00Z&end_time=2026-10-03T00:00:00Z";
    for q in [
        format!("{ok}&size=1000&granularity=Daily&show_details=TRUE"),
        format!("{ok}&size=1"),
        format!("{ok}&Granularity=hourly"),
    ] {
        assert_eq!(get(&s, &util_url(&c, &sub, &q)).status, 200, "{q}");
    }
}

#[test]
fn bad_tokens_are_rejected() {
    let s = sim();
    let subs = legacy_subs(&s);
    let (c, sub, _) = subs[0].clone();
    let first = parse_page(&get(&s, &util_url(&c, &sub, &format!("{FULL}&size=2"))));
    let (next, token) = first.next.unwrap();
    let send = |url: &str, t: &str| s.handle(&req(url, &[("MS-ContinuationToken", t)]));
    assert_eq!(send(&next, &token).status, 200);
    let decoded = token.replace("%3D", "=");
    let mut flipped = token.clone().into_bytes();
    flipped[5] = if flipped[5] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    for bad in [decoded.as_str(), flipped.as_str(), "garbage", "v2/?rt=1"] {
        let v = pc_error(&send(&next, bad), 400);
        assert_eq!(v["code"], "InvalidContinuationToken");
    }
    // A token of one listing does not open another.
    let (c2, sub2, _) = subs[1].clone();
    let other = next.replace(&sub, &sub2).replace(&c, &c2);
    pc_error(&send(&other, &token), 400);
    pc_error(&send("/v1/customers?seekOperation=Next", &token), 400);
    // Nor across the listings that share their paging: the customer list's
    // token and the usage records' (same scope, another listing), or one
    // customer's subscriptions and another's (same listing, another scope).
    let next_of = |url: &str| parse_page(&get(&s, url)).next.unwrap();
    let (_, customers_token) = next_of("/v1/customers?size=1");
    let (usage_next, usage_token) = next_of("/v1/customers/usagerecords?size=1");
    assert_eq!(send(&usage_next, &usage_token).status, 200);
    pc_error(&send(&usage_next, &customers_token), 400);
    let mut several = s.customers().iter().filter(|c| c.subscriptions.len() > 1);
    let (a, b) = (several.next().unwrap(), several.next().unwrap());
    let (_, a_token) = next_of(&format!("/v1/customers/{}/subscriptions?size=1", a.id));
    let (b_next, b_token) = next_of(&format!("/v1/customers/{}/subscriptions?size=1", b.id));
    assert_eq!(send(&b_next, &b_token).status, 200);
    pc_error(&send(&b_next, &a_token), 400);
    // A token from another seed is refused too.
    let s2 = Simulator::new(SimConfig {
        seed: 99,
        ..SimConfig::default()
    });
    let t2 = parse_page(&get(&s2, "/v1/customers?size=1"))
        .next
        .unwrap()
        .1;
    pc_error(&send("/v1/customers?size=1&seekOperation=Next", &t2), 400);
    // The customers list validates its seek operation and needs the token.
    pc_error(&get(&s, "/v1/customers?seekOperation=Next"), 400);
    pc_error(&get(&s, "/v1/customers?seekOperation=Back"), 400);
    pc_error(&get(&s, "/v1/customers?size=1001"), 400);
    pc_error(&get(&s, "/v1/customers/usagerecords?size=-1"), 400);
}

#[test]
fn standard_headers() {
    let s = sim();
    let r = s.handle(&req(
        "/v1/customers?size=1",
        &[
            ("MS-RequestId", "e128c8e2-4c33-4940-a3e2-2e59b0abdc67"),
            ("MS-CorrelationId", "aaaa0000-bb11-2222-33cc-444444dddddd"),
            ("MS-CV", "abc.1"),
        ],
    ));
    assert_eq!(
        r.header("MS-RequestId"),
        Some("e128c8e2-4c33-4940-a3e2-2e59b0abdc67")
    );
    assert_eq!(
        r.header("MS-CorrelationId"),
        Some("aaaa0000-bb11-2222-33cc-444444dddddd")
    );
    assert_eq!(r.header("MS-CV"), Some("abc.1"));
    assert_eq!(
        r.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    let a = get(&s, "/v1/customers?size=1");
    let b = get(&s, "/v1/customers?size=1");
    assert_eq!(a.header("MS-RequestId").unwrap().len(), 36);
    assert_ne!(a.header("MS-RequestId"), b.header("MS-RequestId"));
    assert!(a.header("MS-CV").is_some());
    assert_eq!(a.header("MS-ServerId"), b.header("MS-ServerId"));
    assert_eq!((a.delay_ms, a.fault), (0, None));
    assert_eq!(s.requests_handled(), 3);
    let slow = Simulator::new(SimConfig {
        customers: 2,
        latency_ms: 250,
        ..SimConfig::default()
    });
    assert_eq!(get(&slow, "/v1/customers").delay_ms, 250);
    assert_eq!(get(&slow, "/v1/nope").delay_ms, 250);
}

/// The fault rate is the share of data requests that get a fault, and a
/// reply without a body (a 204 for a window with no data) is never cut:
/// the roll that would cut it delays it instead.
#[test]
fn faults_come_at_their_rate_and_never_cut_an_empty_body() {
    let s = Simulator::new(SimConfig {
        fault_rate: 0.3,
        ..SimConfig::default()
    });
    let faulted = (0..1000)
        .filter(|_| get(&s, "/v1/customers").fault.is_some())
        .count();
    assert!((250..=350).contains(&faulted), "{faulted} of 1000");

    let s = Simulator::new(SimConfig {
        fault_rate: 1.0,
        ..SimConfig::default()
    });
    let (c, sub, _) = legacy_subs(&s)[0].clone();
    let empty = util_url(
        &c,
        &sub,
        "start_time=2020-01-01T00:00:00Z&end_time=2020-01-02T00:00:00Z",
    );
    assert_eq!(get(&sim(), &empty).status, 204, "no data in that window");
    let mut delays = 0u32;
    for _ in 0..400 {
        let r = get(&s, &empty);
        match r.fault {
            Some(Fault::Truncated) => panic!("an empty body was cut"),
            Some(Fault::Delay) => {
                assert_eq!((r.status, r.body.len()), (204, 0));
                delays += 1;
            }
            _ => {}
        }
    }
    // 15 % delays, and the 10 % that would cut the body: 25 % of 400.
    assert!(delays.abs_diff(100) <= 30, "{delays} delays of 400");
}

/// Named fault kinds are the only ones injected, each as likely; one that
/// can't apply to a request leaves it alone.
#[test]
fn named_faults_are_the_only_ones() {
    let clean = sim();
    let (c, sub, _) = legacy_subs(&clean)[0].clone();
    let first = util_url(&c, &sub, &format!("{FULL}&size=3"));
    let (next, token) = parse_page(&get(&clean, &first)).next.unwrap();
    let s = Simulator::new(SimConfig {
        fault_rate: 1.0,
        faults: vec![Fault::NotReady, Fault::Truncated],
        ..SimConfig::default()
    });
    let mut seen: BTreeMap<Option<&str>, u32> = BTreeMap::new();
    for _ in 0..200 {
        // A first page: "not ready" can't apply there, so half come whole.
        let r = get(&s, &first);
        assert!(
            matches!(r.fault, None | Some(Fault::Truncated)),
            "{:?}",
            r.fault
        );
        if r.fault.is_none() {
            assert_eq!(r.body, get(&clean, &first).body);
        }
        *seen.entry(r.fault.map(Fault::as_str)).or_default() += 1;
        let r = s.handle(&req(&next, &[("MS-ContinuationToken", &token)]));
        let f = r.fault.expect("both kinds apply to a next page");
        assert!(matches!(f, Fault::NotReady | Fault::Truncated), "{f:?}");
        *seen.entry(Some(f.as_str())).or_default() += 1;
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen[&None].abs_diff(100) <= 25, "{seen:?}");
    assert!(seen[&Some("not-ready")].abs_diff(100) <= 25, "{seen:?}");
    for f in Fault::ALL {
        assert_eq!(Fault::from_name(f.as_str()), Some(f));
    }
}

#[test]
fn every_fault_kind_has_its_shape() {
    let cfg = SimConfig {
        fault_rate: 1.0,
        latency_ms: 5,
        ..SimConfig::default()
    };
    let s = Simulator::new(cfg.clone());
    let clean = sim();
    let (c, sub, _) = legacy_subs(&s)[0].clone();
    let first = util_url(&c, &sub, &format!("{FULL}&size=3"));
    let (next, token) = parse_page(&get(&clean, &first)).next.unwrap();
    let expected_next = get(&clean, &next);
    assert_eq!(expected_next.status, 400, "token needed");
    let expected_next = clean.handle(&req(&next, &[("MS-ContinuationToken", &token)]));
    let wall = crate::time::Timestamp::parse("2026-11-25T10:00:00Z").unwrap();
    let mut counts: BTreeMap<(bool, &str), u32> = BTreeMap::new();
    let mut server_errors: BTreeMap<u16, u32> = BTreeMap::new();
    let (mut delays, mut cuts) = (BTreeSet::new(), BTreeSet::new());
    for i in 0..400 {
        let with_token = i % 2 == 0;
        let r = if with_token {
            s.handle_at(&req(&next, &[("MS-ContinuationToken", &token)]), wall)
        } else {
            s.handle_at(&req(&first, &[]), wall)
        };
        let f = r.fault.expect("fault_rate 1.0 faults every data request");
        *counts.entry((with_token, f.as_str())).or_default() += 1;
        match f {
            Fault::Throttled => {
                assert_eq!(r.status, 429);
                let after = r.header("Retry-After").unwrap();
                assert!(after == "1" || after == "2");
                let v = json(&r);
                assert_eq!(v["statusCode"], 429);
                assert_eq!(
                    v["message"],
                    format!("Rate limit is exceeded. Try again in {after} seconds.")
                );
            }
            Fault::ServerError => {
                *server_errors.entry(r.status).or_default() += 1;
                let v = pc_error(&r, r.status);
                match r.status {
                    503 => {
                        assert_eq!(v["code"], "ServiceUnavailable");
                        assert!(matches!(r.header("Retry-After"), Some("1" | "2")));
                    }
                    500 => {
                        assert_eq!(v["code"], 500);
                        assert_eq!(r.header("Retry-After"), None);
                    }
                    other => panic!("a server error is 500 or 503, not {other}"),
                }
            }
            Fault::NotReady => {
                assert!(with_token, "not ready only on next pages");
                assert_eq!(r.status, 204);
                assert!(r.body.is_empty());
                assert_eq!(
                    r.header("Retry-After"),
                    Some("Wed, 25 Nov 2026 10:00:01 GMT")
                );
            }
            Fault::Delay => {
                // 100 to 399 ms on top of the latency.
                assert!((105..405).contains(&r.delay_ms), "{}", r.delay_ms);
                delays.insert(r.delay_ms);
                let expected = if with_token {
                    expected_next.body.clone()
                } else {
                    get(&clean, &first).body
                };
                assert_eq!(r.body, expected);
            }
            Fault::Truncated => {
                assert_eq!(r.status, 200);
                assert_eq!(
                    r.header("Content-Type"),
                    Some("application/json; charset=utf-8")
                );
                assert!(serde_json::from_slice::<Value>(&r.body).is_err());
                let full = if with_token {
                    expected_next.body.clone()
                } else {
                    get(&clean, &first).body
                };
                assert!(r.body.len() < full.len() && full.starts_with(&r.body));
                // Cut somewhere in the middle half.
                let (cut, len) = (r.body.len(), full.len());
                assert!(cut >= len / 4 && cut <= len / 4 + len / 2, "{cut} of {len}");
                cuts.insert((cut, len));
            }
            Fault::DropConnection => {
                assert_eq!(r.status, 0);
                assert!(r.body.is_empty() && r.headers.is_empty());
            }
        }
        assert!(r.delay_ms >= 5);
    }
    let seen: BTreeSet<&str> = counts.keys().map(|&(_, kind)| kind).collect();
    assert_eq!(seen.len(), 6, "{seen:?}");
    // A third of the server errors are 503s, the rest 500s; delays and cuts vary.
    let (s503, s500) = (server_errors[&503], server_errors[&500]);
    assert!(
        (15..=55).contains(&(100 * s503 / (s503 + s500))),
        "{server_errors:?}"
    );
    assert!(delays.len() > 20, "{delays:?}");
    assert!(cuts.len() > 10, "{cuts:?}");
    // The kinds come in their shares (in percent), 200 requests each way,
    // within 10 points: a first page can't be "not ready", so it is
    // throttled instead.
    let shares = [
        ("throttled", 30u32, 45u32),
        ("server-error", 20, 20),
        ("not-ready", 15, 0),
        ("delay", 15, 15),
        ("truncated", 10, 10),
        ("drop", 10, 10),
    ];
    for (kind, next_page, first_page) in shares {
        for (with_token, want) in [(true, next_page), (false, first_page)] {
            let got = counts.get(&(with_token, kind)).copied().unwrap_or(0) / 2;
            assert!(
                got.abs_diff(want) <= 10,
                "{kind} (next page: {with_token}): {got} % for {want} %"
            );
        }
    }
    // Only utilization's next pages are ever "not ready": another listing's
    // are throttled instead (the digest's error table).
    let (next, token) = parse_page(&get(&clean, "/v1/customers?size=40"))
        .next
        .unwrap();
    let mut kinds = BTreeSet::new();
    for _ in 0..200 {
        let r = s.handle_at(&req(&next, &[("MS-ContinuationToken", &token)]), wall);
        kinds.insert(r.fault.expect("a fault").as_str());
    }
    assert!(
        !kinds.contains("not-ready") && kinds.contains("throttled"),
        "{kinds:?}"
    );
    // Errors are never replaced by faults.
    assert_eq!(get(&s, "/v1/nowhere").fault, None);
    assert_eq!(
        s.handle(&Request {
            method: Method::Get,
            url: "/v1/customers".into(),
            headers: vec![]
        })
        .status,
        401
    );
    // retry_after_secs is configurable.
    let s = Simulator::new(SimConfig {
        retry_after_secs: 5,
        ..cfg
    });
    for _ in 0..50 {
        let r = get(&s, "/v1/customers");
        if r.fault == Some(Fault::Throttled) {
            let after: u32 = r.header("Retry-After").unwrap().parse().unwrap();
            assert!(after == 5 || after == 6);
        }
    }
}

#[test]
fn faults_never_change_the_data() {
    let clean = sim();
    let faulty = Simulator::new(SimConfig {
        fault_rate: 0.3,
        ..SimConfig::default()
    });
    let (c, sub, _) = legacy_subs(&clean)[2].clone();
    let (c_plan, plan) = plan_with_usage(&clean);
    for url in [
        "/v1/customers?size=9".to_string(),
        "/v1/customers/usagerecords?size=11".to_string(),
        util_url(&c, &sub, &format!("{FULL}&size=37")),
        util_url(
            &c,
            &sub,
            &format!("{FULL}&size=100&granularity=hourly&show_details=false"),
        ),
        format!(
            "/v1/customers/{}/subscriptions/{plan}/resourceusagerecords?size=4",
            c_plan.id
        ),
    ] {
        let a = fetch_all(&clean, &url).0;
        let b = fetch_all(&faulty, &url).0;
        assert!(a == b, "{url}");
        assert!(!a.is_empty());
    }
    assert!(faulty.requests_handled() > clean.requests_handled());
}

#[test]
fn tiny_and_empty_partners_work() {
    for n in [0, 1, 2, 3] {
        let s = Simulator::new(SimConfig {
            customers: n,
            ..SimConfig::default()
        });
        assert_eq!(s.customers().len(), n);
        let (items, _, _) = fetch_all(&s, "/v1/customers/usagerecords");
        assert_eq!(items.len(), n);
        let (items, _, _) = fetch_all(&s, "/v1/customers?size=1");
        assert_eq!(items.len(), n);
        for c in s.customers() {
            let (subs, _, _) = fetch_all(&s, &format!("/v1/customers/{}/subscriptions", c.id));
            assert!(!subs.is_empty());
        }
    }
    let names: Vec<String> = Simulator::new(SimConfig {
        customers: 3,
        ..SimConfig::default()
    })
    .customers()
    .iter()
    .map(|c| c.name.clone())
    .collect();
    assert!(names.contains(&"<img src=x onerror=alert(1)>".to_string()));
    assert!(names.contains(&"Müller & Søn AB".to_string()));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn shared() -> &'static Simulator {
        static SIM: std::sync::OnceLock<Simulator> = std::sync::OnceLock::new();
        SIM.get_or_init(|| {
            Simulator::new(SimConfig {
                customers: 8,
                fault_rate: 0.2,
                big_subscription_records: 500,
                ..SimConfig::default()
            })
        })
    }

    fn known_paths() -> Vec<String> {
        let s = shared();
        let mut v = vec![
            "/v1/customers".to_string(),
            "/v1/customers/usagerecords".to_string(),
        ];
        for c in s.customers() {
            for sub in &c.subscriptions {
                let b = format!("/v1/customers/{}/subscriptions/{}", c.id, sub.id);
                v.push(format!("{b}/resourceusagerecords"));
                v.push(format!("{b}/utilizations/azure"));
            }
        }
        v
    }

    const OK: [u16; 10] = [0, 200, 204, 400, 401, 403, 404, 405, 429, 500];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn arbitrary_urls(url in "\\PC{0,80}", auth in prop::bool::ANY) {
            let s = shared();
            let mut r = req(&url, &[]);
            if !auth { r.headers.clear(); }
            let res = s.handle(&r);
            prop_assert!(OK.contains(&res.status) || res.status == 503, "{}", res.status);
        }

        #[test]
        fn arbitrary_queries_and_tokens(
            path in 0usize..1000,
            query in "[a-z_=&%+:0-9TZ.-]{0,120}",
            token in prop::option::of("[ -~]{0,100}"),
        ) {
            let s = shared();
            let paths = known_paths();
            let url = format!("{}?{query}", paths[path % paths.len()]);
            let extra: Vec<(&str, &str)> = token
                .as_deref()
                .map(|t| vec![("MS-ContinuationToken", t)])
                .unwrap_or_default();
            let res = s.handle(&req(&url, &extra));
            prop_assert!(OK.contains(&res.status) || res.status == 503, "{}", res.status);
            if res.fault.is_none() && !res.body.is_empty() {
                prop_assert!(serde_json::from_slice::<Value>(&res.body).is_ok());
            }
        }

        #[test]
        fn arbitrary_windows(
            path in 0usize..1000,
            start in -100_000_000i64..10_000_000_000,
            len in -1_000_000i64..400_000_000,
            size in 0u32..1200,
            hourly in prop::bool::ANY,
            details in prop::bool::ANY,
        ) {
            let s = shared();
            let paths = known_paths();
            let to = |secs: i64| crate::time::Timestamp::from_unix(secs, 0).to_query_string();
            let url = format!(
                "{}?start_time={}&end_time={}&size={size}&granularity={}&show_details={details}",
                paths[path % paths.len()],
                to(start),
                to(start + len),
                if hourly { "hourly" } else { "daily" },
            );
            let res = s.handle(&req(&url, &[]));
            prop_assert!(OK.contains(&res.status) || res.status == 503, "{}", res.status);
        }
    }
}

#[test]
fn customers_are_capped_so_any_count_is_safe() {
    // usize::MAX would overflow the slot arithmetic and exhaust memory.
    let s = Simulator::new(SimConfig {
        customers: usize::MAX,
        ..SimConfig::default()
    });
    assert_eq!(s.config().customers, MAX_CUSTOMERS);
    assert_eq!(s.customers().len(), MAX_CUSTOMERS);
}

#[test]
fn aggregated_zone_meters_are_in_zone_1_and_instances_without_tags_send_none() {
    let s = sim();
    let zone: BTreeSet<&str> = super::data::METERS
        .iter()
        .filter(|m| m.zone)
        .map(|m| m.name)
        .collect();
    let regions: BTreeSet<&str> = super::data::REGIONS.iter().map(|r| r.0).collect();
    let (mut zone_seen, mut region_seen, mut tagged, mut untagged) = (0, 0, 0, 0);
    for (c, sub, _) in legacy_subs(&s).into_iter().filter(|x| x.2 > 0).take(6) {
        let (agg, _, _) = fetch_all(
            &s,
            &util_url(&c, &sub, &format!("{FULL}&show_details=false")),
        );
        for it in &agg {
            let region = it["resource"]["region"].as_str().unwrap();
            if zone.contains(it["resource"]["name"].as_str().unwrap()) {
                assert_eq!(region, "Zone 1", "{it}");
                zone_seen += 1;
            } else {
                assert!(regions.contains(region), "{it}");
                region_seen += 1;
            }
        }
        let (detailed, _, _) = fetch_all(&s, &util_url(&c, &sub, FULL));
        for it in &detailed {
            match it["instanceData"].get("tags") {
                Some(t) => {
                    assert!(!t.as_object().unwrap().is_empty(), "{it}");
                    tagged += 1;
                }
                None => untagged += 1,
            }
        }
    }
    assert!(
        zone_seen > 0 && region_seen > 0,
        "{zone_seen} {region_seen}"
    );
    assert!(tagged > 0 && untagged > 0, "{tagged} {untagged}");
}

#[test]
fn seek_next_without_a_continuation_token_is_refused() {
    let s = sim();
    let (c, sub, _) = legacy_subs(&s).into_iter().find(|x| x.2 > 0).unwrap();
    let res = get(
        &s,
        &util_url(&c, &sub, &format!("{FULL}&seek_operation=Next")),
    );
    assert_eq!(res.status, 400);
    assert!(String::from_utf8_lossy(&res.body).contains("MS-ContinuationToken header is required"));
}

/// A simulator of `customers` customers from `seed`, otherwise the defaults.
fn sim_of(seed: u64, customers: usize) -> Simulator {
    Simulator::new(SimConfig {
        seed,
        customers,
        ..SimConfig::default()
    })
}

/// The customer `k` slots after slot 0 (the one with the non-ASCII name):
/// the generator forces the kinds of the first slots.
fn slot(all: &[Customer], k: usize) -> &Customer {
    let at = all
        .iter()
        .position(|c| c.name == super::data::UNICODE_NAME)
        .unwrap();
    &all[(at + k) % all.len()]
}

/// USD per unit of each currency, × 10^9, as written here (not read from
/// the generator, so a change there shows).
fn usd_rate(code: &str) -> u128 {
    match code {
        "USD" => 1_000_000_000,
        "EUR" => 1_082_500_000,
        "GBP" => 1_271_500_000,
        "SEK" => 95_300_000,
        "JPY" => 6_670_000,
        other => panic!("{other}"),
    }
}

#[test]
fn usd_totals_follow_the_exchange_rates_and_legacy_spend_is_plausible() {
    let s = sim_of(1, 400);
    let mut legacy_spenders: BTreeMap<&str, u128> = BTreeMap::new();
    for c in s.customers() {
        let total = units(&c.total_cost, MONEY_SCALE);
        let usd = units(&c.usd_total_cost, MONEY_SCALE);
        let rate = usd_rate(c.currency);
        if c.is_upgraded {
            // The sum of per-resource conversions: each floors, so the total's
            // conversion may exceed it by at most one unit per resource.
            let whole = total * rate / 1_000_000_000;
            assert!(
                usd <= whole && whole - usd <= 10_000,
                "{}: {usd} vs {whole}",
                c.name
            );
        } else {
            assert_eq!(usd, total * rate / 1_000_000_000, "{}", c.name);
            if total > 0 {
                // Drawn as 5 to 4000 USD, then converted there and back.
                let dollars = usd / 10u128.pow(MONEY_SCALE);
                assert!((4..=4000).contains(&dollars), "{}: {dollars} USD", c.name);
                let most = legacy_spenders.entry(c.currency).or_default();
                *most = (*most).max(dollars);
            }
        }
    }
    // Legacy customers bill in several currencies, and in each some spent
    // more than 400 USD: an amount drawn in USD but left unconverted would
    // be worth a tenth of it in SEK.
    assert!(legacy_spenders.len() >= 3, "{legacy_spenders:?}");
    assert!(
        legacy_spenders.values().all(|&most| most > 400),
        "{legacy_spenders:?}"
    );
}

#[test]
fn the_first_slots_cover_every_kind_and_the_rest_follow_the_mix() {
    let n = 2000;
    let s = sim_of(1, n);
    // A customer's kind: its currency, or None for legacy.
    fn kind(c: &Customer) -> Option<&'static str> {
        c.is_upgraded.then_some(c.currency)
    }
    let all = s.customers();
    let first_six = [
        Some("SEK"),
        None,
        Some("USD"),
        Some("EUR"),
        Some("GBP"),
        Some("JPY"),
    ];
    assert_eq!(
        (0..6).map(|k| kind(slot(all, k))).collect::<Vec<_>>(),
        first_six
    );
    // So for every seed (a slot drawn at random could match by chance once).
    for seed in 2..10 {
        let s = sim_of(seed, 40);
        let kinds: Vec<_> = (0..6).map(|k| kind(slot(s.customers(), k))).collect();
        assert_eq!(kinds, first_six, "seed {seed}");
    }
    // The other slots: 15 % legacy, then USD 30 %, EUR 22 %, GBP 13 %,
    // SEK 10 %, JPY 10 % (of 0..=99), within 3 points.
    let mut counts: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for k in 6..n {
        *counts.entry(kind(slot(all, k))).or_default() += 1;
    }
    let expected = [
        (None, 15.0),
        (Some("USD"), 30.0),
        (Some("EUR"), 22.0),
        (Some("GBP"), 13.0),
        (Some("SEK"), 10.0),
        (Some("JPY"), 10.0),
    ];
    for (k, pct) in expected {
        let got = *counts.get(&k).unwrap_or(&0) as f64 * 100.0 / (n - 6) as f64;
        assert!(
            (got - pct).abs() < 3.0,
            "{k:?}: {got:.1} % (expected {pct} %)"
        );
    }
}

#[test]
fn costs_were_last_modified_ten_minutes_to_thirty_hours_ago() {
    let s = sim_of(1, 500);
    let now = s.config().now.unix_seconds();
    let mut fractions = BTreeSet::new();
    let (mut min, mut max) = (i64::MAX, i64::MIN);
    for c in s.customers() {
        let (at, frac) = c.modified;
        let ago = now - at;
        assert!((600..=30 * 3600).contains(&ago), "{ago}");
        min = min.min(ago);
        max = max.max(ago);
        assert!(frac < 10_000_000);
        fractions.insert(frac);
    }
    // Spread over the range, with 100 ns fractions that vary.
    assert!(min < 3 * 3600 && max > 27 * 3600, "{min}..{max}");
    assert!(fractions.len() > 400);
}

#[test]
fn plans_budgets_and_totals_of_many_customers_hang_together() {
    let n = 2000;
    let s = sim_of(1, n);
    let mut plans: BTreeMap<usize, usize> = BTreeMap::new();
    let (mut with_budget, mut over) = (0, 0);
    let mut upgraded = 0;
    for c in s.customers() {
        let total = units(&c.total_cost, MONEY_SCALE);
        if c.is_upgraded {
            upgraded += 1;
            let subs: Vec<_> = c
                .subscriptions
                .iter()
                .filter(|x| x.kind == SubscriptionKind::AzurePlan)
                .collect();
            *plans.entry(subs.len()).or_default() += 1;
            // The customer's cost is exactly its plans' costs.
            let sum: u128 = subs.iter().map(|x| units(&x.total_cost, MONEY_SCALE)).sum();
            assert_eq!(sum, total, "{}", c.name);
        }
        if !c.is_upgraded || total == 0 {
            assert_eq!(c.budget, None, "{}: legacy or spent nothing", c.name);
        }
        if let Some(b) = c.budget {
            with_budget += 1;
            if total > u128::from(b) * 10u128.pow(MONEY_SCALE) {
                over += 1;
            }
        }
    }
    // One plan 60 %, two 30 %, three 10 % (within 4 points).
    for (k, pct) in [(1, 60.0), (2, 30.0), (3, 10.0)] {
        let got = *plans.get(&k).unwrap_or(&0) as f64 * 100.0 / upgraded as f64;
        assert!((got - pct).abs() < 4.0, "{k} plans: {got:.1} %");
    }
    assert_eq!(plans.keys().copied().collect::<Vec<_>>(), [1, 2, 3]);
    // Budgets over, near, under and none are drawn a quarter each: about a
    // third of the budgets set are exceeded.
    let share = over as f64 / with_budget as f64;
    assert!(
        (0.2..0.45).contains(&share),
        "{over} of {with_budget} over budget"
    );
}

#[test]
fn budgets_and_currency_symbols_follow_the_customer_kinds() {
    let n = 400;
    let s = sim_of(1, n);
    let all = s.customers();
    for c in all {
        let whole = units(&c.total_cost, MONEY_SCALE) / 10u128.pow(MONEY_SCALE);
        // No budget under 200 of spend; only Azure plan customers have a currency symbol.
        if whole < 200 {
            assert_eq!(c.budget, None, "{}", c.name);
        }
        if !c.is_upgraded {
            assert_eq!(c.symbol, None, "{}", c.name);
        }
    }
    assert!(all.iter().any(|c| c.is_upgraded && c.symbol.is_some()));
    assert!(all.iter().any(|c| c.is_upgraded && c.symbol.is_none()));
    // Slots 2..=5 after the non-ASCII customer hold the four budget
    // categories (none, under, near, over) between them, for every seed.
    for seed in 1..6 {
        let s = sim_of(seed, 40);
        let mut kinds = BTreeSet::new();
        for k in 2..6 {
            let c = slot(s.customers(), k);
            let total = units(&c.total_cost, MONEY_SCALE);
            let whole = total / 10u128.pow(MONEY_SCALE);
            let kind = match c.budget {
                None if whole >= 200 => "none",
                None => "small",
                Some(b) => {
                    let pct = total * 100 / (u128::from(b) * 10u128.pow(MONEY_SCALE));
                    match pct {
                        0..=79 => "under",
                        80..=100 => "near",
                        _ => "over",
                    }
                }
            };
            kinds.insert(kind);
        }
        kinds.remove("small");
        assert!(kinds.len() >= 3, "seed {seed}: {kinds:?}");
    }
}
