//! Names that Azure compares without regard to case: resource groups (and
//! so resource URIs) and tag names.
//!
//! Azure allows Unicode letters in these names (`Prod-Ärzte`), and compares
//! them as .NET's `OrdinalIgnoreCase` does: two names are the same when
//! their characters, each upper-cased on its own by Unicode's simple
//! mapping (ICU's `u_toupper`), are the same, except that `ı` (dotless i)
//! and `ſ` (long s) are left as they are. So `ΟΜΆΔΑΣ` is `ομάδας` (its
//! final `ς` upper-cases to `Σ`), while the Kelvin sign `K` is not `k` and
//! `ß` is not `ẞ`. ASCII-only folding would split `PROD-ÄRZTE` and
//! `prod-ärzte` into two groups. ASCII names, nearly all of them, take a
//! fast path that neither allocates nor consults Unicode tables.

use std::borrow::Cow;

/// One character's folded form: the same for two characters exactly when
/// .NET upper-cases them to the same letter (checked against the Unicode
/// tables for every character in the tests). Mostly the lower case
/// (`Ä` and `ä` fold to `ä`); the exceptions are the letters whose lower
/// case belongs to another letter's class, which stay as they are, and the
/// lower-case variants that upper-case to a letter with another lower case
/// (`ς` upper-cases to `Σ`, so it folds to `σ`). Lower-casing only, so the
/// wasm carries no upper-case tables.
fn fold_char(c: char) -> char {
    match c {
        // The Kelvin, Ohm and Angstrom signs, capital sharp s and capital
        // theta symbol: no lower-case letter upper-cases to them.
        '\u{212A}' | '\u{2126}' | '\u{212B}' | '\u{1E9E}' | '\u{3F4}' => c,
        '\u{B5}' => '\u{3BC}',               // µ micro sign: μ
        '\u{345}' | '\u{1FBE}' => '\u{3B9}', // ypogegrammeni, prosgegrammeni: ι
        '\u{3C2}' => '\u{3C3}',              // ς: σ
        '\u{3D0}' => '\u{3B2}',              // ϐ: β
        '\u{3D1}' => '\u{3B8}',              // ϑ: θ
        '\u{3D5}' => '\u{3C6}',              // ϕ: φ
        '\u{3D6}' => '\u{3C0}',              // ϖ: π
        '\u{3F0}' => '\u{3BA}',              // ϰ: κ
        '\u{3F1}' => '\u{3C1}',              // ϱ: ρ
        '\u{3F5}' => '\u{3B5}',              // ϵ: ε
        '\u{1E9B}' => '\u{1E61}',            // ẛ: ṡ
        '\u{1C80}' => '\u{432}',             // old Cyrillic variants: в д о с т т ъ ѣ ꙋ
        '\u{1C81}' => '\u{434}',
        '\u{1C82}' => '\u{43E}',
        '\u{1C83}' => '\u{441}',
        '\u{1C84}' | '\u{1C85}' => '\u{442}',
        '\u{1C86}' => '\u{44A}',
        '\u{1C87}' => '\u{463}',
        '\u{1C88}' => '\u{A64B}',
        // İ keeps itself: its lower case is two characters.
        _ => only_char(c.to_lowercase()).unwrap_or(c),
    }
}

