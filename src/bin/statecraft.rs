//! The native command-line tool: the same engine as the web app, for terminals and CI.

use clap::{Parser, Subcommand};
use statecraft::export::{terminal_safe, terminal_safe_line};
use statecraft::formats::terraform::ValueFile;
use std::process::ExitCode;

// Every message below goes through `terminal_safe` (or `_line`): file names, state names and
// inputs may hold ESC, BEL, NUL or bidi overrides, which must be shown, not obeyed.

// The wasm build of this binary (cargo builds it for `cargo test --target wasm32-unknown-unknown`)
// keeps Rust's allocator: mimalloc is a native-only dependency.
#[cfg(not(target_arch = "wasm32"))]
mod allocator {
    /// mimalloc: the interpreter allocates and frees many small JSON values per state, which glibc's
    /// malloc serves several times slower.
    ///
    /// Wrapped in `Metered`, which counts what each JSONata evaluation holds so that a runaway
    /// expression fails with its memory budget named instead of exhausting the machine.
    #[global_allocator]
    static GLOBAL: statecraft::asl::jsonata::Metered<Mimalloc> = statecraft::asl::jsonata::Metered(Mimalloc);

    /// mimalloc through its plain entry points. Its blocks are multiples of 8 bytes in 8-aligned
    /// pages, so an alignment up to 8 needs `mi_malloc` only; `mi_malloc_aligned` (what the
    /// `mimalloc` crate calls for everything) leaves its fast path for sizes such as hashbrown's
    /// 52- or 88-byte tables aligned to 16 and over-allocates them. Those are rounded up to a multiple
    /// of 16, which mimalloc's size classes serve 16-aligned; the result is checked all the same.
    struct Mimalloc;

    /// Allocates `layout` with `plain` (`mi_malloc`, `mi_zalloc`) when its block is aligned enough,
    /// else with `aligned` (`mi_malloc_aligned`, `mi_zalloc_aligned`).
    ///
    /// # Safety
    /// `layout` has a non-zero size, as `GlobalAlloc::alloc` requires.
    #[inline]
    unsafe fn mi_allocate(
        layout: std::alloc::Layout,
        plain: unsafe extern "C" fn(usize) -> *mut std::ffi::c_void,
        aligned: unsafe extern "C" fn(usize, usize) -> *mut std::ffi::c_void,
    ) -> *mut u8 {
        let align = layout.align();
        // SAFETY: plain calls into mimalloc; a misaligned block is freed before anyone sees it.
        unsafe {
            // Up to 8, every mimalloc block is aligned enough (as `realloc` below relies on too):
            // no rounding and no check. Most allocations take this branch, so it is kept to a
            // compare (`next_multiple_of` with an alignment known only at run time divides).
            if align <= 8 {
                return plain(layout.size()) as *mut u8;
            }
            if align == 16 {
                // A power of two: round up with a mask. A size within `isize::MAX` (what a
                // `Layout` holds) plus 15 cannot overflow a usize.
                let p = plain((layout.size() + 15) & !15) as *mut u8;
                if p as usize & 15 == 0 {
                    return p;
                }
                libmimalloc_sys::mi_free(p.cast());
            }
            aligned(layout.size(), align) as *mut u8
        }
    }

    // SAFETY: every pointer returned is null or a live mimalloc block of at least `size` bytes whose
    // alignment is checked against the layout's (or comes from mimalloc's aligned entry points), and
    // every block is freed or resized by mimalloc, which needs no size.
    unsafe impl std::alloc::GlobalAlloc for Mimalloc {
        #[inline]
        unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
            // SAFETY: the caller passes a non-zero size.
            unsafe { mi_allocate(layout, libmimalloc_sys::mi_malloc, libmimalloc_sys::mi_malloc_aligned) }
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
            // SAFETY: as in `alloc`.
            unsafe { mi_allocate(layout, libmimalloc_sys::mi_zalloc, libmimalloc_sys::mi_zalloc_aligned) }
        }

        #[inline]
        unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
            // SAFETY: `ptr` came from this allocator, so from mimalloc.
            unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
        }

        #[inline]
        unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
            use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
            // SAFETY: `ptr` came from this allocator; up to 8, every mimalloc block is aligned enough.
            unsafe {
                if layout.align() <= 8 {
                    mi_realloc(ptr.cast(), new_size) as *mut u8
                } else {
                    mi_realloc_aligned(ptr.cast(), new_size, layout.align()) as *mut u8
                }
            }
        }
    }
}

