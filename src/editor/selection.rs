//! Selecting several states: the selection is one primary state (the one the inspector and the
//! code follow) and the states selected along with it by Shift+click. Delete, copy and
//! duplicate act on all of them.

use super::scope::StateRef;

/// Shift+click on `r`: takes it out of the selection when it is in it (the last one added
/// becomes primary when `r` was), or adds it as the new primary.
pub fn toggle(primary: Option<StateRef>, mut also: Vec<StateRef>, r: StateRef) -> (Option<StateRef>, Vec<StateRef>) {
    if primary.as_ref() == Some(&r) {
        let next = also.pop();
        return (next, also);
    }
    if let Some(at) = also.iter().position(|s| *s == r) {
        also.remove(at);
        return (primary, also);
    }
    if let Some(p) = primary {
        also.push(p);
    }
    (Some(r), also)
}

/// Everything selected, the primary first.
pub fn all(primary: Option<&StateRef>, also: &[StateRef]) -> Vec<StateRef> {
    primary.into_iter().chain(also).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(name: &str) -> StateRef {
        StateRef::top(name)
    }

    #[test]
    fn shift_clicks_add_and_remove_states() {
        let (p, a) = toggle(None, vec![], s("A"));
        assert_eq!((p.clone(), a.clone()), (Some(s("A")), vec![]));
        let (p, a) = toggle(p, a, s("B"));
        assert_eq!((p.clone(), a.clone()), (Some(s("B")), vec![s("A")]));
        let (p, a) = toggle(p, a, s("C"));
        assert_eq!(all(p.as_ref(), &a), [s("C"), s("A"), s("B")]);
        // Out again: a state along with the primary, then the primary itself.
        let (p, a) = toggle(p, a, s("A"));
        assert_eq!((p.clone(), a.clone()), (Some(s("C")), vec![s("B")]));
        let (p, a) = toggle(p, a, s("C"));
        assert_eq!((p.clone(), a.clone()), (Some(s("B")), vec![]));
        let (p, a) = toggle(p, a, s("B"));
        assert_eq!((p, a), (None, vec![]));
    }
}
