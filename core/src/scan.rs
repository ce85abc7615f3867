//! A fast, borrowing scanner for utilization pages.
//!
//! Summarising a million utilization records spends most of its time in JSON
//! decoding. This scanner walks a page's bytes once, reads only the fields a
//! summary uses (times, meter, unit, quantity, resource URI, tags), borrows
//! them from the body, and skips everything else without building it. It
//! checks the JSON grammar as it goes, so malformed input is an error, not
//! garbage; anything it can't read exactly (bad UTF-8 in a field, an escape
//! it can't borrow) is decoded into an owned string instead.
//!
//! ```
//! use partner_usage_core::scan::scan_utilization_page;
//! let body = br#"{"totalCount":1,"items":[{"usageStartTime":"2024-01-01T00:00:00+00:00",
//!   "resource":{"name":"Hot LRS Data Stored","category":"Storage","region":"West Europe"},
//!   "quantity":0.0327433333333333,"unit":"1 GB/Month","ignored":{"deep":[1,{"x":"}"}]},
//!   "instanceData":{"resourceUri":"/subscriptions/s/resourceGroups/RG/providers/p/t/n","tags":{"env":"prod"}}}],
//!   "links":{"next":{"uri":"customers/c/subscriptions/s/utilizations/azure?seek_operation=Next","method":"GET",
//!   "headers":[{"key":"MS-ContinuationToken","value":"a/b?c"}]}}}"#;
//! let mut names = vec![];
//! let info = scan_utilization_page(body, |r| {
//!     assert_eq!(r.quantity, Some("0.0327433333333333"));
//!     assert_eq!(r.tag("env").as_deref(), Some("prod"));
//!     names.push(r.name.into_owned());
//!     Ok(())
//! }).unwrap();
//! assert_eq!(names, ["Hot LRS Data Stored"]);
//! assert_eq!(info.item_count, 1);
//! assert_eq!(info.next.unwrap().headers[0].value, "a/b?c");
//! ```

use crate::error::{DecodeError, Error};
use crate::model::{resource_group_of, ResourceLinks};
use crate::paginate::PageInfo;
use std::borrow::Cow;

/// The fields of one utilization record that summaries use, borrowed from
/// the page. Missing fields are empty (or `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UtilizationFields<'a> {
    /// `usageStartTime`, as written.
    pub usage_start_time: Option<Cow<'a, str>>,
    /// `usageEndTime`, as written.
    pub usage_end_time: Option<Cow<'a, str>>,
    /// `resource.id` (the meter id).
    pub meter_id: Cow<'a, str>,
    /// `resource.name` (the meter name).
    pub name: Cow<'a, str>,
    /// `resource.category`.
    pub category: Cow<'a, str>,
    /// `resource.subcategory`.
    pub subcategory: Cow<'a, str>,
    /// `resource.region`.
    pub region: Cow<'a, str>,
    /// `unit`.
    pub unit: Cow<'a, str>,
    /// `quantity`: the JSON number's text, exactly as written.
    pub quantity: Option<&'a str>,
    /// `instanceData.resourceUri`.
    pub resource_uri: Cow<'a, str>,
    /// `instanceData.tags` as raw JSON (looked up lazily by [`UtilizationFields::tag`]).
    pub tags: Option<&'a [u8]>,
}

impl UtilizationFields<'_> {
    /// The resource group in `instanceData.resourceUri`, as written.
    pub fn resource_group(&self) -> Option<&str> {
        resource_group_of(&self.resource_uri)
    }

    /// A tag's value; tag names compare case-insensitively, as Azure's do.
    /// Non-string values give their JSON text.
    pub fn tag(&self, key: &str) -> Option<Cow<'_, str>> {
        let raw = self.tags?;
        let mut s = Scanner::new(raw);
        s.ws();
        if s.peek() != Some(b'{') {
            return None;
        }
        let mut found = None;
        let res = s.object(|s, k| {
            if found.is_none() && k.eq_ignore_ascii_case(key) {
                found = match s.peek() {
                    Some(b'"') => Some(s.string()?),
                    Some(b'n') => {
                        s.skip_value()?;
                        None
                    }
                    _ => {
                        let start = s.pos;
                        s.skip_value()?;
                        Some(Cow::Owned(lossy(&s.buf[start..s.pos]).into_owned()))
                    }
                };
                Ok(())
            } else {
                s.skip_value()
            }
        });
        res.ok().and(found)
    }
}

