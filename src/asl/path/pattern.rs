//! `/regex/flags` in a filter (`[?(@.name =~ /^a.*/i)]`), as Jayway's `PatternNode` reads it: the
//! text between the slashes is a Java regular expression, the flags are Java's (`PatternFlag`),
//! and a value matches when the *whole* of its text matches (`Matcher.matches()`).
//!
//! The expression runs on an ECMAScript engine: the common syntax is the same; Java-only
//! constructs (possessive quantifiers, `\A`, `\Z`, `\p{Alpha}`) are syntax errors here. Which
//! engine is the binary's choice ([`use_engine`]): natively, in the engine worker and in the
//! benchmarks it is [`backtracking`] (`jlens-regress`, the one the JSONata engine already brings),
//! whose matching is interruptible, so a pattern that backtracks catastrophically stops (as no
//! match) instead of hanging. The page only checks a pattern when the validator parses a path
//! (it never runs a state machine), and its engine is the browser's own `RegExp`
//! (`ui::regexp`): that keeps the regex engine and its Unicode tables (about 60 KB gzipped) out of
//! the page's first download. A pattern compiles once, when its path is parsed.

use std::fmt;
use std::sync::{Arc, OnceLock};

use regress::Regex;

/// How many batches of backtracking steps (1,024 each) one match may take before it is given up
/// as no match: a quarter of a million steps, far more than a pattern over a field value needs.
const MATCH_BUDGET: u32 = 256;

/// A pattern compiled by an engine.
pub trait Matcher: Send + Sync {
    /// Whether the whole of `text` matches (the source it was compiled from is anchored).
    fn matches(&self, text: &str) -> bool;
}

/// An ECMAScript regular-expression engine: compiles `source` with ECMAScript's flags (`i`, `m`,
/// `s`, `u`), or says in words what it did not accept.
pub type Engine = fn(source: &str, flags: &str) -> Result<Arc<dyn Matcher>, String>;

static ENGINE: OnceLock<Engine> = OnceLock::new();

/// Chooses the engine every pattern compiles with, before the first path is parsed (the first
/// choice stays). Natively [`backtracking`] is the default; a wasm binary names its own, so the
/// page's module does not link an engine it does not use.
pub fn use_engine(engine: Engine) {
    let _ = ENGINE.set(engine);
}

#[cfg(not(target_arch = "wasm32"))]
const DEFAULT_ENGINE: Option<Engine> = Some(backtracking);
#[cfg(target_arch = "wasm32")]
const DEFAULT_ENGINE: Option<Engine> = None;

/// The backtracking ECMAScript engine (`jlens-regress`), each match bounded by [`MATCH_BUDGET`].
pub fn backtracking(source: &str, flags: &str) -> Result<Arc<dyn Matcher>, String> {
    let regex = Regex::with_flags(source, flags).map_err(|e| e.to_string())?;
    Ok(Arc::new(Backtracking(regex)))
}

struct Backtracking(Regex);

impl Matcher for Backtracking {
    fn matches(&self, text: &str) -> bool {
        let mut batches = 0u32;
        let budget = || {
            batches += 1;
            batches > MATCH_BUDGET
        };
        matches!(self.0.find_from_interruptible(text, 0, budget), Ok(Some(_)))
    }
}

/// A compiled filter pattern.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    flags: String,
    matcher: Arc<dyn Matcher>,
}

impl Pattern {
    /// Compiles `source` (between the slashes) with Java flags `flags` (`i`, `m`, `s`, `u`, `x`,
    /// `d`, `U`). The error says what the engine did not accept.
    pub fn compile(source: &str, flags: &str) -> Result<Pattern, String> {
        let (body, engine_flags) = ecmascript(source, flags)?;
        let engine = ENGINE
            .get()
            .copied()
            .or(DEFAULT_ENGINE)
            .ok_or("regular expressions are not available in this build")?;
        let matcher = engine(&body, &engine_flags)?;
        Ok(Pattern {
            source: source.to_string(),
            flags: flags.to_string(),
            matcher,
        })
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        self.matcher.matches(text)
    }
}

/// The ECMAScript source and flags a Java pattern and its flags become: anchored at both ends
/// (Java's `matches()`), COMMENTS mode's blanks and comments taken out.
fn ecmascript(source: &str, flags: &str) -> Result<(String, String), String> {
    let mut engine = String::new();
    let mut body = source.to_string();
    for flag in flags.chars() {
        let ecma = match flag {
            'i' => 'i',
            'm' => 'm',
            's' => 's',
            'u' | 'U' => 'u',
            'x' => {
                body = strip_comments(&body);
                continue;
            }
            // UNIX_LINES changes which characters end a line; ECMAScript's set is close.
            'd' => continue,
            other => return Err(format!("unknown regular-expression flag '{other}'")),
        };
        if !engine.contains(ecma) {
            engine.push(ecma);
        }
    }
    // Java's matches() anchors at both ends whatever the flags; lookarounds on "any
    // character" do that even in multiline mode, where ^ and $ would not.
    Ok((format!(r"(?<![\s\S])(?:{body})(?![\s\S])"), engine))
}

/// COMMENTS mode: blanks and `#…` to the end of the line are not part of the pattern (outside
/// character classes, and unless escaped).
fn strip_comments(source: &str) -> String {
    let mut out = String::new();
    let mut chars = source.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            '#' if !in_class => {
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        break;
                    }
                }
            }
            _ if c.is_whitespace() && !in_class => {}
            _ => out.push(c),
        }
    }
    out
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source && self.flags == other.flags
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/{}", self.source, self.flags)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/{}", self.source, self.flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What every engine is given: the source anchored at both ends, Java's flags as ECMAScript's
    /// (each once: a browser's `RegExp` refuses a repeated flag), COMMENTS mode applied.
    #[test]
    fn a_java_pattern_reaches_the_engine_as_ecmascript() {
        let anchored = |body: &str| format!(r"(?<![\s\S])(?:{body})(?![\s\S])");
        for (source, flags, body, ecma) in [
            ("a.*", "", "a.*", ""),
            ("a.*", "iU", "a.*", "iu"),
            ("a", "iiuU", "a", "iu"),
            ("a", "msd", "a", "ms"),
            ("a b # comment\n[ ]c", "x", "ab[ ]c", ""),
        ] {
            assert_eq!(ecmascript(source, flags), Ok((anchored(body), ecma.to_string())), "/{source}/{flags}");
        }
        assert_eq!(ecmascript("a", "q"), Err("unknown regular-expression flag 'q'".to_string()));
    }

    #[test]
    fn the_native_engine_matches_whole_texts_and_says_what_it_refuses() {
        let pattern = Pattern::compile("ab+", "i").unwrap();
        assert!(pattern.matches("ABB"));
        assert!(!pattern.matches("xabb"));
        let refused = Pattern::compile("(", "").unwrap_err();
        assert!(!refused.is_empty());
    }
}
