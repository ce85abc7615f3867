//! Currency-tagged amounts: amounts in different currencies are never added.
//!
//! * [`Money`] is an exact [`Decimal`] tagged with its [`Currency`]. It has no
//!   `Add`: [`Money::checked_add`] refuses a different currency.
//! * [`Usd`] is the one amount that may be summed across customers, because
//!   Partner Center gives every record a `usdTotalCost`. Its currency is in
//!   its type, so it adds freely (checked for overflow).
//! * [`CurrencyTotals`] keeps one exact total per currency.
//!
//! ```
//! use partner_usage_core::money::{Currency, CurrencyTotals, Money};
//! let sek = Money::new("120.5682999999995904716".parse().unwrap(), Currency::iso("SEK"));
//! let gbp = Money::new("27.23".parse().unwrap(), Currency::iso("GBP"));
//! assert!(sek.checked_add(&gbp).is_err());
//!
//! let mut totals = CurrencyTotals::default();
//! totals.add(&sek).unwrap();
//! totals.add(&gbp).unwrap();
//! totals.add(&sek).unwrap();
//! assert_eq!(totals.get(&Currency::iso("SEK")).unwrap().to_string(), "241.1365999999991809432");
//! assert_eq!(totals.len(), 2);
//! ```

use crate::decimal::{Decimal, DecimalError};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The currency of an amount.
///
/// Modern (Azure plan) records carry an ISO 4217 `currencyCode`. Legacy
/// customers carry only a `currencyLocale` such as `fr-FR`: their amounts are
/// grouped by that locale and labelled as legacy, never merged with a code.
///
/// The constructors normalise (an ISO code is trimmed and upper-cased, a
/// locale trimmed, a blank one is [`Currency::UNKNOWN`]), and there is no other
/// way to build one, so equal currencies always compare equal.
///
/// ```
/// use partner_usage_core::money::Currency;
/// assert_eq!(Currency::iso(" sek"), Currency::iso("SEK"));
/// assert_eq!(Currency::iso(""), Currency::UNKNOWN);
/// assert_ne!(Currency::legacy_locale("sv-SE"), Currency::iso("SEK"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(Repr);

/// Ordered as before the newtype: ISO codes, then legacy locales, then unknown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Repr {
    Iso(String),
    LegacyLocale(String),
    Unknown,
}

impl Currency {
    /// Neither a code nor a locale was sent.
    pub const UNKNOWN: Currency = Currency(Repr::Unknown);

    /// An ISO 4217 currency; the code is trimmed and upper-cased, and a blank
    /// one is [`Currency::UNKNOWN`].
    ///
    /// ```
    /// use partner_usage_core::money::Currency;
    /// assert_eq!(Currency::iso("gbp").code(), Some("GBP"));
    /// ```
    pub fn iso(code: &str) -> Currency {
        match code.trim() {
            "" => Currency::UNKNOWN,
            c => Currency(Repr::Iso(c.to_ascii_uppercase())),
        }
    }

    /// A legacy customer's currency, known only by its locale (`fr-FR`); the
    /// locale is trimmed, and a blank one is [`Currency::UNKNOWN`].
    ///
    /// ```
    /// use partner_usage_core::money::Currency;
    /// assert_eq!(Currency::legacy_locale(" fr-FR ").locale(), Some("fr-FR"));
    /// ```
    pub fn legacy_locale(locale: &str) -> Currency {
        match locale.trim() {
            "" => Currency::UNKNOWN,
            l => Currency(Repr::LegacyLocale(l.to_string())),
        }
    }

    /// The currency of a record from its optional `currencyCode` and
    /// `currencyLocale`: the code wins; a locale alone means legacy.
    ///
    /// ```
    /// use partner_usage_core::money::Currency;
    /// assert_eq!(Currency::from_fields(Some("SEK"), None), Currency::iso("SEK"));
    /// assert_eq!(Currency::from_fields(None, Some("fr-FR")), Currency::legacy_locale("fr-FR"));
    /// assert_eq!(Currency::from_fields(Some(""), None), Currency::UNKNOWN);
    /// ```
    pub fn from_fields(code: Option<&str>, locale: Option<&str>) -> Currency {
        match Currency::iso(code.unwrap_or("")) {
            Currency(Repr::Unknown) => Currency::legacy_locale(locale.unwrap_or("")),
            iso => iso,
        }
    }

    /// The ISO code, if this is an ISO currency.
    pub fn code(&self) -> Option<&str> {
        match &self.0 {
            Repr::Iso(c) => Some(c),
            _ => None,
        }
    }

