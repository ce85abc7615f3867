//! `cargo xtask demo`: the demo site and the simulator on one origin.

use std::net::{Ipv4Addr, TcpListener};

use crate::args::DemoArgs;
use crate::cmd::{rel, Cmd};
use crate::package::{self, OUT_NAME};
use crate::paths::pkg;
use crate::sim;
use crate::steps::{Outcome, Steps};

/// The pc-sim arguments for a demo run.
pub fn sim_args(args: &DemoArgs) -> Vec<String> {
    let mut out = vec!["--port".to_string(), args.port.to_string()];
    if let Some(seed) = args.seed {
        out.extend(["--seed".to_string(), seed.to_string()]);
    }
    if let Some(rate) = &args.fault_rate {
        out.extend(["--fault-rate".to_string(), rate.clone()]);
    }
    if let Some(ms) = args.latency_ms {
        out.extend(["--latency-ms".to_string(), ms.to_string()]);
    }
    out.extend(["--site".to_string(), "www".to_string()]);
    out
}

pub fn demo(args: DemoArgs) -> i32 {
    let bin = sim::binary();
    if args.no_build {
        let wasm = pkg().join(format!("{OUT_NAME}_bg.wasm"));
        for (path, what) in [(&wasm, "the package"), (&bin, "pc-sim")] {
            if !path.exists() {
                eprintln!("error: --no-build, but {} does not exist; run `cargo xtask demo` without --no-build to build {what}", rel(path));
                return 1;
            }
        }
    } else {
        let mut steps = Steps::new();
        package::steps(&mut steps);
        steps.run("build_pc_sim", &[], || sim::build().map(|_| Outcome::Done));
        let code = steps.finish("cargo xtask demo build");
        if code != 0 {
            return code;
        }
    }

    if let Err(err) = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port)) {
        eprintln!(
            "error: port {} is not free ({err}); choose another with --port N",
            args.port
        );
        return 1;
    }
    println!(
        "\n==> Demo: http://127.0.0.1:{}/  (Ctrl-C stops it)\n",
        args.port
    );
    let err = Cmd::new(&bin).args(sim_args(&args)).exec();
    eprintln!("error: {err}");
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_flags_through() {
        assert_eq!(
            sim_args(&DemoArgs::default()).join(" "),
            "--port 8080 --site www"
        );
        let args = DemoArgs {
            port: 9000,
            seed: Some(3),
            fault_rate: Some("0.1".into()),
            latency_ms: Some(250),
            no_build: true,
        };
        assert_eq!(
            sim_args(&args).join(" "),
            "--port 9000 --seed 3 --fault-rate 0.1 --latency-ms 250 --site www"
        );
    }
}
