//! Project automation for partner-usage, run as `cargo xtask <command>`
//! (see `args::USAGE`). Standard library only, so it builds in seconds on a
//! fresh machine.

mod args;
mod bench;
mod cmd;
mod demo;
mod ensure;
mod json;
mod lockfile;
mod package;
mod paths;
mod sim;
mod steps;
mod suites;

use args::{Command, USAGE};

/// Puts `$CARGO_HOME/bin` on PATH (where `cargo install` puts wasm-bindgen)
/// if it isn't there, so a freshly installed CLI is found by child processes.
fn add_cargo_bin_to_path() {
    let bin = ensure::cargo_bin();
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|p| p == bin) {
        return;
    }
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(&path));
    if let Ok(joined) = std::env::join_paths(dirs) {
        // SAFETY: called first thing in `main`, before any thread exists, so
        // nothing can read the environment concurrently.
        unsafe { std::env::set_var("PATH", joined) };
    }
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let code = match args::parse(&argv) {
        Ok(command) => {
            add_cargo_bin_to_path();
            if let Err(err) = std::env::set_current_dir(cmd::root()) {
                eprintln!("error: cannot enter {}: {err}", cmd::root().display());
                std::process::exit(1);
            }
            run(command)
        }
        Err(msg) if msg.starts_with("unknown command") => {
            eprintln!("error: {msg}\n\n{USAGE}");
            2
        }
        Err(msg) => {
            eprintln!("error: {msg} (see `cargo xtask help`)");
            2
        }
    };
    std::process::exit(code);
}

fn run(command: Command) -> i32 {
    match command {
        Command::Help => {
            print!("{USAGE}");
            0
        }
        Command::Test => suites::test(),
        Command::Package => {
            let mut steps = steps::Steps::new();
            package::steps(&mut steps);
            steps.finish("cargo xtask package")
        }
        Command::Demo(args) => demo::demo(args),
        Command::Bench(args) => bench::bench(args),
    }
}
