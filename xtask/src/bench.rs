//! `cargo xtask bench [--quick]`: every benchmark, then BENCHMARKS.md.
//!
//! 1. `core/benches/throughput.rs` (criterion, native): decode + aggregate
//!    per record type on simulator pages of 1000 records.
//! 2. `www/bench/run.mjs` (headless Chromium): wasm vs JavaScript over 1M
//!    utilization records, memory, the fetch pipeline against pc-sim, sizes
//!    and time to first chart. It needs the package (`cargo xtask package`),
//!    pc-sim and pc-bench-data, which are built first, and it reads the
//!    criterion results from step 1 to write BENCHMARKS.md (or, with
//!    `--quick`, target/bench-results/BENCHMARKS-quick.md).
//!
//! Benchmarks are never timed tests: they run here only. To add one, add a
//! step below and a section to www/bench/report.mjs.

use crate::args::BenchArgs;
use crate::cmd::{root, Cmd};
use crate::package;
use crate::steps::{Outcome, Steps};

/// Criterion's own flags for `--quick`: a smaller sample, shorter runs.
const CRITERION_QUICK: &[&str] = &[
    "--warm-up-time",
    "0.2",
    "--measurement-time",
    "0.6",
    "--sample-size",
    "10",
];

/// The newest modification time of the files under `dirs` (recursively).
fn newest(dirs: &[&str]) -> Option<std::time::SystemTime> {
    fn walk(dir: &std::path::Path, best: &mut Option<std::time::SystemTime>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, best);
            } else if let Ok(t) = e.metadata().and_then(|m| m.modified()) {
                *best = (*best).max(Some(t));
            }
        }
    }
    let mut best = None;
    for d in dirs {
        walk(&root().join(d), &mut best);
    }
    best
}

/// Whether www/pkg is newer than every source it is built from, so a
/// `--quick` run can measure it as it is instead of rebuilding it.
fn package_is_fresh() -> bool {
    let built = std::fs::metadata(root().join("www/pkg/partner_usage_bg.wasm"))
        .and_then(|m| m.modified())
        .ok();
    let sources = newest(&[
        "core/src",
        "wasm/src",
        "wasm/js",
        "core/Cargo.toml",
        "wasm/Cargo.toml",
        "Cargo.lock",
    ]);
    matches!((built, sources), (Some(b), Some(s)) if b > s)
}

/// The steps `cargo xtask bench` runs, for `args`: `(name, needs, command)`.
fn plan(args: &BenchArgs) -> Vec<(&'static str, Vec<&'static str>, Cmd)> {
    let mut out = Vec::new();
    if root().join("core/benches").is_dir() {
        let mut cmd = Cmd::cargo().args([
            "bench",
            "-p",
            "partner-usage-core",
            "--features",
            "sim",
            "--bench",
            "throughput",
        ]);
        if args.quick {
            cmd = cmd.arg("--").args(CRITERION_QUICK);
        }
        out.push(("bench native (criterion)", vec![], cmd));
    }
    if root().join("tests/benches").is_dir() {
        out.push((
            "bench partner-usage-tests",
            vec![],
            Cmd::cargo().args(["bench", "-p", "partner-usage-tests"]),
        ));
    }
    if root().join("www/bench/run.mjs").is_file() {
        out.push((
            "build pc-sim and pc-bench-data",
            vec![],
            Cmd::cargo().args(["build", "--release", "-p", "partner-usage-tests", "--bins"]),
        ));
        let mut cmd = Cmd::new("node").arg("www/bench/run.mjs");
        if args.quick {
            cmd = cmd.arg("--quick");
        }
        out.push((
            "bench browser",
            vec!["package", "build pc-sim and pc-bench-data"],
            cmd,
        ));
    }
    out
}

pub fn bench(args: BenchArgs) -> i32 {
    let mut steps = Steps::new();
    let plan = plan(&args);
    if plan.is_empty() {
        println!(
            "No benchmarks found (looked for core/benches/, tests/benches/ and www/bench/run.mjs)."
        );
        return 0;
    }
    let mut ran = Vec::new();
    for (name, needs, cmd) in plan {
        if needs.contains(&"package") {
            // The browser benchmark measures the built package; a quick run
            // keeps one that is newer than its sources.
            if args.quick && package_is_fresh() {
                steps.run("package", &[], || {
                    Ok(Outcome::Skipped(
                        "www/pkg is newer than its sources (--quick)".into(),
                    ))
                });
            } else {
                package::steps(&mut steps);
            }
        }
        steps.run(name, &needs, || cmd.run().map(|()| Outcome::Done));
        ran.push(name);
    }
    println!("\nRan: {}", ran.join(", "));
    steps.finish(if args.quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_runs_criterion_before_the_browser_and_passes_quick_on() {
        for quick in [false, true] {
            let plan = plan(&BenchArgs { quick });
            let names: Vec<&str> = plan.iter().map(|(n, _, _)| *n).collect();
            let native = names.iter().position(|n| n.starts_with("bench native"));
            let browser = names.iter().position(|n| *n == "bench browser");
            let (Some(native), Some(browser)) = (native, browser) else {
                panic!("{names:?}");
            };
            assert!(native < browser, "{names:?}");
            let lines: Vec<String> = plan.iter().map(|(_, _, c)| c.display()).collect();
            assert!(lines[native].contains("--features sim --bench throughput"));
            assert_eq!(lines[native].contains("--sample-size"), quick);
            assert_eq!(
                lines[browser].ends_with("--quick"),
                quick,
                "{}",
                lines[browser]
            );
        }
    }
}
