//! The derived facts (`lawful::facts`) on the example workspaces and on small snippets:
//! rights with their reasons and channels, transfer edges (onward included) with country,
//! status and mechanism, measures, DPIA indicators, the DPO requirement, breach verdicts.

mod support;

use lawful::facts::*;
use lawful::model::vocab::{BasisKind, Format, MeasureKind, Mechanism, Right};
use lawful::time::Date;
use lawful::workspace;
use lawful::{Analysis, Settings, analyze};
use std::path::Path;

fn example(name: &str) -> Analysis {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let ws = workspace::load(std::slice::from_ref(&root), &root).expect("example loads");
    let settings = Settings {
        today: ws.config.today.expect("examples pin `today`"),
        config: ws.config.clone(),
    };
    analyze(&ws.sources, &settings)
}

fn activity<'a>(analysis: &'a Analysis, name: &str) -> &'a ActivityFacts {
    let a = analysis
        .model
        .activities
        .iter()
        .position(|a| a.header.name == name)
        .unwrap_or_else(|| panic!("no activity `{name}`"));
    &analysis.facts.activities[a]
}

fn party(analysis: &Analysis, p: usize) -> &str {
    &analysis.model.parties[p].header.name
}

fn right(facts: &ActivityFacts, right: Right) -> &RightFact {
    facts.right(right).expect("every right has a fact")
}

/// A snippet with the default controller, checked without syntax or model errors.
fn snippet(text: &str) -> Analysis {
    let (_, analysis) = support::check_files(&[
        ("c.lawful", support::DEFAULT_CONTROLLER),
        ("a.lawful", text),
    ]);
    let errors: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with('E'))
        .map(|d| d.message.as_str())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    analysis
}

fn date(text: &str) -> Date {
    Date::parse(text).expect("date")
}

#[test]
fn webshop_rights_with_reasons_and_channels() {
    let shop = example("webshop");
    let newsletter = activity(&shop, "newsletter");
    let applicable: Vec<Right> = newsletter.applicable().map(|r| r.right).collect();
    assert_eq!(
        applicable,
        [
            Right::Access,
            Right::Rectification,
            Right::Erasure,
            Right::Restriction,
            Right::Objection,
            Right::Portability,
            Right::WithdrawConsent
        ]
    );
    assert_eq!(
        right(newsletter, Right::Access).applies,
        Applies::Yes(vec![AppliesBecause::Always])
    );
    assert_eq!(
        right(newsletter, Right::Erasure).applies,
        Applies::Yes(vec![AppliesBecause::Basis(BasisKind::Consent)])
    );
    // Consent alone brings no objection: the marketing purpose does (Art. 21(2)).
    assert_eq!(
        right(newsletter, Right::Objection).applies,
        Applies::Yes(vec![AppliesBecause::MarketingPurpose])
    );
    assert_eq!(
        right(newsletter, Right::HumanIntervention).applies,
        Applies::No(NotApplicable::NoSignificantDecision)
    );
    // The newsletter overrides the controller's channels for objection and withdrawal.
    let objection = right(newsletter, Right::Objection)
        .channel
        .as_ref()
        .unwrap();
    assert_eq!(objection.from, DeclaredIn::Activity);
    let access = right(newsletter, Right::Access).channel.as_ref().unwrap();
    assert_eq!(access.from, DeclaredIn::Controller);
    assert_eq!(
        right(newsletter, Right::WithdrawConsent)
            .channel
            .as_ref()
            .unwrap()
            .from,
        DeclaredIn::Activity
    );
    let response = newsletter.response.expect("a response time");
    assert_eq!(response.value.to_string(), "1 month");
    assert_eq!(response.from, DeclaredIn::Controller);
    assert_eq!(
        newsletter.portability,
        Some(PortabilityScope {
            provided: vec!["email".into(), "name".into()],
            observed: vec![],
            derived: vec![],
            formats: vec![Format::Json, Format::Csv],
        })
    );

    let analytics = activity(&shop, "site-analytics");
    assert_eq!(
        right(analytics, Right::Objection).applies,
        Applies::Yes(vec![AppliesBecause::Basis(BasisKind::LegitimateInterest)])
    );
    assert_eq!(
        right(analytics, Right::Portability).applies,
        Applies::No(NotApplicable::BasisExcludes(Some(
            BasisKind::LegitimateInterest
        )))
    );
    assert_eq!(analytics.portability, None);

    let orders = activity(&shop, "order-handling");
    assert_eq!(
        right(orders, Right::Objection).applies,
        Applies::No(NotApplicable::BasisExcludes(Some(BasisKind::Contract)))
    );
    assert_eq!(
        orders.portability.as_ref().map(|p| p.provided.clone()),
        Some(
            [
                "address",
                "bank-account",
                "email",
                "name",
                "order-details",
                "phone"
            ]
            .map(String::from)
            .to_vec()
        )
    );
}

