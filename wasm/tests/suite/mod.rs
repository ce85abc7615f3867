//! The shared wasm test suite: compiled into both `node.rs` and `web.rs`.
//!
//! * `mock`: the protocol, exactly, against a scripted `fetch`
//!   (429/5xx retries, 401 → `getToken`, 204, abort, error fields, money).
//! * `simulator`: the in-wasm simulator transport, checked against the
//!   core simulator's ground truth (paging, faults, summaries, concurrency).
//! * `server`: real `fetch` (CORS, exposed headers) against the pc-sim
//!   server whose URL `cargo xtask test` puts in `PC_SIM_URL` at compile time.
//! * `offline`: the offline summarisers and `toCsv`.
//! * `secrets`: the token never shows up in anything captured while the
//!   corpus and a fault run go through the client.

mod mock;
mod offline;
mod secrets;
mod server;
mod simulator;

use js_sys::{Array, Reflect};
use partner_usage_wasm::Client;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/tests/js/harness.js")]
extern "C" {
    #[wasm_bindgen(js_name = useRealFetch)]
    pub fn use_real_fetch();
    #[wasm_bindgen(js_name = mockFetch)]
    pub fn mock_fetch(script: &str) -> Array;
    #[wasm_bindgen(js_name = tokenSource)]
    pub fn token_source(tokens: &str) -> JsValue;
    #[wasm_bindgen(js_name = headerSource)]
    pub fn header_source(headers: &str) -> JsValue;
    #[wasm_bindgen(js_name = progressRecorder)]
    pub fn progress_recorder() -> JsValue;
    #[wasm_bindgen(js_name = recordsRecorder)]
    pub fn records_recorder(log: &Array, mode: &str) -> JsValue;
    pub fn thrower(message: &str) -> JsValue;
    #[wasm_bindgen(js_name = throwerFrom)]
    pub fn thrower_from(n: u32, message: &str) -> JsValue;
    #[wasm_bindgen(js_name = rejecterFrom)]
    pub fn rejecter_from(n: u32, message: &str, log: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = abortAfter)]
    pub fn abort_after(controller: &web_sys::AbortController, ms: f64);
    #[wasm_bindgen(js_name = fetchJson)]
    pub fn fetch_json(url: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(value: &JsValue) -> String;
    #[wasm_bindgen(js_name = isFloat64Array)]
    pub fn is_float64_array(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = captureConsole)]
    pub fn capture_console() -> JsValue;
    #[wasm_bindgen(js_name = dumpError)]
    pub fn dump_error(e: &JsValue) -> String;
}

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// The class every failure must be an instance of.
    pub type PartnerCenterError;
}

/// A property of a JavaScript object.
pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A JavaScript value as JSON (typed arrays as arrays).
pub fn json(v: &JsValue) -> Value {
    serde_json::from_str(&to_json(v)).unwrap_or(Value::Null)
}

/// A JavaScript object from JSON, with extra (non-JSON) properties.
pub fn object(j: Value, extra: &[(&str, &JsValue)]) -> JsValue {
    let o = js_sys::JSON::parse(&j.to_string()).expect("valid JSON");
    for (k, v) in extra {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("settable");
    }
    o
}

/// Awaits a promise.
pub async fn settle(p: js_sys::Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// A client from options (panics on invalid options: tests pass valid ones).
pub fn client(j: Value, extra: &[(&str, &JsValue)]) -> Client {
    Client::new(object(j, extra)).unwrap_or_else(|e| panic!("client options: {:?}", json_err(&e)))
}

/// The fields of a PartnerCenterError, checking that it is one.
pub fn error_fields(e: &JsValue) -> Value {
    assert!(
        e.is_instance_of::<PartnerCenterError>(),
        "not a PartnerCenterError: {e:?}"
    );
    assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
    json_err(e)
}

/// Checks that `e` is a PartnerCenterError of `kind` whose message holds
/// `needle`, and returns its fields.
pub fn assert_error(e: &JsValue, kind: &str, needle: &str) -> Value {
    let fields = error_fields(e);
    assert_eq!(fields["kind"], kind, "{fields}");
    let message = fields["message"].as_str().unwrap_or_default();
    assert!(message.contains(needle), "{needle:?} not in: {fields}");
    fields
}

/// `{ name, message, kind, status, code, requestId }` of an error.
pub fn json_err(e: &JsValue) -> Value {
    let field = |k: &str| {
        let v = get(e, k);
        if let Some(s) = v.as_string() {
            Value::String(s)
        } else if let Some(n) = v.as_f64() {
            serde_json::json!(n as u64)
        } else {
            Value::Null
        }
    };
    serde_json::json!({
        "name": field("name"), "message": field("message"), "kind": field("kind"),
        "status": field("status"), "code": field("code"), "requestId": field("requestId"),
    })
}

/// The JSON of a recorder's or token source's list.
pub fn recorded(source: &JsValue, key: &str) -> Vec<Value> {
    match json(&get(source, key)) {
        Value::Array(a) => a,
        other => panic!("not a list: {other}"),
    }
}

/// An `AbortController`.
pub fn controller() -> web_sys::AbortController {
    web_sys::AbortController::new().expect("AbortController")
}

/// Milliseconds since the epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// `{ signal }` and/or `{ onProgress }` merged into call options.
pub fn call_options(
    j: Value,
    signal: Option<&web_sys::AbortSignal>,
    on_progress: Option<&JsValue>,
) -> JsValue {
    let mut extra: Vec<(&str, &JsValue)> = Vec::new();
    if let Some(s) = signal {
        extra.push(("signal", s.unchecked_ref()));
    }
    if let Some(f) = on_progress {
        extra.push(("onProgress", f));
    }
    object(j, &extra)
}
