//! The JSON path at a byte offset: where a decode error happened, named the
//! way a reader looks for it (`instanceData.tags.env`, `items[3].quantity`).
//!
//! serde_json reports where it stopped as a line and column; walking the
//! text up to that point gives the path without tracking it while decoding
//! (which would instantiate every decoder twice and cost the fast path).

/// One level of nesting.
enum Frame {
    /// An object, with the key whose value is being read (if any yet).
    Object { key: Option<String>, want_key: bool },
    /// An array, with the index of the element being read.
    Array { index: usize },
}

/// The byte offset where serde_json stopped, from its 1-based `line` and
/// (byte) `column`: the column is the character it was looking at, so the
/// text before it is what was read.
pub(crate) fn offset_of(json: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    if line > 1 {
        let newline = json
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(line - 2);
        match newline {
            Some((i, _)) => start = i + 1,
            None => return json.len(),
        }
    }
    (start + column.saturating_sub(1)).min(json.len())
}

/// The path of the value being read at byte `offset` of `json`: keys
/// joined by `.`, array indices as `[i]`; empty at the top level. Text
/// that isn't JSON gives the path as far as it makes sense. For example,
/// in `{"a":{"b":[1,"x"]}}` the path just after `"x"` is `a.b[1]`.
pub(crate) fn path_at(json: &[u8], offset: usize) -> String {
    let end = offset.min(json.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    // Whether the last thing read opened an object or array: an error
    // reported right there is about the container, not its first member.
    let mut just_opened = false;
    while i < end {
        just_opened = matches!(json[i], b'{' | b'[');
        match json[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key, want_key }) => {
                    *key = None;
                    *want_key = true;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i = start;
                while i < json.len() && json[i] != b'"' {
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, want_key }) = stack.last_mut() {
                    if *want_key {
                        let raw = &json[start..i.min(json.len())];
                        *key = Some(unescape(raw));
                        *want_key = false;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if just_opened {
        stack.pop();
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

/// A key's text: JSON escapes decoded when it has any.
fn unescape(raw: &[u8]) -> String {
    if raw.contains(&b'\\') {
        let mut quoted = Vec::with_capacity(raw.len() + 2);
        quoted.push(b'"');
        quoted.extend_from_slice(raw);
        quoted.push(b'"');
        if let Ok(s) = serde_json::from_slice::<String>(&quoted) {
            return s;
        }
    }
    String::from_utf8_lossy(raw).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(json: &str, marker: &str) -> String {
        let offset = json.find(marker).expect("marker") + marker.len();
        path_at(json.as_bytes(), offset)
    }

    #[test]
    fn paths_name_keys_and_indices() {
        let j = r#"{"a":{"b":[1,"x",{"c":true}]},"d":5}"#;
        assert_eq!(at(j, r#""x""#), "a.b[1]");
        assert_eq!(at(j, "true"), "a.b[2].c");
        assert_eq!(at(j, "5"), "d");
        assert_eq!(at(j, "{"), "");
        assert_eq!(path_at(j.as_bytes(), j.len()), "");
        assert_eq!(at(r#"{"k\"ey":1}"#, "1"), "k\"ey");
        assert_eq!(at(r#"[{"a":1},{"b":2}]"#, "2"), "[1].b");
        // Right after an opening bracket: the container itself.
        assert_eq!(at(r#"{"tags":[1]}"#, "["), "tags");
    }

    #[test]
    fn a_value_closed_just_before_the_offset_is_its_parent_key() {
        // serde_json reports a missing field after the object's `}`.
        let j = r#"{"budget":{}}"#;
        assert_eq!(path_at(j.as_bytes(), j.find('}').unwrap() + 1), "budget");
    }

    #[test]
    fn lines_and_columns_become_offsets() {
        let j = b"{\n  \"a\": x\n}";
        assert_eq!(offset_of(j, 1, 1), 0);
        assert_eq!(offset_of(j, 2, 8), 9);
        assert_eq!(offset_of(j, 9, 9), j.len());
    }

    #[test]
    fn garbage_never_panics() {
        for j in [&b"\"\\"[..], b"}}}]]", b"{\"a", b"[,,,", b"\xff\xfe"] {
            for o in 0..=j.len() + 1 {
                let _ = path_at(j, o);
            }
        }
    }
}
