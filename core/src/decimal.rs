//! An exact decimal number: what Partner Center's money amounts are.
//!
//! Partner Center writes amounts with more digits than an `f64` holds
//! (`120.5682999999995904716`). [`Decimal`] keeps every digit: a signed
//! 128-bit integer mantissa and a decimal scale (the number of fractional
//! digits), so `120.5682999999995904716` is `1205682999999995904716 × 10⁻¹⁹`.
//! Any 38 significant digits fit (39 while the mantissa stays within
//! `i128`, about ±1.7e38), and sums are checked: an overflow is an error,
//! never a silent rounding. Every value a sum can produce displays as text
//! that parses back to it. `ARCHITECTURE.md` says why this and not a
//! decimal crate.
//!
//! A decimal displays with exactly the digits it was written with, so an
//! amount read from Partner Center is written back digit for digit:
//!
//! ```
//! use partner_usage_core::decimal::Decimal;
//! let d: Decimal = "120.5682999999995904716".parse().unwrap();
//! assert_eq!(d.to_string(), "120.5682999999995904716");
//! let sum = d.checked_add("0.0000000000004095284".parse().unwrap()).unwrap();
//! assert_eq!(sum.to_string(), "120.5683000000000000000");
//! ```

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// The largest scale (fractional digits) a [`Decimal`] keeps.
pub const MAX_SCALE: u32 = 38;

/// An exact decimal: `mantissa × 10^-scale`.
///
/// Equality, ordering and hashing are numeric: `1.50 == 1.5`. Display keeps
/// the scale it was written or computed with.
#[derive(Clone, Copy, Default)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// Why a decimal could not be parsed or computed exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecimalError {
    /// The text is not a decimal number (`NaN`, `1.2.3`, `""`).
    Invalid(String),
    /// More significant digits than an `i128` mantissa holds (38, or 39 up
    /// to ±1.7e38), or a scale beyond 38: it can't be held exactly, so it
    /// is refused rather than rounded.
    OutOfRange(String),
    /// A result (a sum, or a rescale on the way to one; a negation or a
    /// product) went beyond an `i128` mantissa (about ±1.7e38).
    Overflow,
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecimalError::Invalid(s) => write!(f, "{s:?} is not a decimal number"),
            DecimalError::OutOfRange(s) => write!(
                f,
                "{s:?} has more digits than can be held exactly \
                 (38 significant digits, or 39 up to 1.7e38)"
            ),
            DecimalError::Overflow => {
                f.write_str("decimal arithmetic overflowed a 128-bit mantissa (about 38 digits)")
            }
        }
    }
}

impl std::error::Error for DecimalError {}

