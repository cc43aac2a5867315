//! Fuzz target: reading, lowering, validating and writing back any text must never panic, and
//! a definition that reads must write back to the same JSON tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statecraft::asl::json::{self, WriteStyle};
use statecraft::asl::validate::validate_text;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let report = validate_text(text);
    if let (Some(root), Some(machine)) = (&report.root, &report.machine) {
        if root.as_object().is_some() {
            assert!(machine.to_json() == *root, "round-trip changed the tree");
        }
        let written = json::write(root, WriteStyle::Compact);
        assert!(json::read(&written).is_ok_and(|again| again == *root), "writer output does not read back");
    }
});
