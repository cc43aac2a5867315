//! What the simulator shows on the canvas, provided once at the root: the run being looked at
//! (states coloured as AWS's graph inspector colours them, edges taken, retry badges), a
//! batch's coverage (a heat map) or a test suite's coverage (edges taken, never taken,
//! unreachable: [`crate::sim::suite::view::EdgeLook`]), and the Run drawer's head: whether it
//! is open, its tab and the run's verdict (kept here, in the first module, so that the drawer's
//! body, a part loaded after the first paint, finds what was clicked before it arrived).

use std::sync::Arc;

use crate::sim::batch::Coverage;
use crate::sim::run::{END, RunModel, START, StateStatus};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct SimView {
    /// Local to the page's thread: a run's payloads are counted without atomics
    /// (`asl::value::Payload`).
    pub run: RwSignal<Option<Arc<RunModel>>, LocalStorage>,
    pub coverage: RwSignal<Option<Arc<Coverage>>>,
    /// The last suite run's coverage, while the Tests tab shows it.
    pub suite: RwSignal<Option<Arc<crate::sim::suite::coverage::Coverage>>>,
    pub open: RwSignal<bool>,
    /// The Run drawer's tab: `run`, `batch`, `stores` or `suite`.
    pub tab: RwSignal<&'static str>,
    /// The run's verdict against its scenario's expected outcome, as the head shows it: its
    /// CSS name and its words (`sim::live::Verdict`; set by the drawer's body).
    pub verdict: RwSignal<Option<(&'static str, String)>>,
}

impl SimView {
    pub fn new() -> Self {
        SimView { run: RwSignal::new_local(None), coverage: RwSignal::new(None), suite: RwSignal::new(None), open: RwSignal::new(false), tab: RwSignal::new("run"), verdict: RwSignal::new(None) }
    }

    /// Whether a run, a batch's coverage or a suite's is shown on the canvas (tracked).
    pub fn shows_anything(&self) -> bool {
        self.run.with(Option::is_some) || self.coverage.with(Option::is_some) || self.suite.with(Option::is_some)
    }

    /// Classes for a state's node: `run-succeeded` ..., or `heat heat-N` for coverage.
    pub fn node_class(&self, name: &str) -> String {
        if let Some(c) = self.coverage.read().as_ref() {
            let failed = if c.failures(name) > 0 { " heat-failed" } else { "" };
            return format!(" heat {}{failed}", c.heat_level(name).class());
        }
        if let Some(c) = self.suite.read().as_ref() {
            return match c.state_look(name) {
                Some((true, _)) => " suite-covered".into(),
                Some((false, Some(_))) => " suite-unreachable".into(),
                Some((false, None)) => " suite-never".into(),
                None => String::new(),
            };
        }
        match self.run.read().as_ref() {
            Some(run) => format!(" run-{}", run.state_status(name).name()),
            None => String::new(),
        }
    }

    /// The retry badge's text, when the state was retried in the run shown.
    pub fn retries(&self, name: &str) -> Option<String> {
        let run = self.run.read();
        let n = run.as_ref()?.states.get(name)?.retries;
        (n > 0).then(|| format!("↻{n}"))
    }

    /// Classes for an edge from `from` to `to` (state names, or `None` for the markers).
    pub fn edge_class(&self, from: Option<&str>, to: Option<&str>) -> &'static str {
        let (from, to) = (from.unwrap_or(START), to.unwrap_or(END));
        if let Some(c) = self.coverage.read().as_ref() {
            let n = c.edge_count(from, to);
            return match (n, c.runs) {
                (0, _) => " heat-edge cold",
                (n, runs) if n * 2 >= runs => " heat-edge hot",
                _ => " heat-edge warm",
            };
        }
        if let Some(c) = self.suite.read().as_ref() {
            return c.edge_look(from, to).map_or("", |look| look.class());
        }
        match self.run.read().as_ref() {
            Some(run) if run.edges.keys().any(|(a, b)| &**a == from && &**b == to) => {
                let caught = run.state_status(from) == StateStatus::Caught && to != END;
                if caught { " taken caught" } else { " taken" }
            }
            Some(_) => " not-taken",
            None => "",
        }
    }

    /// The edge's tooltip under a suite's coverage (why an unreachable edge cannot be taken).
    pub fn edge_title(&self, from: Option<&str>, to: Option<&str>) -> Option<String> {
        let (from, to) = (from.unwrap_or(START), to.unwrap_or(END));
        if self.coverage.read().is_some() {
            return None;
        }
        self.suite.read().as_ref()?.edge_look(from, to).map(|look| look.title())
    }
}