#[path = "statecraft/bench.rs"]
mod bench;

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
        /// ASL definition files (JSON or YAML), or the SAM/CloudFormation/CDK templates and
        /// Terraform files holding state machines (each machine is validated).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// The state machine's type, standard or express (EXPRESS refuses `.sync`,
        /// `.waitForTaskToken` and activities).
        #[arg(long = "type", default_value = "standard")]
        machine_type: String,
        #[command(flatten)]
        vars: TerraformVars,
    },
    /// Print the seed's order workflow definition.
    Seed,
    /// Run DEF on an input with simulated handlers and a virtual clock. Exit 0: succeeded (the
    /// output on stdout), 1: failed or timed out (`{"error", "cause"}` on stdout), 2: usage error
    /// or invalid definition.
    Run {
        /// The ASL definition file (JSON or YAML), or a SAM/CloudFormation/CDK template or
        /// Terraform file holding the state machine (placeholders with literal values run as them).
        definition: std::path::PathBuf,
        /// The state machine of a template holding several (its logical id or name).
        #[arg(long)]
        machine: Option<String>,
        #[command(flatten)]
        vars: TerraformVars,
        /// The input: JSON text, or @FILE.
        #[arg(long, default_value = "{}")]
        input: String,
        /// Seed of the execution's random numbers.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Start time of the virtual clock (RFC 3339).
        #[arg(long)]
        start_time: Option<String>,
        /// standard or express.
        #[arg(long = "type", default_value = "standard")]
        execution_type: String,
        /// Print the execution history on stderr.
        #[arg(long)]
        history: bool,
        /// A Step Functions Local mock configuration file (MockConfigFile.json).
        #[arg(long, requires = "test_case")]
        mocks: Option<std::path::PathBuf>,
        /// The test case of --mocks to run.
        #[arg(long, requires = "mocks")]
        test_case: Option<String>,
        /// The state machine of --mocks whose test case to run (needed when several have one by that name).
        #[arg(long, requires = "mocks")]
        state_machine: Option<String>,
        #[command(flatten)]
        seeds: SeedArgs,
        /// Print what the stores hold at the end on stderr, as JSON ({"stores": {buckets, tables,
        /// queues, topics}}).
        #[arg(long)]
        print_stores: bool,
        /// What a Task's service answers, by state name or resource ARN: TARGET=default, =echo,
        /// =static:JSON, =throw:ERROR[:CAUSE], =fail:N[:ERROR], =timeout, =latency:MS,
        /// =jsonata:EXPRESSION, =callback, =callback:JSON (a .waitForTaskToken task answered with this output). Repeatable; over --answers.
        #[arg(long = "answer", value_name = "TARGET=ANSWER")]
        answer: Vec<String>,
        /// An answers file, as the page's "Download answers" writes it.
        #[arg(long, value_name = "FILE.json")]
        answers: Option<std::path::PathBuf>,
        /// Steps one JSONata evaluation may take before it fails with States.QueryEvaluationError.
        #[arg(long, default_value_t = statecraft::asl::jsonata::Limits::DEFAULT.max_steps)]
        max_steps: u64,
        /// Memory one JSONata evaluation may hold (65536, 512KiB, 256MiB, 1GiB) before it fails
        /// with States.QueryEvaluationError.
        #[arg(long, default_value = "256MiB", value_parser = statecraft::asl::jsonata::budget::parse_bytes)]
        max_memory: usize,
    },
    /// Write the ASL JSON, deploy.sh, run.sh, logs.sh, cleanup.sh and the CloudFormation and SAM
    /// templates of DEF (default: the seed's order workflow) into OUT. Exit 0: written, 2: error.
    Export {
        /// The ASL definition file (JSON or YAML), or a SAM/CloudFormation/CDK template or
        /// Terraform file holding the state machine; the seed's workflow when absent.
        definition: Option<std::path::PathBuf>,
        /// The state machine of a template holding several (its logical id or name).
        #[arg(long)]
        machine: Option<String>,
        #[command(flatten)]
        vars: TerraformVars,
        /// The directory to write into (created if missing).
        #[arg(long, default_value = "export")]
        out: std::path::PathBuf,
        /// The state machine's name (default: the definition file's name; the seed's own
        /// without a file).
        #[arg(long)]
        name: Option<String>,
        /// The region to deploy to.
        #[arg(long, default_value = "eu-west-3")]
        region: String,
        /// Write this account id into the exported definition's ARNs (default: keep placeholders).
        #[arg(long)]
        account_id: Option<String>,
        /// standard or express.
        #[arg(long = "type", default_value = "standard")]
        workflow_type: String,
        /// off, error, fatal or all.
        #[arg(long, default_value = "off")]
        log_level: String,
        /// The state machine's log group (default: /aws/vendedlogs/states/NAME-Logs).
        #[arg(long)]
        log_group: Option<String>,
        /// Turn X-Ray tracing on.
        #[arg(long)]
        tracing: bool,
        /// Add an alarm on failed executions, e-mailed to this address.
        #[arg(long)]
        alarm_email: Option<String>,
        /// A JSON file of scenarios `[{"name": "...", "input": {...}}]` for run.sh (default: the seed's three tests).
        #[arg(long)]
        scenarios: Option<std::path::PathBuf>,
        /// A suite file (`statecraft generate-suite`): also write it, its scenarios as Step
        /// Functions Local test cases (MockConfigFile.json) and a GitHub Actions workflow that runs it.
        #[arg(long)]
        suite: Option<std::path::PathBuf>,
        /// The git repository the CI workflow installs the statecraft CLI from.
        #[arg(long, default_value = "https://github.com/YOUR-ORG/statecraft")]
        cli_repository: String,
    },
    /// Run the performance workloads (the peer's bench files), each in fresh processes; verify
    /// every output; print transitions/s, wall time and peak RSS per workload.
    Bench {
        /// The directory of workload definitions.
        #[arg(long, default_value = "tests/fixtures/bench-workloads")]
        workloads: std::path::PathBuf,
        /// Comma-separated workload names (default: all).
        #[arg(long)]
        only: Option<String>,
        /// Fresh processes per workload.
        #[arg(long, default_value_t = 3)]
        reps: usize,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// Internal: measure one workload in this process.
        #[arg(long, hide = true)]
        child: Option<String>,
    },
    /// Test one state as AWS's TestState API does, offline. REQUEST is the API's request body
    /// (`definition` and `input` as JSON text, `inspectionLevel`, `mock`, `variables`, `context`,
    /// `stateConfiguration`, `stateName` ...), or `-` for stdin; prints the body AWS answers.
    /// Exit 0: answered (any status), 2: unreadable or invalid request.
    TestState {
        /// The request body's file, or `-`.
        request: std::path::PathBuf,
    },
    /// Run the scenarios of SUITE (a suite file) on DEF (default: the definition the suite names,
    /// relative to it); print a line per scenario, the coverage and `suite: N of M scenarios pass`.
    /// Exit 0: every scenario passes, 1: one fails, 2: unreadable or invalid suite or definition.
    Test {
        /// The suite file (JSON, `statecraft generate-suite` writes one).
        suite: std::path::PathBuf,
        /// The ASL definition file (JSON).
        definition: Option<std::path::PathBuf>,
        /// Also write the results as JUnit XML to FILE.
        #[arg(long)]
        junit: Option<std::path::PathBuf>,
        #[command(flatten)]
        seeds: SeedArgs,
    },
    /// Generate a suite for DEF: scenarios that together reach every state and edge (each Choice
    /// rule and Default, each Catch, each Retry followed by success and by exhaustion, timeouts,
    /// Map and Parallel failures), each with the outcome it gives today as its expectation. The
    /// suite goes to stdout (or --out FILE); coverage and unreachable edges go to stderr.
    GenerateSuite {
        /// The ASL definition file (JSON).
        definition: std::path::PathBuf,
        /// Write the suite to FILE instead of stdout.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Executions the search may run.
        #[arg(long, default_value_t = statecraft::sim::suite::generate::Options::default().max_runs)]
        max_runs: usize,
        #[command(flatten)]
        seeds: SeedArgs,
    },
    /// Run the conformance cases of DIR; print each failing case and `AWS-recorded cases: N of M match`.
    Conformance {
        /// A directory of case files.
        dir: std::path::PathBuf,
        /// Also run cases tagged jsonata or variables.
        #[arg(long)]
        all: bool,
    },
}

