use super::{null_as_default, ResourceAttributes};
use crate::decimal::Decimal;
use crate::money::{Currency, Money, Usd};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// `ResourceUsageRecord`: one resource's cost this billing period, in an
/// Azure plan subscription (`…/subscriptions/{s}/resourceusagerecords`).
///
/// ```
/// use partner_usage_core::model::ResourceUsageRecord;
/// let r: ResourceUsageRecord = serde_json::from_str(r#"{
///   "resourceUri": "/subscriptions/s/resourceGroups/TESTRG1/providers/Microsoft.Compute/disks/d1",
///   "resourceType": "Microsoft.Compute", "resourceGroupName": "testrg1",
///   "totalCost": 2.0211938955034572, "currencyCode": "GBP", "usdTotalCost": 2.4700000000000001}"#).unwrap();
/// assert_eq!(r.total().unwrap().to_string(), "2.0211938955034572 GBP");
/// assert_eq!(r.resource_group(), "testrg1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceUsageRecord {
    /// The subscription (Azure plan) id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub subscription_id: String,
    /// The full ARM resource id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource_uri: String,
    /// The resource provider, e.g. `Microsoft.Compute`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource_type: String,
    /// The Azure entitlement id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub entitlement_id: String,
    /// The Azure entitlement name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub entitlement_name: String,
    /// The resource group; its case varies between records.
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource_group_name: String,
    /// The resource name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// The resource name (same as `name`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource_name: String,
    /// Cost in `currencyCode`, exact.
    #[serde(default)]
    pub total_cost: Option<Decimal>,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// Cost in US dollars, exact.
    #[serde(default)]
    pub usd_total_cost: Option<Decimal>,
    /// When the record last changed.
    #[serde(default, deserialize_with = "super::opt_time")]
    pub last_modified_date: Option<Timestamp>,
    /// `objectType: "ResourceUsageRecord"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
}

impl ResourceUsageRecord {
    /// The record's currency.
    pub fn currency(&self) -> Currency {
        Currency::from_fields(self.currency_code.as_deref(), None)
    }

    /// `totalCost` in `currencyCode`.
    pub fn total(&self) -> Option<Money> {
        self.total_cost.map(|a| Money::new(a, self.currency()))
    }

    /// `usdTotalCost`.
    pub fn usd(&self) -> Option<Usd> {
        self.usd_total_cost.map(Usd)
    }

    /// The resource group as written: `resourceGroupName`, else parsed from
    /// `resourceUri`. Compare groups case-insensitively.
    pub fn resource_group(&self) -> &str {
        if self.resource_group_name.is_empty() {
            resource_group_of(&self.resource_uri).unwrap_or("")
        } else {
            &self.resource_group_name
        }
    }

    /// The best name to show: `name`, else `resourceName`, else the URI.
    pub fn display_name(&self) -> &str {
        [&self.name, &self.resource_name, &self.resource_uri]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// The resource group segment of an ARM resource id, as written.
///
/// ```
/// use partner_usage_core::model::resource_group_of;
/// assert_eq!(resource_group_of("/subscriptions/s/resourcegroups/RG-1/providers/x/y/z"), Some("RG-1"));
/// assert_eq!(resource_group_of("/subscriptions/s"), None);
/// ```
pub fn resource_group_of(uri: &str) -> Option<&str> {
    let mut parts = uri.split('/');
    while let Some(p) = parts.next() {
        if p.eq_ignore_ascii_case("resourceGroups") {
            return parts.next().filter(|g| !g.is_empty());
        }
    }
    None
}
