//! The rule registry keeps every code honest: each code of the rule catalog exists, is documented,
//! and its explain text's examples really fire (and its fix really does not).

mod support;

use lawful::registry::{self, Severity};

/// Every code of the v1.1 rule catalog, plus U002 (ours: unused `allow`).
const SPEC_CODES: &str = "E001 E002 E003 E004 E005 E006 E007 E008 E009 E010 E011 E012 E013 E014 \
    B001 B002 B003 B004 B005 B006 B007 B008 B009 S001 S002 S003 S004 P001 P002 P003 P004 \
    D001 D002 D003 D004 D005 D006 D007 D008 T001 T002 T003 T004 T005 T006 \
    R001 R002 R003 R004 R005 R006 R007 R010 R011 R012 R013 A001 A002 A003 A004 A005 A006 A007 \
    X001 X002 N001 N002 N003 N004 N005 N006 N007 N008 U001 U002";

/// Codes whose examples are not Lawful text: a file that is not UTF-8, a bad lawful.toml.
const NOT_SHOWN_IN_LAWFUL: [&str; 2] = ["E011", "E014"];

#[test]
fn every_spec_code_is_registered_once_in_order() {
    let registered: Vec<&str> = registry::all().iter().map(|r| r.code).collect();
    let expected: Vec<&str> = SPEC_CODES.split_whitespace().collect();
    assert_eq!(registered, expected);
}

#[test]
fn severities_follow_the_spec() {
    let infos: Vec<&str> = registry::all()
        .iter()
        .filter(|r| r.severity == Severity::Info)
        .map(|r| r.code)
        .collect();
    assert_eq!(
        infos,
        ["E012", "D005", "T005", "R007", "N004", "U001", "U002"]
    );
    let warnings: Vec<&str> = registry::all()
        .iter()
        .filter(|r| r.severity == Severity::Warning)
        .map(|r| r.code)
        .collect();
    assert_eq!(
        warnings,
        [
            "B002", "B003", "B005", "B006", "B007", "B009", "P002", "P004", "D002", "D008", "T003",
            "T004", "R006", "A002", "A004", "A005", "A006", "X001", "N005", "N006", "N007"
        ]
    );
}

#[test]
fn every_rule_is_documented() {
    for rule in registry::all() {
        assert!(
            rule.explain
                .starts_with(&format!("# {} {}", rule.code, rule.name)),
            "{}: heading",
            rule.code
        );
        assert!(
            rule.explain.contains(&format!("**{}**", rule.article)),
            "{}: article line",
            rule.code
        );
        assert!(
            rule.explain.contains("## Why it matters"),
            "{}: why",
            rule.code
        );
        assert!(
            !rule.summary.ends_with('.'),
            "{}: summary ends with a period",
            rule.code
        );
        assert!(!rule.article.is_empty(), "{}: article", rule.code);
    }
}

/// The first fenced block after `heading`, with its info string.
fn block_after<'a>(text: &'a str, heading: &str) -> Option<(&'a str, &'a str)> {
    let start = text.find(heading)? + heading.len();
    let rest = &text[start..];
    let open = rest.find("```")?;
    let after_fence = &rest[open + 3..];
    let info_end = after_fence.find('\n')?;
    let info = after_fence[..info_end].trim();
    let body = &after_fence[info_end + 1..];
    let close = body.find("```")?;
    Some((info, &body[..close]))
}

#[test]
fn explain_examples_fire_and_fixes_do_not() {
    let mut failures = Vec::new();
    for rule in registry::all() {
        let example = block_after(rule.explain, "## Example");
        let fixed = block_after(rule.explain, "## Fixed");
        let (Some((example_lang, example)), Some((fixed_lang, fixed))) = (example, fixed) else {
            failures.push(format!("{}: Example or Fixed block missing", rule.code));
            continue;
        };
        if NOT_SHOWN_IN_LAWFUL.contains(&rule.code) {
            assert_ne!(example_lang, "lawful", "{}", rule.code);
            continue;
        }
        assert_eq!(
            (example_lang, fixed_lang),
            ("lawful", "lawful"),
            "{}",
            rule.code
        );
        let (sources, analysis) = support::check_snippet(example);
        if !analysis.diagnostics.iter().any(|d| d.code == rule.code) {
            failures.push(format!(
                "{}: Example does not fire it:\n{}",
                rule.code,
                support::dump(&sources, &analysis)
            ));
        }
        let (sources, analysis) = support::check_snippet(fixed);
        if analysis.diagnostics.iter().any(|d| d.code == rule.code) {
            failures.push(format!(
                "{}: Fixed still fires it:\n{}",
                rule.code,
                support::dump(&sources, &analysis)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
