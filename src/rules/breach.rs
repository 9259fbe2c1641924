//! N — personal-data breaches (Art. 33, 34; UAVG art. 41–42; Wft): the notification decision
//! of SPEC §4.3 "N", shared by `lawful check` (N001–N006) and `lawful breach`.

use super::{Context, names};
use crate::analysis::Settings;
use crate::diag::Diagnostic;
use crate::flow::Flow;
use crate::model::vocab::{BreachException, Risk};
use crate::model::{Breach, Model};
use crate::syntax::ast::Kind;
use serde::Serialize;
use std::collections::BTreeSet;

/// "72 h 01 min": exact, so a notification a minute late never reads as "72 hours".
pub fn elapsed(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let minutes = minutes.abs();
    format!("{sign}{} h {:02} min", minutes / 60, minutes % 60)
}

/// Hours the controller has to notify the authority (Art. 33(1)).
pub const AUTHORITY_DEADLINE_HOURS: i64 = 72;

/// The decision for one breach, with the reasons that led to it.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    pub breach: String,
    pub title: Option<String>,
    pub discovered: Option<String>,
    pub affected_data: Vec<String>,
    pub affected_subjects: Vec<String>,
    pub subjects_affected: Option<u64>,
    /// High-risk indicators found in the facts.
    pub indicators: Vec<String>,
    pub high_risk: bool,
    pub authority: AuthorityVerdict,
    pub data_subjects: SubjectsVerdict,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuthorityVerdict {
    pub required: bool,
    pub reasons: Vec<String>,
    /// discovered + 72 hours, in the offset `discovered` was written in.
    pub deadline: Option<String>,
    pub notified: Option<String>,
    pub hours_after_discovery: Option<f64>,
    /// The same, exactly, in whole minutes.
    pub minutes_after_discovery: Option<i64>,
    /// `Some(true)` notified within 72 hours, `Some(false)` late, `None` not notified.
    pub on_time: Option<bool>,
    pub delay_reason: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SubjectsVerdict {
    pub required: bool,
    pub reasons: Vec<String>,
    /// Art. 34(3)(c): a public communication may replace individual messages.
    pub public_communication_allowed: bool,
    pub notified: Option<String>,
}

pub fn assess(model: &Model, flow: &Flow, breach: &Breach, settings: &Settings) -> Assessment {
    let mut data: BTreeSet<String> = BTreeSet::new();
    let mut subjects: BTreeSet<String> = BTreeSet::new();
    let mut profiling: Vec<&str> = Vec::new();
    for affected in &breach.affects {
        let Some(a) = model.position(Kind::Activity, &affected.name) else {
            continue;
        };
        let activity = &model.activities[a];
        // Everything the activity holds, including what reaches it through `reuses`, and the
        // people that data is about: those of the activities it came from as well.
        data.extend(flow.holdings[a].iter().cloned());
        subjects.extend(activity.subjects.iter().map(|s| s.name.clone()));
        // People of an upstream activity are affected only if their data (what that activity
        // collected itself) is among what the breached activity holds.
        for origin in flow.origins(model, a).keys() {
            let upstream = &model.activities[*origin];
            if crate::flow::own_data(model, upstream)
                .iter()
                .any(|d| flow.holdings[a].contains(d))
            {
                subjects.extend(upstream.subjects.iter().map(|s| s.name.clone()));
            }
        }
        if activity.profiling {
            profiling.push(&activity.header.name);
        }
    }
    data.extend(model.expand_data(breach.data.iter().map(|r| r.name.as_str())));
    subjects.extend(breach.subjects.iter().map(|s| s.name.clone()));

    let mut indicators = Vec::new();
    let flagged = |test: fn(&crate::model::DataCategory) -> bool| -> Vec<&str> {
        data.iter()
            .filter(|d| model.data_category(d).is_some_and(test))
            .map(String::as_str)
            .collect()
    };
    for (label, found) in [
        ("special-category data", flagged(|d| d.special.is_some())),
        ("criminal-offence data", flagged(|d| d.criminal)),
        (
            "national identification numbers",
            flagged(|d| d.national_id),
        ),
        ("financial data", flagged(|d| d.financial)),
    ] {
        if !found.is_empty() {
            indicators.push(format!("{label} ({})", names(found)));
        }
    }
    let vulnerable: Vec<&str> = subjects
        .iter()
        .filter(|s| {
            model
                .subjects_category(s)
                .is_some_and(|c| c.minors || c.vulnerable)
        })
        .map(String::as_str)
        .collect();
    if !vulnerable.is_empty() {
        indicators.push(format!(
            "minors or vulnerable people ({})",
            names(vulnerable)
        ));
    }
    if !profiling.is_empty() {
        indicators.push(format!("profiling in {}", names(profiling)));
    }
    if let Some(count) = breach.subjects_affected
        && count >= settings.config.large_scale
    {
        indicators.push(format!(
            "{count} people affected, at or above the large-scale threshold of {}",
            settings.config.large_scale
        ));
    }
    let declared_high = breach
        .risk
        .as_ref()
        .is_some_and(|r| r.value.0 == Risk::High);
    if declared_high {
        indicators.push("the controller assessed the risk as high".to_string());
    }
    let high_risk = !indicators.is_empty();

    let encrypted = breach
        .encrypted
        .is_some_and(|e| e.intact && e.backup && e.key_safe);
    let unlikely = breach
        .risk
        .as_ref()
        .is_some_and(|r| r.value.0 == Risk::Unlikely);

    // Authority (Art. 33(1)).
    let mut authority_reasons = Vec::new();
    if encrypted {
        authority_reasons.push("the data was encrypted with the key safe, intact and backed up, so it is unintelligible and recoverable".to_string());
    }
    if let Some(recipient) = &breach.trusted_recipient {
        authority_reasons.push(format!(
            "a trusted recipient returned or destroyed the data ({recipient})"
        ));
    }
    if unlikely {
        authority_reasons.push(
            "the controller assessed that the breach is unlikely to result in a risk".to_string(),
        );
    }
    let authority_required = authority_reasons.is_empty();
    if authority_required {
        authority_reasons.push("no exception applies: a breach must be notified unless it is unlikely to result in a risk (Art. 33(1))".to_string());
    }
    let deadline = breach
        .discovered
        .map(|d| d.plus_hours(AUTHORITY_DEADLINE_HOURS));
    let hours_after = match (breach.discovered, &breach.notified_authority) {
        (Some(discovered), Some(notified)) => {
            Some(discovered.minutes_until(notified.value) as f64 / 60.0)
        }
        _ => None,
    };
    let on_time = match (deadline, &breach.notified_authority) {
        (Some(deadline), Some(notified)) => Some(notified.value <= deadline),
        _ => None,
    };

    // Data subjects (Art. 34).
    let mut subject_reasons = Vec::new();
    let wft = model.controller.as_ref().is_some_and(|c| {
        c.financial_institution
            && c.country
                .as_ref()
                .is_some_and(|country| country.name == "NL")
    });
    if high_risk {
        if encrypted {
            subject_reasons.push("Art. 34(3)(a): the data was unintelligible to anyone who saw it (encryption exception)".to_string());
        }
        if breach.trusted_recipient.is_some() {
            subject_reasons.push("a trusted recipient returned or destroyed the data".to_string());
        }
        if let Some(contained) = &breach.contained {
            subject_reasons.push(format!("Art. 34(3)(b): measures taken right after the breach remove the high risk ({contained})"));
        }
        if let Some(exception) = breach.exception {
            subject_reasons.push(match exception {
                BreachException::PublicInterest => "UAVG art. 41(1) (GDPR Art. 23): informing the people would harm an important public interest, such as national or public security".to_string(),
                BreachException::OthersPrivacy => "UAVG art. 41(1) (GDPR Art. 23): informing the people would harm the rights and freedoms of others, such as their privacy".to_string(),
            });
        }
        if wft {
            subject_reasons.push("UAVG art. 42 with the Wft: a Dutch financial institution is exempt from informing the people concerned".to_string());
        }
    }
    let subjects_required = high_risk && subject_reasons.is_empty();
    if subjects_required {
        subject_reasons.push(format!(
            "the breach is likely to result in a high risk: {}",
            indicators.join("; ")
        ));
    } else if !high_risk {
        subject_reasons.push(
            "no high-risk indicator is present, so the people need not be informed (Art. 34(1))"
                .to_string(),
        );
    }

    Assessment {
        breach: breach.header.name.clone(),
        title: breach.header.title.clone(),
        discovered: breach.discovered.map(|d| d.to_string()),
        affected_data: data.into_iter().collect(),
        affected_subjects: subjects.into_iter().collect(),
        subjects_affected: breach.subjects_affected,
        indicators,
        high_risk,
        authority: AuthorityVerdict {
            required: authority_required,
            reasons: authority_reasons,
            deadline: deadline.map(|d| d.to_string()),
            notified: breach
                .notified_authority
                .as_ref()
                .map(|n| n.value.to_string()),
            hours_after_discovery: hours_after.map(|h| (h * 10.0).round() / 10.0),
            minutes_after_discovery: match (breach.discovered, &breach.notified_authority) {
                (Some(discovered), Some(notified)) => {
                    Some(discovered.minutes_until(notified.value))
                }
                _ => None,
            },
            on_time,
            delay_reason: breach.delay_reason.clone(),
        },
        data_subjects: SubjectsVerdict {
            required: subjects_required,
            reasons: subject_reasons,
            public_communication_allowed: subjects_required && breach.disproportionate_effort,
            notified: breach
                .notified_subjects
                .as_ref()
                .map(|n| n.value.to_string()),
        },
    }
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for breach in cx.model.breaches.iter().filter(|b| !b.header.from_stdlib) {
        let name = &breach.header.name;
        let missing: Vec<&str> = [
            ("facts", &breach.facts),
            ("effects", &breach.effects),
            ("actions", &breach.actions),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(key, _)| key)
        .collect();
        if !missing.is_empty() {
            out.push(
                Diagnostic::new("N005", breach.header.name_span, format!("the register entry for breach `{name}` lacks {}", names(missing.iter().copied())))
                    .with_note("Art. 33(5): document every breach: the facts, its effects and the remedial action taken")
                    .with_help(format!("add {}", missing.iter().map(|m| format!("`{m} \"…\"`")).collect::<Vec<_>>().join(", "))),
            );
        }
        let assessment = assess(cx.model, cx.flow, breach, cx.settings);
        if let Some(risk) = &breach.risk {
            let indicators: Vec<&String> = assessment
                .indicators
                .iter()
                .filter(|i| !i.starts_with("the controller assessed"))
                .collect();
            if risk.value.0 == Risk::Unlikely && !indicators.is_empty() {
                out.push(
                    Diagnostic::new("N006", risk.stmt, format!("risk declared `unlikely`, but the facts show high-risk indicators: {}", indicators.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")))
                        .with_help("reassess the risk; if it stays `unlikely`, record why in the `risk` string and the breach register"),
                );
            }
        }
        if breach.discovered.is_none() {
            continue; // E007 already; no deadline can be computed.
        }
        if assessment.authority.required && breach.notified_authority.is_none() {
            out.push(
                Diagnostic::new("N001", breach.header.name_span, format!("breach `{name}` must be notified to the supervisory authority, and no notification is recorded"))
                    .with_note(format!("deadline: {} (72 hours after discovery)", assessment.authority.deadline.clone().unwrap_or_default()))
                    .with_help("notify the authority (in NL: the AP's data-breach desk) and add `notified-authority <date-time>`"),
            );
        }
        if let (Some(notified), Some(false)) =
            (&breach.notified_authority, assessment.authority.on_time)
            && breach.delay_reason.is_none()
        {
            out.push(
                    Diagnostic::new("N002", notified.stmt, format!("the authority was notified {} after discovery, more than 72 hours, without a reason for the delay", elapsed(assessment.authority.minutes_after_discovery.unwrap_or_default())))
                        .with_note("Art. 33(1): a notification after 72 hours must be accompanied by the reasons for the delay")
                        .with_help("add `delay-reason \"…\"`"),
                );
        }
        if assessment.data_subjects.required && breach.notified_subjects.is_none() {
            let how = if breach.disproportionate_effort {
                " (a public communication may replace individual messages)"
            } else {
                ""
            };
            out.push(
                Diagnostic::new("N003", breach.header.name_span, format!("the people affected by breach `{name}` must be informed{how}, and no notification is recorded"))
                    .with_note(format!("high-risk indicators: {}", assessment.indicators.join("; ")))
                    .with_help("inform them without undue delay, in clear language, and add `notified-subjects <date-time>`"),
            );
        }
        out.push(verdict(&assessment, breach));
    }
}

/// N004: the verdict itself, shown on the breach so the editor displays it.
fn verdict(assessment: &Assessment, breach: &Breach) -> Diagnostic {
    let authority = if assessment.authority.required {
        format!(
            "notify the authority by {}",
            assessment.authority.deadline.clone().unwrap_or_default()
        )
    } else {
        "the authority need not be notified".to_string()
    };
    let people = if assessment.affected_subjects.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            names(assessment.affected_subjects.iter().map(String::as_str))
        )
    };
    let subjects = match (
        assessment.data_subjects.required,
        assessment.data_subjects.public_communication_allowed,
    ) {
        (true, true) => {
            format!("inform the people affected{people}; a public communication may do")
        }
        (true, false) => format!("inform the people affected{people}"),
        (false, _) => "the people affected need not be informed".to_string(),
    };
    let mut diagnostic = Diagnostic::new(
        "N004",
        breach.header.name_span,
        format!("breach `{}`: {authority}; {subjects}", breach.header.name),
    )
    .with_help(
        "`lawful breach` shows the full verdict: deadlines, indicators and whether they were met",
    );
    for reason in &assessment.authority.reasons {
        diagnostic = diagnostic.with_note(format!("authority: {reason}"));
    }
    for reason in &assessment.data_subjects.reasons {
        diagnostic = diagnostic.with_note(format!("people affected: {reason}"));
    }
    diagnostic
}
