//! Generated test suites with coverage: what a definition asks to reach ([`graph`]), values that
//! make Choice rules hold or fail ([`synth`], over [`paths`]), where a value a state reads comes
//! from: the execution's input or a Task's result ([`origin`]), the coverage-guided search that
//! writes the scenarios ([`generate`]), coverage measured by running them ([`coverage`]), the
//! suite as a versioned file ([`file`]), `statecraft test` with its JUnit report ([`command`],
//! [`junit`]), and the suite as Step Functions Local test cases and a CI workflow ([`export`]);
//! what the page's Tests tab shows and the one engine call behind it ([`view`]).

pub mod coverage;
pub mod generate;
pub mod graph;
pub mod origin;
pub mod paths;
pub mod synth;
pub mod command;
pub mod file;
pub mod junit;
pub mod export;
pub mod view;
