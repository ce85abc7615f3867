use super::{null_as_default, ResourceAttributes};
use crate::decimal::Decimal;
use crate::money::{Currency, Money, Usd};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// `CustomerMonthlyUsageRecord`: one customer's spend in the current billing
/// period (`GET /v1/customers/usagerecords`).
///
/// ```
/// use partner_usage_core::model::CustomerMonthlyUsageRecord;
/// let r: CustomerMonthlyUsageRecord = serde_json::from_str(r#"{
///   "budget": {"amount": 20}, "percentUsed": 602.84, "isUpgraded": true,
///   "id": "b1b1", "name": "Modern Azure Customer SE",
///   "totalCost": 120.5682999999995904716, "currencyCode": "SEK",
///   "usdTotalCost": 12.39999999999999985235,
///   "lastModifiedDate": "2019-09-17T17:08:11.1433333+00:00"}"#).unwrap();
/// assert_eq!(r.total().unwrap().to_string(), "120.5682999999995904716 SEK");
/// assert_eq!(r.usd().unwrap().to_string(), "12.39999999999999985235 USD");
/// assert_eq!(r.budget_amount().unwrap().amount.to_string(), "20");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomerMonthlyUsageRecord {
    /// The customer's tenant id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The customer's tenant id (same as `id`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource_id: String,
    /// The customer's company name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// The customer's company name (same as `name`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource_name: String,
    /// The partner-set spending budget; no `amount` means no budget.
    #[serde(default)]
    pub budget: Option<SpendingBudget>,
    /// The customer's spending budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_spending_budget: Option<SpendingBudget>,
    /// Spend as a percentage of the budget (over 100 = over budget).
    #[serde(default)]
    pub percent_used: Option<Decimal>,
    /// `true`: the customer is on the Azure plan; `false`: legacy.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_upgraded: bool,
    /// Estimated cost in the customer's currency, exact.
    #[serde(default)]
    pub total_cost: Option<Decimal>,
    /// ISO 4217 code; absent for legacy customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// Legacy customers' currency locale, e.g. `fr-FR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_locale: Option<String>,
    /// The currency symbol, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_symbol: Option<String>,
    /// The same cost in US dollars, exact.
    #[serde(default)]
    pub usd_total_cost: Option<Decimal>,
    /// When the record last changed.
    #[serde(default, deserialize_with = "super::opt_time")]
    pub last_modified_date: Option<Timestamp>,
    /// `objectType: "CustomerMonthlyUsageRecord"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
}

impl CustomerMonthlyUsageRecord {
    /// The customer's currency: the ISO code, or for legacy customers the locale.
    pub fn currency(&self) -> Currency {
        Currency::from_fields(
            self.currency_code.as_deref(),
            self.currency_locale.as_deref(),
        )
    }

    /// `totalCost` in the customer's currency.
    pub fn total(&self) -> Option<Money> {
        self.total_cost.map(|a| Money::new(a, self.currency()))
    }

    /// `usdTotalCost`.
    pub fn usd(&self) -> Option<Usd> {
        self.usd_total_cost.map(Usd)
    }

    /// The budget amount in the customer's currency, if a budget is set.
    pub fn budget_amount(&self) -> Option<Money> {
        self.budget
            .as_ref()
            .and_then(|b| b.amount)
            .map(|a| Money::new(a, self.currency()))
    }

    /// The best name to show: `name`, else `resourceName`, else the id.
    ///
    /// ```
    /// use partner_usage_core::model::CustomerMonthlyUsageRecord;
    /// let r: CustomerMonthlyUsageRecord = serde_json::from_str(r#"{"id":"x","name":null}"#).unwrap();
    /// assert_eq!(r.display_name(), "x");
    /// ```
    pub fn display_name(&self) -> &str {
        [&self.name, &self.resource_name, &self.id, &self.resource_id]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The tenant id: `id`, else `resourceId`.
    pub fn customer_id(&self) -> &str {
        if self.id.is_empty() {
            &self.resource_id
        } else {
            &self.id
        }
    }
}

/// `SpendingBudget`: `amount` absent means no budget.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SpendingBudget {
    /// The budget in the customer's currency.
    #[serde(default)]
    pub amount: Option<Decimal>,
    /// The usage spending budget, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_spending_budget: Option<Decimal>,
    /// `objectType: "SpendingBudget"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
}
