//! Where the month is heading: month-to-date, run rate and a month-end
//! forecast of a customer's cost against its budget.
//!
//! # Method
//!
//! The input is the cost of each day of the current month up to an "as of"
//! day `D` (days without an entry cost 0), the month's length `L` and an
//! optional budget.
//!
//! * **Month to date** is the exact sum of the daily costs ([`Decimal`]).
//! * **Run rate** is month-to-date ÷ `D`, per day; `runRateMonthEnd` is the
//!   run rate × `L`, the naive forecast.
//! * **Trend**: an ordinary least-squares line `cost(d) = a + b·d` fitted to
//!   the **daily** totals of days `1..=D` (not to the cumulative totals), so
//!   a spend that ramps up is projected to keep ramping. With one day of
//!   data the line is flat at that day's cost; with none, it is zero.
//! * **Forecast at month end** = month-to-date + Σ over the remaining days
//!   `D+1..=L` of `max(0, a + b·d)`: a falling trend is never projected
//!   below zero spend.
//! * **Exceeds budget on day**: the first day whose cumulative cost is
//!   strictly above the budget: an exact comparison on the actual days
//!   (`alreadyOverBudget` is then true), then on the projected cumulative
//!   cost. `None` when the month ends within budget, or without a budget.
//!
//! The projections are `f64`: they are estimates for display, and no sum of
//! actual money passes through `f64`.
//!
//! ```
//! use partner_usage_core::forecast::{forecast, ForecastInput};
//! let mut input = ForecastInput::new(30).budget("250".parse().unwrap());
//! for day in 1..=10 {
//!     input = input.day(day, "10".parse().unwrap());
//! }
//! let f = forecast(&input).unwrap();
//! assert_eq!(f.month_to_date.to_string(), "100");
//! assert_eq!(f.run_rate_per_day, 10.0);
//! assert_eq!(f.forecast_month_end, 300.0);
//! assert_eq!(f.exceeds_budget_on_day, Some(26)); // 260 > 250
//! ```

use crate::aggregate::{lenient_decimal, lenient_decimal_opt};
use crate::decimal::Decimal;
use crate::error::Error;
use serde::{Deserialize, Serialize};

/// The cost of one day of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DailyCost {
    /// The day of the month, from 1.
    pub day: u32,
    /// The day's cost; from JavaScript a string (exact) or a number.
    #[serde(deserialize_with = "lenient_decimal")]
    pub cost: Decimal,
}

/// What [`forecast`] needs. From JavaScript:
/// `{ daily: [{ day: 1, cost: '12.30' }, …], daysInMonth: 30, asOfDay: 10, budget: '500' }`.
///
/// ```
/// use partner_usage_core::forecast::ForecastInput;
/// let i: ForecastInput = serde_json::from_str(
///     r#"{"daily":[{"day":1,"cost":"12.30"}],"daysInMonth":30,"budget":500}"#).unwrap();
/// assert_eq!(i.daily[0].cost.to_string(), "12.30");
/// assert_eq!(i.as_of_day, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct ForecastInput {
    /// The daily costs; a day may appear more than once (its costs are
    /// summed) or not at all (it cost 0).
    #[serde(default)]
    pub daily: Vec<DailyCost>,
    /// The number of days in the month (1 to 31); see [`crate::time::days_in_month`].
    pub days_in_month: u32,
    /// The last day with data; default: the latest day in `daily` (0 if none).
    #[serde(default)]
    pub as_of_day: Option<u32>,
    /// The budget, in the same currency as the costs.
    #[serde(default, deserialize_with = "lenient_decimal_opt")]
    pub budget: Option<Decimal>,
}

impl ForecastInput {
    /// An input for a month of `days_in_month` days, without data.
    pub fn new(days_in_month: u32) -> ForecastInput {
        ForecastInput {
            daily: Vec::new(),
            days_in_month,
            as_of_day: None,
            budget: None,
        }
    }

    /// With one more day's cost.
    #[must_use]
    pub fn day(mut self, day: u32, cost: Decimal) -> ForecastInput {
        self.daily.push(DailyCost { day, cost });
        self
    }

    /// With a budget.
    #[must_use]
    pub fn budget(mut self, budget: Decimal) -> ForecastInput {
        self.budget = Some(budget);
        self
    }

    /// With an explicit last day of data.
    #[must_use]
    pub fn as_of(mut self, day: u32) -> ForecastInput {
        self.as_of_day = Some(day);
        self
    }
}

