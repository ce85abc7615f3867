//! Decoding a page's items under a bad-record policy.

use crate::error::{DecodeError, Error};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// How many record errors an [`Ingest`] keeps (the rest are only counted).
pub const MAX_KEPT_ERRORS: usize = 10;

/// What to do with a record that can't be decoded or added.
///
/// In options it is `badRecords: 'fail' | 'skip'`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BadRecordPolicy {
    /// Stop at the first bad record with its error (the default).
    #[default]
    Fail,
    /// Count the bad record, keep its error (up to [`MAX_KEPT_ERRORS`]) and go on.
    Skip,
}

/// A record that was skipped, as reported in a summary's `errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecordError {
    /// The page (1-based).
    pub page: Option<u32>,
    /// The item's index within the page (0-based).
    pub index: Option<usize>,
    /// The JSON path of the bad field inside the item (empty: the item itself).
    pub path: String,
    /// The whole message, naming page, item and field.
    pub message: String,
}

impl From<&DecodeError> for RecordError {
    fn from(e: &DecodeError) -> Self {
        RecordError {
            page: e.page,
            index: e.index,
            path: e.path.clone(),
            message: e.to_string(),
        }
    }
}

/// Decodes the items of each page and applies a [`BadRecordPolicy`].
///
/// The paginator hands over each page as the raw items of its JSON array
/// and the page's 1-based number. Each item is decoded with
/// [`DecodeError::decode`] (which names the JSON path of a bad field); a
/// failure, or a record-level error from the callback, gets the page and
/// index added and is then either returned ([`BadRecordPolicy::Fail`]) or
/// counted and skipped ([`BadRecordPolicy::Skip`]). Errors that are not about
/// a record are always returned.
///
/// ```
/// use partner_usage_core::aggregate::{BadRecordPolicy, Ingest};
/// use serde_json::value::RawValue;
///
/// let items: Vec<&RawValue> = serde_json::from_str(r#"[1, "two", 3]"#).unwrap();
/// let mut sum = 0u32;
/// let mut ingest = Ingest::new(BadRecordPolicy::Skip);
/// ingest.page(4, &items, |n: u32| { sum += n; Ok(()) }).unwrap();
/// assert_eq!(sum, 4);
/// assert_eq!(ingest.skipped(), 1);
/// assert!(ingest.errors()[0].to_string().starts_with("could not decode page 4, item 1"));
///
/// let mut strict = Ingest::new(BadRecordPolicy::Fail);
/// let err = strict.page(4, &items, |_: u32| Ok(())).unwrap_err();
/// assert_eq!(err.kind(), "decode");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ingest {
    policy: BadRecordPolicy,
    skipped: u64,
    first_errors: Vec<DecodeError>,
}

impl Ingest {
    /// An ingest with a policy.
    pub fn new(policy: BadRecordPolicy) -> Ingest {
        Ingest {
            policy,
            ..Ingest::default()
        }
    }

    /// The policy.
    pub fn policy(&self) -> BadRecordPolicy {
        self.policy
    }

