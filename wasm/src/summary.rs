//! Summaries: streamed from the API, or computed from records already in
//! JavaScript.
//!
//! The streaming methods feed each page's raw items straight from the body
//! bytes into the core's summarisers: no record ever becomes a JavaScript
//! object. The offline functions take records (or any JSON array of them)
//! as UTF-8 JSON bytes, which the package's `index.js` makes with
//! `JSON.stringify` + `TextEncoder`; money given as decimal strings stays
//! exact.
//!
//! Summaries keep their exact decimal strings with `…Number` companions for
//! charting. A utilization summary's `bucketStarts` and each series'
//! `values` are `Float64Array`s.

use crate::client::{customer_id, subscription_id, Client};
use crate::convert::{f64_array, to_js};
use crate::driver::{emit, progress_object, report, wait_for, Driver, Stopped, Wait};
use crate::errors::{promise, rejected, set, Failure};
use crate::options::{self, from_map, json_map, take_keys, Call, QueryOptions};
use crate::runtime::{check_aborted, now_ms, Stopper};
use partner_usage_core::aggregate::{
    CustomerOptions, CustomerSummariser, ResourceOptions, ResourceSummariser, UtilizationOptions,
    UtilizationSummariser, UtilizationSummary, MAX_KEPT_ERRORS,
};
use partner_usage_core::endpoint::{CustomerId, Endpoint, SubscriptionId};
use partner_usage_core::error::Error;
use partner_usage_core::paginate::{decode_raw_page, PageInfo, Progress};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The keys of a call's options that are not summary options.
const CALL_KEYS: &[&str] = &["signal", "onProgress", "onPage"];
/// The call keys of the calls over many subscriptions (they refuse
/// `onPage` with their own message, so an unknown key's list leaves it out).
const MANY_CALL_KEYS: &[&str] = &["signal", "onProgress"];
/// The keys of the utilization query.
const QUERY_KEYS: &[&str] = &[
    "startTime",
    "endTime",
    "days",
    "granularity",
    "showDetails",
    "size",
];

/// What the three core summarisers have in common.
pub(crate) trait Summariser: Clone + 'static {
    /// The finished summary.
    type Summary;
    /// Reads one page's body (page `page`, 1-based) into the totals, whole
    /// or not at all, and returns the page facts.
    fn read_page(&mut self, page: u32, body: &[u8]) -> Result<PageInfo, Error>;
    /// Adds another summariser's records.
    fn merge(&mut self, other: Self) -> Result<(), Error>;
    /// Finishes the summary.
    fn finish(self) -> Result<Self::Summary, Error>;
    /// The summary as JavaScript sees it.
    fn to_js(summary: Self::Summary) -> Result<JsValue, Failure>;
}

/// The customer and resource summarisers: the envelope is decoded by the
/// core, then the raw items are added (nothing is added unless the whole
/// body is well-formed), and the summary goes to JavaScript as it is.
macro_rules! raw_item_summariser {
    ($summariser:ty => $summary:ty) => {
        impl Summariser for $summariser {
            type Summary = $summary;
            fn read_page(&mut self, page: u32, body: &[u8]) -> Result<PageInfo, Error> {
                let (raw, info) = decode_raw_page(body)?;
                self.add_page(page, &raw.items)?;
                Ok(info)
            }
            fn merge(&mut self, other: Self) -> Result<(), Error> {
                <$summariser>::merge(self, other)
            }
            fn finish(self) -> Result<Self::Summary, Error> {
                <$summariser>::finish(self)
            }
            fn to_js(summary: Self::Summary) -> Result<JsValue, Failure> {
                to_js(&summary)
            }
        }
    };
}

raw_item_summariser!(CustomerSummariser => partner_usage_core::aggregate::CustomerSummary);
raw_item_summariser!(ResourceSummariser => partner_usage_core::aggregate::ResourceSummary);

