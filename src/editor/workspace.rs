//! The workspace: every document the user has, each a [`Record`] stored on its own (the UI keeps
//! them in IndexedDB, `ui::store`), and the decisions about them: which one is open, new /
//! duplicate / rename / delete to a trash / restore / empty the trash / switch, the save
//! protocol, what happens when another tab saved the same document, the first load (the seed,
//! or the single document of the old localStorage autosave), and the backup zip.
//!
//! The save protocol: every record carries a `revision`, bumped by each write. A tab remembers
//! the revision its open document is built on (`base`) and asks storage to write revision
//! `base + 1` only if the stored revision is still `base` ([`Write::expect`]); storage checks it
//! and writes in one transaction. So a tab never overwrites what it has not seen: a write that
//! finds another revision comes back as [`WriteOutcome::Conflict`] carrying the stored record.
//!
//! The two-tab rule: when another tab's save of the open document arrives (a broadcast, or a
//! conflicting write), a document with no unsaved edits here takes it ([`Remote::Reload`]); one
//! with unsaved edits keeps both versions and offers them ([`Remote::Conflict`], then
//! [`Workspace::resolve`] with the user's [`Choice`]). Until the user chooses, this tab writes
//! nothing over the other tab's version. Nothing is lost without a choice.
//!
//! The model never talks to storage: its methods return the [`Write`]s and deletions for the UI
//! to carry out, and take back what storage answered.

use super::document::{Document, Saved};
use serde::{Deserialize, Serialize};

/// One stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    /// Bumped by every write of this record (see the save protocol above).
    pub revision: u64,
    /// When it last changed, in milliseconds since 1970 (the browser's `Date.now()`).
    pub changed_ms: f64,
    /// When it was deleted, while it is in the trash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trashed_ms: Option<f64>,
    /// The document: name, text, positions, scenarios and handler choices.
    pub saved: Saved,
}

impl Record {
    pub fn name(&self) -> &str {
        &self.saved.name
    }
    pub fn in_trash(&self) -> bool {
        self.trashed_ms.is_some()
    }
}

/// A record to write, if the stored revision is still `expect` (`None`: the record must not
/// exist yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub record: Record,
    pub expect: Option<u64>,
}

/// What storage answered to a [`Write`].
#[derive(Debug, Clone, PartialEq)]
pub enum WriteOutcome {
    Written,
    /// The stored revision was not the expected one: here is what is stored (`None`: nothing).
    Conflict(Option<Record>),
    /// Storage refused (quota, private mode, a closed database): the message, for the user.
    Failed(String),
}

/// Where the open document stands against storage.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncState {
    /// Everything here is saved.
    Clean,
    /// Edited since the last write.
    Dirty,
    /// Another tab saved `theirs` over what this tab's unsaved edits started from; nothing is
    /// written for this document until the user chooses.
    Conflict { theirs: Box<Record> },
}

/// What the user chose when another tab saved the document they were editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Keep this tab's version as a new document, and this document takes the other tab's.
    KeepBoth,
    /// Write this tab's version over the other tab's.
    KeepMine,
    /// Drop this tab's edits and take the other tab's version.
    TakeTheirs,
}

/// What to do after another tab saved a record.
#[derive(Debug, Clone)]
pub enum Remote {
    /// Not the open document (or nothing newer): only the list changes.
    Listed,
    /// The open document had no unsaved edits: show this version.
    Reload(Box<Document>),
    /// The open document has unsaved edits: both versions are kept until the user chooses.
    Conflict,
}

/// What a step asks of the UI: writes and deletions to carry out, and the document to show
/// when the open one changes.
#[derive(Debug, Default)]
pub struct Step {
    pub writes: Vec<Write>,
    pub deletes: Vec<String>,
    pub open: Option<Document>,
}

/// Why a workspace step could not be done.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkspaceError {
    NoDocument(String),
    /// A backup that is not one of ours: what is wrong with it.
    BadBackup(String),
}

impl std::fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorkspaceError::NoDocument(id) => write!(f, "the document {id} is not in this workspace (another tab may have emptied the trash)"),
            WorkspaceError::BadBackup(why) => write!(f, "this is not a Statecraft backup: {why}"),
        }
    }
}

/// The documents this tab knows (a mirror of storage), which one is open, and where it stands.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Every record, as last written or read.
    records: Vec<Record>,
    current: String,
    /// The revision the open document is built on.
    base: u64,
    state: SyncState,
    /// Makes ids unique across tabs (the UI draws it at random) …
    tab: String,
    /// … and within this tab.
    counter: u64,
}

/// The name a copy of `name` gets.
pub fn copy_name(name: &str) -> String {
    format!("{name} (copy)")
}

