//! "Copy as AWS CLI": the same TestState call as an `aws stepfunctions test-state` command line,
//! so that a user can check on real AWS what Statecraft answered offline. Every request field
//! maps to its flag; each value is one single-quoted shell word; one flag a line.

use super::request::{TestStateRequest, configuration_json, mock_json};
use super::response::json_text;
use crate::export::names::shell_quote;

/// The command, lines joined with ` \` continuations.
pub fn aws_cli_command(request: &TestStateRequest) -> String {
    let mut lines = vec!["aws stepfunctions test-state".to_string()];
    let mut flag = |name: &str, value: &str| lines.push(format!("  --{name} {}", shell_quote(value)));
    flag("definition", &request.definition);
    if let Some(input) = &request.input {
        flag("input", input);
    }
    if let Some(level) = request.inspection_level {
        flag("inspection-level", level.name());
    }
    if let Some(name) = &request.state_name {
        flag("state-name", name);
    }
    if let Some(mock) = &request.mock {
        flag("mock", &json_text(&mock_json(mock)));
    }
    if let Some(variables) = &request.variables {
        flag("variables", variables);
    }
    if let Some(context) = &request.context {
        flag("context", context);
    }
    if let Some(configuration) = &request.state_configuration {
        flag("state-configuration", &json_text(&configuration_json(configuration)));
    }
    if let Some(role) = &request.role_arn {
        flag("role-arn", role);
    }
    match request.reveal_secrets {
        Some(true) => lines.push("  --reveal-secrets".into()),
        Some(false) => lines.push("  --no-reveal-secrets".into()),
        None => {}
    }
    lines.join(" \\\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::teststate::request::{FieldValidationMode, Mock, MockOutcome, StateConfiguration};

    #[test]
    fn every_field_has_its_flag() {
        let request = TestStateRequest {
            definition: r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}"#.into(),
            input: Some(r#"{"name": "O'Brien"}"#.into()),
            inspection_level: Some(crate::sim::teststate::InspectionLevel::Debug),
            mock: Some(Mock { outcome: MockOutcome::Error { error: "E".into(), cause: "it's $HOME".into() }, field_validation_mode: Some(FieldValidationMode::Present) }),
            variables: Some(r#"{"x": 1}"#.into()),
            context: Some("{}".into()),
            state_configuration: Some(StateConfiguration { retrier_retry_count: Some(2), ..StateConfiguration::default() }),
            reveal_secrets: Some(false),
            role_arn: Some("arn:aws:iam::123456789012:role/R".into()),
            state_name: Some("Call".into()),
        };
        let command = aws_cli_command(&request);
        let expected = [
            "aws stepfunctions test-state \\",
            r#"  --definition '{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}' \"#,
            r#"  --input '{"name": "O'\''Brien"}' \"#,
            "  --inspection-level 'DEBUG' \\",
            "  --state-name 'Call' \\",
            r#"  --mock '{"errorOutput":{"error":"E","cause":"it'\''s $HOME"},"fieldValidationMode":"PRESENT"}' \"#,
            r#"  --variables '{"x": 1}' \"#,
            "  --context '{}' \\",
            r#"  --state-configuration '{"retrierRetryCount":2}' \"#,
            "  --role-arn 'arn:aws:iam::123456789012:role/R' \\",
            "  --no-reveal-secrets",
        ]
        .join("\n")
            + "\n";
        assert_eq!(command, expected);
    }

    #[test]
    fn absent_fields_have_no_flag() {
        let command = aws_cli_command(&TestStateRequest { definition: "{}".into(), reveal_secrets: Some(true), ..TestStateRequest::default() });
        assert_eq!(command, "aws stepfunctions test-state \\\n  --definition '{}' \\\n  --reveal-secrets\n");
    }

    /// The command is a valid shell script (shellcheck, when installed), and the shell hands
    /// the aws command exactly the request's texts.
    #[test]
    fn the_shell_reads_back_what_was_quoted() {
        let request = TestStateRequest {
            definition: "{\"Comment\": \"a 'quoted' `tick` $(x) \\\\ line\\nbreak\"}".into(),
            input: Some("\"é \\\" ;|&\"".into()),
            ..TestStateRequest::default()
        };
        let command = aws_cli_command(&request);
        // `aws` replaced by a function printing each argument on its own NUL-terminated field.
        let script = format!("aws() {{ printf '%s\\0' \"$@\"; }}\n{command}");
        let dir = std::env::temp_dir().join(format!("statecraft-teststate-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("command.sh");
        std::fs::write(&file, &script).unwrap();
        let out = std::process::Command::new("sh").arg(&file).output().unwrap();
        let fields: Vec<String> = String::from_utf8(out.stdout).unwrap().split('\0').map(str::to_string).collect();
        assert_eq!(fields[..6], ["stepfunctions", "test-state", "--definition", &request.definition, "--input", request.input.as_deref().unwrap()]);
        if std::process::Command::new("shellcheck").arg("--version").output().is_ok() {
            // SC2016 says `$(x)` in single quotes does not expand: that it does not is the point.
            let checked = std::process::Command::new("shellcheck").args(["-s", "sh", "-e", "SC2016"]).arg(&file).output().unwrap();
            assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stdout));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
