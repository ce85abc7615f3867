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

use crate::time::Timestamp;
use serde::{de, Deserialize, Deserializer};
use std::fmt;

/// Reads `null` as the type's default (an empty string, `false`, …).
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An optional date-time: absent, `null` or `""` is none (as the scanner
/// reads `usageStartTime`), anything else must parse. No allocation.
pub(crate) fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Option<Timestamp>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an ISO 8601 date-time string")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.is_empty() {
                return Ok(None);
            }
            Timestamp::parse(v).map(Some).map_err(E::custom)
        }
    }
    d.deserialize_option(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_time_is_no_time_and_a_bad_one_an_error() {
        let customer = |v: &str| {
            serde_json::from_str::<CustomerMonthlyUsageRecord>(&format!(
                r#"{{"id":"a","totalCost":1{v}}}"#
            ))
        };
        for absent in [
            "",
            r#","lastModifiedDate":null"#,
            r#","lastModifiedDate":"""#,
        ] {
            assert_eq!(
                customer(absent).unwrap().last_modified_date,
                None,
                "{absent}"
            );
        }
        let set = customer(r#","lastModifiedDate":"2019-09-17T17:08:11Z""#).unwrap();
        assert_eq!(
            set.last_modified_date.unwrap().to_string(),
            "2019-09-17T17:08:11Z"
        );
        assert!(customer(r#","lastModifiedDate":"soon""#).is_err());
        let wrong_type = customer(r#","lastModifiedDate":5"#)
            .unwrap_err()
            .to_string();
        assert!(
            wrong_type.contains("expected an ISO 8601 date-time string"),
            "{wrong_type}"
        );

        let r: AzureUtilizationRecord =
            serde_json::from_str(r#"{"usageStartTime":"","usageEndTime":null,"quantity":1}"#)
                .unwrap();
        assert_eq!((r.usage_start_time, r.usage_end_time), (None, None));
    }

    #[test]
    fn records_read_from_a_reader_a_value_or_flattened_content() {
        let json = r#"{"id":"a","totalCost":120.5682999999995904716,"budget":{"amount":"500.10"},
            "instanceData":{"tags":{"env":"prod","n":3,"x":null}},"quantity":0.1}"#;
        // A reader keeps every digit, as text does.
        let c: CustomerMonthlyUsageRecord = serde_json::from_reader(json.as_bytes()).unwrap();
        assert_eq!(c.total_cost.unwrap().to_string(), "120.5682999999995904716");
        // A Value holds f64s: the nearest decimal of each, strings exact.
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let c: CustomerMonthlyUsageRecord = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(c.total_cost.unwrap().to_string(), "120.5682999999996");
        assert_eq!(c.budget.unwrap().amount.unwrap().to_string(), "500.10");
        let u: AzureUtilizationRecord = serde_json::from_value(v).unwrap();
        let tags = &u.instance_data.unwrap().tags;
        assert_eq!(
            (tags.get("env"), tags.get("n"), tags.get("x")),
            (Some("prod"), Some("3"), None)
        );
        // Inside #[serde(flatten)], serde buffers the record's fields first.
        #[derive(serde::Deserialize)]
        struct Wrapped {
            #[serde(flatten)]
            record: CustomerMonthlyUsageRecord,
        }
        let w: Wrapped = serde_json::from_str(json).unwrap();
        assert_eq!(
            w.record.total_cost.unwrap().to_string(),
            "120.5682999999996"
        );
        assert_eq!(
            w.record.budget.unwrap().amount.unwrap().to_string(),
            "500.10"
        );
    }
}
