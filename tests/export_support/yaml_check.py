"""Reads the templates of each export directory given with YAML 1.1 readers, PyYAML's safe
loader and cfn-lint's own, and checks that they hold exactly what the JSON files hold:
cloudformation.yaml the same as cloudformation.json, and the SAM template's Definition the same
as state-machine.json. Prints one line per mismatch and exits 1 when there is one; prints
`checked N` otherwise. Used by tests/export_yaml.rs with the venv's Python."""

import json
import sys

import yaml
from cfnlint.decode import cfn_yaml


def canonical(value):
    # json.dumps tells true from 1 and a string from a date (which it cannot write at all).
    return json.dumps(value, sort_keys=True, ensure_ascii=True)


def compare(what, got, expected, problems):
    try:
        same = canonical(got) == canonical(expected)
    except (TypeError, ValueError) as e:
        problems.append(f"{what}: not JSON data ({e}): {got!r}"[:2000])
        return
    if not same:
        problems.append(f"{what}: read {canonical(got)[:1500]} expected {canonical(expected)[:1500]}")


def main(dirs):
    problems = []
    for d in dirs:
        with open(f"{d}/cloudformation.json", encoding="utf-8") as f:
            cfn = json.load(f)
        with open(f"{d}/state-machine.json", encoding="utf-8") as f:
            definition = json.load(f)
        with open(f"{d}/cloudformation.yaml", encoding="utf-8") as f:
            cfn_text = f.read()
        with open(f"{d}/sam-template.yaml", encoding="utf-8") as f:
            sam_text = f.read()
        for reader, load in (("PyYAML", yaml.safe_load), ("cfn-lint", cfn_yaml.loads)):
            try:
                compare(f"{d}/cloudformation.yaml ({reader})", load(cfn_text), cfn, problems)
                sam = load(sam_text)
                compare(f"{d}/sam-template.yaml ({reader}) Definition", sam["Resources"]["StateMachine"]["Properties"]["Definition"], definition, problems)
                resources = sorted(str(k) for k in sam["Resources"])
                if resources != sorted(cfn["Resources"]):
                    problems.append(f"{d}/sam-template.yaml ({reader}): resources {resources}")
            except Exception as e:  # a reader that refuses the text is a mismatch too
                problems.append(f"{d} ({reader}): {type(e).__name__}: {e}"[:2000])
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"checked {len(dirs)}")


if __name__ == "__main__":
    main(sys.argv[1:])
