//! A suite run as JUnit XML, the report CI systems read: one `<testcase>` per scenario, a failed
//! one with a `<failure>` whose message names the expectation that failed. Text is escaped, and
//! characters XML 1.0 cannot hold are replaced.

use crate::sim::batch::BatchRow;

/// Escapes `text` for an XML attribute or text node: the diagram's rule (markup escaped, what
/// XML 1.0 cannot hold replaced by U+FFFD).
pub use crate::export::diagram::escape;

/// Whether a row counts as passing: its expectation held, or nothing was expected and it ran.
pub fn passes(row: &BatchRow) -> bool {
    row.pass.unwrap_or(true)
}

/// The JUnit document of a suite named `suite` whose rows are `rows`.
pub fn report(suite: &str, rows: &[BatchRow]) -> String {
    let failures = rows.iter().filter(|r| !passes(r)).count();
    let seconds: f64 = rows.iter().map(|r| r.duration_ms as f64 / 1000.0).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<testsuites name=\"statecraft\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{seconds:.3}\">\n", rows.len()));
    out.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"{seconds:.3}\">\n",
        escape(suite),
        rows.len()
    ));
    for row in rows {
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
            escape(&row.name),
            escape(suite),
            row.duration_ms as f64 / 1000.0
        ));
        if passes(row) {
            out.push_str("/>\n");
            continue;
        }
        let message = row.mismatches.first().cloned().unwrap_or_else(|| "the scenario did not pass".into());
        out.push_str(">\n");
        out.push_str(&format!(
            "      <failure message=\"{}\" type=\"expectation\">{}\n{}: {}</failure>\n",
            escape(&message),
            escape(&row.mismatches.join("\n")),
            escape(row.status),
            escape(&row.summary())
        ));
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, mismatches: &[&str]) -> BatchRow {
        BatchRow {
            name: name.into(),
            status: "SUCCEEDED",
            end_state: None,
            pass: Some(mismatches.is_empty()),
            run: None,
            mismatches: mismatches.iter().map(|s| s.to_string()).collect(),
            transitions: 1,
            duration_ms: 1500,
            result: Ok(crate::asl::value::Payload::new(serde_json::json!({"a": "<b>"}))),
        }
    }

    #[test]
    fn a_failure_names_its_expectation_and_text_is_escaped() {
        let xml = report("order & co", &[row("ok \"1\"", &[]), row("bad <2>\u{1b}", &["status FAILED instead of SUCCEEDED"])]);
        assert!(xml.contains(r#"<testsuite name="order &amp; co" tests="2" failures="1""#), "{xml}");
        assert!(xml.contains(r#"<testcase name="ok &quot;1&quot;" classname="order &amp; co" time="1.500"/>"#), "{xml}");
        assert!(xml.contains("name=\"bad &lt;2&gt;\u{FFFD}\""), "{xml}");
        assert!(xml.contains(r#"<failure message="status FAILED instead of SUCCEEDED" type="expectation">"#), "{xml}");
        assert!(xml.contains("{&quot;a&quot;:&quot;&lt;b&gt;&quot;}"), "{xml}");
    }
}
