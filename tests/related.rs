//! Findings point at the other places involved, not only at their anchor (issue: related labels).

mod support;

use lawful::source::Sources;

/// `(code, anchor line, [(related line, message)])` of every diagnostic with `code`.
fn related(
    sources: &Sources,
    analysis: &lawful::Analysis,
    code: &str,
) -> Vec<(u32, Vec<(u32, String)>)> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let labels = d
                .related
                .iter()
                .map(|r| {
                    let at = lawful::diag::locate(sources, None, Some(r.span));
                    (at.line, r.message.clone())
                })
                .collect();
            (d.location(sources).line, labels)
        })
        .collect()
}

const SHOP: &str = r#"controller shop "Shop" { country NL; contact "p@shop.nl"; notice "https://shop.nl/p" }
activity orders "Orders" {
  purpose contract-performance
  basis contract
  subjects customers
  data name, email
  retention 1 year
  recipient mailco
}
activity promo "Promotions" {
  purpose direct-marketing
  basis legitimate-interest { interest "i"; assessment "a" }
  subjects customers
  reuses orders
  retention 1 year
}
party mailco "MailCo" {
  role processor
  country US
  agreement "DPA" { signed 2025-01-01 }
  subprocessors cdn
}
party cdn "CDN" { role processor; country NL; agreement { signed 2025-01-01 } }
"#;

#[test]
fn p001_points_at_the_origin_activity_and_its_purpose() {
    let (sources, analysis) = support::check_files(&[("shop.lawful", SHOP)]);
    assert_eq!(
        related(&sources, &analysis, "P001"),
        [(
            14,
            vec![(
                2,
                "the data was collected here, for `contract-performance`".to_string()
            )]
        )]
    );
}

/// `count` activities under a contract, each reused by `hub` (when `reuse`), with a
/// controller that has no `rights` block.
fn many_activities(count: usize, reuse: bool) -> String {
    let mut text = String::from(
        "controller shop \"Shop\" { country NL; contact \"p@shop.nl\"; notice \"https://shop.nl/p\"; measures access-control }\n",
    );
    for i in 0..count {
        text.push_str(&format!(
            "activity a{i:02} {{ purpose contract-performance; basis contract; subjects customers; data name; channel paper; retention 1 year }}\n"
        ));
    }
    if reuse {
        let names: Vec<String> = (0..count).map(|i| format!("a{i:02}")).collect();
        text.push_str(&format!(
            "activity hub {{ purpose direct-marketing; basis legitimate-interest {{ interest \"i\"; assessment \"a\" }}; subjects customers; channel paper; retention 1 year\n  reuses {}\n}}\n",
            names.join(", ")
        ));
    }
    text
}

#[test]
fn r001_is_one_finding_per_right_at_the_controller() {
    // Eight activities and no `rights` block: one R001 per right (access, rectification,
    // erasure, restriction), not 8 × 4, each at the controller's name.
    let (sources, analysis) = support::check_files(&[("shop.lawful", &many_activities(8, false))]);
    let found = related(&sources, &analysis, "R001");
    assert_eq!(found.len(), 4, "{}", support::dump(&sources, &analysis));
    for (line, labels) in &found {
        assert_eq!(*line, 1);
        assert_eq!(labels.len(), 8);
        assert_eq!(labels[0].0, 2, "the first label is on the first activity");
    }
    let access = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "R001" && d.message.contains("right of access"))
        .unwrap();
    assert_eq!(
        access.message,
        "no channel for the right of access, which applies to 8 activities: `a00`, `a01`, `a02`, `a03`, `a04`, and 3 more"
    );
    assert_eq!(
        access.related[0].message,
        "the right of access applies to this activity"
    );
    assert!(
        access
            .help
            .as_deref()
            .unwrap()
            .contains("add `rights { access")
    );
}

#[test]
fn r001_labels_at_most_twenty_activities() {
    let (sources, analysis) = support::check_files(&[("shop.lawful", &many_activities(25, false))]);
    let found = related(&sources, &analysis, "R001");
    assert_eq!(found.len(), 4);
    assert!(found.iter().all(|(_, labels)| labels.len() == 20));
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "R001" && d.message.ends_with("and 20 more"))
    );
}

#[test]
fn p001_is_one_finding_per_reuses_statement_naming_every_origin() {
    let (sources, analysis) = support::check_files(&[("shop.lawful", &many_activities(7, true))]);
    let found = related(&sources, &analysis, "P001");
    assert_eq!(found.len(), 1, "{}", support::dump(&sources, &analysis));
    assert_eq!(found[0].0, 10);
    assert_eq!(found[0].1.len(), 7);
    let p001 = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "P001")
        .unwrap();
    assert_eq!(
        p001.message,
        "`hub` reuses data collected by activities with a different purpose than `direct-marketing`: `a00` (for `contract-performance`), `a01` (for `contract-performance`), `a02` (for `contract-performance`), `a03` (for `contract-performance`), `a04` (for `contract-performance`), and 2 more"
    );
    let (sources, analysis) = support::check_files(&[("shop.lawful", &many_activities(30, true))]);
    let found = related(&sources, &analysis, "P001");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.len(), 20);
}

#[test]
fn t002_points_at_the_destination_country() {
    let (sources, analysis) = support::check_files(&[("shop.lawful", SHOP)]);
    assert_eq!(
        related(&sources, &analysis, "T002"),
        [(
            8,
            vec![(19, "the destination country is given here".to_string())]
        )]
    );
}

#[test]
fn d003_points_at_the_agreement_without_authorisation() {
    let (sources, analysis) = support::check_files(&[("shop.lawful", SHOP)]);
    assert_eq!(
        related(&sources, &analysis, "D003"),
        [(
            21,
            vec![(
                20,
                "the agreement gives no `subprocessing` authorisation".to_string()
            )]
        )]
    );
}
