//! Structural checks that need the data-flow facts: the `data` of a `recipient` or `reuses`
//! block must be a subset of what the activity holds (E003).

use super::{Context, names};
use crate::diag::Diagnostic;
use crate::model::Ref;
use crate::syntax::ast::Kind;
use std::collections::BTreeSet;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (a, activity) in model.activities.iter().enumerate() {
        if activity.header.from_stdlib {
            continue;
        }
        // A declaration that lost statements to a syntax error may have lost some of its
        // `data`: what it holds is unknown, so "not held" would follow from the E001.
        let held = &cx.flow.holdings[a];
        for recipient in activity
            .recipients
            .iter()
            .filter(|_| !activity.header.recovered)
        {
            if let Some(refs) = &recipient.data {
                subset(
                    cx,
                    refs,
                    held,
                    &format!("activity `{}`", activity.header.name),
                    out,
                );
            }
        }
        for reuse in &activity.reuses {
            let (Some(refs), Some(source)) = (
                &reuse.data,
                model.position(Kind::Activity, &reuse.activity.name),
            ) else {
                continue;
            };
            if model.activities[source].header.recovered {
                continue;
            }
            let source_holdings = &cx.flow.holdings[source];
            subset(
                cx,
                refs,
                source_holdings,
                &format!("activity `{}`", reuse.activity.name),
                out,
            );
        }
    }
}

fn subset(
    cx: &Context<'_>,
    refs: &[Ref],
    held: &BTreeSet<String>,
    holder: &str,
    out: &mut Vec<Diagnostic>,
) {
    for reference in refs {
        if cx.model.data_category(&reference.name).is_none() {
            continue; // E004 already
        }
        let expanded = cx.model.expand_data([reference.name.as_str()]);
        let missing: Vec<&str> = expanded
            .iter()
            .map(String::as_str)
            .filter(|d| !held.contains(*d))
            .collect();
        if missing.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new("E003", reference.span, format!("`{}` is not data that {holder} holds", reference.name))
                .with_note(format!("not held: {}", names(missing)))
                .with_help(format!("only data the activity processes can be passed on; add it to the `data` of {holder}, or remove it here")),
        );
    }
}