/// `10^n` for `n` in `0..=38`, computed at compile time: rescaling is a
/// table lookup, not an `i128::pow` loop (which is slow in wasm).
const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// The powers of ten that are exact `f64`s (10^0 to 10^22).
const POW10_F64: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `10^n`; callers keep `n <= MAX_SCALE` (larger `n` saturates, which the
/// checked arithmetic after it turns into an overflow).
#[inline]
fn pow10(n: u32) -> i128 {
    POW10.get(n as usize).copied().unwrap_or(i128::MAX)
}

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    /// `mantissa × 10^-scale`, or `None` when `scale` exceeds [`MAX_SCALE`].
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// assert_eq!(Decimal::new(12345, 2).unwrap().to_string(), "123.45");
    /// ```
    pub fn new(mantissa: i128, scale: u32) -> Option<Decimal> {
        (scale <= MAX_SCALE).then_some(Decimal { mantissa, scale })
    }

    /// An integer amount.
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// assert_eq!(Decimal::from_i64(-7).to_string(), "-7");
    /// ```
    pub fn from_i64(v: i64) -> Decimal {
        Decimal {
            mantissa: i128::from(v),
            scale: 0,
        }
    }

    /// The integer mantissa.
    pub fn mantissa(&self) -> i128 {
        self.mantissa
    }

    /// The number of fractional digits.
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// Whether the value is zero (at any scale).
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.mantissa < 0
    }

    /// The same value with trailing fractional zeros removed.
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// let d: Decimal = "2.4700".parse().unwrap();
    /// assert_eq!(d.normalized().to_string(), "2.47");
    /// ```
    #[must_use]
    pub fn normalized(self) -> Decimal {
        let (mut m, mut s) = (self.mantissa, self.scale);
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        Decimal {
            mantissa: m,
            scale: s,
        }
    }

    /// Re-expresses the value at a larger scale, exactly.
    fn rescaled(self, scale: u32) -> Result<Decimal, DecimalError> {
        debug_assert!(scale >= self.scale);
        let m = self
            .mantissa
            .checked_mul(pow10(scale - self.scale))
            .ok_or(DecimalError::Overflow)?;
        Ok(Decimal { mantissa: m, scale })
    }

    /// The exact sum, keeping the larger scale of the two, or
    /// [`DecimalError::Overflow`]. Where that scale leaves no room, trailing
    /// zeros are dropped first (`0E-30` or `0.1000…0` plus a large amount
    /// is no overflow): only a sum whose mantissa doesn't fit an `i128`
    /// (more than 39 significant digits, or 39 beyond about ±1.7e38) fails.
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// let a: Decimal = "0.1".parse().unwrap();
    /// let b: Decimal = "0.2".parse().unwrap();
    /// assert_eq!(a.checked_add(b).unwrap().to_string(), "0.3");
    /// let z: Decimal = "0E-30".parse().unwrap();
    /// let big: Decimal = "200000000000".parse().unwrap();
    /// assert_eq!(z.checked_add(big).unwrap().to_string(), "200000000000");
    /// ```
    #[inline]
    pub fn checked_add(self, other: Decimal) -> Result<Decimal, DecimalError> {
        self.add_at_scale(other)
            .or_else(|_| self.normalized().add_at_scale(other.normalized()))
    }

    /// [`Decimal::checked_add`] at the larger of the two scales as they are.
    #[inline]
    fn add_at_scale(self, other: Decimal) -> Result<Decimal, DecimalError> {
        let (a, b) = match self.scale.cmp(&other.scale) {
            // The common case when summing one meter's quantities: no rescale.
            Ordering::Equal => (self, other),
            Ordering::Less => (self.rescaled(other.scale)?, other),
            Ordering::Greater => (self, other.rescaled(self.scale)?),
        };
        let mantissa = a
            .mantissa
            .checked_add(b.mantissa)
            .ok_or(DecimalError::Overflow)?;
        Ok(Decimal {
            mantissa,
            scale: a.scale,
        })
    }

    /// The exact difference, or [`DecimalError::Overflow`].
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// let a: Decimal = "1".parse().unwrap();
    /// assert_eq!(a.checked_sub("0.25".parse().unwrap()).unwrap().to_string(), "0.75");
    /// ```
    pub fn checked_sub(self, other: Decimal) -> Result<Decimal, DecimalError> {
        self.checked_add(other.checked_neg()?)
    }

    /// The negated value, or [`DecimalError::Overflow`] for the one value
    /// whose negation doesn't fit.
    pub fn checked_neg(self) -> Result<Decimal, DecimalError> {
        Ok(Decimal {
            mantissa: self.mantissa.checked_neg().ok_or(DecimalError::Overflow)?,
            scale: self.scale,
        })
    }

    /// The exact product with an integer, or [`DecimalError::Overflow`].
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// let a: Decimal = "1.25".parse().unwrap();
    /// assert_eq!(a.checked_mul_int(3).unwrap().to_string(), "3.75");
    /// ```
    pub fn checked_mul_int(self, k: i64) -> Result<Decimal, DecimalError> {
        Ok(Decimal {
            mantissa: self
                .mantissa
                .checked_mul(i128::from(k))
                .ok_or(DecimalError::Overflow)?,
            scale: self.scale,
        })
    }

    /// The nearest `f64`, for charting only. Money is never summed as `f64`.
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// let d: Decimal = "120.5682999999995904716".parse().unwrap();
    /// assert_eq!(d.to_f64(), 120.5682999999995904716_f64);
    /// ```
    pub fn to_f64(&self) -> f64 {
        // Clinger's fast path: a mantissa of at most 2^53 and a power of
        // ten up to 10^22 are both exact f64s, so one IEEE division is the
        // correctly rounded quotient. Summaries call this for every row.
        if self.mantissa.unsigned_abs() <= 1 << 53 {
            if let Some(p) = POW10_F64.get(self.scale as usize) {
                return self.mantissa as f64 / p;
            }
        }
        // Otherwise parsing the exact text gives the correctly rounded f64.
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The value rounded half away from zero to `dp` fractional digits, for
    /// display. Sums never use it.
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// let d: Decimal = "602.845".parse().unwrap();
    /// assert_eq!(d.round_dp(2).to_string(), "602.85");
    /// assert_eq!("-1.005".parse::<Decimal>().unwrap().round_dp(2).to_string(), "-1.01");
    /// ```
    #[must_use]
    pub fn round_dp(self, dp: u32) -> Decimal {
        if dp >= self.scale {
            return self;
        }
        let div = pow10(self.scale - dp);
        let q = self.mantissa / div;
        let r = self.mantissa % div;
        let adj = if r.unsigned_abs() * 2 >= div.unsigned_abs() {
            r.signum()
        } else {
            0
        };
        Decimal {
            mantissa: q + adj,
            scale: dp,
        }
    }

    /// Parses a JSON number's text (`-12.5e-3`), exactly.
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// assert_eq!(Decimal::parse("1.5e3").unwrap().to_string(), "1500");
    /// assert_eq!(Decimal::parse("-0").unwrap().to_string(), "0");
    /// assert!(Decimal::parse("NaN").is_err());
    /// assert!(Decimal::parse("1e400").is_err());
    /// ```
    #[inline]
    pub fn parse(s: &str) -> Result<Decimal, DecimalError> {
        if let Some(d) = parse_plain(s.as_bytes()) {
            return Ok(d);
        }
        parse_bytes(s.as_bytes()).map_err(|kind| kind.into_error(s))
    }

    /// Integer and scaled fractional parts, used for numeric comparison.
    fn parts(&self) -> (i128, i128) {
        let p = pow10(self.scale);
        let int = self.mantissa / p;
        let frac = (self.mantissa % p) * pow10(MAX_SCALE - self.scale);
        (int, frac)
    }
}

