//! Fixes as data: each kind of fix gives the right edits, the JSON `fixes` field has its
//! documented shape, and applying every safe fix of every UI fixture gives text that parses and
//! has fewer findings of each fixed code.

mod support;

use lawful::diag::{Applicability, Diagnostic, Fix};
use lawful::fixes;
use lawful::source::{FileId, Sources};
use std::collections::BTreeMap;

/// The fixes of the first `code` finding in the snippet.
fn fixes_of(text: &str, code: &str) -> (Sources, Vec<Fix>) {
    let (sources, analysis) = support::check_snippet(text);
    let found = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", analysis.diagnostics));
    (sources, found.fixes.clone())
}

/// The snippet with the fix of the first `code` finding applied.
fn fixed(text: &str, code: &str, applicability: Applicability) -> (String, String) {
    let (sources, fixes) = fixes_of(text, code);
    assert_eq!(fixes.len(), 1, "{code}: {fixes:#?}");
    let fix = &fixes[0];
    assert_eq!(fix.applicability, applicability, "{code}: {fix:#?}");
    let file = sources.get(FileId(0));
    let edits: Vec<_> = fix.edits.iter().collect();
    (
        fixes::apply(&file.text, &edits).expect("edits do not overlap"),
        fix.title.clone(),
    )
}

const ACTIVITY: &str = "activity a {
  purpose billing
  basis consent { evidence \"log\"; notice \"form\" }
  subjects customers
  data email
  retention 1 year
}
";

#[test]
fn a_misspelt_key_is_replaced() {
    let text = ACTIVITY.replace("purpose billing", "purpse billing");
    let (out, title) = fixed(&text, "E002", Applicability::Safe);
    assert_eq!(out, ACTIVITY);
    assert_eq!(title, "replace `purpse` with `purpose`");
    // A Dutch synonym, from the schema.
    let text = ACTIVITY.replace("retention 1 year", "bewaartermijn 1 year");
    assert_eq!(fixed(&text, "E002", Applicability::Safe).0, ACTIVITY);
}

#[test]
fn a_misspelt_value_reference_and_kind_are_replaced() {
    let text = ACTIVITY.replace("basis consent", "basis consnt");
    assert_eq!(fixed(&text, "E003", Applicability::Safe).0, ACTIVITY);
    let text = ACTIVITY.replace("data email", "data emial");
    let (out, title) = fixed(&text, "E004", Applicability::Safe);
    assert_eq!(out, ACTIVITY);
    assert_eq!(title, "replace `emial` with `email`");
    let text = ACTIVITY.replace("activity a {", "activty a {");
    assert_eq!(fixed(&text, "E001", Applicability::Safe).0, ACTIVITY);
}

#[test]
fn a_misspelt_rule_code_in_allow_is_replaced() {
    let text = ACTIVITY.replace("retention 1 year", "retention 1 year\n  allow A04 \"why\"");
    let (out, _) = fixed(&text, "E013", Applicability::Safe);
    assert_eq!(
        out,
        ACTIVITY.replace("retention 1 year", "retention 1 year\n  allow A004 \"why\"")
    );
}

#[test]
fn values_written_almost_right_are_rewritten() {
    let text = ACTIVITY.replace("1 year", "1year");
    let (out, title) = fixed(&text, "E001", Applicability::Safe);
    assert_eq!(out, ACTIVITY);
    assert_eq!(title, "write `1year` as `1 year`");
    let breach = "breach b {\n  discovered 2026-11-27T08:15+01:00\n  data email\n  risk unlikely\n  notified-authority 2026-11-27\n}\n";
    let text = breach.replace("2026-11-27T08:15", "2026-11-27 08:15");
    let (out, title) = fixed(&text, "E001", Applicability::Safe);
    assert_eq!(out, breach);
    assert_eq!(
        title,
        "write `2026-11-27 08:15+01:00` as `2026-11-27T08:15+01:00`"
    );
    let text = breach.replace("  risk", "  encrypted no\n  risk");
    assert_eq!(fixed(&text, "E003", Applicability::Safe).0, breach);
}

#[test]
fn a_flag_given_a_value_loses_it() {
    let text = ACTIVITY.replace("  retention", "  profiling no\n  retention");
    assert_eq!(fixed(&text, "E003", Applicability::Safe).0, ACTIVITY);
    let text = ACTIVITY.replace("  retention", "  profiling yes\n  retention");
    assert_eq!(
        fixed(&text, "E003", Applicability::Safe).0,
        ACTIVITY.replace("  retention", "  profiling\n  retention")
    );
}

