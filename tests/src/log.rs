//! One log line per request. The `Authorization` value is never logged
//! (only whether it was present), and continuation tokens are cut short.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What one log line says about a request.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The method.
    pub method: &'a str,
    /// Path and query as received.
    pub target: &'a str,
    /// The status sent; 0 when the connection was dropped.
    pub status: u16,
    /// The injected fault, if any.
    pub fault: Option<&'a str>,
    /// Time spent, delays included.
    pub elapsed: Duration,
    /// Whether an `Authorization` header was sent (its value is never logged).
    pub auth_present: bool,
    /// The `MS-ContinuationToken` sent, if any (logged truncated).
    pub continuation_token: Option<&'a str>,
}

/// How many characters of a continuation token are logged.
pub const TOKEN_PREFIX_CHARS: usize = 8;

/// Formats a log line: `pc-sim GET /v1/customers?size=40 status=200 fault=- ms=3 auth=present token=v2/AQAAA…`.
///
/// ```
/// use partner_usage_tests::log::{format_line, Entry};
/// let line = format_line(&Entry {
///     method: "GET", target: "/v1/customers", status: 200, fault: None,
///     elapsed: std::time::Duration::from_millis(3), auth_present: true,
///     continuation_token: Some("v2/AQAAAAAAAAAAAAAAAAAAAA?rt=1&ck=0%3D%3D"),
/// });
/// assert_eq!(line, "pc-sim GET /v1/customers status=200 fault=- ms=3 auth=present token=v2/AQAAA…");
/// ```
pub fn format_line(e: &Entry<'_>) -> String {
    let mut s = String::with_capacity(96 + e.target.len());
    let target: String = e
        .target
        .chars()
        .take(512)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let _ = write!(
        s,
        "pc-sim {} {} status={} fault={} ms={} auth={}",
        e.method,
        target,
        e.status,
        e.fault.unwrap_or("-"),
        e.elapsed.as_millis(),
        if e.auth_present { "present" } else { "absent" },
    );
    if let Some(t) = e.continuation_token {
        s.push_str(" token=");
        s.extend(t.chars().take(TOKEN_PREFIX_CHARS).map(|c| {
            if c.is_control() || c == ' ' {
                '?'
            } else {
                c
            }
        }));
        s.push('…');
    }
    s
}

/// Where log lines go: stderr, or a buffer tests can read.
#[derive(Clone)]
pub struct LogSink(Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for LogSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogSink")
    }
}

impl LogSink {
    /// Writes each line to stderr.
    pub fn stderr() -> LogSink {
        LogSink(Arc::new(|line| eprintln!("{line}")))
    }

    /// Collects lines in memory; returns the sink and the buffer.
    ///
    /// ```
    /// let (sink, lines) = partner_usage_tests::LogSink::memory();
    /// sink.write("hello");
    /// assert_eq!(lines.lock().unwrap().as_slice(), ["hello"]);
    /// ```
    pub fn memory() -> (LogSink, Arc<Mutex<Vec<String>>>) {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let b = Arc::clone(&buf);
        let sink = LogSink(Arc::new(move |line| {
            if let Ok(mut v) = b.lock() {
                v.push(line.to_string());
            }
        }));
        (sink, buf)
    }

    /// Writes one line.
    pub fn write(&self, line: &str) {
        (self.0)(line)
    }
}
