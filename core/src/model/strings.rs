use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A string-to-string map read leniently: `tags`, `additionalInfo` and
/// `infoFields`. Non-string values keep their JSON text (`3`, `true`), `null`
/// values are dropped, and a `null` map is empty.
///
/// ```
/// use partner_usage_core::model::StringMap;
/// let m: StringMap = serde_json::from_str(r#"{"env":"prod","n":3,"x":null}"#).unwrap();
/// assert_eq!(m.get("env"), Some("prod"));
/// assert_eq!(m.get("n"), Some("3"));
/// assert_eq!(m.get("x"), None);
/// assert!(serde_json::from_str::<StringMap>("null").unwrap().is_empty());
/// let e = serde_json::from_str::<StringMap>("5").unwrap_err().to_string();
/// assert!(e.starts_with("invalid type: integer `5`, expected an object of strings"), "{e}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StringMap(pub BTreeMap<String, String>);

impl StringMap {
    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The value of a key compared case-insensitively, as Azure treats tag names.
    ///
    /// ```
    /// use partner_usage_core::model::StringMap;
    /// let m: StringMap = serde_json::from_str(r#"{"CostCenter":"42"}"#).unwrap();
    /// assert_eq!(m.get_ignore_case("costcenter"), Some("42"));
    /// ```
    pub fn get_ignore_case(&self, key: &str) -> Option<&str> {
        self.get(key).or_else(|| {
            self.0
                .iter()
                .find(|(k, _)| crate::case::eq_ignore_case(k, key))
                .map(|(_, v)| v.as_str())
        })
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A value's JSON text (see `raw_json`).
struct RawText<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for RawText<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::raw_json::raw_json(d).map(RawText)
    }
}

impl<'de> Deserialize<'de> for StringMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_unit<E>(self) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
            fn visit_none<E>(self) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<StringMap, D::Error> {
                d.deserialize_map(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StringMap, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let raw = map.next_value::<RawText<'de>>()?.0;
                    let text = raw.as_ref();
                    let value = if text.starts_with('"') {
                        serde_json::from_str::<String>(text).map_err(serde::de::Error::custom)?
                    } else if text == "null" {
                        continue;
                    } else {
                        text.to_string()
                    };
                    out.insert(key, value);
                }
                Ok(StringMap(out))
            }
        }
        d.deserialize_option(V)
    }
}