/// What every run starts with in its simulated stores (`run`, `test`, `generate-suite`): one
/// help text for the three.
#[derive(clap::Args)]
struct SeedArgs {
    /// S3 objects each run starts with, a JSON file: {"bucket": {"key": body}}, a body being
    /// the object's text, or any other JSON value stored as its JSON text.
    #[arg(long, value_name = "FILE.json")]
    s3: Option<std::path::PathBuf>,
    /// The stores each run starts with, a JSON file: {"buckets": {BUCKET: {KEY: body}},
    /// "tables": {TABLE: [item]}, "queues": {URL: [message]}, "topics": {ARN:
    /// {"subscriptions": [endpoint]}}} (the page's Stores tab saves the same).
    #[arg(long, value_name = "FILE.json")]
    stores: Option<std::path::PathBuf>,
}

/// The values a Terraform file's variables take from the command line, as `terraform plan`
/// takes them (`validate`, `run`, `export`).
#[derive(clap::Args, Default)]
struct TerraformVars {
    /// A Terraform variable definitions file (HCL, or JSON when named *.json), applied after
    /// the folder's terraform.tfvars and *.auto.tfvars; repeatable, a later one winning. Named,
    /// the folder's other .tfvars are not read.
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<std::path::PathBuf>,
    /// A Terraform variable's value, NAME=VALUE (a number, true/false, an HCL {object} or
    /// [tuple], else the text as typed); repeatable, applied after every --var-file.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
}

