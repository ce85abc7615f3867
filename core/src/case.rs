//! Names that Azure compares without regard to case: resource groups (and
//! so resource URIs) and tag names.
//!
//! Azure allows Unicode letters in these names (`Prod-Ärzte`), and compares
//! them ignoring case, so ASCII-only folding would split `PROD-ÄRZTE` and
//! `prod-ärzte` into two groups. ASCII names, nearly all of them, take a fast
//! path that neither allocates nor consults Unicode tables.

use std::borrow::Cow;

/// `s` with case folded (each character lower-cased on its own, as .NET's
/// ordinal ignore-case comparison maps characters one by one): borrowed
/// when it is already folded ASCII.
///
/// ```
/// use partner_usage_core::case::fold;
/// assert_eq!(fold("Prod-RG"), "prod-rg");
/// assert_eq!(fold("PROD-ÄRZTE"), "prod-ärzte");
/// assert!(matches!(fold("prod-rg"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn fold(s: &str) -> Cow<'_, str> {
    if !s.is_ascii() {
        // Not `str::to_lowercase`: its context rule for a final sigma is
        // not how Azure compares, and it weighs 4 KB of wasm.
        Cow::Owned(s.chars().flat_map(char::to_lowercase).collect())
    } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether two names are the same ignoring case.
///
/// ```
/// use partner_usage_core::case::eq_ignore_case;
/// assert!(eq_ignore_case("Prod-RG", "prod-rg"));
/// assert!(eq_ignore_case("PROD-ÄRZTE", "prod-ärzte"));
/// assert!(!eq_ignore_case("prod-ärzte", "prod-arzte"));
/// ```
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!(a.is_ascii() && b.is_ascii()) && fold(a) == fold(b))
}

/// [`eq_ignore_case`] for raw bytes (a key straight from a JSON body):
/// bytes that are not UTF-8 compare as they are, ignoring ASCII case only.
///
/// ```
/// use partner_usage_core::case::eq_ignore_case_bytes;
/// assert!(eq_ignore_case_bytes("KOSTENSTELLE-Ä".as_bytes(), b"kostenstelle-\xc3\xa4"));
/// assert!(!eq_ignore_case_bytes(b"\xff", b"\xfe"));
/// ```
pub fn eq_ignore_case_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    match (std::str::from_utf8(a), std::str::from_utf8(b)) {
        (Ok(a), Ok(b)) => eq_ignore_case(a, b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_unicode_names_as_azure_compares_them() {
        let same = [
            ("Prod-RG", "PROD-rg"),
            ("Ärzte-Gruppe", "ärzte-GRUPPE"),
            ("ΟΜΆΔΑ", "ομάδα"),
            ("Группа", "ГРУППА"),
            ("運用-RG", "運用-rg"),
        ];
        for (a, b) in same {
            assert!(eq_ignore_case(a, b), "{a} = {b}");
            assert!(
                eq_ignore_case_bytes(a.as_bytes(), b.as_bytes()),
                "{a} = {b}"
            );
            assert_eq!(fold(a), fold(b));
        }
        let different = [
            ("prod-rg", "prod-rg2"),
            ("ärzte", "arzte"),
            ("運用", "運営"),
        ];
        for (a, b) in different {
            assert!(!eq_ignore_case(a, b), "{a} ≠ {b}");
            assert!(
                !eq_ignore_case_bytes(a.as_bytes(), b.as_bytes()),
                "{a} ≠ {b}"
            );
            assert_ne!(fold(a), fold(b));
        }
    }
}
