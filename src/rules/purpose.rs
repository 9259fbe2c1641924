//! P — purpose limitation (Art. 5(1)(b), 6(4)).

use super::Context;
use crate::diag::Diagnostic;
use crate::flow::Flow;
use crate::model::vocab::{BasisKind, MeasureKind, PurposeKind, Role};
use crate::model::{Activity, Compatible, Model};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (b, activity) in model.activities.iter().enumerate() {
        if activity.header.from_stdlib {
            continue;
        }
        further_processing(cx, b, activity, out);
        for reuse in &activity.reuses {
            if let Some(compatible) = &reuse.compatible {
                incomplete_assessment(compatible, out);
            }
        }
        // `recipient a, b` is one statement: one finding for it.
        let mut disclosed_without_ground = Vec::new();
        for recipient in &activity.recipients {
            if let Some(compatible) = &recipient.compatible {
                incomplete_assessment(compatible, out);
            }
            let Some(party) = model.party(&recipient.party.name) else {
                continue;
            };
            if party.role == Some(Role::Controller)
                && recipient.basis.is_none()
                && recipient.compatible.is_none()
                && !disclosed_without_ground.contains(&recipient.stmt)
            {
                disclosed_without_ground.push(recipient.stmt);
                out.push(
                    Diagnostic::new("P003", recipient.stmt, format!("data is disclosed to `{}`, an independent controller, without a ground", party.header.name))
                        .with_related(party.header.name_span, "declared with `role controller` here")
                        .with_note("a disclosure is a new processing: it must be compatible with the purpose of collection (Art. 6(4)) or have its own basis")
                        .with_help("add a `compatible { … }` assessment or a `basis …` to this recipient block"),
                );
            }
        }
        research_reuse(model, activity, out);
    }
}

/// P001: data arriving through `reuses` from an activity whose purpose differs.
fn further_processing(cx: &Context<'_>, b: usize, activity: &Activity, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let Some(purpose_ref) = &activity.purpose else {
        return;
    };
    let Some(purpose) = model.purpose(&purpose_ref.name) else {
        return;
    };
    let basis_justifies = activity
        .basis
        .as_ref()
        .is_some_and(|basis| matches!(basis.kind, BasisKind::Consent | BasisKind::LegalObligation));
    let kind_justifies = matches!(
        purpose.kind,
        PurposeKind::Research | PurposeKind::Statistics | PurposeKind::Archiving
    );
    if basis_justifies || kind_justifies || activity.reuses.is_empty() {
        return;
    }
    // One finding per `reuses` statement: every unjustified origin whose data first arrives
    // through it (statements in source order, origins in source order).
    let mut by_statement: Vec<(crate::source::Span, Vec<usize>)> = Vec::new();
    for (a, origin) in cx.flow.foreign_origins(model, b) {
        let source = &model.activities[a];
        let Some(source_purpose_ref) = &source.purpose else {
            continue;
        };
        if source_purpose_ref.name == purpose_ref.name || origin.compatible_on_path {
            continue;
        }
        let Some(source_purpose) = model.purpose(&source_purpose_ref.name) else {
            continue;
        };
        let listed = purpose
            .compatible_with
            .iter()
            .any(|p| p.name == source_purpose_ref.name)
            || source_purpose
                .compatible_with
                .iter()
                .any(|p| p.name == purpose_ref.name);
        if listed {
            continue;
        }
        let stmt = activity.reuses[origin.first_reuse].stmt;
        match by_statement.iter_mut().find(|(s, _)| *s == stmt) {
            Some((_, origins)) => origins.push(a),
            None => by_statement.push((stmt, vec![a])),
        }
    }
    by_statement.sort_by_key(|(stmt, _)| (stmt.file, stmt.start));
    for (stmt, mut origins) in by_statement {
        // Model order: files by path, then source order (not by file id).
        origins.sort_unstable();
        let described: Vec<String> = origins
            .iter()
            .take(NAMED)
            .map(|a| {
                let source = &model.activities[*a];
                let purpose = source.purpose.as_ref().map_or("", |p| p.name.as_str());
                format!("`{}` (for `{purpose}`)", source.header.name)
            })
            .collect();
        let mut listed = match described.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        if origins.len() > NAMED {
            listed = format!(
                "{}, and {} more",
                described.join(", "),
                origins.len() - NAMED
            );
        }
        let noun = if origins.len() == 1 {
            "an activity"
        } else {
            "activities"
        };
        let mut diagnostic = Diagnostic::new(
            "P001",
            stmt,
            format!(
                "`{}` reuses data collected by {noun} with a different purpose than `{}`: {listed}",
                activity.header.name, purpose_ref.name
            ),
        )
        .with_note("Art. 5(1)(b) and 6(4): further processing must be compatible with the purpose of collection, judged on the link, context, nature, consequences and safeguards")
        .with_help("add a `compatible { link … context … nature … consequences … expectations … safeguards … }` block to this `reuses`, list the purposes in `compatible-with`, or give the activity its own consent or legal obligation");
        for a in origins.iter().take(LABELLED) {
            let source = &model.activities[*a];
            let purpose = source.purpose.as_ref().map_or("", |p| p.name.as_str());
            diagnostic = diagnostic.with_related(
                source.header.name_span,
                format!("the data was collected here, for `{purpose}`"),
            );
        }
        out.push(diagnostic);
    }
}

