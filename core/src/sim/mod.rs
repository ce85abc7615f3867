//! The deterministic Partner Center simulator.
//!
//! [`Simulator::handle`] answers `(method, url, headers)` with
//! `(status, headers, body)` the way Partner Center does, for a seeded
//! partner with customers on the Azure plan and on the legacy offer. It is
//! pure: no I/O, no clock reads and no threads. "Now" is
//! [`SimConfig::now`], so the same configuration and the same sequence of
//! requests always give the same bytes.
//!
//! ```
//! use partner_usage_core::http::{Method, Request};
//! use partner_usage_core::sim::{SimConfig, Simulator};
//!
//! let sim = Simulator::new(SimConfig::default());
//! let req = Request {
//!     method: Method::Get,
//!     url: "https://api.partnercenter.microsoft.com/v1/customers/usagerecords".into(),
//!     headers: vec![("Authorization".into(), "Bearer any-token".into())],
//! };
//! let res = sim.handle(&req);
//! assert_eq!(res.status, 200);
//! let page: serde_json::Value = serde_json::from_slice(&res.body).unwrap();
//! assert_eq!(page["totalCount"], 120);
//! ```
//!
//! Served routes (all `GET`, all need `Authorization: Bearer …`):
//!
//! | path under `/v1` | notes |
//! | --- | --- |
//! | `/customers?size=N` | paged with `seekOperation=Next` (default size 100) |
//! | `/customers/usagerecords` | one page unless `size` is given |
//! | `/customers/{c}` | one customer |
//! | `/customers/{c}/subscriptions` | one page unless `size` is given |
//! | `/customers/{c}/subscriptions/{s}` | one subscription |
//! | `/customers/{c}/subscriptions/{s}/resourceusagerecords` | Azure plan only |
//! | `/customers/{c}/subscriptions/{s}/utilizations/azure?start_time=&end_time=&…` | legacy only; 204 for a window with no data or one ending less than 2 h before now, and for any hourly window of a subscription without hourly data ([`Subscription::hourly_data`]) |
//!
//! Any bearer token is valid but three: the configured forbidden token
//! (403 everywhere), [`EXPIRED_TOKEN`] (401) and [`APP_ONLY_TOKEN`] (403 from
//! the two usage-record listings, which take app+user credentials only).
//!
//! Continuation tokens contain `/ ? & % =` and must be sent back byte for
//! byte; a changed token gets a 400.

mod data;
mod faults;
mod json;
mod listings;
mod paging;
mod reply;
mod rng;
mod router;
mod utilization;

#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicU64, Ordering};

use crate::http::{headers, Request, Response};
use crate::time::{days_from_civil, Timestamp};

pub use data::{Customer, Subscription, SubscriptionKind};
pub use faults::Fault;
pub use router::{APP_ONLY_TOKEN, EXPIRED_TOKEN};

/// The longest [`SimConfig::report_delay_hours`] (30 days); more is capped.
pub const MAX_REPORT_DELAY_HOURS: u32 = 720;

/// The most [`SimConfig::customers`]; more is capped.
pub const MAX_CUSTOMERS: usize = 20_000;