enum ParseFail {
    Invalid,
    OutOfRange,
}

impl ParseFail {
    fn into_error(self, s: &str) -> DecimalError {
        let shown: String = s.chars().take(64).collect();
        match self {
            ParseFail::Invalid => DecimalError::Invalid(shown),
            ParseFail::OutOfRange => DecimalError::OutOfRange(shown),
        }
    }
}

/// The most significant digits a mantissa can have: `i128::MAX` has 39.
const MAX_DIGITS: u32 = 39;

/// Significant digits, gathered into a `u64` eighteen at a time with one
/// `u128` multiply per chunk (per-digit 128-bit arithmetic is slow in wasm).
#[derive(Clone, Default)]
struct Digits {
    acc: u128,
    chunk: u64,
    chunk_len: u32,
    significant: u32,
}

impl Digits {
    fn push(&mut self, d: u8) -> Result<(), ParseFail> {
        self.significant += 1;
        if self.significant > MAX_DIGITS {
            return Err(ParseFail::OutOfRange);
        }
        self.chunk = self.chunk * 10 + u64::from(d);
        self.chunk_len += 1;
        if self.chunk_len == 18 {
            self.acc = self.acc * 1_000_000_000_000_000_000 + u128::from(self.chunk);
            self.chunk = 0;
            self.chunk_len = 0;
        }
        Ok(())
    }

    fn finish(self) -> Result<u128, ParseFail> {
        self.acc
            .checked_mul(10u128.pow(self.chunk_len))
            .and_then(|a| a.checked_add(u128::from(self.chunk)))
            .ok_or(ParseFail::OutOfRange)
    }
}

/// The fast path of [`Decimal::parse`]: `-?digits(.digits)?` with at most
/// 19 digits in all, which is nearly every quantity and amount Partner
/// Center sends. The digits go into a `u64` (19 digits always fit) and the
/// result is exactly what [`parse_bytes`] gives; anything else (exponents,
/// `+`, more digits, malformed text) returns `None` for the general parser.
#[inline]
fn parse_plain(b: &[u8]) -> Option<Decimal> {
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    // 19 digits, or 19 digits and a point: the u64 below can't overflow.
    if digits.is_empty() || (digits.len() > 19 && (digits.len() > 20 || !digits.contains(&b'.'))) {
        return None;
    }
    let mut m: u64 = 0;
    let mut point = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => m = m * 10 + u64::from(c - b'0'),
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    let scale = match point {
        // Without a point, the length check above allowed 19 digits at most.
        None => 0,
        // At least one digit on each side of the point, 19 digits at most.
        Some(p) if p > 0 && p + 1 < digits.len() => (digits.len() - p - 1) as u32,
        _ => return None,
    };
    let mantissa = i128::from(m);
    Some(Decimal {
        mantissa: if negative { -mantissa } else { mantissa },
        scale,
    })
}

