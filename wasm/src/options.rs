//! Reading the options objects JavaScript passes.
//!
//! An options object is read in two parts: the values that can't be JSON
//! (`signal`, `onProgress`, `getToken`, `token`) with `Reflect.get`, and
//! everything else through `JSON.stringify` and serde_json, which gives exact
//! decimals, ISO dates from `Date` objects, and clear messages for unknown or
//! mistyped options. `NaN`, `±Infinity` and invalid `Date`s, which JSON
//! would turn into `null` ("not given"), are refused by name. The token is
//! read before the JSON step and is never part of a message.

use crate::errors::Failure;
use partner_usage_core::endpoint::{Granularity, UtilizationQuery, MAX_PAGE_SIZE};
use partner_usage_core::error::DecodeError;
use partner_usage_core::time::Timestamp;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/js/runtime.js")]
extern "C" {
    /// `{ json }`, or `{ bad, value }` for the first value JSON can't hold.
    #[wasm_bindgen(js_name = optionsJson, catch)]
    fn js_options_json(opts: &JsValue) -> Result<JsValue, JsValue>;
}

/// Reads a property of an options object (`undefined` when `obj` is not an object).
pub(crate) fn prop(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `undefined` and `null` read as "not given".
pub(crate) fn given(v: &JsValue) -> bool {
    !(v.is_undefined() || v.is_null())
}

/// Checks that `opts` is an object, `undefined` or `null`.
pub(crate) fn check_object(opts: &JsValue, what: &str) -> Result<(), Failure> {
    if given(opts) && (!opts.is_object() || opts.is_function() || js_sys::Array::is_array(opts)) {
        return Err(Failure::invalid(format!("{what} must be an object")));
    }
    Ok(())
}

/// The JSON-able part of an options object, as a map (`undefined` and
/// `null` give an empty map).
pub(crate) fn json_map(opts: &JsValue, what: &str) -> Result<Map<String, Value>, Failure> {
    check_object(opts, what)?;
    if !given(opts) {
        return Ok(Map::new());
    }
    let out = js_options_json(opts).map_err(|_| {
        Failure::invalid(format!(
            "{what} can't be read: it contains a BigInt or a circular reference"
        ))
    })?;
    if let Some(path) = prop(&out, "bad").as_string() {
        let message = match prop(&out, "value").as_string() {
            Some(v) if v == "Invalid Date" => format!("{what}: `{path}` is an invalid Date"),
            v => format!(
                "{what}: `{path}` must be a finite number, not {}",
                v.unwrap_or_default()
            ),
        };
        return Err(Failure::invalid(message));
    }
    let json = prop(&out, "json").as_string().unwrap_or_default();
    let mut map: Map<String, Value> = serde_json::from_str(&json)
        .map_err(|e| Failure::invalid(format!("{what}: {}", describe(&e, &[]))))?;
    filter_times_as_text(&mut map);
    Ok(map)
}

/// `filters.start` and `filters.end` given as Unix milliseconds, as
/// `startTime` and `endTime` may be: the ISO text the core reads. (A `Date`
/// is ISO text already.)
fn filter_times_as_text(map: &mut Map<String, Value>) {
    let Some(Value::Object(filters)) = map.get_mut("filters") else {
        return;
    };
    for key in ["start", "end"] {
        if let Some(v) = filters.get_mut(key) {
            if let Some(ms) = v.as_f64().filter(|ms| ms.is_finite() && ms.abs() < 1e15) {
                *v = Value::String(Timestamp::from_unix_millis(ms as i64).to_string());
            }
        }
    }
}

/// Deserialises options from a map, through JSON text (so decimals given
/// as strings stay exact). `also` are the keys the caller took out of the
/// options before (see [`take_keys`]): an unknown key's message lists them
/// with the others.
pub(crate) fn from_map<T: DeserializeOwned>(
    map: Map<String, Value>,
    what: &str,
    also: &[&[&str]],
) -> Result<T, Failure> {
    let text = Value::Object(map).to_string();
    serde_json::from_str(&text).map_err(|e| {
        // Which option, when serde_json doesn't say (a bad enum value names
        // only the value): the path where it stopped, found again.
        let path = DecodeError::explain(text.as_bytes(), &e).path;
        // An unknown key inside an option (`filters.meter`): named with its
        // option, and the keys it may have are that option's alone.
        let inside = e.to_string().starts_with("unknown field") && path.rsplit_once('.').is_some();
        let message = describe(&e, if inside { &[] } else { also });
        if inside {
            let parent = path.rsplit_once('.').map_or("", |(p, _)| p);
            Failure::invalid(format!("{what}: `{parent}`: {message}"))
        } else if path.is_empty()
            || message.starts_with("unknown field")
            || message.contains(&format!("`{path}`"))
        {
            Failure::invalid(format!("{what}: {message}"))
        } else {
            Failure::invalid(format!("{what}: `{path}`: {message}"))
        }
    })
}

/// Removes the named keys from a map and returns them as their own map.
pub(crate) fn take_keys(map: &mut Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    for k in keys {
        if let Some(v) = map.remove(*k) {
            out.insert((*k).to_string(), v);
        }
    }
    out
}

/// Deserialises the JSON-able part of an options object.
pub(crate) fn parse<T: DeserializeOwned>(opts: &JsValue, what: &str) -> Result<T, Failure> {
    from_map(json_map(opts, what)?, what, &[])
}

/// serde_json's message in a JavaScript caller's words: without " at line
/// 1 column N" (their object was stringified for them), Rust's integer and
/// float types named as numbers, a function (see `optionsJson`) named so, and
/// an unknown key's list of the accepted ones completed with `also`.
fn describe(e: &serde_json::Error, also: &[&[&str]]) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    if let Some(rest) = text.strip_prefix("unknown field `") {
        if let Some((field, expected)) = rest.split_once("`, ") {
            let mut keys: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            keys.extend(also.iter().flat_map(|k| k.iter().copied()));
            if keys.is_empty() {
                return text.to_string();
            }
            let list = keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>();
            return format!(
                "unknown field `{field}`, expected one of {}",
                list.join(", ")
            );
        }
    }
    match text.rsplit_once(", expected ") {
        Some((head, ty)) => {
            // A function where a value goes (JSON text has it as this string).
            let head = head.replace("string \"[function]\"", "a function");
            let plain = match ty {
                "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of at least 0",
                "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
                "f32" | "f64" => "a number",
                other => other,
            };
            format!("{head}, expected {plain}")
        }
        None => text.to_string(),
    }
}