impl TerraformVars {
    /// The files and `--var`s, read, in the order they apply; or why one cannot be.
    fn read(&self) -> Result<Option<Vec<statecraft::formats::terraform::ValueFile>>, String> {
        if self.var_files.is_empty() && self.vars.is_empty() {
            return Ok(None);
        }
        let mut out = Vec::new();
        for path in &self.var_files {
            out.push(statecraft::formats::terraform::ValueFile { file_name: path.display().to_string(), text: read_text(path)? });
        }
        for var in &self.vars {
            out.push(statecraft::formats::terraform::var_argument(var).map_err(|e| e.to_string())?);
        }
        Ok(Some(out))
    }
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
    // A reader that stops early (`statecraft validate *.json | head`) closes the pipe: like other
    // command-line tools, end quietly on SIGPIPE rather than panic in `println!` (Rust ignores
    // the signal by default, turning every later write into an error).
    #[cfg(unix)]
    // SAFETY: restoring a signal's default disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // clap's own messages quote the arguments given: they go through `terminal_safe` too
    // (rendered without colour).
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            if e.use_stderr() {
                eprint!("{}", terminal_safe(&text));
            } else {
                print!("{}", terminal_safe(&text));
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli.command {
        Command::Validate { files, format, machine_type, vars } => match (execution_type(&machine_type), vars.read()) {
            (_, Err(e)) => {
                eprintln!("{}", terminal_safe_line(&e));
                ExitCode::from(2)
            }
            (Some(t), Ok(vars)) => validate(&files, format, t, vars.as_deref()),
            (None, Ok(_)) => {
                eprintln!("--type must be standard or express, not {machine_type}");
                ExitCode::from(2)
            }
        },
        Command::Run { definition, machine, vars, input, seed, start_time, execution_type, history, mocks, test_case, state_machine, seeds, print_stores, answer, answers, max_steps, max_memory } => {
            let mocks = mocks.map(|file| (file, test_case.unwrap_or_default(), state_machine));
            let jsonata = statecraft::asl::jsonata::Limits { max_steps, max_memory };
            let vars = match vars.read() {
                Ok(vars) => vars,
                Err(e) => {
                    eprintln!("{}", terminal_safe_line(&e));
                    return ExitCode::from(2);
                }
            };
            run((&definition, machine.as_deref(), vars.as_deref()), &input, seed, start_time, &execution_type, history, mocks, &seeds, print_stores, (answers, answer), jsonata)
        }
        Command::Conformance { dir, all } => conformance(&dir, all),
        Command::TestState { request } => test_state(&request),
        Command::Test { suite, definition, junit, seeds } => test_suite(&suite, definition.as_deref(), junit.as_deref(), &seeds),
        Command::GenerateSuite { definition, out, max_runs, seeds } => generate_suite(&definition, out.as_deref(), max_runs, &seeds),
        Command::Bench { workloads, only, reps, json, child } => {
            bench::bench(&workloads, only.as_deref(), reps, json, child.as_deref())
        }
        Command::Export {
            definition, machine, vars, out, name, region, account_id, workflow_type, log_level, log_group, tracing, alarm_email, scenarios, suite, cli_repository,
        } => {
            // A template's machine: its runnable definition, named after its resource.
            let loaded = vars.read().and_then(|vars| definition.as_deref().map(|path| load_machine(path, machine.as_deref(), vars.as_deref())).transpose());
            let loaded = match loaded {
                Ok(loaded) => loaded.flatten(),
                Err(e) => {
                    eprintln!("{}", terminal_safe(&e));
                    return ExitCode::from(2);
                }
            };
            let name = name
                .or_else(|| loaded.as_ref().map(|l| l.name.clone()))
                .unwrap_or_else(|| statecraft::export::command::default_name(definition.as_deref()));
            let request = statecraft::export::command::ExportRequest {
                name, region, account_id, workflow_type, log_level, log_group, tracing, alarm_email,
            };
            let template = loaded.map(|l| l.runnable);
            export((definition.as_deref(), template), &out, &request, scenarios.as_deref(), suite.as_deref().map(|s| (s, cli_repository.as_str())))
        }
        Command::Seed => {
            print!("{}", statecraft::seed::ORDER_WORKFLOW);
            ExitCode::SUCCESS
        }
    }
}

/// Exit 0 when every file is valid, 1 when one has errors, 2 when one cannot be read.
/// `standard` or `express`, either case.
fn execution_type(text: &str) -> Option<statecraft::asl::model::ExecutionType> {
    use statecraft::asl::model::ExecutionType;
    match text {
        "standard" | "STANDARD" => Some(ExecutionType::Standard),
        "express" | "EXPRESS" => Some(ExecutionType::Express),
        _ => None,
    }
}

/// The state machine of a template (`None` for a bare ASL JSON file, read as it is): the file
/// opened through `formats::load`, with a definition it names in another file read beside it.
fn load_machine(path: &std::path::Path, machine: Option<&str>, vars: Option<&[ValueFile]>) -> Result<Option<statecraft::formats::load::Loaded>, String> {
    let text = read_text(path)?;
    let name = path.display().to_string();
    if matches!(statecraft::formats::detect::detect(&name, &text), Ok(statecraft::formats::Format::AslJson) | Err(_)) && machine.is_none() && !templated(&text) {
        return Ok(None);
    }
    let machines = load_all(path, &text, vars)?;
    statecraft::formats::load::pick(&name, machines, machine).map(Some).map_err(|e| e.to_string())
}

/// Whether a definition file is a Terraform `templatefile` with placeholders outside its
/// strings (`"Seconds": ${wait}`): not JSON until substituted, read through `formats`.
fn templated(text: &str) -> bool {
    text.trim_start().starts_with('{') && statecraft::asl::json::read(text).is_err() && !statecraft::formats::placeholder::bare_spots(text).is_empty()
}

/// Every state machine of the file at `path` (its text `text`). A Terraform file takes the
/// values of its folder's other `.tf` files and `terraform.tfvars`/`*.auto.tfvars` (a lone other
/// `.tfvars` too, as `-var-file` would give it), then `vars` (`--var-file`, `--var`) when given
/// (then the folder's other `.tfvars` are not read).
fn load_all(path: &std::path::Path, text: &str, vars: Option<&[ValueFile]>) -> Result<Vec<statecraft::formats::load::Loaded>, String> {
    let dir = path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let read = |relative: &str| std::fs::read_to_string(dir.join(relative)).map_err(|e| e.to_string());
    let name = path.display().to_string();
    let mut module = Vec::new();
    if statecraft::formats::detect::detect(&name, text) == Ok(statecraft::formats::Format::Terraform) {
        let listed = std::fs::read_dir(if dir.as_os_str().is_empty() { std::path::Path::new(".") } else { dir.as_path() }).map_err(|e| format!("{name}: cannot list its folder: {e}"))?;
        let mut names: Vec<String> = listed
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".tf") || statecraft::formats::terraform::is_var_file(n))
            .collect();
        names.sort();
        let own = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let (chosen, note) = statecraft::formats::terraform::module_files_for(&own, &refs, vars.is_some());
        if let Some(note) = note {
            eprintln!("{}", terminal_safe_line(&format!("{name}: note: {note}")));
        }
        for file in chosen {
            let text = std::fs::read_to_string(dir.join(file)).map_err(|e| format!("{}: cannot read: {e}", dir.join(file).display()))?;
            module.push(ValueFile { file_name: file.to_string(), text });
        }
        module.extend(vars.unwrap_or_default().iter().cloned());
    }
    statecraft::formats::load::load_in_module(&name, text, &read, &module).map_err(|e| e.to_string())
}

