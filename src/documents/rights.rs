//! The rights matrix (`lawful rights`): per activity, every right of Art. 7(3) and 15–22,
//! whether it applies and why (the facts' reasons), its channel, the response time and
//! extension (Art. 12(3)), and what portability covers (provided and observed data, never
//! derived) in which formats. Read from the facts stage only.

use super::lang::Words;
use super::{csv_row, md, titled};
use crate::analysis::Analysis;
use crate::facts::{AppliesBecause, DeclaredIn, Effective, NotApplicable};
use crate::model::vocab::{BasisKind, Format, Right};
use crate::time::{Duration, Unit};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct RightsDoc {
    pub version: u32,
    pub activities: Vec<ActivityRights>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActivityRights {
    pub activity: String,
    pub title: Option<String>,
    pub basis: Option<String>,
    /// The response time in effect; `from` is `activity`, `controller` or `default`.
    pub response: Term,
    pub extension: Term,
    pub rights: Vec<RightEntry>,
    /// `null` when portability does not apply.
    pub portability: Option<Portability>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Term {
    pub value: String,
    pub from: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RightEntry {
    pub right: String,
    pub applies: bool,
    /// Why it applies (`always`, `basis`, `marketing-purpose`, `automated-decision`) or why
    /// not (`basis-excludes`, `no-basis`, `not-automated`, `only-derived-data`,
    /// `no-significant-decision`).
    pub reasons: Vec<String>,
    pub channel: Option<String>,
    /// `activity` or `controller`; `null` without a channel.
    pub channel_from: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Portability {
    pub provided: Vec<String>,
    pub observed: Vec<String>,
    /// Held but outside portability.
    pub derived: Vec<String>,
    pub formats: Vec<String>,
    /// Every listed format machine-readable (Art. 20(1)).
    pub machine_readable: bool,
}

fn from_word(from: DeclaredIn) -> &'static str {
    match from {
        DeclaredIn::Activity => "activity",
        DeclaredIn::Controller => "controller",
    }
}

fn term(effective: Option<&Effective<Duration>>, default: Duration) -> Term {
    match effective {
        Some(e) => Term {
            value: e.value.to_string(),
            from: from_word(e.from).to_string(),
        },
        None => Term {
            value: default.to_string(),
            from: "default".to_string(),
        },
    }
}

pub const DEFAULT_RESPONSE: Duration = Duration {
    count: 1,
    unit: Unit::Month,
};
pub const DEFAULT_EXTENSION: Duration = Duration {
    count: 2,
    unit: Unit::Month,
};

pub fn build(analysis: &Analysis) -> RightsDoc {
    let model = &analysis.model;
    let activities = model
        .activities
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.header.from_stdlib)
        .filter_map(|(a, activity)| {
            let facts = analysis.facts.activities.get(a)?;
            Some(ActivityRights {
                activity: activity.header.name.clone(),
                title: activity.header.title.clone(),
                basis: activity
                    .basis
                    .as_ref()
                    .map(|b| b.kind.keyword().to_string()),
                response: term(facts.response.as_ref(), DEFAULT_RESPONSE),
                extension: term(facts.extension.as_ref(), DEFAULT_EXTENSION),
                rights: facts
                    .rights
                    .iter()
                    .map(|r| {
                        let (applies, reasons) = match &r.applies {
                            crate::facts::Applies::Yes(because) => (
                                true,
                                because
                                    .iter()
                                    .map(|b| {
                                        match b {
                                            AppliesBecause::Always => "always",
                                            AppliesBecause::Basis(_) => "basis",
                                            AppliesBecause::MarketingPurpose => "marketing-purpose",
                                            AppliesBecause::AutomatedDecision => {
                                                "automated-decision"
                                            }
                                        }
                                        .to_string()
                                    })
                                    .collect(),
                            ),
                            crate::facts::Applies::No(why) => (
                                false,
                                vec![
                                    match why {
                                        NotApplicable::BasisExcludes(Some(_)) => "basis-excludes",
                                        NotApplicable::BasisExcludes(None) => "no-basis",
                                        NotApplicable::NotAutomated => "not-automated",
                                        NotApplicable::OnlyDerivedData => "only-derived-data",
                                        NotApplicable::NoSignificantDecision => {
                                            "no-significant-decision"
                                        }
                                    }
                                    .to_string(),
                                ],
                            ),
                        };
                        RightEntry {
                            right: r.right.keyword().to_string(),
                            applies,
                            reasons,
                            channel: r.channel.as_ref().map(|c| c.text.clone()),
                            channel_from: r.channel.as_ref().map(|c| from_word(c.from).to_string()),
                        }
                    })
                    .collect(),
                portability: facts.portability.as_ref().map(|p| Portability {
                    provided: p.provided.clone(),
                    observed: p.observed.clone(),
                    derived: p.derived.clone(),
                    formats: p.formats.iter().map(|f| f.keyword().to_string()).collect(),
                    machine_readable: !p.formats.is_empty()
                        && p.formats.iter().all(|f| f.machine_readable()),
                }),
            })
        })
        .collect();
    RightsDoc {
        version: 1,
        activities,
    }
}

/// Why a right applies or not, in words.
pub fn reasons_text(w: &Words, a: &ActivityRights, r: &RightEntry) -> String {
    let basis = a
        .basis
        .as_deref()
        .and_then(BasisKind::from_keyword)
        .map(|b| w.basis(b));
    r.reasons
        .iter()
        .map(|reason| match reason.as_str() {
            "always" => w.reason_always.to_string(),
            "basis" => format!("{}: {}", w.reason_basis, basis.unwrap_or("")),
            "marketing-purpose" => w.reason_marketing.to_string(),
            "automated-decision" => w.reason_decision.to_string(),
            "basis-excludes" => format!("{}: {}", w.reason_basis_excludes, basis.unwrap_or("")),
            "no-basis" => w.reason_no_basis.to_string(),
            "not-automated" => w.reason_not_automated.to_string(),
            "only-derived-data" => w.reason_only_derived.to_string(),
            _ => w.reason_no_decision.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn right_name(w: &Words, keyword: &str) -> String {
    Right::from_keyword(keyword).map_or(keyword.to_string(), |r| w.right(r).to_string())
}

pub fn term_text(w: &Words, t: &Term) -> String {
    super::parse_duration(&t.value).map_or(t.value.clone(), |d| w.duration(d))
}

pub fn portability_text(w: &Words, p: &Portability) -> String {
    let list = |items: &[String]| {
        if items.is_empty() {
            w.none.to_string()
        } else {
            items.join(", ")
        }
    };
    let formats: Vec<String> = p
        .formats
        .iter()
        .filter_map(|f| Format::from_keyword(f))
        .map(|f| f.keyword().to_string())
        .collect();
    format!(
        "{}: {}; {}: {}; {}: {}; {}: {}",
        w.provided,
        list(&p.provided),
        w.observed,
        list(&p.observed),
        w.derived_excluded,
        list(&p.derived),
        w.formats,
        list(&formats)
    )
}

pub fn markdown(w: &Words, doc: &RightsDoc) -> String {
    let mut out = format!("# {}\n", w.rights_title);
    for a in &doc.activities {
        out.push_str(&format!(
            "\n## {}\n\n{}: {}. {}: {}.\n\n| {} | {} | {} | {} |\n|---|---|---|---|\n",
            md(&titled(&a.activity, a.title.as_deref())),
            w.response,
            term_text(w, &a.response),
            w.extension,
            term_text(w, &a.extension),
            w.right,
            w.applies,
            w.why,
            w.channel
        ));
        for r in &a.rights {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md(&right_name(w, &r.right)),
                if r.applies { w.yes } else { w.no },
                md(&reasons_text(w, a, r)),
                md(r.channel
                    .as_deref()
                    .unwrap_or(if r.applies { w.not_stated } else { "—" }))
            ));
        }
        if let Some(p) = &a.portability {
            out.push_str(&format!(
                "\n{}: {}.\n",
                w.portability_scope,
                md(&portability_text(w, p))
            ));
        }
    }
    out
}

/// The CSV's stable columns: one row per activity and right.
pub const CSV_COLUMNS: [&str; 11] = [
    "activity",
    "right",
    "applies",
    "reasons",
    "channel",
    "channel_from",
    "response",
    "extension",
    "portability_provided",
    "portability_observed",
    "portability_formats",
];

/// Column ids as the header (stable for tools), values as keywords: the CSV is data.
pub fn csv(doc: &RightsDoc, bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    out.push_str(&csv_row(
        &CSV_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
    ));
    for a in &doc.activities {
        for r in &a.rights {
            let portability = a.portability.as_ref().filter(|_| r.right == "portability");
            out.push_str(&csv_row(&[
                a.activity.clone(),
                r.right.clone(),
                if r.applies { "yes" } else { "no" }.to_string(),
                r.reasons.join(" "),
                r.channel.clone().unwrap_or_default(),
                r.channel_from.clone().unwrap_or_default(),
                a.response.value.clone(),
                a.extension.value.clone(),
                portability
                    .map(|p| p.provided.join(" "))
                    .unwrap_or_default(),
                portability
                    .map(|p| p.observed.join(" "))
                    .unwrap_or_default(),
                portability.map(|p| p.formats.join(" ")).unwrap_or_default(),
            ]));
        }
    }
    out
}

pub fn json(doc: &RightsDoc) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_default() + "\n"
}