/// `signal` and the callbacks of a call.
#[derive(Debug, Default, Clone)]
pub(crate) struct Call {
    /// Cancels the call.
    pub signal: Option<AbortSignal>,
    /// Called after each page and each retry.
    pub on_progress: Option<js_sys::Function>,
    /// Called with a copy of each page's body once it is summarised (the
    /// single-listing summaries only).
    pub on_page: Option<js_sys::Function>,
    /// Called with each page's records instead of gathering them (the
    /// record listings only).
    pub on_records: Option<js_sys::Function>,
}

impl Call {
    /// Reads `signal` and the callbacks from a call's options (which of
    /// them a call takes is its options struct's to say).
    pub(crate) fn read(opts: &JsValue, what: &str) -> Result<Call, Failure> {
        check_object(opts, what)?;
        let signal = prop(opts, "signal");
        let signal = if given(&signal) {
            Some(signal.dyn_into::<AbortSignal>().map_err(|_| {
                Failure::invalid(format!("{what}: `signal` must be an AbortSignal"))
            })?)
        } else {
            None
        };
        let function = |name: &str| {
            let f = prop(opts, name);
            if !given(&f) {
                return Ok(None);
            }
            f.dyn_into::<js_sys::Function>()
                .map(Some)
                .map_err(|_| Failure::invalid(format!("{what}: `{name}` must be a function")))
        };
        Ok(Call {
            signal,
            on_progress: function("onProgress")?,
            on_page: function("onPage")?,
            on_records: function("onRecords")?,
        })
    }

    /// The signal, borrowed.
    pub(crate) fn signal(&self) -> Option<&AbortSignal> {
        self.signal.as_ref()
    }
}

/// The options of a record listing that only takes `signal`, `onProgress`
/// and `onRecords`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PlainOptions {
    #[serde(default, rename = "signal")]
    _signal: IgnoredAny,
    #[serde(default, rename = "onProgress")]
    _on_progress: IgnoredAny,
    #[serde(default, rename = "onRecords")]
    _on_records: IgnoredAny,
}

/// A time given as an ISO string (or a `Date`, which JSON turns into one)
/// or as Unix milliseconds.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum TimeInput {
    /// ISO 8601.
    Text(String),
    /// Unix milliseconds.
    Millis(f64),
}

impl TimeInput {
    pub(crate) fn to_timestamp(&self, name: &str) -> Result<Timestamp, Failure> {
        match self {
            TimeInput::Text(s) => {
                Timestamp::parse(s).map_err(|e| Failure::invalid(format!("`{name}`: {e}")))
            }
            TimeInput::Millis(ms) if ms.is_finite() && ms.abs() < 1e15 => {
                Ok(Timestamp::from_unix_millis(*ms as i64))
            }
            TimeInput::Millis(_) => Err(Failure::invalid(format!(
                "`{name}` must be a date, an ISO 8601 string or Unix milliseconds"
            ))),
        }
    }
}

