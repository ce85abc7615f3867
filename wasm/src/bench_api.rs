//! A bytes-in utilization summariser, for callers that fetch pages
//! themselves (and for the benchmark, which holds a million records in
//! memory and must time the summary without a network).
//!
//! ```js
//! const s = new UtilizationPageSummarizer({ bucket: 'day', groupBy: 'meter' });
//! for (const body of pages) s.addPage(new Uint8Array(await body.arrayBuffer()));
//! const summary = s.finish(); // the same shape as utilizationSummary()'s
//! ```
//!
//! Each page body goes through the core's borrowing scanner
//! ([`UtilizationSummariser::add_scanned_page`]), the same code the
//! streaming client runs for every page it fetches; nothing else is shared
//! with the client, so this file can be dropped without touching it.

use crate::errors::Failure;
use crate::options;
use crate::summary::utilization_to_js;
use partner_usage_core::aggregate::{UtilizationOptions, UtilizationSummariser};
use wasm_bindgen::prelude::*;

/// Folds utilization page bodies (UTF-8 JSON bytes, one Partner Center
/// page each) into a `UtilizationSummary`, one page at a time: memory grows
/// with the number of series and buckets, not with the records.
#[wasm_bindgen(js_name = UtilizationPageSummarizer)]
#[derive(Debug)]
pub struct PageSummarizer {
    inner: Option<UtilizationSummariser>,
    pages: u32,
}

#[wasm_bindgen(js_class = UtilizationPageSummarizer)]
impl PageSummarizer {
    /// A summariser with the options of `summarizeUtilization` (`bucket`,
    /// `offsetMinutes`, `groupBy`, `tagKey`, `filters`, `exact`, `anomaly`,
    /// `maxBuckets`, `badRecords`). Throws a `PartnerCenterError`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<PageSummarizer, JsValue> {
        (|| {
            let o: UtilizationOptions =
                options::parse(&options, "UtilizationPageSummarizer options")?;
            Ok::<_, Failure>(PageSummarizer {
                inner: Some(UtilizationSummariser::new(o)?),
                pages: 0,
            })
        })()
        .map_err(Failure::into_js)
    }

    /// Adds one page body; returns its number of items. A page that is not
    /// a well-formed utilization page throws (under `badRecords: 'skip'`
    /// bad records are counted instead).
    #[wasm_bindgen(js_name = addPage)]
    pub fn add_page(&mut self, body: &[u8]) -> Result<u32, JsValue> {
        let s = self
            .inner
            .as_mut()
            .ok_or_else(|| Failure::invalid("the summarizer has finished").into_js())?;
        let info = s
            .add_scanned_page(self.pages.saturating_add(1), body)
            .map_err(|e| Failure::from(e).into_js())?;
        self.pages = self.pages.saturating_add(1);
        Ok(u32::try_from(info.item_count).unwrap_or(u32::MAX))
    }

    /// The summary (`bucketStarts` and each series' `values` are
    /// `Float64Array`s). The summarizer can't be used afterwards.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let s = self
            .inner
            .take()
            .ok_or_else(|| Failure::invalid("the summarizer has finished").into_js())?;
        s.finish()
            .map_err(Failure::from)
            .and_then(utilization_to_js)
            .map_err(Failure::into_js)
    }
}
