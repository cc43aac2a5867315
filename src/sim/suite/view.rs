//! What the page's Tests tab shows of a suite, and the one engine call behind it: a job (generate
//! a suite, or run one) done on the page's simulator ([`perform`]), its outcome as a line per
//! scenario (pass or fail against its expected outcome, what it covers) and the coverage the
//! canvas draws ([`EdgeLook`]); the suite as the file `statecraft test` reads ([`file_text`],
//! [`open`]).

use serde_json::Value;

use super::coverage::{Coverage, Reached, SuiteRun, run_suite_on};
use super::file::Suite;
use super::generate::{HISTORY_LIMIT, Options, generate_on};
use super::graph::{Edge, Graph};
use crate::sim::batch::Simulator;
use crate::sim::handler::HandlerSet;
use crate::sim::scenario::Scenario;

/// What the page asks of the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// Generate a suite, starting from the document's scenarios, then run it.
    Generate { base: Vec<Scenario>, options: Options },
    /// Run these scenarios (the document's suite).
    Run { scenarios: Vec<Scenario> },
}

/// A scenario's verdict against its expected outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Verdict {
    Pass,
    Fail,
    /// The scenario expects nothing.
    Unchecked,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Unchecked => "unchecked",
        }
    }
}

/// One scenario's line.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Line {
    pub name: String,
    pub verdict: Verdict,
    /// `SUCCEEDED`, `FAILED` ...
    pub status: String,
    pub end_state: Option<String>,
    /// What differs from the expected outcome, in words.
    pub mismatches: Vec<String>,
    /// The edges (`A → B`) and goals it reached, in the definition's order.
    pub covers: Vec<String>,
    /// Of those, how many no earlier scenario reached.
    pub new: usize,
}

/// The outcome of a job: the scenarios run (the generated ones for [`Job::Generate`]), a line
/// each, and their coverage.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub scenarios: Vec<Scenario>,
    pub lines: Vec<Line>,
    pub coverage: Coverage,
    /// For a generated suite: how many executions the search took.
    pub generated_runs: Option<usize>,
}

impl Outcome {
    pub fn passed(&self) -> usize {
        self.lines.iter().filter(|l| l.verdict == Verdict::Pass).count()
    }
    pub fn failed(&self) -> usize {
        self.lines.iter().filter(|l| l.verdict == Verdict::Fail).count()
    }

