//! End-to-end support: the Partner Center simulator server `pc-sim`.
//!
//! [`serve`] runs an HTTP/1.1 server on a listener you bind (port 0 in
//! tests) that answers:
//!
//! - `/v1/...`: the deterministic simulator of `partner_usage_core::sim`, with
//!   CORS, latency and faults applied over real HTTP (a dropped connection
//!   really closes the socket without a response); or, in proxy mode, a
//!   forwarder of `GET /v1/...` to the real Partner Center that swaps the
//!   page's `Authorization` for the server's own token.
//! - `/sim/config` (`GET`, `POST`) and `/sim/truth` (`GET`): the control
//!   endpoints of the demo and the tests (simulator mode only).
//! - everything else: a static directory (`--site`), if configured.
//!
//! Every request is logged as one line (see [`log::format_line`]); the
//! `Authorization` value is never logged and continuation tokens are cut short.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod args;
pub mod cors;
pub mod log;
pub mod proxy;
pub mod site;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, Response, StatusCode, Uri};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::TokioIo;
use partner_usage_core::http as core_http;
use partner_usage_core::sim::{Fault, SimConfig, Simulator};
use partner_usage_core::time::Timestamp;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tower::ServiceExt;

pub use log::LogSink;

/// How the server runs.
#[derive(Clone)]
pub struct ServerConfig {
    /// The simulator's configuration (ignored in proxy mode).
    pub sim: SimConfig,
    /// A directory served at `/` (`index.html` for directories).
    pub site: Option<PathBuf>,
    /// Proxy mode: forward `GET /v1/...` here instead of simulating.
    pub upstream: Option<proxy::Upstream>,
    /// Where the per-request log lines go (default: stderr).
    pub log: LogSink,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("sim", &self.sim)
            .field("site", &self.site)
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl Default for ServerConfig {
    /// The default simulator with `now` = the current time truncated to the
    /// hour, no site, no upstream, logging to stderr.
    fn default() -> Self {
        ServerConfig {
            sim: SimConfig {
                now: now_truncated_to_hour(),
                ..SimConfig::default()
            },
            site: None,
            upstream: None,
            log: LogSink::stderr(),
        }
    }
}

/// The current time, truncated to the hour: the server's simulated "now".
pub fn now_truncated_to_hour() -> Timestamp {
    let secs = unix_now().as_secs() as i64;
    Timestamp::from_unix(secs - secs.rem_euclid(3600), 0)
}

fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// Shared server state.
struct AppState {
    sim: RwLock<Arc<Simulator>>,
    site: Option<PathBuf>,
    upstream: Option<proxy::Upstream>,
    client: Option<reqwest::Client>,
}

impl AppState {
    fn simulator(&self) -> Arc<Simulator> {
        match self.sim.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn replace(&self, sim: Simulator) {
        let sim = Arc::new(sim);
        match self.sim.write() {
            Ok(mut g) => *g = sim,
            Err(poisoned) => *poisoned.into_inner() = sim,
        }
    }
}

/// Marks a response whose connection must be closed without sending it.
#[derive(Clone, Copy, Debug)]
struct DropConnection;

/// The fault name a response carries for the log.
#[derive(Clone, Copy, Debug)]
struct FaultTag(&'static str);

/// The error hyper sees for a dropped connection: it closes the socket.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("simulated dropped connection")
    }
}

impl std::error::Error for Dropped {}

/// Builds the axum router (without CORS, logging and connection drops,
/// which [`serve`] adds around it).
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/sim/config", get(get_config).post(post_config))
        .route("/sim/truth", get(get_truth))
        .fallback(fallback)
        .with_state(state)
}

/// Serves until the listener fails. Each connection runs on its own task.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// partner_usage_tests::serve(partner_usage_tests::ServerConfig::default(), listener).await
/// # }
/// ```
pub async fn serve(config: ServerConfig, listener: TcpListener) -> std::io::Result<()> {
    let client = match &config.upstream {
        Some(_) => Some(proxy::client().map_err(std::io::Error::other)?),
        None => None,
    };
    let state = Arc::new(AppState {
        sim: RwLock::new(Arc::new(Simulator::new(config.sim.clone()))),
        site: config.site.clone(),
        upstream: config.upstream.clone(),
        client,
    });
    let app = router(Arc::clone(&state));
    let log = config.log.clone();
    // The simulator answers any origin (the wasm test runner and the bench
    // pages are served from other ports). The proxy adds the partner's own
    // token, so it must answer its own origin only: with CORS, any web page
    // its users visit could read the partner's data through it.
    let cors = config.upstream.is_none();
    loop {
        let (stream, _peer) = match listener.accept().await {
            Ok(x) => x,
            Err(e) if is_transient_accept_error(&e) => continue,
            Err(e) => return Err(e),
        };
        let app = app.clone();
        let log = log.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let app = app.clone();
                let log = log.clone();
                async move { handle(app, log, cors, req.map(Body::new)).await }
            });
            // Errors here are closed connections (including simulated drops).
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

fn is_transient_accept_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    ) || e.raw_os_error() == Some(24) // EMFILE: back off instead of dying
}