/// Scans a utilization page: calls `record` for each item and returns the
/// page facts (next link, item count, `totalCount`).
pub fn scan_utilization_page<'a>(
    body: &'a [u8],
    mut record: impl FnMut(UtilizationFields<'a>) -> Result<(), Error>,
) -> Result<PageInfo, Error> {
    let body = crate::paginate::strip_bom(body);
    let mut s = Scanner::new(body);
    let mut info = PageInfo::default();
    let mut saw_items = false;
    let mut failure: Option<Error> = None;
    s.ws();
    if s.peek() != Some(b'{') {
        return Err(if body.iter().all(u8::is_ascii_whitespace) {
            DecodeError::new("the response body is empty").into()
        } else {
            s.err("expected a JSON object").into()
        });
    }
    let res = s.object(|s, key| match key.as_ref() {
        "items" => {
            saw_items = true;
            if s.peek() == Some(b'n') {
                return s.literal(b"null");
            }
            let mut index = 0usize;
            s.array(|s| {
                let fields = s.utilization_record().map_err(|e| e.at_index(index))?;
                index += 1;
                record(fields).map_err(|e| {
                    failure = Some(e);
                    // Stops the scan; `failure` is what the caller sees.
                    DecodeError::new("stopped by the record callback")
                })
            })?;
            info.item_count = index;
            Ok(())
        }
        "totalCount" => {
            let start = s.pos;
            s.skip_value()?;
            info.total_count = std::str::from_utf8(&s.buf[start..s.pos])
                .ok()
                .and_then(|t| t.parse().ok());
            Ok(())
        }
        "links" => {
            let start = s.pos;
            s.skip_value()?;
            let links: Option<ResourceLinks> =
                DecodeError::decode(&s.buf[start..s.pos]).map_err(|e| e.with_path("links"))?;
            info.next = links.and_then(|l| l.next);
            Ok(())
        }
        _ => s.skip_value(),
    });
    if let Some(e) = failure {
        return Err(e);
    }
    res?;
    s.ws();
    if s.pos != s.buf.len() {
        return Err(s.err("trailing characters after the JSON object").into());
    }
    if !saw_items {
        return Err(DecodeError::new("the response has no `items` array")
            .with_path("items")
            .into());
    }
    Ok(info)
}

fn lossy(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}

