//! Budget status: the percentage used, recomputed exactly, and its status.

use crate::decimal::{Decimal, MAX_SCALE};
use serde::Serialize;

/// Where a customer stands against its spending budget.
///
/// Serialises as `no-budget`, `under`, `unknown`, `near` or `over`. The
/// order is of concern: a customer billed in two currencies counts once, by
/// the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BudgetStatus {
    /// No budget amount is set.
    NoBudget,
    /// Below the near threshold.
    Under,
    /// A budget is set but the cost isn't known: a record came without
    /// `totalCost`, so the sum is of the records that had one and can't be
    /// compared with the budget.
    Unknown,
    /// At or above the near threshold, and not over.
    Near,
    /// Over budget: more than 100 % used (the cost exceeds the budget).
    Over,
}

impl BudgetStatus {
    /// The serialised name: `no-budget`, `under`, `unknown`, `near` or `over`.
    ///
    /// ```
    /// use partner_usage_core::aggregate::BudgetStatus;
    /// assert_eq!(BudgetStatus::NoBudget.as_str(), "no-budget");
    /// assert_eq!(BudgetStatus::Unknown.as_str(), "unknown");
    /// assert!(BudgetStatus::Under < BudgetStatus::Unknown && BudgetStatus::Unknown < BudgetStatus::Near);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetStatus::NoBudget => "no-budget",
            BudgetStatus::Under => "under",
            BudgetStatus::Unknown => "unknown",
            BudgetStatus::Near => "near",
            BudgetStatus::Over => "over",
        }
    }
}

/// The result of [`budget_check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BudgetCheck {
    /// The status.
    pub status: BudgetStatus,
    /// `cost / budget × 100`, rounded half away from zero to 2 decimals (as
    /// Partner Center rounds `percentUsed`); `None` without a positive budget.
    pub percent_computed: Option<Decimal>,
    /// Whether the reported `percentUsed` differs from the computed
    /// percentage by more than 0.01 percentage points.
    pub percent_disagrees: bool,
}

/// `amount / budget × 100`, truncated toward zero to `scale` fractional
/// digits, computed exactly with integer long division (no `f64`).
/// `None` when `budget` is zero or the quotient doesn't fit.
///
/// ```
/// use partner_usage_core::aggregate::percent_of;
/// let cost = "120.5682999999995904716".parse().unwrap();
/// let budget = "20".parse().unwrap();
/// assert_eq!(percent_of(cost, budget, 6).unwrap().to_string(), "602.841499");
/// assert_eq!(percent_of(cost, "0".parse().unwrap(), 6), None);
/// ```
pub fn percent_of(amount: Decimal, budget: Decimal, scale: u32) -> Option<Decimal> {
    if budget.is_zero() || scale > MAX_SCALE {
        return None;
    }
    let a = amount.mantissa().unsigned_abs();
    let b = budget.mantissa().unsigned_abs();
    // (a·10^-sa) / (b·10^-sb) · 100 · 10^scale = a · 10^m / b
    let m = 2 + i64::from(scale) + i64::from(budget.scale()) - i64::from(amount.scale());
    let q = i128::try_from(scaled_quotient(a, b, m)?).ok()?;
    let q = if amount.is_negative() != budget.is_negative() {
        -q
    } else {
        q
    };
    Decimal::new(q, scale)
}

/// `floor(a · 10^m / b)` for `b > 0`, or `None` on overflow.
fn scaled_quotient(a: u128, b: u128, m: i64) -> Option<u128> {
    if m < 0 {
        // floor(floor(a / d) / b) == floor(a / (d·b)) for positive integers.
        return Some(
            match u32::try_from(-m).ok().and_then(|e| 10u128.checked_pow(e)) {
                Some(d) => a / d / b,
                None => 0, // 10^-m exceeds any u128
            },
        );
    }
    let (mut q, mut r) = (a / b, a % b);
    for _ in 0..m {
        r = r.checked_mul(10)?;
        q = q.checked_mul(10)?.checked_add(r / b)?;
        r %= b;
    }
    Some(q)
}

