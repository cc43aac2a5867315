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
    /// Check that each FILE is a readable ASL definition; print located diagnostics.
    Validate {
        /// ASL definition files (JSON).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// Print the seed's order workflow definition.
    Seed,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { files } => validate(&files),
        Command::Seed => {
            print!("{}", statecraft::seed::ORDER_WORKFLOW);
            ExitCode::SUCCESS
        }
    }
}

/// Exit 0 when every file is valid, 1 when one has errors, 2 when one cannot be read.
fn validate(files: &[std::path::PathBuf]) -> ExitCode {
    let mut code = 0u8;
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: cannot read: {e}", file.display());
                code = 2;
                continue;
            }
        };
        if let Err(e) = statecraft::asl::json::parse(&text) {
            println!("{}:{}:{}: error[JSON]: {} ()", file.display(), e.line, e.column, e.message);
            code = code.max(1);
        }
    }
    ExitCode::from(code)
}
