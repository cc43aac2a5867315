//! The names that end up in generated scripts and templates: what AWS accepts for each kind of
//! name, and the one way a string is written into a shell script ([`shell_quote`]).
//!
//! Two defences, both always on: every name a script uses as an AWS resource name is checked
//! against a character set that has no shell or JMESPath meaning, and every string written into
//! a script (names, scenario names, inputs) is single-quoted, so even a name that passed the
//! check by mistake could not be interpreted by the shell.
//!
//! And one for terminals: [`terminal_safe`] and [`terminal_safe_line`] write every character a
//! terminal would act on instead of showing (ESC, BEL, NUL, every other C0 and C1 control, DEL,
//! the bidirectional overrides and isolates) as a visible `\uXXXX`, for every message the
//! command-line tool prints and every scenario name `run.sh` echoes.

use std::borrow::Cow;
use std::fmt;

/// What kind of name failed its check, to say so in the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    StateMachine,
    LambdaFunction,
    Role,
    Policy,
    LogGroup,
    Region,
    AccountId,
    Email,
    Topic,
    Queue,
    Table,
    Runtime,
}

impl NameKind {
    /// How the kind is called in messages.
    pub fn label(self) -> &'static str {
        match self {
            NameKind::StateMachine => "state machine name",
            NameKind::LambdaFunction => "Lambda function name",
            NameKind::Role => "IAM role name",
            NameKind::Policy => "IAM policy name",
            NameKind::LogGroup => "log group name",
            NameKind::Region => "region",
            NameKind::AccountId => "account id",
            NameKind::Email => "e-mail address",
            NameKind::Topic => "SNS topic name",
            NameKind::Queue => "SQS queue name",
            NameKind::Table => "DynamoDB table name",
            NameKind::Runtime => "Lambda runtime",
        }
    }

    /// The rule the name must follow, in words.
    pub fn rule(self) -> &'static str {
        match self {
            NameKind::StateMachine => "1 to 80 of A-Z a-z 0-9 - _",
            NameKind::LambdaFunction => "1 to 64 of A-Z a-z 0-9 - _",
            NameKind::Role => "1 to 64 of A-Z a-z 0-9 + = , . @ - _",
            NameKind::Policy => "1 to 128 of A-Z a-z 0-9 + = , . @ - _",
            NameKind::LogGroup => "1 to 512 of A-Z a-z 0-9 . - _ / #",
            NameKind::Region => "like eu-west-3: lowercase letters, digits and dashes",
            NameKind::AccountId => "12 digits",
            NameKind::Email => "local@domain, of A-Z a-z 0-9 . _ % + - and one @",
            NameKind::Topic => "1 to 256 of A-Z a-z 0-9 - _ (and .fifo)",
            NameKind::Queue => "1 to 80 of A-Z a-z 0-9 - _ (and .fifo)",
            NameKind::Table => "3 to 255 of A-Z a-z 0-9 . - _",
            NameKind::Runtime => "like python3.14: 1 to 32 of a-z 0-9 . -",
        }
    }

    fn max_len(self) -> usize {
        match self {
            NameKind::StateMachine | NameKind::Queue => 80,
            NameKind::LambdaFunction | NameKind::Role => 64,
            NameKind::Policy => 128,
            NameKind::LogGroup | NameKind::Topic | NameKind::Table => 512,
            NameKind::Region | NameKind::Runtime => 32,
            NameKind::AccountId => 12,
            NameKind::Email => 254,
        }
    }

    fn allows(self, c: char) -> bool {
        let word = c.is_ascii_alphanumeric() || c == '-' || c == '_';
        match self {
            NameKind::StateMachine | NameKind::LambdaFunction => word,
            NameKind::Role | NameKind::Policy => word || "+=,.@".contains(c),
            NameKind::LogGroup => word || "./#".contains(c),
            NameKind::Region => c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-',
            NameKind::AccountId => c.is_ascii_digit(),
            NameKind::Email => word || ".%+@".contains(c),
            NameKind::Topic | NameKind::Queue | NameKind::Table => word || c == '.',
            NameKind::Runtime => c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-',
        }
    }
}

/// A name that does not follow its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidName {
    pub kind: NameKind,
    pub name: String,
}

impl fmt::Display for InvalidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {:?}: use {}", self.kind.label(), self.name, self.kind.rule())
    }
}

impl std::error::Error for InvalidName {}

/// A name of `kind` made from free text (a document's name): each run of characters the rule
/// forbids becomes one `-`, dashes at the ends go, the length is cut to the rule's maximum.
/// Gives `fallback` when nothing is left. `Account vending: OU` gives `Account-vending-OU`.
pub fn name_from(kind: NameKind, text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if kind.allows(c) && c != '-' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    out.truncate(kind.max_len());
    let out = out.trim_end_matches('-').to_string();
    if check_name(kind, &out).is_ok() { out } else { fallback.to_string() }
}