/// Decides a customer's [`BudgetStatus`] and checks the reported `percentUsed`.
///
/// * No `budget` amount: [`BudgetStatus::NoBudget`].
/// * A budget of zero or less: [`BudgetStatus::Over`] if the cost exceeds
///   it, otherwise [`BudgetStatus::Under`]; no percentage.
/// * Otherwise the percentage `cost / budget × 100` is computed exactly
///   enough to compare: [`BudgetStatus::Over`] when the cost exceeds the
///   budget (over 100 %), [`BudgetStatus::Near`] when the percentage is at
///   or above `near_threshold` (a percentage, 80 by default in the options),
///   else [`BudgetStatus::Under`]. The comparison with the threshold is exact
///   for non-negative costs: the percentage is truncated to at least as
///   many digits as the threshold has.
/// * `percent_disagrees` is true when `reported` differs from the exact
///   percentage by more than 0.01 percentage points. Partner Center rounds
///   `percentUsed` to 2 decimals, so a rounding difference (at most 0.005)
///   never counts as a disagreement.
///
/// ```
/// use partner_usage_core::aggregate::{budget_check, BudgetStatus};
/// use partner_usage_core::decimal::Decimal;
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let c = budget_check(d("120.5682999999995904716"), Some(d("20")), Some(d("602.84")), d("80"));
/// assert_eq!(c.status, BudgetStatus::Over);
/// assert_eq!(c.percent_computed.unwrap().to_string(), "602.84");
/// assert!(!c.percent_disagrees);
/// assert_eq!(budget_check(d("80"), Some(d("100")), None, d("80")).status, BudgetStatus::Near);
/// assert_eq!(budget_check(d("79.99"), Some(d("100")), None, d("80")).status, BudgetStatus::Under);
/// assert!(budget_check(d("50"), Some(d("100")), Some(d("5")), d("80")).percent_disagrees);
/// ```
pub fn budget_check(
    cost: Decimal,
    budget: Option<Decimal>,
    reported: Option<Decimal>,
    near_threshold: Decimal,
) -> BudgetCheck {
    let Some(budget) = budget else {
        return BudgetCheck {
            status: BudgetStatus::NoBudget,
            percent_computed: None,
            percent_disagrees: false,
        };
    };
    let over_or_under = if cost > budget {
        BudgetStatus::Over
    } else {
        BudgetStatus::Under
    };
    if budget <= Decimal::ZERO {
        return BudgetCheck {
            status: over_or_under,
            percent_computed: None,
            percent_disagrees: false,
        };
    }
    let scale = near_threshold.scale().max(6);
    let percent = percent_of(cost, budget, scale);
    let near = match percent {
        Some(p) => p >= near_threshold,
        // Only for amounts beyond any real budget: compare approximately.
        None => cost.to_f64() / budget.to_f64() * 100.0 >= near_threshold.to_f64(),
    };
    let status = match over_or_under {
        BudgetStatus::Under if near => BudgetStatus::Near,
        s => s,
    };
    let percent_disagrees = match (reported, percent) {
        (Some(r), Some(p)) => differ_by_more_than_a_hundredth(r, p),
        _ => false,
    };
    BudgetCheck {
        status,
        percent_computed: percent.map(|p| p.round_dp(2)),
        percent_disagrees,
    }
}