/// One day of a [`Forecast`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ForecastDay {
    /// The day of the month.
    pub day: u32,
    /// The actual cost, exact (days up to the as-of day).
    pub actual: Option<Decimal>,
    /// The actual cumulative cost, exact (days up to the as-of day).
    pub cumulative_actual: Option<Decimal>,
    /// The projected cost (days after the as-of day).
    pub projected: Option<f64>,
    /// The cumulative cost, actual then projected, for charting.
    pub cumulative_number: f64,
}

/// What [`forecast`] returns (see the module docs for the method).
///
/// JSON: `{ daysInMonth, daysElapsed, monthToDate, monthToDateNumber,
/// runRatePerDay, runRateMonthEnd, trendIntercept, trendSlopePerDay,
/// forecastMonthEnd, budget, budgetNumber, forecastPercentOfBudget,
/// exceedsBudgetOnDay, alreadyOverBudget, days }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Forecast {
    /// The month's length.
    pub days_in_month: u32,
    /// The as-of day `D`.
    pub days_elapsed: u32,
    /// The exact month-to-date cost.
    pub month_to_date: Decimal,
    /// `monthToDate` as a number.
    pub month_to_date_number: f64,
    /// Month-to-date ÷ `D` (0 without data).
    pub run_rate_per_day: f64,
    /// The run rate × the month's length.
    pub run_rate_month_end: f64,
    /// The fitted daily cost's intercept `a`.
    pub trend_intercept: f64,
    /// The fitted daily cost's slope `b`, per day.
    pub trend_slope_per_day: f64,
    /// The forecast cost at month end.
    pub forecast_month_end: f64,
    /// The budget.
    pub budget: Option<Decimal>,
    /// `budget` as a number.
    pub budget_number: Option<f64>,
    /// The forecast as a percentage of a positive budget.
    pub forecast_percent_of_budget: Option<f64>,
    /// The first day the cumulative cost is above the budget.
    pub exceeds_budget_on_day: Option<u32>,
    /// Whether the actual cost is already above the budget.
    pub already_over_budget: bool,
    /// Every day of the month.
    pub days: Vec<ForecastDay>,
}

/// Forecasts the month (see the module docs for the method).
///
/// Fails with [`Error::InvalidInput`] when `daysInMonth` isn't 1 to 31, a
/// day is outside the month or after `asOfDay`, or the month-to-date sum
/// overflows.
///
/// ```
/// use partner_usage_core::forecast::{forecast, ForecastInput};
/// // A ramp: day d costs d. The trend continues it: 1 + 2 + … + 30 = 465.
/// let mut input = ForecastInput::new(30);
/// for d in 1..=10 {
///     input = input.day(d, partner_usage_core::decimal::Decimal::from_i64(d.into()));
/// }
/// let f = forecast(&input).unwrap();
/// assert_eq!(f.trend_slope_per_day, 1.0);
/// assert_eq!(f.forecast_month_end, 465.0);
/// ```
pub fn forecast(input: &ForecastInput) -> Result<Forecast, Error> {
    let len = input.days_in_month;
    if !(1..=31).contains(&len) {
        return Err(Error::invalid_input(format!(
            "daysInMonth must be 1 to 31, not {len}"
        )));
    }
    let last_given = input.daily.iter().map(|d| d.day).max().unwrap_or(0);
    let as_of = input.as_of_day.unwrap_or(last_given);
    if as_of > len {
        return Err(Error::invalid_input(format!(
            "asOfDay {as_of} is past the month's {len} days"
        )));
    }
    let mut actual = vec![Decimal::ZERO; as_of as usize];
    for d in &input.daily {
        if d.day == 0 || d.day > as_of {
            return Err(Error::invalid_input(format!(
                "day {} is outside days 1 to {as_of} (the as-of day)",
                d.day
            )));
        }
        let slot = &mut actual[d.day as usize - 1];
        *slot = slot.checked_add(d.cost).map_err(|_| {
            Error::invalid_input("a day's cost overflowed a 128-bit mantissa (about 38 digits)")
        })?;
    }
    let mut days = Vec::with_capacity(len as usize);
    let mut cumulative = Decimal::ZERO;
    let mut exceeds = None;
    for (i, cost) in actual.iter().enumerate() {
        cumulative = cumulative.checked_add(*cost).map_err(|_| {
            Error::invalid_input(
                "the month-to-date cost overflowed a 128-bit mantissa (about 38 digits)",
            )
        })?;
        let day = i as u32 + 1;
        if exceeds.is_none() && input.budget.is_some_and(|b| cumulative > b) {
            exceeds = Some(day);
        }
        days.push(ForecastDay {
            day,
            actual: Some(*cost),
            cumulative_actual: Some(cumulative),
            projected: None,
            cumulative_number: cumulative.to_f64(),
        });
    }
    let already_over_budget = exceeds.is_some();
    let values: Vec<f64> = actual.iter().map(Decimal::to_f64).collect();
    let (intercept, slope) = least_squares(&values);
    let budget_number = input.budget.map(|b| b.to_f64());
    let mut running = cumulative.to_f64();
    for day in as_of + 1..=len {
        let projected = (intercept + slope * f64::from(day)).max(0.0);
        running += projected;
        if exceeds.is_none() && budget_number.is_some_and(|b| running > b) {
            exceeds = Some(day);
        }
        days.push(ForecastDay {
            day,
            actual: None,
            cumulative_actual: None,
            projected: Some(projected),
            cumulative_number: running,
        });
    }
    let run_rate = if as_of == 0 {
        0.0
    } else {
        cumulative.to_f64() / f64::from(as_of)
    };
    Ok(Forecast {
        days_in_month: len,
        days_elapsed: as_of,
        month_to_date: cumulative,
        month_to_date_number: cumulative.to_f64(),
        run_rate_per_day: run_rate,
        run_rate_month_end: run_rate * f64::from(len),
        trend_intercept: intercept,
        trend_slope_per_day: slope,
        forecast_month_end: running,
        budget: input.budget,
        budget_number,
        forecast_percent_of_budget: budget_number
            .filter(|b| *b > 0.0)
            .map(|b| running / b * 100.0),
        exceeds_budget_on_day: exceeds,
        already_over_budget,
        days,
    })
}

