//! N — personal-data breaches (Art. 33, 34; UAVG art. 41–42; Wft): the notification decision
//! shared by `lawful check` (N001–N008) and `lawful breach`, worded from the breach facts
//! (`facts::breach`).

use super::{Context, names};
use crate::diag::Diagnostic;
use crate::facts::{AuthorityReason, AuthorityTiming, Facts, RiskIndicator, SubjectsReason};
use crate::model::vocab::{BreachException, Risk};
use crate::model::{Breach, Model};
use serde::Serialize;

/// "72 h 01 min": exact, so a notification a minute late never reads as "72 hours".
pub fn elapsed(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let minutes = minutes.abs();
    format!("{sign}{} h {:02} min", minutes / 60, minutes % 60)
}

pub use crate::facts::breach::{AUTHORITY_DEADLINE_HOURS, dutch_controller};

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
    /// `Some(true)` notified within 72 hours, `Some(false)` late, `None` not notified (or
    /// dated before the discovery, which no deadline can judge).
    pub on_time: Option<bool>,
    pub delay_reason: Option<String>,
    /// The notification is dated before the discovery (N008): the record is wrong.
    pub before_discovery: bool,
    /// Required, not notified, and `today` is this many days past the deadline's date.
    pub overdue_days: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SubjectsVerdict {
    pub required: bool,
    pub reasons: Vec<String>,
    /// Art. 34(3)(c): a public communication may replace individual messages.
    pub public_communication_allowed: bool,
    pub notified: Option<String>,
    /// The notification is dated before the discovery (N008): the record is wrong.
    pub before_discovery: bool,
}

/// The verdict for breach number `b` of the model, worded in English from its facts.
pub fn assessment(model: &Model, facts: &Facts, b: usize) -> Option<Assessment> {
    let breach = model.breaches.get(b)?;
    let verdict = facts.breaches.get(b)?;
    let indicators: Vec<String> = verdict.indicators.iter().map(indicator).collect();
    let joined = indicators.join("; ");
    let authority = &verdict.authority;
    let subjects = &verdict.subjects;
    Some(Assessment {
        breach: breach.header.name.clone(),
        title: breach.header.title.clone(),
        discovered: breach.discovered.map(|d| d.to_string()),
        affected_data: verdict.affected_data.clone(),
        affected_subjects: verdict.affected_subjects.clone(),
        subjects_affected: breach.subjects_affected,
        high_risk: verdict.high_risk,
        authority: AuthorityVerdict {
            required: authority.required,
            reasons: authority
                .reasons
                .iter()
                .map(|r| authority_reason(r, &joined))
                .collect(),
            deadline: authority.deadline.map(|d| d.to_string()),
            notified: authority.notified.map(|n| n.to_string()),
            hours_after_discovery: authority
                .minutes_after_discovery
                .map(|m| (m as f64 / 60.0 * 10.0).round() / 10.0),
            minutes_after_discovery: authority.minutes_after_discovery,
            on_time: match authority.timing {
                AuthorityTiming::OnTime => Some(true),
                AuthorityTiming::Late => Some(false),
                _ => None,
            },
            delay_reason: authority.delay_reason.clone(),
            before_discovery: authority.timing == AuthorityTiming::BeforeDiscovery,
            overdue_days: authority.overdue_days,
        },
        data_subjects: SubjectsVerdict {
            required: subjects.required,
            reasons: subjects
                .reasons
                .iter()
                .map(|r| subjects_reason(r, &joined))
                .collect(),
            public_communication_allowed: subjects.public_communication_allowed,
            notified: subjects.notified.map(|n| n.to_string()),
            before_discovery: subjects.before_discovery,
        },
        indicators,
    })
}

/// One high-risk indicator, in English.
pub fn indicator(indicator: &RiskIndicator) -> String {
    let list = |items: &[String]| names(items.iter().map(String::as_str));
    match indicator {
        RiskIndicator::SpecialCategory(data) => format!("special-category data ({})", list(data)),
        RiskIndicator::CriminalOffence(data) => format!("criminal-offence data ({})", list(data)),
        RiskIndicator::NationalId(data) => {
            format!("national identification numbers ({})", list(data))
        }
        RiskIndicator::Financial(data) => format!("financial data ({})", list(data)),
        RiskIndicator::Vulnerable(groups) => {
            format!("minors or vulnerable people ({})", list(groups))
        }
        RiskIndicator::Profiling(activities) => format!("profiling in {}", list(activities)),
        RiskIndicator::LargeScale { count, threshold } => format!(
            "{} affected, at or above the large-scale threshold of {threshold}",
            people(*count)
        ),
        RiskIndicator::DeclaredHigh => "the controller assessed the risk as high".to_string(),
    }
}

