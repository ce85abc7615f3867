//! `cargo xtask test`: every test suite that exists.

use std::path::Path;

use crate::cmd::{root, Cmd};
use crate::ensure::{self, CHROMEDRIVER, WASM_TARGET};
use crate::package::{self, wasm_cargo};
use crate::paths::www;
use crate::sim::{self, SimServer};
use crate::steps::{Outcome, StepResult, Steps};

/// A named extra suite: its step name and what it runs.
pub type Suite = (&'static str, fn() -> StepResult);

/// Suites beyond the standard ones (for example a short fuzz smoke run or a
/// long property-test profile). Each entry runs as its own timed step at the
/// end of `cargo xtask test`; return `Outcome::Skipped` when its files don't
/// exist. Add entries to the returned list to extend the run.
pub fn extra_suites() -> Vec<Suite> {
    vec![("package_tests", package_tests)]
}

/// The npm packaging tests in www/tests-pkg/: the packed tarball installs
/// into a fresh Vite app (tsc --strict, vite build and dev server), a
/// webpack 5 app, an esbuild bundle, and React and Vue apps, whose pages load in Chromium, and imports
/// in Node (as server-side rendering does); they print the gzip sizes of the
/// wasm and the JS glue. They need www/dist/npm from the package step.
fn package_tests() -> StepResult {
    let www = www();
    if !www.join("tests-pkg").is_dir() {
        return Ok(Outcome::Skipped("no www/tests-pkg".into()));
    }
    if !www.join("dist/npm/package.json").exists() {
        return Err("www/dist/npm/package.json is missing: the package step (cargo xtask package, then npm run build) did not produce the npm package".into());
    }
    Cmd::new("node")
        .args(["--test", "tests-pkg/"])
        .cwd(&www)
        .run()
        .map(|()| Outcome::Done)
}

pub fn test() -> i32 {
    let mut steps = Steps::new();
    steps.run("ensure_wasm_target", &[], ensure::wasm_target);
    steps.run("ensure_wasm_bindgen_cli", &[], ensure::wasm_bindgen_cli);
    steps.run("ensure_chromium", &[], ensure::chromium);
    steps.run("ensure_npm", &[], ensure::npm);

    steps.run("native_tests", &[], || {
        Cmd::cargo()
            .args(["test", "--workspace", "--all-targets"])
            .run()
            .map(|()| Outcome::Done)
    });
    steps.run("doc_tests", &[], || {
        Cmd::cargo()
            .args(["test", "--workspace", "--doc"])
            .run()
            .map(|()| Outcome::Done)
    });
    steps.run(
        "wasm_tests",
        &[
            "ensure_wasm_target",
            "ensure_wasm_bindgen_cli",
            "ensure_chromium",
        ],
        wasm_tests,
    );

    if www().join("package.json").exists() {
        package::steps(&mut steps);
    } else {
        steps.run("package", &[], || {
            Ok(Outcome::Skipped("no www/package.json".into()))
        });
    }
    steps.run(
        "browser_tests",
        &["package", "ensure_chromium", "ensure_npm"],
        browser_tests,
    );

    for (name, suite) in extra_suites() {
        steps.run(name, &[], suite);
    }
    steps.finish("cargo xtask test")
}

/// Whether `dir` directly contains a `*.rs` file.
pub fn has_rs_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "rs") && e.path().is_file())
        })
        .unwrap_or(false)
}

/// The wasm-bindgen-test suites in wasm/tests/, run in Node and headless
/// Chromium against a pc-sim server whose URL is `PC_SIM_URL` (read by the
/// tests at compile time).
fn wasm_tests() -> StepResult {
    if !has_rs_files(&root().join("wasm/tests")) {
        return Ok(Outcome::Skipped("no wasm/tests/*.rs".into()));
    }
    let bin = sim::build()?;
    let port = sim::free_port()?;
    let server = SimServer::start(&bin, port, &["--seed", "1"])?;
    // Never `-q` here: cargo would pass --quiet to the runner, which rejects it.
    let result = wasm_cargo()
        .args(["test", "-p", "partner-usage-wasm", "--target", WASM_TARGET])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("PC_SIM_URL", server.url())
        .run();
    if result.is_err() {
        println!("pc-sim log{}", server.log_tail());
    }
    drop(server);
    result.map(|()| Outcome::Done)
}

/// The name of a Playwright config in `dir`, if there is one.
pub fn playwright_config(dir: &Path) -> Option<String> {
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.starts_with("playwright.config.").then_some(name)
    })
}

/// `npx playwright test` in www/ (its config starts its own web server).
fn browser_tests() -> StepResult {
    let www = www();
    let Some(config) = playwright_config(&www) else {
        return Ok(Outcome::Skipped("no www/playwright.config.*".into()));
    };
    println!("using www/{config}");
    // The config runs target/release/pc-sim: make sure it is current.
    sim::build()?;
    if !www.join("node_modules/.bin/playwright").exists() {
        return Err("www/node_modules/.bin/playwright is missing: add @playwright/test to www/package.json devDependencies (never `npx playwright install`; the config must use executablePath /usr/bin/chromium)".into());
    }
    Cmd::new("npx")
        .args(["playwright", "test"])
        .cwd(&www)
        .env("CI", "1")
        .run()
        .map(|()| Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn detects_suites_by_files() {
        let dir = scratch("suites");
        assert!(!has_rs_files(&dir));
        assert_eq!(playwright_config(&dir), None);
        std::fs::write(dir.join("README.md"), "").unwrap();
        std::fs::create_dir(dir.join("sub.rs")).unwrap();
        assert!(!has_rs_files(&dir), "directories named *.rs don't count");
        std::fs::write(dir.join("web.rs"), "").unwrap();
        assert!(has_rs_files(&dir));
        std::fs::write(dir.join("playwright.config.ts"), "").unwrap();
        assert_eq!(
            playwright_config(&dir).as_deref(),
            Some("playwright.config.ts")
        );
        assert!(!has_rs_files(&dir.join("missing")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
