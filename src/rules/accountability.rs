//! A — accountability and register (Art. 5(1)(e), 13–14, 30, 35, 37), X — security
//! (Art. 32), U — hygiene. Measures in effect, DPIA criteria and the DPO requirement are
//! read from the facts (`facts::activity`).

use super::{Context, names};
use crate::diag::Diagnostic;
use crate::facts::activity::sensitive_data;
use crate::facts::{DpiaIndicator, DpoReason};
use crate::model::vocab::{Channel, MeasureKind};
use crate::model::{Activity, Header, Model, Retention};
use crate::syntax::ast::Kind;
use std::collections::BTreeSet;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    if let Some(controller) = &model.controller {
        if controller.contact.is_none() && !controller.header.wrote("contact") {
            out.push(
                Diagnostic::new("A001", controller.header.name_span, format!("controller `{}` has no contact details", controller.header.name))
                    .with_note("Art. 13(1)(a) and 30(1)(a): the register and the privacy notice must name the controller and how to reach it")
                    .with_help("add `contact \"<address or e-mail for privacy questions>\"`"),
            );
        }
        if controller.dpo.is_none() && !controller.header.wrote("dpo") {
            let reason = cx.facts.dpo_required.first().map(|reason| match reason {
                DpoReason::PublicBody => "the controller is a public body".to_string(),
                DpoReason::LargeScaleMonitoring { activity } => format!(
                    "activity `{}` is large-scale monitoring",
                    model.activities[*activity].header.name
                ),
                DpoReason::LargeScaleSensitive { activity } => format!(
                    "activity `{}` is large-scale processing of special or criminal data",
                    model.activities[*activity].header.name
                ),
            });
            if let Some(reason) = reason {
                out.push(
                    Diagnostic::new(
                        "A007",
                        controller.header.name_span,
                        format!(
                            "a data protection officer is required, but `{}` names none",
                            controller.header.name
                        ),
                    )
                    .with_note(format!("Art. 37(1): {reason}"))
                    .with_help("add `dpo \"<contact of the data protection officer (FG)>\"`"),
                );
            }
        }
    }
    for (a, activity) in model.activities.iter().enumerate() {
        if activity.header.from_stdlib {
            continue;
        }
        activity_rules(cx, a, activity, out);
    }
    unused(model, out);
}