/// How the simulator behaves. Every field has a default; see [`SimConfig::default`].
///
/// ```
/// use partner_usage_core::sim::SimConfig;
/// let cfg = SimConfig { seed: 7, customers: 10, ..SimConfig::default() };
/// assert_eq!(cfg.fault_rate, 0.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Seeds the generated partner, the link forms, the tokens and the faults.
    pub seed: u64,
    /// Number of generated customers (default 120). The special customers
    /// (the XSS probe `<img src=x onerror=alert(1)>` and `Müller & Søn AB`)
    /// are among them when there are at least 3. At most [`MAX_CUSTOMERS`];
    /// more is capped.
    pub customers: usize,
    /// Probability (0.0..=1.0) that a request which would succeed gets a [`Fault`].
    pub fault_rate: f64,
    /// The kinds of fault to inject, each as likely (default: none named,
    /// the usual mix: mostly throttling and server errors). A kind that
    /// can't apply to a request ("not ready" on a first page, a cut body
    /// where there is none) leaves it alone.
    ///
    /// ```
    /// use partner_usage_core::sim::{Fault, SimConfig, Simulator};
    /// let sim = Simulator::new(SimConfig { fault_rate: 1.0, faults: vec![Fault::ServerError], ..SimConfig::default() });
    /// let req = partner_usage_core::http::Request {
    ///     method: partner_usage_core::http::Method::Get,
    ///     url: "https://api.partnercenter.microsoft.com/v1/customers/usagerecords".into(),
    ///     headers: vec![("Authorization".into(), "Bearer t".into())],
    /// };
    /// let res = sim.handle(&req);
    /// assert_eq!(res.fault, Some(Fault::ServerError));
    /// assert!(res.status == 500 || res.status == 503);
    /// ```
    pub faults: Vec<Fault>,
    /// Added to [`SimResponse::delay_ms`] of every response.
    pub latency_ms: u32,
    /// The simulated current time. Utilization data covers the 120 days
    /// before the reporting horizon (`now` − 2 h, rounded down to a day).
    pub now: Timestamp,
    /// When > 0, an extra legacy customer "Contoso Scale Test" has one
    /// subscription with exactly this many utilization records (daily,
    /// `show_details=true`, whole data window), generated lazily by index.
    /// Capped at 100,000,000.
    pub big_subscription_records: u64,
    /// A bearer token equal to this gets 403 Forbidden (default `forbidden`).
    /// Two tokens are fixed: [`EXPIRED_TOKEN`] gets 401, as an expired
    /// token does, and [`APP_ONLY_TOKEN`] 403 from customer usage records
    /// and resource usage records, which take app+user credentials only.
    /// Any other token is valid.
    pub forbidden_token: String,
    /// Base of the `Retry-After` values of faults: 429 and 503 say this or
    /// one more second; a "not ready" 204 gives an HTTP-date this many
    /// seconds (at least 1) after the wall clock. Default 1.
    pub retry_after_secs: u32,
    /// How many hours after the usage Partner Center reports it (default 0).
    /// The utilization listing selects records by when they were reported,
    /// as the real service does, so with a delay a window returns the usage
    /// of that many hours before it: a record can start before `start_time`.
    /// At most 720 (30 days).
    pub report_delay_hours: u32,
}

impl Default for SimConfig {
    /// Seed 1, 120 customers, no faults, no latency, now = 2026-11-25T00:00:00Z.
    ///
    /// ```
    /// use partner_usage_core::sim::SimConfig;
    /// let cfg = SimConfig::default();
    /// assert_eq!(cfg.customers, 120);
    /// assert_eq!(cfg.now.to_string(), "2026-11-25T00:00:00Z");
    /// ```
    fn default() -> Self {
        SimConfig {
            seed: 1,
            customers: 120,
            fault_rate: 0.0,
            faults: Vec::new(),
            latency_ms: 0,
            now: Timestamp::from_unix(days_from_civil(2026, 11, 25) * 86_400, 0),
            big_subscription_records: 0,
            forbidden_token: "forbidden".to_string(),
            retry_after_secs: 1,
            report_delay_hours: 0,
        }
    }
}

/// The simulator's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimResponse {
    /// The HTTP status; 0 when [`Fault::DropConnection`] means there is no response.
    pub status: u16,
    /// Response headers: `Content-Type` (when there is a body),
    /// `MS-RequestId`, `MS-CorrelationId`, `MS-CV`, `MS-ServerId`, and
    /// `Retry-After`, `WWW-Authenticate` or `Allow` where they apply.
    pub headers: Vec<(String, String)>,
    /// The body bytes (possibly cut short by [`Fault::Truncated`]).
    pub body: Vec<u8>,
    /// How long a transport should wait before delivering the response:
    /// [`SimConfig::latency_ms`] plus any [`Fault::Delay`].
    pub delay_ms: u32,
    /// The fault injected into this response, if any.
    pub fault: Option<Fault>,
}

impl SimResponse {
    /// The first header named `name` (case-insensitive).
    ///
    /// ```
    /// use partner_usage_core::http::{Method, Request};
    /// use partner_usage_core::sim::{SimConfig, Simulator};
    /// let sim = Simulator::new(SimConfig::default());
    /// let res = sim.handle(&Request { method: Method::Get, url: "/v1/customers".into(), headers: vec![] });
    /// assert_eq!(res.status, 401);
    /// assert_eq!(res.header("content-type"), Some("application/json; charset=utf-8"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::http::header_value(&self.headers, name)
    }

    /// Borrows it as the core's [`Response`]. Check [`SimResponse::fault`]
    /// for [`Fault::DropConnection`] first: that is a transport error, not a response.
    ///
    /// ```
    /// use partner_usage_core::http::{Method, Request};
    /// use partner_usage_core::sim::{SimConfig, Simulator};
    /// let sim = Simulator::new(SimConfig::default());
    /// let res = sim.handle(&Request { method: Method::Post, url: "/v1/customers".into(), headers: vec![] });
    /// assert_eq!(res.as_response().status, 405);
    /// ```
    pub fn as_response(&self) -> Response<'_> {
        Response {
            status: self.status,
            headers: &self.headers,
            body: &self.body,
        }
    }
}