fn validate(files: &[std::path::PathBuf], format: OutputFormat, machine_type: statecraft::asl::model::ExecutionType, vars: Option<&[ValueFile]>) -> ExitCode {
    let mut code = 0u8;
    let mut json_out = Vec::new();
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}", terminal_safe_line(&format!("{}: cannot read: {e}", file.display())));
                json_out.push(serde_json::json!({"file": file.display().to_string(), "error": e.to_string()}));
                code = 2;
                continue;
            }
        };
        // A template: each of its state machines, labelled `file#LogicalId`.
        let is_template = matches!(statecraft::formats::detect::detect(&file.display().to_string(), &text), Ok(f) if f != statecraft::formats::Format::AslJson) || templated(&text);
        let machines: Vec<(String, Vec<statecraft::asl::diag::Diagnostic>)> = if is_template {
            match load_all(file, &text, vars) {
                Ok(machines) => machines
                    .iter()
                    .map(|m| {
                        // Said in the file the definition is written in (a DefinitionUri's file, beside the template).
                        let written = if m.written_in == file.display().to_string() {
                            file.display().to_string()
                        } else {
                            file.parent().map_or_else(|| m.written_in.clone(), |dir| dir.join(&m.written_in).display().to_string())
                        };
                        let label = if m.from_template { format!("{written}#{}", m.id) } else { written };
                        (label, statecraft::formats::load::diagnostics(m, machine_type))
                    })
                    .collect(),
                Err(e) => {
                    eprintln!("{}", terminal_safe_line(&e));
                    json_out.push(serde_json::json!({"file": file.display().to_string(), "error": e}));
                    code = 2;
                    continue;
                }
            }
        } else {
            let mut report = statecraft::asl::validate::validate_text_as(&text, machine_type);
            // Each Task's request against its operation's input shape (warnings, on the field).
            report.diagnostics.extend(statecraft::catalogue::requests::request_diagnostics(&text, &statecraft::catalogue::Catalogue::built_in()));
            vec![(file.display().to_string(), report.diagnostics)]
        };
        for (label, diagnostics) in machines {
            let report = statecraft::asl::validate::Report { root: None, machine: None, diagnostics };
            let file = std::path::Path::new(&label);
            if report.has_errors() {
                code = code.max(1);
            }
            match format {
                OutputFormat::Text => {
                    for d in &report.diagnostics {
                        let (line, column) = d.position.map_or((1, 1), |p| (p.line, p.column));
                        let pointer = if d.pointer.is_empty() { "root" } else { d.pointer.as_str() };
                        println!(
                            "{}:{line}:{column}: {}[{}]: {} ({})",
                            terminal_safe_line(&file.display().to_string()),
                            d.severity,
                            d.code,
                            terminal_safe_line(&d.message),
                            terminal_safe_line(pointer)
                        );
                    }
                }
                OutputFormat::Json => json_out.push(serde_json::json!({
                    "file": file.display().to_string(),
                    "valid": !report.has_errors(),
                    "diagnostics": report.diagnostics,
                })),
            }
        }
    }
    if format == OutputFormat::Json {
        println!("{}", terminal_safe(&serde_json::to_string_pretty(&json_out).unwrap_or_default()));
    }
    ExitCode::from(code)
}

