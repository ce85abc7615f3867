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
//! What makes it fast (see BENCHMARKS.md): strings are searched 16 bytes
//! at a time for `"`, `\` and control characters in one pass (wasm simd128
//! compares and a bitmask, or SWAR on two `u64`s natively); a record's
//! keys are first compared, eight bytes at a time, with the key the
//! previous record had at the same place (records of a page repeat their
//! keys), and otherwise recognised by their length and first 16 bytes read
//! as two words, never UTF-8-checked or `memcmp`ed; values nobody asked for
//! are skipped without being decoded ([`FieldSet`]); and nothing is
//! allocated per record.
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
    /// Non-string values give their JSON text, and `null` ones are absent.
    ///
    /// The same tag as [`StringMap::get_ignore_case`](crate::model::StringMap::get_ignore_case)
    /// picks from the decoded record, even where names repeat (which Azure
    /// doesn't allow): the name written exactly as asked wins, else the
    /// smallest matching name in byte order; of a name written twice, the
    /// last value.
    pub fn tag(&self, key: &str) -> Option<Cow<'_, str>> {
        let raw = self.tags?;
        let mut s = Scanner::new(raw);
        s.ws();
        if s.peek() != Some(b'{') {
            return None;
        }
        let mut exact = None;
        let mut folded: Option<(Vec<u8>, Cow<'_, str>)> = None;
        let res = s.object(|s, k| {
            let name = k.bytes();
            let is_exact = name == key.as_bytes();
            let better = !is_exact
                && exact.is_none()
                && crate::case::eq_ignore_case_bytes(name, key.as_bytes())
                && folded
                    .as_ref()
                    .is_none_or(|(best, _)| name <= best.as_slice());
            if !is_exact && !better {
                return s.skip_value();
            }
            let value = match s.peek() {
                Some(b'"') => s.string()?,
                Some(b'n') => return s.skip_value(),
                _ => {
                    let start = s.pos;
                    s.skip_value()?;
                    Cow::Owned(lossy(&s.buf[start..s.pos]).into_owned())
                }
            };
            if is_exact {
                exact = Some(value);
            } else {
                folded = Some((name.to_vec(), value));
            }
            Ok(())
        });
        res.ok().and(exact.or(folded.map(|(_, v)| v)))
    }
}

/// Which fields of a record [`scan_utilization_page_fields`] reads. The
/// others are still checked as JSON as the scan walks past them, but not
/// decoded, and stay empty (or `None`) in [`UtilizationFields`]: a summary
/// grouped by meter has no use for resource URIs, and decoding (UTF-8
/// checks, copies) is most of what a field costs.
///
/// ```
/// use partner_usage_core::scan::{scan_utilization_page_fields, FieldSet};
/// let mut only = FieldSet::NONE;
/// only.unit = true;
/// let body = br#"{"items":[{"unit":"1 Hour","resource":{"name":"D2"}}]}"#;
/// scan_utilization_page_fields(body, only, |r| {
///     assert_eq!((r.unit.as_ref(), r.name.as_ref()), ("1 Hour", ""));
///     Ok(())
/// }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldSet {
    /// `usageStartTime`.
    pub usage_start_time: bool,
    /// `usageEndTime`.
    pub usage_end_time: bool,
    /// `resource.id`.
    pub meter_id: bool,
    /// `resource.name`.
    pub name: bool,
    /// `resource.category`.
    pub category: bool,
    /// `resource.subcategory`.
    pub subcategory: bool,
    /// `resource.region`.
    pub region: bool,
    /// `unit`.
    pub unit: bool,
    /// `quantity`.
    pub quantity: bool,
    /// `instanceData.resourceUri`.
    pub resource_uri: bool,
    /// `instanceData.tags`.
    pub tags: bool,
}

impl FieldSet {
    /// Every field.
    pub const ALL: FieldSet = FieldSet {
        usage_start_time: true,
        usage_end_time: true,
        meter_id: true,
        name: true,
        category: true,
        subcategory: true,
        region: true,
        unit: true,
        quantity: true,
        resource_uri: true,
        tags: true,
    };

    /// No field (add the ones you need).
    pub const NONE: FieldSet = FieldSet {
        usage_start_time: false,
        usage_end_time: false,
        meter_id: false,
        name: false,
        category: false,
        subcategory: false,
        region: false,
        unit: false,
        quantity: false,
        resource_uri: false,
        tags: false,
    };

    fn resource(&self) -> bool {
        self.meter_id | self.name | self.category | self.subcategory | self.region
    }

    fn instance_data(&self) -> bool {
        self.resource_uri | self.tags
    }
}

/// Scans a utilization page: calls `record` for each item and returns the
/// page facts (next link, item count, `totalCount`).
pub fn scan_utilization_page<'a>(
    body: &'a [u8],
    record: impl FnMut(UtilizationFields<'a>) -> Result<(), Error>,
) -> Result<PageInfo, Error> {
    scan_utilization_page_fields(body, FieldSet::ALL, record)
}

