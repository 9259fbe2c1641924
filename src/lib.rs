//! Lawful: a policy-as-code compiler and linter for the GDPR.
//!
//! The pipeline (see `docs/architecture.md`): [`syntax`] parses each file with error
//! recovery, [`model`] lowers and resolves the declarations, [`flow`] builds the data-flow
//! graph, [`rules`] report findings, and [`diag`] renders them. [`analysis::analyze`] runs
//! it all without touching the file system; [`workspace`] and the binary are the shell.
#![forbid(unsafe_code)]

pub mod analysis;
pub mod config;
pub mod diag;
pub mod documents;
pub mod facts;
pub mod fixes;
pub mod flow;
pub mod fmt;
pub mod graph;
pub mod ide;
pub mod incremental;
pub mod init;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod registry;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod stdlib;
pub mod suggest;
pub mod syntax;
pub mod time;
pub mod workspace;

pub use analysis::{Analysis, analyze};
pub use settings::Settings;
