//! A minimal JSON writer. Money and quantities are written from exact
//! integers as JSON numbers, digit for digit, never through `f64`.

use crate::time::civil_from_days;

/// Appends JSON tokens to a string, inserting commas where needed.
#[derive(Debug, Default)]
pub(crate) struct Json {
    pub(crate) out: String,
    comma: bool,
}

impl Json {
    pub(crate) fn with_capacity(n: usize) -> Json {
        Json {
            out: String::with_capacity(n),
            comma: false,
        }
    }

    fn sep(&mut self) {
        if self.comma {
            self.out.push(',');
        }
    }

    pub(crate) fn begin_obj(&mut self) {
        self.sep();
        self.out.push('{');
        self.comma = false;
    }

    pub(crate) fn end_obj(&mut self) {
        self.out.push('}');
        self.comma = true;
    }

    pub(crate) fn begin_arr(&mut self) {
        self.sep();
        self.out.push('[');
        self.comma = false;
    }

    pub(crate) fn end_arr(&mut self) {
        self.out.push(']');
        self.comma = true;
    }

    /// An object key; keys are ASCII identifiers chosen by the simulator.
    pub(crate) fn key(&mut self, k: &str) {
        self.sep();
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
        self.comma = false;
    }

    pub(crate) fn str(&mut self, v: &str) {
        self.sep();
        escape_into(&mut self.out, v);
        self.comma = true;
    }

    /// A value written verbatim (a number or a literal).
    pub(crate) fn raw(&mut self, v: &str) {
        self.sep();
        self.out.push_str(v);
        self.comma = true;
    }

    pub(crate) fn kstr(&mut self, k: &str, v: &str) {
        self.key(k);
        self.str(v);
    }

    pub(crate) fn kraw(&mut self, k: &str, v: &str) {
        self.key(k);
        self.raw(v);
    }

    pub(crate) fn knum(&mut self, k: &str, v: u64) {
        self.key(k);
        self.raw(&v.to_string());
    }

    pub(crate) fn kbool(&mut self, k: &str, v: bool) {
        self.kraw(k, if v { "true" } else { "false" });
    }

    pub(crate) fn kobj(&mut self, k: &str) {
        self.key(k);
        self.begin_obj();
    }

    pub(crate) fn karr(&mut self, k: &str) {
        self.key(k);
        self.begin_arr();
    }

