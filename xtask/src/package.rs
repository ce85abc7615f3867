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

/// The simulator build's wasm, next to the package's in www/pkg/.
pub const SIM_WASM: &str = "partner_usage_sim_bg.wasm";

/// Builds www/pkg and then runs `npm run build` if package.json has it.
///
/// The crate is built twice: without the simulator (`partner_usage_bg.wasm`,
/// what `init()` loads) and with it (feature `sim`: `partner_usage_sim_bg.wasm`,
/// for the demo's no-server mode and `partner-usage/simulator`). The feature
/// only adds a transport inside the wasm, so both builds have the same
/// exports and wasm-bindgen writes the same JS glue for them: one glue file
/// serves both (checked here, byte for byte).
pub fn build() -> StepResult {
    let out = pkg();
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", rel(&out)))?;
    }
    let wasm = cargo_wasm(false)?;
    bindgen(&wasm, &out)?;

    let sim_out = target_dir().join("pkg-sim");
    if sim_out.exists() {
        std::fs::remove_dir_all(&sim_out)
            .map_err(|e| format!("cannot clear {}: {e}", rel(&sim_out)))?;
    }
    let wasm = cargo_wasm(true)?;
    bindgen(&wasm, &sim_out)?;
    let glue = format!("{OUT_NAME}.js");
    let code = |dir: &Path| {
        std::fs::read_to_string(dir.join(&glue))
            .ok()
            .map(|js| glue_code(&js))
    };
    let same = code(&out).is_some() && code(&out) == code(&sim_out);
    if !same {
        return Err(format!(
            "the JS glue of the simulator build differs from the package build's ({} vs {}): the `sim` feature must not change what the crate exports",
            rel(&sim_out.join(&glue)),
            rel(&out.join(&glue))
        ));
    }
    let bg = out.join(format!("{OUT_NAME}_bg.wasm"));
    let sim_bg = out.join(SIM_WASM);
    std::fs::rename(sim_out.join(format!("{OUT_NAME}_bg.wasm")), &sim_bg).map_err(|e| {
        format!(
            "cannot move the simulator build's wasm to {}: {e}",
            rel(&sim_bg)
        )
    })?;

    wasm_opt(&bg)?;
    wasm_opt(&sim_bg)?;
    let js = out.join(&glue);
    print_sizes(&[&bg, &sim_bg, &js]);

    npm_build()?;
    println!("package ready in {}/", rel(&out));
    Ok(Outcome::Done)
}

/// `cargo build --release` of the wasm crate, with the simulator or
/// without; returns the built `.wasm`.
fn cargo_wasm(simulator: bool) -> Result<std::path::PathBuf, String> {
    let t = Instant::now();
    let mut cmd = wasm_cargo().args([
        "build",
        "--release",
        "-p",
        "partner-usage-wasm",
        "--target",
        WASM_TARGET,
    ]);
    if !simulator {
        cmd = cmd.arg("--no-default-features");
    }
    cmd.run()?;
    phase(
        if simulator {
            "cargo build (with the simulator)"
        } else {
            "cargo build"
        },
        t,
    );
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
    Ok(wasm)
}

/// `wasm-bindgen --target web` into `out`.
fn bindgen(wasm: &Path, out: &Path) -> Result<(), String> {
    let t = Instant::now();
    Cmd::new("wasm-bindgen")
        .args(["--target", "web", "--out-dir"])
        .arg(rel(out))
        .args(["--out-name", OUT_NAME, "--remove-name-section", "--remove-producers-section"])
        .arg(rel(wasm))
        .hint("run `cargo xtask test` once, or install the CLI matching Cargo.lock: cargo install wasm-bindgen-cli --version <version>")
        .run()?;
    phase("wasm-bindgen", t);
    Ok(())
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

/// The glue's code without its comment lines: wasm-bindgen's comments name
/// closure shims by an index that moves with the module's other functions
/// (the simulator build has more), while the code that runs is the same.
fn glue_code(js: &str) -> String {
    js.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
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
    fn glue_code_ignores_comments_only() {
        let a = "const a = 1;\n    // shim_idx: 125\nf(a);";
        let b = "const a = 1;\n    // shim_idx: 126\nf(a);";
        assert_eq!(glue_code(a), glue_code(b));
        assert_ne!(
            glue_code(a),
            glue_code("const a = 2;\n// shim_idx: 125\nf(a);")
        );
    }

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
