//! `WasmClient`: the object behind the package's `PartnerCenterClient`.
//!
//! Each method returns a `Promise`; every failure (including invalid
//! arguments) rejects it with a `PartnerCenterError`, never throws
//! synchronously, and never panics. The methods take the same arguments as
//! the JavaScript API: the wrapper in `www/src/index.js` only adds the
//! "call `init()` first" check.

use crate::convert::{decode_item, decode_item_plain, to_js};
use crate::driver::{progress_object, read_items, report, Auth, Driver, ExtraHeaders, Wait};
use crate::errors::{promise, rejected, Failure};
use crate::options::{self, Call, PlainOptions, TimeInput, UtilizationCallOptions};
use crate::transport::Transport;
use partner_usage_core::endpoint::{CustomerId, Endpoint, SubscriptionId, MAX_PAGE_SIZE};
use partner_usage_core::link::BaseUrl;
use partner_usage_core::model::AzureUtilizationRecord;
use partner_usage_core::model::{
    Customer, CustomerMonthlyUsageRecord, ResourceUsageRecord, Subscription, SubscriptionKind,
};
use partner_usage_core::paginate::PaginatorConfig;
use partner_usage_core::retry::{RetryConfig, Throttle};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The default number of listings a multi-subscription call runs at once.
pub(crate) const DEFAULT_CONCURRENCY: u32 = 6;
/// The largest accepted `concurrency`.
pub(crate) const MAX_CONCURRENCY: u32 = 64;
/// The base URL used with the simulator when none is given.
const SIMULATOR_BASE: &str = "https://simulator.invalid";

/// Retry tuning (`retry` in the client options).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RetryOptions {
    base_delay_ms: Option<u64>,
    max_delay_ms: Option<u64>,
    max_total_delay_ms: Option<u64>,
    max_not_ready: Option<u32>,
}

/// The in-wasm simulator (`simulator` in the client options).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(not(feature = "sim"), allow(dead_code))]
struct SimOptions {
    seed: Option<u64>,
    fault_rate: Option<f64>,
    faults: Option<Vec<String>>,
    latency_ms: Option<u32>,
    customers: Option<usize>,
    now: Option<TimeInput>,
    big_subscription_records: Option<u64>,
    retry_after_secs: Option<u32>,
    report_delay_hours: Option<u32>,
    forbidden_token: Option<String>,
}

/// The JSON-able client options (`token` and `getToken` are read apart).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientOptions {
    base_url: Option<String>,
    #[serde(default, rename = "token")]
    _token: IgnoredAny,
    #[serde(default, rename = "getToken")]
    _get_token: IgnoredAny,
    max_retries: Option<u32>,
    concurrency: Option<u32>,
    page_size: Option<u32>,
    max_pages: Option<u32>,
    timeout_ms: Option<u32>,
    retry: Option<RetryOptions>,
    simulator: Option<SimOptions>,
    #[serde(default, rename = "headers")]
    _headers: IgnoredAny,
}

/// How long a request may take (its answer and its body) before it counts
/// as no answer and is retried, by default: two minutes, far beyond a
/// Partner Center page's usual second or two, so only a hung connection
/// (a proxy that never answers) meets it.
const DEFAULT_TIMEOUT_MS: u32 = 120_000;
/// The longest `timeoutMs`: an hour.
const MAX_TIMEOUT_MS: u32 = 3_600_000;

/// The `timeoutMs` option: 0 for no limit, else 1 ms to an hour.
fn timeout_ms(given: Option<u32>) -> Result<u32, Failure> {
    match given {
        None => Ok(DEFAULT_TIMEOUT_MS),
        Some(ms) if ms <= MAX_TIMEOUT_MS => Ok(ms),
        Some(_) => Err(Failure::invalid(format!(
            "`timeoutMs` must be at most {MAX_TIMEOUT_MS} (an hour), or 0 for no limit"
        ))),
    }
}

/// Headers the client sets itself: `headers` may not give them.
const OWN_HEADERS: &[&str] = &[
    "Authorization",
    "Accept",
    "MS-RequestId",
    "MS-CorrelationId",
    "MS-ContinuationToken",
];