/// Binds `127.0.0.1:port` and serves on a background task; returns the
/// bound address. Handy for tests (`port` 0 picks a free port).
pub async fn spawn(config: ServerConfig, port: u16) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = serve(config, listener).await {
            eprintln!("pc-sim: server stopped: {e}");
        }
    });
    Ok(addr)
}

/// One request: run the router, then add CORS (if `cors`), apply drops and log.
async fn handle(
    app: Router,
    log: LogSink,
    cors: bool,
    req: Request<Body>,
) -> Result<Response<Body>, Dropped> {
    let started = Instant::now();
    let method = req.method().clone();
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let auth = req.headers().contains_key(header::AUTHORIZATION);
    let token = req
        .headers()
        .get(core_http::headers::CONTINUATION_TOKEN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let preflight_headers = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let is_sim_path = req.uri().path().starts_with("/sim/");
    let mut res = if method == Method::OPTIONS && cors {
        cors::preflight(preflight_headers.as_deref(), is_sim_path)
    } else {
        match app.oneshot(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        }
    };
    if cors {
        cors::decorate(res.headers_mut());
    }
    let fault = res.extensions().get::<FaultTag>().map(|f| f.0);
    let dropped = res.extensions().get::<DropConnection>().is_some();
    let line = log::format_line(&log::Entry {
        method: method.as_str(),
        target: &target,
        status: if dropped { 0 } else { res.status().as_u16() },
        fault,
        elapsed: started.elapsed(),
        auth_present: auth,
        continuation_token: token.as_deref(),
    });
    log.write(&line);
    if dropped {
        Err(Dropped)
    } else {
        Ok(res)
    }
}

fn json_response(status: StatusCode, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

fn error_json(status: StatusCode, message: &str) -> Response<Body> {
    json_response(
        status,
        serde_json::json!({ "code": status.as_u16(), "description": message, "data": [], "source": "pc-sim" })
            .to_string(),
    )
}

/// Everything not under `/sim/`: the API (simulated or proxied) and the site.
async fn fallback(State(state): State<Arc<AppState>>, req: Request<Body>) -> Response<Body> {
    let path = req.uri().path();
    let is_api = path == "/v1" || path.starts_with("/v1/");
    if is_api {
        return match (&state.upstream, &state.client) {
            (Some(up), Some(client)) => proxy::forward(client, up, req).await,
            _ => simulate(&state, req).await,
        };
    }
    match &state.site {
        Some(dir) => site::serve_file(dir, req.method(), req.uri()).await,
        None => error_json(StatusCode::NOT_FOUND, "Not found."),
    }
}

/// Answers an API request from the simulator.
async fn simulate(state: &AppState, req: Request<Body>) -> Response<Body> {
    let method = match *req.method() {
        Method::GET => core_http::Method::Get,
        Method::POST => core_http::Method::Post,
        _ => {
            let mut r = error_json(
                StatusCode::METHOD_NOT_ALLOWED,
                "The requested resource does not support this http method.",
            );
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET"));
            return r;
        }
    };
    let core_req = core_http::Request {
        method,
        url: uri_target(req.uri()),
        headers: header_pairs(req.headers()),
    };
    let sim = state.simulator();
    let now = unix_now();
    let wall = Timestamp::from_unix(now.as_secs() as i64, now.subsec_nanos());
    let res = sim.handle_at(&core_req, wall);
    if res.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(u64::from(res.delay_ms))).await;
    }
    let mut out = Response::new(Body::from(res.body));
    if let Some(f) = res.fault {
        out.extensions_mut().insert(FaultTag(f.as_str()));
    }
    if res.status == 0 {
        out.extensions_mut().insert(DropConnection);
        return out;
    }
    *out.status_mut() =
        StatusCode::from_u16(res.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in &res.headers {
        if let (Ok(k), Ok(v)) = (
            header::HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            out.headers_mut().append(k, v);
        }
    }
    out
}

fn uri_target(uri: &Uri) -> String {
    uri.path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string())
}

fn header_pairs(h: &HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect()
}

/// The JSON of `GET /sim/config`.
fn config_json(sim: &Simulator, mode: &str) -> serde_json::Value {
    let c = sim.config();
    let (first, end) = sim.usage_window();
    serde_json::json!({
        "mode": mode,
        "seed": c.seed,
        "customers": c.customers,
        "faultRate": c.fault_rate,
        "faults": c.faults.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "latencyMs": c.latency_ms,
        "now": c.now.to_string(),
        "bigSubscriptionRecords": c.big_subscription_records,
        "forbiddenToken": c.forbidden_token,
        "retryAfterSecs": c.retry_after_secs,
        "reportDelayHours": c.report_delay_hours,
        "basePath": sim.base_path(),
        "usageWindow": { "start": first.to_string(), "end": end.to_string() },
    })
}

async fn get_config(State(state): State<Arc<AppState>>) -> Response<Body> {
    if state.upstream.is_some() {
        return error_json(StatusCode::NOT_FOUND, "No simulator in proxy mode.");
    }
    json_response(
        StatusCode::OK,
        config_json(&state.simulator(), "sim").to_string(),
    )
}

