//! UI tests: every `tests/ui/*.lawful` file states the diagnostics it expects inline.
//!
//! * `#~ CODE CODE…` at the end of a line: these codes are reported on this line.
//! * `#~^ CODE` on a line of its own: the code is reported on the line above.
//! * `#~0 CODE`: a diagnostic without a line (workspace or whole file).
//! * `CODE@COL`: every marker pins the anchor's column (1-based, in Unicode scalars).
//!
//! Every code a fixture produces is compared: there is no filter (a `#! codes:` line is
//! rejected), so a fixture also proves that nothing unrelated fires.
//!
//! A fixture without a `controller` is checked with a default one (see `support`).
//! The comparison is exact, so a fixture also proves that nothing else fires.

mod support;

use std::fs;
use std::path::Path;

#[derive(Debug, Default)]
struct Expectations {
    /// (line, code, column)
    expected: Vec<(u32, String, Option<u32>)>,
    /// Problems with the markers themselves.
    errors: Vec<String>,
}

fn read_expectations(text: &str) -> Expectations {
    let mut expectations = Expectations::default();
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        if line.trim_start().starts_with("#! codes:") {
            expectations.errors.push(format!(
                "line {number}: `#! codes:` filters are not allowed; list every code the fixture produces"
            ));
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
                Some((code, column)) => match column.parse() {
                    Ok(column) => (code, Some(column)),
                    Err(_) => {
                        expectations.errors.push(format!(
                            "line {number}: `{code}@{column}` has no column number"
                        ));
                        (code, None)
                    }
                },
                None => {
                    expectations.errors.push(format!(
                        "line {number}: `{code}` pins no column; write `{code}@COL`"
                    ));
                    (code, None)
                }
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
            .collect();
        actual.sort();
        for error in &expectations.errors {
            failures.push(format!(
                "{}: {error}",
                path.file_name().unwrap().to_string_lossy()
            ));
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

#[test]
fn markers_must_pin_columns_and_filters_are_rejected() {
    let parsed = read_expectations("#! codes: B001\nactivity a { #~ B001\n}\n#~^ A002@3\n");
    assert_eq!(parsed.errors.len(), 2, "{:?}", parsed.errors);
    assert!(parsed.errors[0].contains("`#! codes:` filters are not allowed"));
    assert!(parsed.errors[1].contains("`B001` pins no column"));
    assert_eq!(
        parsed.expected,
        [
            (2, "B001".to_string(), None),
            (3, "A002".to_string(), Some(3))
        ]
    );
    let parsed = read_expectations("activity a { #~ B001@10 A002@10\n#~0 E008@1\n");
    assert!(parsed.errors.is_empty());
    assert_eq!(
        parsed.expected,
        [
            (0, "E008".to_string(), Some(1)),
            (1, "A002".to_string(), Some(10)),
            (1, "B001".to_string(), Some(10))
        ]
    );
}