/// The request headers a browser's `fetch()` leaves out whatever a page
/// says (the Fetch standard's forbidden request-header names).
fn forbidden_in_browsers(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "Accept-Charset",
        "Accept-Encoding",
        "Access-Control-Request-Headers",
        "Access-Control-Request-Method",
        "Connection",
        "Content-Length",
        "Cookie",
        "Cookie2",
        "Date",
        "DNT",
        "Expect",
        "Host",
        "Keep-Alive",
        "Origin",
        "Referer",
        "Set-Cookie",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Via",
    ];
    let lower = name.to_ascii_lowercase();
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
}

/// The `headers` option: extra headers for every request (a proxy's CSRF
/// or tenant header, `MS-PartnerCenter-Application`), checked here so that
/// a mistake is an `'invalid-input'` error before anything is sent. It takes
/// what `fetch()` takes (`HeadersInit`): a plain object, a `Headers`, or an
/// iterable of `[name, value]` pairs (an array of them, a `Map`), so that a
/// `Headers` isn't read as an object with no entries of its own.
fn extra_headers(options: &JsValue) -> Result<ExtraHeaders, Failure> {
    let given = options::prop(options, "headers");
    if !options::given(&given) {
        return Ok(ExtraHeaders::Fixed(Vec::new()));
    }
    match given.dyn_into::<js_sys::Function>() {
        // Called for each request: a header that changes (a rotating CSRF token).
        Ok(f) => Ok(ExtraHeaders::Callback(f)),
        Err(given) => read_headers(&given).map(ExtraHeaders::Fixed),
    }
}

/// Headers as `fetch()` takes them (a plain object, a `Headers`, `[name,
/// value]` pairs), checked: the `headers` option, or what its function gave.
pub(crate) fn read_headers(given: &JsValue) -> Result<Vec<(String, String)>, Failure> {
    if !options::given(given) {
        return Ok(Vec::new());
    }
    if !given.is_object() || given.is_function() {
        return Err(Failure::invalid(
            "`headers` must be an object, a Headers or an array of [name, value] pairs",
        ));
    }
    let entries = match js_sys::try_iter(given) {
        Ok(Some(iter)) => {
            let mut out = Vec::new();
            for item in iter {
                let item = item.map_err(|e| {
                    Failure::invalid(format!(
                        "`headers` can't be read: {}",
                        crate::transport::describe(&e)
                    ))
                })?;
                if !js_sys::Array::is_array(&item) || js_sys::Array::from(&item).length() != 2 {
                    return Err(Failure::invalid(
                        "`headers` has an entry that is not a [name, value] pair",
                    ));
                }
                out.push(item);
            }
            out
        }
        Ok(None) => js_sys::Object::entries(given.unchecked_ref())
            .iter()
            .collect(),
        Err(e) => {
            return Err(Failure::invalid(format!(
                "`headers` can't be read: {}",
                crate::transport::describe(&e)
            )))
        }
    };
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    let mut out = Vec::new();
    for entry in entries {
        let pair = js_sys::Array::from(&entry);
        let Some(name) = pair.get(0).as_string() else {
            return Err(Failure::invalid(
                "`headers` has a name that is not a string",
            ));
        };
        let Some(value) = pair.get(1).as_string() else {
            return Err(Failure::invalid(format!(
                "`headers` has a value for {name} that is not a string"
            )));
        };
        if name.is_empty() || !name.chars().all(token) {
            return Err(Failure::invalid(format!(
                "`headers` has {name:?}, which is not a header name"
            )));
        }
        if let Some(own) = OWN_HEADERS.iter().find(|h| h.eq_ignore_ascii_case(&name)) {
            return Err(Failure::invalid(format!(
                "`headers` may not set {own}: the client sets it"
            )));
        }
        // fetch() in a browser drops these without a word: said now instead.
        if crate::transport::in_browser() && forbidden_in_browsers(&name) {
            return Err(Failure::invalid(format!(
                "`headers` has {name}, which a browser doesn't let a page send (fetch() would drop it)"
            )));
        }
        if value.chars().any(|c| matches!(c, '\r' | '\n' | '\0')) {
            return Err(Failure::invalid(format!(
                "`headers` has a value for {name} with a line break"
            )));
        }
        // fetch() refuses such a value on every request: said now instead.
        if value.chars().any(|c| u32::from(c) > 0xFF) {
            return Err(Failure::invalid(format!(
                "`headers` has a value for {name} with characters an HTTP header can't carry (beyond Latin-1): encode it first"
            )));
        }
        out.push((name, value));
    }
    Ok(out)
}

