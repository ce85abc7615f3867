//! JSON Lines: one JSON object per line, `\n` line ends, UTF-8.
//!
//! Every record type and summary row serialises with camelCase names and
//! exact decimal strings for money, the same shapes JavaScript receives.
//! JSON needs no formula neutralisation: a consumer that opens it in a
//! spreadsheet should import the CSV instead.
//!
//! ```
//! use partner_usage_core::export::jsonl::to_jsonl;
//! use partner_usage_core::model::ResourceUsageRecord;
//! let r: ResourceUsageRecord = serde_json::from_str(
//!     r#"{"name":"a\nb","totalCost":120.5682999999995904716,"currencyCode":"SEK"}"#).unwrap();
//! let text = to_jsonl([&r, &r]).unwrap();
//! assert_eq!(text.lines().count(), 2);
//! assert!(text.contains(r#""totalCost":"120.5682999999995904716""#));
//! ```

use crate::error::Error;
use serde::Serialize;

/// Collects JSON Lines. Take the text out with [`JsonlWriter::take`]
/// between pages to stream a long export.
///
/// ```
/// use partner_usage_core::export::jsonl::JsonlWriter;
/// let mut w = JsonlWriter::new();
/// w.push(&serde_json::json!({"a": 1})).unwrap();
/// assert_eq!(w.take(), "{\"a\":1}\n");
/// ```
#[derive(Debug, Clone, Default)]
pub struct JsonlWriter {
    out: String,
}

impl JsonlWriter {
    /// An empty writer.
    pub fn new() -> JsonlWriter {
        JsonlWriter::default()
    }

    /// Appends one value as a line.
    pub fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let line = serde_json::to_string(value)
            .map_err(|e| Error::invalid_input(format!("can't write JSON: {e}")))?;
        self.out.push_str(&line);
        self.out.push('\n');
        Ok(())
    }

    /// Takes the text written so far, leaving the writer empty.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

/// Every item as one line: records (`&page.items`), summary rows
/// (`&summary.customers`, `summary.rows()`, `summary.points()`), forecast days.
///
/// ```
/// use partner_usage_core::aggregate::{UtilizationOptions, UtilizationSummariser};
/// use partner_usage_core::export::jsonl::to_jsonl;
/// let s = UtilizationSummariser::new(UtilizationOptions::default()).unwrap().finish().unwrap();
/// assert_eq!(to_jsonl(s.points()).unwrap(), "");
/// ```
pub fn to_jsonl<T: Serialize>(items: impl IntoIterator<Item = T>) -> Result<String, Error> {
    let mut w = JsonlWriter::new();
    for item in items {
        w.push(&item)?;
    }
    Ok(w.take())
}