/// Finds the first `"` or `\` at or after `from`, eight bytes at a time.
#[inline]
fn find_quote_or_backslash(buf: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const QUOTE: u64 = LO * b'"' as u64;
    const BACKSLASH: u64 = LO * b'\\' as u64;
    let mut i = from;
    while i + 8 <= buf.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&buf[i..i + 8]);
        let w = u64::from_le_bytes(word);
        let q = w ^ QUOTE;
        let b = w ^ BACKSLASH;
        let hit = (q.wrapping_sub(LO) & !q | b.wrapping_sub(LO) & !b) & HI;
        if hit != 0 {
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    buf[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\')
        .map(|p| i + p)
}

/// The nesting depth past which input is refused (no stack overflow).
const MAX_DEPTH: u32 = 128;

struct Scanner<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Scanner<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Scanner {
            buf,
            pos: 0,
            depth: 0,
        }
    }

    fn err(&self, what: &str) -> DecodeError {
        if self.pos >= self.buf.len() {
            DecodeError::new(format!(
                "the body ends early (truncated?): {what} at byte {}",
                self.pos
            ))
        } else {
            DecodeError::new(format!("malformed JSON: {what} at byte {}", self.pos))
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), DecodeError> {
        self.ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    fn literal(&mut self, lit: &[u8]) -> Result<(), DecodeError> {
        if self.buf[self.pos..].starts_with(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(self.err("invalid literal"))
        }
    }

    /// Reads a string; borrows it unless it has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        let start = self.pos + 1;
        let end = self.skip_string()?;
        let raw = &self.buf[start..end];
        if !raw.contains(&b'\\') {
            return std::str::from_utf8(raw)
                .map(Cow::Borrowed)
                .map_err(|_| self.err("invalid UTF-8 in a string"));
        }
        serde_json::from_slice::<String>(&self.buf[start - 1..end + 1])
            .map(Cow::Owned)
            .map_err(|e| self.err(&format!("invalid string: {e}")))
    }

    /// Skips a string starting at `pos` (a `"`); returns the index of its closing quote.
    fn skip_string(&mut self) -> Result<usize, DecodeError> {
        if self.peek() != Some(b'"') {
            return Err(self.err("expected a string"));
        }
        let mut i = self.pos + 1;
        loop {
            match find_quote_or_backslash(self.buf, i) {
                Some(j) if self.buf[j] == b'"' => {
                    if self.buf[i..j].iter().any(|&c| c < 0x20) {
                        self.pos = i;
                        return Err(self.err("control character in a string"));
                    }
                    self.pos = j + 1;
                    return Ok(j);
                }
                Some(j) => i = j + 2, // skip the escaped character
                None => {
                    self.pos = self.buf.len();
                    return Err(self.err("unterminated string"));
                }
            }
        }
    }

    fn number(&mut self) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.err("expected a value"));
        }
        // Only ASCII was consumed, so this can't fail.
        std::str::from_utf8(&self.buf[start..self.pos]).map_err(|_| self.err("invalid number"))
    }

    fn skip_value(&mut self) -> Result<(), DecodeError> {
        self.ws();
        match self.peek() {
            Some(b'"') => self.skip_string().map(|_| ()),
            Some(b'{') => self.object(|s, _| s.skip_value()),
            Some(b'[') => self.array(|s| s.skip_value()),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            _ => self.number().map(|_| ()),
        }
    }

    fn enter(&mut self) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        Ok(())
    }

    /// Walks an object, calling `field` with each key; `field` must consume the value.
    fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, Cow<'a, str>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.expect(b'{', "expected an object")?;
        self.enter()?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.expect(b':', "expected ':' after a key")?;
            self.ws();
            field(self, key)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or '}' in an object")),
            }
        }
    }

    /// Walks an array, calling `item` for each element; `item` must consume it.
    fn array(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.expect(b'[', "expected an array")?;
        self.enter()?;
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            self.ws();
            item(self)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or ']' in an array")),
            }
        }
    }

    /// A string field that may be `null` (read as empty).
    fn opt_string(&mut self, path: &str) -> Result<Cow<'a, str>, DecodeError> {
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b'n') => self.literal(b"null").map(|()| Cow::Borrowed("")),
            _ => Err(self.err("expected a string").with_path(path)),
        }
    }

    fn utilization_record(&mut self) -> Result<UtilizationFields<'a>, DecodeError> {
        let mut f = UtilizationFields::default();
        self.ws();
        if self.peek() != Some(b'{') {
            return Err(self.err("expected a record object"));
        }
        self.object(|s, key| {
            match key.as_ref() {
                "usageStartTime" => {
                    let v = s.opt_string("usageStartTime")?;
                    f.usage_start_time = (!v.is_empty()).then_some(v);
                }
                "usageEndTime" => {
                    let v = s.opt_string("usageEndTime")?;
                    f.usage_end_time = (!v.is_empty()).then_some(v);
                }
                "unit" => f.unit = s.opt_string("unit")?,
                "quantity" => match s.peek() {
                    Some(b'n') => s.literal(b"null")?,
                    Some(b'"') => {
                        // A quoted number: keep its text if it borrows cleanly.
                        match s.string()? {
                            Cow::Borrowed(t) => f.quantity = Some(t),
                            Cow::Owned(_) => {
                                return Err(s.err("quantity is not a number").with_path("quantity"))
                            }
                        }
                    }
                    _ => f.quantity = Some(s.number().map_err(|e| e.with_path("quantity"))?),
                },
                "resource" => {
                    if s.peek() == Some(b'n') {
                        return s.literal(b"null");
                    }
                    s.object(|s, k| {
                        match k.as_ref() {
                            "id" => f.meter_id = s.opt_string("resource.id")?,
                            "name" => f.name = s.opt_string("resource.name")?,
                            "category" => f.category = s.opt_string("resource.category")?,
                            "subcategory" => {
                                f.subcategory = s.opt_string("resource.subcategory")?
                            }
                            "region" => f.region = s.opt_string("resource.region")?,
                            _ => s.skip_value()?,
                        }
                        Ok(())
                    })?;
                }
                "instanceData" => {
                    if s.peek() == Some(b'n') {
                        return s.literal(b"null");
                    }
                    s.object(|s, k| {
                        match k.as_ref() {
                            "resourceUri" => {
                                f.resource_uri = s.opt_string("instanceData.resourceUri")?
                            }
                            "tags" => {
                                let start = s.pos;
                                s.skip_value()?;
                                f.tags = Some(&s.buf[start..s.pos]);
                            }
                            _ => s.skip_value()?,
                        }
                        Ok(())
                    })?;
                }
                _ => s.skip_value()?,
            }
            Ok(())
        })?;
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AzureUtilizationRecord;
    use crate::paginate::decode_page;

    fn collect(body: &[u8]) -> Result<(Vec<UtilizationFields<'_>>, PageInfo), Error> {
        let mut out = vec![];
        let info = scan_utilization_page(body, |r| {
            out.push(r);
            Ok(())
        })?;
        Ok((out, info))
    }

    const PAGE: &str = r#" {
      "totalCount": 2,
      "items": [
        {"usageStartTime": "2024-01-01T00:00:00+00:00", "usageEndTime": "2024-01-02T00:00:00+00:00",
         "resource": {"id": "m-1", "name": "Standard_D2s_v3 \"VM\"", "category": "Virtual Machines",
                      "subcategory": "Dsv3", "region": "East US", "extra": [1, 2, {"a": null}]},
         "quantity": 24.000000000000000001, "unit": "1 Hour", "infoFields": {},
         "instanceData": {"resourceUri": "/subscriptions/s/resourceGroups/Prod-RG/providers/x/y/z",
                          "location": "eastus", "tags": {"Env": "prod", "n": 3, "nul": null},
                          "additionalInfo": {"k": "v"}},
         "attributes": {"objectType": "AzureUtilizationRecord"}},
        {"resource": null, "quantity": null, "unit": null, "instanceData": null, "usageStartTime": null}
      ],
      "links": {"self": {"uri": "/customers", "method": "GET", "headers": []}},
      "attributes": {"objectType": "Collection"}
    } "#;

    #[test]
    fn reads_what_serde_reads() {
        let (items, info) = collect(PAGE.as_bytes()).unwrap();
        let (page, serde_info) = decode_page::<AzureUtilizationRecord>(PAGE.as_bytes()).unwrap();
        assert_eq!(info, serde_info);
        assert_eq!(items.len(), page.items.len());
        for (a, b) in items.iter().zip(&page.items) {
            assert_eq!(a.name, b.resource.name);
            assert_eq!(a.meter_id, b.resource.id);
            assert_eq!(a.category, b.resource.category);
            assert_eq!(a.subcategory, b.resource.subcategory);
            assert_eq!(a.region, b.resource.region);
            assert_eq!(a.unit, b.unit);
            assert_eq!(
                a.quantity.map(str::to_string),
                b.quantity.map(|q| q.to_string())
            );
            assert_eq!(a.resource_group(), b.resource_group());
            assert_eq!(a.tag("env").as_deref(), b.tag("env"));
            assert_eq!(a.tag("n").as_deref(), b.tag("n"));
            assert_eq!(a.tag("nul"), None);
            assert_eq!(
                a.usage_start_time.as_deref(),
                b.usage_start_time.map(|t| t.to_string()).as_deref()
            );
        }
        assert_eq!(items[0].name, "Standard_D2s_v3 \"VM\"");
        assert!(matches!(items[0].name, Cow::Owned(_)));
        assert!(matches!(items[0].category, Cow::Borrowed(_)));
    }

    #[test]
    fn malformed_input_is_an_error_never_a_panic() {
        let cases: &[&[u8]] = &[
            b"",
            b"   ",
            b"[]",
            b"{",
            b"{\"items\":[",
            b"{\"items\":[{\"unit\":\"x}]}",
            b"{\"items\":[{\"unit\":1}]}",
            b"{\"items\":[1 2]}",
            b"{\"items\":{}}",
            b"{\"totalCount\":1}",
            b"{\"items\":[]} x",
            b"{\"items\":[{\"quantity\":\"1\\u0030\"}]}",
            b"{\"items\":[{\"unit\":\"\xff\xfe\"}]}",
            b"{\"items\":[{\"a\":tru}]}",
            b"{\"items\":[{\"unit\":\"a\nb\"}]}",
            b"{\"items\":[],\"links\":{\"next\":{\"uri\":5}}}",
        ];
        for body in cases {
            assert!(
                collect(body).is_err(),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        let deep = format!(
            "{{\"items\":[{{\"x\":{}{}}}]}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert!(collect(deep.as_bytes()).is_err());
    }

    #[test]
    fn errors_name_the_item() {
        let Err(Error::Decode(e)) = collect(br#"{"items":[{},{"unit":[]}]}"#) else {
            panic!()
        };
        assert_eq!(e.index, Some(1));
        assert_eq!(e.path, "unit");
    }

    #[test]
    fn quote_search_finds_every_position() {
        for len in 0..40 {
            for at in 0..len {
                let mut buf = vec![b'a'; len];
                buf[at] = if at % 2 == 0 { b'"' } else { b'\\' };
                assert_eq!(find_quote_or_backslash(&buf, 0), Some(at));
                assert_eq!(find_quote_or_backslash(&buf, at + 1), None);
            }
        }
        // High bytes (UTF-8) are not mistaken for quotes.
        assert_eq!(find_quote_or_backslash("é€😀\"".as_bytes(), 0), Some(9));
    }

    #[test]
    fn null_items_are_an_empty_page() {
        let (items, info) = collect(br#"{"items":null}"#).unwrap();
        assert!(items.is_empty());
        assert_eq!(info.item_count, 0);
    }
}