impl Workspace {
    /// The first load of a tab: the stored `records`; `legacy`, the old localStorage autosave;
    /// `preferred`, the document this tab had open before a reload. With nothing stored, the old
    /// autosave is migrated into the workspace, or else the seed is created: either is written.
    pub fn load(mut records: Vec<Record>, legacy: Option<Saved>, preferred: Option<&str>, tab: &str, now_ms: f64) -> (Workspace, Step) {
        crate::asl::sort::sort_by(&mut records, |a, b| b.changed_ms.total_cmp(&a.changed_ms).then_with(|| a.id.cmp(&b.id)));
        let mut ws = Workspace { records, current: String::new(), base: 0, state: SyncState::Clean, tab: tab.to_string(), counter: 0 };
        let open = preferred
            .and_then(|p| ws.live(p))
            .or_else(|| ws.records.iter().find(|r| !r.in_trash()))
            .map(|r| r.id.clone());
        match open {
            Some(id) => {
                let record = ws.record(&id).expect("listed").clone();
                ws.current = id;
                ws.base = record.revision;
                (ws, Step { open: Some(Document::restore(record.saved)), ..Step::default() })
            }
            None => {
                let doc = legacy.map(Document::restore).unwrap_or_else(Document::seed);
                let mut step = Step::default();
                ws.add(doc.saved(), now_ms, &mut step);
                step.open = Some(doc);
                (ws, step)
            }
        }
    }

