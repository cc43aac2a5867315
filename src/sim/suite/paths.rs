//! Simple paths over a JSON value, for putting a synthesised value where a Choice rule reads it:
//! a path's plain member and index steps (read by the language's own parser), and setting or
//! removing the value at them.

use serde_json::{Map, Value};

use crate::asl::path::{JsonPath, Root, Segment, Selector};

/// One step of a simple path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Member(String),
    Index(usize),
}

/// The steps of `$.a.b[0]`; `None` for `$$`, a variable, a wildcard or filter, or what is not a path.
pub fn steps(path: &str) -> Option<Vec<Step>> {
    let path = JsonPath::parse(path.trim()).ok()?;
    if *path.root() != Root::Input {
        return None;
    }
    path.segments()
        .iter()
        .map(|segment| match segment {
            Segment::Child(Selector::Name(name)) => Some(Step::Member(name.clone())),
            Segment::Child(Selector::Index(i)) => usize::try_from(*i).ok().map(Step::Index),
            _ => None,
        })
        .collect()
}

/// The steps of a reference a Choice rule may read: `$.a.b` as [`steps`] gives them, `$name.a` (a
/// variable) as `[VARIABLES, name, a]` ([`super::origin::VARIABLES`]): the generator puts such
/// a value where the variable was assigned, never into the state's input.
pub fn reference(path: &str) -> Option<Vec<Step>> {
    let parsed = JsonPath::parse(path.trim()).ok()?;
    let Root::Variable(name) = parsed.root() else { return steps(path) };
    let mut out = vec![Step::Member(super::origin::VARIABLES.into()), Step::Member(name.clone())];
    for segment in parsed.segments() {
        out.push(match segment {
            Segment::Child(Selector::Name(name)) => Step::Member(name.clone()),
            Segment::Child(Selector::Index(i)) => Step::Index(usize::try_from(*i).ok()?),
            _ => return None,
        });
    }
    Some(out)
}

/// Whether a path reads a variable ([`reference`]).
pub fn is_variable(steps: &[Step]) -> bool {
    matches!(steps.first(), Some(Step::Member(m)) if m == super::origin::VARIABLES)
}

/// `$.a.b[0]` again, for names and labels.
pub fn display(steps: &[Step]) -> String {
    let mut out = String::from("$");
    let steps = match steps {
        [Step::Member(marker), Step::Member(name), rest @ ..] if marker == super::origin::VARIABLES => {
            out.push_str(name);
            rest
        }
        _ => steps,
    };
    for step in steps {
        match step {
            Step::Member(m) if m.chars().all(|c| c.is_alphanumeric() || c == '_') && !m.is_empty() => {
                out.push('.');
                out.push_str(m);
            }
            Step::Member(m) => out.push_str(&format!("['{}']", m.replace('\'', "\\'"))),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The value at `steps`, if there is one.
pub fn get<'v>(value: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    steps.iter().try_fold(value, |v, step| match step {
        Step::Member(m) => v.get(m),
        Step::Index(i) => v.get(*i),
    })
}

/// Puts `new` at `steps` (creating objects and arrays on the way, replacing scalars in the way);
/// `None` removes the member or leaves the index null. Arrays grow to at most ten items.
pub fn set(value: &mut Value, steps: &[Step], new: Option<Value>) {
    let Some((first, rest)) = steps.split_first() else {
        if let Some(new) = new {
            *value = new;
        }
        return;
    };
    match first {
        Step::Member(name) => {
            if !value.is_object() {
                if new.is_none() {
                    return;
                }
                *value = Value::Object(Map::new());
            }
            let map = value.as_object_mut().expect("an object");
            if rest.is_empty() {
                match new {
                    Some(v) => {
                        map.insert(name.clone(), v);
                    }
                    None => {
                        map.remove(name);
                    }
                }
            } else {
                if new.is_none() && !map.contains_key(name) {
                    return;
                }
                set(map.entry(name.clone()).or_insert(Value::Null), rest, new);
            }
        }
        Step::Index(i) => {
            if !value.is_array() {
                if new.is_none() {
                    return;
                }
                *value = Value::Array(Vec::new());
            }
            let items = value.as_array_mut().expect("an array");
            let i = (*i).min(9);
            while items.len() <= i {
                if new.is_none() {
                    return;
                }
                items.push(Value::Null);
            }
            if rest.is_empty() {
                items[i] = new.unwrap_or(Value::Null);
            } else {
                set(&mut items[i], rest, new);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_set_and_removed_where_a_path_points() {
        let mut v = json!({"a": 1});
        set(&mut v, &steps("$.b.c[1]").unwrap(), Some(json!(true)));
        assert_eq!(v, json!({"a": 1, "b": {"c": [null, true]}}));
        set(&mut v, &steps("$.a").unwrap(), None);
        assert_eq!(v, json!({"b": {"c": [null, true]}}));
        set(&mut v, &steps("$.x.y").unwrap(), None);
        assert_eq!(v, json!({"b": {"c": [null, true]}}), "removing what is not there changes nothing");
        assert_eq!(get(&v, &steps("$.b.c[1]").unwrap()), Some(&json!(true)));
        assert_eq!(steps("$$.Execution.Id"), None);
        assert_eq!(steps("$.items[*].id"), None);
        assert_eq!(display(&steps("$['a b'].c[0]").unwrap()), "$['a b'].c[0]");
    }
}