/// The least-squares line `(a, b)` through `(d, values[d-1])` for d = 1, 2, ….
fn least_squares(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    match values {
        [] => (0.0, 0.0),
        [only] => (*only, 0.0),
        _ => {
            let mean_d = (n + 1.0) / 2.0;
            let mean_y = values.iter().sum::<f64>() / n;
            // Σ dx·(y − ȳ) = Σ dx·y, since the dx sum to 0.
            let (mut sxy, mut sxx) = (0.0, 0.0);
            for (i, y) in values.iter().enumerate() {
                let dx = i as f64 + 1.0 - mean_d;
                sxy += dx * y;
                sxx += dx * dx;
            }
            let slope = sxy / sxx;
            (mean_y - slope * mean_d, slope)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn constant(days: u32, cost: &str) -> ForecastInput {
        (1..=days).fold(ForecastInput::new(30), |i, day| i.day(day, d(cost)))
    }

    #[test]
    fn constant_spend() {
        let f = forecast(&constant(10, "10").budget(d("400"))).unwrap();
        assert_eq!(f.forecast_month_end, 300.0);
        assert_eq!(f.run_rate_month_end, 300.0);
        assert_eq!(f.trend_slope_per_day, 0.0);
        assert_eq!(f.exceeds_budget_on_day, None);
        assert_eq!(f.forecast_percent_of_budget, Some(75.0));
        assert_eq!(f.days.len(), 30);
        assert_eq!(f.days[9].cumulative_actual, Some(d("100")));
        assert_eq!(f.days[10].projected, Some(10.0));
        assert_eq!(f.days[29].cumulative_number, 300.0);
    }

    #[test]
    fn ramp_crosses_the_budget_in_the_projection() {
        let input = (1..=10).fold(ForecastInput::new(30), |i, day| {
            i.day(day, Decimal::from_i64(day.into()))
        });
        let f = forecast(&input.budget(d("100"))).unwrap();
        // Cumulative d(d+1)/2: 91 on day 13, 105 on day 14.
        assert_eq!(f.exceeds_budget_on_day, Some(14));
        assert!(!f.already_over_budget);
        assert_eq!(f.trend_intercept, 0.0);
        assert_eq!(f.run_rate_per_day, 5.5);
    }

    #[test]
    fn already_over_budget_names_the_actual_day() {
        let f = forecast(&constant(10, "10").budget(d("50"))).unwrap();
        assert_eq!(f.exceeds_budget_on_day, Some(6));
        assert!(f.already_over_budget);
        // Exactly at the budget is not over it.
        let f = forecast(&constant(5, "10").budget(d("50.00"))).unwrap();
        assert_eq!(f.exceeds_budget_on_day, Some(6));
        assert!(!f.already_over_budget);
    }

    #[test]
    fn no_data() {
        let f = forecast(&ForecastInput::new(31).budget(d("1"))).unwrap();
        assert_eq!(f.days_elapsed, 0);
        assert_eq!(f.month_to_date, Decimal::ZERO);
        assert_eq!((f.run_rate_per_day, f.forecast_month_end), (0.0, 0.0));
        assert_eq!(f.exceeds_budget_on_day, None);
        assert_eq!(f.days.len(), 31);
    }

    #[test]
    fn gaps_duplicates_and_a_falling_trend() {
        // Days 1 and 3 spend 30 in two parts, day 2 nothing: the gap counts as 0.
        let input = ForecastInput::new(28)
            .day(1, d("20"))
            .day(1, d("10"))
            .day(3, d("10"))
            .as_of(5);
        let f = forecast(&input).unwrap();
        assert_eq!(f.month_to_date.to_string(), "40");
        assert_eq!(f.days[1].actual, Some(Decimal::ZERO));
        assert!(f.trend_slope_per_day < 0.0);
        // The falling line reaches zero and stays there: nothing is negative.
        assert!(f.days.iter().all(|d| d.projected.is_none_or(|p| p >= 0.0)));
        assert!(f.forecast_month_end >= 40.0);
    }

    #[test]
    fn edges_of_the_month_and_the_budget() {
        // Every day of the month is data: nothing projected.
        let f = forecast(&constant(30, "1")).unwrap();
        assert_eq!((f.days_elapsed, f.forecast_month_end), (30, 30.0));
        assert!(f.days.iter().all(|d| d.projected.is_none()));
        // A projection that ends exactly at the budget is not over it.
        let f = forecast(&constant(10, "10").budget(d("300"))).unwrap();
        assert_eq!(f.forecast_month_end, 300.0);
        assert_eq!(f.exceeds_budget_on_day, None);
        assert_eq!(f.forecast_percent_of_budget, Some(100.0));
        // A budget of 0 has no percentage.
        let f = forecast(&constant(10, "10").budget(d("0"))).unwrap();
        assert_eq!(f.forecast_percent_of_budget, None);
        assert_eq!(f.exceeds_budget_on_day, Some(1));
    }

    #[test]
    fn the_trend_of_zero_and_one_day() {
        let f = forecast(&ForecastInput::new(30)).unwrap();
        assert_eq!((f.trend_intercept, f.trend_slope_per_day), (0.0, 0.0));
        let f = forecast(&constant(1, "7.5")).unwrap();
        assert_eq!((f.trend_intercept, f.trend_slope_per_day), (7.5, 0.0));
        assert_eq!(f.forecast_month_end, 225.0);
        // A line through (1, 5), (2, 7), (3, 9): 3 + 2·d.
        let input = ForecastInput::new(30)
            .day(1, d("5"))
            .day(2, d("7"))
            .day(3, d("9"));
        let f = forecast(&input).unwrap();
        assert_eq!((f.trend_intercept, f.trend_slope_per_day), (3.0, 2.0));
    }

    #[test]
    fn invalid_inputs_are_errors() {
        for input in [
            ForecastInput::new(0),
            ForecastInput::new(32),
            ForecastInput::new(30).day(0, d("1")),
            ForecastInput::new(30).day(31, d("1")),
            ForecastInput::new(30).day(5, d("1")).as_of(4),
            ForecastInput::new(30).as_of(31),
        ] {
            assert_eq!(
                forecast(&input).unwrap_err().kind(),
                "invalid-input",
                "{input:?}"
            );
        }
        let big = Decimal::new(i128::MAX, 0).unwrap();
        let err = forecast(&ForecastInput::new(30).day(1, big).day(2, big)).unwrap_err();
        assert_eq!(err.kind(), "invalid-input");
    }

    #[test]
    fn serialises_camel_case() {
        let f = forecast(&constant(1, "1.5")).unwrap();
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["monthToDate"], "1.5");
        assert_eq!(v["exceedsBudgetOnDay"], serde_json::Value::Null);
        assert_eq!(v["days"][0]["cumulativeActual"], "1.5");
    }
}