/// The simulated Partner Center. Cheap to share: `handle` takes `&self`.
#[derive(Debug)]
pub struct Simulator {
    config: SimConfig,
    world: data::World,
    requests: AtomicU64,
    server_id: String,
}

impl Simulator {
    /// Generates the seeded partner.
    ///
    /// ```
    /// use partner_usage_core::sim::{SimConfig, Simulator};
    /// let sim = Simulator::new(SimConfig { customers: 5, ..SimConfig::default() });
    /// assert_eq!(sim.customers().len(), 5);
    /// ```
    pub fn new(mut config: SimConfig) -> Self {
        config.report_delay_hours = config.report_delay_hours.min(MAX_REPORT_DELAY_HOURS);
        config.customers = config.customers.min(MAX_CUSTOMERS);
        let world = data::World::generate(&config);
        let server_id = (100_000_000 + rng::hash(&[config.seed, 0x5E4]) % 900_000_000).to_string();
        Simulator {
            config,
            world,
            requests: AtomicU64::new(0),
            server_id,
        }
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The path prefix of every API route: `/v1`.
    ///
    /// ```
    /// use partner_usage_core::sim::{SimConfig, Simulator};
    /// assert_eq!(Simulator::new(SimConfig { customers: 1, ..SimConfig::default() }).base_path(), "/v1");
    /// ```
    pub fn base_path(&self) -> &'static str {
        "/v1"
    }

    /// All customers, in the order the API lists them (ground truth).
    ///
    /// ```
    /// use partner_usage_core::sim::{SimConfig, Simulator};
    /// let sim = Simulator::new(SimConfig::default());
    /// assert!(sim.customers().iter().any(|c| c.name == "Müller & Søn AB"));
    /// assert!(sim.customers().iter().any(|c| !c.is_upgraded && c.currency_code.is_none()));
    /// ```
    pub fn customers(&self) -> &[Customer] {
        &self.world.customers
    }

    /// A customer by id (case-insensitive).
    ///
    /// ```
    /// use partner_usage_core::sim::{SimConfig, Simulator};
    /// let sim = Simulator::new(SimConfig { customers: 3, ..SimConfig::default() });
    /// let id = sim.customers()[1].id.to_uppercase();
    /// assert_eq!(sim.customer(&id).unwrap().name, sim.customers()[1].name);
    /// assert!(sim.customer("nobody").is_none());
    /// ```
    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.world
            .customers
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// The subscriptions of a customer, or `None` for an unknown customer.
    ///
    /// ```
    /// use partner_usage_core::sim::{SimConfig, Simulator, SubscriptionKind};
    /// let sim = Simulator::new(SimConfig::default());
    /// let c = sim.customers().iter().find(|c| c.is_upgraded).unwrap();
    /// let subs = sim.subscriptions(&c.id).unwrap();
    /// assert!(subs.iter().any(|s| s.kind == SubscriptionKind::AzurePlan && s.offer_id == "DZH318Z0BCZC"));
    /// ```
    pub fn subscriptions(&self, customer_id: &str) -> Option<&[Subscription]> {
        self.customer(customer_id)
            .map(|c| c.subscriptions.as_slice())
    }

    /// The utilization data window `[first, end)`: `usageStartTime`s of
    /// records fall in it (120 whole days, ending at the reporting horizon).
    ///
    /// ```
    /// use partner_usage_core::sim::{SimConfig, Simulator};
    /// let (first, end) = Simulator::new(SimConfig { customers: 1, ..SimConfig::default() }).usage_window();
    /// assert_eq!(end.to_string(), "2026-11-24T00:00:00Z");
    /// assert_eq!(first.to_string(), "2026-07-27T00:00:00Z");
    /// ```
    pub fn usage_window(&self) -> (Timestamp, Timestamp) {
        let d0 = self.world.day0;
        (
            Timestamp::from_unix(d0 * 86_400, 0),
            Timestamp::from_unix((d0 + i64::from(data::DATA_DAYS)) * 86_400, 0),
        )
    }