    /// The open document's id.
    pub fn current(&self) -> &str {
        &self.current
    }
    pub fn state(&self) -> &SyncState {
        &self.state
    }
    /// The documents not in the trash, the last changed first.
    pub fn documents(&self) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(|r| !r.in_trash())
    }
    /// The documents in the trash, the last deleted first.
    pub fn trash(&self) -> Vec<&Record> {
        let mut t: Vec<&Record> = self.records.iter().filter(|r| r.in_trash()).collect();
        crate::asl::sort::sort_by(&mut t, |a, b| b.trashed_ms.unwrap_or(0.0).total_cmp(&a.trashed_ms.unwrap_or(0.0)));
        t
    }
    pub fn record(&self, id: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.id == id)
    }
    fn live(&self, id: &str) -> Option<&Record> {
        self.record(id).filter(|r| !r.in_trash())
    }

    fn fresh_id(&mut self) -> String {
        self.counter += 1;
        format!("{}-{}", self.tab, self.counter)
    }

    /// Keeps `record` in the mirror (replacing its older version), the last changed first.
    fn put(&mut self, record: Record) {
        self.records.retain(|r| r.id != record.id);
        let at = self.records.iter().position(|r| r.changed_ms <= record.changed_ms).unwrap_or(self.records.len());
        self.records.insert(at, record);
    }

    /// Adds a new document holding `saved` and makes it the open one.
    fn add(&mut self, saved: Saved, now_ms: f64, step: &mut Step) -> String {
        let id = self.fresh_id();
        let record = Record { id: id.clone(), revision: 1, changed_ms: now_ms, trashed_ms: None, saved };
        step.writes.push(Write { record: record.clone(), expect: None });
        self.put(record);
        self.current = id.clone();
        self.base = 1;
        self.state = SyncState::Clean;
        id
    }

    /// The open document was edited (autosave will write it).
    pub fn edited(&mut self) {
        if self.state == SyncState::Clean {
            self.state = SyncState::Dirty;
        }
    }

    /// The write that saves `doc`, the open document, when it has unsaved edits. After it, the
    /// document counts as saved until it is edited again or the write comes back otherwise
    /// ([`Workspace::written`]). Nothing while a conflict waits for the user.
    pub fn save(&mut self, doc: &Document, now_ms: f64) -> Option<Write> {
        if self.state != SyncState::Dirty {
            return None;
        }
        self.state = SyncState::Clean;
        let trashed_ms = self.record(&self.current).and_then(|r| r.trashed_ms);
        let record = Record { id: self.current.clone(), revision: self.base + 1, changed_ms: now_ms, trashed_ms, saved: doc.saved() };
        // Revisions start at 1: base 0 is a document that is not stored (any more).
        Some(Write { record, expect: (self.base > 0).then_some(self.base) })
    }

    /// Takes storage's answer to `write`. For the open document: written moves its base on; a
    /// conflict applies the two-tab rule; a failure leaves it unsaved (the next save retries).
    /// Gives the document to show, when the other tab's version is taken.
    pub fn written(&mut self, write: &Write, outcome: WriteOutcome) -> Remote {
        let id = write.record.id.clone();
        let open = id == self.current;
        match outcome {
            WriteOutcome::Written => {
                if open {
                    self.base = self.base.max(write.record.revision);
                }
                self.put(write.record.clone());
                Remote::Listed
            }
            WriteOutcome::Failed(_) => {
                if open {
                    self.edited();
                }
                Remote::Listed
            }
            WriteOutcome::Conflict(None) => {
                // Deleted for good by another tab (its trash emptied): the open document is
                // written again as new; any other is forgotten.
                self.records.retain(|r| r.id != id);
                if open {
                    self.base = 0;
                    self.edited();
                }
                Remote::Listed
            }
            WriteOutcome::Conflict(Some(theirs)) => {
                if open {
                    // This tab's version was not written: it has unsaved edits.
                    self.edited();
                }
                self.arrived(theirs)
            }
        }
    }

    /// Another tab saved `theirs` (a broadcast, or found by a write). The two-tab rule.
    pub fn arrived(&mut self, theirs: Record) -> Remote {
        let known = self.record(&theirs.id).map_or(0, |r| r.revision);
        if theirs.id != self.current {
            if theirs.revision > known {
                self.put(theirs);
            }
            return Remote::Listed;
        }
        if theirs.revision <= self.base {
            return Remote::Listed;
        }
        match self.state {
            SyncState::Clean => {
                self.base = theirs.revision;
                let doc = Document::restore(theirs.saved.clone());
                self.put(theirs);
                Remote::Reload(Box::new(doc))
            }
            SyncState::Dirty | SyncState::Conflict { .. } => {
                self.state = SyncState::Conflict { theirs: Box::new(theirs.clone()) };
                self.put(theirs);
                Remote::Conflict
            }
        }
    }

    /// Another tab deleted `id` for good.
    pub fn removed(&mut self, id: &str) {
        if id != self.current {
            self.records.retain(|r| r.id != id);
        } else {
            // The open document stays here, and is written again as new at its next save.
            self.records.retain(|r| r.id != id);
            self.base = 0;
            self.edited();
        }
    }

    /// The user's choice between `mine` (the open document, with its unsaved edits) and the
    /// other tab's version.
    pub fn resolve(&mut self, choice: Choice, mine: &Document, now_ms: f64) -> Step {
        let SyncState::Conflict { theirs } = self.state.clone() else { return Step::default() };
        let mut step = Step::default();
        match choice {
            Choice::KeepMine => {
                self.base = theirs.revision;
                self.state = SyncState::Dirty;
                step.writes.extend(self.save(mine, now_ms));
            }
            Choice::TakeTheirs => {
                self.base = theirs.revision;
                self.state = SyncState::Clean;
                step.open = Some(Document::restore(theirs.saved.clone()));
            }
            Choice::KeepBoth => {
                let mut saved = mine.saved();
                saved.name = format!("{} (this tab's version)", saved.name);
                // The other tab's version stays where it is; this tab's is a new document, open.
                self.add(saved.clone(), now_ms, &mut step);
                step.open = Some(Document::restore(saved));
            }
        }
        step
    }

    /// Flushes the open document (when edited) before another one opens.
    /// With a conflict pending, this tab's version is not dropped by leaving it: it becomes a
    /// document of its own.
    fn leave(&mut self, mine: &Document, now_ms: f64, step: &mut Step) {
        step.writes.extend(self.save(mine, now_ms));
        if matches!(self.state, SyncState::Conflict { .. }) {
            let kept = self.resolve(Choice::KeepBoth, mine, now_ms);
            step.writes.extend(kept.writes);
        }
    }

    /// A new document holding `doc`, opened; `mine`, the open one, is saved first and stays in
    /// the list.
    pub fn create(&mut self, mine: &Document, doc: Document, now_ms: f64) -> Step {
        let mut step = Step::default();
        self.leave(mine, now_ms, &mut step);
        self.add(doc.saved(), now_ms, &mut step);
        step.open = Some(doc);
        step
    }

    /// Opens the document `id` (from the list, or the trash, which restores it).
    pub fn switch(&mut self, mine: &Document, id: &str, now_ms: f64) -> Result<Step, WorkspaceError> {
        if id == self.current {
            return Ok(Step::default());
        }
        let record = self.record(id).ok_or_else(|| WorkspaceError::NoDocument(id.to_string()))?.clone();
        let mut step = Step::default();
        self.leave(mine, now_ms, &mut step);
        let record = if record.in_trash() { self.restored(record, now_ms, &mut step) } else { record };
        self.current = record.id.clone();
        self.base = record.revision;
        self.state = SyncState::Clean;
        step.open = Some(Document::restore(record.saved));
        Ok(step)
    }

    fn restored(&mut self, mut record: Record, now_ms: f64, step: &mut Step) -> Record {
        let expect = Some(record.revision);
        record.trashed_ms = None;
        record.revision += 1;
        record.changed_ms = now_ms;
        step.writes.push(Write { record: record.clone(), expect });
        self.put(record.clone());
        record
    }

    /// A copy of the document `id` (the open one as it is now), opened.
    pub fn duplicate(&mut self, mine: &Document, id: &str, now_ms: f64) -> Result<Step, WorkspaceError> {
        let mut saved = if id == self.current { mine.saved() } else { self.record(id).ok_or_else(|| WorkspaceError::NoDocument(id.to_string()))?.saved.clone() };
        saved.name = copy_name(&saved.name);
        let mut step = Step::default();
        self.leave(mine, now_ms, &mut step);
        self.add(saved.clone(), now_ms, &mut step);
        step.open = Some(Document::restore(saved));
        Ok(step)
    }

    /// Renames a document that is not open (the open one is renamed by a `Change::SetName`, an
    /// undo step like any edit).
    pub fn rename(&mut self, id: &str, name: &str, now_ms: f64) -> Result<Step, WorkspaceError> {
        let mut record = self.record(id).ok_or_else(|| WorkspaceError::NoDocument(id.to_string()))?.clone();
        let mut step = Step::default();
        let name = name.trim();
        if name.is_empty() || name == record.name() {
            return Ok(step);
        }
        let expect = Some(record.revision);
        record.saved.name = name.to_string();
        record.revision += 1;
        record.changed_ms = now_ms;
        step.writes.push(Write { record: record.clone(), expect });
        self.put(record);
        Ok(step)
    }

    /// Moves the document `id` to the trash. When it is the open one, the last changed other
    /// document opens (a blank one is created when there is none).
    pub fn delete(&mut self, mine: &Document, id: &str, now_ms: f64) -> Result<Step, WorkspaceError> {
        let mut record = self.record(id).ok_or_else(|| WorkspaceError::NoDocument(id.to_string()))?.clone();
        let mut step = Step::default();
        let mut expect = Some(record.revision);
        if id == self.current {
            // What goes to the trash is the document as it is now, unsaved edits included …
            record.saved = mine.saved();
            if matches!(self.state, SyncState::Conflict { .. }) {
                // … as a document of its own when another tab saved over it: theirs stays.
                record.id = self.fresh_id();
                record.revision = 0;
                expect = None;
            } else {
                record.revision = self.base;
                expect = Some(self.base);
            }
        }
        record.trashed_ms = Some(now_ms);
        record.revision += 1;
        step.writes.push(Write { record: record.clone(), expect });
        self.put(record);
        if id == self.current {
            self.state = SyncState::Clean;
            let next = self.documents().next().cloned();
            match next {
                Some(next) => {
                    self.current = next.id.clone();
                    self.base = next.revision;
                    step.open = Some(Document::restore(next.saved));
                }
                None => {
                    let doc = Document::new("Untitled", BLANK);
                    self.add(doc.saved(), now_ms, &mut step);
                    step.open = Some(doc);
                }
            }
        }
        Ok(step)
    }

    /// Takes the document `id` out of the trash (it does not open).
    pub fn restore(&mut self, id: &str, now_ms: f64) -> Result<Step, WorkspaceError> {
        let record = self.record(id).ok_or_else(|| WorkspaceError::NoDocument(id.to_string()))?.clone();
        let mut step = Step::default();
        if record.in_trash() {
            self.restored(record, now_ms, &mut step);
        }
        Ok(step)
    }

    /// Deletes every document in the trash for good.
    pub fn empty_trash(&mut self) -> Step {
        let deletes: Vec<String> = self.records.iter().filter(|r| r.in_trash()).map(|r| r.id.clone()).collect();
        self.records.retain(|r| !r.in_trash());
        Step { deletes, ..Step::default() }
    }

    /// Every document (the open one as it is now, the trash too) as files for one zip: one
    /// `<name>.statecraft.json` per document, its [`Record`].
    pub fn backup(&self, mine: &Document) -> Vec<(String, String)> {
        let mut taken: Vec<String> = Vec::new();
        self.records
            .iter()
            .map(|r| {
                let mut r = r.clone();
                if r.id == self.current {
                    r.saved = mine.saved();
                }
                let stem = file_stem(r.name());
                let mut name = format!("{stem}.statecraft.json");
                let mut k = 1;
                while taken.contains(&name) {
                    k += 1;
                    name = format!("{stem}-{k}.statecraft.json");
                }
                taken.push(name.clone());
                (name, serde_json::to_string_pretty(&r).expect("records serialize"))
            })
            .collect()
    }

    /// Adds the documents of a backup (the files of its zip) to the workspace. A document already
    /// here unchanged is skipped; one that differs comes in as a new document beside it: a
    /// restore never overwrites. Gives the step and how many documents came in.
    pub fn restore_backup(&mut self, files: &[(String, Vec<u8>)], now_ms: f64) -> Result<(Step, usize), WorkspaceError> {
        let mut incoming = Vec::new();
        for (name, data) in files.iter().filter(|(n, _)| n.ends_with(".statecraft.json")) {
            let record: Record = std::str::from_utf8(data)
                .map_err(|e| WorkspaceError::BadBackup(format!("{name}: not UTF-8 ({e})")))
                .and_then(|text| crate::asl::json::from_text(text).map_err(|e| WorkspaceError::BadBackup(format!("{name}: {e}"))))?;
            incoming.push(record);
        }
        if incoming.is_empty() {
            return Err(WorkspaceError::BadBackup("it holds no .statecraft.json document".into()));
        }
        let mut step = Step::default();
        let mut count = 0;
        for mut record in incoming {
            match self.record(&record.id) {
                Some(here) if here.saved == record.saved => continue,
                Some(_) => {
                    record.id = self.fresh_id();
                    record.saved.name = format!("{} (from backup)", record.saved.name);
                }
                None => {}
            }
            record.revision = 1;
            record.changed_ms = record.changed_ms.min(now_ms);
            step.writes.push(Write { record: record.clone(), expect: None });
            self.put(record);
            count += 1;
        }
        Ok((step, count))
    }
}

