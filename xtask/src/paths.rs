//! Where build outputs live.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::cmd::{root, Cmd};
use crate::json;

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else what `cargo metadata`
/// reports, else `<root>/target`.
pub fn target_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
            return root().join(dir);
        }
        let meta = Cmd::cargo()
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .probe();
        meta.and_then(|text| {
            let parsed = json::parse(&text).ok()?;
            Some(PathBuf::from(parsed.get("target_directory")?.as_str()?))
        })
        .unwrap_or_else(|| root().join("target"))
    })
}

/// `www/`.
pub fn www() -> PathBuf {
    root().join("www")
}

/// `www/pkg/`, the wasm-bindgen output the npm package is assembled from.
pub fn pkg() -> PathBuf {
    www().join("pkg")
}
