//! Command-line parsing for `cargo xtask`.

pub const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  test       Run every test suite that exists (native, doc, wasm in Chromium,
             Playwright), installing missing tools first. Exits non-zero if
             any suite fails.
  package    Build the npm package into www/pkg/ (release wasm with simd128,
             wasm-bindgen --target web, npm wasm-opt -O3), print sizes, then
             run `npm run build` in www/ if package.json has that script.
  demo       Build the package and the pc-sim server, then serve the demo site
             (www/) and the simulated Partner Center API from one origin.
               --port N          listen port (default 8080)
               --seed N          simulator seed
               --fault-rate F    share of simulated requests that fail (0..1)
               --latency-ms N    simulated latency per request
               --no-build        serve what is already built
  bench      Run the benchmarks (criterion natively, then headless
             Chromium: www/bench/run.mjs) and write BENCHMARKS.md.
               --quick           a smaller run (under a minute once built);
                                 writes target/bench-results/BENCHMARKS-quick.md
  help       Show this text.
";

#[derive(Clone, Debug, PartialEq)]
pub struct DemoArgs {
    pub port: u16,
    pub seed: Option<u64>,
    /// Kept as typed so it is passed to pc-sim unchanged.
    pub fault_rate: Option<String>,
    pub latency_ms: Option<u64>,
    pub no_build: bool,
}

impl Default for DemoArgs {
    fn default() -> Self {
        DemoArgs {
            port: 8080,
            seed: None,
            fault_rate: None,
            latency_ms: None,
            no_build: false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BenchArgs {
    pub quick: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Help,
    Test,
    Package,
    Demo(DemoArgs),
    Bench(BenchArgs),
}

/// Splits `--name=value` / `--name value` options.
struct Options<'a> {
    args: std::slice::Iter<'a, String>,
    pending: Option<String>,
}

impl<'a> Options<'a> {
    fn new(args: &'a [String]) -> Self {
        Options {
            args: args.iter(),
            pending: None,
        }
    }

    /// The next option name (with any `=value` held for [`Options::value`]).
    fn next_name(&mut self) -> Option<String> {
        let arg = self.args.next()?;
        match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                self.pending = Some(value.to_string());
                Some(name.to_string())
            }
            _ => {
                self.pending = None;
                Some(arg.clone())
            }
        }
    }

    fn value(&mut self, name: &str) -> Result<String, String> {
        if let Some(v) = self.pending.take() {
            return Ok(v);
        }
        self.args
            .next()
            .cloned()
            .ok_or_else(|| format!("{name} needs a value"))
    }

    fn no_value(&mut self, name: &str) -> Result<(), String> {
        match self.pending.take() {
            Some(_) => Err(format!("{name} takes no value")),
            None => Ok(()),
        }
    }
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{name}: `{value}` is not a valid number"))
}

pub fn parse_demo(args: &[String]) -> Result<DemoArgs, String> {
    let mut demo = DemoArgs::default();
    let mut opts = Options::new(args);
    while let Some(name) = opts.next_name() {
        match name.as_str() {
            "--port" => demo.port = number(&name, &opts.value(&name)?)?,
            "--seed" => demo.seed = Some(number(&name, &opts.value(&name)?)?),
            "--latency-ms" => demo.latency_ms = Some(number(&name, &opts.value(&name)?)?),
            "--fault-rate" => {
                let value = opts.value(&name)?;
                let rate: f64 = number(&name, &value)?;
                if !(0.0..=1.0).contains(&rate) {
                    return Err(format!("--fault-rate: {value} is not between 0 and 1"));
                }
                demo.fault_rate = Some(value);
            }
            "--no-build" => {
                opts.no_value(&name)?;
                demo.no_build = true;
            }
            other => return Err(format!("demo: unknown option `{other}`")),
        }
    }
    Ok(demo)
}

pub fn parse_bench(args: &[String]) -> Result<BenchArgs, String> {
    let mut bench = BenchArgs::default();
    let mut opts = Options::new(args);
    while let Some(name) = opts.next_name() {
        match name.as_str() {
            "--quick" => {
                opts.no_value(&name)?;
                bench.quick = true;
            }
            other => return Err(format!("bench: unknown option `{other}`")),
        }
    }
    Ok(bench)
}

fn no_args(command: &str, args: &[String]) -> Result<(), String> {
    match args.first() {
        Some(a) => Err(format!("{command}: unexpected argument `{a}`")),
        None => Ok(()),
    }
}

/// Parses the arguments after `cargo xtask`. `Err` means exit code 2.
pub fn parse(argv: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = argv.split_first() else {
        return Ok(Command::Help);
    };
    match command.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "test" => no_args("test", rest).map(|()| Command::Test),
        "package" => no_args("package", rest).map(|()| Command::Package),
        "demo" => parse_demo(rest).map(Command::Demo),
        "bench" => parse_bench(rest).map(Command::Bench),
        other => Err(format!("unknown command `{other}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn commands() {
        assert_eq!(parse(&[]), Ok(Command::Help));
        assert_eq!(parse(&argv("help")), Ok(Command::Help));
        assert_eq!(parse(&argv("--help")), Ok(Command::Help));
        assert_eq!(parse(&argv("test")), Ok(Command::Test));
        assert_eq!(parse(&argv("package")), Ok(Command::Package));
        assert_eq!(
            parse(&argv("bench")),
            Ok(Command::Bench(BenchArgs { quick: false }))
        );
        assert_eq!(
            parse(&argv("bench --quick")),
            Ok(Command::Bench(BenchArgs { quick: true }))
        );
        assert_eq!(parse(&argv("demo")), Ok(Command::Demo(DemoArgs::default())));
        assert!(parse(&argv("frobnicate"))
            .unwrap_err()
            .contains("unknown command"));
        assert!(parse(&argv("test --nope")).is_err());
        assert!(parse(&argv("bench --slow")).is_err());
        assert!(parse(&argv("bench --quick=yes")).is_err());
    }

    #[test]
    fn demo_options() {
        let demo = parse_demo(&argv(
            "--port 9000 --seed=7 --fault-rate 0.25 --latency-ms=40 --no-build",
        ))
        .unwrap();
        assert_eq!(
            demo,
            DemoArgs {
                port: 9000,
                seed: Some(7),
                fault_rate: Some("0.25".into()),
                latency_ms: Some(40),
                no_build: true,
            }
        );
        assert_eq!(parse_demo(&[]).unwrap().port, 8080);
    }

    #[test]
    fn demo_option_errors() {
        let err = |s: &str| parse_demo(&argv(s)).unwrap_err();
        assert!(err("--port").contains("needs a value"));
        assert!(err("--port 70000").contains("not a valid number"));
        assert!(err("--port abc").contains("not a valid number"));
        assert!(err("--seed -1").contains("not a valid number"));
        assert!(err("--fault-rate 1.5").contains("between 0 and 1"));
        assert!(err("--fault-rate x").contains("not a valid number"));
        assert!(err("--no-build=1").contains("takes no value"));
        assert!(err("--colour red").contains("unknown option"));
    }
}
