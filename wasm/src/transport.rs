//! Sending one request: real `fetch`, or the in-wasm simulator.
//!
//! Two code paths behind one enum, no trait objects:
//!
//! * [`Transport::Fetch`] calls the global `fetch` through web-sys. The
//!   bearer token is added here, and only here, to requests built by the
//!   core's paginator, whose URLs are on the configured origin by
//!   construction. The body is read as bytes from its stream (into one
//!   reused buffer where it is a byte stream) and copied once into wasm
//!   memory, never as a JavaScript string.
//! * [`Transport::Simulator`] answers from
//!   [`partner_usage_core::sim::Simulator`] inside wasm (the demo's no-server
//!   mode). It honours the simulated latency with the same cancellable sleep
//!   as retries, and a dropped connection becomes a transport error.
//!
//! gloo-net is not used: its `send()` panics (`unreachable!`) when `fetch`
//! rejects with a value that is not an `Error` (e.g. `controller.abort('stop')`
//! rejects with the string), and its request builder rewrites the URL's query
//! (it appends `&`), while Partner Center links must be followed verbatim.

use crate::errors::Failure;
#[cfg(feature = "sim")]
use crate::runtime;
use partner_usage_core::http::{Request, Response};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

#[cfg(feature = "sim")]
use partner_usage_core::sim::Simulator;
#[cfg(feature = "sim")]
use std::rc::Rc;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (browsers, workers and Node ≥ 18).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Result<js_sys::Promise, JsValue>;
}

/// A response: status, headers and the body bytes.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a request got no response.
#[derive(Debug)]
pub(crate) enum SendError {
    /// No response (connection refused or dropped, DNS, CORS): retried.
    Network(String),
    /// Not worth retrying: aborted, or the request can't be built.
    Fatal(Failure),
}

/// How requests are sent.
#[derive(Debug)]
pub(crate) enum Transport {
    /// The global `fetch`; each request (its answer and its body) gets at
    /// most `timeout_ms` (0: no limit), then counts as no answer (retried).
    Fetch {
        /// The client's `timeoutMs`.
        timeout_ms: u32,
    },
    /// The in-wasm simulator. `prefix` is the configured base URL, stripped
    /// from request URLs so the simulator sees `/v1/...`.
    #[cfg(feature = "sim")]
    Simulator {
        /// The simulated Partner Center.
        sim: Rc<Simulator>,
        /// `scheme://host[/prefix]` of the configured base URL.
        prefix: String,
    },
}

impl Transport {
    /// The time the server on the other end lives at (ms since the epoch),
    /// which default windows ("the last 30 days") are counted back from:
    /// the in-wasm simulator's `now`, else the clock.
    pub(crate) fn now_ms(&self) -> i64 {
        match self {
            Transport::Fetch { .. } => crate::runtime::now_ms(),
            #[cfg(feature = "sim")]
            Transport::Simulator { sim, .. } => sim.config().now.unix_millis(),
        }
    }

    /// Sends `req` with the caller's `extra` headers, adding
    /// `Authorization: Bearer <token>` when there is a token.
    pub(crate) async fn send(
        &self,
        req: &Request,
        extra: &[(String, String)],
        token: Option<&str>,
        signal: Option<&AbortSignal>,
    ) -> Result<Reply, SendError> {
        match self {
            Transport::Fetch { timeout_ms } => {
                let deadline = (*timeout_ms > 0)
                    .then(|| crate::runtime::Stopper::with_deadline(signal, *timeout_ms));
                let signals = Signals {
                    caller: signal,
                    deadline: deadline.as_ref().map(|d| (d, *timeout_ms)),
                };
                fetch(req, extra, token, &signals).await
            }
            #[cfg(feature = "sim")]
            Transport::Simulator { sim, prefix } => simulate(sim, prefix, req, token, signal).await,
        }
    }
}

const BAD_TOKEN: &str =
    "the access token contains characters that are not allowed in an HTTP header";

/// A request's signals: the caller's, and the one of its time limit (which
/// follows the caller's), with the limit in ms.
struct Signals<'a> {
    caller: Option<&'a AbortSignal>,
    deadline: Option<(&'a crate::runtime::Stopper, u32)>,
}