fn activity_rules(cx: &Context<'_>, a: usize, activity: &Activity, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let Some(facts) = cx.facts.activities.get(a) else {
        return;
    };
    let name = &activity.header.name;
    match &activity.retention {
        None if activity.header.wrote("retention") => {} // there, with a bad value: E003
        None => out.push(
            Diagnostic::new("A002", activity.header.name_span, format!("activity `{name}` says nothing about how long data is kept"))
                .with_note("Art. 5(1)(e) and 30(1)(f): data may be kept no longer than necessary, and the register states the time limits for erasure")
                .with_help("add `retention <period>`, e.g. `retention 2 years after last-contact`"),
        ),
        Some(retention) if retention.value == Retention::Indefinite => out.push(
            Diagnostic::new("A003", retention.stmt, format!("activity `{name}` keeps data indefinitely"))
                .with_note("Art. 5(1)(e): storage limitation; personal data must be erased or anonymised once the purpose is served")
                .with_help("set a period, or `until-withdrawn` for consent-based processing"),
        ),
        Some(_) => {}
    }
    if facts.measures.is_empty() {
        out.push(
            Diagnostic::new("A004", activity.header.name_span, format!("no security measures are in effect for activity `{name}`"))
                .with_note("Art. 32: appropriate technical and organisational measures, declared on the activity, its systems or the controller")
                .with_help("add `measures …` (e.g. `access-control, encryption, logging`) to the activity, its systems or the controller"),
        );
    }
    let notice = model
        .controller
        .as_ref()
        .is_some_and(|c| c.notice.is_some() || c.header.wrote("notice"));
    if activity.informed.is_none() && !notice && !activity.header.wrote("informed") {
        out.push(
            Diagnostic::new("A005", activity.header.name_span, format!("nothing says how people are informed about activity `{name}`"))
                .with_note("Art. 13 and 14: people must be told who processes their data, why, on what basis and what their rights are")
                .with_help("add `notice \"<url of the privacy statement>\"` to the controller, or `informed \"…\"` to the activity"),
        );
    }
    let indicators: Vec<String> = facts.dpia.iter().map(dpia_indicator).collect();
    if indicators.len() >= 2 && activity.dpia.is_none() {
        out.push(
            Diagnostic::new("A006", activity.header.name_span, format!("activity `{name}` meets {} DPIA criteria and has no `dpia`", indicators.len()))
                .with_note(format!("criteria met: {}", indicators.join("; ")))
                .with_note("Art. 35 and the regulators' lists: processing meeting two or more criteria is likely high-risk and needs a data protection impact assessment first")
                .with_help("carry out a DPIA and add `dpia \"<reference>\"`"),
        );
    }
    let in_effect = facts.measures_in_effect();
    if !in_effect.contains(&MeasureKind::Encryption) {
        for statement in &activity.data {
            let data: BTreeSet<String> = model
                .expand_data(statement.refs.iter().map(|r| r.name.as_str()))
                .into_iter()
                .collect();
            let sensitive = sensitive_data(model, &data, true);
            if !sensitive.is_empty() {
                out.push(
                    Diagnostic::new("X001", statement.stmt, format!("sensitive data ({}) without encryption", names(sensitive)))
                        .with_note("Art. 32(1)(a): encryption is named as an appropriate measure; for special, criminal, identification and financial data the regulators expect it")
                        .with_help("add `encryption` to the measures of the activity, its systems or the controller"),
                );
            }
        }
    }
    if !in_effect.contains(&MeasureKind::Https)
        && let Some(web) = activity
            .channels
            .iter()
            .find(|c| c.value.contains(&Channel::Web))
    {
        out.push(
                Diagnostic::new("X002", web.stmt, format!("activity `{name}` collects data over the web without `https`"))
                    .with_note("Art. 32: data in transit over the internet must be protected; plain HTTP exposes it")
                    .with_help("add `https` to the measures of the activity, its systems or the controller"),
            );
    }
}

/// One DPIA criterion, in English.
fn dpia_indicator(indicator: &DpiaIndicator) -> String {
    let list = |items: &[String]| names(items.iter().map(String::as_str));
    match indicator {
        DpiaIndicator::SpecialOrCriminal(data) => {
            format!("special or criminal data ({})", list(data))
        }
        DpiaIndicator::LargeScale => "large-scale".to_string(),
        DpiaIndicator::Vulnerable(groups) => {
            format!("minors or vulnerable subjects ({})", list(groups))
        }
        DpiaIndicator::AutomatedDecision => {
            "automated decision with legal or significant effect".to_string()
        }
        DpiaIndicator::Profiling => "profiling".to_string(),
        DpiaIndicator::Monitoring => "systematic monitoring".to_string(),
    }
}

/// U001: user declarations nothing refers to.
fn unused(model: &Model, out: &mut Vec<Diagnostic>) {
    let headers: Vec<&Header> = model
        .data
        .iter()
        .map(|d| &d.header)
        .chain(model.subjects.iter().map(|d| &d.header))
        .chain(model.purposes.iter().map(|d| &d.header))
        .chain(model.parties.iter().map(|d| &d.header))
        .chain(model.systems.iter().map(|d| &d.header))
        .filter(|h| !h.from_stdlib)
        .collect();
    for header in headers {
        let used = model
            .decl_id(header.kind, &header.name)
            .is_some_and(|id| model.symbols.is_referenced(id));
        if !used {
            let hint = match header.kind {
                Kind::Party => {
                    "name it in a `recipient`, `source`, `hosted-by` or `subprocessors` statement, or remove it"
                }
                Kind::System => "list it in an activity's `systems`, or remove it",
                _ => "use it in an activity, or remove it",
            };
            out.push(
                Diagnostic::new(
                    "U001",
                    header.name_span,
                    format!(
                        "{} `{}` is declared but never used",
                        header.kind, header.name
                    ),
                )
                .with_help(hint),
            );
        }
    }
}
