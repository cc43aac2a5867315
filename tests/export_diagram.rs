//! The diagram SVG (golden for the seed, well-formed XML checked by Python's XML parser, names
//! escaped as text) and the "Download all" zip (checked by `python3 -m zipfile -t`, `unzip -t`
//! and read back by Python's zipfile: names, contents, executable bits).

mod export_support;
use export_support::*;
use statecraft::editor::geometry::Point;
use statecraft::export::command::{ExportRequest, export_command};
use statecraft::export::diagram::{diagram_svg_of, escape};
use statecraft::export::zip::{ZipEntry, zip};
use std::collections::BTreeMap;
use std::process::Command;

fn seed_svg() -> String {
    diagram_svg_of(statecraft::seed::ORDER_WORKFLOW, &BTreeMap::new()).unwrap()
}

/// Parses `svg` with Python's XML parser; gives (root tag, every text node joined by `|`).
fn parse_xml(svg: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("statecraft-diagram-{}-{}", std::process::id(), svg.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("d.svg");
    std::fs::write(&path, svg).unwrap();
    let script = "import sys, xml.etree.ElementTree as ET\nr = ET.parse(sys.argv[1]).getroot()\nprint(r.tag)\nprint('|'.join(t.text or '' for t in r.iter() if t.tag.endswith('}text') or t.tag.endswith('}title')))";
    let out = Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3 runs");
    assert!(out.status.success(), "not well-formed XML: {}\n{svg}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let (tag, texts) = text.split_once('\n').unwrap();
    (tag.to_string(), texts.trim_end().to_string())
}

#[test]
fn the_seed_diagram_matches_its_golden_file() {
    let path = root().join("tests/fixtures/export/seed/diagram.svg");
    let svg = seed_svg();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &svg).unwrap();
    }
    let expected = std::fs::read_to_string(&path).expect("golden diagram (UPDATE_GOLDEN=1 writes it)");
    assert!(expected == svg, "{} differs; UPDATE_GOLDEN=1 rewrites it", path.display());
}