/// Parses `-?digits(.digits)?([eE][+-]?digits)?`.
fn parse_bytes(b: &[u8]) -> Result<Decimal, ParseFail> {
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut acc = Digits::default();
    let mut pending_zeros: u32 = 0;
    let mut int_digits = 0usize;
    let mut frac_digits: i64 = 0;
    let mut seen_point = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'0'..=b'9' => {
                if seen_point {
                    frac_digits += 1;
                } else {
                    int_digits += 1;
                }
                if c == b'0' {
                    // Zeros are held back: leading ones never count, and
                    // trailing ones may be dropped if the digits don't fit.
                    if acc.significant > 0 {
                        pending_zeros += 1;
                    }
                } else {
                    for _ in 0..pending_zeros {
                        acc.push(0)?;
                    }
                    pending_zeros = 0;
                    acc.push(c - b'0')?;
                }
            }
            b'.' if !seen_point => seen_point = true,
            b'e' | b'E' => break,
            _ => return Err(ParseFail::Invalid),
        }
        i += 1;
    }
    if int_digits == 0 || (seen_point && frac_digits == 0) {
        return Err(ParseFail::Invalid);
    }
    let written = if pending_zeros == 0 {
        None
    } else if acc.significant + pending_zeros <= MAX_DIGITS {
        let mut with_zeros = acc.clone();
        for _ in 0..pending_zeros {
            with_zeros.push(0)?;
        }
        with_zeros
            .finish()
            .ok()
            .and_then(|m| signed_mantissa(m, negative))
    } else {
        None
    };
    let mut mantissa = match written {
        Some(m) => m,
        None => {
            // The written form doesn't fit (or has no trailing zeros): drop
            // the trailing zeros, which changes nothing about the value.
            frac_digits -= i64::from(pending_zeros);
            signed_mantissa(acc.finish()?, negative).ok_or(ParseFail::OutOfRange)?
        }
    };
    let mut exp: i64 = 0;
    if i < b.len() {
        i += 1; // the 'e'
        let exp_negative = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        if i == b.len() {
            return Err(ParseFail::Invalid);
        }
        for &c in &b[i..] {
            if !c.is_ascii_digit() {
                return Err(ParseFail::Invalid);
            }
            exp = (exp * 10 + i64::from(c - b'0')).min(100_000);
        }
        if exp_negative {
            exp = -exp;
        }
    }
    let mut scale = frac_digits - exp;
    if mantissa == 0 {
        scale = scale.clamp(0, i64::from(MAX_SCALE));
    }
    if scale < 0 {
        let factor = u32::try_from(-scale).map_err(|_| ParseFail::OutOfRange)?;
        if factor > MAX_SCALE {
            return Err(ParseFail::OutOfRange);
        }
        mantissa = mantissa
            .checked_mul(pow10(factor))
            .ok_or(ParseFail::OutOfRange)?;
        scale = 0;
    }
    // Trailing zeros past the largest scale can go without losing anything.
    while scale > i64::from(MAX_SCALE) && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if scale > i64::from(MAX_SCALE) {
        return Err(ParseFail::OutOfRange);
    }
    Ok(Decimal {
        mantissa,
        scale: scale as u32,
    })
}

