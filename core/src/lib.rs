//! # partner-usage-core
//!
//! The platform-agnostic, sans-IO core of partner-usage: Partner Center usage
//! models with exact money, pagination and retry as pure state machines, and
//! streaming aggregation. It performs no I/O and has no wasm dependency.
//!
//! See `ARCHITECTURE.md` at the repository root for the map.
#![deny(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod case;
pub mod decimal;
pub mod endpoint;
pub mod error;
pub mod export;
pub mod forecast;
pub mod http;
mod json_path;
pub mod link;
pub mod model;
pub mod money;
pub mod paginate;
pub mod retry;
pub mod scan;
#[cfg(feature = "sim")]
pub mod sim;
pub mod time;
