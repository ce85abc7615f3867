//! # partner-usage-wasm
//!
//! The wasm-bindgen bindings behind the `partner-usage` npm package: a
//! Partner Center client that runs the core's sans-IO paginator and retry
//! policy over `fetch` (or over the in-wasm simulator), and hands records
//! and summaries to JavaScript.
//!
//! Modules:
//! * [`client`]: `WasmClient`, the object behind `PartnerCenterClient`.
//! * `driver`: the async loop over the core's paginator.
//! * `transport`: `fetch` through web-sys, or the simulator.
//! * `errors`: every failure as a JavaScript `PartnerCenterError`.
//! * `options`, `convert`, `runtime`: reading options, serialising results,
//!   the clock and a cancellable sleep.
//! * `bench_api`: `UtilizationPageSummarizer`, a bytes-in page summariser
//!   (used by the benchmarks; for callers that fetch pages themselves).
//!
//! Invariants: the bearer token is only ever added to requests the core
//! built for the configured origin, and never appears in a message; response
//! bodies cross into wasm as bytes; money crosses out as exact decimal
//! strings; nothing panics on bad input.
#![deny(missing_docs, missing_debug_implementations)]

mod bench_api;
pub mod client;
mod convert;
mod csv;
mod driver;
mod errors;
mod options;
mod runtime;
mod summary;
mod transport;

pub use bench_api::PageSummarizer;
pub use client::Client;
pub use csv::to_csv_js;
pub use summary::{
    summarize_customer_usage, summarize_resource_usage, summarize_utilization,
    summarize_utilization_pages,
};

use wasm_bindgen::prelude::*;

/// The library version, for diagnostics.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Installs a panic hook that logs Rust panics with `console.error`
/// (feature `panic-hook`, off by default: a last resort for debugging).
#[cfg(feature = "panic-hook")]
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
    }));
}
