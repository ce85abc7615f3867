//! The pc-sim server over real HTTP: CORS, headers, faults, static files,
//! control endpoints, log redaction and proxy mode.

use partner_usage_core::sim::SimConfig;
use partner_usage_tests::proxy::Upstream;
use partner_usage_tests::{spawn, LogSink, ServerConfig};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Logs = Arc<Mutex<Vec<String>>>;

async fn start(
    sim: SimConfig,
    site: Option<PathBuf>,
    upstream: Option<Upstream>,
) -> (String, Logs) {
    let (log, lines) = LogSink::memory();
    let cfg = ServerConfig {
        sim,
        site,
        upstream,
        log,
    };
    let addr = spawn(cfg, 0).await.expect("bind");
    (format!("http://{addr}"), lines)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn sim_config() -> SimConfig {
    SimConfig {
        customers: 20,
        ..SimConfig::default()
    }
}

async fn truth(base: &str) -> Value {
    client()
        .get(format!("{base}/sim/truth"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn a_legacy_subscription(truth: &Value) -> (String, String) {
    for c in truth["customers"].as_array().unwrap() {
        for s in c["subscriptions"].as_array().unwrap() {
            if s["kind"] == "legacy" {
                return (
                    c["id"].as_str().unwrap().to_string(),
                    s["id"].as_str().unwrap().to_string(),
                );
            }
        }
    }
    panic!("no legacy subscription")
}

fn util_path(c: &str, s: &str) -> String {
    format!(
        "/v1/customers/{c}/subscriptions/{s}/utilizations/azure?start_time=2026-08-01T00:00:00Z&end_time=2026-11-20T00:00:00Z&size=3"
    )
}

#[tokio::test]
async fn api_responses_carry_cors_and_partner_center_headers() {
    let (base, _) = start(sim_config(), None, None).await;
    let http = client();
    let res = http
        .get(format!("{base}/v1/customers/usagerecords"))
        .bearer_auth("t")
        .header("MS-RequestId", "e128c8e2-4c33-4940-a3e2-2e59b0abdc67")
        .header("MS-CorrelationId", "aaaa0000-bb11-2222-33cc-444444dddddd")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers();
    assert_eq!(h["content-type"], "application/json; charset=utf-8");
    assert_eq!(h["ms-requestid"], "e128c8e2-4c33-4940-a3e2-2e59b0abdc67");
    assert_eq!(
        h["ms-correlationid"],
        "aaaa0000-bb11-2222-33cc-444444dddddd"
    );
    assert!(h.contains_key("ms-cv") && h.contains_key("ms-serverid"));
    assert_eq!(h["access-control-allow-origin"], "*");
    let exposed = h["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_string();
    for name in ["Retry-After", "MS-RequestId", "MS-CorrelationId", "MS-CV"] {
        assert!(exposed.contains(name), "{exposed}");
    }
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["items"].as_array().unwrap().len(), 20);

    // Errors carry CORS headers too, so a page can read them.
    let res = http
        .get(format!("{base}/v1/customers"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let res = http
        .delete(format!("{base}/v1/customers"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    let res = http
        .get(format!("{base}/v1/customers"))
        .bearer_auth("forbidden")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = http
        .get(format!("{base}/v1/customers/%zz"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = http.get(format!("{base}/elsewhere")).send().await.unwrap();
    assert_eq!(res.status(), 404, "no site configured");
}

#[tokio::test]
async fn preflight_allows_the_partner_center_headers() {
    let (base, _) = start(sim_config(), None, None).await;
    let res = client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{base}/v1/customers/usagerecords"),
        )
        .header("Origin", "http://portal.example")
        .header("Access-Control-Request-Method", "GET")
        .header(
            "Access-Control-Request-Headers",
            "authorization,ms-continuationtoken,ms-requestid,ms-custom-thing,x-evil",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("GET"));
    let allowed: BTreeSet<String> = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .split(", ")
        .map(|s| s.to_ascii_lowercase())
        .collect();
    for name in [
        "authorization",
        "accept",
        "ms-requestid",
        "ms-correlationid",
        "ms-continuationtoken",
        "ms-cv",
        "x-locale",
        "content-type",
        "ms-custom-thing",
    ] {
        assert!(allowed.contains(name), "{name} not in {allowed:?}");
    }
    assert!(!allowed.contains("x-evil"));
}

#[tokio::test]
async fn faults_are_visible_to_an_http_client() {
    let (base, logs) = start(
        SimConfig {
            fault_rate: 1.0,
            ..sim_config()
        },
        None,
        None,
    )
    .await;
    // Find a next-page token with a clean server.
    let (clean, _) = start(sim_config(), None, None).await;
    let t = truth(&clean).await;
    let (c, s) = a_legacy_subscription(&t);
    let first: Value = client()
        .get(format!("{clean}{}", util_path(&c, &s)))
        .bearer_auth("t")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = first["links"]["next"]["headers"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let next =
        format!("{base}/v1/customers/{c}/subscriptions/{s}/utilizations/azure?seek_operation=Next");
    let mut seen = BTreeSet::new();
    for i in 0..80 {
        let http = client();
        let mut rb = http.get(if i % 2 == 0 {
            next.clone()
        } else {
            format!("{base}{}", util_path(&c, &s))
        });
        if i % 2 == 0 {
            rb = rb.header("MS-ContinuationToken", &token);
        }
        let started = Instant::now();
        let res = match rb.bearer_auth("t").send().await {
            Err(e) => {
                assert!(!e.is_timeout(), "{e}");
                seen.insert("drop");
                continue;
            }
            Ok(r) => r,
        };
        let status = res.status().as_u16();
        let retry_after = res
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        let body = res.bytes().await.unwrap();
        match status {
            429 => {
                let after = retry_after.unwrap();
                assert!(after == "1" || after == "2");
                let v: Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(v["statusCode"], 429);
                seen.insert("429");
            }
            500 | 503 => {
                let v: Value = serde_json::from_slice(&body).unwrap();
                assert!(v["code"].is_number() || v["code"].is_string());
                seen.insert("5xx");
            }
            204 => {
                assert_eq!(i % 2, 0, "not-ready only on next pages");
                assert!(body.is_empty());
                assert!(retry_after.unwrap().ends_with(" GMT"));
                seen.insert("not-ready");
            }
            200 => match serde_json::from_slice::<Value>(&body) {
                Ok(_) => {
                    assert!(started.elapsed() >= Duration::from_millis(100));
                    seen.insert("delay");
                }
                Err(_) => {
                    assert!(!body.is_empty());
                    seen.insert("truncated");
                }
            },
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(seen.len(), 6, "{seen:?}");
    let logs = logs.lock().unwrap();
    assert!(logs.iter().any(|l| l.contains("status=0 fault=drop")));
}

#[tokio::test]
async fn latency_delays_every_api_response() {
    let (base, _) = start(
        SimConfig {
            latency_ms: 250,
            ..sim_config()
        },
        None,
        None,
    )
    .await;
    let started = Instant::now();
    let res = client()
        .get(format!("{base}/v1/customers"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(250));
}

fn temp_site() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("pc-sim-site-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(dir.join("app.js"), "export const x = 1;").unwrap();
    std::fs::write(dir.join("worker.mjs"), "export {};").unwrap();
    std::fs::write(dir.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("style.css"), "body{}").unwrap();
    std::fs::write(dir.join("data.json"), "{}").unwrap();
    std::fs::write(dir.join("docs/index.html"), "<p>docs</p>").unwrap();
    dir
}

#[tokio::test]
async fn static_site_with_mime_types() {
    let dir = temp_site();
    let (base, _) = start(sim_config(), Some(dir.clone()), None).await;
    let http = client();
    for (path, mime, body) in [
        (
            "/",
            "text/html; charset=utf-8",
            "<!doctype html><title>demo</title>",
        ),
        (
            "/index.html",
            "text/html; charset=utf-8",
            "<!doctype html><title>demo</title>",
        ),
        (
            "/app.js",
            "text/javascript; charset=utf-8",
            "export const x = 1;",
        ),
        (
            "/worker.mjs",
            "text/javascript; charset=utf-8",
            "export {};",
        ),
        ("/style.css", "text/css; charset=utf-8", "body{}"),
        ("/data.json", "application/json", "{}"),
        ("/docs/", "text/html; charset=utf-8", "<p>docs</p>"),
        ("/docs", "text/html; charset=utf-8", "<p>docs</p>"),
    ] {
        let res = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], mime, "{path}");
        assert_eq!(res.text().await.unwrap(), body);
    }
    let res = http
        .get(format!("{base}/pkg/app_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert_eq!(&res.bytes().await.unwrap()[..4], b"\0asm");
    let res = http.head(format!("{base}/app.js")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-length"], "19");
    for path in [
        "/missing.js",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/pkg/..%2f..%2fetc",
    ] {
        let res = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
    let res = http
        .post(format!("{base}/index.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    // The API is still there next to the site.
    let res = http
        .get(format!("{base}/v1/customers"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn control_endpoints_read_and_change_the_simulator() {
    let (base, _) = start(sim_config(), None, None).await;
    let http = client();
    let cfg: Value = http
        .get(format!("{base}/sim/config"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cfg["seed"], 1);
    assert_eq!(cfg["customers"], 20);
    assert_eq!(cfg["faultRate"], 0.0);
    assert_eq!(cfg["mode"], "sim");
    assert!(cfg["usageWindow"]["start"].is_string());

    let t = truth(&base).await;
    let listed: Value = http
        .get(format!("{base}/v1/customers?size=100"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&t, "customers"), ids(&listed, "items"));
    let c0 = &t["customers"][0];
    assert!(c0["totalCost"].is_string() && c0["subscriptions"].is_array());

    // A token issued before a seed change is refused after it.
    let first: Value = http
        .get(format!("{base}/v1/customers?size=5"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = first["links"]["next"]["headers"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();

    let res = http
        .post(format!("{base}/sim/config"))
        .header("Content-Type", "application/json")
        .body(r#"{"seed":5,"faultRate":0.25,"latencyMs":10}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cfg: Value = res.json().await.unwrap();
    assert_eq!(
        (cfg["seed"].as_u64(), cfg["latencyMs"].as_u64()),
        (Some(5), Some(10))
    );
    assert_eq!(cfg["faultRate"], 0.25);
    let after: Value = http
        .get(format!("{base}/sim/config"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after, cfg);
    assert_ne!(ids(&truth(&base).await, "customers"), ids(&t, "customers"));
    http.post(format!("{base}/sim/config"))
        .body(r#"{"faultRate":0}"#)
        .send()
        .await
        .unwrap();
    let res = http
        .get(format!("{base}/v1/customers?size=5&seekOperation=Next"))
        .bearer_auth("t")
        .header("MS-ContinuationToken", token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    // Changes answered with the new config. The clock: set, then back to
    // the hour now with null.
    let set = |body: &'static str| {
        let http = http.clone();
        let url = format!("{base}/sim/config");
        async move {
            let res = http.post(url).body(body).send().await.unwrap();
            res.json::<Value>().await.unwrap()
        }
    };
    let cfg = set(r#"{"now":"2026-12-01T03:00:00Z"}"#).await;
    assert_eq!(cfg["now"], "2026-12-01T03:00:00Z");
    assert_eq!(truth(&base).await["now"], "2026-12-01T03:00:00Z");
    let cfg = set(r#"{"now":null}"#).await;
    assert_eq!(
        cfg["now"].as_str(),
        Some(
            partner_usage_tests::now_truncated_to_hour()
                .to_string()
                .as_str()
        )
    );
    // Named fault kinds, and back to the mix.
    let cfg = set(r#"{"faults":["server-error"],"faultRate":1}"#).await;
    assert_eq!(cfg["faults"], serde_json::json!(["server-error"]));
    for _ in 0..5 {
        let status = http
            .get(format!("{base}/v1/customers/usagerecords"))
            .bearer_auth("t")
            .send()
            .await
            .unwrap()
            .status();
        assert!(status == 500 || status == 503, "{status}");
    }
    let cfg = set(r#"{"faults":[],"faultRate":0}"#).await;
    assert_eq!(cfg["faults"], serde_json::json!([]));
    for bad in [
        r#"{"faults":["oops"]}"#,
        r#"{"now":"yesterday"}"#,
        r#"{"now":5}"#,
        r#"{"faultRate":2}"#,
        r#"{"seed":"x"}"#,
        r#"{"sed":1}"#,
        "not json",
    ] {
        let res = http
            .post(format!("{base}/sim/config"))
            .body(bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{bad}");
    }
    let res = http
        .delete(format!("{base}/sim/config"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
}

#[tokio::test]
async fn the_log_never_holds_secrets() {
    let (base, logs) = start(sim_config(), None, None).await;
    let http = client();
    let secret = "SUPER-SECRET-ACCESS-TOKEN-123";
    let long_token =
        "v2/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?rt=1&ck=0123456789abcdef%3D%3D";
    http.get(format!("{base}/v1/customers?size=2&seekOperation=Next"))
        .bearer_auth(secret)
        .header("MS-ContinuationToken", long_token)
        .send()
        .await
        .unwrap();
    http.get(format!("{base}/v1/customers/usagerecords"))
        .send()
        .await
        .unwrap();
    let logs = logs.lock().unwrap().clone();
    assert_eq!(logs.len(), 2, "{logs:?}");
    assert!(logs[0].starts_with("pc-sim GET /v1/customers?size=2&seekOperation=Next status=400"));
    assert!(logs[0].contains("auth=present"));
    assert!(logs[0].contains("token=v2/AAAAA…"));
    assert!(logs[1].contains("status=401") && logs[1].contains("auth=absent"));
    for l in &logs {
        assert!(!l.contains(secret) && !l.contains("SECRET"));
        assert!(!l.contains(long_token) && !l.contains("ck=0123"));
        assert!(l.contains(" ms="));
    }
}

/// A fake Partner Center recording what reaches it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

async fn fake_upstream() -> (String, Arc<Mutex<Vec<Seen>>>) {
    use axum::http::{HeaderMap, Method, Uri};
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let s = Arc::clone(&seen);
    let app = axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap| {
        let s = Arc::clone(&s);
        async move {
            s.lock().unwrap().push(Seen {
                method: method.to_string(),
                target: uri.to_string(),
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                    .collect(),
            });
            let throttled = uri.path().ends_with("/throttle");
            (
                if throttled {
                    axum::http::StatusCode::TOO_MANY_REQUESTS
                } else {
                    axum::http::StatusCode::OK
                },
                [
                    ("Content-Type", "application/json"),
                    ("MS-RequestId", "upstream-request-id"),
                    ("Retry-After", "3"),
                    ("Set-Cookie", "upstream=1"),
                    ("X-Upstream-Internal", "secret"),
                ],
                r#"{"totalCount":0,"items":[],"links":{},"attributes":{"objectType":"Collection"}}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}"), seen)
}

fn header<'a>(s: &'a Seen, name: &str) -> Option<&'a str> {
    s.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn proxy_forwards_only_get_v1_and_replaces_the_token() {
    let (up, seen) = fake_upstream().await;
    let upstream = Upstream::new(&up, "UPSTREAM-SECRET-XYZ").unwrap();
    let (base, logs) = start(sim_config(), None, Some(upstream)).await;
    let http = client();
    let token = "t/1?a=b&c=%2F==";
    let res = http
        .get(format!("{base}/v1/customers?size=5&x=%2F+y"))
        .bearer_auth("PAGE-TOKEN-ABC")
        .header("MS-RequestId", "rid-1")
        .header("MS-CorrelationId", "cid-1")
        .header("MS-ContinuationToken", token)
        .header("Accept", "application/json")
        .header("Cookie", "session=1")
        .header("X-Other", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers();
    assert_eq!(h["ms-requestid"], "upstream-request-id");
    assert_eq!(h["retry-after"], "3");
    // Same-origin only: the proxy adds the partner's token, so a page on
    // another origin must not be able to read what it returns.
    assert!(!h.contains_key("access-control-allow-origin"));
    assert!(!h.contains_key("set-cookie") && !h.contains_key("x-upstream-internal"));
    assert_eq!(res.json::<Value>().await.unwrap()["totalCount"], 0);
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        let s = &seen[0];
        assert_eq!(s.method, "GET");
        assert_eq!(s.target, "/v1/customers?size=5&x=%2F+y");
        assert_eq!(
            header(s, "authorization"),
            Some("Bearer UPSTREAM-SECRET-XYZ")
        );
        assert_eq!(header(s, "ms-continuationtoken"), Some(token));
        assert_eq!(header(s, "ms-requestid"), Some("rid-1"));
        assert_eq!(header(s, "ms-correlationid"), Some("cid-1"));
        assert_eq!(header(s, "accept"), Some("application/json"));
        assert_eq!(header(s, "cookie"), None);
        assert_eq!(header(s, "x-other"), None);
        assert_eq!(
            s.headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                .count(),
            1
        );
    }
    // Upstream statuses pass through.
    let res = http
        .get(format!("{base}/v1/throttle"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers()["retry-after"], "3");
    // Refused without reaching the upstream.
    for (method, path, status) in [
        (reqwest::Method::POST, "/v1/customers", 405),
        (reqwest::Method::PUT, "/v1/customers", 405),
        (reqwest::Method::DELETE, "/v1/customers", 405),
        (reqwest::Method::GET, "/v2/customers", 404),
        (reqwest::Method::GET, "/other", 404),
        (reqwest::Method::GET, "/sim/config", 404),
        (reqwest::Method::GET, "/sim/truth", 404),
        (reqwest::Method::POST, "/sim/config", 404),
    ] {
        let res = http
            .request(method.clone(), format!("{base}{path}"))
            .bearer_auth("PAGE-TOKEN-ABC")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{method} {path}");
    }
    // A preflight from another origin gets no grant, and nothing does.
    let res = http
        .request(reqwest::Method::OPTIONS, format!("{base}/v1/customers"))
        .header("Origin", "https://elsewhere.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    for name in [
        "access-control-allow-origin",
        "access-control-allow-headers",
        "access-control-allow-methods",
    ] {
        assert!(!res.headers().contains_key(name), "{name}");
    }
    let res = http
        .get(format!("{base}/v1/customers"))
        .header("Origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(!res.headers().contains_key("access-control-allow-origin"));
    assert_eq!(
        seen.lock().unwrap().len(),
        3,
        "only the three GET /v1 requests went upstream"
    );
    for l in logs.lock().unwrap().iter() {
        assert!(
            !l.contains("UPSTREAM-SECRET") && !l.contains("PAGE-TOKEN"),
            "{l}"
        );
    }
}

#[tokio::test]
async fn proxy_reports_an_unreachable_upstream_as_502() {
    // A port that was just free: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let upstream = Upstream::new(&format!("http://127.0.0.1:{port}"), "tok").unwrap();
    let (base, _) = start(sim_config(), None, Some(upstream)).await;
    let res = client()
        .get(format!("{base}/v1/customers"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 502);
    let v: Value = res.json().await.unwrap();
    assert!(v["description"]
        .as_str()
        .unwrap()
        .contains("Partner Center"));
}

#[test]
fn command_line_builds_the_configuration() {
    use partner_usage_tests::args::Args;
    let args = |v: &[&str]| Args::parse(v.iter().map(|s| s.to_string()));
    let a = args(&[
        "--port",
        "0",
        "--seed",
        "7",
        "--customers=3",
        "--fault-rate",
        "0.5",
        "--latency-ms",
        "20",
        "--big-subscription-records",
        "1000",
        "--retry-after-secs",
        "0",
        "--now",
        "2026-01-01T10:30:00+01:00",
    ])
    .unwrap();
    let cfg = a.into_config(None).unwrap();
    assert_eq!(cfg.sim.seed, 7);
    assert_eq!(cfg.sim.customers, 3);
    assert_eq!(cfg.sim.fault_rate, 0.5);
    assert_eq!(cfg.sim.latency_ms, 20);
    assert_eq!(cfg.sim.big_subscription_records, 1000);
    assert_eq!(cfg.sim.retry_after_secs, 0);
    assert_eq!(cfg.sim.now.to_string(), "2026-01-01T09:30:00Z");
    let default = args(&[]).unwrap();
    assert_eq!(default.port, 8080);
    let cfg = default.into_config(None).unwrap();
    assert_eq!(
        cfg.sim.now.unix_seconds() % 3600,
        0,
        "now is truncated to the hour"
    );
    assert!(
        args(&["--upstream", "https://api.partnercenter.microsoft.com"])
            .unwrap()
            .into_config(None)
            .is_err()
    );
    let p = args(&["--upstream", "https://api.partnercenter.microsoft.com"])
        .unwrap()
        .into_config(Some("tok".into()))
        .unwrap();
    assert!(
        !format!("{p:?}").contains("tok\""),
        "the token is redacted from Debug"
    );
    assert!(args(&["--site", "/definitely/not/here"])
        .unwrap()
        .into_config(None)
        .is_err());
    for bad in [
        &["--port"][..],
        &["--port", "x"],
        &["--fault-rate", "-1"],
        &["--now", "soon"],
        &["-x"],
    ] {
        assert!(args(bad).is_err(), "{bad:?}");
    }
    assert!(args(&["--help"]).unwrap().help);
}

#[tokio::test]
async fn the_binary_prints_its_address_and_serves() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_pc-sim"))
        .args(["--port", "0", "--customers", "3", "--seed", "4"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("pc-sim starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("prints its address in time")
        .unwrap()
        .unwrap();
    let base = first
        .strip_prefix("listening on ")
        .expect(&first)
        .to_string();
    let cfg: Value = client()
        .get(format!("{base}/sim/config"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (cfg["seed"].as_u64(), cfg["customers"].as_u64()),
        (Some(4), Some(3))
    );
    let now = cfg["now"].as_str().unwrap();
    assert!(
        now.ends_with(":00:00Z"),
        "now is truncated to the hour: {now}"
    );
    let res = client()
        .get(format!("{base}/v1/customers"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    child.kill().await.unwrap();
    let bad = tokio::process::Command::new(env!("CARGO_BIN_EXE_pc-sim"))
        .args(["--fault-rate", "7"])
        .output()
        .await
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--fault-rate"));
}