impl Signals<'_> {
    /// The signal the request and its body are read under.
    fn signal(&self) -> Option<&AbortSignal> {
        match self.deadline {
            Some((d, _)) => Some(d.signal()),
            None => self.caller,
        }
    }

    /// A rejected fetch or body read: aborted if the caller's signal says
    /// so, no answer in time if the limit's does, else a network error.
    fn failed(&self, e: JsValue) -> SendError {
        match self.deadline {
            Some((d, ms)) if d.signal().aborted() && !self.caller.is_some_and(|c| c.aborted()) => {
                SendError::Network(format!(
                    "no answer within {} (the client's timeoutMs)",
                    duration(ms)
                ))
            }
            _ => failed(e, self.caller),
        }
    }
}

/// `50 ms`, `2 s`, `1.5 s`.
fn duration(ms: u32) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{} s", f64::from(ms) / 1000.0)
    }
}

async fn fetch(
    req: &Request,
    extra: &[(String, String)],
    token: Option<&str>,
    signals: &Signals<'_>,
) -> Result<Reply, SendError> {
    let signal = signals.signal();
    let fatal = |m: String| SendError::Fatal(Failure::invalid(m));
    let headers = web_sys::Headers::new()
        .map_err(|e| fatal(format!("cannot create request headers: {}", describe(&e))))?;
    for (k, v) in req.headers.iter().chain(extra) {
        headers
            .append(k, v)
            .map_err(|_| fatal(format!("the {k} header can't be sent (invalid characters)")))?;
    }
    if let Some(t) = token {
        // The value is never put in a message.
        headers
            .append("Authorization", &format!("Bearer {t}"))
            .map_err(|_| fatal(BAD_TOKEN.to_string()))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(req.method.as_str());
    init.set_headers(&headers);
    // A redirect is never followed: it would carry the token (and the
    // continuation token) to a URL the paginator never checked.
    init.set_redirect(web_sys::RequestRedirect::Manual);
    if let Some(s) = signal {
        init.set_signal(Some(s));
    }
    let request = web_sys::Request::new_with_str_and_init(&req.url, &init)
        .map_err(|e| fatal(format!("cannot create the request: {}", describe(&e))))?;
    let promise = global_fetch(&request).map_err(|e| {
        fatal(format!(
            "there is no usable global fetch(): {}",
            describe(&e)
        ))
    })?;
    let response = JsFuture::from(promise)
        .await
        .map_err(|e| signals.failed(e))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| SendError::Network("fetch() did not return a Response".into()))?;
    let status = response.status();
    // Browsers hand a redirect over as an opaque response (status 0); Node
    // as the 3xx response itself.
    if response.type_() == web_sys::ResponseType::Opaqueredirect || (300..400).contains(&status) {
        return Err(SendError::Fatal(redirected(req, status)));
    }
    let headers = header_pairs(&response.headers());
    let body = match response.body() {
        Some(stream) => {
            let declared = content_length(status, &headers);
            if declared > MAX_BODY {
                let _ = stream.cancel();
                return Err(too_large(status));
            }
            read_body(&stream, declared, status, signals).await?
        }
        None => Vec::new(),
    };
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// The error of a redirected request: not retried, and not followed.
fn redirected(req: &Request, status: u16) -> Failure {
    let what = if status == 0 {
        "a redirect".to_string()
    } else {
        format!("a redirect ({status})")
    };
    let request_id = req
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("MS-RequestId"))
        .map(|(_, v)| v.clone());
    Failure::Core(partner_usage_core::error::Error::Network {
        message: format!(
            "the server answered with {what}, which is not followed so that the token goes nowhere but the configured baseUrl: set baseUrl to where the API answers"
        ),
        request_id,
        path: partner_usage_core::error::path_for_message(&req.url),
    })
}