/// An edge as the register shows it: receiver, country, status, mechanism and where declared.
type Edge = (
    String,
    String,
    TransferStatus,
    Option<(Mechanism, DeclaredOn)>,
);

#[test]
fn webshop_transfers_onward_through_subprocessors() {
    let shop = example("webshop");
    // Only the edges leaving the EEA, as the register lists them.
    let third: Vec<Edge> = shop
        .facts
        .transfers
        .iter()
        .filter(|e| e.status != TransferStatus::Eea)
        .map(|e| {
            let to = match e.kind {
                EdgeKind::Recipient { party: p, .. } => party(&shop, p).to_string(),
                EdgeKind::Subprocessor {
                    processor,
                    subprocessor,
                    ..
                } => format!(
                    "{} -> {}",
                    party(&shop, processor),
                    party(&shop, subprocessor)
                ),
                other => panic!("unexpected third-country edge {other:?}"),
            };
            (
                to,
                e.country.clone(),
                e.status.clone(),
                e.protection.as_ref().map(|p| (p.mechanism, p.declared)),
            )
        })
        .collect();
    let dpf = TransferStatus::AdequatePartial {
        requires: Some("dpf".into()),
        since: Some(date("2023-07-10")),
    };
    let [mailer, cloud, bounces] = third.as_slice() else {
        panic!("three third-country edges expected: {third:#?}");
    };
    // The mail service is DPF-certified: covered by the partial decision, no tool needed.
    assert_eq!(
        (mailer.0.as_str(), mailer.1.as_str(), &mailer.2, mailer.3),
        ("postwise", "US", &dpf, None)
    );
    assert!(cloud.0.starts_with("postwise -> "), "{cloud:?}");
    assert_eq!((cloud.1.as_str(), &cloud.2), ("US", &dpf));
    assert!(matches!(
        cloud.3,
        Some((Mechanism::Scc, DeclaredOn::Subprocessor(_)))
    ));
    assert!(bounces.0.starts_with("postwise -> "), "{bounces:?}");
    assert_eq!(
        (bounces.1.as_str(), &bounces.2),
        ("IN", &TransferStatus::NoDecision)
    );
    assert!(bounces.2.needs_tool());
    assert!(matches!(
        bounces.3,
        Some((Mechanism::Scc, DeclaredOn::Subprocessor(_)))
    ));
    let onward = shop
        .facts
        .transfers
        .iter()
        .find(|e| e.country == "IN")
        .unwrap();
    assert!(!onward.unprotected());
    assert!(
        onward
            .protection
            .as_ref()
            .and_then(|p| p.tia.as_deref())
            .is_some_and(|t| t.starts_with("TIA-2025-08"))
    );
    // The chain the data goes through: the newsletter's mail service, then its subprocessor.
    let EdgeKind::Subprocessor { subprocessor, .. } = onward.kind else {
        panic!("an onward edge")
    };
    let chain: Vec<&str> = shop
        .facts
        .chain(subprocessor)
        .into_iter()
        .map(|p| party(&shop, p))
        .collect();
    assert_eq!(chain, ["postwise", party(&shop, subprocessor)]);
    // The newsletter's transfers, onward included.
    let a = shop
        .model
        .activities
        .iter()
        .position(|a| a.header.name == "newsletter")
        .unwrap();
    let countries: Vec<&str> = shop
        .facts
        .transfers_of(&shop.model, &shop.flow, a)
        .into_iter()
        .filter(|e| e.status != TransferStatus::Eea)
        .map(|e| e.country.as_str())
        .collect();
    assert_eq!(countries, ["US", "US", "IN"]);
}

