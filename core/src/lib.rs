//! # partner-usage-core
//!
//! The platform-agnostic, sans-IO core of partner-usage: Partner Center usage
//! models with exact money, pagination and retry as pure state machines, and
//! streaming aggregation. It performs no I/O and has no wasm dependency.
//!
//! See `ARCHITECTURE.md` at the repository root for the map.
//!
//! ## Quickstart
//!
//! The crate never sends a request or reads a clock: a driver does, and
//! asks a [`Paginator`](paginate::Paginator) what to do next. Here the
//! transport is the in-process simulator (module `sim`, feature `sim`),
//! seeded to inject faults (throttling, server errors, cut bodies, dropped
//! connections, delays) into 30 % of its answers, and the pages are folded
//! into a customer summary as they arrive:
//!
//! ```
//! # #[cfg(feature = "sim")] {
//! use partner_usage_core::aggregate::{CustomerOptions, CustomerSummariser, CustomerSummary};
//! use partner_usage_core::endpoint::Endpoint;
//! use partner_usage_core::error::Error;
//! use partner_usage_core::link::BaseUrl;
//! use partner_usage_core::paginate::{decode_raw_page, Action, Paginator, PaginatorConfig};
//! use partner_usage_core::sim::{Fault, SimConfig, Simulator};
//!
//! fn customer_usage(sim: &Simulator, token: &str) -> Result<CustomerSummary, Error> {
//!     let base = BaseUrl::parse(BaseUrl::PARTNER_CENTER)?;
//!     let config = PaginatorConfig::default();
//!     // The seed makes the request ids and the retry jitter: give each
//!     // listing a random one (a constant keeps this example repeatable).
//!     let seed = 42;
//!     let mut listing = Paginator::new(&base, &Endpoint::CustomerUsageRecords, config, seed);
//!     let mut summary = CustomerSummariser::new(CustomerOptions::default());
//!     let mut now = 1_764_028_800_000; // the driver's clock, in Unix ms
//!     loop {
//!         match listing.poll(now) {
//!             Action::Send(mut request) => {
//!                 // Only the driver sees the token.
//!                 request.headers.push(("Authorization".into(), format!("Bearer {token}")));
//!                 let response = sim.handle(&request);
//!                 if response.fault == Some(Fault::DropConnection) {
//!                     listing.handle_transport_error(now, "the connection was closed")?;
//!                     continue;
//!                 }
//!                 // Fold the page's records as the paginator takes the page
//!                 // (not when it will be retried), so that a bad record's
//!                 // error carries the response's status and request id.
//!                 let page_no = listing.progress().pages + 1;
//!                 listing.handle_response(now, response.as_response(), |body| -> Result<_, Error> {
//!                     let (page, info) = decode_raw_page(body)?;
//!                     summary.add_page(page_no, &page.items)?;
//!                     Ok(((), info))
//!                 })?;
//!             }
//!             Action::Wait { until_ms } => now = until_ms, // sleep until then
//!             Action::RefreshToken => listing.token_refreshed(), // get a new token first
//!             Action::Complete => break,
//!             // A page's `next` link could not be followed (every other
//!             // failure was returned above).
//!             Action::Failed(e) => return Err(e),
//!         }
//!     }
//!     assert_eq!(listing.progress().retries, 1); // this seed's first answer is a 500
//!     summary.finish()
//! }
//!
//! let sim = Simulator::new(SimConfig { seed: 4, fault_rate: 0.3, ..SimConfig::default() });
//! let token = "eyJ0eXAiOiJKV1Qi…";
//! // An error body may echo the token: redact it before showing the error.
//! let summary = customer_usage(&sim, token).map_err(|e| e.redacted(token))?;
//! assert_eq!(summary.records, 120);
//! println!("{} USD in all", summary.usd);
//! # }
//! # Ok::<(), partner_usage_core::error::Error>(())
//! ```
//!
//! Without the simulator, feed the paginator any HTTP client's responses
//! the same way (see [`paginate`] for an example with hand-made ones).
//!
//! ## Features
//!
//! - `sim` (off by default): the `sim` module, the deterministic Partner Center
//!   simulator (no I/O, no clock, no threads), used by the tests, the
//!   benchmarks and the demo's no-server mode.
//!
//! With no features the only dependencies are `serde` and `serde_json`,
//! and the crate builds for `wasm32-unknown-unknown` as it is.
#![deny(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]
#![warn(clippy::return_self_not_must_use)]

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
mod raw_json;
pub mod retry;
pub mod scan;
#[cfg(feature = "sim")]
pub mod sim;
#[cfg(test)]
mod slow_paths;
pub mod time;