    /// The locale, if this is a legacy customer's locale-only currency.
    pub fn locale(&self) -> Option<&str> {
        match &self.0 {
            Repr::LegacyLocale(l) => Some(l),
            _ => None,
        }
    }

    /// Whether this is a legacy customer's locale-only currency.
    pub fn is_legacy(&self) -> bool {
        matches!(self.0, Repr::LegacyLocale(_))
    }

    /// Whether neither a code nor a locale was sent.
    pub fn is_unknown(&self) -> bool {
        self.0 == Repr::Unknown
    }

    /// A stable label: `SEK`, `legacy:fr-FR` or `unknown`. Used as a key in
    /// exports and in JavaScript.
    ///
    /// ```
    /// use partner_usage_core::money::Currency;
    /// assert_eq!(Currency::legacy_locale("fr-FR").label(), "legacy:fr-FR");
    /// ```
    pub fn label(&self) -> String {
        match &self.0 {
            Repr::Iso(c) => c.clone(),
            Repr::LegacyLocale(l) => format!("legacy:{l}"),
            Repr::Unknown => "unknown".to_string(),
        }
    }
}

/// The [label](Currency::label); width, fill and alignment apply.
///
/// ```
/// use partner_usage_core::money::Currency;
/// assert_eq!(format!("[{:>5}]", Currency::iso("sek")), "[  SEK]");
/// ```
impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.label())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why two amounts could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MoneyError {
    /// The amounts are in different currencies.
    CurrencyMismatch {
        /// The left-hand currency.
        left: Currency,
        /// The right-hand currency.
        right: Currency,
    },
    /// The exact sum overflowed.
    Decimal(DecimalError),
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::CurrencyMismatch { left, right } => {
                write!(f, "can't add an amount in {right} to an amount in {left}")
            }
            MoneyError::Decimal(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for MoneyError {}

impl From<DecimalError> for MoneyError {
    fn from(e: DecimalError) -> Self {
        MoneyError::Decimal(e)
    }
}

/// An exact amount in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Money {
    /// The exact amount.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// An amount in a currency.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// The exact sum, or an error if the currencies differ or it overflows.
    ///
    /// ```
    /// use partner_usage_core::money::{Currency, Money};
    /// let a = Money::new("1.10".parse().unwrap(), Currency::iso("EUR"));
    /// let b = Money::new("2.2".parse().unwrap(), Currency::iso("EUR"));
    /// assert_eq!(a.checked_add(&b).unwrap().amount.to_string(), "3.30");
    /// ```
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch {
                left: self.currency.clone(),
                right: other.currency.clone(),
            });
        }
        Ok(Money {
            amount: self.amount.checked_add(other.amount)?,
            currency: self.currency.clone(),
        })
    }
}

/// The amount, then the currency. A precision (`{:.2}`) rounds the amount
/// as [`Decimal`'s `Display`](Decimal#impl-Display-for-Decimal) does; a
/// width pads the whole, right-aligned by default.
///
/// ```
/// use partner_usage_core::money::{Currency, Money};
/// let m = Money::new("1234.5678".parse().unwrap(), Currency::iso("eur"));
/// assert_eq!(format!("{m}"), "1234.5678 EUR");
/// assert_eq!(format!("[{m:>12.2}]"), "[ 1234.57 EUR]");
/// ```
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match f.precision() {
            Some(p) => format!("{:.p$} {}", self.amount, self.currency),
            None => format!("{} {}", self.amount, self.currency),
        };
        pad(f, &text)
    }
}

/// Writes `text` within the formatter's width, fill and alignment (right by
/// default), ignoring its precision (which has been applied already).
fn pad(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let len = text.chars().count();
    let Some(room) = f.width().and_then(|w| w.checked_sub(len)) else {
        return f.write_str(text);
    };
    let (before, after) = match f.align() {
        Some(fmt::Alignment::Left) => (0, room),
        Some(fmt::Alignment::Center) => (room / 2, room - room / 2),
        Some(fmt::Alignment::Right) | None => (room, 0),
    };
    let fill = f.fill();
    for _ in 0..before {
        fmt::Write::write_char(f, fill)?;
    }
    f.write_str(text)?;
    for _ in 0..after {
        fmt::Write::write_char(f, fill)?;
    }
    Ok(())
}

/// An exact amount in US dollars (Partner Center's `usdTotalCost`): the only
/// amount that may be summed across customers and currencies.
///
/// ```
/// use partner_usage_core::money::Usd;
/// let a = Usd("12.39999999999999985235".parse().unwrap());
/// let b = Usd("33.280000000000001044".parse().unwrap());
/// assert_eq!(a.checked_add(b).unwrap().to_string(), "45.68000000000000089635 USD");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Usd(pub Decimal);