/// The query options of `azureUtilization` (and of the utilization summaries).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QueryOptions {
    /// Start of the window; default: `days` before `endTime`.
    pub start_time: Option<TimeInput>,
    /// End of the window; default: two hours before now, on the hour.
    pub end_time: Option<TimeInput>,
    /// The window's length in days when `startTime` is absent (default 30).
    pub days: Option<f64>,
    /// `daily` (default) or `hourly`.
    pub granularity: Option<Granularity>,
    /// Split by resource instance (default true).
    pub show_details: Option<bool>,
    /// Records per page (default: the client's `pageSize`).
    pub size: Option<u32>,
}

/// `QueryOptions` plus `signal`, `onProgress` and `onRecords`, nothing else.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct UtilizationCallOptions {
    #[serde(default, rename = "signal")]
    _signal: IgnoredAny,
    #[serde(default, rename = "onProgress")]
    _on_progress: IgnoredAny,
    #[serde(default, rename = "onRecords")]
    _on_records: IgnoredAny,
    start_time: Option<TimeInput>,
    end_time: Option<TimeInput>,
    days: Option<f64>,
    granularity: Option<Granularity>,
    show_details: Option<bool>,
    size: Option<u32>,
}

impl UtilizationCallOptions {
    pub(crate) fn query(self) -> QueryOptions {
        QueryOptions {
            start_time: self.start_time,
            end_time: self.end_time,
            days: self.days,
            granularity: self.granularity,
            show_details: self.show_details,
            size: self.size,
        }
    }
}

impl QueryOptions {
    /// The core query, with the defaults filled in at `now_ms`.
    /// `startTime` and `endTime` as given, either of which may be open
    /// (`summarizeUtilization`'s window: the records are fetched already).
    pub(crate) fn bounds(&self) -> Result<(Option<Timestamp>, Option<Timestamp>), Failure> {
        let start = self
            .start_time
            .as_ref()
            .map(|t| t.to_timestamp("startTime"))
            .transpose()?;
        let end = self
            .end_time
            .as_ref()
            .map(|t| t.to_timestamp("endTime"))
            .transpose()?;
        if let (Some(s), Some(e)) = (start, end) {
            if e.unix_nanos() <= s.unix_nanos() {
                return Err(Failure::invalid("`endTime` must be after `startTime`"));
            }
        }
        Ok((start, end))
    }

    /// The core query, with the defaults filled in at `now_ms`. Partner
    /// Center returns nothing at all for a window ending less than two hours
    /// before now, so a later `endTime` (`new Date()`, the end of this
    /// month) is brought back to two hours before `now_ms`, on the hour, as
    /// the default end is: the window then gets the usage reported so far.
    /// A window that starts after that point keeps its end (there is no
    /// usage for it yet: Partner Center's 204).
    pub(crate) fn build(&self, now_ms: i64, page_size: u32) -> Result<UtilizationQuery, Failure> {
        let days = match self.days {
            None => 30,
            Some(d) if d.fract() == 0.0 && (1.0..=3_660.0).contains(&d) => d as i64,
            Some(_) => {
                return Err(Failure::invalid(
                    "`days` must be a whole number from 1 to 3660",
                ))
            }
        };
        if self.days.is_some() && self.start_time.is_some() {
            return Err(Failure::invalid(
                "give `days` or `startTime`, not both: `days` counts back from `endTime`",
            ));
        }
        let latest = UtilizationQuery::last_days(Timestamp::from_unix_millis(now_ms), 1)?.end_time;
        let start = self
            .start_time
            .as_ref()
            .map(|t| t.to_timestamp("startTime"))
            .transpose()?;
        let end = match &self.end_time {
            Some(t) => {
                let end = t.to_timestamp("endTime")?;
                let reported = start.is_none_or(|s| s.unix_nanos() < latest.unix_nanos());
                if end.unix_nanos() > latest.unix_nanos() && reported {
                    latest
                } else {
                    end
                }
            }
            None => {
                if let Some(s) = start.filter(|s| s.unix_nanos() >= latest.unix_nanos()) {
                    return Err(Failure::invalid(format!(
                        "`startTime` {s} is after {latest}, two hours ago on the hour, where a window without `endTime` ends (Partner Center has no usage reported later): give an earlier `startTime`"
                    )));
                }
                latest
            }
        };
        let start = start.unwrap_or_else(|| end.add_seconds(-days * 86_400));
        let mut q = UtilizationQuery::new(start, end)?
            .granularity(self.granularity.unwrap_or_default())
            .show_details(self.show_details.unwrap_or(true));
        q = q
            .size(self.size.unwrap_or(page_size))
            .map_err(|_| Failure::invalid(format!("`size` must be from 1 to {MAX_PAGE_SIZE}")))?;
        Ok(q)
    }
}
