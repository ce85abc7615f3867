//! Continuation tokens and links.
//!
//! A token is an opaque string such as
//! `v2/AQAAAAAAAA…AA==?rt=1&ck=1f2e3d4c5b6a7988%3D%3D`: a base64 encoding of
//! the listing, its original query and the offset, followed by a checksum
//! keyed by the seed. It deliberately contains `/ ? & % =` so that a client
//! that decodes or re-encodes it, instead of sending it byte for byte, is
//! caught (the simulator answers 400).

use super::rng::hash;

/// Which listing a cursor belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    Customers = 1,
    UsageRecords = 2,
    Subscriptions = 3,
    ResourceUsage = 4,
    Utilization = 5,
}

impl ListKind {
    fn from_u8(b: u8) -> Option<ListKind> {
        Some(match b {
            1 => ListKind::Customers,
            2 => ListKind::UsageRecords,
            3 => ListKind::Subscriptions,
            4 => ListKind::ResourceUsage,
            5 => ListKind::Utilization,
            _ => return None,
        })
    }
}

/// Where the next page starts, and the original query it continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub(crate) kind: ListKind,
    /// Identifies the collection (customer and subscription).
    pub(crate) ctx: u64,
    pub(crate) offset: u64,
    pub(crate) size: u32,
    /// Utilization only: the window in Unix seconds.
    pub(crate) start: i64,
    pub(crate) end: i64,
    /// Utilization only: bit 0 = hourly, bit 1 = show_details.
    pub(crate) flags: u8,
}

const PAYLOAD: usize = 1 + 8 + 8 + 4 + 8 + 8 + 1;
const PREFIX: &str = "v2/";
const MIDDLE: &str = "?rt=1&ck=";
const SUFFIX: &str = "%3D%3D";

fn checksum(seed: u64, payload: &[u8]) -> u64 {
    let mut words = [0u64; 6];
    words[0] = seed;
    for (i, chunk) in payload.chunks(8).enumerate() {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        words[i + 1] = u64::from_le_bytes(b);
    }
    hash(&words)
}

/// Encodes a cursor as an opaque continuation token.
pub(crate) fn encode(seed: u64, c: &Cursor) -> String {
    let mut p = Vec::with_capacity(PAYLOAD);
    p.push(c.kind as u8);
    p.extend_from_slice(&c.ctx.to_le_bytes());
    p.extend_from_slice(&c.offset.to_le_bytes());
    p.extend_from_slice(&c.size.to_le_bytes());
    p.extend_from_slice(&c.start.to_le_bytes());
    p.extend_from_slice(&c.end.to_le_bytes());
    p.push(c.flags);
    let mut s = String::with_capacity(96);
    s.push_str(PREFIX);
    base64_encode(&p, &mut s);
    s.push_str(MIDDLE);
    super::json::push_hex(&mut s, checksum(seed, &p), 16);
    s.push_str(SUFFIX);
    s
}

/// Decodes a token; `None` if it is malformed or was not issued with this seed.
pub(crate) fn decode(seed: u64, token: &str) -> Option<Cursor> {
    let rest = token.strip_prefix(PREFIX)?;
    let (b64, tail) = rest.split_once(MIDDLE)?;
    let hex = tail.strip_suffix(SUFFIX)?;
    if hex.len() != 16 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let ck = u64::from_str_radix(hex, 16).ok()?;
    let p = base64_decode(b64)?;
    if p.len() != PAYLOAD || checksum(seed, &p) != ck {
        return None;
    }
    let u64_at = |i: usize| -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&p[i..i + 8]);
        u64::from_le_bytes(b)
    };
    let mut size = [0u8; 4];
    size.copy_from_slice(&p[17..21]);
    Some(Cursor {
        kind: ListKind::from_u8(p[0])?,
        ctx: u64_at(1),
        offset: u64_at(9),
        size: u32::from_le_bytes(size),
        start: u64_at(21) as i64,
        end: u64_at(29) as i64,
        flags: p[37],
    })
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(data: &[u8], out: &mut String) {
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    for (ci, chunk) in b.chunks(4).enumerate() {
        let last = ci == b.len() / 4 - 1;
        let mut n = 0u32;
        let mut pad = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = if c == b'=' && last && i >= 2 {
                pad += 1;
                0
            } else if pad > 0 {
                return None;
            } else {
                B64.iter().position(|&x| x == c)? as u32
            };
            n = (n << 6) | v;
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // Canonical only: the bits the padding leaves unused must be zero.
        if bytes[3 - pad..].iter().any(|&x| x != 0) {
            return None;
        }
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// The three relative link forms Partner Center uses, picked per listing.
pub(crate) fn link_prefix(seed: u64, kind: ListKind, ctx: u64) -> &'static str {
    match hash(&[seed, 0x11AC, kind as u64, ctx]) % 3 {
        0 => "",
        1 => "/",
        _ => "/v1/",
    }
}

/// Parses `size`: an integer in `1..=max`.
pub(crate) fn parse_size(v: &str, max: u32) -> Option<u32> {
    if v.is_empty() || v.len() > 10 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = v.parse().ok()?;
    if n == 0 || n > u64::from(max) {
        None
    } else {
        Some(n as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor() -> Cursor {
        Cursor {
            kind: ListKind::Utilization,
            ctx: 0xDEAD_BEEF,
            offset: 12_345,
            size: 1000,
            start: 1_700_000_000,
            end: -5,
            flags: 3,
        }
    }

    #[test]
    fn round_trip_and_special_characters() {
        let t = encode(7, &cursor());
        for c in ['/', '?', '&', '%', '='] {
            assert!(t.contains(c), "{t} lacks {c}");
        }
        assert_eq!(decode(7, &t), Some(cursor()));
        assert_eq!(decode(8, &t), None, "another seed's token");
    }

    #[test]
    fn tampering_is_detected() {
        let t = encode(7, &cursor());
        assert_eq!(decode(7, &t.replace("%3D%3D", "==")), None);
        assert_eq!(decode(7, &t[..t.len() - 1]), None);
        assert_eq!(decode(7, ""), None);
        assert_eq!(decode(7, "v2/?rt=1&ck=%3D%3D"), None);
        let mut bytes = t.clone().into_bytes();
        for i in 3..bytes.len() {
            let orig = bytes[i];
            bytes[i] = if orig == b'A' { b'B' } else { b'A' };
            if let Ok(s) = std::str::from_utf8(&bytes) {
                assert_eq!(decode(7, s), None, "flip at {i}");
            }
            bytes[i] = orig;
        }
    }

    #[test]
    fn base64_matches_the_standard() {
        let mut s = String::new();
        base64_encode(b"foobar", &mut s);
        assert_eq!(s, "Zm9vYmFy");
        s.clear();
        base64_encode(b"fo", &mut s);
        assert_eq!(s, "Zm8=");
        assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
        assert_eq!(base64_decode("Zg=="), Some(b"f".to_vec()));
        assert_eq!(base64_decode("Z=g="), None);
        assert_eq!(base64_decode("Zg=A"), None, "a character after the padding");
        assert_eq!(base64_decode("Zg="), None);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1", 1000), Some(1));
        assert_eq!(parse_size("1000", 1000), Some(1000));
        // Digits only (Rust's parse would take "+5"), at most 10 of them.
        assert_eq!(parse_size("0000000005", 1000), Some(5));
        for bad in [
            "0",
            "1001",
            "-1",
            "",
            "1e3",
            "abc",
            "99999999999999",
            "+5",
            "00000000005",
        ] {
            assert_eq!(parse_size(bad, 1000), None, "{bad}");
        }
    }
}