impl Summariser for UtilizationSummariser {
    type Summary = UtilizationSummary;
    /// The fast path: the core's borrowing scanner reads the body once,
    /// straight into the totals (and adds nothing from a body that is cut
    /// or malformed, so a truncated page can be asked for again).
    fn read_page(&mut self, page: u32, body: &[u8]) -> Result<PageInfo, Error> {
        self.add_scanned_page(page, body)
    }
    fn merge(&mut self, other: Self) -> Result<(), Error> {
        UtilizationSummariser::merge(self, other)
    }
    fn finish(self) -> Result<Self::Summary, Error> {
        UtilizationSummariser::finish(self)
    }
    fn to_js(summary: Self::Summary) -> Result<JsValue, Failure> {
        utilization_to_js(summary)
    }
}

/// A type-erased [`Summariser`], so the streaming loops below are compiled
/// once rather than once per summary type.
pub(crate) trait Sink {
    /// Reads one page's body (see [`Summariser::read_page`]).
    fn read(&mut self, page: u32, body: &[u8]) -> Result<PageInfo, Error>;
    /// A fresh copy (for one listing of a multi-subscription call).
    fn clone_box(&self) -> Box<dyn Sink>;
    /// Adds another sink of the same type.
    fn merge_box(&mut self, other: Box<dyn Sink>) -> Result<(), Failure>;
    /// Finishes the summary as JavaScript sees it.
    fn finish_js(self: Box<Self>) -> Result<JsValue, Failure>;
    /// For [`Sink::merge_box`]'s downcast.
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

impl<S: Summariser> Sink for S {
    fn read(&mut self, page: u32, body: &[u8]) -> Result<PageInfo, Error> {
        self.read_page(page, body)
    }
    fn clone_box(&self) -> Box<dyn Sink> {
        Box::new(self.clone())
    }
    fn merge_box(&mut self, other: Box<dyn Sink>) -> Result<(), Failure> {
        let other = other
            .into_any()
            .downcast::<S>()
            .map_err(|_| Failure::invalid("can't merge summaries of different kinds"))?;
        Ok(self.merge(*other)?)
    }
    fn finish_js(self: Box<Self>) -> Result<JsValue, Failure> {
        S::to_js((*self).finish()?)
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// A utilization summary with typed arrays: `bucketStarts` and each
/// series' `values` become `Float64Array`s (they are serialised empty, then
/// replaced, so they are never built as plain arrays).
pub(crate) fn utilization_to_js(mut s: UtilizationSummary) -> Result<JsValue, Failure> {
    let starts = std::mem::take(&mut s.bucket_starts);
    let values: Vec<Vec<f64>> = s
        .series
        .iter_mut()
        .map(|series| std::mem::take(&mut series.values))
        .collect();
    let obj = to_js(&s)?;
    let js_series = js_sys::Reflect::get(&obj, &JsValue::from_str("series"))
        .map_err(|_| Failure::invalid("a summary without series"))?;
    let js_series = js_sys::Array::from(&js_series);
    for (i, v) in values.iter().enumerate() {
        let item: js_sys::Object = js_series.get(i as u32).into();
        set(&item, "values", &f64_array(v));
    }
    set(&obj.clone().into(), "bucketStarts", &f64_array(&starts));
    Ok(obj)
}

/// Summarises records already in JavaScript (offline): the JSON array is
/// wrapped into a page body so every summariser reads it as it reads pages.
fn summarize_offline<S: Summariser>(json: &[u8], mut s: S) -> Result<JsValue, Failure> {
    // A file saved by some editors starts with a byte order mark.
    let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    const WHAT: &str = "the records must be a JSON array of records, or a page of them \
                        as Partner Center sends it ({ items: [...] })";
    let body = match json.iter().find(|b| !b.is_ascii_whitespace()) {
        // A page as saved from a response: read as the client reads one.
        Some(b'{') => std::borrow::Cow::Borrowed(json),
        Some(b'[') => {
            let mut body = Vec::with_capacity(json.len() + 12);
            body.extend_from_slice(b"{\"items\":");
            body.extend_from_slice(json);
            body.push(b'}');
            std::borrow::Cow::Owned(body)
        }
        _ => return Err(Failure::invalid(WHAT)),
    };
    s.read_page(1, &body).map_err(|e| match e {
        // Not even an array of JSON values (a bad record has an index).
        Error::Decode(d) if d.index.is_none() => Failure::invalid(format!("{WHAT}: {}", d.message)),
        e => Failure::Core(e),
    })?;
    S::to_js(s.finish()?)
}

/// `summarizeCustomerUsage(recordsJson, options)`: a customer summary of
/// `CustomerMonthlyUsageRecord`s given as UTF-8 JSON bytes. Options:
/// `{ topN, nearThreshold, badRecords }`. Throws a `PartnerCenterError`.
#[wasm_bindgen(js_name = summarizeCustomerUsage)]
pub fn summarize_customer_usage(records_json: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    (|| {
        let o: CustomerOptions = options::parse(&options, "summarizeCustomerUsage options")?;
        o.check()?;
        summarize_offline(records_json, CustomerSummariser::new(o))
    })()
    .map_err(Failure::into_js)
}

/// `summarizeResourceUsage(recordsJson, options)`: a resource summary of
/// `ResourceUsageRecord`s given as UTF-8 JSON bytes. Options:
/// `{ groupBy, thenBy, topN, badRecords }`. Throws a `PartnerCenterError`.
#[wasm_bindgen(js_name = summarizeResourceUsage)]
pub fn summarize_resource_usage(records_json: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    (|| {
        let o: ResourceOptions = options::parse(&options, "summarizeResourceUsage options")?;
        o.check()?;
        summarize_offline(records_json, ResourceSummariser::new(o))
    })()
    .map_err(Failure::into_js)
}

/// `summarizeUtilization(recordsJson, options)`: a utilization time series
/// of `AzureUtilizationRecord`s given as UTF-8 JSON bytes. Options:
/// `{ bucket, offsetMinutes, groupBy, tagKey, filters, exact, anomaly,
/// maxBuckets, badRecords, startTime, endTime, granularity }`. `startTime`/`endTime` are
/// the window the records were fetched for, as in `utilizationSummary`: the
/// buckets span it, and records outside it (usage Partner Center reported
/// late) are kept; `filters.start`/`filters.end` keep only a time range.
/// Throws a `PartnerCenterError`.
#[wasm_bindgen(js_name = summarizeUtilization)]
pub fn summarize_utilization(records_json: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    (|| {
        summarize_offline(
            records_json,
            offline_utilization(&options, "summarizeUtilization options")?,
        )
    })()
    .map_err(Failure::into_js)
}

/// The summariser of an offline utilization summary: the summary's options,
/// spanning the window the records were fetched for (`startTime`,
/// `endTime`), as the streaming summary spans its query's.
fn offline_utilization(options: &JsValue, what: &str) -> Result<UtilizationSummariser, Failure> {
    let mut map = json_map(options, what)?;
    // The window's options as a query gives them (a summary's `window`, or
    // the options of the call that fetched the pages); `granularity` is
    // read for its check only: the records say what they are.
    const WINDOW: &[&str] = &["startTime", "endTime", "granularity"];
    let window: QueryOptions = from_map(take_keys(&mut map, WINDOW), what, &[])?;
    let o: UtilizationOptions = from_map(map, what, &[WINDOW])?;
    let (start, end) = window.bounds()?;
    Ok(UtilizationSummariser::new(o)?.spanning(start, end))
}

/// `summarizeUtilizationPages(pages, options)`: a `UtilizationSummary` of
/// page bodies as Partner Center sent them (an array of `Uint8Array`s, such
/// as those `onPage` hands over), read as the streaming client reads them:
/// the same summary as `utilizationSummary()` gave, with other options and
/// no network. Options as `summarizeUtilization`. Throws a
/// `PartnerCenterError`.
#[wasm_bindgen(js_name = summarizeUtilizationPages)]
pub fn summarize_utilization_pages(pages: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    (|| {
        let mut s = offline_utilization(&options, "summarizeUtilizationPages options")?;
        if !js_sys::Array::is_array(&pages) {
            return Err(Failure::invalid(
                "summarizeUtilizationPages: the pages must be an array of Uint8Arrays",
            ));
        }
        // One buffer for every page: memory grows to the largest page only.
        let mut body = Vec::new();
        for (i, page) in js_sys::Array::from(&pages).iter().enumerate() {
            let bytes = page.dyn_into::<js_sys::Uint8Array>().map_err(|_| {
                Failure::invalid(format!(
                    "summarizeUtilizationPages: page {} is not a Uint8Array",
                    i + 1
                ))
            })?;
            body.resize(bytes.length() as usize, 0);
            bytes.copy_to(&mut body);
            s.read_page(u32::try_from(i + 1).unwrap_or(u32::MAX), &body)?;
        }
        utilization_to_js(s.finish()?)
    })()
    .map_err(Failure::into_js)
}

/// Splits a call's options into `Call`, the utilization query (when
/// `query` is set) and the summary options. `call_keys` are the call keys
/// an unknown key's message lists.
fn split<T: serde::de::DeserializeOwned>(
    options: &JsValue,
    what: &str,
    query: bool,
    call_keys: &[&str],
) -> Result<(Call, Option<QueryOptions>, T), Failure> {
    let call = Call::read(options, what)?;
    let mut map = json_map(options, what)?;
    take_keys(&mut map, CALL_KEYS);
    let q = if query {
        Some(from_map(take_keys(&mut map, QUERY_KEYS), what, &[])?)
    } else {
        None
    };
    let with_query = [call_keys, QUERY_KEYS];
    let taken: &[&[&str]] = if query { &with_query } else { &with_query[..1] };
    Ok((call, q, from_map(map, what, taken)?))
}

/// Runs one listing into a summariser.
fn stream(
    driver: Rc<Driver>,
    endpoint: Endpoint,
    call: Call,
    mut sink: Box<dyn Sink>,
) -> js_sys::Promise {
    promise(Box::pin(async move {
        let mut pages = 0;
        // A promise onPage returned, waited for with the page's progress event's.
        let pending: RefCell<Option<Wait>> = RefCell::new(None);
        let run = driver
            .run(
                &endpoint,
                call.signal(),
                &mut |page, body| {
                    let info = sink.read(page, body)?;
                    if let Some(f) = &call.on_page {
                        let back = f
                            .call1(&JsValue::NULL, &js_sys::Uint8Array::from(body))
                            .map_err(|e| Failure::callback("onPage()", e))?;
                        pending.replace(Wait::of(&back, "onPage()"));
                    }
                    Ok(info)
                },
                &mut |progress| {
                    pages = progress.pages;
                    // onPage's promise, then onProgress's (each handled
                    // from the start: see `Wait::of`).
                    let page = pending.take();
                    Ok(Wait::chain(page, report(&call, progress)?))
                },
            )
            .await
            .map_err(Failure::from);
        match run {
            Ok(_) => sink.finish_js(),
            // Stopped early after reading something: the error carries what
            // was read, marked incomplete (never resolved as if complete).
            Err(f) if pages > 0 => {
                let (error, correlation_id) = f.into_core()?;
                let partial = match sink.finish_js() {
                    Ok(p) => p,
                    Err(_) => return Err(Failure::of_listing(error, correlation_id)),
                };
                let obj: js_sys::Object = partial.clone().into();
                set(&obj, "incomplete", &JsValue::TRUE);
                set(&obj, "pages", &JsValue::from(pages));
                Err(Failure::Incomplete {
                    error: Box::new(error),
                    partial,
                    correlation_id,
                })
            }
            Err(f) => Err(f),
        }
    }))
}

/// One subscription of a multi-subscription call.
#[derive(Debug)]
struct Job {
    customer: CustomerId,
    subscription: SubscriptionId,
    endpoint: Endpoint,
}

impl Job {
    /// Sets `customerId` and `subscriptionId` on `obj`: whose it is.
    fn name_on(&self, obj: &js_sys::Object) {
        set(
            obj,
            "customerId",
            &JsValue::from_str(self.customer.as_str()),
        );
        set(
            obj,
            "subscriptionId",
            &JsValue::from_str(self.subscription.as_str()),
        );
    }
}

/// How one listing of a multi-subscription call ended.
type Outcome = Result<Box<dyn Sink>, Failure>;

/// The state the workers of a multi-subscription call share.
struct Shared {
    driver: Rc<Driver>,
    call: Call,
    /// The listings' signal: follows the caller's, and stops them all when
    /// the call fails.
    stopper: Stopper,
    /// What failed the whole call (a callback threw, or an abort).
    failure: RefCell<Option<Failure>>,
    jobs: Vec<Job>,
    template: Box<dyn Sink>,
    next: Cell<usize>,
    completed: Cell<usize>,
    progress: RefCell<Vec<Progress>>,
    results: RefCell<Vec<Option<Outcome>>>,
}

impl Shared {
    /// Reports the sum of every listing's progress (no more once the call
    /// failed).
    fn report(&self) -> Result<Option<Wait>, Failure> {
        let Some(f) = &self.call.on_progress else {
            return Ok(None);
        };
        if self.failure.borrow().is_some() {
            return Ok(None);
        }
        let (mut pages, mut records, mut retries) = (0u32, 0u64, 0u32);
        let mut total = None;
        // The longest wait of a listing whose retry is still to go out.
        let mut retry_at = None;
        // Why: the cause of that longest wait's retry, else the last
        // listing's that retried.
        let mut last_retry = None;
        let now = now_ms();
        for p in self.progress.borrow().iter() {
            pages = pages.saturating_add(p.pages);
            records = records.saturating_add(p.records);
            retries = retries.saturating_add(p.retries);
            total = p.total_count.or(total);
            if let Some(at) = p.retry_at_ms.filter(|&at| at > now) {
                if retry_at.is_none_or(|r: i64| at > r) {
                    retry_at = Some(at);
                    last_retry = p.last_retry;
                }
            } else if retry_at.is_none() && p.last_retry.is_some() {
                last_retry = p.last_retry;
            }
        }
        let mut sum = Progress::default();
        sum.pages = pages;
        sum.records = records;
        sum.retries = retries;
        sum.total_count = total;
        sum.retry_at_ms = retry_at;
        sum.last_retry = last_retry;
        let event = progress_object(&sum);
        set(&event, "listings", &JsValue::from(self.jobs.len() as u32));
        set(
            &event,
            "completed",
            &JsValue::from(self.completed.get() as u32),
        );
        emit(f, &event)
    }

    /// Fails the whole call with `f` (the first failure is kept): no
    /// listing starts after it, the running ones are aborted, and
    /// `onProgress` is not called again.
    fn fail(&self, f: Failure) {
        self.next.set(self.jobs.len());
        self.failure.borrow_mut().get_or_insert(f);
        self.stopper.stop();
    }
}

/// Takes jobs off the shared queue until there are none left.
async fn worker(shared: Rc<Shared>) {
    loop {
        let i = shared.next.get();
        if i >= shared.jobs.len() {
            return;
        }
        shared.next.set(i + 1);
        let mut s = shared.template.clone_box();
        let outcome = shared
            .driver
            .run(
                &shared.jobs[i].endpoint,
                Some(shared.stopper.signal()),
                &mut |page, body| Ok(s.read(page, body)?),
                &mut |progress| {
                    if let Some(slot) = shared.progress.borrow_mut().get_mut(i) {
                        *slot = *progress;
                    }
                    shared.report()
                },
            )
            .await;
        shared.completed.set(shared.completed.get() + 1);
        // A failed listing keeps its progress too (its retries, the pages
        // it read).
        let (outcome, progress) = match outcome {
            Ok(progress) => (Ok(s), progress),
            Err(Stopped { failure, progress }) => (Err(failure), progress),
        };
        if let Some(slot) = shared.progress.borrow_mut().get_mut(i) {
            *slot = progress;
        }
        match outcome {
            // A failed callback or an abort fails the whole call.
            Err(f @ (Failure::Callback { .. } | Failure::Aborted { .. })) => return shared.fail(f),
            outcome => {
                if let Some(slot) = shared.results.borrow_mut().get_mut(i) {
                    *slot = Some(outcome);
                }
            }
        }
        let reported = match shared.report() {
            Ok(wait) => wait_for(wait, Some(shared.stopper.signal())).await,
            Err(f) => Err(f),
        };
        if let Err(f) = reported {
            return shared.fail(f);
        }
    }
}

/// Runs every job, `concurrency` at a time, and merges the summaries.
///
/// Resolves to `{ summary, subscriptions, failed }`: `summary` merges every
/// subscription that succeeded; `subscriptions[i]` is `{ customerId,
/// subscriptionId, summary, error, pages, records, retries }` in the input
/// order, with `error` a `PartnerCenterError` (and `summary` null) for a
/// listing that failed; when any did, `summary` has `incomplete: true`.
/// The merged summary's `errors` are the subscriptions' own, in the input
/// order, each with its `customerId` and `subscriptionId` (the first
/// [`MAX_KEPT_ERRORS`]). Rejects on an abort, on a failing callback (at once: the other listings
/// are stopped), or when merging fails.
async fn stream_many(
    driver: Rc<Driver>,
    concurrency: usize,
    call: Call,
    jobs: Vec<Job>,
    template: Box<dyn Sink>,
) -> Result<JsValue, Failure> {
    if call.on_page.is_some() {
        return Err(Failure::invalid(
            "`onPage` is for the summary of one listing; the calls over many subscriptions don't take it",
        ));
    }
    let n = jobs.len();
    let shared = Rc::new(Shared {
        driver,
        stopper: Stopper::new(call.signal()),
        failure: RefCell::new(None),
        call,
        jobs,
        template,
        next: Cell::new(0),
        completed: Cell::new(0),
        progress: RefCell::new(vec![Progress::default(); n]),
        results: RefCell::new((0..n).map(|_| None).collect()),
    });
    let workers = js_sys::Array::new();
    for _ in 0..concurrency.min(n) {
        let shared = shared.clone();
        workers.push(&promise(Box::pin(async move {
            worker(shared).await;
            Ok(JsValue::UNDEFINED)
        })));
    }
    // Workers never reject: their outcomes are in `results`, and what
    // failed the whole call in `failure`.
    let _ = JsFuture::from(js_sys::Promise::all(&workers)).await;
    if let Some(f) = shared.failure.take() {
        return Err(f);
    }
    check_aborted(shared.call.signal())?;

    let results = std::mem::take(&mut *shared.results.borrow_mut());
    let progress = shared.progress.borrow().clone();
    let mut merged = shared.template.clone_box();
    let out = js_sys::Array::new();
    let mut failed = 0u32;
    let errors = js_sys::Array::new();
    for (i, result) in results.into_iter().enumerate() {
        let job = &shared.jobs[i];
        let entry = js_sys::Object::new();
        job.name_on(&entry);
        let p = progress.get(i).copied().unwrap_or_default();
        set(&entry, "pages", &JsValue::from(p.pages));
        set(&entry, "records", &JsValue::from(p.records as f64));
        set(&entry, "retries", &JsValue::from(p.retries));
        match result {
            Some(Ok(s)) => {
                merged.merge_box(s.clone_box())?;
                let own = s.finish_js()?;
                tag_errors(&own, job, &errors);
                set(&entry, "summary", &own);
                set(&entry, "error", &JsValue::NULL);
            }
            Some(Err(f @ (Failure::Callback { .. } | Failure::Aborted { .. }))) => return Err(f),
            Some(Err(f)) => {
                failed += 1;
                set(&entry, "summary", &JsValue::NULL);
                set(&entry, "error", &f.into_js());
            }
            None => {
                return Err(Failure::invalid(
                    "a listing of a multi-subscription call never ran",
                ))
            }
        }
        out.push(&entry);
    }
    let result = js_sys::Object::new();
    let summary = merged.finish_js()?;
    set(summary.unchecked_ref(), "errors", &errors);
    if failed > 0 {
        set(summary.unchecked_ref(), "incomplete", &JsValue::TRUE);
    }
    set(&result, "summary", &summary);
    set(&result, "subscriptions", &out);
    set(&result, "failed", &JsValue::from(failed));
    Ok(result.into())
}

/// Adds a subscription summary's `errors` to `into`, each a copy naming the
/// subscription, up to [`MAX_KEPT_ERRORS`] in all.
fn tag_errors(summary: &JsValue, job: &Job, into: &js_sys::Array) {
    let own = options::prop(summary, "errors");
    if !js_sys::Array::is_array(&own) {
        return;
    }
    for e in js_sys::Array::from(&own).iter() {
        if into.length() as usize >= MAX_KEPT_ERRORS {
            return;
        }
        let copy = js_sys::Object::assign(&js_sys::Object::new(), &e.unchecked_into());
        job.name_on(&copy);
        into.push(&copy);
    }
}

/// Reads `pairs`: an array of `{ customerId, subscriptionId }` or
/// `[customerId, subscriptionId]`.
fn pairs(v: &JsValue) -> Result<Vec<(CustomerId, SubscriptionId)>, Failure> {
    if !js_sys::Array::is_array(v) {
        return Err(Failure::invalid(
            "the subscriptions must be an array of { customerId, subscriptionId }",
        ));
    }
    let mut out = Vec::new();
    for item in js_sys::Array::from(v).iter() {
        let (c, s) = if js_sys::Array::is_array(&item) {
            let a = js_sys::Array::from(&item);
            (a.get(0), a.get(1))
        } else {
            (
                options::prop(&item, "customerId"),
                options::prop(&item, "subscriptionId"),
            )
        };
        out.push((customer_id(&c)?, subscription_id(&s)?));
    }
    Ok(out)
}

#[wasm_bindgen(js_class = WasmClient)]
impl Client {
    /// Fetches every customer's usage and summarises it in wasm:
    /// `CustomerSummary`. Options: `{ topN, nearThreshold, badRecords,
    /// signal, onProgress }`.
    #[wasm_bindgen(js_name = customerUsageSummary)]
    pub fn customer_usage_summary(&self, options: JsValue) -> js_sys::Promise {
        let (call, _, o) = match split::<CustomerOptions>(
            &options,
            "customerUsageSummary options",
            false,
            CALL_KEYS,
        )
        .and_then(|(call, q, o)| Ok(o.check().map(|()| (call, q, o))?))
        {
            Ok(v) => v,
            Err(f) => return rejected(f),
        };
        stream(
            self.driver(),
            Endpoint::CustomerUsageRecords,
            call,
            Box::new(CustomerSummariser::new(o)),
        )
    }

    /// Fetches a subscription's resource usage and summarises it in wasm:
    /// `ResourceSummary`. Options: `{ groupBy, thenBy, topN, badRecords,
    /// signal, onProgress }`.
    #[wasm_bindgen(js_name = resourceUsageSummary)]
    pub fn resource_usage_summary(
        &self,
        customer: JsValue,
        subscription: JsValue,
        options: JsValue,
    ) -> js_sys::Promise {
        let args = (|| {
            let customer = customer_id(&customer)?;
            let subscription = subscription_id(&subscription)?;
            let (call, _, o) = split::<ResourceOptions>(
                &options,
                "resourceUsageSummary options",
                false,
                CALL_KEYS,
            )?;
            o.check()?;
            Ok::<_, Failure>((customer, subscription, call, o))
        })();
        let (customer, subscription, call, o) = match args {
            Ok(a) => a,
            Err(f) => return rejected(f),
        };
        stream(
            self.driver(),
            Endpoint::ResourceUsageRecords {
                customer,
                subscription,
            },
            call,
            Box::new(ResourceSummariser::new(o)),
        )
    }

    /// Fetches a subscription's utilization and summarises it in wasm:
    /// `UtilizationSummary` with `Float64Array` time series. Options: the
    /// query (`startTime, endTime, days, granularity, showDetails, size`),
    /// the summary (`bucket, offsetMinutes, groupBy, tagKey, filters,
    /// exact, anomaly, maxBuckets, badRecords`), `signal`, `onProgress` and
    /// `onPage` (a copy of each page body, for `summarizeUtilizationPages`).
    #[wasm_bindgen(js_name = utilizationSummary)]
    pub fn utilization_summary(
        &self,
        customer: JsValue,
        subscription: JsValue,
        options: JsValue,
    ) -> js_sys::Promise {
        let page_size = self.page_size();
        let args = (|| {
            let customer = customer_id(&customer)?;
            let subscription = subscription_id(&subscription)?;
            let (call, q, o) = split::<UtilizationOptions>(
                &options,
                "utilizationSummary options",
                true,
                CALL_KEYS,
            )?;
            let query = q
                .unwrap_or_default()
                .build(self.driver().transport.now_ms(), page_size)?;
            let s = UtilizationSummariser::new(o)?
                .spanning(Some(query.start_time), Some(query.end_time));
            // Too many buckets for the window alone: said before fetching.
            s.check_window()?;
            Ok::<_, Failure>((
                Endpoint::AzureUtilization {
                    customer,
                    subscription,
                    query,
                },
                call,
                s,
            ))
        })();
        let (endpoint, call, s) = match args {
            Ok(a) => a,
            Err(f) => return rejected(f),
        };
        stream(self.driver(), endpoint, call, Box::new(s))
    }

    /// Resource usage summaries of many subscriptions, `concurrency`
    /// listings at a time, merged: `{ summary, subscriptions, failed }`.
    /// `pairs` is an array of `{ customerId, subscriptionId }` (or
    /// `[customerId, subscriptionId]`); options as `resourceUsageSummary`.
    #[wasm_bindgen(js_name = resourceUsageSummaries)]
    pub fn resource_usage_summaries(&self, pairs: JsValue, options: JsValue) -> js_sys::Promise {
        let args = (|| {
            let jobs = self::pairs(&pairs)?
                .into_iter()
                .map(|(customer, subscription)| Job {
                    endpoint: Endpoint::ResourceUsageRecords {
                        customer: customer.clone(),
                        subscription: subscription.clone(),
                    },
                    customer,
                    subscription,
                })
                .collect::<Vec<_>>();
            let (call, _, o) = split::<ResourceOptions>(
                &options,
                "resourceUsageSummaries options",
                false,
                MANY_CALL_KEYS,
            )?;
            o.check()?;
            Ok::<_, Failure>((jobs, call, ResourceSummariser::new(o)))
        })();
        let (jobs, call, s) = match args {
            Ok(a) => a,
            Err(f) => return rejected(f),
        };
        promise(Box::pin(stream_many(
            self.driver(),
            self.concurrency() as usize,
            call,
            jobs,
            Box::new(s),
        )))
    }

    /// Utilization summaries of many subscriptions over one window,
    /// `concurrency` listings at a time, merged: `{ summary, subscriptions,
    /// failed }`. Options as `utilizationSummary`.
    #[wasm_bindgen(js_name = utilizationSummaries)]
    pub fn utilization_summaries(&self, pairs: JsValue, options: JsValue) -> js_sys::Promise {
        let page_size = self.page_size();
        let args = (|| {
            let (call, q, o) = split::<UtilizationOptions>(
                &options,
                "utilizationSummaries options",
                true,
                MANY_CALL_KEYS,
            )?;
            let query = q
                .unwrap_or_default()
                .build(self.driver().transport.now_ms(), page_size)?;
            let jobs = self::pairs(&pairs)?
                .into_iter()
                .map(|(customer, subscription)| Job {
                    endpoint: Endpoint::AzureUtilization {
                        customer: customer.clone(),
                        subscription: subscription.clone(),
                        query: query.clone(),
                    },
                    customer,
                    subscription,
                })
                .collect::<Vec<_>>();
            let s = UtilizationSummariser::new(o)?
                .spanning(Some(query.start_time), Some(query.end_time));
            // Too many buckets for the window alone: said before fetching.
            s.check_window()?;
            Ok::<_, Failure>((jobs, call, s))
        })();
        let (jobs, call, s) = match args {
            Ok(a) => a,
            Err(f) => return rejected(f),
        };
        promise(Box::pin(stream_many(
            self.driver(),
            self.concurrency() as usize,
            call,
            jobs,
            Box::new(s),
        )))
    }
}