/// A file's text, or the words saying why it cannot be read.
fn read_text(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

/// The store seeds `run`, `test` and `generate-suite` start every execution from, read:
/// `--s3` (the objects file's text) and `--stores` (the stores file's name and text).
struct SeedFiles {
    s3: Option<String>,
    stores: Option<(String, String)>,
}

impl SeedFiles {
    fn read(SeedArgs { s3, stores }: &SeedArgs) -> Result<SeedFiles, String> {
        Ok(SeedFiles {
            s3: s3.as_deref().map(read_text).transpose()?,
            stores: stores.as_deref().map(|path| read_text(path).map(|text| (path.display().to_string(), text))).transpose()?,
        })
    }

    /// The stores file as (name, text).
    fn stores(&self) -> Option<(&str, &str)> {
        self.stores.as_ref().map(|(name, text)| (name.as_str(), text.as_str()))
    }
}

/// `statecraft run`: reads the files, the library does the rest.
fn run(
    (definition, machine, vars): (&std::path::Path, Option<&str>, Option<&[ValueFile]>),
    input: &str,
    seed: u64,
    start_time: Option<String>,
    execution_type: &str,
    history: bool,
    mocks: Option<(std::path::PathBuf, String, Option<String>)>,
    seeds: &SeedArgs,
    print_stores: bool,
    (answers_file, answer_flags): (Option<std::path::PathBuf>, Vec<String>),
    jsonata: statecraft::asl::jsonata::Limits,
) -> ExitCode {
    use statecraft::sim::command;
    let read = read_text;
    let texts = read(definition).and_then(|d| match input.strip_prefix('@') {
        Some(file) => read(std::path::Path::new(file)).map(|i| (d, i)),
        None => Ok((d, input.to_string())),
    });
    let (definition_text, input_text) = match texts {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}", terminal_safe(&e));
            return ExitCode::from(2);
        }
    };
    // A template's machine runs its definition with the literal substitutions in place.
    let definition_text = match load_machine(definition, machine, vars) {
        Ok(Some(loaded)) => loaded.runnable,
        Ok(None) => definition_text,
        Err(e) => {
            eprintln!("{}", terminal_safe(&e));
            return ExitCode::from(2);
        }
    };
    let Some(execution_type) = self::execution_type(execution_type) else {
        eprintln!("{}", terminal_safe(&format!("--type must be standard or express, not {execution_type}")));
        return ExitCode::from(2);
    };
    let mocks = match mocks {
        Some((file, test_case, state_machine)) => match read(&file) {
            Ok(text) => Some(command::MockSelection { text, test_case, state_machine }),
            Err(e) => {
                eprintln!("{}", terminal_safe(&e));
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let SeedFiles { s3, stores } = match SeedFiles::read(seeds) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{}", terminal_safe(&e));
            return ExitCode::from(2);
        }
    };
    let answers_text = match &answers_file {
        Some(file) => match read(file) {
            Ok(text) => Some(text),
            Err(e) => {
                eprintln!("{}", terminal_safe(&e));
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let answers = match statecraft::sim::answers::from_file_and_flags(answers_text.as_deref(), &answer_flags) {
        Ok(a) => a,
        Err(errors) => {
            let place = |e: &statecraft::sim::answers::AnswersError| match (&answers_file, e.line) {
                (Some(file), 1..) => format!("{}:{e}", file.display()),
                _ => e.to_string(),
            };
            eprintln!("{}", terminal_safe(&errors.iter().map(place).collect::<Vec<_>>().join("\n")));
            return ExitCode::from(2);
        }
    };
    let options = command::RunOptions { seed, start_time, execution_type, history, mocks, s3, jsonata, answers, stores, print_stores };
    let report = command::run_command(&definition_text, &input_text, &options);
    print!("{}", terminal_safe(&report.stdout));
    eprint!("{}", terminal_safe(&report.stderr));
    ExitCode::from(report.exit_code)
}

/// `statecraft test-state`: reads the request (a file or stdin), the library answers.
fn test_state(request: &std::path::Path) -> ExitCode {
    use std::io::Read;
    let (text, source) = if request.as_os_str() == "-" {
        let mut text = String::new();
        (std::io::stdin().read_to_string(&mut text).map(|_| text), "<stdin>".to_string())
    } else {
        (std::fs::read_to_string(request), request.display().to_string())
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{source}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let report = statecraft::sim::teststate::test_state_command(&text, &source);
    print!("{}", report.stdout);
    eprint!("{}", report.stderr);
    ExitCode::from(report.exit_code)
}

/// `statecraft test`: reads the suite and the definition (the one the suite names, beside it,
/// unless DEF is given), the library runs them; writes the JUnit file when asked.
fn test_suite(suite: &std::path::Path, definition: Option<&std::path::Path>, junit: Option<&std::path::Path>, seeds: &SeedArgs) -> ExitCode {
    let read = read_text;
    let seeds = match SeedFiles::read(seeds) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{}", terminal_safe_line(&e));
            return ExitCode::from(2);
        }
    };
    let suite_text = match read(suite) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}", terminal_safe_line(&e));
            return ExitCode::from(2);
        }
    };
    let definition_path = match definition {
        Some(p) => p.to_path_buf(),
        None => match statecraft::sim::suite::file::Suite::parse(&suite_text).ok().and_then(|s| s.definition) {
            Some(named) => suite.parent().unwrap_or(std::path::Path::new(".")).join(named),
            None => {
                eprintln!("{}", terminal_safe_line(&format!("{}: the suite names no definition: give DEF", suite.display())));
                return ExitCode::from(2);
            }
        },
    };
    let definition_text = match read(&definition_path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}", terminal_safe_line(&e));
            return ExitCode::from(2);
        }
    };
    let name = suite.file_stem().map(|s| s.to_string_lossy().trim_end_matches(".suite").to_string()).unwrap_or_default();
    let report = statecraft::sim::suite::command::test_command_with_stores(&suite_text, &name, &definition_text, seeds.s3.as_deref(), seeds.stores());
    print!("{}", terminal_safe(&report.stdout));
    eprint!("{}", terminal_safe(&report.stderr));
    if let (Some(path), Some(xml)) = (junit, &report.junit) {
        if let Err(e) = std::fs::write(path, xml) {
            eprintln!("{}", terminal_safe_line(&format!("{}: cannot write: {e}", path.display())));
            return ExitCode::from(2);
        }
    }
    ExitCode::from(report.exit_code)
}

