// The performance workloads through the engine compiled to WebAssembly (the page's worker's
// engine: src/bin/statecraft-bench-wasm.rs, bound by wasm-bindgen's nodejs target), measured as
// `statecraft bench` measures the native one: each workload in fresh Node processes, validate +
// compile once, `inner` runs back to back (the first cold), every output verified after the clock
// stopped, peak RSS per process. Prints the same JSON as `statecraft bench --json`, or a table.
//
// Usage (scripts/bench-peer.sh --wasm builds the package and runs this beside the peer):
//   node scripts/bench-wasm.mjs --pkg DIR [--workloads DIR] [--reps N] [--only a,b] [--json]
//   node scripts/bench-wasm.mjs --pkg DIR --child NAME --workloads DIR   (one measuring process)
//   DIR: wasm-bindgen --target nodejs output holding statecraft-bench-wasm.js
//
// Timing is the JS clock (performance.now) around `Workload.run` only; the wasm has no clock.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ['loop_counter', 'map_10k', 'order_workflow', 'wait_heavy', 'parallel_fanout', 'chain_500', 'choice_200'];
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const pkg = arg('--pkg', null);
const workloads = resolve(arg('--workloads', join(here, '..', 'tests', 'fixtures', 'bench-workloads')));
if (!pkg) {
  console.error('--pkg DIR is required (the wasm-bindgen nodejs output; scripts/bench-peer.sh --wasm builds it)');
  process.exit(2);
}

function child(name) {
  const { Workload } = createRequire(import.meta.url)(join(resolve(pkg), 'statecraft-bench-wasm.js'));
  const definition = readFileSync(join(workloads, `${name}.json`), 'utf8');
  let t = performance.now();
  const workload = new Workload(name, definition);
  const constructMs = performance.now() - t;
  const runs = [];
  for (let i = 0; i < workload.inner(); i++) {
    workload.prepare();
    const cpu = process.cpuUsage();
    t = performance.now();
    const transitions = workload.run();
    const wallMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    workload.verify(); // throws on a wrong output, after the clock stopped
    // CPU ms (user + system, as the peer harness reports): steadier than wall time under load.
    runs.push({ wallMs, cpuMs: (used.user + used.system) / 1e3, transitions });
  }
  // maxRSS is in KiB (getrusage), as the native child's VmHWM.
  return { name, constructMs, runs, peakRssKb: process.resourceUsage().maxRSS };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const childName = arg('--child', null);
if (childName) {
  console.log(JSON.stringify(child(childName)));
  process.exit(0);
}

const reps = Math.max(1, Number(arg('--reps', '3')));
const names = (arg('--only', null) ?? ALL.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
const rows = [];
for (const name of names) {
  const samples = [];
  for (let rep = 0; rep < reps; rep++) {
    const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--pkg', pkg, '--workloads', workloads, '--child', name], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (out.status !== 0) {
      console.error(`${name}: FAILED: ${out.stderr}`);
      process.exit(1);
    }
    const sample = JSON.parse(out.stdout);
    console.error(`${name} rep ${rep + 1}: wall ms [${sample.runs.map((r) => r.wallMs.toFixed(2)).join(', ')}], cpu ms [${sample.runs.map((r) => r.cpuMs.toFixed(1)).join(', ')}], peak RSS ${(sample.peakRssKb / 1024).toFixed(1)} MiB`);
    samples.push(sample);
  }
  const transitions = samples[0].runs[0].transitions;
  const cold = median(samples.map((s) => s.runs[0].wallMs));
  const warm = median(samples.flatMap((s) => s.runs.slice(1).map((r) => r.wallMs)));
  rows.push({
    name,
    transitions,
    coldWallMs: cold,
    warmWallMs: warm,
    coldTransitionsPerSec: transitions / (cold / 1e3),
    warmTransitionsPerSec: transitions / (warm / 1e3),
    warmCpuMs: median(samples.flatMap((s) => s.runs.slice(1).map((r) => r.cpuMs))),
    peakRssMiB: median(samples.map((s) => s.peakRssKb)) / 1024,
    constructMs: median(samples.map((s) => s.constructMs)),
    verified: true,
  });
}
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ workloads: rows, node: process.version }, null, 2));
} else {
  console.log(`statecraft (wasm, Node ${process.version}), median of ${reps} fresh processes; every output verified\n`);
  console.log('| workload | transitions | cold wall ms | warm wall ms | warm transitions/s | peak RSS MiB | validate+compile ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.transitions} | ${r.coldWallMs.toFixed(2)} | ${r.warmWallMs.toFixed(2)} | ${r.warmTransitionsPerSec.toFixed(0)} | ${r.peakRssMiB.toFixed(1)} | ${r.constructMs.toFixed(3)} |`);
  }
}