/// The change that turns `current` into the document `next` (its name, text, positions,
/// scenarios and handler choices), as one undo step: how another tab's version replaces the
/// open one.
pub fn replacement(current: &Document, next: &Saved) -> super::change::Change {
    use super::change::Change;
    let mut out: Vec<Change> = current.positions().keys().filter(|id| !next.positions.contains_key(*id)).map(|id| Change::SetPosition { id: id.clone(), at: None }).collect();
    // A broken text comes with the last valid one, read first so the model is drawn.
    out.extend(next.last_valid.clone().map(Change::SetText));
    out.push(Change::SetText(next.text.clone()));
    out.extend(next.positions.iter().map(|(id, at)| Change::SetPosition { id: id.clone(), at: Some(*at) }));
    out.push(Change::SetSimulation(Box::new(next.simulation.clone())));
    out.push(Change::SetName(next.name.clone()));
    Change::Batch(out)
}

/// A file name for `name`: letters, digits, `-`, `_` and `.` kept, anything else `_`.
pub fn file_stem(name: &str) -> String {
    let stem: String = name.chars().take(60).map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let stem = stem.trim_matches('.').to_string();
    if stem.is_empty() { "document".into() } else { stem }
}

/// The smallest valid workflow, one Pass state: what New starts from.
pub const BLANK: &str = "{\n  \"StartAt\": \"Start\",\n  \"States\": {\n    \"Start\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}\n";

