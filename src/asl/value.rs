//! The interpreter's payloads: a state's input, a task's result, a state's output, what the
//! history and the caller are handed. Owns [`Payload`] (one shared, immutable JSON value, cheap
//! to clone) and [`Shared`] (a JSON value whose strings, arrays and objects are reference
//! counted, so that a value built from parts of another shares them instead of copying).
//!
//! Why two forms: a `serde_json::Value` object is an `IndexMap` (a hash index, an entry vector
//! and one `String` per key), so putting a value inside a new one copies all of it, and building
//! a small object costs an allocation per key. Every part of the language (paths, templates,
//! intrinsics, JSONata) works on `serde_json::Value`; a handler that builds its answers from its
//! input (a function returning `{..., "data": input}`) can work on [`Shared`] instead, and the
//! interpreter's steps that only move a payload, read a member of it (a Choice's `Variable`),
//! write a result into it (ResultPath) or measure it (the payload quotas) take it as it is. Any
//! other reader sees the `serde_json::Value` ([`Payload`] dereferences to it), built from the
//! shared form once, the first time it is asked for, with the members in the same order.
//!
//! Both are counted with `Rc`, not `Arc`: an execution runs on one thread from start to end
//! (the page's worker, the CLI, a batch, a test), and a count that is not atomic is one plain
//! increment where an atomic one is a locked instruction on every clone and drop of a key. So
//! neither is `Send`: what holds them (a compiled `Program`'s Pass results, an execution, its
//! history, a run's model) stays on the thread that made it.

use std::ops::Deref;
use std::cell::OnceCell;
use std::rc::Rc;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Number, Value};

/// A JSON value whose strings, arrays and objects are shared: a clone is a reference count,
/// whatever its size. Objects keep their members in order; their keys are shared too, so an
/// object built with the same keys many times allocates none of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Shared {
    Null,
    Bool(bool),
    Number(Number),
    String(Rc<str>),
    Array(Rc<Vec<Shared>>),
    Object(Rc<Vec<(Rc<str>, Shared)>>),
}

impl Shared {
    /// An object of these members, in this order (the keys must be distinct).
    pub fn object(members: Vec<(Rc<str>, Shared)>) -> Shared {
        Shared::Object(Rc::new(members))
    }

