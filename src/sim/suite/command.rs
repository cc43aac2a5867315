//! The library side of `statecraft test` and `statecraft generate-suite`: texts in, what to
//! print, the JUnit document and the exit code out. No files: the binary reads and writes.

use super::file::Suite;
use super::generate::Options;
use super::junit;
use crate::handlers::s3::ObjectStore;
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

/// The S3 objects every run starts with: `--s3 FILE`'s text, `{"bucket": {"key": body}}`, as
/// `statecraft run --s3` reads it (seeded when the default clock starts); empty without one.
pub fn object_store(s3: Option<&str>) -> Result<ObjectStore, String> {
    let mut store = ObjectStore::default();
    if let Some(text) = s3 {
        let seed: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("--s3: not JSON (line {}, column {}): {e}", e.line(), e.column()))?;
        let now = crate::asl::clock::Clock::now(&crate::asl::clock::VirtualClock::default());
        store.seed_from_json(&seed, now).map_err(|e| format!("--s3: {e}"))?;
    }
    Ok(store)
}

/// Runs the suite `suite_text` (from `suite_name`) on `definition`, the account holding the S3
/// objects `s3` (`--s3 FILE`'s text) before each scenario.
pub fn test_command(suite_text: &str, suite_name: &str, definition: &str, s3: Option<&str>) -> TestReport {
    test_command_with_stores(suite_text, suite_name, definition, s3, None)
}

/// [`test_command`], every scenario also starting with the stores of `stores` (a stores file's
/// name and text, `statecraft test --stores FILE`: buckets, tables, queues and topics).
pub fn test_command_with_stores(suite_text: &str, suite_name: &str, definition: &str, s3: Option<&str>, stores: Option<(&str, &str)>) -> TestReport {
    let seeds = match stores.map(|(name, text)| crate::sim::stores::read_file(name, text)).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => return unusable(format!("{e}\n")),
    };
    let suite = match Suite::parse(suite_text) {
        Ok(s) => s,
        Err(errors) => return unusable(errors.iter().map(|e| format!("{suite_name}:{e}\n")).collect()),
    };
    let objects = match object_store(s3) {
        Ok(o) => o,
        Err(e) => return unusable(format!("{e}\n")),
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
    let run = match super::generate::suite_simulator(definition, &suite.handlers, &objects) {
        Ok(simulator) => {
            let parsed: serde_json::Value = serde_json::from_str(definition).unwrap_or_default();
            super::coverage::run_suite_on(simulator.with_more_stores(&seeds), &parsed, &suite.scenarios)
        }
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

/// What `statecraft generate-suite` gives: the suite's text and a summary for stderr; `s3` as
/// for [`test_command`].
pub fn generate_command(definition: &str, definition_name: Option<&str>, max_runs: usize, s3: Option<&str>) -> Result<(String, String), String> {
    generate_command_with_stores(definition, definition_name, max_runs, s3, None)
}

/// [`generate_command`], every run also starting with the stores of `stores` (a stores file's
/// name and text, `statecraft generate-suite --stores FILE`).
pub fn generate_command_with_stores(definition: &str, definition_name: Option<&str>, max_runs: usize, s3: Option<&str>, stores: Option<(&str, &str)>) -> Result<(String, String), String> {
    let seeds = stores.map(|(name, text)| crate::sim::stores::read_file(name, text)).transpose()?.unwrap_or_default();
    let objects = object_store(s3)?;
    let report = crate::asl::validate::validate_text(definition);
    if let Some(d) = report.errors().next() {
        return Err(match d.position {
            Some(p) => format!("{}:{}: error[{}]: {}", p.line, p.column, d.code.as_str(), d.message),
            None => format!("error[{}]: {} ({})", d.code.as_str(), d.message, d.pointer),
        });
    }
    let simulator = super::generate::suite_simulator(definition, &HandlerSet::new(), &objects).map_err(|e| e.to_string())?.with_more_stores(&seeds);
    let parsed: serde_json::Value = serde_json::from_str(definition).unwrap_or_default();
    let generated = super::generate::generate_on(&simulator, &parsed, &[], Options { max_runs });
    let run = super::coverage::run_suite_on(simulator, &parsed, &generated.scenarios);
    let mut summary = format!("{} scenarios from {} runs; {}\n", generated.scenarios.len(), generated.runs, run.coverage.summary());
    for (what, why) in run.coverage.missed() {
        summary.push_str(&format!("  not reached: {what}: {}\n", why.unwrap_or_else(|| "the generated inputs did not reach it".into())));
    }
    let suite = Suite { definition: definition_name.map(String::from), handlers: HandlerSet::new(), scenarios: generated.scenarios };
    Ok((suite.to_text(), summary))
}
