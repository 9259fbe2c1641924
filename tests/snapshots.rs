//! Snapshot tests of the human renderer (colour off) on representative findings: the whole
//! text a user sees, compared exactly with `tests/snapshots/NAME.txt`.
//!
//! After an intended change, regenerate with `LAWFUL_BLESS=1 cargo test --test snapshots`
//! and review the diff before committing.

mod support;

use std::path::Path;

fn assert_snapshot(name: &str, files: &[(&str, &str)]) {
    let (sources, mut analysis) = support::check_files(files);
    lawful::diag::sort(&mut analysis.diagnostics, &sources);
    let rendered = lawful::diag::human::render(&analysis.diagnostics, &sources, false);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("LAWFUL_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &rendered).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with LAWFUL_BLESS=1 to create it",
            path.display()
        )
    });
    assert!(
        rendered == expected,
        "{name}: the rendering differs from {} (LAWFUL_BLESS=1 regenerates it)\n--- expected\n{expected}\n--- actual\n{rendered}",
        path.display()
    );
}

const CONTROLLER_WITHOUT_RIGHTS: &str = r#"controller shop "Shop B.V." {
  country NL
  contact "privacy@shop.example"
  notice "https://shop.example/privacy"
  measures access-control, encryption, https
  rights {
    access "account page"; rectification "account page"; restriction "privacy@shop.example"
    verify-identity "login"
  }
}
"#;

const ACTIVITIES: &str = r#"activity orders "Orders" {
  purpose contract-performance
  basis contract
  subjects customers
  data name, address
  channel web
  retention 7 years
}

activity newsletter "Newsletter" {
  purpose product-improvement
  basis consent { evidence "log"; notice "form" }
  subjects customers
  data email
  channel web
  retention until-withdrawn
  rights { erasure "unsubscribe page"; portability "account page" { format json }; withdraw-consent "unsubscribe link" }
}
"#;

#[test]
fn r001_one_finding_per_right_with_labels_on_the_activities() {
    assert_snapshot(
        "r001_per_right",
        &[
            ("organisation.lawful", CONTROLLER_WITHOUT_RIGHTS),
            ("activities.lawful", ACTIVITIES),
        ],
    );
}

#[test]
fn p001_one_finding_per_reuses_statement() {
    let reuse = r#"activity promo "Promotions" {
  purpose direct-marketing
  basis legitimate-interest { interest "selling more"; assessment "LIA-7" }
  subjects customers
  channel email
  retention 1 year
  reuses orders, newsletter
}
"#;
    assert_snapshot(
        "p001_per_statement",
        &[
            ("organisation.lawful", support::DEFAULT_CONTROLLER),
            ("activities.lawful", ACTIVITIES),
            ("promo.lawful", reuse),
        ],
    );
}

#[test]
fn breach_verdicts_and_a_timeline_that_cannot_be() {
    let breaches = r#"breach letters "Letters to the wrong address" {
  discovered 2026-03-10T14:00+01:00
  nature confidentiality
  affects orders
  notified-authority 2026-03-01T09:00+01:00
  facts "letters sent to the previous address"
  effects "names and addresses seen by others"
  actions "letters recovered"
}
"#;
    assert_snapshot(
        "breach_n008",
        &[
            ("organisation.lawful", support::DEFAULT_CONTROLLER),
            ("activities.lawful", ACTIVITIES),
            ("breaches.lawful", breaches),
        ],
    );
}

#[test]
fn r013_and_t003_on_their_statements() {
    let text = r#"party callcentre "Call centre Pvt Ltd" {
  role processor
  country IN
  agreement { signed 2025-01-01; clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits }
  transfer scc
}

activity loans "Instant loans" {
  purpose contract-performance
  basis contract
  subjects customers
  data name, email
  channel web
  retention 7 years
  recipient callcentre
  automated-decision {
    effect significant
    exception explicit-consent
    safeguards human-intervention, express-view, contest
  }
}
"#;
    assert_snapshot(
        "r013_t003",
        &[
            ("organisation.lawful", support::DEFAULT_CONTROLLER),
            ("loans.lawful", text),
        ],
    );
}
