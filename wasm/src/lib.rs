//! wasm-bindgen bindings of partner-usage.
#![deny(missing_docs)]

use wasm_bindgen::prelude::*;

/// The library version, for diagnostics.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