/// A Partner Center client. See the package README for the options.
#[wasm_bindgen(js_name = WasmClient)]
#[derive(Debug)]
pub struct Client {
    driver: Rc<Driver>,
    page_size: u32,
    concurrency: u32,
}

fn auth(options: &JsValue) -> Result<Auth, Failure> {
    let get_token = options::prop(options, "getToken");
    let token = options::prop(options, "token");
    match (options::given(&get_token), options::given(&token)) {
        (true, true) => Err(Failure::invalid(
            "give either `token` or `getToken`, not both",
        )),
        (true, false) => get_token
            .dyn_into::<js_sys::Function>()
            .map(Auth::Callback)
            .map_err(|_| Failure::invalid("`getToken` must be a function")),
        (false, true) => match token.as_string() {
            Some(t) if t.is_empty() => Ok(Auth::None),
            Some(t) => Ok(Auth::Static(t)),
            None => Err(Failure::invalid("`token` must be a string")),
        },
        (false, false) => Ok(Auth::None),
    }
}

fn retry_config(o: &ClientOptions) -> Result<RetryConfig, Failure> {
    let mut r = RetryConfig::default();
    if let Some(n) = o.max_retries {
        if n > 100 {
            return Err(Failure::invalid("`maxRetries` must be from 0 to 100"));
        }
        r = r.max_retries(n);
    }
    if let Some(t) = &o.retry {
        let base = t.base_delay_ms.unwrap_or(r.base_delay_ms);
        let max = t.max_delay_ms.unwrap_or(r.max_delay_ms.max(base));
        r = r.delays(base, max);
        if let Some(ms) = t.max_total_delay_ms {
            r = r.max_total_delay_ms(ms);
        }
        if let Some(n) = t.max_not_ready {
            // As `maxRetries`: a next page answering 204 for ever, with short
            // delays, would otherwise keep a listing going almost without end.
            if n > 100 {
                return Err(Failure::invalid(
                    "`retry.maxNotReady` must be from 0 to 100",
                ));
            }
            r = r.max_not_ready(n);
        }
    }
    Ok(r)
}