#[test]
fn a_missing_retention_gets_a_skeleton_to_complete() {
    let text = ACTIVITY.replace("  retention 1 year\n", "");
    let (out, title) = fixed(&text, "A002", Applicability::Unsafe);
    assert_eq!(out, ACTIVITY);
    assert_eq!(title, "add `retention` (choose the period)");
    // One line: the statement joins it.
    let (out, _) = fixed(
        "activity a { purpose billing; basis contract; subjects customers; data email }",
        "A002",
        Applicability::Unsafe,
    );
    assert_eq!(
        out,
        "activity a { purpose billing; basis contract; subjects customers; data email ; retention 1 year }"
    );
}

const SHIPPING: &str = "activity a {
  purpose billing
  basis contract
  subjects customers
  data email
  retention 1 year
  recipient mailer
}
";

#[test]
fn a_processor_without_agreement_gets_the_nine_clauses() {
    let text = format!("{SHIPPING}party mailer {{\n  role processor\n  country NL\n}}\n");
    let (out, _) = fixed(&text, "D001", Applicability::Unsafe);
    assert!(
        out.ends_with("  country NL\n  agreement \"…\" {\n    clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits\n  }\n}\n"),
        "{out}"
    );
    let (_, after) = support::check_snippet(&out);
    assert!(
        !after.diagnostics.iter().any(|d| d.code.starts_with('D')),
        "{:#?}",
        after.diagnostics
    );
}

#[test]
fn an_agreement_lacking_clauses_gets_them_added() {
    let text = format!(
        "{SHIPPING}party mailer {{\n  role processor\n  country NL\n  agreement \"x\" {{\n    clauses subject-matter, instructions\n  }}\n}}\n"
    );
    let (out, _) = fixed(&text, "D002", Applicability::Unsafe);
    assert!(out.contains("clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits\n"), "{out}");
    let text = format!(
        "{SHIPPING}party mailer {{\n  role processor\n  country NL\n  agreement \"x\"\n}}\n"
    );
    let (out, _) = fixed(&text, "D002", Applicability::Unsafe);
    assert!(
        out.contains("agreement \"x\" { clauses subject-matter, instructions,"),
        "{out}"
    );
    let (_, after) = support::check_snippet(&out);
    assert!(!after.diagnostics.iter().any(|d| d.code == "D002"));
}

#[test]
fn transfers_get_a_tool_and_an_assessment() {
    let agreement = "  agreement \"x\" { clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits }\n";
    let text =
        format!("{SHIPPING}party mailer {{\n  role processor\n  country IN\n{agreement}}}\n");
    let (out, title) = fixed(&text, "T001", Applicability::Unsafe);
    assert_eq!(title, "add `transfer scc { tia … }` to `mailer`");
    assert!(
        out.ends_with(&format!("{agreement}  transfer scc {{ tia \"…\" }}\n}}\n")),
        "{out}"
    );
    let (_, after) = support::check_snippet(&out);
    assert!(
        !after.diagnostics.iter().any(|d| d.code.starts_with('T')),
        "{:#?}",
        after.diagnostics
    );

    let text = format!(
        "{SHIPPING}party mailer {{\n  role processor\n  country IN\n  transfer scc\n{agreement}}}\n"
    );
    let (out, _) = fixed(&text, "T003", Applicability::Unsafe);
    assert!(out.contains("  transfer scc { tia \"…\" }\n"), "{out}");
    let text = format!(
        "{SHIPPING}party mailer {{\n  role processor\n  country IN\n  transfer scc {{}}\n{agreement}}}\n"
    );
    let (out, _) = fixed(&text, "T003", Applicability::Unsafe);
    assert!(out.contains("  transfer scc { tia \"…\" }\n"), "{out}");
}

#[test]
fn allow_is_offered_on_demand_for_findings_not_structural_errors() {
    let text = ACTIVITY.replace("  retention 1 year\n", "");
    let (sources, analysis) = support::check_snippet(&text);
    let a002 = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "A002")
        .unwrap();
    let fix = fixes::allow_fix(a002, &analysis.model, &sources).unwrap();
    assert_eq!(fix.applicability, Applicability::Unsafe);
    let out = fixes::apply(
        &sources.get(FileId(0)).text,
        &fix.edits.iter().collect::<Vec<_>>(),
    )
    .unwrap();
    assert!(
        out.starts_with("activity a {\n  allow A002 \"…\"\n  purpose billing\n"),
        "{out}"
    );
    // Not attached to the finding itself.
    assert!(a002.fixes.iter().all(|f| !f.title.starts_with("allow")));
    let text = ACTIVITY.replace("data email", "data emial");
    let (sources, analysis) = support::check_snippet(&text);
    let e004 = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "E004")
        .unwrap();
    assert!(fixes::allow_fix(e004, &analysis.model, &sources).is_none());
}