/// [`scan_utilization_page`], reading only the fields in `wanted`.
pub fn scan_utilization_page_fields<'a>(
    body: &'a [u8],
    wanted: FieldSet,
    record: impl FnMut(UtilizationFields<'a>) -> Result<(), Error>,
) -> Result<PageInfo, Error> {
    scan_utilization_page_or_skip(body, wanted, record, |e| Err(Error::Decode(e)))
}

/// [`scan_utilization_page_fields`], where an item that is valid JSON but
/// not a record (`null`, a `quantity` of `true`, a `unit` of `5`) goes to
/// `bad` with its index: `Ok` skips it whole and reads on (the
/// `badRecords: 'skip'` policy), `Err` stops the scan with that error. A
/// page whose JSON is broken (cut short, say) fails whatever `bad` says.
///
/// ```
/// use partner_usage_core::scan::{scan_utilization_page_or_skip, FieldSet};
/// let body = br#"{"items":[{"quantity":true},{"quantity":2,"unit":"1 Hour"}]}"#;
/// let (mut good, mut bad) = (0, 0);
/// let info = scan_utilization_page_or_skip(body, FieldSet::ALL, |_| { good += 1; Ok(()) },
///     |_| { bad += 1; Ok(()) }).unwrap();
/// assert_eq!((good, bad, info.item_count), (1, 1, 2));
/// ```
pub fn scan_utilization_page_or_skip<'a>(
    body: &'a [u8],
    wanted: FieldSet,
    mut record: impl FnMut(UtilizationFields<'a>) -> Result<(), Error>,
    mut bad: impl FnMut(DecodeError) -> Result<(), Error>,
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
    let res = s.object(|s, key| match key.name {
        Field::Items => {
            saw_items = true;
            if s.peek() == Some(b'n') {
                return s.literal(b"null");
            }
            let mut index = 0usize;
            s.array(|s| {
                let (start, depth) = (s.pos, s.depth);
                let outcome = match s.utilization_record(wanted) {
                    Ok(fields) => record(fields),
                    Err(e) => {
                        // Valid JSON that isn't a record: the caller
                        // decides. Read it again from its start, at its depth.
                        s.pos = start;
                        s.depth = depth;
                        s.skip_value().map_err(|_| e.clone().at_index(index))?;
                        bad(e.at_index(index))
                    }
                };
                index += 1;
                outcome.map_err(|e| {
                    failure = Some(e);
                    // Stops the scan; `failure` is what the caller sees.
                    DecodeError::new("stopped by the record callback")
                })
            })?;
            info.item_count = index;
            Ok(())
        }
        Field::TotalCount => {
            let start = s.pos;
            s.skip_value()?;
            info.total_count = std::str::from_utf8(&s.buf[start..s.pos])
                .ok()
                .and_then(|t| t.parse().ok());
            Ok(())
        }
        Field::Links => {
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

/// Whether a byte ends a run of plain string content: `"`, `\\` or a
/// control character (which JSON forbids inside strings).
#[inline(always)]
fn is_stop(b: u8) -> bool {
    (b == b'"') | (b == b'\\') | (b < 0x20)
}

/// The position (0..16) of the first stop byte in 16 bytes, or 16 if none:
/// three compares and a bitmask with wasm simd128.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn first_stop(c: &[u8; 16]) -> usize {
    use core::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128_or};
    let v = u8x16(
        c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13],
        c[14], c[15],
    );
    let stops = v128_or(
        v128_or(
            u8x16_eq(v, u8x16_splat(b'"')),
            u8x16_eq(v, u8x16_splat(b'\\')),
        ),
        u8x16_lt(v, u8x16_splat(0x20)),
    );
    u8x16_bitmask(stops).trailing_zeros() as usize
}

/// The position (0..16) of the first stop byte in 16 bytes, or 16 if none:
/// SWAR on two `u64`s (no `unsafe`, so no x86 intrinsics).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn first_stop(c: &[u8; 16]) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    /// High bit set in each stop byte. Borrows can only add false hits
    /// above a real one, so the lowest hit is exact.
    #[inline(always)]
    fn stops(w: u64) -> u64 {
        let q = w ^ (LO * u64::from(b'"'));
        let b = w ^ (LO * u64::from(b'\\'));
        (q.wrapping_sub(LO) & !q | b.wrapping_sub(LO) & !b | w.wrapping_sub(LO * 0x20) & !w) & HI
    }
    let (lo, hi) = c.split_at(8);
    let lo = stops(u64::from_le_bytes(lo.try_into().unwrap_or_default()));
    if lo != 0 {
        return (lo.trailing_zeros() / 8) as usize;
    }
    let hi = stops(u64::from_le_bytes(hi.try_into().unwrap_or_default()));
    8 + (hi.trailing_zeros() / 8) as usize
}

/// Finds the first `"`, `\\` or control character at or after `from`,
/// sixteen bytes at a time.
#[inline(always)]
fn find_stop(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = buf.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let k = first_stop(chunk);
        if k < 16 {
            return Some(i + k);
        }
        i += 16;
    }
    buf.get(i..)?
        .iter()
        .position(|&c| is_stop(c))
        .map(|p| i + p)
}