/// How many origins a P001 message names, and how many get a related label.
const NAMED: usize = 5;
const LABELLED: usize = 20;

/// P002: an Art. 6(4) assessment that skips a factor.
fn incomplete_assessment(compatible: &Compatible, out: &mut Vec<Diagnostic>) {
    let missing: Vec<&str> = [
        ("link", compatible.link),
        ("context", compatible.context),
        ("nature", compatible.nature),
        ("consequences", compatible.consequences),
        ("safeguards", compatible.has_safeguards),
        ("expectations", compatible.expectations),
    ]
    .into_iter()
    .filter(|(_, given)| !given)
    .map(|(factor, _)| factor)
    .collect();
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new("P002", compatible.stmt, format!("the compatibility assessment does not address {}", super::names(missing.iter().copied())))
            .with_note("Art. 6(4)(a)–(e) and the Dutch AP's guidance: weigh the link between the purposes, the context of collection, the nature of the data, the consequences for the people concerned and the safeguards, including what they may reasonably expect")
            .with_help(format!("add {} to the block", missing.iter().map(|m| format!("`{m} \"…\"`")).collect::<Vec<_>>().join(", "))),
    );
}

/// P004: reuse for research, statistics or archiving without pseudonymisation or anonymisation.
fn research_reuse(model: &Model, activity: &Activity, out: &mut Vec<Diagnostic>) {
    let Some(purpose) = activity
        .purpose
        .as_ref()
        .and_then(|p| model.purpose(&p.name))
    else {
        return;
    };
    if !matches!(
        purpose.kind,
        PurposeKind::Research | PurposeKind::Statistics | PurposeKind::Archiving
    ) {
        return;
    }
    let in_effect = Flow::measures_in_effect(model, activity);
    if in_effect.contains(&MeasureKind::Pseudonymisation)
        || in_effect.contains(&MeasureKind::Anonymisation)
    {
        return;
    }
    let mut reported = Vec::new();
    for reuse in &activity.reuses {
        // `reuses a, b` is one statement: one finding.
        if reported.contains(&reuse.stmt) {
            continue;
        }
        reported.push(reuse.stmt);
        out.push(
            Diagnostic::new("P004", reuse.stmt, format!("data is reused for {} without pseudonymisation or anonymisation", purpose.kind))
                .with_note("Art. 89(1): processing for research, statistics or archiving needs safeguards, such as pseudonymisation, that ensure data minimisation")
                .with_help("add `measures pseudonymisation` (or `anonymisation`) to the activity, its systems or the controller"),
        );
    }
}
