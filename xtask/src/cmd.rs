//! Running external commands: every command is echoed (`$ ...`) before it runs,
//! and every failure comes back as a readable `Err(String)`.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        manifest.parent().unwrap_or(manifest).to_path_buf()
    })
}

/// `path` relative to the workspace root when it is inside it, for display.
pub fn rel(path: &Path) -> String {
    match path.strip_prefix(root()) {
        Ok(p) if p.as_os_str().is_empty() => ".".to_string(),
        Ok(p) => p.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

/// Searches `PATH` for an executable called `name`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Quotes a word for display so the echoed line can be pasted into a shell.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Describes how a finished process ended, for error messages.
pub fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("signal {signal}"),
        (None, None) => "an unknown status".to_string(),
    }
}

/// A command line plus its working directory and extra environment.
#[derive(Clone, Debug)]
pub struct Cmd {
    program: OsString,
    shown_program: String,
    args: Vec<OsString>,
    cwd: PathBuf,
    envs: Vec<(String, String)>,
    hint: Option<String>,
}

impl Cmd {
    /// A command run from the workspace root.
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        let program = program.as_ref().to_os_string();
        let shown_program = match Path::new(&program).is_absolute() {
            true => rel(Path::new(&program)),
            false => program.to_string_lossy().into_owned(),
        };
        Cmd {
            program,
            shown_program,
            args: Vec::new(),
            cwd: root().to_path_buf(),
            envs: Vec::new(),
            hint: None,
        }
    }

    /// The cargo that runs xtask (`$CARGO`), shown as plain `cargo`.
    pub fn cargo() -> Self {
        let mut cmd = Cmd::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.shown_program = "cargo".to_string();
        cmd.hint = Some("install Rust with rustup: https://rustup.rs".to_string());
        cmd
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = dir.into();
        self
    }

    pub fn env(mut self, key: &str, value: impl Into<String>) -> Self {
        self.envs.push((key.to_string(), value.into()));
        self
    }

    /// What to tell the user when the program is not installed.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The command as a shell line, e.g. `(cd www && CI=1 npx playwright test)`.
    pub fn display(&self) -> String {
        let mut words: Vec<String> = self
            .envs
            .iter()
            .map(|(k, v)| format!("{k}={}", shell_quote(v)))
            .collect();
        words.push(shell_quote(&self.shown_program));
        words.extend(self.args.iter().map(|a| shell_quote(&a.to_string_lossy())));
        let line = words.join(" ");
        if self.cwd == root() {
            line
        } else {
            format!("(cd {} && {line})", shell_quote(&rel(&self.cwd)))
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args).current_dir(&self.cwd);
        for (k, v) in &self.envs {
            command.env(k, v);
        }
        command
    }

    fn spawn_error(&self, err: std::io::Error) -> String {
        if err.kind() == ErrorKind::NotFound {
            let mut msg = format!("`{}` was not found on PATH", self.shown_program);
            if let Some(hint) = &self.hint {
                msg.push_str(&format!(": {hint}"));
            }
            msg
        } else {
            format!("could not start `{}`: {err}", self.display())
        }
    }

    fn check(&self, status: ExitStatus) -> Result<(), String> {
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "`{}` failed with {}",
                self.display(),
                describe_status(status)
            ))
        }
    }

    fn echo(&self) {
        println!("$ {}", self.display());
    }

    /// Runs the command with inherited stdio; non-zero exit is an error.
    pub fn run(&self) -> Result<(), String> {
        self.echo();
        let status = self.command().status().map_err(|e| self.spawn_error(e))?;
        self.check(status)
    }

    /// Runs the command with all output captured, returning its stdout as
    /// bytes, or `None` if it is missing or fails. For probes like `--version`.
    pub fn probe_bytes(&self) -> Option<Vec<u8>> {
        self.echo();
        let output = self
            .command()
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        output.status.success().then_some(output.stdout)
    }

    /// Like [`Cmd::probe_bytes`], as trimmed text.
    pub fn probe(&self) -> Option<String> {
        let out = self.probe_bytes()?;
        Some(String::from_utf8_lossy(&out).trim().to_string())
    }

    /// Starts the command in the background with stdout and stderr going to `log`.
    pub fn spawn_logged(&self, log: &Path) -> Result<Child, String> {
        self.echo();
        println!("  (output goes to {})", rel(log));
        let out = File::create(log).map_err(|e| format!("cannot create {}: {e}", rel(log)))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot reopen {}: {e}", rel(log)))?;
        self.command()
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| self.spawn_error(e))
    }

    /// Replaces this process with the command (used to run the demo server in
    /// the foreground so Ctrl-C reaches it directly). Only returns on error.
    pub fn exec(&self) -> String {
        use std::os::unix::process::CommandExt;
        self.echo();
        let err = self.command().exec();
        self.spawn_error(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("cargo"), "cargo");
        assert_eq!(shell_quote("-C"), "-C");
        assert_eq!(
            shell_quote("-C target-feature=+simd128"),
            "'-C target-feature=+simd128'"
        );
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(
            shell_quote("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn display_shows_env_and_cwd() {
        let cmd = Cmd::new("npx")
            .args(["playwright", "test"])
            .env("CI", "1")
            .cwd(root().join("www"));
        assert_eq!(cmd.display(), "(cd www && CI=1 npx playwright test)");

        let cmd = Cmd::cargo()
            .args(["build", "--release"])
            .env("RUSTFLAGS", "-C target-feature=+simd128");
        assert_eq!(
            cmd.display(),
            "RUSTFLAGS='-C target-feature=+simd128' cargo build --release"
        );
    }

    #[test]
    fn absolute_programs_inside_the_workspace_are_shown_relative() {
        let cmd = Cmd::new(root().join("target/release/pc-sim")).args(["--port", "1"]);
        assert_eq!(cmd.display(), "target/release/pc-sim --port 1");
    }

    #[test]
    fn missing_program_is_an_error_with_a_hint() {
        let err = Cmd::new("xtask-surely-not-installed-anywhere")
            .hint("install it with foo")
            .run()
            .unwrap_err();
        assert!(err.contains("was not found on PATH"), "{err}");
        assert!(err.contains("install it with foo"), "{err}");
    }

    #[test]
    fn failing_program_reports_exit_code() {
        let err = Cmd::new("sh").args(["-c", "exit 3"]).run().unwrap_err();
        assert!(err.contains("exit code 3"), "{err}");
        assert_eq!(
            Cmd::new("sh").args(["-c", "echo hi"]).probe().as_deref(),
            Some("hi")
        );
        assert_eq!(Cmd::new("sh").args(["-c", "exit 1"]).probe(), None);
    }
}
