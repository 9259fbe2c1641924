//! `check --format sarif` and `--format github` carry every diagnostic with its location.

mod support;

use lawful::diag;

const INPUT: &str = r#"controller shop "Shop" { country NL; contact "p@shop.nl"; notice "https://shop.nl/p" }
activity orders "Orders: 100% online, pay-later" {
  purpose contract-performance
  subjects customers
  data name, salary
  retention 1 year
}
"#;

#[test]
fn sarif_has_the_required_structure_and_every_result() {
    let (sources, analysis) = support::check_files(&[("dir/shop.lawful", INPUT)]);
    let sarif: serde_json::Value =
        serde_json::from_str(&diag::sarif::render(&analysis.diagnostics, &sources)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "lawful");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), lawful::registry::all().len());
    assert!(
        rules
            .iter()
            .all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string())
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), analysis.diagnostics.len());
    let b001 = results
        .iter()
        .find(|r| r["ruleId"] == "B001")
        .expect("B001 result");
    assert_eq!(b001["level"], "error");
    let location = &b001["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "dir/shop.lawful");
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 10);
    let x001 = results
        .iter()
        .find(|r| r["ruleId"] == "X001")
        .expect("X001 result");
    assert_eq!(x001["level"], "warning");
    assert_eq!(x001["properties"]["article"], "GDPR Art. 32(1)(a)");
}

#[test]
fn github_annotations_are_one_escaped_line_per_diagnostic() {
    let (sources, analysis) = support::check_files(&[("dir/shop.lawful", INPUT)]);
    let text = diag::github::render(&analysis.diagnostics, &sources);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), analysis.diagnostics.len());
    let b001 = lines
        .iter()
        .find(|l| l.contains("title=B001"))
        .expect("B001 line");
    assert!(
        b001.starts_with("::error file=dir/shop.lawful,line=2,col=10,"),
        "{b001}"
    );
    assert!(
        b001.contains("::activity `orders` has no legal basis%0Ahelp: "),
        "{b001}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning ") && l.contains("title=X001"))
    );
}