/// `statecraft generate-suite`: reads DEF, the library generates, this prints or writes.
fn generate_suite(definition: &std::path::Path, out: Option<&std::path::Path>, max_runs: usize, seeds: &SeedArgs) -> ExitCode {
    let (text, seeds) = match (read_text(definition), SeedFiles::read(seeds)) {
        (Ok(t), Ok(seeds)) => (t, seeds),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{}", terminal_safe_line(&e));
            return ExitCode::from(2);
        }
    };
    // The suite names its definition relative to where the suite is written.
    let named = match out.and_then(|o| o.parent()) {
        Some(dir) => relative_to(definition, dir),
        None => definition.display().to_string(),
    };
    match statecraft::sim::suite::command::generate_command_with_stores(&text, Some(&named), max_runs, seeds.s3.as_deref(), seeds.stores()) {
        Ok((suite, summary)) => {
            eprint!("{}", terminal_safe(&summary));
            match out {
                Some(path) => {
                    if let Err(e) = std::fs::write(path, suite) {
                        eprintln!("{}", terminal_safe_line(&format!("{}: cannot write: {e}", path.display())));
                        return ExitCode::from(2);
                    }
                }
                None => print!("{}", terminal_safe(&suite)),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", terminal_safe_line(&format!("{}: {e}", definition.display())));
            ExitCode::from(2)
        }
    }
}

/// `path` as seen from `dir` when it lies under it, else as given (made absolute when possible).
fn relative_to(path: &std::path::Path, dir: &std::path::Path) -> String {
    let absolute = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (file, base) = (absolute(path), absolute(if dir.as_os_str().is_empty() { std::path::Path::new(".") } else { dir }));
    file.strip_prefix(&base).map(|p| p.display().to_string()).unwrap_or_else(|_| file.display().to_string())
}

