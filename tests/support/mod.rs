//! Shared helpers for the integration tests: run the core on in-memory text.
#![allow(dead_code)]

use lawful::config::Config;
use lawful::source::{Origin, Sources};
use lawful::time::Date;
use lawful::{Analysis, Settings, analyze, stdlib};

/// The controller added to snippets that declare none (explain examples, fixtures): complete,
/// with a channel for every right, identity verification and security measures, so a snippet's
/// findings are about the snippet. Declare a `controller` in the snippet to test the controller.
pub const DEFAULT_CONTROLLER: &str = "controller example \"Example B.V.\" {
  country NL; contact \"privacy@example.nl\"; notice \"https://example.nl/privacy\"
  dpo \"dpo@example.nl\"
  measures access-control, encryption, https, logging
  rights {
    access \"privacy@example.nl\"; rectification \"privacy@example.nl\"; erasure \"privacy@example.nl\"
    restriction \"privacy@example.nl\"; objection \"privacy@example.nl\"
    withdraw-consent \"privacy@example.nl\"; human-intervention \"privacy@example.nl\"
    portability \"privacy@example.nl\" { format json, csv }
    verify-identity \"reply from the e-mail address on file\"
  }
}
";

pub fn today() -> Date {
    Date::parse("2026-11-22").unwrap()
}

/// Checks `files` (path, text) as one workspace with the stdlib and default settings.
pub fn check_files(files: &[(&str, &str)]) -> (Sources, Analysis) {
    check_with(files, Config::default())
}

pub fn check_with(files: &[(&str, &str)], config: Config) -> (Sources, Analysis) {
    let mut sources = Sources::new();
    for (path, text) in files {
        sources.add_text(*path, Origin::User, text);
    }
    stdlib::add_to(&mut sources);
    let settings = Settings {
        config,
        today: today(),
    };
    let analysis = analyze(&sources, &settings);
    (sources, analysis)
}

/// Checks one snippet, adding [`DEFAULT_CONTROLLER`] when it has no controller of its own.
pub fn check_snippet(text: &str) -> (Sources, Analysis) {
    let has_controller = text
        .lines()
        .any(|line| line.trim_start().starts_with("controller "));
    if has_controller {
        check_files(&[("snippet.lawful", text)])
    } else {
        check_files(&[
            ("snippet.lawful", text),
            ("zz-default-controller.lawful", DEFAULT_CONTROLLER),
        ])
    }
}

/// `(line, code)` of every diagnostic in `path`.
pub fn codes_in(sources: &Sources, analysis: &Analysis, path: &str) -> Vec<(u32, String)> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.location(sources).file.as_deref() == Some(path))
        .map(|d| (d.location(sources).line, d.code.to_string()))
        .collect()
}

/// A readable dump of diagnostics, for assertion messages.
pub fn dump(sources: &Sources, analysis: &Analysis) -> String {
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let at = d.location(sources);
            format!(
                "{}:{}:{} {} {}",
                at.file.unwrap_or_default(),
                at.line,
                at.column,
                d.code,
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
