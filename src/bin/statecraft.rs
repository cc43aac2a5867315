//! The native command-line tool: the same engine as the web app, for terminals and CI.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "statecraft", version, about = "Design, validate and simulate AWS Step Functions state machines")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate each ASL definition FILE; print located diagnostics. Exit 0: valid, 1: errors, 2: unreadable.
    Validate {
        /// ASL definition files (JSON).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Print the seed's order workflow definition.
    Seed,
}

/// How `validate` prints its diagnostics.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    /// `file:line:col: error[CODE]: message (pointer)`, one per line.
    Text,
    /// One JSON array of `{file, diagnostics}` (or `{file, error}` when unreadable).
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { files, format } => validate(&files, format),
        Command::Seed => {
            print!("{}", statecraft::seed::ORDER_WORKFLOW);
            ExitCode::SUCCESS
        }
    }
}

/// Exit 0 when every file is valid, 1 when one has errors, 2 when one cannot be read.
fn validate(files: &[std::path::PathBuf], format: OutputFormat) -> ExitCode {
    let mut code = 0u8;
    let mut json_out = Vec::new();
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: cannot read: {e}", file.display());
                json_out.push(serde_json::json!({"file": file.display().to_string(), "error": e.to_string()}));
                code = 2;
                continue;
            }
        };
        let report = statecraft::asl::validate::validate_text(&text);
        if report.has_errors() {
            code = code.max(1);
        }
        match format {
            OutputFormat::Text => {
                for d in &report.diagnostics {
                    let (line, column) = d.position.map_or((1, 1), |p| (p.line, p.column));
                    let pointer = if d.pointer.is_empty() { "root" } else { d.pointer.as_str() };
                    println!("{}:{line}:{column}: {}[{}]: {} ({pointer})", file.display(), d.severity, d.code, d.message);
                }
            }
            OutputFormat::Json => json_out.push(serde_json::json!({
                "file": file.display().to_string(),
                "valid": !report.has_errors(),
                "diagnostics": report.diagnostics,
            })),
        }
    }
    if format == OutputFormat::Json {
        println!("{}", serde_json::to_string_pretty(&json_out).unwrap_or_default());
    }
    ExitCode::from(code)
}
