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
            vec![
                (2, "the data comes from this activity".to_string()),
                (3, "the purpose it was collected for".to_string())
            ]
        )]
    );
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