/// The object keys the scanner acts on; every other key is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Items,
    TotalCount,
    Links,
    UsageStartTime,
    UsageEndTime,
    Unit,
    Quantity,
    Resource,
    InstanceData,
    Id,
    Name,
    Category,
    Subcategory,
    Region,
    ResourceUri,
    Tags,
    Other,
}

/// Bytes `from..from + 8` of `s` as a little-endian word, zero-padded.
const fn word(s: &[u8], from: usize) -> u64 {
    let mut w = 0u64;
    let mut i = 0;
    while i < 8 && from + i < s.len() {
        w |= (s[from + i] as u64) << (8 * i);
        i += 1;
    }
    w
}

/// The low `n` bytes of a word (all of it for `n >= 8`).
#[inline(always)]
fn low_bytes(w: u64, n: usize) -> u64 {
    if n >= 8 {
        w
    } else {
        w & ((1u64 << (8 * n)) - 1)
    }
}

macro_rules! names {
    ($($text:literal => $name:ident),* $(,)?) => {
        /// Which [`Field`] a key is, from its length and its first 16 bytes
        /// as two words: a few integer compares, no `memcmp` loop.
        #[inline]
        fn classify(len: usize, w0: u64, w1: u64) -> Field {
            $(
                if len == $text.len() && w0 == word($text, 0) && w1 == word($text, 8) {
                    return Field::$name;
                }
            )*
            Field::Other
        }
    };
}

names! {
    b"items" => Items,
    b"totalCount" => TotalCount,
    b"links" => Links,
    b"usageStartTime" => UsageStartTime,
    b"usageEndTime" => UsageEndTime,
    b"unit" => Unit,
    b"quantity" => Quantity,
    b"resource" => Resource,
    b"instanceData" => InstanceData,
    b"id" => Id,
    b"name" => Name,
    b"category" => Category,
    b"subcategory" => Subcategory,
    b"region" => Region,
    b"resourceUri" => ResourceUri,
    b"tags" => Tags,
}

/// Classifies a key held anywhere (the slow path: escaped keys, page ends).
fn classify_slice(k: &[u8]) -> Field {
    if k.len() > 16 {
        return Field::Other;
    }
    let mut w = [0u8; 16];
    w[..k.len()].copy_from_slice(k);
    classify(k.len(), word(&w, 0), word(&w, 8))
}

/// An object key: its raw bytes (no escapes; not UTF-8-checked, since keys
/// are only compared with ASCII names), or its decoded text when it had
/// escapes; and which [`Field`] it is.
struct Key<'a> {
    raw: Cow<'a, [u8]>,
    name: Field,
}

impl Key<'_> {
    #[inline]
    fn bytes(&self) -> &[u8] {
        &self.raw
    }
}

/// The nesting depth past which input is refused (no stack overflow).
const MAX_DEPTH: u32 = 128;

/// The keys of the last object of one kind (a record, its `resource`), in
/// order, each as written from its opening quote to its colon. Records of a
/// page almost always repeat their keys, so the scanner first compares the
/// bytes ahead with the key expected there (a few word compares) and only
/// searches for the closing quote and classifies the key when they differ.
#[derive(Debug, Default)]
struct Shape {
    /// The keys' texts, one after another.
    text: Vec<u8>,
    /// Each key: where its text ends in `text`, and its [`Field`].
    keys: Vec<(usize, Field)>,
}

impl Shape {
    /// The `i`th key's text and field.
    #[inline(always)]
    fn key(&self, i: usize) -> Option<(&[u8], Field)> {
        let &(end, field) = self.keys.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.keys[i - 1].0,
        };
        Some((&self.text[start..end], field))
    }

    /// Makes `text` the `i`th key, forgetting the keys after it.
    fn learn(&mut self, i: usize, text: &[u8], field: Field) {
        self.keys.truncate(i);
        self.text.truncate(self.keys.last().map_or(0, |k| k.0));
        self.text.extend_from_slice(text);
        self.keys.push((self.text.len(), field));
    }
}

/// Which [`Shape`] an object has.
#[derive(Debug, Clone, Copy)]
enum ShapeOf {
    Record = 0,
    Resource = 1,
}