    /// Number of requests handled so far (it seeds faults and generated ids).
    pub fn requests_handled(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    pub(crate) fn day0(&self) -> i64 {
        self.world.day0
    }

    /// Answers a request, with [`SimConfig::now`] as the wall clock.
    ///
    /// ```
    /// use partner_usage_core::http::{Method, Request};
    /// use partner_usage_core::sim::{SimConfig, Simulator};
    /// let sim = Simulator::new(SimConfig::default());
    /// let get = |url: &str, token: &str| sim.handle(&Request {
    ///     method: Method::Get, url: url.into(),
    ///     headers: vec![("Authorization".into(), format!("Bearer {token}"))],
    /// });
    /// assert_eq!(get("/v1/customers?size=40", "t").status, 200);
    /// assert_eq!(get("/v1/customers?size=0", "t").status, 400);
    /// assert_eq!(get("/v1/customers", "forbidden").status, 403);
    /// assert_eq!(get("/v1/nothing", "t").status, 404);
    /// ```
    pub fn handle(&self, req: &Request) -> SimResponse {
        self.handle_at(req, self.config.now)
    }

    /// Answers a request. The data depends on [`SimConfig::now`] alone;
    /// `wall_clock` dates a "not ready" `Retry-After`, and when it is later
    /// than `now` (a simulator left running), a utilization window counts
    /// as ending too recently (a 204) only if it ends less than 2 hours
    /// before `wall_clock`: a client's default window, which ends 2 hours
    /// before its own clock, keeps getting the usage up to `now`.
    ///
    /// ```
    /// use partner_usage_core::http::{Method, Request};
    /// use partner_usage_core::sim::{Fault, SimConfig, Simulator};
    /// use partner_usage_core::time::Timestamp;
    /// let sim = Simulator::new(SimConfig { fault_rate: 1.0, ..SimConfig::default() });
    /// let wall = Timestamp::parse("2026-11-25T12:00:00Z").unwrap();
    /// let req = Request { method: Method::Get, url: "/v1/customers".into(),
    ///     headers: vec![("Authorization".into(), "Bearer t".into())] };
    /// let res = sim.handle_at(&req, wall);
    /// assert!(res.fault.is_some(), "fault_rate 1.0 faults every data request");
    /// if res.fault == Some(Fault::Throttled) {
    ///     assert_eq!(res.status, 429);
    /// }
    /// ```
    pub fn handle_at(&self, req: &Request, wall_clock: Timestamp) -> SimResponse {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let mut reply = router::dispatch(self, req, wall_clock);
        let mut delay_ms = self.config.latency_ms;
        let mut fault = None;
        if reply.faultable && (200..300).contains(&reply.status) {
            fault = faults::roll(&self.config, n, reply.next_page, !reply.body.is_empty());
            if let Some(f) = fault {
                let extra =
                    faults::apply(&self.config, n, f, &mut reply, wall_clock.unix_seconds());
                delay_ms = delay_ms.saturating_add(extra);
            }
        }
        if fault == Some(Fault::DropConnection) {
            return SimResponse {
                status: 0,
                headers: Vec::new(),
                body: Vec::new(),
                delay_ms,
                fault,
            };
        }
        let mut hdrs = Vec::with_capacity(reply.headers.len() + 5);
        if !reply.body.is_empty() {
            hdrs.push((
                "Content-Type".to_string(),
                "application/json; charset=utf-8".to_string(),
            ));
        }
        hdrs.append(&mut reply.headers);
        let fresh_id = |tag: u64| {
            let h = rng::hash(&[self.config.seed, 0x1D, n, tag]);
            json::guid(h, rng::mix(h))
        };
        let request_id = req
            .header(headers::REQUEST_ID)
            .map_or_else(|| fresh_id(1), str::to_string);
        let correlation_id = req
            .header(headers::CORRELATION_ID)
            .map_or_else(|| fresh_id(2), str::to_string);
        let cv = req.header("MS-CV").map_or_else(
            || {
                let mut s = String::with_capacity(24);
                json::push_hex(&mut s, rng::hash(&[self.config.seed, 0xC5, n]), 16);
                s.push_str(".0");
                s
            },
            str::to_string,
        );
        hdrs.push((headers::REQUEST_ID.to_string(), request_id));
        hdrs.push((headers::CORRELATION_ID.to_string(), correlation_id));
        hdrs.push(("MS-CV".to_string(), cv));
        hdrs.push(("MS-ServerId".to_string(), self.server_id.clone()));
        SimResponse {
            status: reply.status,
            headers: hdrs,
            body: reply.body,
            delay_ms,
            fault,
        }
    }
}
