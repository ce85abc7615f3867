//! `cargo xtask package`: the npm package's wasm build into `www/pkg/`.

use std::path::Path;
use std::time::Instant;

use crate::cmd::{rel, Cmd};
use crate::ensure::{self, WASM_TARGET};
use crate::json;
use crate::paths::{pkg, target_dir, www};
use crate::steps::{Outcome, StepResult, Steps};

/// wasm-bindgen's `--out-name`: www/pkg/partner_usage.js, partner_usage_bg.wasm, ...
pub const OUT_NAME: &str = "partner_usage";
const RUSTFLAGS_VAR: &str = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS";
const WASM_RUSTFLAGS: &str = "-C target-feature=+simd128";

/// A cargo command for the wasm target. simd128 is set through the
/// target-specific variable so native builds are neither affected nor
/// rebuilt; the wasm tests use it too, so they test the code that ships.
pub fn wasm_cargo() -> Cmd {
    for var in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
        if std::env::var_os(var).is_some() {
            println!("warning: {var} is set, so cargo ignores {RUSTFLAGS_VAR} ({WASM_RUSTFLAGS} is not applied)");
        }
    }
    Cmd::cargo().env(RUSTFLAGS_VAR, WASM_RUSTFLAGS)
}

/// The package step and the `ensure_*` steps it needs (each runs once).
pub fn steps(steps: &mut Steps) -> bool {
    steps.run("ensure_wasm_target", &[], ensure::wasm_target);
    steps.run("ensure_wasm_bindgen_cli", &[], ensure::wasm_bindgen_cli);
    steps.run("ensure_npm", &[], ensure::npm);
    steps.run(
        "package",
        &[
            "ensure_wasm_target",
            "ensure_wasm_bindgen_cli",
            "ensure_npm",
        ],
        build,
    )
}

fn phase(label: &str, start: Instant) {
    println!("  [{label}: {:.1} s]", start.elapsed().as_secs_f64());
}

/// Builds www/pkg and then runs `npm run build` if package.json has it.
pub fn build() -> StepResult {
    let t = Instant::now();
    wasm_cargo()
        .args([
            "build",
            "--release",
            "-p",
            "partner-usage-wasm",
            "--target",
            WASM_TARGET,
        ])
        .run()?;
    phase("cargo build", t);

    let wasm = target_dir()
        .join(WASM_TARGET)
        .join("release")
        .join("partner_usage_wasm.wasm");
    if !wasm.exists() {
        return Err(format!(
            "the build succeeded but {} does not exist",
            rel(&wasm)
        ));
    }

    let t = Instant::now();
    let out = pkg();
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", rel(&out)))?;
    }
    Cmd::new("wasm-bindgen")
        .args(["--target", "web", "--out-dir"])
        .arg(rel(&out))
        .args(["--out-name", OUT_NAME, "--remove-name-section", "--remove-producers-section"])
        .arg(rel(&wasm))
        .hint("run `cargo xtask test` once, or install the CLI matching Cargo.lock: cargo install wasm-bindgen-cli --version <version>")
        .run()?;
    phase("wasm-bindgen", t);

    let bg = out.join(format!("{OUT_NAME}_bg.wasm"));
    let js = out.join(format!("{OUT_NAME}.js"));
    wasm_opt(&bg)?;

    print_sizes(&[&bg, &js]);

    npm_build()?;
    println!("package ready in {}/", rel(&out));
    Ok(Outcome::Done)
}

/// Optimises with npm binaryen's wasm-opt (never Debian's /usr/bin/wasm-opt,
/// whose output breaks in Chromium; never `--all-features`).
fn wasm_opt(bg: &Path) -> Result<(), String> {
    let wasm_opt = www().join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        println!(
            "note: {} is missing, so the wasm is not optimised further (add the npm package binaryen to www/package.json devDependencies)",
            rel(&wasm_opt)
        );
        return Ok(());
    }
    let t = Instant::now();
    let tmp = bg.with_extension("opt.wasm");
    Cmd::new(&wasm_opt)
        .args(["-O3", "--enable-simd"])
        .arg(rel(bg))
        .arg("-o")
        .arg(rel(&tmp))
        .run()?;
    std::fs::rename(&tmp, bg)
        .map_err(|e| format!("cannot move {} to {}: {e}", rel(&tmp), rel(bg)))?;
    phase("wasm-opt", t);
    Ok(())
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn gzip_size(path: &Path) -> Option<u64> {
    let bytes = Cmd::new("gzip")
        .args(["-9", "-c"])
        .arg(rel(path))
        .probe_bytes()?;
    Some(bytes.len() as u64)
}

fn print_sizes(files: &[&Path]) {
    let mut rows = Vec::new();
    for file in files {
        let Ok(meta) = file.metadata() else {
            continue;
        };
        let gz = gzip_size(file).map_or_else(|| "n/a (no gzip)".to_string(), thousands);
        rows.push((rel(file), thousands(meta.len()), gz));
    }
    println!("\n{:<32} {:>12} {:>14}", "file", "bytes", "gzip -9 bytes");
    for (name, raw, gz) in rows {
        println!("{name:<32} {raw:>12} {gz:>14}");
    }
    println!();
}

/// `npm run build` in www/ when package.json has a `build` script (it
/// assembles the publishable package from www/pkg and www/src).
fn npm_build() -> Result<(), String> {
    let manifest = www().join("package.json");
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        println!("note: no www/package.json, so there is no `npm run build` to run");
        return Ok(());
    };
    if !json::has_script(&text, "build").map_err(|e| format!("www/package.json: {e}"))? {
        println!("note: www/package.json has no `build` script; www/pkg is the output");
        return Ok(());
    }
    let t = Instant::now();
    Cmd::new("npm").args(["run", "build"]).cwd(www()).run()?;
    phase("npm run build", t);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(134_855), "134,855");
        assert_eq!(thousands(1_055_357), "1,055,357");
    }

    #[test]
    fn wasm_builds_get_simd_without_touching_native_flags() {
        let line = wasm_cargo().arg("build").display();
        assert_eq!(
            line,
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS='-C target-feature=+simd128' cargo build"
        );
    }
}