/// `statecraft conformance`: exit 0 when every case passed.
fn conformance(dir: &std::path::Path, all: bool) -> ExitCode {
    use statecraft::asl::conformance::{report, run_dir_with};
    let include = |tags: &[String]| all || !tags.iter().any(|t| t == "jsonata" || t == "variables");
    // Cases whose Tasks start child machines (`machines`) run them through the nested handler.
    match run_dir_with(dir, include, &statecraft::handlers::case_declarations) {
        Ok(results) => {
            print!("{}", terminal_safe(&report(&results)));
            if results.iter().all(|r| r.failure.is_none()) { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
        Err(e) => {
            eprintln!("{}", terminal_safe(&format!("{}: {e}", dir.display())));
            ExitCode::from(2)
        }
    }
}

/// `statecraft export`: reads the files, the library generates, this writes them.
fn export(
    (definition, template): (Option<&std::path::Path>, Option<String>),
    out: &std::path::Path,
    request: &statecraft::export::command::ExportRequest,
    scenarios: Option<&std::path::Path>,
    suite: Option<(&std::path::Path, &str)>,
) -> ExitCode {
    let read = read_text;
    let definition_text = match template {
        Some(text) => Ok(text),
        None => definition.map_or_else(|| Ok(statecraft::seed::ORDER_WORKFLOW.to_string()), read),
    };
    let result = definition_text
        .clone()
        .and_then(|text| Ok((text, scenarios.map(read).transpose()?)))
        .and_then(|(text, scenarios)| statecraft::export::command::export_command_with_warnings(&text, request, scenarios.as_deref()));
    // The suite's files: the suite, its Step Functions Local test cases, the CI workflow.
    let result = match (result, suite) {
        (Ok((mut files, warnings)), Some((path, repository))) => {
            let suite = read(path).and_then(|text| {
                statecraft::sim::suite::file::Suite::parse(&text)
                    .map_err(|errors| errors.iter().map(|e| format!("{}:{e}", path.display())).collect::<Vec<_>>().join("\n"))
            });
            match suite.and_then(|suite| {
                let definition = definition_text.clone()?;
                statecraft::sim::suite::export::suite_files(&definition, &suite.scenarios, &request.name, repository).map_err(|e| e.to_string())
            }) {
                Ok((suite_files, notes)) => {
                    files.extend(suite_files);
                    for note in notes {
                        eprintln!("{}", terminal_safe_line(&format!("warning: MockConfigFile.json leaves out {note}")));
                    }
                    if repository.contains("YOUR-ORG") {
                        let file = statecraft::sim::suite::export::WORKFLOW_FILE;
                        eprintln!("{}", terminal_safe_line(&format!("warning: {file} installs the CLI from {repository}: set --cli-repository")));
                    }
                    Ok((files, warnings))
                }
                Err(e) => {
                    eprintln!("{}", terminal_safe(&e));
                    return ExitCode::from(2);
                }
            }
        }
        (other, _) => other,
    };
    let files = match result {
        Ok((files, warnings)) => {
            for warning in warnings {
                eprintln!("warning: {warning}");
            }
            files
        }
        Err(e) => {
            eprintln!("{}", terminal_safe(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("{}", terminal_safe_line(&format!("{}: cannot create: {e}", out.display())));
        return ExitCode::from(2);
    }
    // A symbolic link where a file goes would have the file written through it, over whatever it
    // points at: refuse before writing anything.
    for file in &files {
        let path = out.join(file.name);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            eprintln!(
                "{}",
                terminal_safe_line(&format!(
                    "{}: is a symbolic link; statecraft export never writes through one (remove it, or choose another --out)",
                    path.display()
                ))
            );
            return ExitCode::from(2);
        }
    }
    for file in files {
        let path = out.join(file.name);
        if let Err(e) = write_replacing(&path, file.contents.as_bytes(), file.executable) {
            eprintln!("{}", terminal_safe_line(&format!("{}: cannot write: {e}", path.display())));
            return ExitCode::from(2);
        }
        println!("{}", terminal_safe_line(&path.display().to_string()));
    }
    ExitCode::SUCCESS
}

/// Writes `contents` to `path` through a new file beside it, renamed over `path`: a link that
/// appeared at `path` since it was checked is replaced, never written through (creating the new
/// file with `create_new` follows no link either).
fn write_replacing(path: &std::path::Path, contents: &[u8], executable: bool) -> std::io::Result<()> {
    use std::io::Write;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.statecraft-{}", std::process::id()));
    let _ = std::fs::remove_file(&temporary); // left by an earlier run that stopped; a link is removed, not followed
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(if executable { 0o755 } else { 0o644 });
        }
        #[cfg(not(unix))]
        let _ = executable;
        let mut f = options.open(&temporary)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
