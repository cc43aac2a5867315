//! The command-line tool on hostile input (issue 15): control characters in names reach no
//! terminal (`validate`, `run`, `export` messages, and `run.sh`'s echo of scenario names), and
//! `export` never writes through a symbolic link it finds in `--out`; a reader that closes the
//! pipe early ends the output quietly, without a panic.

use statecraft::export::names::moves_the_terminal;
use std::path::PathBuf;
use std::process::{Command, Output};

/// ESC clearing the screen, BEL, NUL, DEL, a C1 CSI, a right-to-left override, a line break.
const HOSTILE: &str = "A\u{1b}[2J\u{7}\0\u{7f}\u{9b}\u{202e}\nB";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statecraft-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn statecraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statecraft")).args(args).output().unwrap()
}

/// No character a terminal acts on, but line breaks.
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let raw: Vec<char> = text.chars().filter(|&c| c != '\n' && moves_the_terminal(c)).collect();
    assert!(raw.is_empty(), "{what} prints {raw:?} raw:\n{text}");
}

/// A definition whose StartAt names a state that is not there, by a hostile name.
fn hostile_definition() -> String {
    serde_json::json!({"StartAt": HOSTILE, "States": {"Done": {"Type": "Pass", "Result": {"x": HOSTILE}, "End": true}}}).to_string()
}

#[test]
fn validate_shows_control_characters_instead_of_sending_them() {
    let dir = scratch("validate");
    let file = dir.join(format!("def{}.json", '\u{1b}'));
    std::fs::write(&file, hostile_definition()).unwrap();
    let out = statecraft(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_terminal_safe("validate", &out.stdout);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("A\\u001B[2J\\u0007\\u0000\\u007F\\u009B\\u202E\\u000AB"), "the name is shown escaped:\n{text}");
    assert!(text.contains("def\\u001B.json:"), "so is the file name:\n{text}");
    assert_eq!(text.lines().count(), text.matches("error[").count(), "one line per diagnostic:\n{text}");

    let out = statecraft(&["validate", "--format", "json", file.to_str().unwrap()]);
    assert_terminal_safe("validate --format json", &out.stdout);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.to_string().contains("\\u001b[2J"), "the JSON still says the same: {json}");
    assert!(json[0]["diagnostics"].as_array().unwrap().iter().any(|d| d["message"].as_str().unwrap().contains(HOSTILE)));

    let missing = dir.join("missing\u{7}.json");
    let out = statecraft(&["validate", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_terminal_safe("validate's read error", &out.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn argument_errors_show_the_argument_escaped() {
    // An argument cannot hold NUL: the rest of HOSTILE.
    let out = statecraft(&["validate", "--format", &HOSTILE.replace('\0', ""), "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_terminal_safe("clap's error", &out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\u009B\\u202E"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = statecraft(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: statecraft"));
}

#[test]
fn run_output_and_errors_are_terminal_safe_and_the_same_json() {
    let dir = scratch("run");
    let file = dir.join("def.json");
    let definition = serde_json::json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": HOSTILE}, "End": true}}});
    std::fs::write(&file, definition.to_string()).unwrap();
    let out = statecraft(&["run", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_terminal_safe("run's output", &out.stdout);
    let output: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output, serde_json::json!({"x": HOSTILE}));

    std::fs::write(&file, hostile_definition()).unwrap();
    let out = statecraft(&["run", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_terminal_safe("run's usage error", &out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\u001B[2J"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_number_beyond_f64_is_refused_located_not_run_as_null() {
    let dir = scratch("number");
    let file = dir.join("def.json");
    std::fs::write(&file, "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\",\n  \"Result\": {\"x\": 1e400, \"y\": -1e400, \"z\": 1e308}, \"End\": true}}}").unwrap();
    let out = statecraft(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(":2:19: error[NUMBER_RANGE]: the number 1e400 ") && text.contains("(/States/P/Result/x)"), "{text}");
    assert!(text.contains(":2:31: error[NUMBER_RANGE]: the number -1e400 ") && text.contains("(/States/P/Result/y)"), "{text}");
    assert_eq!(text.lines().count(), 2, "1e308 fits: {text}");
    let out = statecraft(&["run", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "not run: {}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NUMBER_RANGE"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn export_errors_and_run_sh_show_scenario_names_escaped() {
    let dir = scratch("export-names");
    let scenarios = dir.join("scenarios.json");
    std::fs::write(&scenarios, serde_json::json!([{"name": HOSTILE, "input": {}}]).to_string()).unwrap();
    let out_dir = dir.join("out");
    let out = statecraft(&["export", "--out", out_dir.to_str().unwrap(), "--scenarios", scenarios.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let run = std::fs::read_to_string(out_dir.join("run.sh")).unwrap();
    assert!(run.contains("'A\\u001B[2J\\u0007\\u0000\\u007F\\u009B\\u202E\\u000AB'"), "{run}");
    assert_terminal_safe("run.sh", run.as_bytes());

    // A Lambda function whose name AWS would refuse: the error names it, escaped.
    let definition = dir.join("def.json");
    let resource = format!("arn:aws:lambda:eu-west-3:123456789012:function:{HOSTILE}");
    std::fs::write(&definition, serde_json::json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": true}}}).to_string()).unwrap();
    let out = statecraft(&["export", definition.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_terminal_safe("export's error", &out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("[2J"), "the name is shown: {}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
#[cfg(unix)]
fn export_refuses_to_write_through_a_symbolic_link() {
    let dir = scratch("symlink");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::os::unix::fs::symlink(&victim, out_dir.join("deploy.sh")).unwrap();

    let out = statecraft(&["export", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}: is a symbolic link", out_dir.join("deploy.sh").display())), "{stderr}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious", "the link's target is untouched");
    assert!(!out_dir.join("state-machine.json").exists(), "nothing is written when one path is refused");

    // Without the link, the export writes every file, scripts executable, and writes again over them.
    std::fs::remove_file(out_dir.join("deploy.sh")).unwrap();
    for _ in 0..2 {
        let out = statecraft(&["export", "--out", out_dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(out_dir.join("deploy.sh")).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0o111, "deploy.sh is executable: {mode:o}");
    assert!(std::fs::read_dir(&out_dir).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.')), "no temporary file left");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let _ = std::fs::remove_dir_all(dir);
}

/// `statecraft validate *.json | head -1`: the reader goes away while the tool still has lines to
/// print. The tool must not panic (Rust's `println!` does on a closed pipe unless SIGPIPE ends
/// the process, as it ends `cat`).
#[test]
fn a_reader_that_closes_the_pipe_early_gets_no_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = scratch("pipe");
    // 400 states whose Next names nothing: 400 diagnostics per file, 20 files, far more than a
    // pipe buffer holds.
    let states: serde_json::Map<String, serde_json::Value> =
        (0..400).map(|i| (format!("S{i}"), serde_json::json!({"Type": "Pass", "Next": format!("Missing{i}")}))).collect();
    let text = serde_json::json!({"StartAt": "S0", "States": states}).to_string();
    let files: Vec<PathBuf> = (0..20).map(|i| dir.join(format!("d{i}.json"))).collect();
    for f in &files {
        std::fs::write(f, &text).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .arg("validate")
        .args(&files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    let mut out = child.stdout.take().unwrap();
    out.read_exact(&mut first).unwrap();
    drop(out);
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "stderr: {err}");
    assert_ne!(status.code(), Some(101), "exit status {status:?}, stderr: {err}");
    let _ = std::fs::remove_dir_all(&dir);
}
