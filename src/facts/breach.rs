//! Breach facts (Art. 33, 34; UAVG art. 41–42; Wft): for each breach what it touched, the
//! high-risk indicators, and the two notification verdicts with their reasons as
//! enumerations. `lawful breach`, N001–N008 and documents all render these.

use crate::flow::{self, Flow};
use crate::model::vocab::{BreachException, Risk};
use crate::model::{Breach, Encrypted, Model};
use crate::settings::Settings;
use crate::syntax::ast::Kind;
use crate::time::{Date, DateTime};
use std::collections::BTreeSet;

/// Hours the controller has to notify the authority (Art. 33(1)).
pub const AUTHORITY_DEADLINE_HOURS: i64 = 72;

#[derive(Clone, Debug, PartialEq)]
pub struct BreachFacts {
    /// Everything the affected activities hold (reuses included), plus the breach's own `data`.
    pub affected_data: Vec<String>,
    /// The activities' subjects, those upstream whose data is held, and the breach's own.
    pub affected_subjects: Vec<String>,
    pub indicators: Vec<RiskIndicator>,
    /// Any indicator present.
    pub high_risk: bool,
    pub authority: AuthorityFacts,
    pub subjects: SubjectsFacts,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RiskIndicator {
    SpecialCategory(Vec<String>),
    CriminalOffence(Vec<String>),
    NationalId(Vec<String>),
    Financial(Vec<String>),
    /// Minors or vulnerable people (subject groups).
    Vulnerable(Vec<String>),
    /// Profiling in these activities.
    Profiling(Vec<String>),
    /// At or above `[breach] large-scale` people.
    LargeScale {
        count: u64,
        threshold: u64,
    },
    /// The controller's own `risk high`.
    DeclaredHigh,
}

/// Which of the encryption exception's three conditions are missing.
pub type EncryptionGap = Vec<&'static str>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthorityReason {
    /// Not required: encrypted, key safe, intact, backed up.
    Encrypted,
    /// Not required: a trusted recipient returned or destroyed the data.
    TrustedRecipient(String),
    /// Not required: the controller assessed `risk unlikely`, and no indicator contradicts it.
    AssessedUnlikely,
    /// Required: no exception applies.
    NoException,
    /// Required: `risk unlikely` does not outweigh the indicators.
    UnlikelyOutweighed,
    /// Required: encryption is declared, but these conditions are not recorded.
    EncryptionIncomplete(EncryptionGap),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectsReason {
    /// Art. 34(3)(a).
    Encrypted,
    TrustedRecipient,
    /// Art. 34(3)(b), with what was done.
    Contained(String),
    /// UAVG art. 41(1) (Art. 23), for a Dutch controller.
    DutchException(BreachException),
    /// UAVG art. 42 with the Wft, for a Dutch financial institution.
    DutchFinancialInstitution,
    /// Required: the indicators show a likely high risk.
    HighRisk,
    EncryptionIncomplete(EncryptionGap),
    /// Not required: no high-risk indicator (Art. 34(1)).
    NoHighRisk,
}

/// Where the authority notification stands against the 72 hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorityTiming {
    NotNotified,
    OnTime,
    Late,
    /// Dated before the discovery (N008): no deadline can judge it.
    BeforeDiscovery,
    /// Notified, but the breach has no `discovered` (E007): no deadline to judge against.
    NoDeadline,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AuthorityFacts {
    pub required: bool,
    pub reasons: Vec<AuthorityReason>,
    /// discovered + 72 hours, in the offset `discovered` was written in.
    pub deadline: Option<DateTime>,
    pub notified: Option<DateTime>,
    pub minutes_after_discovery: Option<i64>,
    pub timing: AuthorityTiming,
    pub delay_reason: Option<String>,
    /// Required, not notified, and `today` is this many days past the deadline's date.
    pub overdue_days: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SubjectsFacts {
    pub required: bool,
    pub reasons: Vec<SubjectsReason>,
    /// Art. 34(3)(c): a public communication may replace individual messages.
    pub public_communication_allowed: bool,
    pub notified: Option<DateTime>,
    pub before_discovery: bool,
}

/// Whether the controller is established in the Netherlands: the Dutch UAVG and Wft grounds
/// not to inform the people concerned count only then.
pub fn dutch_controller(model: &Model) -> bool {
    model
        .controller
        .as_ref()
        .and_then(|c| c.country.as_ref())
        .is_some_and(|country| country.name == "NL")
}

pub(super) fn derive(
    model: &Model,
    flow: &Flow,
    breach: &Breach,
    settings: &Settings,
) -> BreachFacts {
    let mut data: BTreeSet<String> = BTreeSet::new();
    let mut subjects: BTreeSet<String> = BTreeSet::new();
    let mut profiling: Vec<String> = Vec::new();
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
            if flow::own_data(model, upstream)
                .iter()
                .any(|d| flow.holdings[a].contains(d))
            {
                subjects.extend(upstream.subjects.iter().map(|s| s.name.clone()));
            }
        }
        if activity.profiling {
            profiling.push(activity.header.name.clone());
        }
    }
    data.extend(model.expand_data(breach.data.iter().map(|r| r.name.as_str())));
    subjects.extend(breach.subjects.iter().map(|s| s.name.clone()));

