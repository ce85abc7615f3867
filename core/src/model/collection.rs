use super::null_as_default;
use serde::{Deserialize, Serialize};

/// `PagedResourceCollection<T>` / `ResourceCollection<T>`: one page of a listing.
///
/// `totalCount` is the number of items in **this page**, not a grand total.
///
/// ```
/// use partner_usage_core::model::{Collection, CustomerMonthlyUsageRecord};
/// let page: Collection<CustomerMonthlyUsageRecord> = serde_json::from_str(
///     r#"{"totalCount":0,"items":[],"links":{"self":{"uri":"/customers/usagerecords","method":"GET","headers":[]}}}"#,
/// ).unwrap();
/// assert!(page.items.is_empty());
/// assert!(page.next_link().is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
#[non_exhaustive]
pub struct Collection<T> {
    /// Items in this page.
    #[serde(default)]
    pub total_count: Option<u64>,
    /// The records.
    #[serde(deserialize_with = "null_as_default")]
    pub items: Vec<T>,
    /// An opaque continuation token, when the service sends one here.
    #[serde(default)]
    pub continuation_token: Option<String>,
    /// Navigation links.
    #[serde(default)]
    pub links: Option<ResourceLinks>,
    /// Resource attributes (`objectType: "Collection"`).
    #[serde(default)]
    pub attributes: Option<ResourceAttributes>,
}

impl<T> Collection<T> {
    /// The `links.next` link, if there is one.
    pub fn next_link(&self) -> Option<&Link> {
        self.links.as_ref().and_then(|l| l.next.as_ref())
    }
}

/// `ResourceLinks`: `self`, `next` and `previous`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ResourceLinks {
    /// This page.
    #[serde(default, rename = "self")]
    pub self_link: Option<Link>,
    /// The next page; absent on the last page.
    #[serde(default)]
    pub next: Option<Link>,
    /// The previous page.
    #[serde(default)]
    pub previous: Option<Link>,
}

/// A link: follow it with its method **and every header** in `headers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Link {
    /// Relative (`customers/…`, `/customers/…`, `/v1/customers/…`) or absolute.
    #[serde(deserialize_with = "null_as_default")]
    pub uri: String,
    /// The method, `GET` when absent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub method: String,
    /// Headers to send with the request, e.g. `MS-ContinuationToken`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub headers: Vec<KeyValue>,
}

impl Link {
    /// A `GET` link with headers.
    ///
    /// ```
    /// use partner_usage_core::model::Link;
    /// let l = Link::get("/customers", [("MS-ContinuationToken", "a/b?c")]);
    /// assert_eq!(l.headers[0].value, "a/b?c");
    /// ```
    pub fn get<'a>(uri: &str, headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Link {
        Link {
            uri: uri.to_string(),
            method: "GET".to_string(),
            headers: headers
                .into_iter()
                .map(|(k, v)| KeyValue {
                    key: k.to_string(),
                    value: v.to_string(),
                })
                .collect(),
        }
    }
}

/// `KeyValuePair<string, string>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct KeyValue {
    /// The header name.
    #[serde(deserialize_with = "null_as_default")]
    pub key: String,
    /// The header value, sent byte for byte.
    #[serde(deserialize_with = "null_as_default")]
    pub value: String,
}

/// `ResourceAttributes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceAttributes {
    /// An entity tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The resource type, e.g. `CustomerMonthlyUsageRecord`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
}