/// The one character of a case mapping, or `None` when it has more.
fn only_char(mut mapping: impl Iterator<Item = char>) -> Option<char> {
    match (mapping.next(), mapping.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// `s` with case folded, character by character (see the module docs):
/// two names are the same ignoring case exactly when their folds are equal.
/// Borrowed when it is already folded ASCII; no other character folds to an
/// ASCII one.
///
/// ```
/// use partner_usage_core::case::fold;
/// assert_eq!(fold("Prod-RG"), "prod-rg");
/// assert_eq!(fold("PROD-ÄRZTE"), "prod-ärzte");
/// assert_eq!(fold("ΟΜΆΔΑΣ"), fold("ομάδας"));
/// assert_ne!(fold("\u{212A}elvin"), fold("kelvin")); // the Kelvin sign is not k
/// assert!(matches!(fold("prod-rg"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn fold(s: &str) -> Cow<'_, str> {
    if !s.is_ascii() {
        Cow::Owned(s.chars().map(fold_char).collect())
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

/// Whether `needle` occurs in `haystack` ignoring case, with the same
/// folding as [`eq_ignore_case`]; an empty needle is in every haystack.
///
/// ```
/// use partner_usage_core::case::contains_ignore_case;
/// assert!(contains_ignore_case("Data Transfer Out", "transfer"));
/// assert!(contains_ignore_case("Übertragung ausgehend", "ÜBERTRAGUNG"));
/// assert!(!contains_ignore_case("Übertragung", "ubertragung"));
/// ```
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let n = needle.as_bytes();
        n.is_empty()
            || haystack
                .as_bytes()
                .windows(n.len())
                .any(|w| w.eq_ignore_ascii_case(n))
    } else {
        fold(haystack).contains(&*fold(needle))
    }
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

    /// `c` upper-cased as .NET's `OrdinalIgnoreCase` does (ICU's
    /// `u_toupper`, Unicode's simple mapping), but `ı` and `ſ` stay: .NET
    /// leaves them so that ordinal comparison has no Turkish-i behaviour.
    fn simple_upper(c: char) -> char {
        match c {
            '\u{131}' | '\u{17F}' => c,
            // Greek letters with ypogegrammeni: their full mapping (all Rust
            // gives) is two letters, their simple one the title-case letter.
            '\u{1F80}'..='\u{1F87}' | '\u{1F90}'..='\u{1F97}' | '\u{1FA0}'..='\u{1FA7}' => {
                char::from_u32(c as u32 + 8).unwrap()
            }
            '\u{1FB3}' => '\u{1FBC}',
            '\u{1FC3}' => '\u{1FCC}',
            '\u{1FF3}' => '\u{1FFC}',
            // ß, ŉ, ǰ, ﬀ… have no simple mapping: they keep themselves.
            _ => only_char(c.to_uppercase()).unwrap_or(c),
        }
    }

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

    /// As .NET's `OrdinalIgnoreCase` compares: the final sigma, title-case
    /// digraphs, Greek with ypogegrammeni and Deseret are the same as their
    /// other cases; the Kelvin and Ohm signs, the Angstrom sign, dotless i,
    /// long s and capital sharp s are not the letters they look like.
    #[test]
    fn compares_as_dotnet_ordinal_ignore_case() {
        let same = [
            ("ΟΜΆΔΑΣ", "ομάδας"),
            ("ς", "σ"),
            ("\u{1C5}", "\u{1C6}"),     // ǅ, ǆ
            ("\u{1C4}", "\u{1C5}"),     // Ǆ, ǅ
            ("\u{1FB3}", "\u{1FBC}"),   // ᾳ, ᾼ
            ("\u{1F80}", "\u{1F88}"),   // ᾀ, ᾈ
            ("\u{10400}", "\u{10428}"), // Deseret 𐐀, 𐐨
        ];
        for (a, b) in same {
            assert!(eq_ignore_case(a, b), "{a} = {b}");
            assert_eq!(fold(a), fold(b), "{a} = {b}");
        }
        let different = [
            ("\u{212A}", "k"), // Kelvin sign
            ("\u{212A}", "K"),
            ("\u{2126}", "ω"), // Ohm sign
            ("\u{212B}", "å"), // Angstrom sign
            ("ı", "i"),
            ("ı", "I"),
            ("ſ", "s"),
            ("ß", "\u{1E9E}"), // capital sharp s
            ("ß", "ss"),
            ("\u{130}", "i"), // İ
        ];
        for (a, b) in different {
            assert!(!eq_ignore_case(a, b), "{a} ≠ {b}");
            assert_ne!(fold(a), fold(b), "{a} ≠ {b}");
        }
    }

    /// Over every character of the first two planes: two characters fold
    /// alike exactly when they upper-case alike, a fold stays in its
    /// character's class, and only ASCII folds to ASCII (the fast paths
    /// compare ASCII names bytewise).
    #[test]
    fn folds_partition_characters_as_upper_casing_does() {
        use std::collections::HashMap;
        let mut upper_of_fold: HashMap<char, char> = HashMap::new();
        let mut fold_of_upper: HashMap<char, char> = HashMap::new();
        for c in (0..=0x1_FFFF).filter_map(char::from_u32) {
            let (f, u) = (fold_char(c), simple_upper(c));
            assert_eq!(*upper_of_fold.entry(f).or_insert(u), u, "{c:?}");
            assert_eq!(*fold_of_upper.entry(u).or_insert(f), f, "{c:?}");
            assert_eq!(simple_upper(f), u, "{c:?} folds out of its class");
            assert_eq!(f.is_ascii(), c.is_ascii(), "{c:?}");
        }
    }
}