#[test]
fn dpia_indicators_measures_and_dpo_on_the_examples() {
    let shop = example("webshop");
    assert_eq!(
        activity(&shop, "fraud-check").dpia,
        [DpiaIndicator::Profiling]
    );
    assert_eq!(activity(&shop, "newsletter").dpia, []);
    assert!(shop.facts.dpo_required.is_empty());
    let analytics = activity(&shop, "site-analytics");
    assert!(
        analytics
            .measures_in_effect()
            .contains(&MeasureKind::Hashing)
    );
    assert!(
        !analytics
            .measures_in_effect()
            .contains(&MeasureKind::Encryption)
    );
    assert!(
        analytics
            .measures
            .iter()
            .any(|m| m.from == MeasureFrom::Controller)
    );

    let clinic = example("clinic");
    assert_eq!(
        activity(&clinic, "treatment").dpia,
        [
            DpiaIndicator::SpecialOrCriminal(vec!["diagnosis".into(), "treatment-notes".into()]),
            DpiaIndicator::Vulnerable(vec!["patients".into()]),
        ]
    );
    // Derived data stays outside portability.
    let scope = activity(&clinic, "treatment").portability.clone().unwrap();
    assert_eq!(scope.derived, ["diagnosis"]);
    assert_eq!(scope.formats, [Format::Json, Format::Xml]);

    let town = example("municipality");
    let bijstand = activity(&town, "bijstand");
    assert_eq!(
        bijstand.dpia,
        [
            DpiaIndicator::Vulnerable(vec!["benefit-recipients".into()]),
            DpiaIndicator::AutomatedDecision,
            DpiaIndicator::Profiling,
        ]
    );
    assert_eq!(
        right(bijstand, Right::HumanIntervention).applies,
        Applies::Yes(vec![AppliesBecause::AutomatedDecision])
    );
    assert_eq!(
        right(bijstand, Right::Objection).applies,
        Applies::Yes(vec![AppliesBecause::Basis(BasisKind::PublicTask)])
    );
    assert_eq!(town.facts.dpo_required, [DpoReason::PublicBody]);
}

#[test]
fn breach_verdicts_on_the_examples() {
    let clinic = example("clinic");
    let laptop = &clinic.facts.breaches[0];
    assert_eq!(
        laptop.indicators,
        [
            RiskIndicator::SpecialCategory(vec!["diagnosis".into(), "treatment-notes".into()]),
            RiskIndicator::Vulnerable(vec!["patients".into()]),
            RiskIndicator::DeclaredHigh,
        ]
    );
    assert!(laptop.authority.required);
    assert_eq!(laptop.authority.reasons, [AuthorityReason::NoException]);
    assert_eq!(laptop.authority.timing, AuthorityTiming::OnTime);
    assert_eq!(laptop.authority.minutes_after_discovery, Some(1955));
    assert!(laptop.subjects.required);
    assert_eq!(laptop.subjects.reasons, [SubjectsReason::HighRisk]);

    let town = example("municipality");
    let letter = &town.facts.breaches[0];
    assert!(letter.high_risk);
    assert!(!letter.authority.required);
    assert!(matches!(
        letter.authority.reasons.as_slice(),
        [AuthorityReason::TrustedRecipient(who)] if who.starts_with("The neighbour")
    ));
    assert!(!letter.subjects.required);
    assert_eq!(letter.subjects.reasons, [SubjectsReason::TrustedRecipient]);
    assert_eq!(letter.affected_subjects, ["benefit-recipients", "citizens"]);
}