/// Reads a response body into wasm memory: with a BYOB ("bring your own
/// buffer") reader where the body is a byte stream, as `fetch` gives in
/// Chromium and Node, else chunk by chunk.
///
/// A default reader hands over each chunk in a fresh `ArrayBuffer`; a BYOB
/// reader fills one buffer that goes back and forth between the stream and
/// us, kept from one response to the next. For a 680 KB page already in
/// memory, in Chromium here, a BYOB read and its copy into a
/// `WebAssembly.Memory` took 0.3 ms, against 1.4 ms with a default reader
/// and 0.9 ms with `arrayBuffer()`; the streaming client's utilization
/// summary of 200 such pages took 0.76× the time, and the same over HTTP
/// from pc-sim, where the network sets the pace, 0.99×.
async fn read_body(
    stream: &web_sys::ReadableStream,
    size_hint: usize,
    status: u16,
    signals: &Signals<'_>,
) -> Result<Vec<u8>, SendError> {
    // Not a byte stream (a polyfilled fetch), or an engine without BYOB readers.
    match web_sys::ReadableStreamByobReader::new(stream) {
        Ok(reader) => read_byob(&reader, size_hint, status, signals).await,
        Err(_) => read_chunks(stream, size_hint, status, signals).await,
    }
}

/// The largest body read. A page of 1000 records is under 1 MB, so no
/// Partner Center page comes near it; a body without end (a broken proxy)
/// would otherwise grow wasm memory until an allocation failed, which
/// aborts the module.
const MAX_BODY: usize = 64 << 20;

/// The error of a body over [`MAX_BODY`] (not retried), with the status
/// the response came with, as decode errors have.
fn too_large(status: u16) -> SendError {
    let mut e = partner_usage_core::error::DecodeError::new(format!(
        "the response body is larger than {} MiB, which no Partner Center page is",
        MAX_BODY >> 20
    ));
    e.status = Some(status);
    SendError::Fatal(Failure::Core(partner_usage_core::error::Error::Decode(e)))
}

/// The largest `Vec` reserved from a `Content-Length`: a hint only, as a
/// compressed or lying body just grows the `Vec`.
const MAX_HINT: usize = 16 << 20;
/// The smallest BYOB buffer.
const MIN_SCRATCH: u32 = 64 << 10;
/// The largest BYOB buffer kept between responses (a page of 1000 records
/// is under 1 MB).
const MAX_KEPT_SCRATCH: u32 = 4 << 20;

thread_local! {
    /// The BYOB buffer between responses. Each read takes it (a response
    /// read meanwhile, by a concurrent listing, makes its own) and puts it
    /// back when its body is read.
    static SCRATCH: std::cell::RefCell<Option<js_sys::ArrayBuffer>> =
        const { std::cell::RefCell::new(None) };
}

/// A BYOB buffer of at least `len` bytes (a power of two), the kept one if
/// it is large enough.
fn scratch(len: usize) -> js_sys::ArrayBuffer {
    let want = u32::try_from(len.min(MAX_HINT)).unwrap_or(u32::MAX);
    let want = want.max(MIN_SCRATCH).next_power_of_two();
    match SCRATCH.with(|s| s.borrow_mut().take()) {
        Some(buffer) if buffer.byte_length() >= want => buffer,
        _ => js_sys::ArrayBuffer::new(want),
    }
}

async fn read_byob(
    reader: &web_sys::ReadableStreamByobReader,
    size_hint: usize,
    status: u16,
    signals: &Signals<'_>,
) -> Result<Vec<u8>, SendError> {
    let mut body = Vec::with_capacity(size_hint.min(MAX_HINT));
    let mut buffer = scratch(size_hint);
    loop {
        let view = js_sys::Uint8Array::new(&buffer);
        let result = JsFuture::from(reader.read_with_array_buffer_view(&view))
            .await
            .map_err(|e| signals.failed(e))?;
        let result: web_sys::ReadableStreamReadResult = result.unchecked_into();
        // The bytes read, in the buffer the stream hands back: undefined
        // only when the stream was cancelled, and the buffer is gone.
        let Some(bytes) = result.get_value().dyn_ref::<js_sys::Uint8Array>().cloned() else {
            return Ok(body);
        };
        if body.len() + bytes.length() as usize > MAX_BODY {
            let _ = reader.cancel();
            return Err(too_large(status));
        }
        append(&mut body, &bytes);
        buffer = bytes.buffer();
        if result.get_done().unwrap_or(true) {
            if buffer.byte_length() <= MAX_KEPT_SCRATCH {
                SCRATCH.with(|s| *s.borrow_mut() = Some(buffer));
            }
            return Ok(body);
        }
        // A body longer than its hint (none, or a compressed one): fewer
        // reads with a larger buffer.
        if bytes.length() == buffer.byte_length() {
            buffer = scratch(buffer.byte_length() as usize * 2);
        }
    }
}

