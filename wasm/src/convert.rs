//! Rust values to JavaScript values, and raw JSON items to records.
//!
//! Everything goes through serde-wasm-bindgen's JSON-compatible serializer:
//! plain objects (never `Map`), `null` for missing values. Money is a
//! [`Decimal`](partner_usage_core::decimal::Decimal), which serialises as
//! an exact decimal string; dates serialise as ISO strings.

use crate::errors::Failure;
use partner_usage_core::error::{DecodeError, Error};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use wasm_bindgen::prelude::*;

/// Serialises a value as plain JavaScript objects and arrays.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Failure::invalid(format!("could not convert a result for JavaScript: {e}")))
}

/// Decodes one raw item of page `page` (1-based) at `index` (0-based).
pub(crate) fn decode_item<'a, T: Deserialize<'a>>(
    raw: &'a RawValue,
    page: u32,
    index: usize,
) -> Result<T, Failure> {
    DecodeError::decode::<T>(raw.get().as_bytes())
        .map_err(|e| Failure::Core(Error::Decode(e.at_page(page).at_index(index))))
}

/// Decodes one raw item without the JSON-path tracking of
/// [`decode_item`] (each tracked type adds a few KB to the wasm): for the
/// small drill-down listings, whose messages still give the position.
pub(crate) fn decode_item_plain<'a, T: Deserialize<'a>>(
    raw: &'a RawValue,
    page: u32,
    index: usize,
) -> Result<T, Failure> {
    serde_json::from_str(raw.get()).map_err(|e| {
        Failure::Core(Error::Decode(
            DecodeError::new(e.to_string())
                .at_page(page)
                .at_index(index),
        ))
    })
}

/// Copies `values` into a new `Float64Array`.
pub(crate) fn f64_array(values: &[f64]) -> js_sys::Float64Array {
    js_sys::Float64Array::from(values)
}