const PARTIES: &str = r#"
country ZZ "Zedland" { adequacy full since 2027-01-01 }
party cloud "Cloud Inc" {
  role processor; country US
  agreement { signed 2025-01-01; clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits }
  transfer scc { tia "TIA-1" }
}
party ch-host "Swiss host" {
  role processor; country CH
  agreement { signed 2025-01-01; clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits }
}
party zed "Zed Ltd" {
  role processor; country ZZ
  agreement { signed 2025-01-01; clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits }
}
system backup "Backup" { hosted-by ch-host; location IN; measures encryption }
activity archive "Archive" {
  purpose legal-compliance
  basis legal-obligation { law "Archiefwet" }
  subjects customers
  data name
  channel paper
  retention 7 years
  systems backup
  recipient cloud
  recipient zed
}
"#;

#[test]
fn transfer_status_protection_and_where_declared() {
    let analysis = snippet(PARTIES);
    let edges: Vec<(&str, &TransferStatus, Option<DeclaredOn>, bool)> = analysis
        .facts
        .transfers
        .iter()
        .map(|e| {
            (
                e.country.as_str(),
                &e.status,
                e.protection.as_ref().map(|p| p.declared),
                e.unprotected(),
            )
        })
        .collect();
    let cloud = analysis
        .model
        .parties
        .iter()
        .position(|p| p.header.name == "cloud")
        .unwrap();
    assert_eq!(
        edges,
        [
            // Not DPF-certified: the partial decision does not cover it; its SCCs do.
            (
                "US",
                &TransferStatus::PartialNotMet {
                    requires: "dpf".into()
                },
                Some(DeclaredOn::Party(cloud)),
                false
            ),
            // A decision that enters into force after `today` does not count yet.
            ("ZZ", &TransferStatus::NoDecision, None, true),
            // The system's location, then its host.
            ("IN", &TransferStatus::NoDecision, None, true),
            (
                "CH",
                &TransferStatus::AdequateFull {
                    since: Some(date("2000-07-26"))
                },
                None,
                false
            ),
        ]
    );
    assert!(matches!(
        analysis.facts.transfers[2].kind,
        EdgeKind::SystemLocation { .. }
    ));
    assert!(matches!(
        analysis.facts.transfers[3].kind,
        EdgeKind::SystemHost { .. }
    ));
    let host = analysis
        .model
        .parties
        .iter()
        .position(|p| p.header.name == "ch-host")
        .unwrap();
    assert_eq!(
        analysis.facts.transfers[3].destination(),
        Endpoint::Party(host)
    );
    assert!(matches!(
        analysis.facts.transfers[3].source(),
        Endpoint::System(_)
    ));
    assert_eq!(
        analysis.facts.transfers[0].destination(),
        Endpoint::Party(cloud)
    );
    assert!(matches!(
        analysis.facts.transfers[0].source(),
        Endpoint::Activity(_)
    ));
    // The findings are read from the same edges.
    let codes: Vec<&str> = analysis
        .diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|c| c.starts_with('T'))
        .collect();
    assert_eq!(codes, ["T001", "T001"]);

    let archive = activity(&analysis, "archive");
    // Paper only: not automated, so no portability (and a legal obligation brings none anyway).
    assert!(!archive.automated);
    assert_eq!(
        right(archive, Right::Erasure).applies,
        Applies::No(NotApplicable::BasisExcludes(Some(
            BasisKind::LegalObligation
        )))
    );
    let from: Vec<MeasureFrom> = archive.measures.iter().map(|m| m.from).collect();
    assert!(
        matches!(from.first(), Some(MeasureFrom::System(_))),
        "{from:?}"
    );
    assert_eq!(from.last(), Some(&MeasureFrom::Controller));
}