impl Usd {
    /// Zero dollars.
    pub const ZERO: Usd = Usd(Decimal::ZERO);

    /// The exact sum, or [`DecimalError::Overflow`].
    pub fn checked_add(self, other: Usd) -> Result<Usd, DecimalError> {
        Ok(Usd(self.0.checked_add(other.0)?))
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} USD", self.0)
    }
}

/// One exact running total per currency. Currencies are never mixed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurrencyTotals {
    totals: BTreeMap<Currency, Decimal>,
}

impl CurrencyTotals {
    /// Adds an amount to its currency's total.
    pub fn add(&mut self, money: &Money) -> Result<(), DecimalError> {
        self.add_amount(&money.currency, money.amount)
    }

    /// Adds a bare amount to a currency's total.
    pub fn add_amount(&mut self, currency: &Currency, amount: Decimal) -> Result<(), DecimalError> {
        match self.totals.get_mut(currency) {
            Some(t) => *t = t.checked_add(amount)?,
            None => {
                self.totals.insert(currency.clone(), amount);
            }
        }
        Ok(())
    }

    /// Merges another set of totals into this one: all or nothing (on an
    /// overflow in one currency, no total changes).
    ///
    /// ```
    /// use partner_usage_core::money::{Currency, CurrencyTotals, Money};
    /// let mut a = CurrencyTotals::default();
    /// a.add(&Money::new("1".parse().unwrap(), Currency::iso("EUR"))).unwrap();
    /// let mut b = CurrencyTotals::default();
    /// b.add(&Money::new("2".parse().unwrap(), Currency::iso("EUR"))).unwrap();
    /// a.merge(&b).unwrap();
    /// assert_eq!(a.get(&Currency::iso("EUR")).unwrap().to_string(), "3");
    /// ```
    pub fn merge(&mut self, other: &CurrencyTotals) -> Result<(), DecimalError> {
        let sums = other
            .totals
            .iter()
            .map(|(c, v)| match self.totals.get(c) {
                Some(t) => Ok((c, t.checked_add(*v)?)),
                None => Ok((c, *v)),
            })
            .collect::<Result<Vec<_>, DecimalError>>()?;
        for (c, v) in sums {
            self.totals.insert(c.clone(), v);
        }
        Ok(())
    }

    /// The total of one currency.
    pub fn get(&self, currency: &Currency) -> Option<&Decimal> {
        self.totals.get(currency)
    }

    /// The number of currencies.
    pub fn len(&self) -> usize {
        self.totals.len()
    }

    /// Whether no amount was added.
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// The totals as [`Money`], ordered by currency.
    pub fn iter(&self) -> impl Iterator<Item = Money> + '_ {
        self.totals.iter().map(|(c, v)| Money::new(*v, c.clone()))
    }
}

