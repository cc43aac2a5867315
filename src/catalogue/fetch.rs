//! The bookkeeping of service files fetched one by one (the page's catalogue, see
//! `ui::service_files`): which files were asked for, which are on their way, which arrived or
//! failed, and when something waiting for the files a definition needs (a Run, a suite) may go.
//! The fetching itself is the caller's; this says what to fetch and whom to wake.
//!
//! A waiter waits for exactly the files its definition needs, the ones first asked for by its own
//! wait included, and for nothing else; a file that fails (or whose fetch the caller gives up on)
//! ends the wait as surely as one that arrives, the failure said in words ([`Ready::failed`]).

use std::collections::{BTreeMap, BTreeSet};

use super::needs::{file_of, services_used};

/// Where a service's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Loading,
    Loaded,
    /// Why it could not be had, in words.
    Failed(String),
}

/// A waiter that may go: what it was given to run, and each file it needed that could not be
/// had, said in words ([`failure_line`]).
#[derive(Debug, PartialEq, Eq)]
pub struct Ready<W> {
    pub then: W,
    pub failed: Vec<String>,
}

/// The files asked for so far and those waiting for some of them. `W` is what a waiter runs
/// (the page's closures; anything in tests).
#[derive(Debug)]
pub struct Files<W> {
    states: BTreeMap<String, FileState>,
    waiters: Vec<(BTreeSet<String>, W)>,
}

impl<W> Default for Files<W> {
    fn default() -> Self {
        Files { states: BTreeMap::new(), waiters: Vec::new() }
    }
}

/// The services a definition's text needs the files of; none for a text that is not JSON (it
/// has no Task to answer).
pub fn needed_by(text: &str) -> BTreeSet<String> {
    serde_json::from_str::<serde_json::Value>(text).map(|d| services_used(&d)).unwrap_or_default()
}

/// A file that could not be had, in words.
pub fn failure_line(service: &str, why: &str) -> String {
    format!("The AWS API model of {service} could not be loaded ({why}): Tasks calling {service} answer with their own request instead.")
}

