use super::{null_as_default, resource_group_of, ResourceAttributes, StringMap};
use crate::decimal::Decimal;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// `AzureUtilizationRecord`: a quantity of one meter over one hour or day
/// (`…/subscriptions/{s}/utilizations/azure`).
///
/// Quantities are only comparable within one `unit`: never add `1 Hour` to `10 GB`.
///
/// ```
/// use partner_usage_core::model::AzureUtilizationRecord;
/// let r: AzureUtilizationRecord = serde_json::from_str(r#"{
///   "usageStartTime": "2024-01-01T00:00:00+00:00", "usageEndTime": "2024-01-02T00:00:00+00:00",
///   "resource": {"id": "m1", "name": "Hot LRS Data Stored", "category": "Storage",
///                "subcategory": "Tiered Block Blob", "region": "West Europe"},
///   "quantity": 0.0327433333333333, "unit": "1 GB/Month", "infoFields": {},
///   "instanceData": {"resourceUri": "/subscriptions/s/resourceGroups/Prod/providers/Microsoft.Storage/storageAccounts/a",
///                    "location": "westeurope", "tags": {"env": "prod"}}}"#).unwrap();
/// assert_eq!(r.quantity.unwrap().to_string(), "0.0327433333333333");
/// assert_eq!(r.resource_group(), Some("Prod"));
/// assert_eq!(r.tag("env"), Some("prod"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AzureUtilizationRecord {
    /// Start of the usage aggregation window: when the usage happened. (The
    /// query's `start_time`/`end_time` are of when Partner Center reported
    /// it, so a record may start before `start_time`.)
    #[serde(default, deserialize_with = "super::opt_time")]
    pub usage_start_time: Option<Timestamp>,
    /// End of the usage window.
    #[serde(default, deserialize_with = "super::opt_time")]
    pub usage_end_time: Option<Timestamp>,
    /// The meter.
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource: AzureResource,
    /// The amount consumed, in `unit`, exact.
    #[serde(default)]
    pub quantity: Option<Decimal>,
    /// The unit of `quantity`, e.g. `1 Hour`, `10 GB`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub unit: String,
    /// Extra key/value pairs.
    #[serde(default)]
    pub info_fields: StringMap,
    /// Per-instance details (with `show_details=true`).
    #[serde(default)]
    pub instance_data: Option<AzureInstanceData>,
    /// `objectType: "AzureUtilizationRecord"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
}

impl AzureUtilizationRecord {
    /// The resource group parsed from `instanceData.resourceUri`, as written.
    pub fn resource_group(&self) -> Option<&str> {
        self.instance_data
            .as_ref()
            .and_then(|i| resource_group_of(&i.resource_uri))
    }

    /// The value of a tag (`instanceData.tags[key]`; names compare case-insensitively).
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.instance_data
            .as_ref()
            .and_then(|i| i.tags.get_ignore_case(key))
    }
}

/// `AzureResource`: the meter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AzureResource {
    /// The meter id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The meter name, e.g. `Hot LRS Data Stored`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// e.g. `Storage`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub category: String,
    /// e.g. `Tiered Block Blob`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub subcategory: String,
    /// e.g. `West Europe`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub region: String,
}

/// `AzureInstanceData`: which resource instance used the meter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AzureInstanceData {
    /// The full ARM resource id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource_uri: String,
    /// The Azure region name, e.g. `westeurope`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub location: String,
    /// The part number.
    #[serde(default, deserialize_with = "null_as_default")]
    pub part_number: String,
    /// The order number.
    #[serde(default, deserialize_with = "null_as_default")]
    pub order_number: String,
    /// Resource tags.
    #[serde(default)]
    pub tags: StringMap,
    /// Extra details.
    #[serde(default)]
    pub additional_info: StringMap,
}
