//! A tiny step runner: announces each step, times it, remembers its result
//! (so shared steps such as `ensure_npm` run once per invocation) and prints a
//! summary table at the end.

use std::time::{Duration, Instant};

/// What a step reports when it did not fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The step does not apply (yet), e.g. its files don't exist.
    Skipped(String),
}

pub type StepResult = Result<Outcome, String>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    Skipped(String),
    Failed(String),
    /// Not run because a step it needs failed.
    Blocked(String),
}

impl Status {
    fn is_bad(&self) -> bool {
        matches!(self, Status::Failed(_) | Status::Blocked(_))
    }
}

#[derive(Debug)]
struct Record {
    name: String,
    status: Status,
    elapsed: Duration,
}

pub struct Steps {
    started: Instant,
    records: Vec<Record>,
}

impl Default for Steps {
    fn default() -> Self {
        Self::new()
    }
}

impl Steps {
    pub fn new() -> Self {
        Steps {
            started: Instant::now(),
            records: Vec::new(),
        }
    }

    fn find(&self, name: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.name == name)
    }

    /// Runs `f` as step `name` unless a step of that name already ran (then
    /// its earlier result stands) or one of `needs` failed. Returns whether
    /// the step is OK or skipped (i.e. later steps may rely on it).
    pub fn run(&mut self, name: &str, needs: &[&str], f: impl FnOnce() -> StepResult) -> bool {
        if let Some(done) = self.find(name) {
            return !done.status.is_bad();
        }
        println!("\n==> {name}");
        let blocked: Vec<&str> = needs
            .iter()
            .copied()
            .filter(|n| self.find(n).is_some_and(|r| r.status.is_bad()))
            .collect();
        let start = Instant::now();
        let status = if !blocked.is_empty() {
            Status::Blocked(format!("needs {}", blocked.join(", ")))
        } else {
            match f() {
                Ok(Outcome::Done) => Status::Ok,
                Ok(Outcome::Skipped(why)) => Status::Skipped(why),
                Err(err) => Status::Failed(err),
            }
        };
        let elapsed = start.elapsed();
        let secs = elapsed.as_secs_f64();
        match &status {
            Status::Ok => println!("<== {name}: ok ({secs:.1} s)"),
            Status::Skipped(why) => println!("<== {name}: skipped: {why} ({secs:.1} s)"),
            Status::Failed(err) => eprintln!("<== {name}: FAILED ({secs:.1} s): {err}"),
            Status::Blocked(why) => eprintln!("<== {name}: NOT RUN: {why}"),
        }
        let ok = !status.is_bad();
        self.records.push(Record {
            name: name.to_string(),
            status,
            elapsed,
        });
        ok
    }

    pub fn any_failed(&self) -> bool {
        self.records.iter().any(|r| r.status.is_bad())
    }

    /// The summary table, one row per step plus the total.
    pub fn summary(&self) -> String {
        let width = self
            .records
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(4)
            .max("total".len());
        let mut out = format!("{:<width$}  {:>8}  result\n", "step", "seconds");
        for r in &self.records {
            let result = match &r.status {
                Status::Ok => "ok".to_string(),
                Status::Skipped(why) => format!("skipped ({why})"),
                Status::Failed(_) => "FAILED".to_string(),
                Status::Blocked(why) => format!("NOT RUN ({why})"),
            };
            out.push_str(&format!(
                "{:<width$}  {:>8.1}  {result}\n",
                r.name,
                r.elapsed.as_secs_f64()
            ));
        }
        let verdict = if self.any_failed() { "FAILED" } else { "ok" };
        out.push_str(&format!(
            "{:<width$}  {:>8.1}  {verdict}\n",
            "total",
            self.started.elapsed().as_secs_f64()
        ));
        out
    }

    /// Prints the summary and any failure messages; returns the exit code.
    pub fn finish(&self, title: &str) -> i32 {
        println!("\n==> {title} summary\n{}", self.summary());
        let failures: Vec<&Record> = self
            .records
            .iter()
            .filter(|r| matches!(r.status, Status::Failed(_)))
            .collect();
        if failures.is_empty() {
            return 0;
        }
        eprintln!("Failures:");
        for r in failures {
            if let Status::Failed(err) = &r.status {
                eprintln!("  {}: {err}", r.name);
            }
        }
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_outcomes_and_blocks_dependants() {
        let mut steps = Steps::new();
        assert!(steps.run("a", &[], || Ok(Outcome::Done)));
        assert!(steps.run("b", &[], || Ok(Outcome::Skipped("nothing".into()))));
        assert!(!steps.run("c", &[], || Err("boom".into())));
        let mut ran = false;
        assert!(!steps.run("d", &["a", "c"], || {
            ran = true;
            Ok(Outcome::Done)
        }));
        assert!(!ran, "a step whose prerequisite failed must not run");
        // A skipped prerequisite does not block.
        assert!(steps.run("e", &["b"], || Ok(Outcome::Done)));
        assert!(steps.any_failed());

        let summary = steps.summary();
        assert!(summary.contains("skipped (nothing)"), "{summary}");
        assert!(summary.contains("NOT RUN (needs c)"), "{summary}");
        assert!(summary.lines().last().unwrap().contains("FAILED"));
        assert_eq!(steps.finish("unit"), 1);
    }

    #[test]
    fn a_step_runs_once() {
        let mut steps = Steps::new();
        let mut count = 0;
        steps.run("x", &[], || {
            count += 1;
            Ok(Outcome::Done)
        });
        steps.run("x", &[], || {
            count += 1;
            Ok(Outcome::Done)
        });
        assert_eq!(count, 1);
        assert!(!steps.any_failed());
        assert_eq!(steps.finish("unit"), 0);
    }
}
