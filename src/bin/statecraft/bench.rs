//! `statecraft bench`: runs the performance workloads of `asl::bench` natively, each in fresh
//! child processes (so peak RSS is per workload), verifies every output and prints
//! transitions/s, wall time and peak RSS. The wall clock lives here, never in `asl`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::{Value, json};
use statecraft::asl::bench::{WORKLOADS, WorkloadSpec, compile, run_workload_with, workload};

/// Peak resident set size of this process, in KiB (`VmHWM`).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 { xs[m] } else { (xs[m - 1] + xs[m]) / 2.0 }
}

/// One measuring process: validate + compile, then `inner` runs (the first cold), each verified
/// after its clock stopped. Prints one JSON line.
fn child(spec: &WorkloadSpec, dir: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(dir.join(spec.file)).map_err(|e| format!("{}: {e}", spec.file))?;
    let t = Instant::now();
    let report = statecraft::asl::validate::validate_text(&text);
    let program = compile(&text).map_err(|e| e.to_string())?;
    let construct_ms = t.elapsed().as_secs_f64() * 1e3;
    if report.has_errors() {
        return Err(format!("{} does not validate", spec.file));
    }
    // The harness reads no history; STATECRAFT_BENCH_KEEP_HISTORY=1 keeps them anyway, as a
    // caller that shows them would.
    let keep_history = std::env::var_os("STATECRAFT_BENCH_KEEP_HISTORY").is_some_and(|v| v == "1");
    let mut runs = Vec::new();
    for _ in 0..spec.inner {
        let inputs = spec.shared_inputs();
        let t = Instant::now();
        let run = run_workload_with(spec, &program, inputs, keep_history);
        let wall_ms = t.elapsed().as_secs_f64() * 1e3;
        spec.verify(&run).map_err(|e| format!("{}: {e}", spec.name))?;
        runs.push(json!({"wallMs": wall_ms, "transitions": run.transitions}));
    }
    Ok(json!({"name": spec.name, "constructMs": construct_ms, "runs": runs, "peakRssKb": peak_rss_kib()}))
}

/// `statecraft bench [--only a,b] [--reps N] [--workloads DIR] [--json]`, or `--child NAME`.
pub fn bench(dir: &Path, only: Option<&str>, reps: usize, json_out: bool, child_name: Option<&str>) -> ExitCode {
    if let Some(name) = child_name {
        let Some(spec) = workload(name) else {
            eprintln!("unknown workload {name}");
            return ExitCode::from(2);
        };
        return match child(spec, dir) {
            Ok(v) => {
                println!("{v}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        };
    }
    let names: Vec<&str> = match only {
        Some(list) => list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect(),
        None => WORKLOADS.iter().map(|w| w.name).collect(),
    };
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot find this executable: {e}");
            return ExitCode::from(2);
        }
    };
    let mut rows = Vec::new();
    for name in names {
        let Some(spec) = workload(name) else {
            eprintln!("unknown workload {name}");
            return ExitCode::from(2);
        };
        let mut samples = Vec::new();
        for rep in 0..reps.max(1) {
            let out = std::process::Command::new(&exe)
                .args(["bench", "--child", name, "--workloads"])
                .arg(dir)
                .output();
            let sample: Value = match out {
                Ok(o) if o.status.success() => match serde_json::from_slice(&o.stdout) {
                    Ok(v) => v,
                    Err(e) => {
                        eprintln!("{name}: unreadable child output: {e}");
                        return ExitCode::from(1);
                    }
                },
                Ok(o) => {
                    eprintln!("{name}: FAILED: {}", String::from_utf8_lossy(&o.stderr));
                    return ExitCode::from(1);
                }
                Err(e) => {
                    eprintln!("{name}: cannot start a child: {e}");
                    return ExitCode::from(2);
                }
            };
            let walls: Vec<String> = sample["runs"].as_array().into_iter().flatten().map(|r| format!("{:.2}", r["wallMs"].as_f64().unwrap_or(0.0))).collect();
            eprintln!("{name} rep {}: wall ms [{}], peak RSS {:.1} MiB", rep + 1, walls.join(", "), sample["peakRssKb"].as_f64().unwrap_or(0.0) / 1024.0);
            samples.push(sample);
        }
        let wall = |s: &Value, i: usize| s["runs"][i]["wallMs"].as_f64();
        let cold = median(samples.iter().filter_map(|s| wall(s, 0)).collect());
        let warm = median(samples.iter().flat_map(|s| (1..spec.inner).filter_map(move |i| wall(s, i))).collect());
        let rss_mib = median(samples.iter().filter_map(|s| s["peakRssKb"].as_f64()).collect()) / 1024.0;
        let construct = median(samples.iter().filter_map(|s| s["constructMs"].as_f64()).collect());
        rows.push(json!({
            "name": name, "executions": spec.executions, "transitions": spec.transitions,
            "coldWallMs": cold, "warmWallMs": warm,
            "coldTransitionsPerSec": spec.transitions as f64 / (cold / 1e3),
            "warmTransitionsPerSec": spec.transitions as f64 / (warm / 1e3),
            "peakRssMiB": rss_mib, "constructMs": construct, "verified": true,
        }));
    }
    if json_out {
        println!("{}", serde_json::to_string_pretty(&json!({"workloads": rows})).unwrap_or_default());
    } else {
        println!("statecraft {} (native), median of {} fresh processes; every output verified", env!("CARGO_PKG_VERSION"), reps.max(1));
        println!();
        println!("| workload | execs | transitions | cold wall ms | warm wall ms | warm transitions/s | peak RSS MiB | validate+compile ms |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        for r in &rows {
            println!(
                "| {} | {} | {} | {:.2} | {:.2} | {:.0} | {:.1} | {:.3} |",
                r["name"].as_str().unwrap_or(""), r["executions"], r["transitions"],
                r["coldWallMs"].as_f64().unwrap_or(f64::NAN), r["warmWallMs"].as_f64().unwrap_or(f64::NAN),
                r["warmTransitionsPerSec"].as_f64().unwrap_or(f64::NAN), r["peakRssMiB"].as_f64().unwrap_or(f64::NAN),
                r["constructMs"].as_f64().unwrap_or(f64::NAN),
            );
        }
    }
    ExitCode::SUCCESS
}