/// Byte equality, eight bytes at a time (slice `==` is a `memcmp` call,
/// a byte loop in wasm).
#[inline]
pub(crate) fn eq_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut ca).zip(&mut cb) {
        if u64::from_le_bytes(x.try_into().unwrap_or_default())
            != u64::from_le_bytes(y.try_into().unwrap_or_default())
        {
            return false;
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

/// Whether `buf` starts with `text` ([`eq_bytes`]).
#[inline(always)]
fn starts_with(buf: &[u8], text: &[u8]) -> bool {
    buf.get(..text.len())
        .is_some_and(|head| eq_bytes(head, text))
}

struct Scanner<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u32,
    shapes: [Shape; 2],
}

impl<'a> Scanner<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Scanner {
            buf,
            pos: 0,
            depth: 0,
            shapes: Default::default(),
        }
    }

    #[cold]
    #[inline(never)]
    fn err(&self, what: &str) -> DecodeError {
        if self.pos >= self.buf.len() {
            DecodeError::new(format!(
                "the body ends early (truncated?): {what} at byte {}",
                self.pos
            ))
            .as_truncated()
        } else {
            DecodeError::new(format!("malformed JSON: {what} at byte {}", self.pos))
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn expect(&mut self, c: u8, what: &str) -> Result<(), DecodeError> {
        self.ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    #[inline]
    fn literal(&mut self, lit: &[u8]) -> Result<(), DecodeError> {
        if self.buf.get(self.pos..).is_some_and(|b| b.starts_with(lit)) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(self.err("invalid literal"))
        }
    }

    /// Reads a string; borrows it unless it has escapes.
    #[inline]
    fn string(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        let start = self.pos + 1;
        let (end, escaped) = self.skip_string()?;
        let raw = &self.buf[start..end];
        if !escaped {
            return std::str::from_utf8(raw)
                .map(Cow::Borrowed)
                .map_err(|_| self.err("invalid UTF-8 in a string"));
        }
        self.decode_string(start - 1, end + 1).map(Cow::Owned)
    }

    /// Decodes a string with escapes (`buf[from..to]`, quotes included).
    #[cold]
    fn decode_string(&self, from: usize, to: usize) -> Result<String, DecodeError> {
        serde_json::from_slice::<String>(&self.buf[from..to])
            .map_err(|e| self.err(&format!("invalid string: {e}")))
    }

    /// Reads an object key.
    #[inline]
    fn key(&mut self) -> Result<Key<'a>, DecodeError> {
        let start = self.pos + 1;
        let (end, escaped) = self.skip_string()?;
        if escaped {
            let text = self.decode_string(start - 1, end + 1)?;
            let name = classify_slice(text.as_bytes());
            return Ok(Key {
                raw: Cow::Owned(text.into_bytes()),
                name,
            });
        }
        let raw = &self.buf[start..end];
        let len = raw.len();
        let name = match self.buf.get(start..).and_then(<[u8]>::first_chunk::<16>) {
            Some(w) if len <= 16 => {
                let (a, b) = w.split_at(8);
                let w0 = u64::from_le_bytes(a.try_into().unwrap_or_default());
                let w1 = u64::from_le_bytes(b.try_into().unwrap_or_default());
                classify(
                    len,
                    low_bytes(w0, len),
                    if len > 8 { low_bytes(w1, len - 8) } else { 0 },
                )
            }
            _ => classify_slice(raw),
        };
        Ok(Key {
            raw: Cow::Borrowed(raw),
            name,
        })
    }

    /// Skips a string starting at `pos` (a `"`); returns the index of its
    /// closing quote and whether it has escapes. Control characters and
    /// escapes JSON doesn't have are errors (whether a `\u` escape makes a
    /// valid code point is checked when the string is decoded, as serde_json
    /// does).
    #[inline(always)]
    fn skip_string(&mut self) -> Result<(usize, bool), DecodeError> {
        if self.peek() != Some(b'"') {
            return Err(self.err("expected a string"));
        }
        let mut i = self.pos + 1;
        let mut escaped = false;
        loop {
            match find_stop(self.buf, i) {
                Some(j) if self.buf[j] == b'"' => {
                    self.pos = j + 1;
                    return Ok((j, escaped));
                }
                Some(j) if self.buf[j] == b'\\' => {
                    escaped = true;
                    i = self.escape(j)?;
                }
                Some(j) => {
                    self.pos = j;
                    return Err(self.err("control character in a string"));
                }
                None => {
                    self.pos = self.buf.len();
                    return Err(self.err("unterminated string"));
                }
            }
        }
    }

    /// Checks the escape at `buf[at]` (a backslash); returns where the string goes on.
    #[cold]
    fn escape(&mut self, at: usize) -> Result<usize, DecodeError> {
        let len = match self.buf.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => 2,
            Some(b'u') => match self.buf.get(at + 2..at + 6) {
                Some(hex) if hex.iter().all(u8::is_ascii_hexdigit) => 6,
                Some(_) => 0,
                None => {
                    self.pos = self.buf.len();
                    return Err(self.err("unterminated string"));
                }
            },
            Some(_) => 0,
            None => {
                self.pos = self.buf.len();
                return Err(self.err("unterminated string"));
            }
        };
        if len == 0 {
            self.pos = at;
            return Err(self.err("invalid escape in a string"));
        }
        Ok(at + len)
    }

    /// Reads a number as JSON writes it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    #[inline]
    fn number(&mut self) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ if start == self.pos => return Err(self.err("expected a value")),
            _ => return Err(self.err("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.required_digits()?;
        }
        // Only ASCII was consumed, so this can't fail.
        std::str::from_utf8(&self.buf[start..self.pos]).map_err(|_| self.err("invalid number"))
    }

    #[inline(always)]
    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// One digit or more (after `.` or an exponent).
    #[inline(always)]
    fn required_digits(&mut self) -> Result<(), DecodeError> {
        let start = self.pos;
        self.digits();
        if self.pos == start {
            return Err(self.err("invalid number"));
        }
        Ok(())
    }

    /// Skips any value, checking its grammar.
    fn skip_value(&mut self) -> Result<(), DecodeError> {
        self.ws();
        match self.peek() {
            Some(b'"') => self.skip_string().map(|_| ()),
            Some(b'{') => self.skip_object(),
            Some(b'[') => self.array(|s| s.skip_value()),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            _ => self.number().map(|_| ()),
        }
    }

    /// Enters an object or array at its `open` byte; `true` when it is empty
    /// (already closed).
    #[inline]
    fn open(&mut self, open: u8, close: u8, what: &str) -> Result<bool, DecodeError> {
        self.expect(open, what)?;
        self.enter()?;
        self.ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            self.depth -= 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// After a member: `,` continues (`false`); `close` leaves the container (`true`).
    #[inline]
    fn close_or_comma(&mut self, close: u8, what: &str) -> Result<bool, DecodeError> {
        self.ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(false)
            }
            Some(c) if c == close => {
                self.pos += 1;
                self.depth -= 1;
                Ok(true)
            }
            _ => Err(self.err(what)),
        }
    }

    /// Skips an object: keys are found but not classified. Its own loop
    /// rather than [`Scanner::members`]: written as a closure there, the
    /// skip (the hottest path) was 2–3 % slower in wasm.
    fn skip_object(&mut self) -> Result<(), DecodeError> {
        if self.open(b'{', b'}', "expected an object")? {
            return Ok(());
        }
        loop {
            self.ws();
            self.skip_string()?;
            self.expect(b':', "expected ':' after a key")?;
            self.skip_value()?;
            if self.close_or_comma(b'}', "expected ',' or '}' in an object")? {
                return Ok(());
            }
        }
    }

    #[inline]
    fn enter(&mut self) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        Ok(())
    }

    /// Walks an object's members: `member` is called at each key with the
    /// member's place (0, 1, …) and must consume the key, its `:` and the
    /// value.
    #[inline(always)]
    fn members(
        &mut self,
        mut member: impl FnMut(&mut Self, usize) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        if self.open(b'{', b'}', "expected an object")? {
            return Ok(());
        }
        let mut i = 0;
        loop {
            self.ws();
            member(self, i)?;
            i += 1;
            if self.close_or_comma(b'}', "expected ',' or '}' in an object")? {
                return Ok(());
            }
        }
    }

    /// Walks an object, calling `field` with each key; `field` must consume
    /// the value.
    #[inline]
    fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, &Key<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.members(|s, _| {
            let key = s.key()?;
            s.expect(b':', "expected ':' after a key")?;
            s.ws();
            field(s, &key)
        })
    }

    /// [`Scanner::object`] for objects whose keys repeat from one record to
    /// the next: each key is first compared with the one the last object of
    /// this kind had at the same place ([`Shape`]). `field` gets the key's
    /// [`Field`].
    #[inline]
    fn object_shaped(
        &mut self,
        of: ShapeOf,
        mut field: impl FnMut(&mut Self, Field) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.members(|s, i| {
            let name = match s.shapes[of as usize].key(i) {
                Some((text, name)) if starts_with(&s.buf[s.pos..], text) => {
                    s.pos += text.len();
                    name
                }
                _ => {
                    #[cfg(test)]
                    crate::slow_paths::count(&crate::slow_paths::KEY_SEARCHES);
                    let start = s.pos;
                    let name = s.key()?.name;
                    s.expect(b':', "expected ':' after a key")?;
                    let text = &s.buf[start..s.pos];
                    s.shapes[of as usize].learn(i, text, name);
                    name
                }
            };
            s.ws();
            field(s, name)
        })
    }

    /// Walks an array, calling `item` for each element; `item` must consume it.
    fn array(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        if self.open(b'[', b']', "expected an array")? {
            return Ok(());
        }
        loop {
            self.ws();
            item(self)?;
            if self.close_or_comma(b']', "expected ',' or ']' in an array")? {
                return Ok(());
            }
        }
    }

    /// A string field that may be `null` (read as empty).
    #[inline]
    fn opt_string(&mut self, path: &str) -> Result<Cow<'a, str>, DecodeError> {
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b'n') => self.literal(b"null").map(|()| Cow::Borrowed("")),
            _ => Err(self.err("expected a string").with_path(path)),
        }
    }

    fn utilization_record(&mut self, w: FieldSet) -> Result<UtilizationFields<'a>, DecodeError> {
        let mut f = UtilizationFields::default();
        self.ws();
        if self.peek() != Some(b'{') {
            return Err(self.err("expected a record object"));
        }
        self.object_shaped(ShapeOf::Record, |s, name| {
            match name {
                Field::UsageStartTime if w.usage_start_time => {
                    let v = s.opt_string("usageStartTime")?;
                    f.usage_start_time = (!v.is_empty()).then_some(v);
                }
                Field::UsageEndTime if w.usage_end_time => {
                    let v = s.opt_string("usageEndTime")?;
                    f.usage_end_time = (!v.is_empty()).then_some(v);
                }
                Field::Unit if w.unit => f.unit = s.opt_string("unit")?,
                Field::Quantity if w.quantity => match s.peek() {
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
                Field::Resource if w.resource() => {
                    if s.peek() == Some(b'n') {
                        return s.literal(b"null");
                    }
                    s.object_shaped(ShapeOf::Resource, |s, name| {
                        match name {
                            Field::Id if w.meter_id => f.meter_id = s.opt_string("resource.id")?,
                            Field::Name if w.name => f.name = s.opt_string("resource.name")?,
                            Field::Category if w.category => {
                                f.category = s.opt_string("resource.category")?
                            }
                            Field::Subcategory if w.subcategory => {
                                f.subcategory = s.opt_string("resource.subcategory")?
                            }
                            Field::Region if w.region => {
                                f.region = s.opt_string("resource.region")?
                            }
                            _ => s.skip_value()?,
                        }
                        Ok(())
                    })?;
                }
                Field::InstanceData if w.instance_data() => {
                    if s.peek() == Some(b'n') {
                        return s.literal(b"null");
                    }
                    s.object(|s, k| {
                        match k.name {
                            Field::ResourceUri if w.resource_uri => {
                                f.resource_uri = s.opt_string("instanceData.resourceUri")?
                            }
                            Field::Tags if w.tags => {
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
                a.usage_end_time.as_deref(),
                b.usage_end_time.map(|t| t.to_string()).as_deref()
            );
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
    fn tags_whose_names_repeat_resolve_as_in_the_decoded_record() {
        // Azure allows none of these, but a body may hold them: the scanned
        // and the decoded record must still pick the same value.
        let tag_sets = [
            r#"{"env":"b","Env":"a"}"#,
            r#"{"Env":"a","env":"b"}"#,
            r#"{"ENV":"x","Env":"y"}"#,
            r#"{"Env":"y","ENV":"x"}"#,
            r#"{"env":"1","env":"2"}"#,
            r#"{"Env":"1","Env":"2","ENV":"3"}"#,
            r#"{"env":"v","env":null}"#,
            r#"{"Env":null,"ENV":"w"}"#,
            r#"{"e\u006ev":"esc","ENV":"x"}"#,
            r#"{"ENV":7,"Env":true}"#,
        ];
        for tags in tag_sets {
            let page = format!(
                r#"{{"totalCount":1,"items":[{{"quantity":1,"unit":"h","instanceData":{{"resourceUri":"/x","tags":{tags}}}}}]}}"#
            );
            let (items, _) = collect(page.as_bytes()).unwrap();
            let (decoded, _) = decode_page::<AzureUtilizationRecord>(page.as_bytes()).unwrap();
            for key in ["env", "Env", "ENV", "eNv"] {
                assert_eq!(
                    items[0].tag(key).as_deref(),
                    decoded.items[0].tag(key),
                    "{tags} {key}"
                );
            }
        }
    }

    /// The key cache ([`Shape`]) at work: a record that repeats the keys of
    /// the one before is read without searching for a key, so the searches
    /// follow the keys, not the records; a record with other keys is
    /// searched again where it differs.
    #[test]
    fn repeated_keys_are_not_searched_for_again() {
        use crate::slow_paths::{during, KEY_SEARCHES};
        let record = r#"{"usageStartTime":"2024-01-01T00:00:00Z","usageEndTime":"2024-01-02T00:00:00Z","resource":{"id":"m1","name":"A","category":"c","subcategory":"s","region":"r"},"quantity":1,"unit":"u","instanceData":{"resourceUri":"/subscriptions/s/resourceGroups/g/providers/p/t/n","tags":{"env":"prod"}}}"#;
        let other = record.replace(r#""unit":"u""#, r#""units":"u""#);
        let searches = |records: &[&str]| {
            let body = format!(r#"{{"items":[{}]}}"#, records.join(","));
            during(&KEY_SEARCHES, || {
                assert_eq!(collect(body.as_bytes()).unwrap().0.len(), records.len());
            })
        };
        let one = searches(&[record]);
        assert_eq!(one, 6 + 5, "a record's six keys and its resource's five");
        assert_eq!(searches(&[record; 1000]), one);
        // `units` differs from `unit` in its fifth key: that key and the one
        // after it are searched for, in both directions.
        let mixed: Vec<&str> = (0..10)
            .map(|i| if i % 2 == 0 { record } else { &other })
            .collect();
        assert_eq!(searches(&mixed), one + 9 * 2);
    }

    /// Keys are matched with the last record's ([`Shape`]); records whose
    /// keys change order, spelling, spacing or escapes from one to the next
    /// read as serde reads them.
    #[test]
    fn keys_that_change_between_records_are_read() {
        let records = [
            r#"{"usageStartTime":"2024-01-01T00:00:00Z","resource":{"id":"m1","name":"A","region":"r"},"quantity":1,"unit":"u1"}"#,
            r#"{"usageStartTime":"2024-01-01T00:00:00Z","resource":{"name":"B","id":"m2"},"quantity":2,"unit" : "u2"}"#,
            r#"{"unit":"u3","quantity":3,"resource":{"name":"C"},"usageStartTime":"2024-01-02T00:00:00Z"}"#,
            r#"{"u\u006eit":"u4","resource":{"n\u0061me":"D","id":"m4"},"quantity":4}"#,
            r#"{"units":"x","uni":"y","unit":"u5","resource":{"names":"z","nam":"w","name":"E"},"quantity":5}"#,
            r#"{"usageStartTime":"2024-01-01T00:00:00Z","resource":{"id":"m6","name":"F","region":"r"},"quantity":6,"unit":"u6"}"#,
            r#"{"usageStartTimf":"2030-01-01T00:00:00Z","resource":{"ic":"x","name":"H"},"unit":"u9"}"#,
            r#"{"unit":"u7","resource":{}}"#,
            r#"{"usageStartTime":"2024-01-03T00:00:00Z","resource":{"id":"m8","name":"G","region":"r"},"quantity":8,"unit":"u8"}"#,
        ];
        let body = format!("{{\"items\":[{}]}}", records.join(","));
        let (items, _) = collect(body.as_bytes()).unwrap();
        let (page, _) = decode_page::<AzureUtilizationRecord>(body.as_bytes()).unwrap();
        let read = |name: &str, id: &str, unit: &str, q: Option<String>, start: Option<String>| {
            format!("{name}/{id}/{unit}/{q:?}/{start:?}")
        };
        let scanned: Vec<_> = items
            .iter()
            .map(|a| {
                let start = a.usage_start_time.as_deref().map(str::to_string);
                read(
                    &a.name,
                    &a.meter_id,
                    &a.unit,
                    a.quantity.map(str::to_string),
                    start,
                )
            })
            .collect();
        let decoded: Vec<_> = page
            .items
            .iter()
            .map(|b| {
                let q = b.quantity.map(|q| q.to_string());
                let start = b.usage_start_time.map(|t| t.to_string());
                read(&b.resource.name, &b.resource.id, &b.unit, q, start)
            })
            .collect();
        assert_eq!(scanned, decoded);
        assert_eq!(
            scanned.iter().map(|r| &r[..1]).collect::<String>(),
            "ABCDEFH/G"
        );
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

    /// Each field is read only when asked for: for every one of the 2,048
    /// sets of fields, the record gives exactly the fields in the set, and
    /// the others, left unread, are not checked beyond JSON syntax.
    #[test]
    fn only_the_fields_asked_for_are_read() {
        let good = br#"{"items":[{"usageStartTime":"2024-01-01T00:00:00Z","usageEndTime":"2024-01-02T00:00:00Z","resource":{"id":"m","name":"n","category":"c","subcategory":"s","region":"r"},"quantity":1.5,"unit":"u","instanceData":{"resourceUri":"/x","tags":{"a":"b"}}}]}"#;
        // Every field of the wrong type (and no field inside `resource` or
        // `instanceData` of the right one).
        let bad = br#"{"items":[{"usageStartTime":1,"usageEndTime":[],"resource":5,"quantity":{},"unit":true,"instanceData":"x"}]}"#;
        let field = |bits: u32, i: u32| bits & (1 << i) != 0;
        for bits in 0..1u32 << 11 {
            let w = FieldSet {
                usage_start_time: field(bits, 0),
                usage_end_time: field(bits, 1),
                meter_id: field(bits, 2),
                name: field(bits, 3),
                category: field(bits, 4),
                subcategory: field(bits, 5),
                region: field(bits, 6),
                unit: field(bits, 7),
                quantity: field(bits, 8),
                resource_uri: field(bits, 9),
                tags: field(bits, 10),
            };
            let mut got = vec![];
            scan_utilization_page_fields(good, w, |r| {
                got.push(r);
                Ok(())
            })
            .unwrap();
            let r = &got[0];
            let text = |on: bool, v: &'static str| if on { v } else { "" };
            assert_eq!(r.usage_start_time.is_some(), w.usage_start_time, "{bits:b}");
            assert_eq!(r.usage_end_time.is_some(), w.usage_end_time, "{bits:b}");
            assert_eq!(r.meter_id, text(w.meter_id, "m"), "{bits:b}");
            assert_eq!(r.name, text(w.name, "n"), "{bits:b}");
            assert_eq!(r.category, text(w.category, "c"), "{bits:b}");
            assert_eq!(r.subcategory, text(w.subcategory, "s"), "{bits:b}");
            assert_eq!(r.region, text(w.region, "r"), "{bits:b}");
            assert_eq!(r.unit, text(w.unit, "u"), "{bits:b}");
            assert_eq!(r.quantity, w.quantity.then_some("1.5"), "{bits:b}");
            assert_eq!(r.resource_uri, text(w.resource_uri, "/x"), "{bits:b}");
            assert_eq!(r.tags.is_some(), w.tags, "{bits:b}");
            // Every field of `bad` has the wrong type (the fields inside an
            // object count for the object), so it fails exactly when the set
            // asks for any field.
            let res = scan_utilization_page_fields(bad, w, |_| Ok(()));
            assert_eq!(res.is_err(), bits != 0, "{bits:b}: {res:?}");
        }
    }

    #[test]
    fn numbers_and_nesting_errors_say_what_is_wrong() {
        let msg = |body: &str| match collect(body.as_bytes()) {
            Err(Error::Decode(e)) => e.to_string(),
            other => panic!("{other:?}"),
        };
        assert!(msg(r#"{"items":[{"quantity":x}]}"#).contains("expected a value"));
        assert!(msg(r#"{"items":[{"quantity":-x}]}"#).contains("invalid number"));
        assert!(msg(r#"{"items":[{"quantity":-}]}"#).contains("invalid number"));
        // The page object, `items` and the record are three levels; 125
        // arrays inside the record reach the limit of 128, one more is past it.
        let nested = |n: usize| {
            format!(
                "{{\"items\":[{{\"x\":{}{}}}]}}",
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        assert!(collect(nested(MAX_DEPTH as usize - 3).as_bytes()).is_ok());
        assert!(msg(&nested(MAX_DEPTH as usize - 2)).contains("nesting too deep"));
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
    fn stop_search_finds_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for stop in [b'"', b'\\', b'\n', 0x00, 0x1f] {
                    let mut buf = vec![b'a'; len];
                    buf[at] = stop;
                    assert_eq!(find_stop(&buf, 0), Some(at));
                    assert_eq!(find_stop(&buf, at + 1), None);
                }
            }
            assert_eq!(find_stop(&vec![b' '; len], 0), None);
            assert_eq!(find_stop(&vec![b' '; len], len + 1), None);
        }
        // High bytes (UTF-8) are not mistaken for stops.
        assert_eq!(find_stop("é€😀 \"".as_bytes(), 0), Some(10));
        assert_eq!(find_stop(&[0x7f, 0x80, 0xff, 0x20, b'"'], 0), Some(4));
    }

    #[test]
    fn control_characters_are_refused_in_every_segment() {
        let bodies: [&[u8]; 3] = [
            b"{\"items\":[{\"x\":\"a\tb\\\"c\"}]}",
            b"{\"items\":[{\"x\":\"a\\\"b\tc\"}]}",
            b"{\"items\":[{\"unit\":\"0123456789abcdef0123456789\tb\"}]}",
        ];
        for body in bodies {
            assert!(collect(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }

    /// A random JSON value as tokens (for [`skipped_values_are_checked_as_json`]).
    fn json_tokens(rng: &mut crate::retry::Jitter, depth: u32, out: &mut Vec<&'static str>) {
        const SCALARS: &[&str] = &[
            "1",
            "0",
            "-2.5e3",
            "1E+2",
            "0.5",
            "true",
            "false",
            "null",
            "\"k\"",
            "\"\\\"\"",
            "\"\\u00e9\\/\\n\"",
        ];
        let pick = |rng: &mut crate::retry::Jitter, from: &[&'static str]| {
            from[rng.up_to(from.len() as u64 - 1) as usize]
        };
        let (open, close) = match rng.up_to(if depth > 3 { 0 } else { 2 }) {
            0 => return out.push(pick(rng, SCALARS)),
            1 => ("[", "]"),
            _ => ("{", "}"),
        };
        out.push(open);
        for i in 0..rng.up_to(3) {
            if i > 0 {
                out.push(",");
            }
            if open == "{" {
                out.extend(["\"k\"", ":"]);
            }
            json_tokens(rng, depth + 1, out);
        }
        out.push(close);
    }

    /// A skipped value is checked as JSON. Random values, half of them
    /// with one token deleted, repeated, replaced or inserted, go under an
    /// unknown key of the envelope, where the scanner must accept exactly
    /// what serde_json accepts, and under an unknown key of a record, where
    /// malformed JSON must be refused (an edit that closes the record early
    /// can leave valid JSON that is not a page, which is refused too).
    #[test]
    fn skipped_values_are_checked_as_json() {
        const EDITS: &[&str] = &[
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\"k\"",
            "1",
            "01",
            "1.",
            "-",
            "e5",
            "+1",
            "tru",
            "\"\\q\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
        ];
        let json = |body: &str| serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
        let mut rng = crate::retry::Jitter::new(7);
        let (mut valid, mut invalid) = (0, 0);
        for _ in 0..20_000 {
            let mut tokens = vec![];
            json_tokens(&mut rng, 0, &mut tokens);
            if rng.up_to(1) == 1 {
                let at = rng.up_to(tokens.len() as u64 - 1) as usize;
                let edit = EDITS[rng.up_to(EDITS.len() as u64 - 1) as usize];
                match rng.up_to(3) {
                    0 => drop(tokens.remove(at)),
                    1 => tokens.insert(at, tokens[at]),
                    2 => tokens[at] = edit,
                    _ => tokens.insert(at, edit),
                }
            }
            let value = tokens.concat();
            let envelope = format!("{{\"x\":{value},\"items\":[]}}");
            let ok = json(&envelope);
            assert_eq!(collect(envelope.as_bytes()).is_ok(), ok, "{envelope}");
            let record = format!("{{\"items\":[{{\"x\":{value},\"unit\":\"u\"}}]}}");
            if !json(&record) {
                assert!(collect(record.as_bytes()).is_err(), "{record}");
            }
            if ok {
                valid += 1;
            } else {
                invalid += 1;
            }
        }
        assert!(
            valid > 5_000 && invalid > 5_000,
            "{valid} valid, {invalid} not"
        );
    }

    #[test]
    fn null_items_are_an_empty_page() {
        let (items, info) = collect(br#"{"items":null}"#).unwrap();
        assert!(items.is_empty());
        assert_eq!(info.item_count, 0);
    }
}