    /// The member `key` of an object (a scan: objects built this way are small).
    pub fn get(&self, key: &str) -> Option<&Shared> {
        match self {
            Shared::Object(members) => members.iter().find(|(k, _)| k.len() == key.len() && **k == *key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Shared::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as a float, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Shared::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The same value as a `serde_json::Value` (a copy), members in the same order.
    pub fn to_value(&self) -> Value {
        match self {
            Shared::Null => Value::Null,
            Shared::Bool(b) => Value::Bool(*b),
            Shared::Number(n) => Value::Number(n.clone()),
            Shared::String(s) => Value::String(String::from(&**s)),
            Shared::Array(items) => Value::Array(items.iter().map(Shared::to_value).collect()),
            Shared::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for (k, v) in members.iter() {
                    map.insert(String::from(&**k), v.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// Whether the value nests more than `limit` levels of arrays and objects, as
    /// [`crate::asl::interp::quota::nested_deeper_than`] measures a `serde_json::Value`.
    pub fn nested_deeper_than(&self, limit: usize) -> bool {
        fn deeper(item: &Shared, limit: usize) -> bool {
            matches!(item, Shared::Array(_) | Shared::Object(_)) && item.nested_deeper_than(limit)
        }
        match self {
            Shared::Array(items) => limit == 0 || items.iter().any(|item| deeper(item, limit - 1)),
            Shared::Object(members) => limit == 0 || members.iter().any(|(_, item)| deeper(item, limit - 1)),
            _ => false,
        }
    }

    /// Puts `value` under `key` in this object: the member's place if it has one, else after
    /// the others (as `serde_json::Map::insert` does). The object is copied first only if it is
    /// shared. Gives `value` back when this is not an object.
    pub fn insert(&mut self, key: &str, value: Shared) -> Result<(), Shared> {
        let Shared::Object(members) = self else { return Err(value) };
        let members = Rc::make_mut(members);
        match members.iter_mut().find(|(k, _)| **k == *key) {
            Some((_, slot)) => *slot = value,
            None => members.push((Rc::from(key), value)),
        }
        Ok(())
    }
}

impl From<&Value> for Shared {
    fn from(value: &Value) -> Shared {
        match value {
            Value::Null => Shared::Null,
            Value::Bool(b) => Shared::Bool(*b),
            Value::Number(n) => Shared::Number(n.clone()),
            Value::String(s) => Shared::String(Rc::from(s.as_str())),
            Value::Array(items) => Shared::Array(Rc::new(items.iter().map(Shared::from).collect())),
            Value::Object(map) => Shared::Object(Rc::new(map.iter().map(|(k, v)| (Rc::from(k.as_str()), Shared::from(v))).collect())),
        }
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Shared {
        Shared::String(Rc::from(s))
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Shared {
        Shared::String(Rc::from(s))
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Shared::Null => serializer.serialize_unit(),
            Shared::Bool(b) => serializer.serialize_bool(*b),
            Shared::Number(n) => n.serialize(serializer),
            Shared::String(s) => serializer.serialize_str(s),
            Shared::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Shared::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members.iter() {
                    map.serialize_entry(&**k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Shared {
    /// Reads JSON straight into the shared form, as a caller that has the input as text does
    /// (no `serde_json::Value` in between). A key written twice keeps its first place and its
    /// last value, as `serde_json::Map` (in insertion order) keeps it.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Shared, D::Error> {
        deserializer.deserialize_any(SharedVisitor)
    }
}

struct SharedVisitor;

impl<'de> serde::de::Visitor<'de> for SharedVisitor {
    type Value = Shared;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Shared, E> {
        Ok(Shared::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Shared, E> {
        Ok(Shared::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Shared, E> {
        Ok(Shared::Number(n.into()))
    }

    fn visit_f64<E>(self, x: f64) -> Result<Shared, E> {
        // As `serde_json::Value` reads a float: a non-finite one is null.
        Ok(Number::from_f64(x).map_or(Shared::Null, Shared::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Shared, E> {
        Ok(Shared::from(s))
    }

    fn visit_string<E>(self, s: String) -> Result<Shared, E> {
        Ok(Shared::from(s))
    }

    fn visit_unit<E>(self) -> Result<Shared, E> {
        Ok(Shared::Null)
    }

    fn visit_none<E>(self) -> Result<Shared, E> {
        Ok(Shared::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Shared, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shared, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Shared>()? {
            items.push(item);
        }
        Ok(Shared::Array(Rc::new(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Shared, A::Error> {
        let mut members: Vec<(Rc<str>, Shared)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(Key(key)) = map.next_key::<Key>()? {
            let value = map.next_value::<Shared>()?;
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some((_, slot)) => *slot = value,
                None => members.push((key, value)),
            }
        }
        Ok(Shared::Object(Rc::new(members)))
    }
}

/// An object's key, read straight into its shared string (no `String` in between).
struct Key(Rc<str>);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object key")
            }

            fn visit_str<E>(self, s: &str) -> Result<Key, E> {
                Ok(Key(Rc::from(s)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl Shared {
    /// Reads JSON text into the shared form (see the `Deserialize` impl).
    pub fn from_json(text: &str) -> serde_json::Result<Shared> {
        serde_json::from_str(text)
    }
}

/// One immutable JSON payload, shared by whoever holds it (a clone is a reference count). It
/// holds a `serde_json::Value`, or a [`Shared`] value and the `serde_json::Value` built from
/// it the first time a reader dereferences it.
#[derive(Clone)]
pub struct Payload(Rc<Held>);

enum Held {
    Json(Value),
    Shared { shared: Shared, json: OnceCell<Value> },
}

impl Payload {
    /// A payload holding `value`.
    pub fn new(value: Value) -> Payload {
        Payload(Rc::new(Held::Json(value)))
    }

    /// A payload holding `value` in its shared form.
    pub fn from_shared(value: Shared) -> Payload {
        Payload(Rc::new(Held::Shared { shared: value, json: OnceCell::new() }))
    }

    /// The shared form, when the payload was made in it.
    pub fn as_shared(&self) -> Option<&Shared> {
        match &*self.0 {
            Held::Shared { shared, .. } => Some(shared),
            Held::Json(_) => None,
        }
    }

    /// The payload in its shared form (built from the `serde_json::Value` when it was made as
    /// one: a copy).
    pub fn to_shared(&self) -> Shared {
        match &*self.0 {
            Held::Shared { shared, .. } => shared.clone(),
            Held::Json(value) => Shared::from(value),
        }
    }

    /// Whether both are the same payload (not merely equal).
    pub fn ptr_eq(a: &Payload, b: &Payload) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// Whether nobody else holds the payload (so that it may be changed in place).
    pub fn is_unique(this: &mut Payload) -> bool {
        Rc::get_mut(&mut this.0).is_some()
    }

    /// The value, to change in place, when nobody else holds the payload (a payload in the
    /// shared form turns into its `serde_json::Value` first: the shared form would no longer
    /// agree).
    pub fn get_mut(this: &mut Payload) -> Option<&mut Value> {
        let held = Rc::get_mut(&mut this.0)?;
        if let Held::Shared { shared, json } = held {
            let value = json.take().unwrap_or_else(|| shared.to_value());
            *held = Held::Json(value);
        }
        match held {
            Held::Json(value) => Some(value),
            Held::Shared { .. } => None,
        }
    }

    /// The shared form, to change in place, when nobody else holds the payload and it was made
    /// in that form (the `serde_json::Value` built from it, if any, is dropped).
    pub fn get_shared_mut(this: &mut Payload) -> Option<&mut Shared> {
        match Rc::get_mut(&mut this.0)? {
            Held::Shared { shared, json } => {
                json.take();
                Some(shared)
            }
            Held::Json(_) => None,
        }
    }

    /// The shared form, taken out, when the payload was made in it; else the payload back.
    pub fn into_shared(this: Payload) -> Result<Shared, Payload> {
        if this.as_shared().is_none() {
            return Err(this);
        }
        Ok(match Rc::try_unwrap(this.0) {
            Ok(Held::Shared { shared, .. }) => shared,
            Ok(Held::Json(_)) => Shared::Null,
            Err(held) => Payload(held).to_shared(),
        })
    }

    /// The value, taken out when nobody else holds the payload, else copied.
    pub fn into_value(this: Payload) -> Value {
        match Rc::try_unwrap(this.0) {
            Ok(Held::Json(value)) => value,
            Ok(Held::Shared { shared, mut json }) => json.take().unwrap_or_else(|| shared.to_value()),
            Err(held) => Value::clone(&Payload(held)),
        }
    }
}

impl Deref for Payload {
    type Target = Value;

    #[inline]
    fn deref(&self) -> &Value {
        match &*self.0 {
            Held::Json(value) => value,
            Held::Shared { shared, json } => json.get_or_init(|| shared.to_value()),
        }
    }
}

impl From<Shared> for Payload {
    fn from(value: Shared) -> Payload {
        Payload::from_shared(value)
    }
}

impl AsRef<Value> for Payload {
    fn as_ref(&self) -> &Value {
        self
    }
}

impl From<Value> for Payload {
    fn from(value: Value) -> Payload {
        Payload::new(value)
    }
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.0 {
            Held::Json(value) => value.fmt(f),
            Held::Shared { shared, .. } => shared.fmt(f),
        }
    }
}

impl std::fmt::Display for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Payload) -> bool {
        Payload::ptr_eq(self, other) || **self == **other
    }
}

impl<'de> serde::Deserialize<'de> for Payload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Payload, D::Error> {
        Value::deserialize(deserializer).map(Payload::new)
    }
}

impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &*self.0 {
            Held::Json(value) => value.serialize(serializer),
            Held::Shared { shared, .. } => shared.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_shared_value_comes_back_the_same_with_its_member_order() {
        let value = json!({"z": 1, "a": [true, null, 2.5, "s", {"k": -3}], "m": {"y": "x", "b": {}}, "e": []});
        let shared = Shared::from(&value);
        assert_eq!(shared.to_value().to_string(), value.to_string());
        assert_eq!(serde_json::to_string(&shared).unwrap(), value.to_string());
        assert_eq!(shared.get("a").and_then(|a| match a {
            Shared::Array(items) => items.get(3).and_then(Shared::as_str),
            _ => None,
        }), Some("s"));
        assert_eq!(shared.get("missing"), None);
        assert!(!shared.nested_deeper_than(3) && shared.nested_deeper_than(2));
        assert_eq!(shared.nested_deeper_than(2), crate::asl::interp::quota::nested_deeper_than(&value, 2));
    }

    #[test]
    fn json_text_reads_into_the_shared_form_as_serde_json_reads_it() {
        let text = r#"{"z": 1, "a": [true, null, 2.5, -3, 18446744073709551615, "s\u00e9"], "d": 1, "m": {"y": {}, "b": []}, "d": 2}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        let shared = Shared::from_json(text).unwrap();
        assert_eq!(shared, Shared::from(&value));
        // A key given twice keeps its first place and its last value.
        assert_eq!(shared.to_value().to_string(), value.to_string());
        assert_eq!(shared.get("d"), Some(&Shared::Number(2.into())));
        let error = Shared::from_json("{\"a\": [1,\n 2,]}").unwrap_err();
        assert_eq!((error.line(), error.is_syntax()), (2, true));
        let payload: Payload = Shared::from_json("[1]").unwrap().into();
        assert!(payload.as_shared().is_some());
    }

    #[test]
    fn insert_replaces_in_place_or_appends_and_copies_only_what_is_shared() {
        let mut object = Shared::from(&json!({"a": 1, "b": 2}));
        let kept = object.clone();
        object.insert("a", Shared::from("x")).unwrap();
        object.insert("c", Shared::Null).unwrap();
        assert_eq!(object.to_value().to_string(), r#"{"a":"x","b":2,"c":null}"#);
        // The clone taken before is unchanged (copy on write).
        assert_eq!(kept.to_value(), json!({"a": 1, "b": 2}));
        assert_eq!(Shared::Null.insert("a", Shared::Null), Err(Shared::Null));
    }

    #[test]
    fn a_payload_reads_the_same_in_either_form() {
        let value = json!({"b": [1, {"c": "d"}], "a": null});
        let plain = Payload::new(value.clone());
        let shared = Payload::from_shared(Shared::from(&value));
        assert_eq!(*shared, value);
        assert_eq!(plain, shared);
        assert_eq!(serde_json::to_string(&shared).unwrap(), value.to_string());
        assert!(shared.as_shared().is_some() && plain.as_shared().is_none());
        assert_eq!(Payload::into_value(shared.clone()), value);

        // Changed in place only when unique; the shared form is dropped once the value changes.
        let mut unique = Payload::from_shared(Shared::from(&value));
        Payload::get_mut(&mut unique).unwrap()["a"] = json!(1);
        assert!(unique.as_shared().is_none());
        assert_eq!(unique["a"], json!(1));
        let mut held = plain.clone();
        assert!(Payload::get_mut(&mut held).is_none());
        let mut again = Payload::from_shared(Shared::from(&value));
        let _ = &*again;
        Payload::get_shared_mut(&mut again).unwrap().insert("a", Shared::from("z")).unwrap();
        assert_eq!(again["a"], json!("z"));
    }
}
