//! Workflow variables at run time: each fiber's [`VariableScope`], assignment with AWS's rules
//! (every value of one `Assign` is computed from the values before it; new values take effect
//! when the state leaves) and limits (256 KiB per Assign, 10 MiB in all).
//!
//! Scoping: a Parallel branch or Map iteration starts with an empty scope of its own whose outer
//! scope is a snapshot of its parent's variables, so it reads outer variables and what it
//! assigns stays inside it.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::path::Variables;

/// The most bytes (of compact JSON) one `Assign` may set.
/// The empty scope's variables, shared (a `Map` is not `const`-constructible).
fn empty_map() -> &'static Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    &EMPTY
}

pub const MAX_ASSIGN_BYTES: usize = 256 * 1024;
/// The most bytes (of compact JSON) all variables in scope may hold.
pub const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;

/// The variables a fiber sees. Cloning is cheap (two `Arc`s).
#[derive(Debug, Clone, Default)]
pub struct VariableScope {
    /// `None` until the scope's first Assign: most fibers never assign, and an empty `Map` in an
    /// `Arc` is an allocation (and a hasher's seeding) for every fiber spawned.
    local: Option<Arc<Map<String, Value>>>,
    outer: Option<Arc<VariableScope>>,
}

impl VariableScope {
    /// The scope of a branch or iteration started from a fiber whose variables are `self`.
    pub fn child(&self) -> VariableScope {
        VariableScope { local: None, outer: Some(Arc::new(self.clone())) }
    }

    /// The variables set in this scope itself (not the outer ones).
    pub fn local(&self) -> &Map<String, Value> {
        self.local.as_deref().unwrap_or_else(|| empty_map())
    }

    /// Every variable visible here, inner values hiding outer ones.
    pub fn visible(&self) -> Map<String, Value> {
        let mut all = match &self.outer {
            Some(outer) => outer.visible(),
            None => Map::new(),
        };
        for (k, v) in self.local().iter() {
            all.insert(k.clone(), v.clone());
        }
        all
    }

    /// Sets `assigned` in this scope (the caller has checked the limits with [`check_limits`]).
    pub fn commit(&mut self, assigned: Map<String, Value>) {
        if assigned.is_empty() {
            return;
        }
        let local = Arc::make_mut(self.local.get_or_insert_with(Arc::default));
        for (k, v) in assigned {
            local.insert(k, v);
        }
    }

    /// Checks AWS's limits for `assigned` on top of this scope; the error is the cause text.
    pub fn check_limits(&self, assigned: &Map<String, Value>) -> Result<(), String> {
        // Checked first: measuring the size of a value nested too deep would itself recurse too
        // deep (a loop that assigns `States.Array($x)` to `x` adds a level per turn).
        let depth = super::quota::MAX_NESTING_DEPTH;
        if let Some(name) = assigned.iter().find(|(_, v)| super::quota::nested_deeper_than(v, depth)).map(|(k, _)| k) {
            return Err(format!("The variable '{name}' would nest more than {depth} levels deep, the most Statecraft simulates."));
        }
        let size_of = |v: &Value| super::quota::json_size(v);
        let assign_bytes: usize = assigned.iter().map(|(k, v)| k.len() + size_of(v)).sum();
        if assign_bytes > MAX_ASSIGN_BYTES {
            return Err(format!(
                "The variables assigned by this state take {assign_bytes} bytes, more than the {MAX_ASSIGN_BYTES} bytes one Assign may set."
            ));
        }
        // Every visible variable once (inner values hiding outer ones), the assigned values
        // replacing theirs: measured in place, nothing cloned.
        let mut total = assign_bytes;
        let mut seen: Vec<&str> = Vec::new();
        let mut scope = Some(self);
        while let Some(current) = scope {
            for (k, v) in current.local().iter() {
                if assigned.contains_key(k) || seen.contains(&k.as_str()) {
                    continue;
                }
                total += k.len() + size_of(v);
                if current.outer.is_some() {
                    seen.push(k);
                }
            }
            scope = current.outer.as_deref();
        }
        if total > MAX_TOTAL_BYTES {
            return Err(format!("The variables in scope would take {total} bytes, more than the {MAX_TOTAL_BYTES} bytes allowed in all."));
        }
        Ok(())
    }
}

impl Variables for VariableScope {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.local.as_deref().and_then(|local| crate::asl::path::member(local, name)).or_else(|| self.outer.as_ref()?.variable(name))
    }
}
