//! `/regex/flags` in a filter (`[?(@.name =~ /^a.*/i)]`), as Jayway's `PatternNode` reads it: the
//! text between the slashes is a Java regular expression, the flags are Java's (`PatternFlag`),
//! and a value matches when the *whole* of its text matches (`Matcher.matches()`).
//!
//! The expression runs on an ECMAScript engine (`jlens-regress`, the one the JSONata engine
//! already brings): the common syntax is the same; Java-only constructs (possessive quantifiers,
//! `\A`, `\Z`, `\p{Alpha}`) are syntax errors here. Matching is interruptible, so a pattern that
//! backtracks catastrophically stops (as no match) instead of hanging the page.

use std::fmt;

use regress::{Flags, Regex};

/// How many batches of backtracking steps (1,024 each) one match may take before it is given up
/// as no match: a quarter of a million steps, far more than a pattern over a field value needs.
const MATCH_BUDGET: u32 = 256;

/// A compiled filter pattern.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    flags: String,
    regex: Regex,
}

impl Pattern {
    /// Compiles `source` (between the slashes) with Java flags `flags` (`i`, `m`, `s`, `u`, `x`,
    /// `d`, `U`). The error says what the engine did not accept.
    pub fn compile(source: &str, flags: &str) -> Result<Pattern, String> {
        let mut engine = Flags::default();
        let mut body = source.to_string();
        for flag in flags.chars() {
            match flag {
                'i' => engine.icase = true,
                'm' => engine.multiline = true,
                's' => engine.dot_all = true,
                'u' | 'U' => engine.unicode = true,
                'x' => body = strip_comments(&body),
                // UNIX_LINES changes which characters end a line; ECMAScript's set is close.
                'd' => {}
                other => return Err(format!("unknown regular-expression flag '{other}'")),
            }
        }
        // Java's matches() anchors at both ends whatever the flags; lookarounds on "any
        // character" do that even in multiline mode, where ^ and $ would not.
        let anchored = format!(r"(?<![\s\S])(?:{body})(?![\s\S])");
        let regex = Regex::with_flags(&anchored, engine).map_err(|e| e.to_string())?;
        Ok(Pattern {
            source: source.to_string(),
            flags: flags.to_string(),
            regex,
        })
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let mut batches = 0u32;
        let budget = || {
            batches += 1;
            batches > MATCH_BUDGET
        };
        matches!(self.regex.find_from_interruptible(text, 0, budget), Ok(Some(_)))
    }
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