#[cfg(feature = "sim")]
fn simulator(s: &SimOptions, base: &BaseUrl) -> Result<Transport, Failure> {
    use partner_usage_core::sim::{SimConfig, Simulator};
    use partner_usage_core::time::Timestamp;
    let mut cfg = SimConfig::default();
    if let Some(seed) = s.seed {
        cfg.seed = seed;
    }
    if let Some(rate) = s.fault_rate {
        if !(0.0..=1.0).contains(&rate) {
            return Err(Failure::invalid(
                "`simulator.faultRate` must be from 0 to 1",
            ));
        }
        cfg.fault_rate = rate;
    }
    if let Some(names) = &s.faults {
        use partner_usage_core::sim::Fault;
        cfg.faults = names
            .iter()
            .map(|n| {
                Fault::from_name(n).ok_or_else(|| {
                    let known: Vec<_> = Fault::ALL
                        .iter()
                        .map(|f| format!("'{}'", f.as_str()))
                        .collect();
                    Failure::invalid(format!(
                        "`simulator.faults` has {n:?}: expected some of {}",
                        known.join(", ")
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
    }
    if let Some(ms) = s.latency_ms {
        cfg.latency_ms = ms;
    }
    if let Some(n) = s.customers {
        if n > 10_000 {
            return Err(Failure::invalid(
                "`simulator.customers` must be at most 10000",
            ));
        }
        cfg.customers = n;
    }
    cfg.now = match &s.now {
        Some(t) => t.to_timestamp("simulator.now")?,
        // Like pc-sim: the current time on the hour, so the data is recent.
        None => Timestamp::from_unix(crate::runtime::now_ms().div_euclid(3_600_000) * 3_600, 0),
    };
    if let Some(n) = s.big_subscription_records {
        if n > 100_000_000 {
            return Err(Failure::invalid(
                "`simulator.bigSubscriptionRecords` must be at most 100000000",
            ));
        }
        cfg.big_subscription_records = n;
    }
    if let Some(n) = s.retry_after_secs {
        cfg.retry_after_secs = n;
    }
    if let Some(n) = s.report_delay_hours {
        if n > 720 {
            return Err(Failure::invalid(
                "`simulator.reportDelayHours` must be at most 720",
            ));
        }
        cfg.report_delay_hours = n;
    }
    if let Some(t) = &s.forbidden_token {
        cfg.forbidden_token = t.clone();
    }
    Ok(Transport::Simulator {
        sim: Rc::new(Simulator::new(cfg)),
        prefix: base.to_string(),
    })
}

#[cfg(not(feature = "sim"))]
fn simulator(_: &SimOptions, _: &BaseUrl) -> Result<Transport, Failure> {
    Err(Failure::invalid(
        "this build of the wasm module has no simulator: load the one that has it with `import { simulatorWasm } from 'partner-usage/simulator'` and `await init(simulatorWasm)`, before anything else calls init(): the page's first init() call decides the module",
    ))
}

/// Reads an id argument.
fn id_arg(v: &JsValue, what: &str) -> Result<String, Failure> {
    v.as_string()
        .ok_or_else(|| Failure::invalid(format!("{what} must be a string")))
}

pub(crate) fn customer_id(v: &JsValue) -> Result<CustomerId, Failure> {
    Ok(CustomerId::new(&id_arg(v, "the customer id")?)?)
}

pub(crate) fn subscription_id(v: &JsValue) -> Result<SubscriptionId, Failure> {
    Ok(SubscriptionId::new(&id_arg(v, "the subscription id")?)?)
}

/// A subscription as JavaScript sees it: Partner Center's fields plus
/// `subscriptionKind` (which usage endpoint serves it).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionOut {
    #[serde(flatten)]
    subscription: Subscription,
    subscription_kind: SubscriptionKind,
}

impl Client {
    /// The shared driver (for the summary methods).
    pub(crate) fn driver(&self) -> Rc<Driver> {
        self.driver.clone()
    }

    /// The configured page size.
    pub(crate) fn page_size(&self) -> u32 {
        self.page_size
    }

    /// The configured concurrency.
    pub(crate) fn concurrency(&self) -> u32 {
        self.concurrency
    }

    /// A listing whose records are returned as an array; `convert` decodes
    /// one raw item (page and index for messages) into its JavaScript value.
    /// With `onRecords`, each page's records go to it instead (and the next
    /// page waits for the promise it returns), and the call resolves to the
    /// final progress: memory holds one page, not the listing.
    fn records(&self, endpoint: Endpoint, call: Call, convert: ConvertFn) -> js_sys::Promise {
        let driver = self.driver();
        promise(Box::pin(async move {
            let out = js_sys::Array::new();
            let mut handed = 0;
            let done = driver
                .run(
                    &endpoint,
                    call.signal(),
                    &mut read_items(|raw, page, i| {
                        out.push(&convert(raw, page, i)?);
                        Ok(())
                    }),
                    &mut |progress| {
                        // First, so that a throw here leaves no promise of
                        // onRecords' unwatched.
                        let wait = report(&call, progress)?;
                        let Some(f) = &call.on_records else {
                            return Ok(wait);
                        };
                        // Once per page taken (a retry's event has none).
                        if progress.pages <= handed {
                            return Ok(wait);
                        }
                        handed = progress.pages;
                        let page = out.slice(0, out.length());
                        out.set_length(0);
                        // (A promise of onProgress's left unwaited when
                        // this throws is handled: see `Wait::of`.)
                        let back = f
                            .call2(&JsValue::NULL, &page, &progress_object(progress))
                            .map_err(|e| Failure::callback("onRecords()", e))?;
                        Ok(Wait::chain(Wait::of(&back, "onRecords()"), wait))
                    },
                )
                .await?;
            Ok(match call.on_records {
                Some(_) => progress_object(&done).into(),
                None => out.into(),
            })
        }))
    }
}

/// Decodes one raw record and converts it for JavaScript.
type ConvertFn = fn(&RawValue, u32, usize) -> Result<JsValue, Failure>;

/// A [`ConvertFn`] that passes the record through unchanged.
fn record<T: DeserializeOwned + Serialize>(
    raw: &RawValue,
    page: u32,
    index: usize,
) -> Result<JsValue, Failure> {
    let r: T = decode_item(raw, page, index)?;
    to_js(&r)
}

/// A customer of the customers list.
fn customer(raw: &RawValue, page: u32, index: usize) -> Result<JsValue, Failure> {
    let c: Customer = decode_item_plain(raw, page, index)?;
    to_js(&c)
}

/// A subscription with its `subscriptionKind`.
fn subscription(raw: &RawValue, page: u32, index: usize) -> Result<JsValue, Failure> {
    let s: Subscription = decode_item_plain(raw, page, index)?;
    let subscription_kind = s.kind();
    to_js(&SubscriptionOut {
        subscription: s,
        subscription_kind,
    })
}

#[wasm_bindgen(js_class = WasmClient)]
impl Client {
    /// Creates a client: `{ baseUrl, token | getToken, maxRetries,
    /// concurrency, pageSize, maxPages, retry, headers, simulator }`. Throws a
    /// `PartnerCenterError` (kind `'invalid-input'`) for invalid options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        Client::build(&options).map_err(Failure::into_js)
    }

    fn build(options: &JsValue) -> Result<Client, Failure> {
        let o: ClientOptions = options::parse(options, "the client options")?;
        let auth = auth(options)?;
        let base_text = match (&o.base_url, &o.simulator) {
            (Some(b), _) => b.clone(),
            (None, Some(_)) => SIMULATOR_BASE.to_string(),
            (None, None) => {
                return Err(Failure::invalid(
                    "`baseUrl` is required: where /v1/... is served (your proxy, or https://api.partnercenter.microsoft.com)",
                ))
            }
        };
        let base = BaseUrl::parse(&base_text)?;
        let timeout_ms = timeout_ms(o.timeout_ms)?;
        let transport = match &o.simulator {
            Some(s) => simulator(s, &base)?,
            None => Transport::Fetch { timeout_ms },
        };
        let page_size = o.page_size.unwrap_or(MAX_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(Failure::invalid(format!(
                "`pageSize` must be from 1 to {MAX_PAGE_SIZE}"
            )));
        }
        let concurrency = o.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
        if !(1..=MAX_CONCURRENCY).contains(&concurrency) {
            return Err(Failure::invalid(format!(
                "`concurrency` must be from 1 to {MAX_CONCURRENCY}"
            )));
        }
        let headers = extra_headers(options)?;
        let mut config = PaginatorConfig::default().retry(retry_config(&o)?);
        if let Some(n) = o.max_pages {
            if n == 0 {
                return Err(Failure::invalid("`maxPages` must be at least 1"));
            }
            config = config.max_pages(n);
        }
        Ok(Client {
            driver: Rc::new(Driver {
                base,
                transport,
                auth,
                headers,
                config,
                throttle: Cell::new(Throttle::default()),
            }),
            page_size,
            concurrency,
        })
    }

    /// Every customer's usage this billing period (all pages):
    /// `CustomerMonthlyUsageRecord[]`. Options: `{ signal, onProgress, onRecords }`.
    #[wasm_bindgen(js_name = customerUsageRecords)]
    pub fn customer_usage_records(&self, options: JsValue) -> js_sys::Promise {
        let call = match plain_call(&options, "customerUsageRecords options") {
            Ok(c) => c,
            Err(f) => return rejected(f),
        };
        self.records(
            Endpoint::CustomerUsageRecords,
            call,
            record::<CustomerMonthlyUsageRecord>,
        )
    }

    /// The partner's customers (all pages, `pageSize` per page): `Customer[]`.
    /// Options: `{ signal, onProgress, onRecords }`.
    pub fn customers(&self, options: JsValue) -> js_sys::Promise {
        let call = match plain_call(&options, "customers options") {
            Ok(c) => c,
            Err(f) => return rejected(f),
        };
        let endpoint = match Endpoint::customers(self.page_size) {
            Ok(e) => e,
            Err(e) => return rejected(e.into()),
        };
        self.records(endpoint, call, customer)
    }

    /// A customer's subscriptions, each with `subscriptionKind`
    /// (`'azure-plan' | 'legacy-azure' | 'other'`). Options: `{ signal, onProgress, onRecords }`.
    pub fn subscriptions(&self, customer_id: JsValue, options: JsValue) -> js_sys::Promise {
        let args = (|| {
            let customer = self::customer_id(&customer_id)?;
            Ok::<_, Failure>((customer, plain_call(&options, "subscriptions options")?))
        })();
        let (customer, call) = match args {
            Ok(a) => a,
            Err(f) => return rejected(f),
        };
        self.records(Endpoint::Subscriptions { customer }, call, subscription)
    }

    /// An Azure plan subscription's resource usage records (all pages).
    /// Options: `{ signal, onProgress, onRecords }`.
    #[wasm_bindgen(js_name = resourceUsageRecords)]
    pub fn resource_usage_records(
        &self,
        customer_id: JsValue,
        subscription_id: JsValue,
        options: JsValue,
    ) -> js_sys::Promise {
        let args = (|| {
            let customer = self::customer_id(&customer_id)?;
            let subscription = self::subscription_id(&subscription_id)?;
            let call = plain_call(&options, "resourceUsageRecords options")?;
            Ok::<_, Failure>((customer, subscription, call))
        })();
        let (customer, subscription, call) = match args {
            Ok(a) => a,
            Err(f) => return rejected(f),
        };
        self.records(
            Endpoint::ResourceUsageRecords {
                customer,
                subscription,
            },
            call,
            record::<ResourceUsageRecord>,
        )
    }

    /// A subscription's Azure utilization records (all pages). Options:
    /// `{ startTime, endTime, days, granularity, showDetails, size, signal,
    /// onProgress, onRecords }`. A 204 (no data for the window) gives `[]`.
    #[wasm_bindgen(js_name = azureUtilization)]
    pub fn azure_utilization(
        &self,
        customer_id: JsValue,
        subscription_id: JsValue,
        options: JsValue,
    ) -> js_sys::Promise {
        let page_size = self.page_size;
        let args = (|| {
            let customer = self::customer_id(&customer_id)?;
            let subscription = self::subscription_id(&subscription_id)?;
            let call = Call::read(&options, "azureUtilization options")?;
            let o: UtilizationCallOptions = options::parse(&options, "azureUtilization options")?;
            let query = o.query().build(self.driver.transport.now_ms(), page_size)?;
            Ok::<_, Failure>((
                Endpoint::AzureUtilization {
                    customer,
                    subscription,
                    query,
                },
                call,
            ))
        })();
        let (endpoint, call) = match args {
            Ok(a) => a,
            Err(f) => return rejected(f),
        };
        self.records(endpoint, call, record::<AzureUtilizationRecord>)
    }
}

/// `signal`, `onProgress` and `onRecords`, refusing any other option.
fn plain_call(options: &JsValue, what: &str) -> Result<Call, Failure> {
    let call = Call::read(options, what)?;
    let _: PlainOptions = options::parse(options, what)?;
    Ok(call)
}
