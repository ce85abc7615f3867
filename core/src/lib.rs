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
//! use partner_usage_core::aggregate::{CustomerOptions, CustomerSummariser};
//! use partner_usage_core::endpoint::Endpoint;
//! use partner_usage_core::link::BaseUrl;
//! use partner_usage_core::paginate::{decode_raw_page, Action, Paginator, PaginatorConfig};
//! use partner_usage_core::sim::{Fault, SimConfig, Simulator};
//!
//! let sim = Simulator::new(SimConfig { seed: 4, fault_rate: 0.3, ..SimConfig::default() });
//! let base = BaseUrl::parse(BaseUrl::PARTNER_CENTER)?;
//! let config = PaginatorConfig::default();
//! let mut listing = Paginator::new(&base, &Endpoint::CustomerUsageRecords, config, 42);
//! let mut summary = CustomerSummariser::new(CustomerOptions::default());
//! let mut now = 1_764_028_800_000; // the driver's clock, in Unix ms
//! loop {
//!     match listing.poll(now) {
//!         Action::Send(mut request) => {
//!             // Only the driver sees the token.
//!             request.headers.push(("Authorization".into(), "Bearer …".into()));
//!             let response = sim.handle(&request);
//!             if response.fault == Some(Fault::DropConnection) {
//!                 listing.handle_transport_error(now, "the connection was closed")?;
//!                 continue;
//!             }
//!             let page_no = listing.progress().pages + 1;
//!             // `None` when the request will be retried.
//!             if let Some(page) = listing.handle_response(now, response.as_response(), decode_raw_page)? {
//!                 summary.add_page(page_no, &page.items)?;
//!             }
//!         }
//!         Action::Wait { until_ms } => now = until_ms, // sleep until then
//!         Action::RefreshToken => listing.token_refreshed(),
//!         Action::Done => break,
//!     }
//! }
//! assert!(listing.is_complete());
//! assert_eq!(listing.progress().retries, 1); // this seed's first answer is a 500
//! let summary = summary.finish()?;
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