    /// `"attributes":{"objectType":"…"}`
    pub(crate) fn attributes(&mut self, object_type: &str) {
        self.kobj("attributes");
        self.kstr("objectType", object_type);
        self.end_obj();
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

/// Writes `s` as a JSON string literal (quotes included).
pub(crate) fn escape_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                push_hex(out, c as u64, 2);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `v` as `width` lowercase hex digits.
pub(crate) fn push_hex(out: &mut String, v: u64, width: u32) {
    for i in (0..width).rev() {
        let d = ((v >> (i * 4)) & 0xF) as u8;
        out.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
    }
}

/// Appends `v` in decimal, zero-padded to `width` digits.
pub(crate) fn push_padded(out: &mut String, v: u64, width: usize) {
    let s = v.to_string();
    for _ in s.len()..width {
        out.push('0');
    }
    out.push_str(&s);
}

/// Formats `units × 10^-scale` exactly, without trailing zeros
/// (`fixed(1205682999999995904716, 19)` → `"120.5682999999995904716"`).
pub(crate) fn fixed(units: u128, scale: u32) -> String {
    let p = 10u128.pow(scale);
    let int = units / p;
    let mut frac = units % p;
    let mut s = int.to_string();
    if frac != 0 {
        let mut digits = scale as usize;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let f = frac.to_string();
        s.push('.');
        for _ in f.len()..digits {
            s.push('0');
        }
        s.push_str(&f);
    }
    s
}

/// A GUID (version 4 layout) from 128 random bits.
pub(crate) fn guid(a: u64, b: u64) -> String {
    let mut s = String::with_capacity(36);
    push_hex(&mut s, a >> 32, 8);
    s.push('-');
    push_hex(&mut s, (a >> 16) & 0xFFFF, 4);
    s.push('-');
    push_hex(&mut s, 0x4000 | (a & 0x0FFF), 4);
    s.push('-');
    push_hex(&mut s, 0x8000 | ((b >> 48) & 0x3FFF), 4);
    s.push('-');
    push_hex(&mut s, b & 0xFFFF_FFFF_FFFF, 12);
    s
}

/// Appends `yyyy-MM-ddTHH:mm:ss` for Unix seconds (UTC).
fn push_datetime(out: &mut String, secs: i64) {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400) as u64;
    push_padded(out, y.max(0) as u64, 4);
    out.push('-');
    push_padded(out, u64::from(m), 2);
    out.push('-');
    push_padded(out, u64::from(d), 2);
    out.push('T');
    push_padded(out, sod / 3600, 2);
    out.push(':');
    push_padded(out, sod / 60 % 60, 2);
    out.push(':');
    push_padded(out, sod % 60, 2);
}

/// `2019-09-17T17:08:11.1433333+00:00`: seconds and 100 ns ticks, as .NET
/// writes them ("FFFFFFF"): trailing zeros of the fraction dropped
/// (`…16.57+00:00`, as in seed 001), and the point too when it is zero.
pub(crate) fn datetime_ticks(secs: i64, ticks: u32) -> String {
    let mut s = String::with_capacity(33);
    push_datetime(&mut s, secs);
    let mut ticks = ticks % 10_000_000;
    if ticks != 0 {
        let mut digits = 7;
        while ticks % 10 == 0 {
            ticks /= 10;
            digits -= 1;
        }
        s.push('.');
        push_padded(&mut s, u64::from(ticks), digits);
    }
    s.push_str("+00:00");
    s
}

/// `2026-08-27T00:00:00+00:00`, as utilization records write their times.
pub(crate) fn datetime_offset(secs: i64) -> String {
    let mut s = String::with_capacity(25);
    push_datetime(&mut s, secs);
    s.push_str("+00:00");
    s
}

/// `2026-08-27T00:00:00Z`, the query-string form.
pub(crate) fn datetime_z(secs: i64) -> String {
    let mut s = String::with_capacity(20);
    push_datetime(&mut s, secs);
    s.push('Z');
    s
}

/// An RFC 7231 HTTP-date: `Wed, 25 Nov 2026 00:00:01 GMT`.
pub(crate) fn http_date(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = secs.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sod = secs.rem_euclid(86_400) as u64;
    let mut s = String::with_capacity(29);
    s.push_str(DAYS[days.rem_euclid(7) as usize]);
    s.push_str(", ");
    push_padded(&mut s, u64::from(d), 2);
    s.push(' ');
    s.push_str(MONTHS[(m - 1) as usize]);
    s.push(' ');
    push_padded(&mut s, y.max(0) as u64, 4);
    s.push(' ');
    push_padded(&mut s, sod / 3600, 2);
    s.push(':');
    push_padded(&mut s, sod / 60 % 60, 2);
    s.push(':');
    push_padded(&mut s, sod % 60, 2);
    s.push_str(" GMT");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_decimals() {
        assert_eq!(
            fixed(1_205_682_999_999_995_904_716, 19),
            "120.5682999999995904716"
        );
        assert_eq!(fixed(0, 19), "0");
        assert_eq!(fixed(20 * 10u128.pow(19), 19), "20");
        assert_eq!(fixed(81_829_712_368_561_032, 19), "0.0081829712368561032");
        assert_eq!(fixed(60_284, 2), "602.84");
        assert_eq!(fixed(2_810, 2), "28.1");
    }

    #[test]
    fn escaping_is_valid_json() {
        let mut j = Json::default();
        j.begin_obj();
        j.kstr("a", "<img src=x onerror=alert(1)>");
        j.kstr("b", "Müller & Søn AB \"q\" \\ \n \u{1}");
        j.karr("c");
        j.raw("1");
        j.raw("2");
        j.end_arr();
        j.kbool("d", false);
        j.end_obj();
        let v: serde_json::Value = serde_json::from_str(&j.out).unwrap();
        assert_eq!(v["a"], "<img src=x onerror=alert(1)>");
        assert_eq!(v["b"], "Müller & Søn AB \"q\" \\ \n \u{1}");
        assert_eq!(v["c"], serde_json::json!([1, 2]));
    }

    #[test]
    fn dates() {
        assert_eq!(
            datetime_ticks(1_568_740_091, 1_433_333),
            "2019-09-17T17:08:11.1433333+00:00"
        );
        assert_eq!(
            datetime_ticks(1_564_700_416, 5_700_000),
            "2019-08-01T23:00:16.57+00:00"
        );
        assert_eq!(
            datetime_ticks(1_564_700_416, 50),
            "2019-08-01T23:00:16.000005+00:00"
        );
        assert_eq!(datetime_ticks(0, 0), "1970-01-01T00:00:00+00:00");
        assert_eq!(datetime_z(0), "1970-01-01T00:00:00Z");
        assert_eq!(datetime_offset(86_400), "1970-01-02T00:00:00+00:00");
        // 2026-11-25 is a Wednesday.
        let t = crate::time::Timestamp::parse("2026-11-25T00:00:01Z").unwrap();
        assert_eq!(http_date(t.unix_seconds()), "Wed, 25 Nov 2026 00:00:01 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(86_399), "Thu, 01 Jan 1970 23:59:59 GMT");
        assert_eq!(http_date(1_764_067_025), "Tue, 25 Nov 2025 10:37:05 GMT");
    }

    #[test]
    fn guids_look_like_guids() {
        let g = guid(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210);
        assert_eq!(g.len(), 36);
        assert_eq!(g, "01234567-89ab-4def-bedc-ba9876543210");
    }
}
