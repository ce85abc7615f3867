//! `pc-sim`: the Partner Center simulator server. See `--help`.

use partner_usage_tests::args::{Args, USAGE};
use std::io::Write;

#[tokio::main]
async fn main() {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("pc-sim: {e}");
            std::process::exit(2);
        }
    };
    if args.help {
        print!("{USAGE}");
        return;
    }
    let port = args.port;
    let token = std::env::var("PARTNER_CENTER_TOKEN").ok();
    let config = match args.into_config(token) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pc-sim: {e}");
            std::process::exit(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("pc-sim: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| format!("127.0.0.1:{port}"), |a| a.to_string());
    let mode = match &config.upstream {
        Some(u) => format!("proxy to {}", u.base),
        None => format!(
            "simulator seed={} customers={} fault-rate={} now={}",
            config.sim.seed, config.sim.customers, config.sim.fault_rate, config.sim.now
        ),
    };
    if let Some(dir) = &config.site {
        // The demo page imports the built package: without it, a blank page.
        if dir.join("demo").is_dir() && !dir.join("dist/npm/index.js").is_file() {
            eprintln!(
                "pc-sim: warning: {} has no dist/npm/index.js, which the demo page loads: \
                 `cargo xtask demo` builds it",
                dir.display()
            );
        }
    }
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();
    eprintln!("pc-sim: {mode}");
    tokio::select! {
        r = partner_usage_tests::serve(config, listener) => {
            if let Err(e) = r {
                eprintln!("pc-sim: {e}");
                std::process::exit(1);
            }
        }
        _ = tokio::signal::ctrl_c() => eprintln!("pc-sim: interrupted, bye"),
    }
}
