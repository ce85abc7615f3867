//! `cargo xtask bench`: every benchmark that exists. To add one, add a
//! `(directory or file, step)` check below.

use crate::args::BenchArgs;
use crate::cmd::{root, Cmd};
use crate::package;
use crate::steps::{Outcome, Steps};

pub fn bench(args: BenchArgs) -> i32 {
    let mut steps = Steps::new();
    let mut ran = Vec::new();

    for (dir, crate_name) in [
        ("core/benches", "partner-usage-core"),
        ("tests/benches", "partner-usage-tests"),
    ] {
        if root().join(dir).is_dir() {
            let step = format!("bench {crate_name}");
            steps.run(&step, &[], || {
                Cmd::cargo()
                    .args(["bench", "-p", crate_name])
                    .run()
                    .map(|()| Outcome::Done)
            });
            ran.push(step);
        }
    }

    let js = "www/bench/run.mjs";
    if root().join(js).is_file() {
        // The JS benchmark measures the built package, so build it first.
        package::steps(&mut steps);
        steps.run("bench js", &["package"], || {
            let mut cmd = Cmd::new("node").arg(js);
            if args.quick {
                cmd = cmd.arg("--quick");
            }
            cmd.run().map(|()| Outcome::Done)
        });
        ran.push("bench js".to_string());
    }

    if ran.is_empty() {
        println!("No benchmarks found (looked for core/benches/, tests/benches/ and {js}).");
        return 0;
    }
    println!("\nRan: {}", ran.join(", "));
    steps.finish("cargo xtask bench")
}