    /// Decodes each item of page `page` (1-based) and hands it to `f`.
    ///
    /// Every item is decoded before the first one is handed over, so under
    /// [`BadRecordPolicy::Fail`] a page with an undecodable item adds
    /// nothing: a summary stopped by it holds whole pages only. The decoded
    /// page is the only buffer, and it is dropped when the page is done.
    ///
    /// `f` reports a problem with the record as [`Error::Decode`] (with the
    /// field's path); that record is then treated like an undecodable one.
    /// `f` must leave its state unchanged when it returns an error.
    ///
    /// ```
    /// use partner_usage_core::aggregate::{BadRecordPolicy, Ingest};
    /// use serde_json::value::RawValue;
    ///
    /// let items: Vec<&RawValue> = serde_json::from_str(r#"[1, 2, "three"]"#).unwrap();
    /// let mut seen = Vec::new();
    /// let mut strict = Ingest::new(BadRecordPolicy::Fail);
    /// assert!(strict.page(1, &items, |n: u32| { seen.push(n); Ok(()) }).is_err());
    /// assert!(seen.is_empty(), "nothing of a failed page is handed over");
    /// ```
    pub fn page<'a, T: Deserialize<'a>>(
        &mut self,
        page: u32,
        items: &[&'a RawValue],
        mut f: impl FnMut(T) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut decoded = Vec::with_capacity(items.len());
        for (i, raw) in items.iter().enumerate() {
            match DecodeError::decode::<T>(raw.get().as_bytes()) {
                Ok(record) => decoded.push((i, record)),
                Err(e) => self.bad_record(e.at_page(page).at_index(i))?,
            }
        }
        for (i, record) in decoded {
            match f(record) {
                Ok(()) => {}
                Err(Error::Decode(e)) => self.bad_record(e.at_page(page).at_index(i))?,
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }

    /// Applies the policy to a bad record: returns it as an error under
    /// [`BadRecordPolicy::Fail`], counts and keeps it under
    /// [`BadRecordPolicy::Skip`].
    pub fn bad_record(&mut self, error: DecodeError) -> Result<(), Error> {
        match self.policy {
            BadRecordPolicy::Fail => Err(Error::Decode(error)),
            BadRecordPolicy::Skip => {
                self.skipped = self.skipped.saturating_add(1);
                self.keep(error);
                Ok(())
            }
        }
    }

    /// Keeps the [`MAX_KEPT_ERRORS`] errors that come first by (page, index),
    /// so the kept list doesn't depend on the order pages were merged in.
    fn keep(&mut self, error: DecodeError) {
        self.first_errors.push(error);
        super::order::sort_by(&mut self.first_errors, |a, b| {
            (a.page, a.index).cmp(&(b.page, b.index))
        });
        self.first_errors.truncate(MAX_KEPT_ERRORS);
    }

    /// How many records were skipped.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The first skipped records' errors (at most [`MAX_KEPT_ERRORS`]).
    pub fn errors(&self) -> &[DecodeError] {
        &self.first_errors
    }

    /// The kept errors as summary rows.
    pub fn error_rows(&self) -> Vec<RecordError> {
        self.first_errors.iter().map(RecordError::from).collect()
    }

    /// Adds another ingest's counts and errors to this one.
    pub fn merge(&mut self, other: Ingest) {
        self.skipped = self.skipped.saturating_add(other.skipped);
        for e in other.first_errors {
            self.keep(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResourceUsageRecord;

    fn items(json: &str) -> Vec<&RawValue> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn decode_errors_name_page_index_and_field() {
        let page = items(r#"[{"totalCost": 1}, {"totalCost": "abc"}]"#);
        let mut ingest = Ingest::default();
        let mut seen = 0;
        let err = ingest
            .page(3, &page, |_: ResourceUsageRecord| {
                seen += 1;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(
            seen, 0,
            "a page with a bad record hands over none of its records"
        );
        match err {
            Error::Decode(d) => {
                assert_eq!(
                    (d.page, d.index, d.path.as_str()),
                    (Some(3), Some(1), "totalCost")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn callback_record_errors_follow_the_policy() {
        let page = items("[1, 2, 3]");
        let mut ingest = Ingest::new(BadRecordPolicy::Skip);
        let mut kept = vec![];
        ingest
            .page(1, &page, |n: u8| {
                if n == 2 {
                    return Err(crate::aggregate::field_error("quantity", "too big"));
                }
                kept.push(n);
                Ok(())
            })
            .unwrap();
        assert_eq!(kept, [1, 3]);
        assert_eq!(ingest.skipped(), 1);
        assert_eq!(
            ingest.error_rows()[0].message,
            "could not decode page 1, item 1, field `quantity`: too big"
        );
        // Errors that are not about a record are never skipped.
        let err = ingest
            .page(2, &page, |_: u8| Err(Error::Aborted))
            .unwrap_err();
        assert_eq!(err, Error::Aborted);
    }

    #[test]
    fn keeps_the_first_ten_errors_by_position_whatever_the_order() {
        let page = items(r#"["x","x","x","x","x","x"]"#);
        let mut a = Ingest::new(BadRecordPolicy::Skip);
        let mut b = Ingest::new(BadRecordPolicy::Skip);
        for p in [5, 1] {
            a.page(p, &page, |_: u8| Ok(())).unwrap();
        }
        for p in [1, 5] {
            b.page(p, &page, |_: u8| Ok(())).unwrap();
        }
        assert_eq!(a.skipped(), 12);
        assert_eq!(a.errors().len(), MAX_KEPT_ERRORS);
        assert_eq!(a, b);
        assert_eq!(a.errors()[0].page, Some(1));
        assert_eq!(a.errors()[9].page, Some(5));
        let mut c = Ingest::new(BadRecordPolicy::Skip);
        c.merge(b);
        assert_eq!(c.skipped(), 12);
        assert_eq!(c.errors(), a.errors());
    }
}
