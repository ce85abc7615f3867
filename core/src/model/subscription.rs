use super::{null_as_default, ResourceAttributes};
use serde::{Deserialize, Serialize};

/// The legacy Microsoft Azure offer, served by the utilization endpoint.
const LEGACY_AZURE_OFFER: &str = "MS-AZR-0145P";
/// The Azure plan offer id, served by resource usage records.
const AZURE_PLAN_OFFER: &str = "DZH318Z0BCZC";

/// A customer's subscription (`GET /v1/customers/{c}/subscriptions`), for drill-down.
///
/// ```
/// use partner_usage_core::model::{Subscription, SubscriptionKind};
/// let s: Subscription = serde_json::from_str(
///     r#"{"id":"s1","offerId":"MS-AZR-0145P","friendlyName":"Dev"}"#).unwrap();
/// assert_eq!(s.kind(), SubscriptionKind::LegacyAzure);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Subscription {
    /// The subscription id (for an Azure plan, the plan id).
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The offer id, e.g. `MS-AZR-0145P` or `DZH318Z0BCZC`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub offer_id: String,
    /// The offer name, e.g. `Azure plan`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub offer_name: String,
    /// The name the customer gave it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub friendly_name: String,
    /// e.g. `active`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: String,
    /// e.g. `usage`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub billing_type: String,
    /// e.g. `none`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub consumption_type: String,
    /// Resource attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
}

/// Which usage endpoint serves a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SubscriptionKind {
    /// An Azure plan: resource usage records.
    AzurePlan,
    /// A legacy Microsoft Azure (`MS-AZR-0145P`) subscription: utilization records.
    LegacyAzure,
    /// Anything else (licences, …): no usage endpoint here.
    Other,
}

impl Subscription {
    /// Which usage endpoint serves this subscription.
    ///
    /// ```
    /// use partner_usage_core::model::{Subscription, SubscriptionKind};
    /// let s: Subscription = serde_json::from_str(r#"{"id":"p","offerName":"Azure plan"}"#).unwrap();
    /// assert_eq!(s.kind(), SubscriptionKind::AzurePlan);
    /// ```
    pub fn kind(&self) -> SubscriptionKind {
        if self.offer_id.eq_ignore_ascii_case(LEGACY_AZURE_OFFER) {
            SubscriptionKind::LegacyAzure
        } else if self.offer_id.eq_ignore_ascii_case(AZURE_PLAN_OFFER)
            || self.offer_name.eq_ignore_ascii_case("Azure plan")
        {
            SubscriptionKind::AzurePlan
        } else {
            SubscriptionKind::Other
        }
    }
}

/// A customer of the partner (`GET /v1/customers`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Customer {
    /// The tenant id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// The company profile.
    #[serde(default)]
    pub company_profile: Option<CompanyProfile>,
    /// Resource attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
}

/// A customer's company profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompanyProfile {
    /// The tenant id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tenant_id: String,
    /// The primary domain.
    #[serde(default, deserialize_with = "null_as_default")]
    pub domain: String,
    /// The company name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub company_name: String,
}
