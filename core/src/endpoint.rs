//! The listings Partner Center serves, built from typed parameters.
//!
//! ```
//! use partner_usage_core::endpoint::{CustomerId, Endpoint, SubscriptionId, UtilizationQuery};
//! use partner_usage_core::time::Timestamp;
//! let q = UtilizationQuery::new(
//!     Timestamp::parse("2024-01-01T00:00:00Z").unwrap(),
//!     Timestamp::parse("2024-02-01T00:00:00Z").unwrap(),
//! ).unwrap();
//! let e = Endpoint::AzureUtilization {
//!     customer: CustomerId::new("c1").unwrap(),
//!     subscription: SubscriptionId::new("s1").unwrap(),
//!     query: q,
//! };
//! assert_eq!(e.path_and_query(),
//!     "customers/c1/subscriptions/s1/utilizations/azure?start_time=2024-01-01T00:00:00Z\
//!      &end_time=2024-02-01T00:00:00Z&size=1000&granularity=daily&show_details=true");
//! ```

use crate::error::{truncate_for_message, Error};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest page size Partner Center accepts.
pub const MAX_PAGE_SIZE: u32 = 1000;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("A ", $what, " id: 1 to 128 characters of `A-Z a-z 0-9 - _ .`, as tenant and subscription GUIDs are.")]
            pub fn new(id: &str) -> Result<$name, Error> {
                let id = id.trim();
                if id.is_empty()
                    || id.len() > 128
                    || id == "."
                    || id == ".."
                    || !id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                {
                    return Err(Error::invalid_input(format!(
                        concat!("{:?} is not a valid ", $what, " id"),
                        truncate_for_message(id, 60)
                    )));
                }
                Ok($name(id.to_string()))
            }

            /// The id.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A customer's tenant id.
    ///
    /// ```
    /// use partner_usage_core::endpoint::CustomerId;
    /// assert!(CustomerId::new("a0a0a0a0-bbbb-cccc-dddd-e1e1e1e1e1e1").is_ok());
    /// assert!(CustomerId::new("../admin").is_err());
    /// ```
    CustomerId,
    "customer"
);
id_type!(
    /// A subscription id (for an Azure plan, the plan id).
    SubscriptionId,
    "subscription"
);

/// Utilization granularity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Granularity {
    /// One record per day (the default).
    #[default]
    Daily,
    /// One record per hour.
    Hourly,
}

impl Granularity {
    /// The query parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Daily => "daily",
            Granularity::Hourly => "hourly",
        }
    }
}

/// The query of a utilization listing, with Partner Center's defaults:
/// `size` 1000, `granularity` daily, `show_details` true.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UtilizationQuery {
    /// Start of the window (when the billing system reported usage).
    pub start_time: Timestamp,
    /// End of the window.
    pub end_time: Timestamp,
    /// Daily or hourly.
    pub granularity: Granularity,
    /// Split by resource instance (`true`) or aggregate per resource.
    pub show_details: bool,
    /// Records per page, 1 to 1000.
    pub size: u32,
}

impl UtilizationQuery {
    /// A query for `[start, end)` with the defaults. `end` must be after
    /// `start` by whole seconds, as the query sends them (fractions are
    /// dropped, see [`Timestamp::to_query_string`]).
    ///
    /// ```
    /// use partner_usage_core::endpoint::UtilizationQuery;
    /// use partner_usage_core::time::Timestamp;
    /// let t = |s| Timestamp::parse(s).unwrap();
    /// assert!(UtilizationQuery::new(t("2026-11-01T00:00:00Z"), t("2026-11-01T00:00:01Z")).is_ok());
    /// // Both are sent as 00:00:00: an empty window.
    /// assert!(UtilizationQuery::new(t("2026-11-01T00:00:00.2Z"), t("2026-11-01T00:00:00.7Z")).is_err());
    /// ```
    pub fn new(start_time: Timestamp, end_time: Timestamp) -> Result<UtilizationQuery, Error> {
        if end_time.unix_seconds() <= start_time.unix_seconds() {
            return Err(Error::invalid_input(format!(
                "end time {end_time} is not after start time {start_time} (to the second, as the query sends them)"
            )));
        }
        Ok(UtilizationQuery {
            start_time,
            end_time,
            granularity: Granularity::Daily,
            show_details: true,
            size: MAX_PAGE_SIZE,
        })
    }

