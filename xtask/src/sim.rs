//! Building and running the `pc-sim` Partner Center simulator server.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use crate::cmd::{rel, Cmd};
use crate::paths::target_dir;

/// Tried first so repeated runs reuse the wasm test build: the tests read
/// `PC_SIM_URL` at compile time, so a new port means recompiling them.
const PREFERRED_PORT: u16 = 47_613;

/// `cargo build --release -p partner-usage-tests --bin pc-sim`; returns the binary.
pub fn build() -> Result<PathBuf, String> {
    Cmd::cargo()
        .args([
            "build",
            "--release",
            "-p",
            "partner-usage-tests",
            "--bin",
            "pc-sim",
        ])
        .run()?;
    let bin = binary();
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!(
            "the build succeeded but {} does not exist",
            rel(&bin)
        ))
    }
}

pub fn binary() -> PathBuf {
    target_dir().join("release").join("pc-sim")
}

/// A free local port: the preferred one if it is free, else one the OS picks.
pub fn free_port() -> Result<u16, String> {
    if TcpListener::bind((Ipv4Addr::LOCALHOST, PREFERRED_PORT)).is_ok() {
        return Ok(PREFERRED_PORT);
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot bind a local port: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound port: {e}"))?
        .port();
    Ok(port)
}

/// A running simulator; dropping it kills the process.
pub struct SimServer {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl SimServer {
    /// Starts `bin --port <port> <extra...>` in the background and waits
    /// (up to 30 s) until it accepts connections.
    pub fn start(bin: &Path, port: u16, extra: &[&str]) -> Result<SimServer, String> {
        let log_dir = target_dir().join("xtask");
        std::fs::create_dir_all(&log_dir)
            .map_err(|e| format!("cannot create {}: {e}", rel(&log_dir)))?;
        let log = log_dir.join("pc-sim.log");
        let child = Cmd::new(bin)
            .args(["--port".to_string(), port.to_string()])
            .args(extra)
            .spawn_logged(&log)?;
        let mut server = SimServer { child, port, log };
        server.wait_ready(Duration::from_secs(30))?;
        Ok(server)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&mut self, timeout: Duration) -> Result<(), String> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "pc-sim exited before it was ready ({}){}",
                    crate::cmd::describe_status(status),
                    self.log_tail()
                ));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                println!(
                    "pc-sim is listening on {} (ready after {:.1} s)",
                    self.url(),
                    start.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            if start.elapsed() >= timeout {
                return Err(format!(
                    "pc-sim did not accept connections on port {} within {} s{}",
                    self.port,
                    timeout.as_secs(),
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The last lines of the server log, for error messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n    ");
        if tail.is_empty() {
            format!("; its log {} is empty", rel(&self.log))
        } else {
            format!("; last lines of {}:\n    {tail}", rel(&self.log))
        }
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        println!("stopped pc-sim (log: {})", rel(&self.log));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_port_is_bindable() {
        let port = free_port().unwrap();
        assert_ne!(port, 0);
        // Something else may grab it in between, so only check the common case.
        let _ = TcpListener::bind((Ipv4Addr::LOCALHOST, port));
    }

    #[test]
    fn server_guard_kills_and_reports_early_exit() {
        // A "server" that exits immediately is reported, not waited on for 30 s.
        let start = Instant::now();
        let err = SimServer::start(Path::new("/bin/false"), 1, &[])
            .err()
            .unwrap();
        assert!(err.contains("exited before it was ready"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn server_guard_detects_a_listening_process() {
        // python3 is on these machines; skip quietly where it is not.
        if crate::cmd::find_on_path("python3").is_none() {
            return;
        }
        let port = {
            let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
            l.local_addr().unwrap().port()
        };
        let script = std::env::temp_dir().join(format!("xtask-fake-sim-{}.sh", std::process::id()));
        std::fs::write(
            &script,
            "#!/bin/sh\n# usage: --port N\nexec python3 -m http.server \"$2\" --bind 127.0.0.1 --directory /\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let server = SimServer::start(&script, port, &[]).unwrap();
        assert_eq!(server.url(), format!("http://127.0.0.1:{port}"));
        drop(server);
        let _ = std::fs::remove_file(&script);
        // After the guard is dropped the port is closed again.
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
    }
}