/// `|a − b| > 0.01`, exactly (an overflowing difference is certainly larger).
fn differ_by_more_than_a_hundredth(a: Decimal, b: Decimal) -> bool {
    let tolerance = Decimal::new(1, 2).unwrap_or(Decimal::ZERO);
    match a.checked_sub(b) {
        Ok(diff) if diff.is_negative() => diff.checked_neg().map_or(true, |n| n > tolerance),
        Ok(diff) => diff > tolerance,
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn seed_percentages_agree_with_partner_center() {
        let uk = budget_check(
            d("27.23292827625710931604"),
            Some(d("97")),
            Some(d("28.08")),
            d("80"),
        );
        assert_eq!(uk.status, BudgetStatus::Under);
        assert_eq!(uk.percent_computed, Some(d("28.08")));
        assert!(!uk.percent_disagrees);
        assert_eq!(
            percent_of(d("27.23292827625710931604"), d("97"), 10)
                .unwrap()
                .to_string(),
            "28.0751837899"
        );
    }

    #[test]
    fn thresholds_are_exact() {
        // 80.000001 % is near, 79.999999 % is not, at any threshold scale.
        assert_eq!(
            budget_check(d("0.80000001"), Some(d("1")), None, d("80")).status,
            BudgetStatus::Near
        );
        assert_eq!(
            budget_check(d("0.79999999"), Some(d("1")), None, d("80")).status,
            BudgetStatus::Under
        );
        // 1/3 = 33.333…%: exactly below a threshold of 33.3333333333334
        assert_eq!(
            budget_check(d("1"), Some(d("3")), None, d("33.3333333333334")).status,
            BudgetStatus::Under
        );
        assert_eq!(
            budget_check(d("1"), Some(d("3")), None, d("33.3333333333333")).status,
            BudgetStatus::Near
        );
        // Exactly 100 % is not over; a hair more is.
        assert_eq!(
            budget_check(d("20"), Some(d("20.00")), None, d("80")).status,
            BudgetStatus::Near
        );
        assert_eq!(
            budget_check(d("20.0000000000000000001"), Some(d("20")), None, d("80")).status,
            BudgetStatus::Over
        );
    }

    #[test]
    fn missing_zero_and_negative_budgets() {
        assert_eq!(
            budget_check(d("5"), None, Some(d("0")), d("80")).status,
            BudgetStatus::NoBudget
        );
        let zero = budget_check(d("5"), Some(d("0")), Some(d("0")), d("80"));
        assert_eq!(
            (zero.status, zero.percent_computed),
            (BudgetStatus::Over, None)
        );
        assert_eq!(
            budget_check(d("0"), Some(d("0")), None, d("80")).status,
            BudgetStatus::Under
        );
        let credit = budget_check(d("-5"), Some(d("10")), None, d("80"));
        assert_eq!(credit.status, BudgetStatus::Under);
        assert_eq!(credit.percent_computed, Some(d("-50")));
    }

    #[test]
    fn disagreement_tolerance_is_one_hundredth() {
        let c =
            |r: &str| budget_check(d("50"), Some(d("100")), Some(d(r)), d("80")).percent_disagrees;
        assert!(!c("50.01"));
        assert!(!c("49.99"));
        assert!(c("50.011"));
        assert!(c("49.989"));
    }

    #[test]
    fn percent_of_takes_every_scale_up_to_38() {
        assert_eq!(
            percent_of(d("1"), d("300"), MAX_SCALE).unwrap().scale(),
            MAX_SCALE
        );
        assert_eq!(percent_of(d("1"), d("300"), MAX_SCALE + 1), None);
        assert_eq!(percent_of(d("1"), d("0.00"), 2), None);
        assert_eq!(percent_of(d("1"), d("3"), 2), Some(d("33.33")));
    }

    #[test]
    fn beyond_exact_percentages_the_threshold_still_applies() {
        // Near 10^38 the exact quotient overflows: the f64 comparison decides.
        let budget = Decimal::new(10i128.pow(38), 0).unwrap();
        let at = |tenths: i128| Decimal::new(tenths * 10i128.pow(37), 0).unwrap();
        assert_eq!(percent_of(at(9), budget, 6), None);
        let status = |cost| budget_check(cost, Some(budget), None, d("80")).status;
        assert_eq!(status(at(9)), BudgetStatus::Near);
        assert_eq!(status(at(5)), BudgetStatus::Under);
        assert_eq!(status(at(8)), BudgetStatus::Near);
    }

    #[test]
    fn status_names() {
        let names = [
            BudgetStatus::NoBudget,
            BudgetStatus::Under,
            BudgetStatus::Near,
            BudgetStatus::Over,
        ]
        .map(BudgetStatus::as_str);
        assert_eq!(names, ["no-budget", "under", "near", "over"]);
    }

    #[test]
    fn huge_values_do_not_panic() {
        let big = Decimal::new(i128::MAX, 0).unwrap();
        let tiny = Decimal::new(1, 38).unwrap();
        assert_eq!(percent_of(big, tiny, 6), None);
        assert_eq!(
            budget_check(big, Some(tiny), None, d("80")).status,
            BudgetStatus::Over
        );
        assert_eq!(percent_of(tiny, big, 6).unwrap(), Decimal::ZERO);
        let min = Decimal::new(i128::MIN, 0).unwrap();
        assert_eq!(percent_of(min, d("1"), 0), None);
        let c = budget_check(min, Some(big), Some(big), d("80"));
        assert_eq!(c.status, BudgetStatus::Under);
    }
}
