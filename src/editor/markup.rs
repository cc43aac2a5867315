//! Static HTML for the parts of the page that are drawn many times and never change by
//! themselves: a canvas node's head (icon, name, summary, problem badge) and the options of a
//! long `<select>`. One `innerHTML` per element is much cheaper for the browser than building
//! each child through the DOM one call at a time (a 500-state machine has 500 heads and
//! 500-option StartAt and Next pickers). Every text is escaped here.

use std::fmt::Write;

/// Appends `text` to `out` with `&`, `<`, `>`, `"` and `'` escaped (safe in text and in
/// double-quoted attribute values).
pub fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, c) in text.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// `text`, escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// The inside of a node's head: its kind's icon, its name (line by line, as the layout wrapped
/// it to fit the node: nothing is cut) and summary, and a badge counting its problems (errors
/// first in colour) when it has any. Each line but the last keeps its trailing space, so the
/// name's text content reads as the name.
///
/// The node's accessible name is its content: what it shows, in the order it shows it, with its
/// kind and its problems said in words that are not drawn (`sr-only`), e.g. "ValidateInput
/// (Task): λ ValidateInput". (Not an `aria-label`: a label that leaves out or reorders the
/// visible text fails WCAG's "label in name", and a speech user says what they see.)
pub fn node_head(icon: &str, kind: &str, lines: &[String], summary: &str, errors: usize, warnings: usize) -> String {
    let name_len: usize = lines.iter().map(|l| l.len() + 32).sum();
    let mut out = String::with_capacity(160 + name_len + summary.len());
    out.push_str(r#"<span class="kind-icon" aria-hidden="true">"#);
    escape_into(&mut out, icon);
    out.push_str(r#"</span><span class="node-text"><span class="node-name">"#);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(r#"<span class="node-line">"#);
        escape_into(&mut out, line);
        if i + 1 < lines.len() {
            out.push(' ');
        }
        out.push_str("</span>");
    }
    out.push_str(r#"</span><span class="sr-only"> ("#);
    escape_into(&mut out, kind);
    out.push_str(if summary.is_empty() { ")</span>" } else { "): </span>" });
    out.push_str(r#"<span class="node-summary">"#);
    escape_into(&mut out, summary);
    out.push_str("</span></span>");
    if errors + warnings > 0 {
        let class = if errors > 0 { "badge error" } else { "badge warning" };
        let said = format!("{errors} error(s), {warnings} warning(s)");
        let _ = write!(out, r#"<span class="{class}" title="{said}"><span aria-hidden="true">{}</span><span class="sr-only">, {said}</span></span>"#, errors + warnings);
    }
    out
}

/// The options of a picker whose value is `current`: first `none` (the empty value) when given,
/// then, when `keep_unknown`, `current` itself if it is not among `options` (a name the list
/// does not know), then each `(value, text)` of `options`. The option of `current` is the
/// selected one.
pub fn options(none: Option<&str>, current: &str, options: &[(String, String)], keep_unknown: bool) -> String {
    let mut out = String::with_capacity(options.len() * 48);
    let mut option = |value: &str, text: &str, selected: bool| {
        out.push_str(r#"<option value=""#);
        escape_into(&mut out, value);
        out.push_str(if selected { r#"" selected>"# } else { r#"">"# });
        escape_into(&mut out, text);
        out.push_str("</option>");
    };
    if let Some(n) = none {
        option("", n, current.is_empty());
    }
    let known = current.is_empty() || options.iter().any(|(v, _)| v == current);
    if keep_unknown && !known {
        option(current, current, true);
    }
    for (v, t) in options {
        option(v, t, v == current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_would_read() {
        assert_eq!(escape(r#"a<b>&"c"'d'"#), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
        assert_eq!(escape("Étape ✓ plain"), "Étape ✓ plain");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn a_head_has_icon_name_summary_and_a_badge_only_with_problems() {
        let h = node_head("⚙", "Task", &["Check <it>".into()], "λ Fn & co", 0, 0);
        assert_eq!(
            h,
            r#"<span class="kind-icon" aria-hidden="true">⚙</span><span class="node-text"><span class="node-name"><span class="node-line">Check &lt;it&gt;</span></span><span class="sr-only"> (Task): </span><span class="node-summary">λ Fn &amp; co</span></span>"#
        );
        let two = node_head("⚙", "Pass", &["Create New".into(), "Organizational Unit".into()], "", 0, 0);
        assert!(two.contains(r#"<span class="node-name"><span class="node-line">Create New </span><span class="node-line">Organizational Unit</span></span><span class="sr-only"> (Pass)</span>"#), "{two}");
        let a = ["A".to_string()];
        let said = |class: &str, n: usize, words: &str| format!(r#"<span class="badge {class}" title="{words}"><span aria-hidden="true">{n}</span><span class="sr-only">, {words}</span></span>"#);
        assert!(node_head("⚙", "Task", &a, "", 2, 1).ends_with(&said("error", 3, "2 error(s), 1 warning(s)")));
        assert!(node_head("⚙", "Task", &a, "", 0, 1).ends_with(&said("warning", 1, "0 error(s), 1 warning(s)")));
    }

    #[test]
    fn options_select_the_current_value_and_keep_an_unknown_one() {
        let opts = vec![("A".to_string(), "A".to_string()), ("B\"".to_string(), "B\"".to_string())];
        assert_eq!(
            options(Some("— none —"), "A", &opts, true),
            r#"<option value="">— none —</option><option value="A" selected>A</option><option value="B&quot;">B&quot;</option>"#
        );
        assert_eq!(
            options(None, "Gone", &opts, true),
            r#"<option value="Gone" selected>Gone</option><option value="A">A</option><option value="B&quot;">B&quot;</option>"#
        );
        assert_eq!(options(Some("none"), "", &[], true), r#"<option value="" selected>none</option>"#);
        assert_eq!(options(Some("none"), "Gone", &[], false), r#"<option value="">none</option>"#);
    }
}