    let mut indicators = Vec::new();
    let flagged = |test: fn(&crate::model::DataCategory) -> bool| -> Vec<String> {
        data.iter()
            .filter(|d| model.data_category(d).is_some_and(test))
            .cloned()
            .collect()
    };
    for (make, found) in [
        (
            RiskIndicator::SpecialCategory as fn(Vec<String>) -> RiskIndicator,
            flagged(|d| d.special.is_some()),
        ),
        (RiskIndicator::CriminalOffence, flagged(|d| d.criminal)),
        (RiskIndicator::NationalId, flagged(|d| d.national_id)),
        (RiskIndicator::Financial, flagged(|d| d.financial)),
    ] {
        if !found.is_empty() {
            indicators.push(make(found));
        }
    }
    let vulnerable: Vec<String> = subjects
        .iter()
        .filter(|s| {
            model
                .subjects_category(s)
                .is_some_and(|c| c.minors || c.vulnerable)
        })
        .cloned()
        .collect();
    if !vulnerable.is_empty() {
        indicators.push(RiskIndicator::Vulnerable(vulnerable));
    }
    if !profiling.is_empty() {
        indicators.push(RiskIndicator::Profiling(profiling));
    }
    if let Some(count) = breach.subjects_affected
        && count >= settings.config.large_scale
    {
        indicators.push(RiskIndicator::LargeScale {
            count,
            threshold: settings.config.large_scale,
        });
    }
    let declared_high = breach
        .risk
        .as_ref()
        .is_some_and(|r| r.value.0 == Risk::High);
    if declared_high {
        indicators.push(RiskIndicator::DeclaredHigh);
    }
    let high_risk = !indicators.is_empty();

    let encrypted = breach
        .encrypted
        .is_some_and(|e| e.intact && e.backup && e.key_safe);
    let encryption_gap = breach.encrypted.and_then(encryption_gap);
    let unlikely = breach
        .risk
        .as_ref()
        .is_some_and(|r| r.value.0 == Risk::Unlikely);

