//! R — data-subject rights (Art. 7(3), 12, 15–22). Which rights apply, and each right's
//! channel, are read from the facts (`facts::activity`).

use super::Context;
use super::names;
use crate::diag::Diagnostic;
use crate::model::vocab::{BasisKind, DecisionException, Effect, Right, Safeguard};
use crate::model::{Activity, Model, Rights};
use std::collections::{BTreeMap, BTreeSet};

fn significant(effect: Option<Effect>) -> bool {
    matches!(effect, Some(Effect::Legal | Effect::Significant))
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let controller_rights = model.controller.as_ref().and_then(|c| c.rights.as_ref());
    if let Some(rights) = controller_rights {
        block_rules(rights, None, out);
    }
    // R001 is reported once per right, where the fix belongs (the controller's `rights`),
    // naming the activities that need it: one missing block is one finding per right.
    let mut needed: BTreeMap<Right, Vec<&Activity>> = BTreeMap::new();
    for (a, activity) in model.activities.iter().enumerate() {
        if activity.header.from_stdlib {
            continue;
        }
        if let Some(rights) = &activity.rights {
            block_rules(rights, controller_rights, out);
        }
        let Some(facts) = cx.facts.activities.get(a) else {
            continue;
        };
        for right in facts.applicable() {
            // A declaration with a syntax error may have lost its `rights` or `basis`: its
            // E001 is the one finding, not an R001 at the controller.
            if right.channel.is_none() && !activity.header.recovered {
                needed.entry(right.right).or_default().push(activity);
            }
        }
        if let Some(rights) = &activity.rights {
            for (right, stated) in &rights.channels {
                if !facts.right(*right).is_some_and(|r| r.applies.holds()) {
                    out.push(
                        Diagnostic::new(
                            "R007",
                            stated.stmt,
                            format!(
                                "the right of {} does not apply to activity `{}`",
                                describe(*right),
                                activity.header.name
                            ),
                        )
                        .with_help(
                            "remove this channel, or check the activity's basis and purpose",
                        ),
                    );
                }
            }
        }
        automated_decisions(model, &cx.flow.holdings[a], activity, out);
    }
    missing_channels(model, needed, out);
}

/// How many activities an R001 message names, and how many get a related label.
const NAMED: usize = 5;
const LABELLED: usize = 20;

/// R001: one finding per right without a channel, at the controller's `rights` statement
/// (else the controller), naming the activities that need it. Without a controller (E008)
/// there is no place for the fix, and nothing is reported.
fn missing_channels(
    model: &Model,
    needed: BTreeMap<Right, Vec<&Activity>>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(controller) = &model.controller else {
        return;
    };
    let block = controller.rights.as_ref();
    let anchor = block.map_or(controller.header.name_span, |r| r.stmt);
    // `activities` is in model order: files by path, then source order (never by file id,
    // which the incremental analysis keeps stable rather than in path order).
    for (right, activities) in needed {
        let count = activities.len();
        let mut named = names(
            activities
                .iter()
                .take(NAMED)
                .map(|a| a.header.name.as_str()),
        );
        if count > NAMED {
            named = format!(
                "{}, and {} more",
                named.replacen(" and ", ", ", 1),
                count - NAMED
            );
        }
        let activity_word = if count == 1 { "activity" } else { "activities" };
        let help = match block {
            Some(_) => format!(
                "add `{} \"<how to exercise it>\"` to the controller's `rights` block (or to each activity's own `rights`)",
                right.keyword()
            ),
            None => format!(
                "add `rights {{ {} \"<how to exercise it>\" }}` to controller `{}`",
                right.keyword(),
                controller.header.name
            ),
        };
        let mut diagnostic = Diagnostic::new(
            "R001",
            anchor,
            format!(
                "no channel for the right of {}, which applies to {count} {activity_word}: {named}",
                describe(right)
            ),
        )
        .with_note(why(right))
        .with_help(help);
        for activity in activities.iter().take(LABELLED) {
            diagnostic = diagnostic.with_related(
                activity.header.name_span,
                format!("the right of {} applies to this activity", describe(right)),
            );
        }
        out.push(diagnostic);
    }
}

/// R002–R006 on one `rights` block; `fallback` is the controller's block for an activity's.
fn block_rules(rights: &Rights, fallback: Option<&Rights>, out: &mut Vec<Diagnostic>) {
    for format in &rights.formats {
        if !format.value.machine_readable() {
            out.push(
                Diagnostic::new("R002", format.span, format!("`{}` is not a machine-readable format", format.value))
                    .with_note("Art. 20(1): data must be handed over in a structured, commonly used and machine-readable format; a PDF or paper copy does not let another service import it")
                    .with_help("offer `json`, `csv` or `xml`"),
            );
        }
    }
    // A calendar month may have 31 days and two may have 62: only longer is too long.
    if let Some(response) = &rights.response
        && response.value.hours() > 31 * 24
    {
        out.push(
                Diagnostic::new("R003", response.stmt, format!("a response time of {} is longer than one month (more than 31 days)", response.value))
                    .with_note("Art. 12(3): requests must be answered without undue delay and at the latest within one month of receipt")
                    .with_help("set `response 1 month` or shorter; for complex requests use `extension`"),
            );
    }
    if let Some(extension) = &rights.extension
        && extension.value.hours() > 62 * 24
    {
        out.push(
                Diagnostic::new("R004", extension.stmt, format!("an extension of {} is longer than two months (more than 62 days)", extension.value))
                    .with_note("Art. 12(3): the period may be extended by two further months where necessary, and the person must be told within the first month")
                    .with_help("set `extension 2 months` or shorter"),
            );
    }
    if let Some(fee) = &rights.fee
        && fee.value != "none"
        && fee.value != "manifestly-unfounded"
    {
        out.push(
                Diagnostic::new("R005", fee.stmt, format!("a fee (`{}`) for exercising data-subject rights", fee.value))
                    .with_note("Art. 12(5): information and actions on requests are free of charge; a fee is allowed only for manifestly unfounded or excessive requests")
                    .with_help("set `fee none`, or `fee manifestly-unfounded` if you charge only in that case"),
            );
    }
    let verified =
        rights.verify_identity.is_some() || fallback.is_some_and(|f| f.verify_identity.is_some());
    if !verified {
        let anchor = rights
            .channels
            .get(&Right::Access)
            .or_else(|| rights.channels.get(&Right::Portability));
        if let Some(anchor) = anchor {
            out.push(
                Diagnostic::new("R006", anchor.stmt, "data is handed over on request, but nothing says how the requester's identity is checked")
                    .with_note("Art. 12(6) and the Dutch AP's guidance on portability: verify that the person asking is the data subject before handing data over, without asking for more data than needed")
                    .with_help("add `verify-identity \"<how>\"`, e.g. `verify-identity \"logged-in account, or e-mail confirmation\"`"),
            );
        }
    }
}