#[test]
fn json_carries_fixes_only_where_there_are_some() {
    let text = ACTIVITY
        .replace("purpose billing", "purpse billing")
        .replace("  retention 1 year\n", "");
    let (sources, analysis) = support::check_snippet(&text);
    let json: serde_json::Value = serde_json::from_str(&lawful::diag::json::render(
        &analysis.diagnostics,
        &sources,
        1,
    ))
    .unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let e002 = diagnostics.iter().find(|d| d["code"] == "E002").unwrap();
    assert_eq!(
        e002["fixes"],
        serde_json::json!([{
            "title": "replace `purpse` with `purpose`",
            "applicability": "safe",
            "edits": [{ "file": "snippet.lawful", "line": 2, "column": 3, "end_line": 2, "end_column": 9, "text": "purpose" }]
        }])
    );
    let a002 = diagnostics.iter().find(|d| d["code"] == "A002").unwrap();
    assert_eq!(a002["fixes"][0]["applicability"], "unsafe");
    assert_eq!(a002["fixes"][0]["edits"][0]["line"], 6);
    assert_eq!(a002["fixes"][0]["edits"][0]["column"], 1);
    // A finding without a fix has no `fixes` at all.
    let text = ACTIVITY.replace("evidence \"log\"; ", "");
    let (sources, analysis) = support::check_snippet(&text);
    let rendered = lawful::diag::json::render(&analysis.diagnostics, &sources, 1);
    let json: serde_json::Value = serde_json::from_str(&rendered).unwrap();
    assert_eq!(json["diagnostics"][0]["code"], "B002", "{rendered}");
    assert!(json["diagnostics"][0].get("fixes").is_none());
    assert!(!rendered.contains("\"fixes\""));
}

/// Applies the safe fixes of one file as `check --fix` does; `None` when it would not touch it.
fn apply_safe(
    text: &str,
    diagnostics: &[Diagnostic],
) -> Option<(String, BTreeMap<&'static str, usize>)> {
    let in_file: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.file_id() == Some(FileId(0)))
        .cloned()
        .collect();
    if in_file.iter().any(|d| {
        d.code == "E001"
            && !d
                .fixes
                .iter()
                .any(|f| f.applicability == Applicability::Safe)
    }) {
        return None;
    }
    let edits = fixes::safe_edits(&in_file, FileId(0));
    if edits.is_empty() {
        return None;
    }
    let mut fixed: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in &in_file {
        if let Some(fix) = d
            .fixes
            .iter()
            .find(|f| f.applicability == Applicability::Safe)
            && fix.edits.iter().all(|e| edits.contains(&e))
        {
            *fixed.entry(d.code).or_default() += 1;
        }
    }
    Some((
        fixes::apply(text, &edits).expect("safe edits never overlap"),
        fixed,
    ))
}

#[test]
fn every_safe_fix_of_every_fixture_leaves_text_that_parses_with_fewer_findings() {
    let mut fixtures: Vec<_> = std::fs::read_dir("tests/ui")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lawful"))
        .collect();
    fixtures.sort();
    let mut applied = 0;
    for path in fixtures {
        let text = std::fs::read_to_string(&path).unwrap();
        let (_, before) = support::check_snippet(&text);
        let Some((out, fixed)) = apply_safe(&text, &before.diagnostics) else {
            continue;
        };
        let parsed = lawful::syntax::parse(FileId(0), &out);
        assert!(
            parsed.diagnostics.iter().all(|d| d.code != "E001"),
            "{}: fixed text does not parse: {:#?}\n{out}",
            path.display(),
            parsed.diagnostics
        );
        let (_, after) = support::check_snippet(&out);
        let count = |diagnostics: &[Diagnostic], code: &str| {
            diagnostics
                .iter()
                .filter(|d| d.code == code && d.file_id() == Some(FileId(0)))
                .count()
        };
        for (code, n) in &fixed {
            assert!(
                count(&after.diagnostics, code) + n <= count(&before.diagnostics, code),
                "{}: {n} {code} fixed, but {} remain of {}:\n{out}",
                path.display(),
                count(&after.diagnostics, code),
                count(&before.diagnostics, code)
            );
            applied += n;
        }
    }
    // The fixtures misspell keys, values, references and kinds on purpose.
    assert!(applied >= 30, "only {applied} safe fixes over the fixtures");
}