/// The mantissa of magnitude `m`: up to `i128::MAX`, or `i128::MIN` below zero.
fn signed_mantissa(m: u128, negative: bool) -> Option<i128> {
    if negative {
        0i128.checked_sub_unsigned(m)
    } else {
        i128::try_from(m).ok()
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Decimal, DecimalError> {
        Decimal::parse(s)
    }
}

/// Writes the exact digits, or with a precision (`{:.2}`) the value
/// [rounded half away from zero](Decimal::round_dp) to that many fractional
/// digits, zeros added up to them. Width, fill, alignment (right by
/// default, as for numbers), `+` and `0` work as for the primitive numbers.
///
/// ```
/// use partner_usage_core::decimal::Decimal;
/// let d: Decimal = "1234.5678".parse().unwrap();
/// assert_eq!(format!("{d}"), "1234.5678");
/// assert_eq!(format!("{d:.2}"), "1234.57");
/// assert_eq!(format!("{:.2}", Decimal::from_i64(7)), "7.00");
/// assert_eq!(format!("{:.0}", "-0.5".parse::<Decimal>().unwrap()), "-1");
/// assert_eq!(format!("[{d:>10.1}] [{d:<10.1}] [{d:+010.1}]"), "[    1234.6] [1234.6    ] [+0001234.6]");
/// ```
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (value, zeros) = match f.precision() {
            Some(p) => match u32::try_from(p) {
                Ok(p) if p < self.scale => (self.round_dp(p), 0),
                _ => (*self, p - self.scale as usize),
            },
            None => (*self, 0),
        };
        let digits = value.mantissa.unsigned_abs().to_string();
        let scale = value.scale as usize;
        let mut s = String::with_capacity(digits.len() + zeros + 3);
        if scale == 0 {
            s.push_str(&digits);
            if zeros > 0 {
                s.push('.');
            }
        } else if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            s.push_str(int);
            s.push('.');
            s.push_str(frac);
        } else {
            s.push_str("0.");
            s.extend(std::iter::repeat_n('0', scale - digits.len()));
            s.push_str(&digits);
        }
        s.extend(std::iter::repeat_n('0', zeros));
        f.pad_integral(value.mantissa >= 0, "", &s)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        self.parts().cmp(&other.parts())
    }
}

impl Hash for Decimal {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let n = self.normalized();
        n.mantissa.hash(state);
        n.scale.hash(state);
    }
}

impl Serialize for Decimal {
    /// Serialises as an exact decimal string (`"120.5682999999995904716"`),
    /// which is how money crosses into JavaScript.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    /// Deserialises a JSON number without passing through `f64` (it reads the
    /// number's raw text), or a string holding a decimal number. Any serde_json
    /// deserializer lends the text (`from_str`, `from_slice`, `from_reader`);
    /// a `serde_json::Value` or another format gives what it holds.
    ///
    /// ```
    /// use partner_usage_core::decimal::Decimal;
    /// let json = "120.5682999999995904716";
    /// let from_reader: Decimal = serde_json::from_reader(json.as_bytes()).unwrap();
    /// assert_eq!(from_reader.to_string(), json);
    /// let from_value: Decimal = serde_json::from_value(serde_json::json!("12.50")).unwrap();
    /// assert_eq!(from_value.to_string(), "12.50");
    /// ```
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = crate::raw_json::raw_json(deserializer)?;
        let text = raw.as_ref();
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        Decimal::parse(text).map_err(|e| match e {
            DecimalError::Invalid(_) => de::Error::invalid_type(
                de::Unexpected::Other(&format!("`{}`", truncate(&raw))),
                &"a decimal number",
            ),
            other => de::Error::custom(other),
        })
    }
}