    /// `3 scenarios · 3 pass · 0 fail`, for the tab's summary.
    pub fn tally(&self) -> String {
        let unchecked = self.lines.len() - self.passed() - self.failed();
        let mut out = format!("{} scenario{} · {} pass · {} fail", self.lines.len(), plural(self.lines.len()), self.passed(), self.failed());
        if unchecked > 0 {
            out.push_str(&format!(" · {unchecked} without expectation"));
        }
        out
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Does `job` for `parsed` (the definition `simulator` runs) in one call: what `statecraft` and
/// the tests do; the engine worker does the same in slices ([`for_suites`], then
/// `generate_on`, then `coverage::suite_batch` chunk by chunk, then [`outcome`]).
pub fn perform(simulator: Simulator, parsed: &Value, job: Job) -> Outcome {
    let simulator = for_suites(simulator);
    let (scenarios, generated_runs) = match job {
        Job::Generate { base, options } => {
            let generated = generate_on(&simulator, parsed, &base, options);
            (generated.scenarios, Some(generated.runs))
        }
        Job::Run { scenarios } => (scenarios, None),
    };
    let run = run_suite_on(simulator, parsed, &scenarios);
    outcome(run, parsed, scenarios, generated_runs)
}

/// The simulator a suite runs on: the document's, with the suite's history limit.
pub fn for_suites(simulator: Simulator) -> Simulator {
    Simulator { history_limit: Some(HISTORY_LIMIT), ..simulator }
}

/// The outcome of `run`, the run of `scenarios` on `parsed`: a line per scenario with what it
/// covers, and the coverage.
pub fn outcome(run: SuiteRun, parsed: &Value, scenarios: Vec<Scenario>, generated_runs: Option<usize>) -> Outcome {
    let graph = Graph::of(parsed);
    let mut seen = Reached::default();
    let lines = run
        .rows
        .iter()
        .zip(&run.coverage.per_scenario)
        .map(|(row, reached)| {
            let covers = covers(&graph, reached);
            let new = reached.minus(&seen);
            seen.extend(reached.clone());
            Line {
                name: row.name.clone(),
                verdict: match row.pass {
                    Some(true) => Verdict::Pass,
                    Some(false) => Verdict::Fail,
                    None => Verdict::Unchecked,
                },
                status: row.status.to_string(),
                end_state: row.end_state.clone(),
                mismatches: row.mismatches.clone(),
                covers,
                new: new.edges.len() + new.goals.len(),
            }
        })
        .collect();
    Outcome { scenarios, lines, coverage: run.coverage, generated_runs }
}

/// The edges and goals of `graph` that `reached` holds, described, in the definition's order.
fn covers(graph: &Graph, reached: &Reached) -> Vec<String> {
    let edges = graph.edges.iter().filter(|e| reached.edges.contains(&(e.from.clone(), e.to.clone()))).map(Edge::describe);
    let goals = graph.goals.iter().filter(|g| reached.goals.contains(*g)).map(|g| g.describe());
    edges.chain(goals).collect()
}

/// How the canvas draws an edge under a suite's coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdgeLook {
    /// A scenario took it.
    Taken,
    /// No scenario took it, and nothing says it cannot be taken: a gap in the suite.
    NeverTaken,
    /// No input can take it, and why.
    Unreachable(String),
}

impl EdgeLook {
    /// The edge's classes on the canvas (the legend's keys are `suite-` and [`LEGEND`]'s class).
    pub fn class(&self) -> &'static str {
        match self {
            EdgeLook::Taken => " suite-edge suite-taken",
            EdgeLook::NeverTaken => " suite-edge suite-never-taken",
            EdgeLook::Unreachable(_) => " suite-edge suite-unreachable",
        }
    }

    /// What the edge's tooltip says.
    pub fn title(&self) -> String {
        match self {
            EdgeLook::Taken => "taken by the suite".into(),
            EdgeLook::NeverTaken => "never taken by the suite".into(),
            EdgeLook::Unreachable(why) => format!("unreachable: {why}"),
        }
    }
}

/// The legend of the canvas's suite coverage: (class, words).
pub const LEGEND: [(&str, &str); 3] =
    [("taken", "taken by a scenario"), ("never-taken", "never taken: no scenario reaches it"), ("unreachable", "unreachable: no input can take it")];

impl Coverage {
    /// How the edge from `from` to `to` (state names, or `crate::sim::run::START`/`END`) is drawn; `None` for
    /// an edge the definition does not have (the canvas's own markers).
    pub fn edge_look(&self, from: &str, to: &str) -> Option<EdgeLook> {
        let item = self.edges.iter().find(|i| i.what.from == from && i.what.to == to)?;
        Some(match (&item.unreachable, item.covered()) {
            (_, true) => EdgeLook::Taken,
            (Some(why), false) => EdgeLook::Unreachable(why.clone()),
            (None, false) => EdgeLook::NeverTaken,
        })
    }

    /// Whether the state was reached, and if not whether it can be: `(covered, why unreachable)`.
    pub fn state_look(&self, name: &str) -> Option<(bool, Option<String>)> {
        self.states.iter().find(|i| i.what == name).map(|i| (i.covered(), i.unreachable.clone()))
    }

    /// `edges 9 of 9 reachable (100 %)`.
    pub fn edge_percent(&self) -> String {
        let f = self.edge_figure();
        format!("{:.0} % of reachable edges ({} of {})", f.percent().floor(), f.covered, f.reachable)
    }
}

/// The name of the suite file the page downloads for the document `name`.
pub fn file_name(name: &str) -> String {
    format!("{}.suite.json", file_stem(name))
}

