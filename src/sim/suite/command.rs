//! The library side of `statecraft test` and `statecraft generate-suite`: texts in, what to
//! print, the JUnit document and the exit code out. No files: the binary reads and writes.

use super::coverage::run_suite;
use super::file::Suite;
use super::generate::{Options, generate};
use super::junit;
use crate::sim::handler::HandlerSet;

/// What `statecraft test` prints and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestReport {
    pub stdout: String,
    pub stderr: String,
    /// The JUnit XML of the run (when the suite could run).
    pub junit: Option<String>,
    /// 0: every scenario passes, 1: one fails, 2: the suite or the definition cannot be used.
    pub exit_code: u8,
}

fn unusable(message: String) -> TestReport {
    TestReport { stdout: String::new(), stderr: message, junit: None, exit_code: 2 }
}

/// Runs the suite `suite_text` (from `suite_name`) on `definition`.
pub fn test_command(suite_text: &str, suite_name: &str, definition: &str) -> TestReport {
    let suite = match Suite::parse(suite_text) {
        Ok(s) => s,
        Err(errors) => return unusable(errors.iter().map(|e| format!("{suite_name}:{e}\n")).collect()),
    };
    let report = crate::asl::validate::validate_text(definition);
    if report.has_errors() {
        let lines: String = report
            .errors()
            .map(|d| match d.position {
                Some(p) => format!("definition:{}:{}: error[{}]: {}\n", p.line, p.column, d.code.as_str(), d.message),
                None => format!("definition: error[{}]: {} ({})\n", d.code.as_str(), d.message, d.pointer),
            })
            .collect();
        return unusable(lines);
    }
    let run = match run_suite(definition, &suite.scenarios, &HandlerSet::new(), &Default::default()) {
        Ok(r) => r,
        Err(e) => return unusable(format!("{e}\n")),
    };
    let mut stdout = String::new();
    for row in &run.rows {
        if junit::passes(row) {
            stdout.push_str(&format!("pass  {}\n", row.name));
        } else {
            stdout.push_str(&format!("FAIL  {}: {}\n", row.name, row.mismatches.join("; ")));
        }
    }
    let passed = run.rows.iter().filter(|r| junit::passes(r)).count();
    stdout.push_str(&format!("coverage: {}\n", run.coverage.summary()));
    for (what, why) in run.coverage.missed() {
        stdout.push_str(&format!("  not reached: {what}{}\n", why.map(|w| format!(" ({w})")).unwrap_or_default()));
    }
    stdout.push_str(&format!("suite: {passed} of {} scenarios pass\n", run.rows.len()));
    TestReport { stdout, stderr: String::new(), junit: Some(junit::report(suite_name, &run.rows)), exit_code: u8::from(passed != run.rows.len()) }
}

/// What `statecraft generate-suite` gives: the suite's text and a summary for stderr.
pub fn generate_command(definition: &str, definition_name: Option<&str>, max_runs: usize) -> Result<(String, String), String> {
    let report = crate::asl::validate::validate_text(definition);
    if let Some(d) = report.errors().next() {
        return Err(match d.position {
            Some(p) => format!("{}:{}: error[{}]: {}", p.line, p.column, d.code.as_str(), d.message),
            None => format!("error[{}]: {} ({})", d.code.as_str(), d.message, d.pointer),
        });
    }
    let generated = generate(definition, &[], &HandlerSet::new(), &Default::default(), Options { max_runs }).map_err(|e| e.to_string())?;
    let run = run_suite(definition, &generated.scenarios, &HandlerSet::new(), &Default::default()).map_err(|e| e.to_string())?;
    let mut summary = format!("{} scenarios from {} runs; {}\n", generated.scenarios.len(), generated.runs, run.coverage.summary());
    for (what, why) in run.coverage.missed() {
        summary.push_str(&format!("  not reached: {what}: {}\n", why.unwrap_or_else(|| "the generated inputs did not reach it".into())));
    }
    let suite = Suite { definition: definition_name.map(String::from), scenarios: generated.scenarios };
    Ok((suite.to_text(), summary))
}