/// R010–R012: decisions based solely on automated processing (Art. 22).
fn automated_decisions(
    model: &Model,
    holdings: &BTreeSet<String>,
    activity: &Activity,
    out: &mut Vec<Diagnostic>,
) {
    let Some(decision) = &activity.automated_decision else {
        return;
    };
    let explicit_consent = activity
        .basis
        .as_ref()
        .is_some_and(|b| b.kind == BasisKind::Consent && b.explicit);
    if decision.exception == Some(DecisionException::ExplicitConsent)
        && !explicit_consent
        && let Some(stmt) = decision.exception_stmt
    {
        out.push(
            Diagnostic::new("R013", stmt, format!("the automated decision relies on explicit consent, but activity `{}` is not based on explicit consent", activity.header.name))
                .with_note("Art. 22(2)(c): the explicit-consent exception holds only when the person gave explicit consent to the decision; the activity's own basis must be that consent")
                .with_help("base the activity on `basis consent { explicit … }`, or name the exception that really applies (`contract` or `law`)"),
        );
    }
    if !significant(decision.effect) {
        return;
    }
    if decision.exception.is_none() {
        out.push(
            Diagnostic::new("R010", decision.stmt, "an automated decision with legal or similarly significant effect, with no Art. 22(2) exception")
                .with_note("Art. 22(1): people have the right not to be subject to such decisions, unless necessary for a contract, authorised by law, or based on explicit consent")
                .with_help("add `exception contract|law|explicit-consent` to the block, or put a human in the decision"),
        );
    }
    let missing: Vec<&str> = Safeguard::ALL
        .iter()
        .filter(|s| !decision.safeguards.contains(s))
        .map(|s| s.keyword())
        .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::new("R011", decision.stmt, format!("the automated decision lacks the safeguard{} {}", if missing.len() == 1 { "" } else { "s" }, super::names(missing.iter().copied())))
                .with_note("Art. 22(3): at least the right to obtain human intervention, to express one's point of view and to contest the decision")
                .with_help(format!("add `safeguards {}`", Safeguard::WORDS.join(", "))),
        );
    }
    let special = holdings
        .iter()
        .filter_map(|d| model.data_category(d))
        .any(|d| d.special.is_some());
    if special {
        let public_interest = activity
            .exception
            .as_ref()
            .is_some_and(|e| e.value == crate::model::vocab::Art9Ground::SubstantialPublicInterest);
        if !explicit_consent && !public_interest {
            out.push(
                Diagnostic::new("R012", decision.stmt, "an automated decision on special-category data without explicit consent or substantial public interest")
                    .with_note("Art. 22(4): such decisions may not be based on special categories of data unless Art. 9(2)(a) or (g) applies, with suitable safeguards")
                    .with_help("base it on explicit consent (`basis consent { explicit }`) or `exception substantial-public-interest`, or leave the special data out of the decision"),
            );
        }
    }
}

fn describe(right: Right) -> &'static str {
    match right {
        Right::Access => "access",
        Right::Rectification => "rectification",
        Right::Erasure => "erasure",
        Right::Restriction => "restriction of processing",
        Right::Objection => "objection",
        Right::Portability => "data portability",
        Right::WithdrawConsent => "withdrawing consent",
        Right::HumanIntervention => "human intervention",
    }
}

fn why(right: Right) -> &'static str {
    match right {
        Right::Access => {
            "Art. 15: every data subject may obtain a copy of their data and information on its processing"
        }
        Right::Rectification => "Art. 16: inaccurate data must be corrected on request",
        Right::Erasure => {
            "Art. 17: applies unless the processing rests on a legal obligation or a public task"
        }
        Right::Restriction => {
            "Art. 18: people may have processing restricted while accuracy or lawfulness is disputed"
        }
        Right::Objection => {
            "Art. 21: applies to public-task and legitimate-interest processing, and always to direct marketing"
        }
        Right::Portability => {
            "Art. 20: applies to automated processing based on consent or contract, for data the person provided or that was observed"
        }
        Right::WithdrawConsent => "Art. 7(3): withdrawing consent must be as easy as giving it",
        Right::HumanIntervention => {
            "Art. 22(3): a person subject to an automated decision may obtain human intervention"
        }
    }
}