/// `lawful check --fix` on a real workspace: the misspelt key, reference and value are fixed,
/// the missing retention (unsafe) stays reported, and a file with a syntax error it cannot fix
/// is left as it is.
#[test]
fn check_fix_applies_the_safe_fixes_and_reports_the_rest() {
    let root = std::env::temp_dir().join(format!("lawful-fix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("lawful.toml"), "").unwrap();
    std::fs::write(root.join("controller.lawful"), support::DEFAULT_CONTROLLER).unwrap();
    let broken = "activity b {\n  purpse billing\n  basis contract {\n";
    std::fs::write(root.join("broken.lawful"), broken).unwrap();
    let misspelt =
        "activity a {\n  purpse billing\n  basis contrac\n  subjects customers\n  data emial\n}\n";
    std::fs::write(root.join("a.lawful"), misspelt).unwrap();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["check", "--fix", "--format", "json"])
        .current_dir(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert_eq!(
        std::fs::read_to_string(root.join("a.lawful")).unwrap(),
        "activity a {\n  purpose billing\n  basis contract\n  subjects customers\n  data email\n}\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("broken.lawful")).unwrap(),
        broken
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        found.contains(&("a.lawful".into(), "A002".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("broken.lawful".into(), "E001".into())),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(f, c)| f == "a.lawful" && c.starts_with('E')),
        "{found:?}"
    );
    let remaining = found.len();
    assert!(
        stderr.contains(&format!(
            "note: applied 3 safe fixes; {remaining} findings remain"
        )),
        "{stderr}"
    );
    // Nothing more to fix: a second run changes nothing.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["check", "--fix", "--quiet"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(root.join("a.lawful")).unwrap(),
        "activity a {\n  purpose billing\n  basis contract\n  subjects customers\n  data email\n}\n"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_transfer_tool_goes_into_the_party_in_its_own_file() {
    let party = "party mailer {\n  role processor\n  country IN\n  agreement \"x\" { clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits }\n}\n";
    let (sources, analysis) = support::check_files(&[
        ("a.lawful", SHIPPING),
        ("parties.lawful", party),
        ("zz-controller.lawful", support::DEFAULT_CONTROLLER),
    ]);
    let t001 = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "T001")
        .unwrap();
    let edit = &t001.fixes[0].edits[0];
    assert_eq!(sources.get(edit.span.file).path, "parties.lawful");
    let out = fixes::apply(party, &[edit]).unwrap();
    assert!(
        out.ends_with("audits }\n  transfer scc { tia \"…\" }\n}\n"),
        "{out}"
    );
}

/// The fixtures' text with `junk` put in at `at`.
fn damaged(index: usize, at: usize, junk: &str) -> String {
    let mut fixtures: Vec<_> = std::fs::read_dir("tests/ui")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lawful"))
        .collect();
    fixtures.sort();
    let mut text = std::fs::read_to_string(&fixtures[index % fixtures.len()]).unwrap();
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.insert_str(at, junk);
    text
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 120, ..Default::default() })]

    /// On damaged input every fix still edits its own file within bounds, and applies.
    #[test]
    fn fixes_on_damaged_input_are_well_formed(
        index in 0usize..200,
        at in 0usize..5000,
        junk in proptest::sample::select(vec!["x", "6weeks ", " no", "{", "}", "\"", "é—", "\n", "; retention", "2026-01-01 10:00"]),
    ) {
        let text = damaged(index, at, junk);
        let (sources, analysis) = support::check_snippet(&text);
        for d in &analysis.diagnostics {
            for fix in &d.fixes {
                let file = sources.get(fix.edits[0].span.file);
                for edit in &fix.edits {
                    proptest::prop_assert!(file.text.get(edit.span.start as usize..edit.span.end as usize).is_some(), "{d:#?}");
                }
                proptest::prop_assert!(fixes::apply(&file.text, &fix.edits.iter().collect::<Vec<_>>()).is_ok());
            }
        }
    }
}

#[test]
fn a_rename_that_would_repeat_a_key_is_only_offered() {
    let text = ACTIVITY.replace(
        "  retention 1 year\n",
        "  retention 1 year\n  retension 2 years\n",
    );
    let (_, fixes) = fixes_of(&text, "E002");
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    assert_eq!(
        fixes[0].title,
        "replace `retension` with `retention` (then given twice)"
    );
}