impl Serialize for CurrencyTotals {
    /// Serialises as a list of `{ amount, currency }` objects.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(v: &str, c: Currency) -> Money {
        Money::new(v.parse().unwrap(), c)
    }

    #[test]
    fn legacy_locale_is_its_own_currency() {
        let legacy = m("1", Currency::legacy_locale("fr-FR"));
        let eur = m("1", Currency::iso("EUR"));
        assert!(matches!(
            legacy.checked_add(&eur),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
        let msg = legacy.checked_add(&eur).unwrap_err().to_string();
        assert_eq!(
            msg,
            "can't add an amount in EUR to an amount in legacy:fr-FR"
        );
    }

    #[test]
    fn totals_keep_currencies_apart() {
        let mut t = CurrencyTotals::default();
        t.add(&m("0.1", Currency::iso("EUR"))).unwrap();
        t.add(&m("0.2", Currency::iso("eur"))).unwrap();
        t.add(&m("5", Currency::iso("JPY"))).unwrap();
        assert_eq!(t.get(&Currency::iso("EUR")).unwrap().to_string(), "0.3");
        assert_eq!(t.len(), 2);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"[{"amount":"0.3","currency":"EUR"},{"amount":"5","currency":"JPY"}]"#
        );
    }

    #[test]
    fn currency_from_fields_code_wins_blank_is_absent() {
        assert_eq!(
            Currency::from_fields(Some(" sek "), Some("sv-SE")),
            Currency::iso("SEK")
        );
        assert_eq!(
            Currency::from_fields(Some("  "), Some(" fr-FR ")),
            Currency::legacy_locale("fr-FR")
        );
        assert_eq!(Currency::from_fields(None, Some("  ")), Currency::UNKNOWN);
        assert_eq!(Currency::from_fields(None, None), Currency::UNKNOWN);
    }

    #[test]
    fn currency_code_and_legacy_flag() {
        let iso = Currency::iso("sek");
        let legacy = Currency::legacy_locale("fr-FR");
        assert_eq!(iso.code(), Some("SEK"));
        assert_eq!(legacy.code(), None);
        assert_eq!(Currency::UNKNOWN.code(), None);
        assert!(!iso.is_legacy());
        assert!(legacy.is_legacy());
        assert!(!Currency::UNKNOWN.is_legacy());
        assert_eq!(Currency::UNKNOWN.to_string(), "unknown");
        assert_eq!(legacy.locale(), Some("fr-FR"));
        assert_eq!(iso.locale(), None);
        assert!(Currency::UNKNOWN.is_unknown() && !iso.is_unknown() && !legacy.is_unknown());
    }

    #[test]
    fn merge_is_all_or_nothing() {
        let big = "99999999999999999999999999999999999999";
        let mut a = CurrencyTotals::default();
        a.add(&m("1", Currency::iso("EUR"))).unwrap();
        a.add(&m(big, Currency::iso("SEK"))).unwrap();
        let mut b = CurrencyTotals::default();
        b.add(&m("2", Currency::iso("EUR"))).unwrap();
        b.add(&m(big, Currency::iso("SEK"))).unwrap();
        b.add(&m("3", Currency::iso("USD"))).unwrap();
        let before = a.clone();
        assert!(a.merge(&b).is_err());
        assert_eq!(
            a, before,
            "EUR (merged before SEK overflowed) and USD untouched"
        );
        b = CurrencyTotals::default();
        b.add(&m("2", Currency::iso("EUR"))).unwrap();
        b.add(&m("3", Currency::iso("USD"))).unwrap();
        a.merge(&b).unwrap();
        assert_eq!(a.get(&Currency::iso("EUR")).unwrap().to_string(), "3");
        assert_eq!(a.get(&Currency::iso("USD")).unwrap().to_string(), "3");
    }

    #[test]
    fn every_constructor_normalises_so_equal_currencies_are_equal() {
        assert_eq!(Currency::iso(" sek\t"), Currency::iso("SEK"));
        assert_eq!(Currency::iso(" "), Currency::UNKNOWN);
        assert_eq!(
            Currency::legacy_locale(" fr-FR "),
            Currency::legacy_locale("fr-FR")
        );
        assert_eq!(Currency::legacy_locale(""), Currency::UNKNOWN);
        // Totals list ISO codes first, then legacy locales, then unknown.
        let mut all = [
            Currency::UNKNOWN,
            Currency::legacy_locale("de-DE"),
            Currency::iso("USD"),
            Currency::iso("EUR"),
        ];
        all.sort();
        let labels: Vec<String> = all.iter().map(Currency::label).collect();
        assert_eq!(labels, ["EUR", "USD", "legacy:de-DE", "unknown"]);
    }

    #[test]
    fn money_and_usd_display_and_add() {
        assert_eq!(m("1.50", Currency::iso("EUR")).to_string(), "1.50 EUR");
        assert_eq!(
            m("2", Currency::legacy_locale("fr-FR")).to_string(),
            "2 legacy:fr-FR"
        );
        let a = Usd("0.1".parse().unwrap());
        let b = Usd("0.25".parse().unwrap());
        let sum = a.checked_add(b).unwrap();
        assert_eq!(sum, Usd("0.35".parse().unwrap()));
        assert_eq!(sum.to_string(), "0.35 USD");
    }

    #[test]
    fn totals_merge_and_is_empty() {
        let mut a = CurrencyTotals::default();
        assert!(a.is_empty());
        a.add(&m("1", Currency::iso("EUR"))).unwrap();
        assert!(!a.is_empty());
        let mut b = CurrencyTotals::default();
        b.add(&m("2", Currency::iso("EUR"))).unwrap();
        b.add(&m("3", Currency::iso("JPY"))).unwrap();
        a.merge(&b).unwrap();
        assert_eq!(a.get(&Currency::iso("EUR")).unwrap().to_string(), "3");
        assert_eq!(a.get(&Currency::iso("JPY")).unwrap().to_string(), "3");
        assert_eq!(a.len(), 2);
        // Merging leaves the source untouched.
        assert_eq!(b.get(&Currency::iso("EUR")).unwrap().to_string(), "2");
    }
}
