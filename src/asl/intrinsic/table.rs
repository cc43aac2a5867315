//! The table of intrinsic functions: (AWS name, arity, implementation). The parser looks names
//! up here, so unknown functions and wrong argument counts are caught before anything runs.

use rand::RngCore;
use serde_json::Value;

use super::{Call, Failure, arrays, encoding, generic, json, math, string, uuid};

/// Each intrinsic function AWS defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Function {
    /// `States.Format(template, values…)`
    Format,
    /// `States.StringToJson(string)`
    StringToJson,
    /// `States.JsonToString(value)`
    JsonToString,
    /// `States.Array(values…)`
    Array,
    /// `States.ArrayPartition(array, size)`
    ArrayPartition,
    /// `States.ArrayContains(array, value)`
    ArrayContains,
    /// `States.ArrayRange(start, end, step)`
    ArrayRange,
    /// `States.ArrayGetItem(array, index)`
    ArrayGetItem,
    /// `States.ArrayLength(array)`
    ArrayLength,
    /// `States.ArrayUnique(array)`
    ArrayUnique,
    /// `States.Base64Encode(string)`
    Base64Encode,
    /// `States.Base64Decode(string)`
    Base64Decode,
    /// `States.Hash(data, algorithm)`
    Hash,
    /// `States.JsonMerge(object, object, false)`
    JsonMerge,
    /// `States.MathRandom(start, end[, seed])`
    MathRandom,
    /// `States.MathAdd(a, b)`
    MathAdd,
    /// `States.StringSplit(string, delimiters)`
    StringSplit,
    /// `States.UUID()`
    Uuid,
}

/// How many arguments a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// Exactly this many.
    Exactly(usize),
    /// Between the two, inclusive.
    Between(usize, usize),
    /// This many or more.
    AtLeast(usize),
}

impl Arity {
    /// Whether `n` arguments are allowed.
    pub fn accepts(self, n: usize) -> bool {
        match self {
            Arity::Exactly(k) => n == k,
            Arity::Between(lo, hi) => (lo..=hi).contains(&n),
            Arity::AtLeast(k) => n >= k,
        }
    }

    /// "2 arguments", "2 or 3 arguments", "at least 1 argument".
    pub fn describe(self) -> String {
        let noun = |k: usize| if k == 1 { "argument" } else { "arguments" };
        match self {
            Arity::Exactly(k) => format!("{k} {}", noun(k)),
            Arity::Between(lo, hi) => format!("{lo} to {hi} arguments"),
            Arity::AtLeast(k) => format!("at least {k} {}", noun(k)),
        }
    }
}

/// A function's implementation: the call (for literal details such as Format's escapes), the
/// evaluated arguments, and the caller's random-number generator.
pub type Run = fn(&Call, Vec<Value>, &mut dyn RngCore) -> Result<Value, Failure>;

/// One row of the table.
#[derive(Debug)]
pub struct Builtin {
    /// The AWS name, e.g. `States.ArrayRange`.
    pub name: &'static str,
    /// Which function.
    pub function: Function,
    /// How many arguments it takes.
    pub arity: Arity,
}