/// Checks `name` against the rule of its `kind`.
pub fn check_name(kind: NameKind, name: &str) -> Result<(), InvalidName> {
    let length_ok = match kind {
        NameKind::AccountId => name.len() == 12,
        NameKind::Table => (3..=255).contains(&name.len()),
        _ => !name.is_empty() && name.len() <= kind.max_len(),
    };
    let shape_ok = match kind {
        NameKind::Region => {
            name.split('-').count() >= 3 && name.split('-').all(|part| !part.is_empty())
        }
        NameKind::Email => {
            let mut parts = name.split('@');
            matches!((parts.next(), parts.next(), parts.next()), (Some(l), Some(d), None) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
        }
        _ => true,
    };
    if length_ok && shape_ok && name.chars().all(|c| kind.allows(c)) {
        Ok(())
    } else {
        Err(InvalidName { kind, name: name.to_string() })
    }
}

/// `text` as one shell word, single-quoted: `it's` becomes `'it'\''s'`. Nothing inside single
/// quotes is special to the shell (`$`, backticks, `\`, newlines), so the word is the text.
pub fn shell_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// A here-document delimiter starting with `base` that is no line of `text`, so the text cannot
/// end the here-document early.
pub fn heredoc_delimiter(base: &str, text: &str) -> String {
    let mut delimiter = base.to_string();
    while text.lines().any(|line| line.trim_end_matches('\r') == delimiter || line.trim() == delimiter) {
        delimiter.push('_');
    }
    delimiter
}

/// A comment-safe one-line rendering of `text` for `# ...` lines in scripts and templates:
/// control characters (newlines included) become spaces.
pub fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Whether a terminal acts on `c` rather than shows it: C0 and C1 controls and DEL, and the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
/// reorder what follows them on the line.
pub fn moves_the_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escaped_for_terminal(text: &str, keep_line_breaks: bool) -> Cow<'_, str> {
    let acted_on = |c: char| moves_the_terminal(c) && !(keep_line_breaks && c == '\n');
    if !text.chars().any(acted_on) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acted_on(c) {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` to print on a terminal: its line breaks kept, every other character a terminal acts
/// on written `\uXXXX`. On JSON text (whose controls are escaped already, and whose other such
/// characters can only be inside strings) this gives the same JSON.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    escaped_for_terminal(text, true)
}

/// `text` to print as (part of) one terminal line: [`terminal_safe`] with line breaks escaped
/// too, so a name cannot start a line that looks like the tool's own output.
pub fn terminal_safe_line(text: &str) -> Cow<'_, str> {
    escaped_for_terminal(text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_free_text_follow_the_rule() {
        for (text, want) in [
            ("OrderProcessingWorkflow", "OrderProcessingWorkflow"),
            ("Account vending: OU", "Account-vending-OU"),
            ("  Commandes é  ", "Commandes"),
            ("a--b", "a-b"),
            ("ééé", "StateMachine"),
            ("", "StateMachine"),
        ] {
            assert_eq!(name_from(NameKind::StateMachine, text, "StateMachine"), want, "{text:?}");
        }
        let long = "x".repeat(100);
        assert_eq!(name_from(NameKind::StateMachine, &long, "S").len(), 80);
    }

    #[test]
    fn terminal_safe_text_shows_what_a_terminal_would_act_on() {
        assert_eq!(terminal_safe("plain é 😀 \"q\" \\"), "plain é 😀 \"q\" \\");
        assert!(matches!(terminal_safe("plain"), Cow::Borrowed(_)));
        assert_eq!(terminal_safe("a\u{1b}[2Jb\u{7}\0\u{7f}\u{9b}\u{85}\r\t\u{202e}\u{2066}\u{2069}\nnext"), "a\\u001B[2Jb\\u0007\\u0000\\u007F\\u009B\\u0085\\u000D\\u0009\\u202E\\u2066\\u2069\nnext");
        assert_eq!(terminal_safe_line("a\nb"), "a\\u000Ab");
        // On JSON: the same JSON, nothing raw left.
        let json = serde_json::to_string(&serde_json::json!({"name": "x\u{1b}\u{7f}\u{9b}\u{202e}"})).unwrap();
        let safe = terminal_safe(&json);
        assert!(!safe.chars().any(moves_the_terminal));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), serde_json::from_str::<serde_json::Value>(&json).unwrap());
    }

    #[test]
    fn quotes_every_shell_metacharacter_away() {
        assert_eq!(shell_quote("plain"), "'plain'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote("$(touch /tmp/pwned)`id`\n"), "'$(touch /tmp/pwned)`id`\n'");
    }

    #[test]
    fn checks_names() {
        assert!(check_name(NameKind::StateMachine, "OrderProcessingWorkflow").is_ok());
        assert!(check_name(NameKind::StateMachine, "a$(touch /tmp/pwned)").is_err());
        assert!(check_name(NameKind::StateMachine, "").is_err());
        assert!(check_name(NameKind::Region, "eu-west-3").is_ok());
        assert!(check_name(NameKind::Region, "eu-west-3;id").is_err());
        assert!(check_name(NameKind::AccountId, "123456789012").is_ok());
        assert!(check_name(NameKind::AccountId, "ACCOUNT_ID").is_err());
        assert!(check_name(NameKind::Email, "ops@example.com").is_ok());
        assert!(check_name(NameKind::Email, "ops@example.com'").is_err());
        assert!(check_name(NameKind::LogGroup, "/aws/vendedlogs/states/Order-Logs").is_ok());
        assert!(check_name(NameKind::Role, "StepFunctionsExecutionRole").is_ok());
    }

    #[test]
    fn heredoc_delimiters_avoid_the_text() {
        assert_eq!(heredoc_delimiter("EOF", "a\nb"), "EOF");
        assert_eq!(heredoc_delimiter("EOF", "a\nEOF\nb"), "EOF_");
    }
}