fn authority_reason(reason: &AuthorityReason, indicators: &str) -> String {
    match reason {
        AuthorityReason::Encrypted => "the data was encrypted with the key safe, intact and backed up, so it is unintelligible and recoverable".to_string(),
        AuthorityReason::TrustedRecipient(recipient) => format!("a trusted recipient returned or destroyed the data ({recipient})"),
        AuthorityReason::AssessedUnlikely => "the controller assessed that the breach is unlikely to result in a risk".to_string(),
        AuthorityReason::NoException => "no exception applies: a breach must be notified unless it is unlikely to result in a risk (Art. 33(1))".to_string(),
        AuthorityReason::UnlikelyOutweighed => format!("the controller's `risk unlikely` does not outweigh the high-risk indicators ({indicators}): a breach likely to result in a high risk is likely to result in a risk"),
        AuthorityReason::EncryptionIncomplete(gap) => encryption_gap(gap),
    }
}

fn subjects_reason(reason: &SubjectsReason, indicators: &str) -> String {
    match reason {
        SubjectsReason::Encrypted => "Art. 34(3)(a): the data was unintelligible to anyone who saw it (encryption exception)".to_string(),
        SubjectsReason::TrustedRecipient => "a trusted recipient returned or destroyed the data".to_string(),
        SubjectsReason::Contained(contained) => format!("Art. 34(3)(b): measures taken right after the breach remove the high risk ({contained})"),
        SubjectsReason::DutchException(BreachException::PublicInterest) => "UAVG art. 41(1) (GDPR Art. 23): informing the people would harm an important public interest, such as national or public security".to_string(),
        SubjectsReason::DutchException(BreachException::OthersPrivacy) => "UAVG art. 41(1) (GDPR Art. 23): informing the people would harm the rights and freedoms of others, such as their privacy".to_string(),
        SubjectsReason::DutchFinancialInstitution => "UAVG art. 42 with the Wft: a Dutch financial institution is exempt from informing the people concerned".to_string(),
        SubjectsReason::HighRisk => format!("the breach is likely to result in a high risk: {indicators}"),
        SubjectsReason::EncryptionIncomplete(gap) => encryption_gap(gap),
        SubjectsReason::NoHighRisk => "no high-risk indicator is present, so the people need not be informed (Art. 34(1))".to_string(),
    }
}

/// Which of the three conditions of the encryption exception is not recorded, as a reason.
fn encryption_gap(missing: &[&str]) -> String {
    format!(
        "the encryption exception does not apply: {} {} not recorded (it needs the encryption intact, a backup, and the key safe)",
        names(missing.iter().copied()),
        if missing.len() == 1 { "is" } else { "are" }
    )
}

/// "1 person", "312 people".
pub fn people(count: u64) -> String {
    if count == 1 {
        "1 person".to_string()
    } else {
        format!("{count} people")
    }
}

