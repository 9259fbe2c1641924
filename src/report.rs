//! Reports built from an analysis, beside the diagnostics: the breach notification verdicts
//! of `lawful breach`. Like the diagnostic renderers, these return text and never print.

use crate::analysis::Analysis;
use crate::rules::breach::{Assessment, assessment};
use crate::settings::Settings;
use crate::source::Sources;
use serde::Serialize;

/// One breach's verdict with where the breach is declared.
#[derive(Debug, Serialize)]
pub struct BreachReport {
    pub file: String,
    pub line: u32,
    #[serde(flatten)]
    pub assessment: Assessment,
}

impl BreachReport {
    /// Whether an obligation is unmet: a required notification missing, or the authority
    /// notified late without a reason. `lawful breach` exits 1 when any report says so.
    pub fn unmet(&self) -> bool {
        let authority = &self.assessment.authority;
        let subjects = &self.assessment.data_subjects;
        (authority.required && authority.notified.is_none())
            || (authority.on_time == Some(false) && authority.delay_reason.is_none())
            || (subjects.required && subjects.notified.is_none())
            || authority.before_discovery
            || subjects.before_discovery
    }
}

/// The verdict for every user-declared breach, in source order, rendered from the
/// analysis's facts (`analysis.facts.breaches`). The facts were derived with the settings
/// the analysis ran with; `_settings` is kept so callers need not change.
pub fn breaches(analysis: &Analysis, sources: &Sources, _settings: &Settings) -> Vec<BreachReport> {
    analysis
        .model
        .breaches
        .iter()
        .enumerate()
        .filter(|(_, b)| !b.header.from_stdlib)
        .filter_map(|(b, breach)| {
            let at = crate::diag::locate(sources, None, Some(breach.header.name_span));
            Some(BreachReport {
                file: at.file.unwrap_or_default(),
                line: at.line,
                assessment: assessment(&analysis.model, &analysis.facts, b)?,
            })
        })
        .collect()
}

/// The JSON of `lawful breach --format json`; fields documented in `docs/breach.md`.
pub fn breaches_json(reports: &[BreachReport]) -> String {
    #[derive(Serialize)]
    struct Output<'a> {
        version: u32,
        breaches: &'a [BreachReport],
    }
    let output = Output {
        version: 1,
        breaches: reports,
    };
    serde_json::to_string_pretty(&output).unwrap_or_default() + "\n"
}

pub fn breaches_human(reports: &[BreachReport]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if reports.is_empty() {
        out.push_str("no breaches are declared in this workspace\n");
        return out;
    }
    for report in reports {
        let a = &report.assessment;
        let title = a
            .title
            .as_deref()
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "breach {}{title}  ({}:{})",
            a.breach, report.file, report.line
        );
        let _ = writeln!(
            out,
            "  discovered        {}",
            a.discovered.as_deref().unwrap_or("(not given)")
        );
        let _ = writeln!(out, "  affected data     {}", list(&a.affected_data));
        let people = match a.subjects_affected {
            Some(count) => format!(
                "{} ({})",
                list(&a.affected_subjects),
                crate::rules::breach::people(count)
            ),
            None => list(&a.affected_subjects),
        };
        let _ = writeln!(out, "  affected people   {people}");
        if a.indicators.is_empty() {
            let _ = writeln!(out, "  high risk         no indicator found");
        } else {
            let _ = writeln!(out, "  high risk         yes:");
            for indicator in &a.indicators {
                let _ = writeln!(out, "                      - {indicator}");
            }
        }

        let authority = &a.authority;
        let verdict = if authority.required && authority.notified.is_some() {
            format!(
                "required within 72 hours, by {}",
                authority.deadline.as_deref().unwrap_or("?")
            )
        } else if let (true, Some(overdue)) = (authority.required, authority.overdue_days) {
            format!(
                "NOTIFY NOW: the 72 hours ended {}, {} ago",
                authority.deadline.as_deref().unwrap_or("?"),
                crate::rules::breach::days(overdue)
            )
        } else if authority.required {
            format!(
                "NOTIFY within 72 hours, by {}",
                authority.deadline.as_deref().unwrap_or("?")
            )
        } else {
            "not required".to_string()
        };
        let _ = writeln!(out, "\n  authority         {verdict}");
        for reason in &authority.reasons {
            let _ = writeln!(out, "                    because {reason}");
        }
        let status = match (&authority.notified, authority.on_time) {
            (Some(when), _) if authority.before_discovery => format!(
                "notified {when}, BEFORE the discovery ({}): one of the dates is wrong",
                a.discovered.as_deref().unwrap_or("?")
            ),
            (None, _) if authority.required => match authority.overdue_days {
                Some(overdue) => format!(
                    "NOT NOTIFIED, and the deadline passed {} ago: notify now, with a `delay-reason`",
                    crate::rules::breach::days(overdue)
                ),
                None => "NOT NOTIFIED".to_string(),
            },
            (None, _) => "not notified".to_string(),
            (Some(when), Some(true)) => format!(
                "notified {when}, {} after discovery: within the deadline",
                crate::rules::breach::elapsed(
                    authority.minutes_after_discovery.unwrap_or_default()
                )
            ),
            (Some(when), _) => {
                let reason = match &authority.delay_reason {
                    Some(reason) => format!("reason for the delay: {reason}"),
                    None => "LATE, and no reason for the delay is recorded".to_string(),
                };
                format!(
                    "notified {when}, {} after discovery: {reason}",
                    crate::rules::breach::elapsed(
                        authority.minutes_after_discovery.unwrap_or_default()
                    )
                )
            }
        };
        let _ = writeln!(out, "                    {status}");

        let subjects = &a.data_subjects;
        let verdict = match (subjects.required, subjects.public_communication_allowed) {
            (true, _) if subjects.notified.is_some() => {
                format!("required: inform {}", list(&a.affected_subjects))
            }
            (true, true) => format!(
                "INFORM {} (a public communication may replace individual messages)",
                list(&a.affected_subjects)
            ),
            (true, false) => format!("INFORM {} without undue delay", list(&a.affected_subjects)),
            (false, _) => "not required".to_string(),
        };
        let _ = writeln!(out, "\n  people affected   {verdict}");
        for reason in &subjects.reasons {
            let _ = writeln!(out, "                    because {reason}");
        }
        let status = match (&subjects.notified, subjects.required) {
            (Some(when), _) if subjects.before_discovery => format!(
                "informed {when}, BEFORE the discovery ({}): one of the dates is wrong",
                a.discovered.as_deref().unwrap_or("?")
            ),
            (Some(when), _) => format!("informed {when}"),
            (None, true) => "NOT INFORMED".to_string(),
            (None, false) => "not informed".to_string(),
        };
        let _ = writeln!(out, "                    {status}\n");
    }
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none given)".to_string()
    } else {
        items.join(", ")
    }
}