/// What New starts from (its chooser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Blank,
    /// The seed's order workflow, with its three scenarios.
    Example,
    /// A palette pattern, by label, whose continuations end the flow.
    Pattern(&'static str),
}

impl Start {
    /// Every choice, in the chooser's order.
    pub fn all() -> Vec<Start> {
        let mut v = vec![Start::Blank, Start::Example];
        v.extend(super::palette::items().into_iter().filter(|i| i.group == super::palette::Group::Patterns && !i.label.starts_with("Order workflow")).map(|i| Start::Pattern(i.label)));
        v
    }
    pub fn label(self) -> &'static str {
        match self {
            Start::Blank => "Blank workflow",
            Start::Example => "The example (order workflow)",
            Start::Pattern(label) => label,
        }
    }
    /// The new document.
    pub fn document(self) -> Document {
        match self {
            Start::Blank => Document::new("Untitled", BLANK),
            Start::Example => Document::seed(),
            Start::Pattern(label) => {
                let name: String = label.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(capitalize).collect();
                let mut doc = Document::new(name, "{\n  \"States\": {}\n}\n");
                let placed = super::palette::item(label).map(|item| super::edit::add_free(&doc, &vec![], &item, None));
                if let Some(Ok(change)) = placed {
                    let _ = doc.apply(change);
                }
                doc.simulation = crate::sim::SimSettings::for_definition(doc.text());
                doc
            }
        }
    }
}

