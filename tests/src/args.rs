//! Command-line arguments of `pc-sim` (hand-written, no dependency).

use crate::proxy::Upstream;
use partner_usage_core::time::Timestamp;
use std::path::PathBuf;

/// Parsed command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    /// `--port` (default 8080; 0 picks a free port).
    pub port: u16,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--customers`.
    pub customers: Option<usize>,
    /// `--fault-rate` (0..=1).
    pub fault_rate: Option<f64>,
    /// `--latency-ms`.
    pub latency_ms: Option<u32>,
    /// `--big-subscription-records`.
    pub big_subscription_records: Option<u64>,
    /// `--retry-after-secs`.
    pub retry_after_secs: Option<u32>,
    /// `--report-delay-hours`.
    pub report_delay_hours: Option<u32>,
    /// `--now` (RFC 3339): the simulated current time instead of the hour now.
    pub now: Option<Timestamp>,
    /// `--site DIR`.
    pub site: Option<PathBuf>,
    /// `--upstream URL` (proxy mode).
    pub upstream: Option<String>,
    /// `--help`.
    pub help: bool,
}

/// The `--help` text.
pub const USAGE: &str = "\
pc-sim: the Partner Center simulator server (and same-origin proxy)

USAGE: pc-sim [OPTIONS]

  --port N                      listen on 127.0.0.1:N (default 8080; 0 = any free port)
  --seed N                      seed of the simulated partner (default 1)
  --customers N                 number of customers (default 120, at most 20000)
  --fault-rate F                probability 0..1 of an injected fault (default 0)
  --latency-ms N                delay added to every API response (default 0)
  --big-subscription-records N  add \"Contoso Scale Test\" with a subscription of N utilization records
  --retry-after-secs N          base Retry-After of injected faults (default 1)
  --report-delay-hours N        Partner Center reports usage N hours late (default 0, at most 720):
                                a utilization window returns usage from before it
  --now RFC3339                 simulated current time (default: now, truncated to the hour)
  --site DIR                    serve DIR at / (index.html, .wasm as application/wasm)
  --upstream URL                proxy GET /v1/... to URL with Authorization: Bearer $PARTNER_CENTER_TOKEN
                                (same-origin only: no CORS headers in this mode)
  --help                        this text

Endpoints: /v1/... (API), GET|POST /sim/config, GET /sim/truth.
The first line on stdout is `listening on http://127.0.0.1:PORT`.
";

fn value<T: std::str::FromStr>(name: &str, v: Option<String>) -> Result<T, String> {
    let v = v.ok_or_else(|| format!("{name} needs a value"))?;
    v.parse()
        .map_err(|_| format!("invalid value for {name}: {v:?}"))
}

impl Args {
    /// Parses arguments (without the program name). Accepts `--flag value`
    /// and `--flag=value`.
    ///
    /// ```
    /// use partner_usage_tests::args::Args;
    /// let a = Args::parse(["--port", "0", "--fault-rate=0.2"].map(String::from)).unwrap();
    /// assert_eq!((a.port, a.fault_rate), (0, Some(0.2)));
    /// assert!(Args::parse(["--fault-rate", "2"].map(String::from)).is_err());
    /// assert!(Args::parse(["--bogus"].map(String::from)).is_err());
    /// ```
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut a = Args {
            port: 8080,
            seed: None,
            customers: None,
            fault_rate: None,
            latency_ms: None,
            big_subscription_records: None,
            retry_after_secs: None,
            report_delay_hours: None,
            now: None,
            site: None,
            upstream: None,
            help: false,
        };
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut val = || inline.clone().or_else(|| it.next());
            match name.as_str() {
                "--port" => a.port = value(&name, val())?,
                "--seed" => a.seed = Some(value(&name, val())?),
                "--customers" => a.customers = Some(value(&name, val())?),
                "--fault-rate" => {
                    let f: f64 = value(&name, val())?;
                    if !(0.0..=1.0).contains(&f) {
                        return Err("--fault-rate must be between 0 and 1".to_string());
                    }
                    a.fault_rate = Some(f);
                }
                "--latency-ms" => a.latency_ms = Some(value(&name, val())?),
                "--big-subscription-records" => {
                    a.big_subscription_records = Some(value(&name, val())?)
                }
                "--retry-after-secs" => a.retry_after_secs = Some(value(&name, val())?),
                "--report-delay-hours" => a.report_delay_hours = Some(value(&name, val())?),
                "--now" => {
                    let v: String = value(&name, val())?;
                    a.now = Some(Timestamp::parse(&v).map_err(|e| e.to_string())?.to_utc());
                }
                "--site" => a.site = Some(PathBuf::from(value::<String>(&name, val())?)),
                "--upstream" => a.upstream = Some(value(&name, val())?),
                "--help" | "-h" => a.help = true,
                other => return Err(format!("unknown argument {other:?} (see --help)")),
            }
        }
        Ok(a)
    }

    /// Builds the server configuration. `token` is `PARTNER_CENTER_TOKEN`,
    /// required in proxy mode.
    pub fn into_config(self, token: Option<String>) -> Result<crate::ServerConfig, String> {
        let mut cfg = crate::ServerConfig::default();
        let sim = &mut cfg.sim;
        if let Some(v) = self.seed {
            sim.seed = v;
        }
        if let Some(v) = self.customers {
            sim.customers = v;
        }
        if let Some(v) = self.fault_rate {
            sim.fault_rate = v;
        }
        if let Some(v) = self.latency_ms {
            sim.latency_ms = v;
        }
        if let Some(v) = self.big_subscription_records {
            sim.big_subscription_records = v;
        }
        if let Some(v) = self.retry_after_secs {
            sim.retry_after_secs = v;
        }
        if let Some(v) = self.report_delay_hours {
            sim.report_delay_hours = v;
        }
        if let Some(v) = self.now {
            sim.now = v;
        }
        if let Some(dir) = self.site {
            if !dir.is_dir() {
                return Err(format!("--site {}: not a directory", dir.display()));
            }
            cfg.site = Some(dir);
        }
        if let Some(url) = self.upstream {
            let token = token.ok_or("proxy mode needs PARTNER_CENTER_TOKEN in the environment")?;
            cfg.upstream = Some(Upstream::new(&url, &token)?);
        }
        Ok(cfg)
    }
}