    // Authority (Art. 33(1)).
    let mut authority_reasons = Vec::new();
    if encrypted {
        authority_reasons.push(AuthorityReason::Encrypted);
    }
    if let Some(recipient) = &breach.trusted_recipient {
        authority_reasons.push(AuthorityReason::TrustedRecipient(recipient.clone()));
    }
    // A breach likely to result in a high risk is likely to result in a risk: the controller's
    // `unlikely` cannot outweigh the indicators (N006 says so).
    if unlikely && !high_risk {
        authority_reasons.push(AuthorityReason::AssessedUnlikely);
    }
    let authority_required = authority_reasons.is_empty();
    if authority_required {
        authority_reasons.push(AuthorityReason::NoException);
        if unlikely {
            authority_reasons.push(AuthorityReason::UnlikelyOutweighed);
        }
        if let Some(gap) = &encryption_gap {
            authority_reasons.push(AuthorityReason::EncryptionIncomplete(gap.clone()));
        }
    }
    let deadline = breach
        .discovered
        .map(|d| d.plus_hours(AUTHORITY_DEADLINE_HOURS));
    let before =
        |notified: Option<&crate::model::Stated<DateTime>>| match (breach.discovered, notified) {
            (Some(discovered), Some(n)) => n.value < discovered,
            _ => false,
        };
    let authority_before = before(breach.notified_authority.as_ref());
    let subjects_before = before(breach.notified_subjects.as_ref());
    let notified = breach.notified_authority.as_ref().map(|n| n.value);
    let timing = match (deadline, notified) {
        (_, None) => AuthorityTiming::NotNotified,
        (_, Some(_)) if authority_before => AuthorityTiming::BeforeDiscovery,
        (Some(deadline), Some(n)) if n <= deadline => AuthorityTiming::OnTime,
        (Some(_), Some(_)) => AuthorityTiming::Late,
        (None, Some(_)) => AuthorityTiming::NoDeadline,
    };
    let overdue_days = match (deadline, notified) {
        (Some(deadline), None) if authority_required => {
            let days = settings.today.days_since_epoch() - local_date(deadline).days_since_epoch();
            (days > 0).then_some(days)
        }
        _ => None,
    };

    // Data subjects (Art. 34).
    let mut subject_reasons = Vec::new();
    let dutch = dutch_controller(model);
    let wft = dutch
        && model
            .controller
            .as_ref()
            .is_some_and(|c| c.financial_institution);
    if high_risk {
        if encrypted {
            subject_reasons.push(SubjectsReason::Encrypted);
        }
        if breach.trusted_recipient.is_some() {
            subject_reasons.push(SubjectsReason::TrustedRecipient);
        }
        if let Some(contained) = &breach.contained {
            subject_reasons.push(SubjectsReason::Contained(contained.clone()));
        }
        if let Some(exception) = breach.exception.filter(|_| dutch) {
            subject_reasons.push(SubjectsReason::DutchException(exception));
        }
        if wft {
            subject_reasons.push(SubjectsReason::DutchFinancialInstitution);
        }
    }
    let subjects_required = high_risk && subject_reasons.is_empty();
    if subjects_required {
        subject_reasons.push(SubjectsReason::HighRisk);
        if let Some(gap) = &encryption_gap {
            subject_reasons.push(SubjectsReason::EncryptionIncomplete(gap.clone()));
        }
    } else if !high_risk {
        subject_reasons.push(SubjectsReason::NoHighRisk);
    }

    BreachFacts {
        affected_data: data.into_iter().collect(),
        affected_subjects: subjects.into_iter().collect(),
        indicators,
        high_risk,
        authority: AuthorityFacts {
            required: authority_required,
            reasons: authority_reasons,
            deadline,
            notified,
            minutes_after_discovery: match (breach.discovered, notified) {
                (Some(discovered), Some(notified)) => Some(discovered.minutes_until(notified)),
                _ => None,
            },
            timing,
            delay_reason: breach.delay_reason.clone(),
            overdue_days,
        },
        subjects: SubjectsFacts {
            required: subjects_required,
            reasons: subject_reasons,
            public_communication_allowed: subjects_required && breach.disproportionate_effort,
            notified: breach.notified_subjects.as_ref().map(|n| n.value),
            before_discovery: subjects_before,
        },
    }
}

/// Which of the three conditions of the encryption exception is not recorded.
fn encryption_gap(encrypted: Encrypted) -> Option<EncryptionGap> {
    let missing: Vec<&'static str> = [
        ("intact", encrypted.intact),
        ("backup", encrypted.backup),
        ("key-safe", encrypted.key_safe),
    ]
    .into_iter()
    .filter(|(_, held)| !held)
    .map(|(flag, _)| flag)
    .collect();
    (!missing.is_empty()).then_some(missing)
}

/// The calendar date of a moment, in the offset it was written in.
fn local_date(moment: DateTime) -> Date {
    let local = moment.utc_minutes + i64::from(moment.offset_minutes);
    Date::from_days_since_epoch(local.div_euclid(1440))
}