#[test]
fn the_seed_diagram_is_well_formed_and_shows_every_state_and_edge() {
    let svg = seed_svg();
    let (tag, texts) = parse_xml(&svg);
    assert_eq!(tag, "{http://www.w3.org/2000/svg}svg");
    for name in ["ValidateInput", "CheckValidation", "ProcessData", "SendNotification", "HandleError", "Start", "End"] {
        assert!(texts.split('|').any(|t| t == name), "{name} missing from {texts}");
    }
    assert!(texts.contains("Workflow de traitement de commande"), "title: {texts}");
    // 5 states, the two Catch edges dashed, the Choice's rule and Default labelled.
    assert_eq!(svg.matches(r#"<g class="node""#).count(), 5);
    assert_eq!(svg.matches("stroke-dasharray").count(), 2);
    assert!(texts.contains("Default"), "{texts}");
    assert!(svg.contains(r#"data-kind="Choice""#) && svg.contains("#d97706"), "the Choice's colour");
}

#[test]
fn containers_hold_their_branches() {
    let text = every_integration_text();
    let svg = diagram_svg_of(&text, &BTreeMap::new()).unwrap();
    parse_xml(&svg);
    let containers = svg.matches(r#"<g class="container">"#).count();
    let expected = text.matches(r#""Type": "Parallel""#).count() + text.matches(r#""Type": "Map""#).count();
    assert!(expected > 0 && containers == expected, "{containers} containers for {expected} Parallel/Map states");
}

#[test]
fn manual_positions_move_the_drawn_box() {
    let auto = seed_svg();
    let mut positions = BTreeMap::new();
    positions.insert("/States/HandleError".to_string(), Point::new(900.0, 40.0));
    let moved = diagram_svg_of(statecraft::seed::ORDER_WORKFLOW, &positions).unwrap();
    assert_ne!(auto, moved);
    parse_xml(&moved);
}

#[test]
fn hostile_names_are_text_not_markup() {
    let name = "<img src=x onerror=alert(1)>";
    let def = serde_json::json!({
        "Comment": "</title><script>alert(1)</script>",
        "StartAt": name,
        "States": {
            name: {"Type": "Pass", "Next": "A & \"B\" 'C'"},
            "A & \"B\" 'C'": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "<b>", "Next": name}], "Default": "Done\u{1}"},
            "Done\u{1}": {"Type": "Succeed"}
        }
    })
    .to_string();
    let svg = diagram_svg_of(&def, &BTreeMap::new()).unwrap();
    assert!(!svg.contains("<img") && !svg.contains("<script") && !svg.contains("<b>"), "{svg}");
    let (_, texts) = parse_xml(&svg);
    assert!(texts.split('|').any(|t| t.starts_with("<img src=x")), "the name is shown as text: {texts}");
    assert!(texts.contains("</title><script>"), "{texts}");
    assert!(texts.contains("A & \"B\" 'C'"), "{texts}");
    assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
}

#[test]
fn not_json_gives_no_diagram() {
    assert!(diagram_svg_of("{", &BTreeMap::new()).is_none());
}

fn python(script: &str, arg: &std::path::Path) -> String {
    let out = Command::new("python3").arg("-c").arg(script).arg(arg).output().expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_download_all_zip_is_read_back_by_python_and_unzip() {
    let request = ExportRequest {
        name: "OrderProcessingWorkflow".into(),
        region: "eu-west-3".into(),
        account_id: None,
        workflow_type: "standard".into(),
        log_level: "error".into(),
        log_group: None,
        tracing: false,
        alarm_email: None,
    };
    let files = export_command(statecraft::seed::ORDER_WORKFLOW, &request, None).unwrap();
    assert_eq!(files.last().unwrap().name, "diagram.svg", "the CLI writes the diagram too");
    let mut entries: Vec<ZipEntry> =
        files.iter().map(|f| ZipEntry { name: f.name, data: f.contents.as_bytes(), executable: f.executable }).collect();
    let binary: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    entries.push(ZipEntry { name: "dir/é ü.bin", data: &binary, executable: false });
    let bytes = zip(&entries);
    assert_eq!(bytes, zip(&entries), "the same files give the same bytes");

    let dir = std::env::temp_dir().join(format!("statecraft-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("export.zip");
    std::fs::write(&path, &bytes).unwrap();

    let tested = python("import sys, zipfile\nprint(zipfile.ZipFile(sys.argv[1]).testzip())", &path);
    assert_eq!(tested.trim(), "None", "python's zipfile finds no bad CRC");
    let listing = python(
        "import sys, zipfile, hashlib\nfor i in zipfile.ZipFile(sys.argv[1]).infolist():\n    print(i.filename, oct(i.external_attr >> 16), i.compress_type, i.file_size, hashlib.sha256(zipfile.ZipFile(sys.argv[1]).read(i)).hexdigest())",
        &path,
    );
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), entries.len());
    for (line, entry) in lines.iter().zip(&entries) {
        let digest = {
            use std::fmt::Write;
            let out = Command::new("python3")
                .arg("-c")
                .arg("import sys, hashlib\nprint(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut child| {
                    use std::io::Write as _;
                    child.stdin.take().unwrap().write_all(entry.data)?;
                    child.wait_with_output()
                })
                .unwrap();
            let mut s = String::new();
            write!(s, "{}", String::from_utf8(out.stdout).unwrap().trim()).unwrap();
            s
        };
        let mode = if entry.executable { "0o100755" } else { "0o100644" };
        assert_eq!(*line, format!("{} {mode} 0 {} {digest}", entry.name, entry.data.len()));
    }
    if Command::new("unzip").arg("-v").output().is_ok() {
        let out = Command::new("unzip").arg("-t").arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("No errors detected"), "{text}");
    }
}

/// Names with every kind of character XML 1.0 forbids or escapes, mixed with arbitrary ones.
fn xml_hostile_name() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        prop::sample::select(vec!["\u{FFFE}", "\u{FFFF}", "\0", "\u{1}", "\u{8}", "\u{b}", "\u{c}", "\u{1b}", "\u{1f}", "\u{7f}", "\u{85}", "\u{9b}", "\t", "\n", "\r", "<", ">", "&", "\"", "'", "]]>", "<!--", "&amp;", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "😀"])
            .prop_map(str::to_string),
        any::<char>().prop_map(String::from),
        "[a-zA-Z ]{1,4}",
    ];
    prop::collection::vec(piece, 1..6).prop_map(|p| p.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 200, failure_persistence: None, ..Default::default() })]

    /// diagram.svg is well-formed XML (roxmltree, a real XML 1.0 parser) whatever the names,
    /// comment and Choice labels hold, and a name without forbidden characters reads back as
    /// itself.
    #[test]
    fn the_diagram_is_well_formed_whatever_the_names(a in xml_hostile_name(), b in xml_hostile_name(), comment in xml_hostile_name()) {
        let b = if b == a { format!("{b}2") } else { b };
        let def = serde_json::json!({
            "Comment": comment,
            "StartAt": a,
            "States": {
                a.as_str(): {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": b.as_str(), "Next": b.as_str()}], "Default": b.as_str()},
                b.as_str(): {"Type": "Parallel", "Branches": [{"StartAt": comment.as_str(), "States": {comment.as_str(): {"Type": "Pass", "End": true}}}], "End": true}
            }
        })
        .to_string();
        let svg = diagram_svg_of(&def, &BTreeMap::new()).unwrap();
        let doc = roxmltree::Document::parse(&svg);
        proptest::prop_assert!(doc.is_ok(), "not well-formed: {:?}\n{svg}", doc.err());
        let doc = doc.unwrap();
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        let allowed = |c: char| !(((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}');
        proptest::prop_assert!(texts.iter().all(|t| t.chars().all(allowed)));
        let short: String = a.chars().take(20).collect();
        if a.chars().all(allowed) && a.chars().count() <= 20 && !a.contains(['\n', '\r', '\t']) {
            proptest::prop_assert!(texts.iter().any(|t| t.contains(short.as_str())), "{a:?} not shown: {texts:?}");
        }
    }
}

#[test]
fn forbidden_xml_characters_become_the_replacement_character() {
    assert_eq!(escape("a\u{FFFE}b\u{FFFF}c\0d\u{1b}e\tf\u{7f}g"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\tf\u{7f}g");
    let def = serde_json::json!({"StartAt": "A\u{FFFF}", "States": {"A\u{FFFF}": {"Type": "Pass", "Comment": "\u{FFFE}", "End": true}}}).to_string();
    let svg = diagram_svg_of(&def, &BTreeMap::new()).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    let (_, texts) = parse_xml(&svg);
    assert!(texts.contains("A\u{FFFD}"), "{texts}");
}