    /// The last `days` days up to `now`, ending two hours before `now`
    /// (truncated to the hour): Partner Center returns nothing for an end of "now".
    ///
    /// ```
    /// use partner_usage_core::endpoint::UtilizationQuery;
    /// use partner_usage_core::time::Timestamp;
    /// let now = Timestamp::parse("2024-03-10T15:42:00Z").unwrap();
    /// let q = UtilizationQuery::last_days(now, 30).unwrap();
    /// assert_eq!(q.end_time.to_string(), "2024-03-10T13:00:00Z");
    /// assert_eq!(q.start_time.to_string(), "2024-02-09T13:00:00Z");
    /// ```
    pub fn last_days(now: Timestamp, days: u32) -> Result<UtilizationQuery, Error> {
        // Timestamps stay within the years -9999 to 9999 (saturating), so
        // this can't overflow; saturate anyway.
        let secs = now.unix_seconds();
        let end = (secs - secs.rem_euclid(3600)).saturating_sub(2 * 3600);
        let start = end.saturating_sub(i64::from(days) * 86_400);
        UtilizationQuery::new(Timestamp::from_unix(start, 0), Timestamp::from_unix(end, 0))
    }

    /// Sets the granularity.
    #[must_use]
    pub fn granularity(mut self, g: Granularity) -> Self {
        self.granularity = g;
        self
    }

    /// Sets `show_details`.
    #[must_use]
    pub fn show_details(mut self, show: bool) -> Self {
        self.show_details = show;
        self
    }

    /// Sets the page size (1 to 1000).
    pub fn size(mut self, size: u32) -> Result<Self, Error> {
        self.size = check_size(size)?;
        Ok(self)
    }
}

fn check_size(size: u32) -> Result<u32, Error> {
    if (1..=MAX_PAGE_SIZE).contains(&size) {
        Ok(size)
    } else {
        Err(Error::invalid_input(format!(
            "page size {size} is out of range (1 to {MAX_PAGE_SIZE})"
        )))
    }
}

/// A Partner Center listing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// `GET /v1/customers/usagerecords`: every customer's monthly usage.
    CustomerUsageRecords,
    /// `GET /v1/customers?size=N`: the partner's customers.
    Customers {
        /// Page size.
        size: u32,
    },
    /// `GET /v1/customers/{c}/subscriptions`: a customer's subscriptions.
    Subscriptions {
        /// The customer.
        customer: CustomerId,
    },
    /// `GET /v1/customers/{c}/subscriptions/{s}/resourceusagerecords`.
    ResourceUsageRecords {
        /// The customer.
        customer: CustomerId,
        /// The Azure plan subscription.
        subscription: SubscriptionId,
    },
    /// `GET /v1/customers/{c}/subscriptions/{s}/utilizations/azure?…`.
    AzureUtilization {
        /// The customer.
        customer: CustomerId,
        /// The subscription.
        subscription: SubscriptionId,
        /// Window, granularity, details and page size.
        query: UtilizationQuery,
    },
}

impl Endpoint {
    /// The customers list with a page size (1 to 1000).
    pub fn customers(size: u32) -> Result<Endpoint, Error> {
        Ok(Endpoint::Customers {
            size: check_size(size)?,
        })
    }