#[test]
fn portability_needs_automation_and_provided_data() {
    let text = r#"
data score "Score" { origin derived }
activity paper-forms "Paper" {
  purpose contract-performance
  basis contract
  subjects customers
  data name
  channel paper
  retention 1 year
}
activity scoring "Scoring" {
  purpose contract-performance
  basis contract
  subjects customers
  data score
  retention 1 year
}
"#;
    let analysis = snippet(text);
    assert_eq!(
        right(activity(&analysis, "paper-forms"), Right::Portability).applies,
        Applies::No(NotApplicable::NotAutomated)
    );
    assert_eq!(
        right(activity(&analysis, "scoring"), Right::Portability).applies,
        Applies::No(NotApplicable::OnlyDerivedData)
    );
    assert_eq!(activity(&analysis, "scoring").portability, None);
}

#[test]
fn breach_reasons_overdue_and_encryption_gap() {
    let text = r#"
activity payroll "Payroll" {
  purpose payroll
  basis legal-obligation { law "Wet op de loonbelasting 1964" }
  subjects employees
  data name, national-id
  retention 7 years
}
breach stolen "Stolen backup" {
  discovered 2026-11-01T10:00+01:00
  affects payroll
  encrypted { intact }
  risk unlikely "the disk was encrypted"
  facts "f"; effects "e"; actions "a"
}
"#;
    let analysis = snippet(text);
    let verdict = &analysis.facts.breaches[0];
    assert_eq!(
        verdict.indicators,
        [RiskIndicator::NationalId(vec!["national-id".into()])]
    );
    assert_eq!(
        verdict.authority.reasons,
        [
            AuthorityReason::NoException,
            AuthorityReason::UnlikelyOutweighed,
            AuthorityReason::EncryptionIncomplete(vec!["backup", "key-safe"]),
        ]
    );
    assert_eq!(verdict.authority.timing, AuthorityTiming::NotNotified);
    assert_eq!(
        verdict.authority.deadline.map(|d| d.to_string()).as_deref(),
        Some("2026-11-04T10:00+01:00")
    );
    // `today` is 2026-11-22 in the test support: 18 days past the deadline's date.
    assert_eq!(verdict.authority.overdue_days, Some(18));
    assert_eq!(
        verdict.subjects.reasons,
        [
            SubjectsReason::HighRisk,
            SubjectsReason::EncryptionIncomplete(vec!["backup", "key-safe"]),
        ]
    );
}

#[test]
fn onward_transfers_through_a_subprocessor_cycle_are_listed_once() {
    let clauses = "agreement { signed 2025-01-01; clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits; subprocessing general }";
    let text = format!(
        r#"
party first "First" {{ role processor; country NL; {clauses}; subprocessors second }}
party second "Second" {{ role processor; country IN; {clauses}; subprocessors first; transfer scc {{ tia "T" }} }}
activity mailing "Mailing" {{
  purpose customer-service
  basis contract
  subjects customers
  data name
  retention 1 year
  recipient first
}}
"#
    );
    let analysis = snippet(&text);
    let edges: Vec<(&str, Endpoint)> = analysis
        .facts
        .transfers_of(&analysis.model, &analysis.flow, 0)
        .into_iter()
        .map(|e| (e.country.as_str(), e.destination()))
        .collect();
    let [first, second] = [0, 1];
    assert_eq!(
        edges,
        [
            ("NL", Endpoint::Party(first)),
            ("IN", Endpoint::Party(second)),
            ("NL", Endpoint::Party(first)),
        ]
    );
    assert_eq!(analysis.facts.chain(second), [first, second]);
    assert_eq!(analysis.facts.chain(first), [first]);
}
