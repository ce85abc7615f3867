//! The `ensure_*` steps: install what the test and package commands need when
//! it is missing, or say clearly how to install it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::cmd::{find_on_path, rel, root, Cmd};
use crate::lockfile::locked_version;
use crate::steps::{Outcome, StepResult};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// `rustup target add wasm32-unknown-unknown` (a no-op when present).
pub fn wasm_target() -> StepResult {
    let added = Cmd::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .hint("install Rust with rustup (https://rustup.rs), or a toolchain that has the wasm32-unknown-unknown target")
        .run();
    match added {
        Ok(()) => Ok(Outcome::Done),
        Err(err) if target_installed() => {
            println!("note: {err}; the {WASM_TARGET} standard library is present anyway");
            Ok(Outcome::Done)
        }
        Err(err) => Err(err),
    }
}

/// Whether the active toolchain has the wasm target's standard library.
fn target_installed() -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Some(libdir) = Cmd::new(rustc)
        .args(["--print", "target-libdir", "--target", WASM_TARGET])
        .probe()
    else {
        return false;
    };
    std::fs::read_dir(libdir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("libcore-"))
        })
        .unwrap_or(false)
}

/// Makes `wasm-bindgen` (and `wasm-bindgen-test-runner`) match the
/// `wasm-bindgen` version pinned in Cargo.lock, installing on mismatch.
pub fn wasm_bindgen_cli() -> StepResult {
    let lock_path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| {
        format!(
            "cannot read {}: {e} (run `cargo generate-lockfile`)",
            rel(&lock_path)
        )
    })?;
    let version = locked_version(&lock, "wasm-bindgen")?;
    let want = format!("wasm-bindgen {version}");

    if cli_is(&want) {
        println!("{want} and wasm-bindgen-test-runner are installed");
        return Ok(Outcome::Done);
    }
    if wait_for_other_installs() && cli_is(&want) {
        println!("{want} was installed by the other process");
        return Ok(Outcome::Done);
    }

    println!("installing wasm-bindgen-cli {version} (takes about 2-3 minutes on 2 cores)");
    let install = |locked: bool| {
        let mut cmd = Cmd::cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--force",
        ]);
        if locked {
            cmd = cmd.arg("--locked");
        }
        cmd.run()
    };
    if let Err(err) = install(true) {
        println!("note: {err}; retrying without --locked (the crate index here can lack some locked versions)");
        install(false).map_err(|e| {
            format!("could not install wasm-bindgen-cli {version}: {e}. Install it by hand: cargo install wasm-bindgen-cli --version {version}")
        })?;
    }
    if cli_is(&want) {
        return Ok(Outcome::Done);
    }
    let found = Cmd::new("wasm-bindgen").arg("--version").probe();
    let at = find_on_path("wasm-bindgen")
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "nowhere on PATH".into());
    Err(format!(
        "after installing, `wasm-bindgen --version` prints {found:?} (found {at}), not `{want}`; put {} first on PATH",
        cargo_bin().display()
    ))
}

fn cli_is(want: &str) -> bool {
    let got = Cmd::new("wasm-bindgen").arg("--version").probe();
    match got {
        Some(v) if v == want => find_on_path("wasm-bindgen-test-runner").is_some(),
        Some(v) => {
            println!("found `{v}`, need `{want}`");
            false
        }
        None => {
            println!("wasm-bindgen is not installed");
            false
        }
    }
}

/// `$CARGO_HOME/bin` (where `cargo install` puts binaries).
pub fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// Pids of other running `cargo install wasm-bindgen-cli` processes.
fn other_installs() -> Vec<u32> {
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter(|pid| {
            let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                return false;
            };
            let args: Vec<String> = raw
                .split(|&b| b == 0)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            is_cli_install(&args)
        })
        .collect()
}

/// Whether a command line is `cargo install ... wasm-bindgen-cli ...`.
fn is_cli_install(args: &[String]) -> bool {
    let Some((program, rest)) = args.split_first() else {
        return false;
    };
    let is_cargo = Path::new(program).file_name().is_some_and(|n| n == "cargo");
    is_cargo && rest.iter().any(|a| a == "install") && rest.iter().any(|a| a == "wasm-bindgen-cli")
}