impl<W> Files<W> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for each of `services` not asked for yet; returns those to fetch now (each becomes
    /// [`FileState::Loading`]). A name no file can have fails at once, and is not fetched.
    pub fn ask(&mut self, services: &BTreeSet<String>) -> Vec<String> {
        self.ask_with(services, false)
    }

    /// Waits for every file of `needs`: asks for those not asked for yet, and again for those
    /// that failed (a new Run tries a failed file again). Returns the files to fetch now and,
    /// when nothing it needs is on its way, the waiter ready to go at once.
    pub fn wait(&mut self, needs: BTreeSet<String>, then: W) -> (Vec<String>, Option<Ready<W>>) {
        let fetch = self.ask_with(&needs, true);
        if needs.iter().any(|n| self.states.get(n) == Some(&FileState::Loading)) {
            self.waiters.push((needs, then));
            (fetch, None)
        } else {
            let failed = self.failed_of(&needs);
            (fetch, Some(Ready { then, failed }))
        }
    }

    /// A file's fetch ended (`Err`: why it could not be had, or why the caller gave up on it);
    /// returns the waiters that may go now, in the order they began waiting. An outcome for a
    /// file no longer on its way (a late answer after the caller gave up) is kept, and wakes none.
    pub fn arrived(&mut self, service: &str, outcome: Result<(), String>) -> Vec<Ready<W>> {
        let state = match outcome {
            Ok(()) => FileState::Loaded,
            Err(why) => FileState::Failed(why),
        };
        self.states.insert(service.to_string(), state);
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waiters)
            .into_iter()
            .partition(|(needs, _)| !needs.iter().any(|n| self.states.get(n) == Some(&FileState::Loading)));
        self.waiters = waiting;
        ready.into_iter().map(|(needs, then)| Ready { failed: self.failed_of(&needs), then }).collect()
    }

    /// The caller gives up on a file still on its way (its fetch has not answered in time): it
    /// fails with `why`, and the waiters it held may go. A file no longer on its way is left as is.
    pub fn give_up(&mut self, service: &str, why: &str) -> Vec<Ready<W>> {
        if self.states.get(service) != Some(&FileState::Loading) {
            return Vec::new();
        }
        self.arrived(service, Err(why.to_string()))
    }

    /// Where the file of `service` is, if it was asked for.
    pub fn state(&self, service: &str) -> Option<&FileState> {
        self.states.get(service)
    }

    /// The services whose file is on its way, sorted.
    pub fn loading(&self) -> Vec<String> {
        self.states.iter().filter(|(_, s)| **s == FileState::Loading).map(|(n, _)| n.clone()).collect()
    }

    /// Whether any file has arrived.
    pub fn any_loaded(&self) -> bool {
        self.states.values().any(|s| *s == FileState::Loaded)
    }

    /// Each file that could not be had, in words, sorted by service.
    pub fn failures(&self) -> Vec<String> {
        self.states
            .iter()
            .filter_map(|(n, s)| match s {
                FileState::Failed(why) => Some(failure_line(n, why)),
                _ => None,
            })
            .collect()
    }

    /// How many files were asked for (each once, whatever became of it).
    pub fn asked(&self) -> usize {
        self.states.len()
    }

    /// How many waiters wait.
    pub fn waiting(&self) -> usize {
        self.waiters.len()
    }

    fn ask_with(&mut self, services: &BTreeSet<String>, again: bool) -> Vec<String> {
        let mut fetch = Vec::new();
        for name in services {
            match self.states.get(name) {
                None => {}
                Some(FileState::Failed(_)) if again && file_of(name).is_some() => {}
                Some(_) => continue,
            }
            if file_of(name).is_none() {
                self.states.insert(name.clone(), FileState::Failed("no catalogue file can have this name".into()));
            } else {
                self.states.insert(name.clone(), FileState::Loading);
                fetch.push(name.clone());
            }
        }
        fetch
    }

    fn failed_of(&self, needs: &BTreeSet<String>) -> Vec<String> {
        needs
            .iter()
            .filter_map(|n| match self.states.get(n) {
                Some(FileState::Failed(why)) => Some(failure_line(n, why)),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_definitions_text_names_its_services_and_a_broken_text_none() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sqs:listQueues", "End": true}}}"#;
        assert_eq!(needed_by(text), set(&["dynamodb", "sqs"]));
        assert_eq!(needed_by(&text[..40]), set(&[]));
    }

    #[test]
    fn a_wait_first_asking_for_its_files_waits_for_all_of_them() {
        let mut files = Files::new();
        let (fetch, ready) = files.wait(set(&["dynamodb", "sns"]), "run");
        assert_eq!(fetch, ["dynamodb", "sns"]);
        assert_eq!(ready, None);
        assert_eq!(files.loading(), ["dynamodb", "sns"]);
        assert_eq!(files.arrived("sns", Ok(())), []);
        assert_eq!(files.arrived("dynamodb", Ok(())), [Ready { then: "run", failed: vec![] }]);
        assert_eq!(files.waiting(), 0);
        // Asked again, nothing is fetched and the waiter goes at once.
        assert_eq!(files.wait(set(&["sns"]), "again"), (vec![], Some(Ready { then: "again", failed: vec![] })));
    }

    #[test]
    fn a_wait_joins_files_already_on_their_way_and_asks_only_for_the_rest() {
        let mut files = Files::new();
        assert_eq!(files.ask(&set(&["dynamodb"])), ["dynamodb"]);
        let (fetch, ready) = files.wait(set(&["dynamodb", "ec2"]), 1);
        assert_eq!((fetch, ready), (vec!["ec2".to_string()], None));
        assert_eq!(files.arrived("dynamodb", Ok(())), []);
        assert_eq!(files.arrived("ec2", Ok(())), [Ready { then: 1, failed: vec![] }]);
    }

    #[test]
    fn a_waiter_does_not_wait_for_files_it_does_not_need() {
        let mut files = Files::new();
        files.ask(&set(&["organizations"]));
        let (_, first) = files.wait(set(&["sns"]), "first");
        assert_eq!(first, None);
        let (fetch, second) = files.wait(set(&[]), "no tasks");
        assert_eq!((fetch, second), (vec![], Some(Ready { then: "no tasks", failed: vec![] })));
        // sns arrives while organizations is still on its way: the first waiter goes.
        assert_eq!(files.arrived("sns", Ok(())), [Ready { then: "first", failed: vec![] }]);
        assert_eq!(files.loading(), ["organizations"]);
    }

    #[test]
    fn waiters_go_in_the_order_they_began_waiting() {
        let mut files = Files::new();
        files.wait(set(&["s3"]), 1);
        files.wait(set(&["s3", "sqs"]), 2);
        files.wait(set(&["s3"]), 3);
        assert_eq!(files.arrived("sqs", Ok(())), []);
        assert_eq!(files.arrived("s3", Ok(())).into_iter().map(|r| r.then).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn a_failed_file_ends_the_wait_said_in_words_and_a_new_wait_tries_it_again() {
        let mut files = Files::new();
        files.wait(set(&["sqs", "sns"]), "run");
        assert_eq!(files.arrived("sns", Ok(())), []);
        let ready = files.arrived("sqs", Err("HTTP 503".into()));
        let line = "The AWS API model of sqs could not be loaded (HTTP 503): Tasks calling sqs answer with their own request instead.";
        assert_eq!(ready, [Ready { then: "run", failed: vec![line.to_string()] }]);
        assert_eq!(files.failures(), [line]);
        // The page's own ask does not fetch it again; a Run does.
        assert_eq!(files.ask(&set(&["sqs"])), Vec::<String>::new());
        let (fetch, ready) = files.wait(set(&["sqs"]), "again");
        assert_eq!((fetch, ready), (vec!["sqs".to_string()], None));
        assert_eq!(files.failures(), Vec::<String>::new());
        assert_eq!(files.arrived("sqs", Ok(())), [Ready { then: "again", failed: vec![] }]);
        assert!(files.any_loaded());
    }

    #[test]
    fn a_name_no_file_can_have_fails_at_once_and_its_waiter_goes() {
        let mut files = Files::new();
        let (fetch, ready) = files.wait(set(&["Bad-Name"]), "run");
        assert_eq!(fetch, Vec::<String>::new());
        let ready = ready.expect("nothing to wait for");
        assert_eq!(ready.failed.len(), 1);
        assert!(ready.failed[0].contains("no catalogue file can have this name"), "{:?}", ready.failed);
        assert_eq!(files.state("Bad-Name"), Some(&FileState::Failed("no catalogue file can have this name".into())));
    }

    #[test]
    fn a_late_answer_after_giving_up_is_kept_and_wakes_no_one_twice() {
        let mut files = Files::new();
        files.wait(set(&["ec2"]), "run");
        assert_eq!(files.give_up("ec2", "no answer within 20 s").len(), 1);
        assert_eq!(files.failures().len(), 1);
        assert_eq!(files.arrived("ec2", Ok(())), []);
        assert_eq!(files.state("ec2"), Some(&FileState::Loaded));
        assert!(files.failures().is_empty());
        // Giving up on a file that is here changes nothing.
        assert_eq!(files.give_up("ec2", "no answer within 20 s"), []);
        assert_eq!(files.state("ec2"), Some(&FileState::Loaded));
    }
}
