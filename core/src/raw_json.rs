//! A value's JSON text, from any serde deserializer.
//!
//! [`Decimal`](crate::decimal::Decimal) and
//! [`StringMap`](crate::model::StringMap) read a value's text as Partner
//! Center wrote it (a number's every digit, not an `f64`). serde_json hands
//! that text over through its `RawValue` protocol: borrowed from the input
//! (`from_str`, `from_slice`, no copy), or owned (`from_reader`,
//! `from_value`). Any other deserializer (a `serde_json::Value`
//! without `raw_value`, a format other than JSON, or serde's buffered
//! content inside `#[serde(flatten)]` and untagged enums) gets its scalar
//! visited and written back as JSON text.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The name serde_json's deserializers recognise for a raw value (the
/// `RawValue` protocol of its `raw_value` feature, which this crate enables).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// The JSON text of the next value: borrowed when the deserializer can lend
/// it, else owned.
pub(crate) fn raw_json<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    d.deserialize_newtype_struct(RAW_TOKEN, RawVisitor)
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }

    /// serde_json: a one-entry map from the token to the text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key_seed(TextSeed)? {
            Some(k) if k == RAW_TOKEN => map.next_value_seed(TextSeed),
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }

    /// Any other deserializer: its value, visited as a scalar (below).
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    // A scalar written as JSON text: a string quoted, a number as its
    // digits, `null` for a unit or none.

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        serde_json::to_string(v).map(Cow::Owned).map_err(E::custom)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(if v { "true" } else { "false" }))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    /// The shortest text that reads back as the same `f64` (what the value
    /// was, as far as an `f64` can tell).
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.is_finite() {
            Ok(Cow::Owned(format!("{v:?}")))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed("null"))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed("null"))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A string, borrowed if possible.
struct TextSeed;

impl<'de> de::DeserializeSeed<'de> for TextSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TextSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq)]
    struct Text(String, bool);

    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let t = raw_json(d)?;
            let borrowed = matches!(t, Cow::Borrowed(_));
            Ok(Text(t.into_owned(), borrowed))
        }
    }

    #[test]
    fn borrowed_from_text_owned_from_a_reader_or_a_value() {
        let json = r#"[120.5682999999995904716, "1.50", null, {"a": [1]}]"#;
        let from_str: Vec<Text> = serde_json::from_str(json).unwrap();
        assert_eq!(
            from_str,
            [
                Text("120.5682999999995904716".into(), true),
                Text(r#""1.50""#.into(), true),
                Text("null".into(), true),
                Text(r#"{"a": [1]}"#.into(), true),
            ]
        );
        let from_reader: Vec<Text> = serde_json::from_reader(json.as_bytes()).unwrap();
        assert_eq!(
            from_reader[0],
            Text("120.5682999999995904716".into(), false)
        );
        assert_eq!(from_reader[1], Text(r#""1.50""#.into(), false));
        // A Value holds an f64 (no arbitrary_precision): its shortest text.
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let from_value: Vec<Text> = serde_json::from_value(value).unwrap();
        assert_eq!(
            from_value[0].0.parse::<f64>(),
            "120.5682999999995904716".parse::<f64>()
        );
        assert!(!from_value[0].1);
        assert_eq!(from_value[1].0, r#""1.50""#);
        assert_eq!(from_value[2].0, "null");
    }

    #[test]
    fn other_deserializers_give_their_scalars_as_json_text() {
        use serde::de::value::{Error, F64Deserializer, StrDeserializer, U64Deserializer};
        use serde::de::IntoDeserializer;
        let t = |d: Result<Text, Error>| d.unwrap().0;
        assert_eq!(
            t(Text::deserialize(
                IntoDeserializer::<Error>::into_deserializer(7u64) as U64Deserializer<Error>
            )),
            "7"
        );
        assert_eq!(
            t(Text::deserialize(
                IntoDeserializer::<Error>::into_deserializer(2.5f64) as F64Deserializer<Error>
            )),
            "2.5"
        );
        assert_eq!(
            t(Text::deserialize(
                IntoDeserializer::<Error>::into_deserializer("a\"b") as StrDeserializer<Error>
            )),
            r#""a\"b""#
        );
        let nan: Result<Text, Error> =
            Text::deserialize(IntoDeserializer::<Error>::into_deserializer(f64::NAN));
        assert!(nan.is_err());
    }

    #[test]
    fn every_scalar_is_written_back_as_json_text() {
        use serde::de::value::{
            BoolDeserializer, Error, I128Deserializer, I64Deserializer, U128Deserializer,
            UnitDeserializer,
        };
        let t = |d: Result<Text, Error>| d.unwrap().0;
        assert_eq!(t(Text::deserialize(BoolDeserializer::new(true))), "true");
        assert_eq!(t(Text::deserialize(BoolDeserializer::new(false))), "false");
        assert_eq!(t(Text::deserialize(I64Deserializer::new(-3))), "-3");
        assert_eq!(
            t(Text::deserialize(I128Deserializer::new(i128::MIN))),
            i128::MIN.to_string()
        );
        assert_eq!(
            t(Text::deserialize(U128Deserializer::new(u128::MAX))),
            u128::MAX.to_string()
        );
        assert_eq!(t(Text::deserialize(UnitDeserializer::new())), "null");
        assert_eq!(t(Text::deserialize(Optional(None))), "null");
        assert_eq!(t(Text::deserialize(Optional(Some(42)))), "42");
    }

    #[test]
    fn a_map_is_raw_text_only_under_serde_jsons_token() {
        use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
        let map = |k: &'static str| {
            Text::deserialize(MapDeserializer::<_, Error>::new([(k, "1.50")].into_iter()))
        };
        // The token's entry is the text, handed over as it is.
        assert_eq!(map(RAW_TOKEN).unwrap(), Text("1.50".into(), false));
        let e = map("x").unwrap_err().to_string();
        assert!(
            e.contains("invalid type: map, expected a string, number, boolean or null"),
            "{e}"
        );
        // A key that is not a string.
        let e = Text::deserialize(MapDeserializer::<_, Error>::new([(1u64, "v")].into_iter()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected a string"), "{e}");
        let e = Text::deserialize(SeqDeserializer::<_, Error>::new([1u64].into_iter()))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("expected a string, number, boolean or null"),
            "{e}"
        );
    }

    /// A self-describing deserializer that says "none" or "some" (as serde's
    /// buffered content does for formats with options).
    struct Optional(Option<u64>);

    impl<'de> Deserializer<'de> for Optional {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            match self.0 {
                None => v.visit_none(),
                Some(n) => v.visit_some(serde::de::value::U64Deserializer::new(n)),
            }
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map struct enum identifier ignored_any
        }
    }
}