/// Reads a body chunk by chunk, each copied once into the `Vec`.
async fn read_chunks(
    stream: &web_sys::ReadableStream,
    size_hint: usize,
    status: u16,
    signals: &Signals<'_>,
) -> Result<Vec<u8>, SendError> {
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::with_capacity(size_hint.min(MAX_HINT));
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| signals.failed(e))?;
        let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(body);
        }
        let bytes: js_sys::Uint8Array = chunk
            .get_value()
            .dyn_into()
            .map_err(|_| SendError::Network("the response body is not bytes".into()))?;
        if body.len() + bytes.length() as usize > MAX_BODY {
            let _ = reader.cancel();
            return Err(too_large(status));
        }
        append(&mut body, &bytes);
    }
}

/// Copies `bytes` to the end of `body`.
fn append(body: &mut Vec<u8>, bytes: &js_sys::Uint8Array) {
    let start = body.len();
    body.resize(start + bytes.length() as usize, 0);
    bytes.copy_to(&mut body[start..]);
}

/// The `Content-Length` header's value, or 0.
fn content_length(status: u16, headers: &[(String, String)]) -> usize {
    let head = Response {
        status,
        headers,
        body: &[],
    };
    head.header("Content-Length")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// A rejected fetch: aborted if the signal says so, else a network error.
fn failed(e: JsValue, signal: Option<&AbortSignal>) -> SendError {
    match signal {
        Some(s) if s.aborted() => SendError::Fatal(Failure::Aborted { reason: s.reason() }),
        // A browser says no more than "Failed to fetch" whatever the cause;
        // Node has no CORS to refuse a request for (and names its cause).
        _ => SendError::Network(format!(
            "{} (no answer: the server is down or unreachable{})",
            describe(&e),
            if in_browser() {
                ", or the browser refused the request, e.g. for CORS"
            } else {
                ""
            }
        )),
    }
}

/// Whether requests go through a browser's rules (CORS, mixed content): a
/// page or a worker has a `location`, Node has none.
pub(crate) fn in_browser() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location"))
        .is_ok_and(|v| !v.is_undefined())
}

/// The response headers a browser lets us read (with CORS, only the exposed ones).
fn header_pairs(headers: &web_sys::Headers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(headers) {
        for entry in iter.flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.push((k, v));
            }
        }
    }
    out
}

/// A thrown value as text: `Name: message` plus Node's `cause` (which holds
/// the real reason of "fetch failed", e.g. `connect ECONNREFUSED`).
pub(crate) fn describe(e: &JsValue) -> String {
    let Some(err) = e.dyn_ref::<js_sys::Error>() else {
        return e
            .as_string()
            .unwrap_or_else(|| "an unknown error".to_string());
    };
    let mut text = format!(
        "{}: {}",
        String::from(err.name()),
        String::from(err.message())
    );
    let cause = err.cause();
    if let Some(c) = cause.dyn_ref::<js_sys::Error>() {
        text.push_str(&format!(" ({})", String::from(c.message())));
    }
    crate::errors::truncate(&text, 300)
}

#[cfg(feature = "sim")]
async fn simulate(
    sim: &Simulator,
    prefix: &str,
    req: &Request,
    token: Option<&str>,
    signal: Option<&AbortSignal>,
) -> Result<Reply, SendError> {
    use partner_usage_core::sim::Fault;
    use partner_usage_core::time::Timestamp;

    let path = req.url.strip_prefix(prefix).unwrap_or(&req.url);
    let mut headers = req.headers.clone();
    if let Some(t) = token {
        headers.push(("Authorization".to_string(), format!("Bearer {t}")));
    }
    let sim_req = Request {
        method: req.method,
        url: path.to_string(),
        headers,
    };
    let reply = sim.handle_at(&sim_req, Timestamp::from_unix_millis(runtime::now_ms()));
    // Always yield to the event loop, so a long simulated listing neither
    // blocks the page nor misses an abort.
    runtime::sleep(f64::from(reply.delay_ms), signal)
        .await
        .map_err(SendError::Fatal)?;
    if reply.fault == Some(Fault::DropConnection) {
        return Err(SendError::Network(
            "the connection closed without a response (simulated)".into(),
        ));
    }
    Ok(Reply {
        status: reply.status,
        headers: reply.headers,
        body: reply.body,
    })
}
