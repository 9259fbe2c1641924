//! UI tests: every `tests/ui/*.lawful` file states the diagnostics it expects inline.
//!
//! * `#~ CODE CODE…` at the end of a line: these codes are reported on this line.
//! * `#~^ CODE` on a line of its own: the code is reported on the line above.
//! * `#~0 CODE`: a diagnostic without a line (workspace or whole file).
//! * `#! codes: B001 B002` near the top: compare only these codes (default: all of them).
//! * `CODE@COL` pins the anchor's column too (1-based, in Unicode scalars); a fixture pins
//!   columns on every marker or on none.
//!
//! A fixture without a `controller` is checked with a default one (see `support`).
//! The comparison is exact, so a fixture also proves that nothing else fires.

mod support;

use std::fs;
use std::path::Path;

#[derive(Debug, Default)]
struct Expectations {
    only: Option<Vec<String>>,
    /// (line, code, column when pinned)
    expected: Vec<(u32, String, Option<u32>)>,
}

fn read_expectations(text: &str) -> Expectations {
    let mut expectations = Expectations::default();
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        if let Some(rest) = line.trim_start().strip_prefix("#! codes:") {
            expectations.only = Some(rest.split_whitespace().map(str::to_string).collect());
            continue;
        }
        let Some(at) = line.find("#~") else { continue };
        let marker = &line[at + 2..];
        let (target, codes) = if let Some(codes) = marker.strip_prefix('^') {
            (number - 1, codes)
        } else if let Some(codes) = marker.strip_prefix('0') {
            (0, codes)
        } else {
            (number, marker)
        };
        for code in codes.split_whitespace() {
            let (code, column) = match code.split_once('@') {
                Some((code, column)) => (code, Some(column.parse().expect("a column number"))),
                None => (code, None),
            };
            expectations
                .expected
                .push((target, code.to_string(), column));
        }
    }
    expectations.expected.sort();
    expectations
}

#[test]
fn ui_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "lawful"))
    {
        let text = fs::read_to_string(path).unwrap();
        let expectations = read_expectations(&text);
        let (sources, analysis) = support::check_snippet(&text);
        let mut actual: Vec<(u32, String, Option<u32>)> = analysis
            .diagnostics
            .iter()
            .filter(|d| {
                let file = d.location(&sources).file;
                file.is_none() || file.as_deref() == Some("snippet.lawful")
            })
            .map(|d| {
                let at = d.location(&sources);
                (at.line, d.code.to_string(), Some(at.column))
            })
            .filter(|(_, code, _)| {
                expectations
                    .only
                    .as_ref()
                    .is_none_or(|only| only.contains(code))
            })
            .collect();
        actual.sort();
        // Columns are compared when the fixture pins them: all of its markers, or none.
        let pins_columns = expectations.expected.iter().any(|e| e.2.is_some());
        if pins_columns && expectations.expected.iter().any(|e| e.2.is_none()) {
            failures.push(format!(
                "{}: pin a column on every marker or on none",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
        if !pins_columns {
            for entry in &mut actual {
                entry.2 = None;
            }
        }
        for d in &analysis.diagnostics {
            if d.help.as_deref().is_none_or(str::is_empty) {
                failures.push(format!(
                    "{}: {} has no help line: {}",
                    path.file_name().unwrap().to_string_lossy(),
                    d.code,
                    d.message
                ));
            }
        }
        if actual != expectations.expected {
            failures.push(format!(
                "{}:\n  expected {:?}\n  actual   {:?}\n{}",
                path.file_name().unwrap().to_string_lossy(),
                expectations.expected,
                actual,
                support::dump(&sources, &analysis)
                    .lines()
                    .map(|l| format!("    {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
        checked += 1;
    }
    assert!(checked > 0, "no fixtures found in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {checked} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