/// "1 day", "3 days".
pub fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_string()
    } else {
        format!("{count} days")
    }
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (b, breach) in cx.model.breaches.iter().enumerate() {
        if breach.header.from_stdlib {
            continue;
        }
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
        let (Some(assessment), Some(facts)) =
            (assessment(cx.model, cx.facts, b), cx.facts.breaches.get(b))
        else {
            continue;
        };
        if let Some(risk) = &breach.risk {
            let indicators: Vec<String> = facts
                .indicators
                .iter()
                .filter(|i| **i != RiskIndicator::DeclaredHigh)
                .map(indicator)
                .collect();
            if risk.value.0 == Risk::Unlikely && !indicators.is_empty() {
                out.push(
                    Diagnostic::new("N006", risk.stmt, format!("risk declared `unlikely`, but the facts show high-risk indicators: {}", indicators.join("; ")))
                        .with_help("reassess the risk; if it stays `unlikely`, record why in the `risk` string and the breach register"),
                );
            }
        }
        dutch_ground_elsewhere(cx.model, breach, &assessment, out);
        if breach.discovered.is_none() {
            continue; // E007 already; no deadline can be computed.
        }
        for (notified, who) in [
            (&breach.notified_authority, "authority"),
            (&breach.notified_subjects, "people affected"),
        ] {
            if let (Some(notified), Some(discovered)) = (notified, breach.discovered)
                && notified.value < discovered
            {
                out.push(
                    Diagnostic::new("N008", notified.stmt, format!("the {who} cannot have been notified at {}, before the breach was discovered at {discovered}", notified.value))
                        .with_note("a notification follows the discovery; one of the two dates is wrong, and no deadline can be judged from them")
                        .with_help("correct `discovered` or this date"),
                );
            }
        }
        if assessment.authority.required && breach.notified_authority.is_none() {
            let deadline = assessment.authority.deadline.clone().unwrap_or_default();
            let (note, help) = match assessment.authority.overdue_days {
                Some(overdue) => (
                    format!(
                        "the deadline, {deadline} (72 hours after discovery), passed {} ago",
                        days(overdue)
                    ),
                    "notify the authority now (in NL: the AP's data-breach desk), give the reasons for the delay, and add `notified-authority <date-time>` and `delay-reason \"…\"`",
                ),
                None => (
                    format!("deadline: {deadline} (72 hours after discovery)"),
                    "notify the authority (in NL: the AP's data-breach desk) and add `notified-authority <date-time>`",
                ),
            };
            out.push(
                Diagnostic::new("N001", breach.header.name_span, format!("breach `{name}` must be notified to the supervisory authority, and no notification is recorded"))
                    .with_note(note)
                    .with_help(help),
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

/// N007: a controller not established in NL relies on a Dutch ground not to inform the people.
fn dutch_ground_elsewhere(
    model: &Model,
    breach: &Breach,
    assessment: &Assessment,
    out: &mut Vec<Diagnostic>,
) {
    let Some(controller) = &model.controller else {
        return;
    };
    if dutch_controller(model) {
        return;
    }
    let country = controller
        .country
        .as_ref()
        .map_or(String::new(), |c| format!(" (`{}`)", c.name));
    let ground = if breach.exception.is_some() {
        Some("an `exception` under UAVG art. 41")
    } else if controller.financial_institution && assessment.data_subjects.required {
        Some("the `financial-institution` exemption of UAVG art. 42 and the Wft")
    } else {
        None
    };
    let Some(ground) = ground else {
        return;
    };
    let anchor = breach.exception_stmt.unwrap_or(breach.header.name_span);
    out.push(
        Diagnostic::new("N007", anchor, format!("breach `{}` relies on {ground}, a Dutch ground that does not apply to controller `{}`{country}, which is not established in the Netherlands", breach.header.name, controller.header.name))
            .with_note("GDPR Art. 23 lets each member state restrict the duty to inform the people concerned; the Dutch grounds bind only controllers established in the Netherlands, so the verdict ignores them")
            .with_help("inform the people affected under Art. 34, or record the ground your own member state's law provides in the breach register"),
    );
}

/// N004: the verdict itself, shown on the breach so the editor displays it. Once an
/// obligation is recorded as met, it reads as done, not as a to-do.
fn verdict(assessment: &Assessment, breach: &Breach) -> Diagnostic {
    let authority = &assessment.authority;
    let deadline = authority.deadline.clone().unwrap_or_default();
    let authority = match (&authority.notified, authority.required) {
        (Some(when), true) if authority.before_discovery => {
            format!("the authority notification ({when}) is dated before the discovery")
        }
        (Some(when), true) if authority.on_time == Some(true) => {
            format!("the authority was notified on {when}, within 72 hours")
        }
        (Some(when), true) if authority.delay_reason.is_some() => {
            format!("the authority was notified on {when}, late, with a reason for the delay")
        }
        (Some(when), true) => {
            format!("the authority was notified on {when}, late, without a reason for the delay")
        }
        (None, true) => match authority.overdue_days {
            Some(overdue) => format!(
                "notify the authority now: the deadline {deadline} passed {} ago, so a `delay-reason` is needed",
                days(overdue)
            ),
            None => format!("notify the authority by {deadline}"),
        },
        (_, false) => "the authority need not be notified".to_string(),
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
        (true, _) if assessment.data_subjects.before_discovery => {
            "the notification of the people affected is dated before the discovery".to_string()
        }
        (true, _) if assessment.data_subjects.notified.is_some() => format!(
            "the people affected{people} were informed on {}",
            assessment
                .data_subjects
                .notified
                .clone()
                .unwrap_or_default()
        ),
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
