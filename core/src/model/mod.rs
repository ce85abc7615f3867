//! Partner Center's usage resources, decoded leniently.
//!
//! Field names follow Partner Center's camelCase JSON. Unknown fields are
//! ignored; optional fields may be absent or `null` (strings then read as
//! empty). Money is [`Decimal`](crate::decimal::Decimal), never `f64`, and
//! the currency-aware accessors return [`Money`](crate::money::Money) and
//! [`Usd`](crate::money::Usd).

mod collection;
mod customer;
mod resource;
mod strings;
mod subscription;
mod utilization;

pub use collection::{Collection, KeyValue, Link, ResourceAttributes, ResourceLinks};
pub use customer::{CustomerMonthlyUsageRecord, SpendingBudget};
pub use resource::{resource_group_of, ResourceUsageRecord};
pub use strings::StringMap;
pub use subscription::{CompanyProfile, Customer, Subscription, SubscriptionKind};
pub use utilization::{AzureInstanceData, AzureResource, AzureUtilizationRecord};

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default (an empty string, `false`, …).
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