/// Every intrinsic function, in the order AWS's documentation lists them.
pub static TABLE: [Builtin; 18] = [
    Builtin {
        name: "States.Array",
        function: Function::Array,
        arity: Arity::AtLeast(0),
    },
    Builtin {
        name: "States.ArrayPartition",
        function: Function::ArrayPartition,
        arity: Arity::Exactly(2),
    },
    Builtin {
        name: "States.ArrayContains",
        function: Function::ArrayContains,
        arity: Arity::Exactly(2),
    },
    Builtin {
        name: "States.ArrayRange",
        function: Function::ArrayRange,
        arity: Arity::Exactly(3),
    },
    Builtin {
        name: "States.ArrayGetItem",
        function: Function::ArrayGetItem,
        arity: Arity::Exactly(2),
    },
    Builtin {
        name: "States.ArrayLength",
        function: Function::ArrayLength,
        arity: Arity::Exactly(1),
    },
    Builtin {
        name: "States.ArrayUnique",
        function: Function::ArrayUnique,
        arity: Arity::Exactly(1),
    },
    Builtin {
        name: "States.Base64Encode",
        function: Function::Base64Encode,
        arity: Arity::Exactly(1),
    },
    Builtin {
        name: "States.Base64Decode",
        function: Function::Base64Decode,
        arity: Arity::Exactly(1),
    },
    Builtin {
        name: "States.Hash",
        function: Function::Hash,
        arity: Arity::Exactly(2),
    },
    Builtin {
        name: "States.JsonMerge",
        function: Function::JsonMerge,
        arity: Arity::Exactly(3),
    },
    Builtin {
        name: "States.StringToJson",
        function: Function::StringToJson,
        arity: Arity::Exactly(1),
    },
    Builtin {
        name: "States.JsonToString",
        function: Function::JsonToString,
        arity: Arity::Exactly(1),
    },
    Builtin {
        name: "States.MathRandom",
        function: Function::MathRandom,
        arity: Arity::Between(2, 3),
    },
    Builtin {
        name: "States.MathAdd",
        function: Function::MathAdd,
        arity: Arity::Exactly(2),
    },
    Builtin {
        name: "States.StringSplit",
        function: Function::StringSplit,
        arity: Arity::Exactly(2),
    },
    Builtin {
        name: "States.UUID",
        function: Function::Uuid,
        arity: Arity::Exactly(0),
    },
    Builtin {
        name: "States.Format",
        function: Function::Format,
        arity: Arity::AtLeast(1),
    },
];

/// The row for an AWS name, if there is one.
pub fn lookup(name: &str) -> Option<&'static Builtin> {
    TABLE.iter().find(|b| b.name == name)
}

/// What `function` does. Apart from the table on purpose: the table is what parsing and
/// checking read (the page's live diagnostics among them), and a function pointer in it would
/// link every implementation (the hashes, base64, UUIDs) wherever a call is only parsed.
pub fn run_of(function: Function) -> Run {
    match function {
        Function::Array => arrays::array,
        Function::ArrayPartition => arrays::partition,
        Function::ArrayContains => arrays::contains,
        Function::ArrayRange => arrays::range,
        Function::ArrayGetItem => arrays::get_item,
        Function::ArrayLength => arrays::length,
        Function::ArrayUnique => arrays::unique,
        Function::Base64Encode => encoding::base64_encode,
        Function::Base64Decode => encoding::base64_decode,
        Function::Hash => encoding::hash,
        Function::JsonMerge => json::merge,
        Function::StringToJson => json::string_to_json,
        Function::JsonToString => json::json_to_string,
        Function::MathRandom => math::random,
        Function::MathAdd => math::add,
        Function::StringSplit => string::split,
        Function::Uuid => uuid::uuid,
        Function::Format => generic::format,
    }
}

/// The row for a function.
pub fn builtin(function: Function) -> &'static Builtin {
    let index = match function {
        Function::Array => 0,
        Function::ArrayPartition => 1,
        Function::ArrayContains => 2,
        Function::ArrayRange => 3,
        Function::ArrayGetItem => 4,
        Function::ArrayLength => 5,
        Function::ArrayUnique => 6,
        Function::Base64Encode => 7,
        Function::Base64Decode => 8,
        Function::Hash => 9,
        Function::JsonMerge => 10,
        Function::StringToJson => 11,
        Function::JsonToString => 12,
        Function::MathRandom => 13,
        Function::MathAdd => 14,
        Function::StringSplit => 15,
        Function::Uuid => 16,
        Function::Format => 17,
    };
    &TABLE[index]
}

/// An argument that must be a string.
pub(crate) fn string_arg<'a>(value: &'a Value, what: &str) -> Result<&'a str, Failure> {
    value
        .as_str()
        .ok_or_else(|| format!("the {what} must be a string, got {}", show(value)))
}

/// An argument that must be an array.
pub(crate) fn array_arg<'a>(value: &'a Value, what: &str) -> Result<&'a Vec<Value>, Failure> {
    value
        .as_array()
        .ok_or_else(|| format!("the {what} must be an array, got {}", show(value)))
}

/// An argument that must be an integer (an integral float such as `2.0` counts).
pub(crate) fn integer_arg(value: &Value, what: &str) -> Result<i64, Failure> {
    let not_integer = || format!("the {what} must be an integer, got {}", show(value));
    let Value::Number(n) = value else {
        return Err(not_integer());
    };
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ => Err(not_integer()),
    }
}

/// A value in compact JSON, for messages.
pub(crate) fn show(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
