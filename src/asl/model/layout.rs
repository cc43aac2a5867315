//! [`Layout`]: what an object looked like beyond its typed fields, so writing it back is lossless.

use crate::asl::json::{Member, Node, Value};

/// The order of an object's members, and the members the model does not type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub slots: Vec<Slot>,
}

/// One member position in an object as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// A field the model holds, by its ASL name.
    Field(&'static str),
    /// A member kept as read: unknown, of the wrong type, or an earlier duplicate.
    Extra(Member),
}

impl Layout {
    /// Builds the object: typed `fields` (in canonical order) at their remembered positions and
    /// the extra members where they were. A field the layout has not seen (a new one) goes right
    /// after the nearest field before it in canonical order, so an edit touches one place.
    pub fn write(&self, fields: Vec<(&'static str, Node)>) -> Node {
        let mut used = vec![false; fields.len()];
        // Each member with the canonical index of its field (None for extras).
        let mut placed: Vec<(Member, Option<usize>)> = Vec::with_capacity(self.slots.len().max(fields.len()));
        for slot in &self.slots {
            match slot {
                Slot::Field(name) => {
                    if let Some(i) = fields.iter().position(|(n, _)| n == name)
                        && !used[i]
                    {
                        used[i] = true;
                        placed.push((member(name, fields[i].1.clone()), Some(i)));
                    }
                }
                Slot::Extra(m) => placed.push((m.clone(), None)),
            }
        }
        for (i, (name, node)) in fields.into_iter().enumerate() {
            if used[i] {
                continue;
            }
            let at = placed
                .iter()
                .rposition(|(_, index)| index.is_some_and(|j| j < i))
                .map(|p| p + 1)
                .unwrap_or(if placed.iter().any(|(_, index)| index.is_some()) { 0 } else { placed.len() });
            placed.insert(at, (member(name, node), Some(i)));
        }
        Node::new(Value::Object(placed.into_iter().map(|(m, _)| m).collect()))
    }

    /// The extra member named `key`, if the object had one the model does not type.
    pub fn extra(&self, key: &str) -> Option<&Node> {
        self.slots.iter().find_map(|s| match s {
            Slot::Extra(m) if m.key == key => Some(&m.value),
            _ => None,
        })
    }
}

fn member(key: &str, value: Node) -> Member {
    Member { key: key.to_string(), key_span: Default::default(), value }
}
