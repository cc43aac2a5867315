#!/usr/bin/env bash
# Counts the instructions the native engine spends on each performance workload (callgrind),
# the steady measure for before/after work on a shared machine, where wall times move with the
# load. Only the timed part is counted (`run_workload_with`: every execution of both runs the
# measuring child makes, outputs kept); validation, inputs and verification are not.
#
# Usage: scripts/bench-instructions.sh [WORKLOADS] [BINARY]
#   WORKLOADS  comma-separated names (default: all seven)
#   BINARY     a statecraft binary to measure instead of building this tree's (an older build,
#              for a before/after table)
# Needs valgrind. Prints one Markdown row per workload: instructions per run and per transition.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
names=${1:-loop_counter,map_10k,order_workflow,wait_heavy,parallel_fanout,chain_500,choice_200}
bin=${2:-}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
if [ -z "$bin" ]; then
    echo "# building statecraft (bench profile)" >&2
    (cd "$repo" && cargo build --profile bench --bin statecraft >&2)
    bin="${CARGO_TARGET_DIR:-$repo/target}/release/statecraft"
fi
workloads="$repo/tests/fixtures/bench-workloads"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "| workload | transitions per run | instructions per run | instructions per transition |"
echo "|---|---:|---:|---:|"
for name in ${names//,/ }; do
    valgrind --tool=callgrind --callgrind-out-file="$out/$name.cg" --toggle-collect='*run_workload_with*' \
        "$bin" bench --child "$name" --workloads "$workloads" > "$out/$name.json" 2> "$out/$name.log"
    python3 - "$out/$name.json" "$out/$name.log" "$name" <<'PY'
import json, re, sys
child = json.load(open(sys.argv[1]))
runs = len(child["runs"])
transitions = child["runs"][0]["transitions"]
collected = int(re.search(r"Collected : (\d+)", open(sys.argv[2]).read()).group(1))
per_run = collected / runs
print(f"| {sys.argv[3]} | {transitions:,} | {per_run:,.0f} | {per_run / transitions:,.0f} |")
PY
done