fn truncate(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_precision_rounds_and_fills_with_zeros() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let cases = [
            (format!("{:.2}", d("120.5682999999995904716")), "120.57"),
            (format!("{:.2}", d("-0.005")), "-0.01"),
            (format!("{:.2}", d("-0.004")), "0.00"),
            (format!("{:.3}", d("1.5")), "1.500"),
            (format!("{:.0}", d("2.5")), "3"),
            (format!("{:.0}", d("12")), "12"),
            (format!("{:.2}", d("0.00001")), "0.00"),
            (format!("{:08.2}", d("-1.5")), "-0001.50"),
            (format!("{:^9.1}", d("2.25")), "   2.3   "),
            (format!("{:*<6}", d("1.5")), "1.5***"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
        // Beyond the largest scale: zeros only, nothing overflows.
        let long = format!("{:.45}", d("0.1"));
        assert_eq!(long.len(), 47);
        assert_eq!(long.parse::<f64>().unwrap(), 0.1);
        // No precision: the exact digits, whatever the scale.
        assert_eq!(format!("{}", d("1.500")), "1.500");
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn seed_values_survive_digit_for_digit() {
        for s in [
            "120.5682999999995904716",
            "12.39999999999999985235",
            "27.23292827625710931604",
            "33.280000000000001044",
            "2.0211938955034572",
            "80.3322286322163563",
            "0.0081829712368561032",
            "0.0099999999999999997",
            "602.84",
            "0",
            "20",
        ] {
            assert_eq!(d(s).to_string(), s);
            let json = format!("{{\"v\":{s}}}");
            #[derive(Deserialize)]
            struct W {
                v: Decimal,
            }
            let w: W = serde_json::from_str(&json).unwrap();
            assert_eq!(w.v.to_string(), s);
        }
    }

    #[test]
    fn exponents_and_signs() {
        assert_eq!(d("1.5e3").to_string(), "1500");
        assert_eq!(d("1.5E-3").to_string(), "0.0015");
        assert_eq!(d("-0.000").to_string(), "0.000");
        assert_eq!(d("-0"), Decimal::ZERO);
        assert_eq!(d("0e-500"), Decimal::ZERO);
        assert_eq!(d("+3").to_string(), "3");
        assert_eq!(
            d("1.000000000000000000000000000000000000000000000e0"),
            d("1")
        );
        assert_eq!(d("2.4700").to_string(), "2.4700");
        assert_eq!(
            d("0.1000000000000000000000000000000000000000000").to_string(),
            "0.1"
        );
    }

    #[test]
    fn refuses_rather_than_rounds() {
        assert!(matches!(
            Decimal::parse("1e400"),
            Err(DecimalError::OutOfRange(_))
        ));
        assert!(matches!(
            Decimal::parse("1e-400"),
            Err(DecimalError::OutOfRange(_))
        ));
        for too_many in [
            "1234567890.123456789012345678901234567891",
            "2234567890.12345678901234567890123456789",
        ] {
            assert!(
                matches!(Decimal::parse(too_many), Err(DecimalError::OutOfRange(_))),
                "{too_many}"
            );
        }
        // 39 digits fit while the mantissa does.
        assert_eq!(
            d("1234567890.123456789012345678901234567890").to_string(),
            "1234567890.12345678901234567890123456789"
        );
        for bad in [
            "", "-", ".", "1.", ".5", "1.2.3", "NaN", "Infinity", "1e", "1e+", "0x10", "1 ",
        ] {
            assert!(
                matches!(Decimal::parse(bad), Err(DecimalError::Invalid(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn numeric_equality_and_order() {
        assert_eq!(d("1.50"), d("1.5"));
        assert!(d("-1.5") < d("-1.2"));
        assert!(d("-0.5") < d("0.5"));
        assert!(d("10") > d("9.999999999999999999999999"));
        use std::collections::HashSet;
        let set: HashSet<Decimal> = [d("2.470"), d("2.47")].into_iter().collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn overflow_is_an_error() {
        let big = Decimal::new(i128::MAX, 0).unwrap();
        assert_eq!(
            big.checked_add(Decimal::from_i64(1)),
            Err(DecimalError::Overflow)
        );
        let fine = Decimal::new(10i128.pow(30), 0).unwrap();
        assert_eq!(
            fine.checked_add(d("0.000000000000000000001")),
            Err(DecimalError::Overflow)
        );
    }

    #[test]
    fn every_mantissa_round_trips_through_text_and_json() {
        for m in [i128::MAX, i128::MIN, i128::MIN + 1, -1, 0, 1] {
            for scale in [0, 1, 19, 37, 38] {
                let x = Decimal::new(m, scale).unwrap();
                let text = x.to_string();
                let back = Decimal::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
                assert_eq!((back.mantissa, back.scale), (m, scale), "{text}");
                let json = serde_json::to_string(&x).unwrap();
                let back: Decimal = serde_json::from_str(&json).unwrap();
                assert_eq!((back.mantissa, back.scale), (m, scale), "{json}");
                // As a JSON number too.
                let back: Decimal = serde_json::from_str(&text).unwrap();
                assert_eq!((back.mantissa, back.scale), (m, scale), "{text}");
            }
        }
        // A sum parse refused before: 38 nines plus 2 has 39 digits.
        let a = d("99999999999999999999999999999999999999");
        let sum = a.checked_add(Decimal::from_i64(2)).unwrap();
        assert_eq!(sum.to_string(), "100000000000000000000000000000000000001");
        assert_eq!(d(&sum.to_string()), sum);
        assert_eq!(
            d("-170141183460469231731687303715884105728").mantissa(),
            i128::MIN
        );
        assert_eq!(
            d("1.70141183460469231731687303715884105727").mantissa(),
            i128::MAX
        );
        // Trailing zeros that don't fit the mantissa are dropped, as before.
        let four = d("4.00000000000000000000000000000000000000");
        assert_eq!((four.mantissa, four.scale), (4, 0));
        let four = d("4.0000000000000000000000000000000000000");
        assert_eq!((four.mantissa, four.scale), (4 * 10i128.pow(37), 37));
        for too_big in [
            "170141183460469231731687303715884105728",
            "-170141183460469231731687303715884105729",
            "1701411834604692317316873037158841057270",
            "1000000000000000000000000000000000000001",
            "400000000000000000000000000000000000000",
            "0.400000000000000000000000000000000000001",
        ] {
            assert!(
                matches!(Decimal::parse(too_big), Err(DecimalError::OutOfRange(_))),
                "{too_big}"
            );
        }
    }

    #[test]
    fn json_strings_and_errors() {
        let v: Decimal = serde_json::from_str("\"12.5\"").unwrap();
        assert_eq!(v, d("12.5"));
        let err = serde_json::from_str::<Decimal>("true").unwrap_err();
        assert!(err.to_string().contains("decimal number"), "{err}");
        let err = serde_json::from_str::<Decimal>("1e400").unwrap_err();
        assert!(err.to_string().contains("38 significant digits"), "{err}");
        assert_eq!(serde_json::to_string(&d("1.10")).unwrap(), "\"1.10\"");
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_parser() {
        for s in [
            "0",
            "-0",
            "0.000",
            "-0.000",
            "7",
            "-7",
            "0012",
            "1.5",
            "-1.50",
            "97.503869600001202",
            "0.0081829712368561032",
            "1234567890123456789",
            "9999999999999999999",
            "999999999.9999999999",
            "18446744073709551615",
            "1.",
            ".5",
            "-",
            "",
            "1.2.3",
            "1e5",
            "+3",
            "12345678901234567890",
            "--1",
            "-.5",
        ] {
            let general = parse_bytes(s.as_bytes()).ok();
            if let Some(fast) = parse_plain(s.as_bytes()) {
                let g = general.unwrap_or_else(|| panic!("{s:?}: only the fast path accepts it"));
                assert_eq!((fast.mantissa, fast.scale), (g.mantissa, g.scale), "{s:?}");
            }
        }
        assert!(parse_plain(b"97.503869600001202").is_some());
        assert!(parse_plain(b"12345678901234567890").is_none());
    }

    #[test]
    fn predicates_and_integer_products() {
        assert!(d("0.000").is_zero() && d("-0").is_zero());
        assert!(!d("0.001").is_zero());
        assert!(d("-0.001").is_negative());
        assert!(!Decimal::ZERO.is_negative() && !d("-0.000").is_negative());
        assert_eq!(d("1.25").checked_mul_int(-3).unwrap(), d("-3.75"));
        assert_eq!(d("1.25").checked_mul_int(3).unwrap().scale(), 2);
        assert_eq!(
            Decimal::new(i128::MAX / 2 + 1, 0)
                .unwrap()
                .checked_mul_int(2),
            Err(DecimalError::Overflow)
        );
    }

    #[test]
    fn equality_hash_and_debug_see_the_value() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = |x: Decimal| {
            BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(x)
        };
        assert_ne!(d("2.47"), d("2.48"));
        assert_ne!(hash(d("2.47")), hash(d("2.48")));
        assert_eq!(hash(d("2.470")), hash(d("2.47")));
        assert_eq!(format!("{:?}", d("1.50")), "Decimal(1.50)");
    }

    #[test]
    fn exponent_forms_and_scale_limits() {
        assert_eq!(d("1.5e+3"), d("1500"));
        assert_eq!(d("15E+0"), d("15"));
        // Leading zeros are not significant digits: forty of them still parse.
        assert_eq!(d(&format!("{}1.5", "0".repeat(40))), d("1.5"));
        assert_eq!(d(&format!("0.{}15", "0".repeat(30))).scale(), 32);
        // Trailing zeros past the largest scale are dropped, not refused.
        for s in ["1.0e-38", "100e-40", "1.000e-38"] {
            let x = d(s);
            assert_eq!((x.mantissa(), x.scale()), (1, 38), "{s}");
        }
        assert!(matches!(
            Decimal::parse("1.1e-38"),
            Err(DecimalError::OutOfRange(_))
        ));
    }

    #[test]
    fn decode_errors_show_a_bounded_excerpt() {
        let long = format!("\"{}\"", "x".repeat(60));
        let err = serde_json::from_str::<Decimal>(&long)
            .unwrap_err()
            .to_string();
        assert!(err.contains(&format!("`\"{}…`", "x".repeat(39))), "{err}");
        let err = serde_json::from_str::<Decimal>("\"abc\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`\"abc\"`"), "{err}");
    }

    #[test]
    fn the_fast_path_takes_plain_numbers_up_to_19_digits() {
        let tiny = format!("-0.{}1", "0".repeat(17));
        for s in [
            "7",
            "-7",
            "-97.5",
            "9999999999999999999",
            "999999999.9999999999",
            &tiny,
        ] {
            let fast = parse_plain(s.as_bytes()).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(
                (fast.mantissa, fast.scale),
                (d(s).mantissa, d(s).scale),
                "{s}"
            );
        }
        for s in ["99999999999999999999", "1234567890.1234567890", "1e5", "+3"] {
            assert!(parse_plain(s.as_bytes()).is_none(), "{s}");
        }
    }

    proptest! {
        #[test]
        fn fast_and_general_parsers_agree(int in "-?[0-9]{1,12}", frac in proptest::option::of("[0-9]{1,12}")) {
            let s = match frac { Some(f) => format!("{int}.{f}"), None => int };
            let fast = parse_plain(s.as_bytes());
            let general = parse_bytes(s.as_bytes()).ok();
            if let Some(f) = fast {
                let g = general.unwrap();
                prop_assert_eq!((f.mantissa, f.scale), (g.mantissa, g.scale));
            }
        }

        #[test]
        fn to_f64_is_the_correctly_rounded_value(m in -(1i64 << 54)..(1i64 << 54), s in 0u32..=24) {
            // Mantissas on both sides of the fast path's 2^53 bound, and
            // scales on both sides of 10^22: always what parsing the exact
            // text gives (the correctly rounded f64).
            let x = Decimal::new(i128::from(m), s).unwrap();
            let parsed: f64 = x.to_string().parse().unwrap();
            prop_assert_eq!(x.to_f64().to_bits(), parsed.to_bits());
        }

        #[test]
        fn display_parse_round_trip(m in any::<i64>(), s in 0u32..=20) {
            let x = Decimal::new(i128::from(m), s).unwrap();
            prop_assert_eq!(x.to_string().parse::<Decimal>().unwrap().to_string(), x.to_string());
        }

        #[test]
        fn every_sum_parses_back(a in any::<i128>(), sa in 0u32..=38, b in any::<i128>(), sb in 0u32..=38) {
            let x = Decimal::new(a, sa).unwrap();
            let y = Decimal::new(b, sb).unwrap();
            for v in [x, y].into_iter().chain(x.checked_add(y)) {
                let back = Decimal::parse(&v.to_string()).unwrap();
                prop_assert_eq!((back.mantissa, back.scale), (v.mantissa, v.scale));
            }
        }

        #[test]
        fn addition_is_exact(a in any::<i64>(), sa in 0u32..=18, b in any::<i64>(), sb in 0u32..=18) {
            let x = Decimal::new(i128::from(a), sa).unwrap();
            let y = Decimal::new(i128::from(b), sb).unwrap();
            let s = x.checked_add(y).unwrap();
            prop_assert_eq!(s.checked_sub(y).unwrap(), x);
            prop_assert_eq!(x.checked_add(y).unwrap(), y.checked_add(x).unwrap());
        }

        #[test]
        fn order_matches_f64_when_far_apart(a in -1e12f64..1e12, b in -1e12f64..1e12) {
            prop_assume!((a - b).abs() > 1e-3);
            let x: Decimal = format!("{a:.6}").parse().unwrap();
            let y: Decimal = format!("{b:.6}").parse().unwrap();
            prop_assert_eq!(x < y, a < b);
        }
    }
}