/// The file name of the document's definition as the page downloads it (the toolbar's Download).
pub fn definition_file_name(name: &str) -> String {
    format!("{}.asl.json", file_stem(name))
}

fn file_stem(name: &str) -> String {
    let stem: String = name.trim().chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ') { c } else { '-' }).collect();
    if stem.trim().is_empty() { "state-machine".into() } else { stem.trim().to_string() }
}

/// The suite file of the document `name`: it names the definition as the page downloads it, so
/// `statecraft test NAME.suite.json` finds `NAME.asl.json` beside it, and carries the
/// document's handler choices, so the scenarios get the same answers there as in the page.
pub fn file_text(name: &str, handlers: &HandlerSet, scenarios: &[Scenario]) -> String {
    Suite { definition: Some(definition_file_name(name)), handlers: handlers.clone(), scenarios: scenarios.to_vec() }.to_text()
}

/// A suite file's scenarios, or every problem with it, located, one per line.
pub fn open(text: &str) -> Result<Vec<Scenario>, String> {
    Suite::parse(text).map(|s| s.scenarios).map_err(|errors| errors.iter().map(|e| format!("line {e}")).collect::<Vec<_>>().join("\n"))
}

/// What opening a suite file does to the document's simulation settings: its scenarios become
/// the suite, and the handler choices it carries (what every scenario starts from, written by
/// Download) become the document's, so its runs answer as they did when it was written; a file
/// without handler choices keeps the document's. Gives the settings and what was opened, in
/// words (`Opened x.suite.json: 3 scenarios and the handler choices of 2 tasks`).
pub fn open_into(settings: &crate::sim::SimSettings, name: &str, text: &str) -> Result<(crate::sim::SimSettings, String), String> {
    let suite = Suite::parse(text).map_err(|errors| errors.iter().map(|e| format!("line {e}")).collect::<Vec<_>>().join("\n"))?;
    let n = suite.scenarios.len();
    let mut words = format!("Opened {name}: {n} scenario{}", if n == 1 { "" } else { "s" });
    let mut next = settings.with_suite(suite.scenarios);
    if !suite.handlers.is_empty() {
        let k = suite.handlers.len();
        words.push_str(&format!(" and the handler choices of {k} task{}", if k == 1 { "" } else { "s" }));
        next = next.with_handlers(suite.handlers);
    }
    Ok((next, words))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> (Simulator, Value) {
        let simulator = Simulator::new(crate::seed::ORDER_WORKFLOW, &crate::sim::SimSettings::seeded().handlers).unwrap();
        (simulator, serde_json::from_str(crate::seed::ORDER_WORKFLOW).unwrap())
    }

    #[test]
    fn generating_on_the_seed_covers_every_edge_and_lists_what_each_scenario_covers() {
        let (simulator, parsed) = seed();
        let base = crate::sim::scenario::seed_scenarios();
        let outcome = perform(simulator.clone(), &parsed, Job::Generate { base, options: Options::default() });
        assert!(outcome.generated_runs.unwrap() > 0);
        assert_eq!(outcome.failed(), 0);
        assert_eq!(outcome.passed(), outcome.lines.len());
        let f = outcome.coverage.edge_figure();
        assert_eq!((f.covered, f.reachable), (f.total, f.total), "{}", outcome.coverage.summary());
        assert!(outcome.coverage.edge_percent().starts_with("100 %"));
        assert!(outcome.lines[0].covers.contains(&"start → ValidateInput".to_string()), "{:?}", outcome.lines[0].covers);
        assert_eq!(outcome.lines.iter().map(|l| l.new).sum::<usize>(), f.total + outcome.coverage.goal_figure().covered);
        assert_eq!(outcome.coverage.edge_look("ProcessData", "HandleError"), Some(EdgeLook::Taken));
        assert_eq!(outcome.coverage.edge_look("ProcessData", "Nowhere"), None);

        // A broken expectation fails that scenario, and only it.
        let mut scenarios = outcome.scenarios.clone();
        scenarios[1].expected.as_mut().unwrap().status = Some("TIMED_OUT".into());
        let again = perform(simulator, &parsed, Job::Run { scenarios });
        assert_eq!(again.failed(), 1);
        assert_eq!(again.lines[1].verdict, Verdict::Fail);
        assert!(again.lines[1].mismatches.iter().any(|m| m.contains("TIMED_OUT")), "{:?}", again.lines[1].mismatches);
        assert_eq!(again.tally(), format!("{n} scenarios · {p} pass · 1 fail", n = again.lines.len(), p = again.lines.len() - 1));
    }

    #[test]
    fn a_suite_with_no_scenario_takes_no_edge_and_says_which_cannot_be_taken() {
        let definition = r#"{"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "A"}], "Default": "B"},
            "A": {"Type": "Pass", "End": true}, "B": {"Type": "Pass", "End": true}}}"#;
        let simulator = Simulator::new(definition, &HandlerSet::new()).unwrap();
        let parsed: Value = serde_json::from_str(definition).unwrap();
        let outcome = perform(simulator, &parsed, Job::Run { scenarios: Vec::new() });
        assert!(outcome.lines.is_empty());
        assert_eq!(outcome.coverage.edge_look("C", "A"), Some(EdgeLook::NeverTaken));
        assert_eq!(EdgeLook::NeverTaken.class(), " suite-edge suite-never-taken");
        assert_eq!(outcome.coverage.state_look("A"), Some((false, None)));
    }

    #[test]
    fn the_file_is_the_one_statecraft_test_reads() {
        let (simulator, parsed) = seed();
        let outcome = perform(simulator, &parsed, Job::Generate { base: crate::sim::scenario::seed_scenarios(), options: Options::default() });
        let text = file_text("Order workflow", &HandlerSet::new(), &outcome.scenarios);
        assert_eq!(file_name("Order workflow"), "Order workflow.suite.json");
        assert_eq!(file_name(" a/b "), "a-b.suite.json");
        assert_eq!(file_name(""), "state-machine.suite.json");
        let suite = Suite::parse(&text).unwrap();
        assert_eq!(suite.definition.as_deref(), Some("Order workflow.asl.json"));
        assert_eq!(open(&text).unwrap(), outcome.scenarios);
        let report = super::super::command::test_command(&text, "Order workflow", crate::seed::ORDER_WORKFLOW, None);
        assert_eq!(report.exit_code, 0, "{}", report.stdout);
        let error = open("{\"statecraftSuite\": 1,\n \"scenarios\": 3}").unwrap_err();
        assert!(error.starts_with("line 2:15: the scenarios are a JSON array"), "{error}");
    }

    #[test]
    fn opening_a_suite_file_restores_its_handler_choices() {
        let mut handlers = HandlerSet::new();
        let spec = crate::sim::handler::HandlerSpec { choice: crate::sim::handler::HandlerChoice::Echo, latency_ms: 250 };
        handlers.insert("Notify".to_string(), spec.clone());
        let scenarios = crate::sim::scenario::seed_scenarios();
        let text = file_text("Order workflow", &handlers, &scenarios);
        let before = crate::sim::SimSettings::seeded();
        assert_ne!(before.handlers.get("Notify"), Some(&spec));
        let (after, words) = open_into(&before, "o.suite.json", &text).unwrap();
        assert_eq!(after.handlers, handlers, "the file's choices are the document's");
        let names = |s: &[Scenario]| s.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&after.suite), names(&scenarios));
        assert_eq!(words, format!("Opened o.suite.json: {} scenarios and the handler choices of 1 task", scenarios.len()));
        // Without choices in the file, the document keeps its own.
        let bare = file_text("Order workflow", &HandlerSet::new(), &scenarios);
        let (kept, words) = open_into(&before, "o.suite.json", &bare).unwrap();
        assert_eq!(kept.handlers, before.handlers);
        assert!(!words.contains("handler"), "{words}");
        assert!(open_into(&before, "x", "{").unwrap_err().starts_with("line 1:"));
    }
}