/// Waits (up to 20 minutes) for a concurrent wasm-bindgen-cli install to end
/// rather than starting a second one. Returns whether there was one.
fn wait_for_other_installs() -> bool {
    let pids = other_installs();
    if pids.is_empty() {
        return false;
    }
    println!("another `cargo install wasm-bindgen-cli` is running (pid {pids:?}); waiting for it to finish");
    let start = Instant::now();
    let mut last_note = Instant::now();
    while !other_installs().is_empty() && start.elapsed() < Duration::from_secs(20 * 60) {
        std::thread::sleep(Duration::from_secs(2));
        if last_note.elapsed() >= Duration::from_secs(30) {
            println!("  still waiting ({:.0} s)", start.elapsed().as_secs_f64());
            last_note = Instant::now();
        }
    }
    true
}

fn is_root() -> bool {
    Cmd::new("id").arg("-u").probe().as_deref() == Some("0")
}

/// The major version in output like `Chromium 156.0.8078.79 built on Debian`
/// or `ChromeDriver 156.0.8078.79 (...)`.
pub fn major_version(text: &str) -> Option<u32> {
    text.split_whitespace()
        .find(|w| {
            w.contains('.')
                && w.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .and_then(|w| w.split('.').next()?.parse().ok())
}

/// Installs Chromium and chromedriver from apt when either is missing (even
/// if CI happens to run on a machine that has them, this step is what makes
/// a fresh machine work).
pub fn chromium() -> StepResult {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if !missing.is_empty() {
        let manual = "apt-get update && apt-get install -y chromium chromium-driver";
        println!("missing: {}", missing.join(", "));
        if !is_root() {
            return Err(format!(
                "{} missing and xtask is not running as root; install them with: sudo sh -c '{manual}'",
                missing.join(" and ")
            ));
        }
        if find_on_path("apt-get").is_none() {
            return Err(format!(
                "{} missing and there is no apt-get; install Chromium and a matching chromedriver at those paths",
                missing.join(" and ")
            ));
        }
        let apt = |args: &[&str]| {
            Cmd::new("apt-get")
                .args(["-o", "DPkg::Lock::Timeout=600"])
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .run()
        };
        apt(&["update"]).map_err(|e| format!("{e} (needed to install Chromium: {manual})"))?;
        apt(&["install", "-y", "chromium", "chromium-driver"])
            .map_err(|e| format!("{e} (try by hand: {manual})"))?;
        if let Some(p) = [CHROMIUM, CHROMEDRIVER]
            .into_iter()
            .find(|p| !Path::new(p).exists())
        {
            return Err(format!(
                "{p} is still missing after installing chromium and chromium-driver"
            ));
        }
    }
    let browser = Cmd::new(CHROMIUM)
        .arg("--version")
        .probe()
        .unwrap_or_default();
    let driver = Cmd::new(CHROMEDRIVER)
        .arg("--version")
        .probe()
        .unwrap_or_default();
    println!("{browser}\n{driver}");
    match (major_version(&browser), major_version(&driver)) {
        (Some(b), Some(d)) if b != d => Err(format!(
            "Chromium {b} and ChromeDriver {d} do not match; run: apt-get install -y chromium chromium-driver"
        )),
        (Some(_), Some(_)) => Ok(Outcome::Done),
        _ => {
            println!("note: could not read both versions; continuing");
            Ok(Outcome::Done)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NpmAction {
    UpToDate,
    Ci,
    Install,
}

/// Decides what to do in `www/` from modification times: `lock` and
/// `manifest` are package-lock.json and package.json, `marker` is
/// node_modules/.package-lock.json (written by npm after every install).
pub fn npm_action(
    lock: Option<SystemTime>,
    manifest: Option<SystemTime>,
    marker: Option<SystemTime>,
) -> NpmAction {
    let newer = |file: Option<SystemTime>| match (file, marker) {
        (Some(f), Some(m)) => f > m,
        (_, None) => true,
        (None, Some(_)) => false,
    };
    match lock {
        Some(_) if newer(lock) || newer(manifest) => NpmAction::Ci,
        Some(_) => NpmAction::UpToDate,
        None if newer(manifest) => NpmAction::Install,
        None => NpmAction::UpToDate,
    }
}

fn mtime(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// `npm ci` (or `npm install` without a lockfile) in `www/` when its
/// node_modules is missing or older than the lockfile.
pub fn npm() -> StepResult {
    let www = root().join("www");
    let manifest = www.join("package.json");
    if !manifest.exists() {
        return Ok(Outcome::Skipped("no www/package.json".into()));
    }
    ensure_node()?;
    let lock = www.join("package-lock.json");
    let marker = www.join("node_modules/.package-lock.json");
    let action = npm_action(mtime(&lock), mtime(&manifest), mtime(&marker));
    let npm = |verb: &str| {
        Cmd::new("npm")
            .args([verb, "--no-audit", "--no-fund"])
            .cwd(&www)
            .hint(NODE_HINT)
            .run()
    };
    match action {
        NpmAction::UpToDate => {
            println!(
                "www/node_modules is up to date with {}",
                if mtime(&lock).is_some() {
                    "package-lock.json"
                } else {
                    "package.json"
                }
            );
            Ok(Outcome::Done)
        }
        NpmAction::Ci => npm("ci").map(|()| Outcome::Done),
        NpmAction::Install => {
            println!("note: www/package-lock.json does not exist; using `npm install`");
            npm("install").map(|()| Outcome::Done)
        }
    }
}

const NODE_HINT: &str =
    "install Node.js 20 or later with npm (e.g. `apt-get install -y nodejs npm`)";

/// Installs Node.js and npm from apt when npm is missing and we are root.
fn ensure_node() -> Result<(), String> {
    if find_on_path("npm").is_some() {
        return Ok(());
    }
    if !is_root() || find_on_path("apt-get").is_none() {
        return Err(format!("npm was not found on PATH: {NODE_HINT}"));
    }
    println!("npm is missing; installing nodejs and npm from apt");
    Cmd::new("apt-get")
        .args([
            "-o",
            "DPkg::Lock::Timeout=600",
            "install",
            "-y",
            "nodejs",
            "npm",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()
        .map_err(|e| format!("{e}; {NODE_HINT}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_versions() {
        assert_eq!(
            major_version("Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)"),
            Some(156)
        );
        assert_eq!(
            major_version("ChromeDriver 156.0.8078.79 (0123abcd-refs/branch-heads/7000@{#1})"),
            Some(156)
        );
        assert_eq!(major_version("Google Chrome 131.0.6778.85 "), Some(131));
        assert_eq!(major_version(""), None);
        assert_eq!(major_version("no version here."), None);
    }

    #[test]
    fn npm_decisions() {
        let t = |s: u64| Some(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        use NpmAction::*;
        // No node_modules yet.
        assert_eq!(npm_action(t(10), t(10), None), Ci);
        assert_eq!(npm_action(None, t(10), None), Install);
        // Installed after the last change.
        assert_eq!(npm_action(t(10), t(10), t(20)), UpToDate);
        assert_eq!(npm_action(None, t(10), t(20)), UpToDate);
        // Lockfile or manifest changed since.
        assert_eq!(npm_action(t(30), t(10), t(20)), Ci);
        assert_eq!(npm_action(t(10), t(30), t(20)), Ci);
        assert_eq!(npm_action(None, t(30), t(20)), Install);
    }

    #[test]
    fn recognises_cli_installs() {
        let v = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(is_cli_install(&v(
            "/root/.rustup/toolchains/stable/bin/cargo install wasm-bindgen-cli --version 0.2.130"
        )));
        assert!(is_cli_install(&v("cargo install --force wasm-bindgen-cli")));
        assert!(!is_cli_install(&v("cargo install wasm-pack")));
        assert!(!is_cli_install(&v("grep cargo install wasm-bindgen-cli")));
        assert!(!is_cli_install(&[]));
    }
}