    /// Checks what the constructors check, for an endpoint or query built
    /// from its public fields: a page size of 1 to 1000, and a utilization
    /// window whose end is after its start. [`Paginator::new`] runs it, and a
    /// paginator for an invalid endpoint sends nothing: its first poll is
    /// `Done` with the error in [`Paginator::error`].
    ///
    /// [`Paginator::new`]: crate::paginate::Paginator::new
    /// [`Paginator::error`]: crate::paginate::Paginator::error
    ///
    /// ```
    /// use partner_usage_core::endpoint::Endpoint;
    /// assert!(Endpoint::customers(40).unwrap().validate().is_ok());
    /// let e = Endpoint::Customers { size: 0 }.validate().unwrap_err();
    /// assert_eq!(e.kind(), "invalid-input");
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Endpoint::Customers { size } => check_size(*size).map(drop),
            Endpoint::AzureUtilization { query, .. } => {
                check_size(query.size)?;
                UtilizationQuery::new(query.start_time, query.end_time).map(drop)
            }
            _ => Ok(()),
        }
    }

    /// The path and query after `/v1/`.
    ///
    /// ```
    /// use partner_usage_core::endpoint::Endpoint;
    /// assert_eq!(Endpoint::CustomerUsageRecords.path_and_query(), "customers/usagerecords");
    /// assert_eq!(Endpoint::customers(40).unwrap().path_and_query(), "customers?size=40");
    /// ```
    pub fn path_and_query(&self) -> String {
        match self {
            Endpoint::CustomerUsageRecords => "customers/usagerecords".to_string(),
            Endpoint::Customers { size } => format!("customers?size={size}"),
            Endpoint::Subscriptions { customer } => format!("customers/{customer}/subscriptions"),
            Endpoint::ResourceUsageRecords {
                customer,
                subscription,
            } => format!("customers/{customer}/subscriptions/{subscription}/resourceusagerecords"),
            Endpoint::AzureUtilization {
                customer,
                subscription,
                query,
            } => format!(
                "customers/{customer}/subscriptions/{subscription}/utilizations/azure?start_time={}&end_time={}&size={}&granularity={}&show_details={}",
                query.start_time.to_query_string(),
                query.end_time.to_query_string(),
                query.size,
                query.granularity.as_str(),
                query.show_details,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_days_at_the_ends_of_time_is_no_panic() {
        // Nothing before the first instant: an empty window, an error.
        assert!(UtilizationQuery::last_days(Timestamp::from_unix(i64::MIN, 0), 1).is_err());
        let q = UtilizationQuery::last_days(Timestamp::from_unix(i64::MAX, 0), u32::MAX).unwrap();
        assert_eq!(q.end_time.to_string(), "9999-12-31T21:00:00Z");
        assert_eq!(q.start_time.to_string(), "-9999-01-01T00:00:00Z");
    }

    #[test]
    fn ids_refuse_path_tricks() {
        for bad in ["", " ", "a/b", "..", "a?b", "a%2F", "a b", &"x".repeat(129)] {
            assert!(CustomerId::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(CustomerId::new(" abc ").unwrap().as_str(), "abc");
    }

    #[test]
    fn utilization_query_validation() {
        let t = |s| Timestamp::parse(s).unwrap();
        assert!(
            UtilizationQuery::new(t("2024-01-02T00:00:00Z"), t("2024-01-01T00:00:00Z")).is_err()
        );
        assert!(
            UtilizationQuery::new(t("2024-01-01T00:00:00Z"), t("2024-01-01T00:00:00Z")).is_err()
        );
        let q = UtilizationQuery::new(t("2024-01-01T00:00:00+02:00"), t("2024-01-02T00:00:00Z"))
            .unwrap()
            .granularity(Granularity::Hourly)
            .show_details(false);
        assert!(q.clone().size(0).is_err());
        assert!(q.clone().size(1001).is_err());
        let q = q.size(10).unwrap();
        let e = Endpoint::AzureUtilization {
            customer: CustomerId::new("c").unwrap(),
            subscription: SubscriptionId::new("s").unwrap(),
            query: q,
        };
        assert_eq!(
            e.path_and_query(),
            "customers/c/subscriptions/s/utilizations/azure?start_time=2023-12-31T22:00:00Z&end_time=2024-01-02T00:00:00Z&size=10&granularity=hourly&show_details=false"
        );
        assert!(e.validate().is_ok());
        // What the public fields let one set, validate refuses.
        let with = |f: &dyn Fn(&mut UtilizationQuery)| {
            let mut e = e.clone();
            if let Endpoint::AzureUtilization { query, .. } = &mut e {
                f(query);
            }
            e.validate()
        };
        assert!(with(&|q| q.size = 0).is_err());
        assert!(with(&|q| q.size = 1001).is_err());
        assert!(with(&|q| q.size = 1000).is_ok());
        assert!(with(&|q| q.end_time = q.start_time).is_err());
        assert!(Endpoint::Customers { size: 1001 }.validate().is_err());
    }
}