/// The body of `POST /sim/config`: every field optional.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigChange {
    seed: Option<u64>,
    fault_rate: Option<f64>,
    latency_ms: Option<u32>,
    customers: Option<usize>,
    retry_after_secs: Option<u32>,
    report_delay_hours: Option<u32>,
    big_subscription_records: Option<u64>,
    /// The kinds of fault to inject (`throttled`, `server-error`,
    /// `not-ready`, `delay`, `truncated`, `drop`); empty for the usual mix.
    faults: Option<Vec<String>>,
    /// The simulated current time (RFC 3339), or `null` for the hour now.
    #[serde(default, deserialize_with = "present")]
    now: Option<serde_json::Value>,
}

/// A field that is there, `null` included (a plain `Option` reads `null` as
/// absent).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(d).map(Some)
}

async fn post_config(
    State(state): State<Arc<AppState>>,
    body: axum::body::Bytes,
) -> Response<Body> {
    if state.upstream.is_some() {
        return error_json(StatusCode::NOT_FOUND, "No simulator in proxy mode.");
    }
    let change: ConfigChange = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => {
            return error_json(
                StatusCode::BAD_REQUEST,
                &format!(
                    "Expected JSON like {{\"seed\":1,\"faultRate\":0.2,\"latencyMs\":0}}: {e}"
                ),
            )
        }
    };
    let mut cfg = state.simulator().config().clone();
    if let Some(r) = change.fault_rate {
        if !(0.0..=1.0).contains(&r) {
            return error_json(
                StatusCode::BAD_REQUEST,
                "faultRate must be between 0 and 1.",
            );
        }
        cfg.fault_rate = r;
    }
    if let Some(c) = change.customers {
        if c > 100_000 {
            return error_json(StatusCode::BAD_REQUEST, "customers must be at most 100000.");
        }
        cfg.customers = c;
    }
    if let Some(names) = change.faults {
        let mut kinds = Vec::with_capacity(names.len());
        for name in &names {
            match Fault::from_name(name) {
                Some(f) => kinds.push(f),
                None => {
                    let known: Vec<_> = Fault::ALL.iter().map(|f| f.as_str()).collect();
                    return error_json(
                        StatusCode::BAD_REQUEST,
                        &format!(
                            "faults: unknown kind {name:?} (known: {})",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
        cfg.faults = kinds;
    }
    match change.now {
        None => {}
        Some(serde_json::Value::Null) => cfg.now = now_truncated_to_hour(),
        Some(serde_json::Value::String(t)) => match Timestamp::parse(&t) {
            Ok(t) => cfg.now = t,
            Err(e) => return error_json(StatusCode::BAD_REQUEST, &format!("now: {e}")),
        },
        Some(_) => {
            return error_json(
                StatusCode::BAD_REQUEST,
                "now must be an RFC 3339 time, or null for the hour now.",
            )
        }
    }
    cfg.seed = change.seed.unwrap_or(cfg.seed);
    cfg.latency_ms = change.latency_ms.unwrap_or(cfg.latency_ms);
    cfg.retry_after_secs = change.retry_after_secs.unwrap_or(cfg.retry_after_secs);
    cfg.report_delay_hours = change.report_delay_hours.unwrap_or(cfg.report_delay_hours);
    cfg.big_subscription_records = change
        .big_subscription_records
        .unwrap_or(cfg.big_subscription_records);
    let sim = match tokio::task::spawn_blocking(move || Simulator::new(cfg)).await {
        Ok(s) => s,
        Err(_) => return error_json(StatusCode::INTERNAL_SERVER_ERROR, "Rebuild failed."),
    };
    let body = config_json(&sim, "sim").to_string();
    state.replace(sim);
    json_response(StatusCode::OK, body)
}

async fn get_truth(State(state): State<Arc<AppState>>) -> Response<Body> {
    if state.upstream.is_some() {
        return error_json(StatusCode::NOT_FOUND, "No simulator in proxy mode.");
    }
    let sim = state.simulator();
    let (first, end) = sim.usage_window();
    let customers: Vec<serde_json::Value> = sim
        .customers()
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "name": c.name,
                "isUpgraded": c.is_upgraded,
                "currencyCode": c.currency_code,
                "currencyLocale": c.currency_locale,
                "currency": c.currency,
                "totalCost": c.total_cost,
                "usdTotalCost": c.usd_total_cost,
                "budget": c.budget,
                "percentUsed": c.percent_used,
                "subscriptions": c.subscriptions.iter().map(|s| serde_json::json!({
                    "id": s.id,
                    "offerId": s.offer_id,
                    "offerName": s.offer_name,
                    "friendlyName": s.friendly_name,
                    "kind": s.kind.as_str(),
                    "resourceRecords": s.resource_records,
                    "utilizationRecords": s.utilization_records,
                    "hourlyData": s.hourly_data,
                    "totalCost": s.total_cost,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json_response(
        StatusCode::OK,
        serde_json::json!({
            "basePath": sim.base_path(),
            "now": sim.config().now.to_string(),
            "usageWindow": { "start": first.to_string(), "end": end.to_string() },
            "customers": customers,
        })
        .to_string(),
    )
}