fn capitalize(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// When a document last changed, in words: "just now", "5 min ago", "3 h ago", or the date
/// (UTC) for anything older than a day.
pub fn changed_words(changed_ms: f64, now_ms: f64) -> String {
    let seconds = ((now_ms - changed_ms) / 1000.0).max(0.0);
    if seconds < 60.0 {
        "just now".into()
    } else if seconds < 3600.0 {
        format!("{} min ago", (seconds / 60.0) as u64)
    } else if seconds < 86_400.0 {
        format!("{} h ago", (seconds / 3600.0) as u64)
    } else {
        let (y, m, d) = civil_date((changed_ms / 86_400_000.0).floor() as i64);
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// The proleptic Gregorian date of `days` since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::change::Change;

    /// A storage that answers writes as IndexedDB does under the save protocol.
    #[derive(Default)]
    struct Store(Vec<Record>);

    impl Store {
        fn apply(&mut self, step: &Step) -> Vec<WriteOutcome> {
            self.0.retain(|r| !step.deletes.contains(&r.id));
            step.writes.iter().map(|w| self.write(w)).collect()
        }
        fn write(&mut self, w: &Write) -> WriteOutcome {
            let stored = self.0.iter().find(|r| r.id == w.record.id).cloned();
            if stored.as_ref().map(|r| r.revision) != w.expect {
                return WriteOutcome::Conflict(stored);
            }
            self.0.retain(|r| r.id != w.record.id);
            self.0.push(w.record.clone());
            WriteOutcome::Written
        }
        fn get(&self, id: &str) -> Record {
            self.0.iter().find(|r| r.id == id).cloned().expect("stored")
        }
    }

    /// Carries out `step` in `store` and hands the answers back to `ws`.
    fn run(ws: &mut Workspace, store: &mut Store, step: &Step) -> Vec<Remote> {
        let outcomes = store.apply(step);
        step.writes.iter().zip(outcomes).map(|(w, o)| ws.written(w, o)).collect()
    }

    fn edit(ws: &mut Workspace, doc: &mut Document, comment: &str) {
        doc.apply(Change::SetComment { scope: vec![], comment: Some(comment.into()) }).unwrap();
        ws.edited();
    }

    fn autosave(ws: &mut Workspace, store: &mut Store, doc: &Document, now: f64) -> Vec<Remote> {
        let step = Step { writes: ws.save(doc, now).into_iter().collect(), ..Step::default() };
        run(ws, store, &step)
    }

    fn names(ws: &Workspace) -> Vec<String> {
        ws.documents().map(|r| r.name().to_string()).collect()
    }

    fn comment(doc: &Document) -> Option<String> {
        doc.machine().comment.clone()
    }

    #[test]
    fn a_fresh_workspace_holds_the_seed_and_writes_it() {
        let (ws, step) = Workspace::load(vec![], None, None, "t", 1000.0);
        assert_eq!(step.open.as_ref().map(|d| d.text()), Some(crate::seed::ORDER_WORKFLOW));
        assert_eq!(step.writes.len(), 1);
        assert_eq!(step.writes[0].expect, None);
        assert_eq!(names(&ws), ["OrderProcessingWorkflow"]);
        assert_eq!(step.open.unwrap().simulation(), &crate::sim::SimSettings::seeded());
    }

    #[test]
    fn the_old_single_autosave_is_migrated_on_first_load_only() {
        let mut old = Document::seed();
        old.apply(Change::SetName("Mine".into())).unwrap();
        let (ws, step) = Workspace::load(vec![], Some(old.saved()), None, "t", 1.0);
        assert_eq!(names(&ws), ["Mine"]);
        let mut store = Store::default();
        store.apply(&step);
        assert_eq!(step.open.unwrap().name(), "Mine");
        // Once something is stored, the old autosave is not read again.
        let (ws, step) = Workspace::load(store.0.clone(), Some(Document::seed().saved()), None, "u", 2.0);
        assert_eq!(names(&ws), ["Mine"]);
        assert!(step.writes.is_empty());
    }

    #[test]
    fn new_keeps_the_old_document_and_a_reload_opens_the_preferred_one() {
        let mut store = Store::default();
        let (mut ws, step) = Workspace::load(vec![], None, None, "t", 1.0);
        run(&mut ws, &mut store, &step);
        let mut doc = step.open.unwrap();
        edit(&mut ws, &mut doc, "edited");
        let step = ws.create(&doc, Start::Blank.document(), 2.0);
        assert_eq!(step.writes.len(), 2, "the edited document is saved before the new one opens");
        run(&mut ws, &mut store, &step);
        assert_eq!(names(&ws), ["Untitled", "OrderProcessingWorkflow"]);
        let seed_id = ws.documents().nth(1).unwrap().id.clone();
        // A reload: the tab's open document, else the last changed.
        let (ws2, s2) = Workspace::load(store.0.clone(), None, Some(&seed_id), "u", 3.0);
        assert_eq!(ws2.current(), seed_id);
        assert_eq!(comment(s2.open.as_ref().unwrap()).as_deref(), Some("edited"));
        let mut blank = step.open.unwrap();
        edit(&mut ws, &mut blank, "new");
        autosave(&mut ws, &mut store, &blank, 3.0);
        let (_, s3) = Workspace::load(store.0.clone(), None, None, "u", 3.0);
        assert_eq!(s3.open.unwrap().name(), "Untitled");
    }

    #[test]
    fn delete_goes_to_the_trash_restorable_and_emptied_only_when_asked() {
        let mut store = Store::default();
        let (mut ws, step) = Workspace::load(vec![], None, None, "t", 1.0);
        run(&mut ws, &mut store, &step);
        let doc = step.open.unwrap();
        let seed_id = ws.current().to_string();
        let step = ws.create(&doc, Start::Blank.document(), 2.0);
        run(&mut ws, &mut store, &step);
        let doc = step.open.unwrap();
        // Deleting the open document opens the next one.
        let blank_id = ws.current().to_string();
        let step = ws.delete(&doc, &blank_id, 3.0).unwrap();
        assert!(run(&mut ws, &mut store, &step).iter().all(|r| matches!(r, Remote::Listed)));
        assert_eq!(ws.current(), seed_id);
        assert_eq!(step.open.unwrap().name(), "OrderProcessingWorkflow");
        assert_eq!(names(&ws), ["OrderProcessingWorkflow"]);
        assert_eq!(ws.trash().iter().map(|r| r.name()).collect::<Vec<_>>(), ["Untitled"]);
        assert!(store.get(&blank_id).in_trash(), "the trash is stored");
        let step = ws.restore(&blank_id, 4.0).unwrap();
        run(&mut ws, &mut store, &step);
        assert!(ws.trash().is_empty());
        assert!(!store.get(&blank_id).in_trash());
        // Deleting the last document leaves a blank one open.
        let doc = Document::seed();
        let step = ws.delete(&doc, &seed_id, 5.0).unwrap();
        run(&mut ws, &mut store, &step);
        let step = ws.delete(&step.open.unwrap(), &blank_id, 6.0).unwrap();
        run(&mut ws, &mut store, &step);
        assert_eq!(names(&ws), ["Untitled"]);
        assert_eq!(ws.trash().len(), 2);
        let step = ws.empty_trash();
        assert_eq!(step.deletes.len(), 2);
        run(&mut ws, &mut store, &step);
        assert_eq!(store.0.len(), 1);
    }

    #[test]
    fn switch_duplicate_and_rename() {
        let mut store = Store::default();
        let (mut ws, step) = Workspace::load(vec![], None, None, "t", 1.0);
        run(&mut ws, &mut store, &step);
        let mut doc = step.open.unwrap();
        let seed_id = ws.current().to_string();
        edit(&mut ws, &mut doc, "unsaved");
        let step = ws.duplicate(&doc, &seed_id, 2.0).unwrap();
        run(&mut ws, &mut store, &step);
        let copy = step.open.unwrap();
        assert_eq!(copy.name(), "OrderProcessingWorkflow (copy)");
        assert_eq!(comment(&copy).as_deref(), Some("unsaved"), "the copy is of the document as it is now");
        assert_eq!(comment(&Document::restore(store.get(&seed_id).saved)).as_deref(), Some("unsaved"), "and the original was saved");
        let step = ws.rename(&seed_id, "Orders", 3.0).unwrap();
        run(&mut ws, &mut store, &step);
        assert_eq!(store.get(&seed_id).saved.name, "Orders");
        let step = ws.switch(&copy, &seed_id, 4.0).unwrap();
        assert_eq!(step.open.unwrap().name(), "Orders");
        assert!(ws.switch(&copy, "nope", 5.0).is_err());
    }

    #[test]
    fn saves_carry_revisions_and_a_failed_save_is_retried() {
        let mut store = Store::default();
        let (mut ws, step) = Workspace::load(vec![], None, None, "t", 1.0);
        run(&mut ws, &mut store, &step);
        let mut doc = step.open.unwrap();
        assert!(ws.save(&doc, 2.0).is_none(), "nothing to save");
        edit(&mut ws, &mut doc, "a");
        let w = ws.save(&doc, 2.0).unwrap();
        assert_eq!((w.expect, w.record.revision), (Some(1), 2));
        assert!(matches!(ws.written(&w, WriteOutcome::Failed("quota".into())), Remote::Listed));
        assert_eq!(*ws.state(), SyncState::Dirty, "a failed save leaves the document unsaved");
        autosave(&mut ws, &mut store, &doc, 3.0);
        assert_eq!(store.get(ws.current()).revision, 2);
        assert_eq!(*ws.state(), SyncState::Clean);
    }

    /// Two tabs on one store.
    fn two_tabs() -> (Store, (Workspace, Document), (Workspace, Document)) {
        let mut store = Store::default();
        let (mut a, step) = Workspace::load(vec![], None, None, "a", 1.0);
        run(&mut a, &mut store, &step);
        let doc_a = step.open.unwrap();
        let (b, step) = Workspace::load(store.0.clone(), None, Some(a.current()), "b", 2.0);
        (store, (a, doc_a), (b, step.open.unwrap()))
    }

    #[test]
    fn an_untouched_tab_reloads_the_other_tabs_save() {
        let (mut store, (mut a, mut doc_a), (mut b, _)) = two_tabs();
        edit(&mut a, &mut doc_a, "from a");
        autosave(&mut a, &mut store, &doc_a, 3.0);
        let saved = store.get(a.current());
        match b.arrived(saved.clone()) {
            Remote::Reload(doc) => assert_eq!(comment(&doc).as_deref(), Some("from a")),
            other => panic!("{other:?}"),
        }
        // The same news twice changes nothing.
        assert!(matches!(b.arrived(saved), Remote::Listed));
    }

    #[test]
    fn two_edited_tabs_keep_both_versions_until_the_user_chooses() {
        for choice in [Choice::KeepBoth, Choice::KeepMine, Choice::TakeTheirs] {
            let (mut store, (mut a, mut doc_a), (mut b, mut doc_b)) = two_tabs();
            edit(&mut a, &mut doc_a, "from a");
            edit(&mut b, &mut doc_b, "from b");
            autosave(&mut a, &mut store, &doc_a, 3.0);
            // B's save finds A's revision: it is not written, and B holds a conflict.
            let remotes = autosave(&mut b, &mut store, &doc_b, 4.0);
            assert!(matches!(remotes.as_slice(), [Remote::Conflict]), "{choice:?}");
            assert!(matches!(b.state(), SyncState::Conflict { .. }));
            assert_eq!(comment(&Document::restore(store.get(a.current()).saved)).as_deref(), Some("from a"));
            assert!(b.save(&doc_b, 5.0).is_none(), "nothing is written while the conflict waits");
            let step = b.resolve(choice, &doc_b, 6.0);
            run(&mut b, &mut store, &step);
            let stored: Vec<Option<String>> = {
                let mut v: Vec<_> = store.0.iter().map(|r| comment(&Document::restore(r.saved.clone()))).collect();
                v.sort();
                v
            };
            let open = step.open.as_ref().map(comment);
            match choice {
                Choice::KeepBoth => {
                    assert_eq!(stored, [Some("from a".to_string()), Some("from b".to_string())]);
                    assert_eq!(open, Some(Some("from b".to_string())));
                    assert!(b.record(b.current()).unwrap().name().ends_with("(this tab's version)"));
                }
                Choice::KeepMine => {
                    assert_eq!(stored, [Some("from b".to_string())]);
                    assert_eq!(open, None, "the open document stays");
                }
                Choice::TakeTheirs => {
                    assert_eq!(stored, [Some("from a".to_string())]);
                    assert_eq!(open, Some(Some("from a".to_string())));
                }
            }
            assert_eq!(*b.state(), SyncState::Clean, "{choice:?}");
            // A then hears B's save: it is untouched, so it takes it.
            if let Some(r) = store.0.iter().find(|r| r.id == a.current()).cloned() {
                let heard = a.arrived(r.clone());
                assert_eq!(matches!(heard, Remote::Reload(_)), choice == Choice::KeepMine, "{choice:?}");
            }
        }
    }

    #[test]
    fn a_broadcast_while_edited_is_a_conflict_and_leaving_keeps_both() {
        let (mut store, (mut a, mut doc_a), (mut b, mut doc_b)) = two_tabs();
        edit(&mut a, &mut doc_a, "from a");
        autosave(&mut a, &mut store, &doc_a, 3.0);
        edit(&mut b, &mut doc_b, "from b");
        assert!(matches!(b.arrived(store.get(a.current())), Remote::Conflict));
        // Opening another document with the conflict pending keeps this tab's version.
        let step = b.create(&doc_b, Start::Blank.document(), 4.0);
        run(&mut b, &mut store, &step);
        let id = a.current().to_string();
        let step = b.switch(&step.open.unwrap(), &id, 5.0).unwrap();
        run(&mut b, &mut store, &step);
        let comments: Vec<_> = store.0.iter().map(|r| comment(&Document::restore(r.saved.clone()))).collect();
        assert!(comments.contains(&Some("from a".into())) && comments.contains(&Some("from b".into())), "{comments:?}");
    }

    #[test]
    fn a_document_deleted_for_good_by_another_tab_is_written_again_when_open() {
        let (mut store, (mut a, mut doc_a), (mut b, _)) = two_tabs();
        let id = a.current().to_string();
        store.0.clear();
        b.removed(&id);
        a.removed(&id);
        edit(&mut a, &mut doc_a, "still here");
        autosave(&mut a, &mut store, &doc_a, 3.0);
        assert_eq!(store.get(&id).revision, 1);
        assert_eq!(*a.state(), SyncState::Clean);
    }

    #[test]
    fn a_backup_restores_what_is_missing_and_never_overwrites() {
        let mut store = Store::default();
        let (mut ws, step) = Workspace::load(vec![], None, None, "t", 1.0);
        run(&mut ws, &mut store, &step);
        let doc = step.open.unwrap();
        let step = ws.create(&doc, Start::Pattern("Saga").document(), 2.0);
        run(&mut ws, &mut store, &step);
        let doc = step.open.unwrap();
        let files: Vec<(String, Vec<u8>)> = ws.backup(&doc).into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
        assert_eq!(files.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["Saga.statecraft.json", "OrderProcessingWorkflow.statecraft.json"]);
        // Into an empty workspace: both come back.
        let (mut fresh, s) = Workspace::load(vec![], None, None, "u", 3.0);
        let (_, n) = fresh.restore_backup(&files, 4.0).unwrap();
        assert_eq!(n, 2);
        assert_eq!(names(&fresh).len(), 3, "{:?}", s.writes.len());
        // Into the same workspace: nothing (unchanged), then a changed one comes in beside.
        assert_eq!(ws.restore_backup(&files, 5.0).unwrap().1, 0);
        let rename = ws.rename(ws.current().to_string().as_str(), "Saga 2", 6.0).unwrap();
        run(&mut ws, &mut store, &rename);
        let (step, n) = ws.restore_backup(&files, 7.0).unwrap();
        assert_eq!(n, 1);
        assert_eq!(step.writes[0].record.saved.name, "Saga (from backup)");
        assert!(ws.restore_backup(&[("x.txt".into(), b"hi".to_vec())], 8.0).is_err());
        let bad = [("a.statecraft.json".to_string(), b"{".to_vec())];
        assert!(matches!(ws.restore_backup(&bad, 8.0), Err(WorkspaceError::BadBackup(m)) if m.starts_with("a.statecraft.json")));
    }

    #[test]
    fn every_start_is_a_document_without_syntax_errors() {
        let starts = Start::all();
        assert!(starts.len() >= 4);
        for start in starts {
            let doc = start.document();
            assert!(doc.syntax_error().is_none(), "{start:?}");
            assert!(!doc.machine().states.is_empty(), "{start:?}");
            assert!(!doc.name().is_empty());
        }
        assert_eq!(Start::Pattern("Retry with back-off").document().name(), "RetryWithBackOff");
        assert!(Start::Blank.document().diagnostics().is_empty());
    }

    #[test]
    fn a_replacement_makes_the_open_document_the_other_one_and_undoes_in_one_step() {
        use crate::editor::geometry::Point;
        let mut mine = Document::seed();
        mine.apply(Change::SetPosition { id: "/States/ProcessData".into(), at: Some(Point::new(1.0, 2.0)) }).unwrap();
        let mut theirs = Start::Pattern("Saga").document();
        theirs.apply(Change::SetText("{ broken".into())).unwrap();
        theirs.apply(Change::SetPosition { id: "/States/X".into(), at: Some(Point::new(3.0, 4.0)) }).ok();
        let before = mine.saved();
        let undo = mine.apply(replacement(&mine, &theirs.saved())).unwrap();
        assert_eq!(mine.saved(), theirs.saved());
        assert_eq!(mine.machine().states.len(), theirs.machine().states.len(), "the last valid model is drawn");
        mine.apply(undo).unwrap();
        assert_eq!(mine.saved(), before);
    }

    #[test]
    fn last_change_in_words() {
        let now = 1_765_000_000_000.0;
        let cases = [(now - 5_000.0, "just now"), (now - 300_000.0, "5 min ago"), (now - 3.0 * 3_600_000.0, "3 h ago"), (0.0, "1970-01-01"), (951_782_400_000.0, "2000-02-29")];
        for (t, words) in cases {
            assert_eq!(changed_words(t, now), words);
        }
        assert_eq!(file_stem("a/b: c"), "a_b__c");
        assert_eq!(file_stem(".."), "document");
    }
}
