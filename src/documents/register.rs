//! The Art. 30(1) record of processing activities: [`build`] reads the one analysis (model,
//! flow and facts) into a language-neutral [`Register`], which is also the `--format json`
//! document (schema: docs/schemas/register.schema.json); the renderers word it per language.
//!
//! Complexity: linear in the model plus, per activity, the transfer edges its data travels
//! ([`crate::facts::Facts::transfers_of`]) and the chain of each onward edge.

use crate::analysis::Analysis;
use crate::facts::{DpiaIndicator, EdgeKind, MeasureFrom, TransferEdge, TransferStatus};
use crate::model::vocab::{BasisKind, Role};
use crate::model::{Activity, Header, Measure, Model, Retention, SourceOf};
use crate::syntax::ast::Kind;
use crate::time::{Date, Duration};
use serde::Serialize;

/// The register's JSON version (`version`), raised on an incompatible change.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct Register {
    pub version: u32,
    /// The date the register describes (`--today`, `lawful.toml`, else the clock).
    pub date: String,
    pub controller: ControllerEntry,
    pub activities: Vec<ActivityEntry>,
    /// The `allow` suppressions of every other declaration (parties, systems, data, …), with
    /// the declaration they belong to: `party:nimbus`. The controller's and each activity's
    /// are under `controller` and the activity.
    pub allows: Vec<DeclarationAllow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeclarationAllow {
    pub declaration: String,
    pub code: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ControllerEntry {
    pub name: Option<String>,
    pub title: Option<String>,
    pub contact: Option<String>,
    pub country: Option<String>,
    pub dpo: Option<String>,
    /// Why Art. 37(1) requires a DPO (`public-body`, `large-scale-monitoring`,
    /// `large-scale-sensitive`); empty when it does not.
    pub dpo_required: Vec<String>,
    pub representative: Option<String>,
    pub notice: Option<String>,
    pub allows: Vec<AllowEntry>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AllowEntry {
    pub code: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Named {
    pub name: String,
    pub title: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PurposeEntry {
    pub name: String,
    pub title: Option<String>,
    pub kind: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BasisEntry {
    /// `consent`, `contract`, `legal-obligation`, `vital-interests`, `public-task`,
    /// `legitimate-interest`.
    pub kind: String,
    /// `6(1)(a)` … `6(1)(f)`.
    pub article: String,
    pub law: Option<String>,
    pub interest: Option<String>,
    pub assessment: Option<String>,
    pub contract: Option<String>,
    pub evidence: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DataEntry {
    pub name: String,
    pub title: Option<String>,
    /// The Art. 9(1) category, when special.
    pub special: Option<String>,
    /// Art. 10 criminal-offence data.
    pub criminal: bool,
    /// `provided`, `observed` or `derived`.
    pub origin: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SourceEntry {
    /// `subject` (collected from the person, Art. 13), `public` or `party` (Art. 14).
    pub kind: String,
    /// The party's name and title, for `party`.
    pub name: Option<String>,
    pub title: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecipientEntry {
    pub name: String,
    pub title: Option<String>,
    pub country: Option<String>,
    /// The data categories it receives.
    pub data: Vec<String>,
    /// How it receives them when not directly: `system:NAME` (it hosts that system) or
    /// `party:NAME` (a subprocessor of that processor).
    pub through: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Recipients {
    pub processors: Vec<RecipientEntry>,
    pub controllers: Vec<RecipientEntry>,
    pub joint_controllers: Vec<RecipientEntry>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TransferEntry {
    /// `party:NAME` or `system:NAME`: who or what receives the data there.
    pub to: String,
    pub to_title: Option<String>,
    /// `recipient`, `storage`, `hosting` or `onward`.
    pub kind: String,
    pub country: String,
    /// `adequate`, `adequate-partial`, `partial-not-met`, `not-adequate`.
    pub status: String,
    /// The certification a partial adequacy decision requires (e.g. `dpf`).
    pub requires: Option<String>,
    /// The Art. 46/47/49 mechanism (`scc`, `bcr`, …, `derogation`); `null` when none.
    pub mechanism: Option<String>,
    pub derogation: Option<String>,
    pub tia: Option<String>,
    /// The processors the data passes through before this one (onward transfers), first
    /// the one that received it directly.
    pub via: Vec<String>,
    /// Adequate, or protected by a mechanism.
    pub protected: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct RetentionEntry {
    /// `period`, `after`, `until-withdrawn`, `indefinite`.
    pub kind: String,
    /// `7 years` (English keywords, as written in the policy).
    pub period: Option<String>,
    pub after: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MeasureEntry {
    /// The keyword (`encryption`, …) or the text of a custom measure.
    pub measure: String,
    pub custom: bool,
    /// `activity`, `controller` or `system:NAME`.
    pub from: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ConditionEntry {
    pub ground: String,
    /// `9(2)(a)` … `9(2)(j)`.
    pub article: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DpiaEntry {
    pub reference: Option<String>,
    /// `special-or-criminal`, `large-scale`, `vulnerable`, `automated-decision`, `profiling`,
    /// `monitoring`.
    pub indicators: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DecisionEntry {
    pub effect: Option<String>,
    pub exception: Option<String>,
    pub safeguards: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActivityEntry {
    pub name: String,
    pub title: Option<String>,
    pub purpose: Option<PurposeEntry>,
    pub basis: Option<BasisEntry>,
    pub special_condition: Option<ConditionEntry>,
    pub criminal_authorised_by: Option<String>,
    pub subjects: Vec<Named>,
    pub data: Vec<DataEntry>,
    pub sources: Vec<SourceEntry>,
    pub recipients: Recipients,
    pub transfers: Vec<TransferEntry>,
    pub retention: Option<RetentionEntry>,
    pub measures: Vec<MeasureEntry>,
    pub systems: Vec<String>,
    pub dpia: DpiaEntry,
    pub automated_decision: Option<DecisionEntry>,
    pub profiling: bool,
    pub monitoring: bool,
    pub large_scale: bool,
    pub informed: Option<String>,
    pub allows: Vec<AllowEntry>,
}

const BASIS_POINTS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];
const ART9_POINTS: [&str; 10] = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];

/// The Art. 6(1) point of a basis: `a` … `f`.
pub fn basis_point(kind: BasisKind) -> &'static str {
    let i = BasisKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    BASIS_POINTS[i]
}

/// The Art. 9(2) point of a ground: `a` … `j`.
pub fn art9_point(ground: crate::model::vocab::Art9Ground) -> &'static str {
    let i = crate::model::vocab::Art9Ground::ALL
        .iter()
        .position(|g| *g == ground)
        .unwrap_or(0);
    ART9_POINTS[i]
}

fn allows(header: &Header) -> Vec<AllowEntry> {
    header
        .allows
        .iter()
        .map(|a| AllowEntry {
            code: a.code.clone(),
            reason: a.reason.clone(),
        })
        .collect()
}

fn duration(d: Duration) -> String {
    d.to_string()
}

/// The register of one analysed workspace, as of `today`. User activities only, in source
/// order.
pub fn build(analysis: &Analysis, today: Date) -> Register {
    let model = &analysis.model;
    let facts = &analysis.facts;
    let controller = model
        .controller
        .as_ref()
        .map(|c| ControllerEntry {
            name: Some(c.header.name.clone()),
            title: c.header.title.clone(),
            contact: c.contact.clone(),
            country: c.country.as_ref().map(|r| r.name.clone()),
            dpo: c.dpo.clone(),
            dpo_required: facts
                .dpo_required
                .iter()
                .map(|r| {
                    match r {
                        crate::facts::DpoReason::PublicBody => "public-body",
                        crate::facts::DpoReason::LargeScaleMonitoring { .. } => {
                            "large-scale-monitoring"
                        }
                        crate::facts::DpoReason::LargeScaleSensitive { .. } => {
                            "large-scale-sensitive"
                        }
                    }
                    .to_string()
                })
                .collect(),
            representative: c.representative.clone(),
            notice: c.notice.clone(),
            allows: allows(&c.header),
        })
        .unwrap_or_default();
    let activities = model
        .activities
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.header.from_stdlib)
        .map(|(a, activity)| activity_entry(analysis, a, activity))
        .collect();
    let allows = model
        .headers()
        .filter(|h| !h.from_stdlib && !matches!(h.kind, Kind::Controller | Kind::Activity))
        .flat_map(|h| {
            h.allows.iter().map(move |a| DeclarationAllow {
                declaration: format!("{}:{}", h.kind.keyword(), h.name),
                code: a.code.clone(),
                reason: a.reason.clone(),
            })
        })
        .collect();
    Register {
        version: VERSION,
        date: today.to_string(),
        controller,
        activities,
        allows,
    }
}

/// Every data category the activity holds: its own (composites expanded, in order of
/// writing), then what it reuses from other activities (sorted).
pub fn held_data(analysis: &Analysis, a: usize, activity: &Activity) -> Vec<String> {
    let model = &analysis.model;
    let mut data = model.expand_data(
        activity
            .data
            .iter()
            .flat_map(|s| s.refs.iter().map(|r| r.name.as_str())),
    );
    if let Some(holdings) = analysis.flow.holdings.get(a) {
        let own: std::collections::BTreeSet<String> = data.iter().cloned().collect();
        data.extend(holdings.iter().filter(|d| !own.contains(*d)).cloned());
    }
    data
}

fn named(model: &Model, kind: Kind, name: &str) -> Named {
    let title = match kind {
        Kind::Subjects => model
            .subjects_category(name)
            .and_then(|s| s.header.title.clone()),
        Kind::Party => model.party(name).and_then(|p| p.header.title.clone()),
        Kind::System => model.system(name).and_then(|s| s.header.title.clone()),
        _ => None,
    };
    Named {
        name: name.to_string(),
        title,
    }
}

fn activity_entry(analysis: &Analysis, a: usize, activity: &Activity) -> ActivityEntry {
    let model = &analysis.model;
    let facts = &analysis.facts;
    let data = held_data(analysis, a, activity);
    let purpose = activity.purpose.as_ref().map(|p| {
        let declared = model.purpose(&p.name);
        PurposeEntry {
            name: p.name.clone(),
            title: declared.and_then(|d| d.header.title.clone()),
            kind: declared.map_or("general", |d| d.kind.keyword()).to_string(),
        }
    });
    let basis = activity.basis.as_ref().map(|b| BasisEntry {
        kind: b.kind.keyword().to_string(),
        article: format!("6(1)({})", basis_point(b.kind)),
        law: b.law.clone(),
        interest: b.interest.clone(),
        assessment: b.assessment.clone(),
        contract: b.contract.clone(),
        evidence: b.evidence.clone(),
    });
    let data_entries = data
        .iter()
        .map(|name| {
            let category = model.data_category(name);
            DataEntry {
                name: name.clone(),
                title: category.and_then(|c| c.header.title.clone()),
                special: category
                    .and_then(|c| c.special)
                    .map(|s| s.keyword().to_string()),
                criminal: category.is_some_and(|c| c.criminal),
                origin: category
                    .map_or("provided", |c| c.origin.keyword())
                    .to_string(),
            }
        })
        .collect();
    let plain = |kind: &str| SourceEntry {
        kind: kind.to_string(),
        name: None,
        title: None,
    };
    let sources = if activity.sources.is_empty() {
        vec![plain("subject")]
    } else {
        activity
            .sources
            .iter()
            .map(|s| match &s.value {
                SourceOf::Subject => plain("subject"),
                SourceOf::Public => plain("public"),
                SourceOf::Party(r) => SourceEntry {
                    kind: "party".to_string(),
                    name: Some(r.name.clone()),
                    title: model.party(&r.name).and_then(|p| p.header.title.clone()),
                },
            })
            .collect()
    };
    let edges = facts.transfers_of(model, &analysis.flow, a);
    let recipients = recipients(analysis, a, activity, &data);
    let transfers = transfers(analysis, &edges);
    let retention = activity.retention.as_ref().map(|r| match &r.value {
        Retention::For(d) => RetentionEntry {
            kind: "period".into(),
            period: Some(duration(*d)),
            after: None,
        },
        Retention::After(d, event) => RetentionEntry {
            kind: "after".into(),
            period: Some(duration(*d)),
            after: Some(event.clone()),
        },
        Retention::UntilWithdrawn => RetentionEntry {
            kind: "until-withdrawn".into(),
            period: None,
            after: None,
        },
        Retention::Indefinite => RetentionEntry {
            kind: "indefinite".into(),
            period: None,
            after: None,
        },
    });
    let activity_facts = facts.activities.get(a);
    let mut measures: Vec<MeasureEntry> = Vec::new();
    let mut listed: std::collections::BTreeSet<(String, String)> = Default::default();
    for m in activity_facts.map(|f| f.measures.as_slice()).unwrap_or(&[]) {
        let (measure, custom) = match &m.measure {
            Measure::Known(kind) => (kind.keyword().to_string(), false),
            Measure::Custom(text) => (text.clone(), true),
        };
        let from = match m.from {
            MeasureFrom::Activity => "activity".to_string(),
            MeasureFrom::Controller => "controller".to_string(),
            MeasureFrom::System(s) => model.systems.get(s).map_or("system".to_string(), |s| {
                format!("system:{}", s.header.name)
            }),
        };
        // One entry per measure and origin: a measure declared twice is listed once.
        if listed.insert((measure.clone(), from.clone())) {
            measures.push(MeasureEntry {
                measure,
                custom,
                from,
            });
        }
    }
    let indicators = activity_facts
        .map(|f| {
            f.dpia
                .iter()
                .map(|i| dpia_word(i).to_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    ActivityEntry {
        name: activity.header.name.clone(),
        title: activity.header.title.clone(),
        purpose,
        basis,
        special_condition: activity.exception.as_ref().map(|e| ConditionEntry {
            ground: e.value.keyword().to_string(),
            article: format!("9(2)({})", art9_point(e.value)),
        }),
        criminal_authorised_by: activity.authorized_by.clone(),
        subjects: activity
            .subjects
            .iter()
            .map(|s| named(model, Kind::Subjects, &s.name))
            .collect(),
        data: data_entries,
        sources,
        recipients,
        transfers,
        retention,
        measures,
        systems: activity.systems.iter().map(|s| s.name.clone()).collect(),
        dpia: DpiaEntry {
            reference: activity.dpia.clone(),
            indicators,
        },
        automated_decision: activity.automated_decision.as_ref().map(|d| DecisionEntry {
            effect: d.effect.map(|e| e.keyword().to_string()),
            exception: d.exception.map(|e| e.keyword().to_string()),
            safeguards: d
                .safeguards
                .iter()
                .map(|s| s.keyword().to_string())
                .collect(),
        }),
        profiling: activity.profiling,
        monitoring: activity.monitoring,
        large_scale: activity.large_scale,
        informed: activity
            .informed
            .clone()
            .or_else(|| model.controller.as_ref().and_then(|c| c.notice.clone())),
        allows: allows(&activity.header),
    }
}

pub fn dpia_word(indicator: &DpiaIndicator) -> &'static str {
    match indicator {
        DpiaIndicator::SpecialOrCriminal(_) => "special-or-criminal",
        DpiaIndicator::LargeScale => "large-scale",
        DpiaIndicator::Vulnerable(_) => "vulnerable",
        DpiaIndicator::AutomatedDecision => "automated-decision",
        DpiaIndicator::Profiling => "profiling",
        DpiaIndicator::Monitoring => "monitoring",
    }
}

/// Direct recipients by role, the hosts of the activity's systems, and the subprocessors its
/// data reaches onward, each once, in that order.
fn recipients(analysis: &Analysis, a: usize, activity: &Activity, data: &[String]) -> Recipients {
    let model = &analysis.model;
    let mut out = Recipients::default();
    let mut seen: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    let push = |seen: &mut std::collections::BTreeSet<usize>,
                out: &mut Recipients,
                p: usize,
                data: Vec<String>,
                through: Option<String>| {
        if !seen.insert(p) {
            return;
        }
        let party = &model.parties[p];
        let entry = RecipientEntry {
            name: party.header.name.clone(),
            title: party.header.title.clone(),
            country: party.country.as_ref().map(|c| c.name.clone()),
            data,
            through,
        };
        match party.role {
            Some(Role::Controller) => out.controllers.push(entry),
            Some(Role::JointController) => out.joint_controllers.push(entry),
            Some(Role::Processor) | None => out.processors.push(entry),
        }
    };
    for recipient in &activity.recipients {
        let Some(p) = model.position(Kind::Party, &recipient.party.name) else {
            continue;
        };
        let sent = match &recipient.data {
            Some(refs) => model.expand_data(refs.iter().map(|r| r.name.as_str())),
            None => data.to_vec(),
        };
        push(&mut seen, &mut out, p, sent, None);
    }
    for system in &activity.systems {
        let Some(host) = model
            .system(&system.name)
            .and_then(|s| s.hosted_by.as_ref())
            .and_then(|h| model.position(Kind::Party, &h.value.name))
        else {
            continue;
        };
        push(
            &mut seen,
            &mut out,
            host,
            data.to_vec(),
            Some(format!("system:{}", system.name)),
        );
    }
    // Onward: every subprocessor the activity's data reaches, through the processor
    // that passes it on (the flow says which data arrives there).
    let held: std::collections::BTreeSet<&str> = data.iter().map(String::as_str).collect();
    let mut queue: std::collections::VecDeque<usize> = seen.iter().copied().collect();
    let mut visited = seen.clone();
    while let Some(p) = queue.pop_front() {
        for statement in &model.parties[p].subprocessors {
            for sub in &statement.parties {
                let Some(q) = model.position(Kind::Party, &sub.name) else {
                    continue;
                };
                if !analysis.flow.party_activities(q).contains(&a) || !visited.insert(q) {
                    continue;
                }
                let reaching: Vec<String> = analysis
                    .flow
                    .party_data(q)
                    .iter()
                    .filter(|d| held.contains(d.as_str()))
                    .cloned()
                    .collect();
                push(
                    &mut seen,
                    &mut out,
                    q,
                    reaching,
                    Some(format!("party:{}", model.parties[p].header.name)),
                );
                queue.push_back(q);
            }
        }
    }
    out
}

/// The third-country edges: everything outside the EEA and the controller's own country,
/// adequate or not, reached by data, each destination and country once.
fn transfers(analysis: &Analysis, edges: &[&TransferEdge]) -> Vec<TransferEntry> {
    let model = &analysis.model;
    let facts = &analysis.facts;
    let mut out: Vec<TransferEntry> = Vec::new();
    let mut listed: std::collections::BTreeSet<(String, String)> = Default::default();
    for edge in edges {
        if !edge.reached {
            continue;
        }
        let (status, requires) = match &edge.status {
            TransferStatus::Unknown | TransferStatus::Eea | TransferStatus::OwnCountry => continue,
            TransferStatus::AdequateFull { .. } => ("adequate", None),
            TransferStatus::AdequatePartial { requires, .. } => {
                ("adequate-partial", requires.clone())
            }
            TransferStatus::PartialNotMet { requires } => {
                ("partial-not-met", Some(requires.clone()))
            }
            TransferStatus::NoDecision => ("not-adequate", None),
        };
        let (to, to_title, kind, via) = match edge.kind {
            EdgeKind::Recipient { party, .. } => {
                let p = &model.parties[party];
                (
                    format!("party:{}", p.header.name),
                    p.header.title.clone(),
                    "recipient",
                    Vec::new(),
                )
            }
            EdgeKind::SystemLocation { system } => {
                let s = &model.systems[system];
                (
                    format!("system:{}", s.header.name),
                    s.header.title.clone(),
                    "storage",
                    Vec::new(),
                )
            }
            EdgeKind::SystemHost { host, .. } => {
                let p = &model.parties[host];
                (
                    format!("party:{}", p.header.name),
                    p.header.title.clone(),
                    "hosting",
                    Vec::new(),
                )
            }
            EdgeKind::Subprocessor { subprocessor, .. } => {
                let p = &model.parties[subprocessor];
                let mut chain = facts.chain(subprocessor);
                chain.pop();
                (
                    format!("party:{}", p.header.name),
                    p.header.title.clone(),
                    "onward",
                    chain
                        .into_iter()
                        .map(|q| model.parties[q].header.name.clone())
                        .collect(),
                )
            }
        };
        if !listed.insert((to.clone(), edge.country.clone())) {
            continue;
        }
        let protection = edge.protection.as_ref();
        out.push(TransferEntry {
            to,
            to_title,
            kind: kind.to_string(),
            country: edge.country.clone(),
            status: status.to_string(),
            requires,
            mechanism: protection.map(|p| p.mechanism.keyword().to_string()),
            derogation: protection
                .and_then(|p| p.derogation)
                .map(|d| d.keyword().to_string()),
            tia: protection.and_then(|p| p.tia.clone()),
            via,
            protected: !edge.status.needs_tool() || protection.is_some(),
        });
    }
    out
}
