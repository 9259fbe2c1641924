//! T — international transfers (Art. 27, 44–49), read from the transfer edges of the facts
//! (`facts::transfers`): each edge's country status and the mechanism protecting it.

use super::Context;
use crate::diag::Diagnostic;
use crate::facts::{DeclaredOn, EdgeKind, Protection, TransferEdge, TransferStatus};
use crate::model::vocab::Mechanism;
use crate::model::{Country, Model, Transfer};
use crate::source::Span;
use std::collections::{BTreeMap, BTreeSet};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    // The `transfer` statements that protect an edge into a non-adequate third country: only
    // those are relied on, so only those need a transfer impact assessment (T003).
    let mut relied: Vec<&Protection> = Vec::new();
    // `recipient a, b` is one statement: at most one finding for it.
    let mut reported: BTreeSet<Span> = BTreeSet::new();
    let mut by_system: BTreeMap<usize, Vec<&TransferEdge>> = BTreeMap::new();
    let mut by_processor: BTreeMap<usize, Vec<&TransferEdge>> = BTreeMap::new();
    // Edges into parties from recipient statements: one finding per statement.
    for edge in &cx.facts.transfers {
        let (activity, recipient, party) = match edge.kind {
            EdgeKind::Recipient {
                activity,
                recipient,
                party,
            } => (activity, recipient, party),
            EdgeKind::SystemLocation { system } | EdgeKind::SystemHost { system, .. } => {
                by_system.entry(system).or_default().push(edge);
                continue;
            }
            EdgeKind::Subprocessor { processor, .. } => {
                by_processor.entry(processor).or_default().push(edge);
                continue;
            }
        };
        let activity = &model.activities[activity];
        let party = &model.parties[party];
        if edge.status.needs_tool()
            && let Some(protection) = &edge.protection
        {
            relied.push(protection);
        }
        if !reported.contains(&edge.anchor)
            && unprotected(
                model,
                edge,
                Crossing {
                    receiver: &party.header.name,
                    certifiable: Some(&party.header.name),
                },
                out,
            )
        {
            reported.insert(edge.anchor);
        }
        if let Some(transfer) = &activity.recipients[recipient].transfer {
            if edge.status.covered() {
                not_needed(transfer, &edge.country, out);
            }
            derogation_occasional(transfer, [activity].into_iter(), out);
        }
    }
    // Edges into systems and on to their hosts: one finding per system that data reaches,
    // for the first of its destinations (location, then host) that needs a transfer tool.
    for (s, edges) in &by_system {
        let system = &model.systems[*s];
        let host = edges.iter().find_map(|e| e.certifiable);
        let needs_transfer = edges.iter().find(|e| e.status.needs_tool());
        if let Some(edge) = needs_transfer.filter(|e| e.reached) {
            if let Some(protection) = &edge.protection {
                relied.push(protection);
            }
            unprotected(
                model,
                edge,
                Crossing {
                    receiver: &system.header.name,
                    certifiable: host.map(|h| model.parties[h].header.name.as_str()),
                },
                out,
            );
        }
        if let Some(transfer) = &system.transfer {
            let covered = edges.iter().find(|e| e.status.covered());
            if let (None, Some(edge)) = (needs_transfer, covered) {
                not_needed(transfer, &edge.country, out);
            }
            let users = cx.flow.system_activities[*s]
                .iter()
                .map(|a| &model.activities[*a]);
            derogation_occasional(transfer, users, out);
        }
    }
    // A host's `transfer` that protects a system it hosts is needed even when the host
    // itself is in the EEA.
    let relied_on: BTreeSet<usize> = by_system
        .values()
        .flatten()
        .filter(|e| e.reached && e.status.needs_tool())
        .filter_map(|e| match e.protection.as_ref().map(|p| p.declared) {
            Some(DeclaredOn::Party(host)) => Some(host),
            _ => None,
        })
        .collect();
    // Parties: their own `transfer`, and the subprocessors they pass data on to.
    for (p, party) in model.parties.iter().enumerate() {
        if party.header.from_stdlib {
            continue;
        }
        if let (Some(transfer), Some(status)) = (
            &party.transfer,
            cx.facts.parties.get(p).and_then(|f| f.status.as_ref()),
        ) {
            if status.covered()
                && !relied_on.contains(&p)
                && let Some(country) = &party.country
            {
                not_needed(transfer, &country.name, out);
            }
            let users = cx
                .flow
                .party_activities(p)
                .iter()
                .map(|a| &model.activities[*a]);
            derogation_occasional(transfer, users, out);
        }
        for edge in by_processor.get(&p).into_iter().flatten() {
            let EdgeKind::Subprocessor { subprocessor, .. } = edge.kind else {
                continue;
            };
            if edge.status.needs_tool()
                && let Some(protection) = &edge.protection
            {
                relied.push(protection);
            }
            let name = &model.parties[subprocessor].header.name;
            unprotected(
                model,
                edge,
                Crossing {
                    receiver: name,
                    certifiable: Some(name),
                },
                out,
            );
        }
    }
    // SCCs and ad-hoc clauses that protect a needed transfer need a transfer impact assessment;
    // one finding per statement, however many edges it protects.
    relied.sort_by_key(|t| (t.stmt.file, t.stmt.start));
    relied.dedup_by_key(|t| t.stmt);
    for transfer in relied {
        if matches!(transfer.mechanism, Mechanism::Scc | Mechanism::AdhocClauses)
            && transfer.tia.is_none()
        {
            out.push(
                Diagnostic::new("T003", transfer.stmt, format!("`{}` relied on without a transfer impact assessment", transfer.mechanism))
                    .with_note("Art. 46 and the Schrems II judgment (C-311/18): the exporter must assess whether the destination's law lets the clauses be complied with")
                    .with_help("add `{ tia \"<reference to the assessment>\" }` to the transfer"),
            );
        }
    }
    if let Some(controller) = &model.controller {
        let outside = controller
            .country
            .as_ref()
            .and_then(|c| model.country(&c.name))
            .is_some_and(|c| !c.eea);
        if outside
            && controller.representative.is_none()
            && !controller.header.wrote("representative")
        {
            out.push(
                Diagnostic::new("T006", controller.header.name_span, format!("controller `{}` is established outside the EEA and names no EU representative", controller.header.name))
                    .with_note("Art. 27: a controller outside the Union that offers goods or services to, or monitors, people in the Union must designate a representative there")
                    .with_help("add `representative \"<name and address in the EU>\"`"),
            );
        }
    }
}

/// How the T001/T002 finding names an edge's receiver.
struct Crossing<'a> {
    /// The party or system receiving the data.
    receiver: &'a str,
    /// The party whose certification the adequacy decision looks at (a system's host).
    certifiable: Option<&'a str>,
}

/// T001/T002 for an edge into a non-adequate third country that nothing protects.
fn unprotected(
    model: &Model,
    edge: &TransferEdge,
    crossing: Crossing<'_>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Crossing {
        receiver,
        certifiable,
    } = crossing;
    if edge.protection.is_some() {
        return false;
    }
    let anchor = edge.anchor;
    let country_name = describe_country(model.country(&edge.country), &edge.country);
    let diagnostic = match &edge.status {
        TransferStatus::PartialNotMet { requires } => {
            let (who, help) = match certifiable {
                Some(party) if party == receiver => (
                    "it is not".to_string(),
                    format!("add `certified {requires}` to `{party}` if it is on the list, or a `transfer scc {{ tia \"…\" }}`"),
                ),
                Some(party) => (
                    format!("its host `{party}` is not"),
                    format!("add `certified {requires}` to `{party}` if it is on the list, or a `transfer scc {{ tia \"…\" }}`"),
                ),
                None => (
                    "it has no `hosted-by` party that is".to_string(),
                    format!("name its host with `hosted-by` (a party `certified {requires}`), or add a `transfer scc {{ tia \"…\" }}`"),
                ),
            };
            Diagnostic::new(
                "T002",
                anchor,
                format!("`{receiver}` in {country_name} is not covered by its adequacy decision: {who} `certified {requires}`"),
            )
            .with_note(format!("the adequacy decision for {country_name} covers only organisations certified under `{requires}` (for the US: the EU-US Data Privacy Framework)"))
            .with_help(help)
        }
        TransferStatus::NoDecision => Diagnostic::new(
            "T001",
            anchor,
            format!("personal data goes to `{receiver}` in {country_name}, a third country without adequacy, with no transfer mechanism"),
        )
        .with_note("Art. 44–46: a transfer outside the EEA needs an adequacy decision or appropriate safeguards such as standard contractual clauses")
        .with_help("add `transfer scc { tia \"…\" }` (or bcr, or an Art. 49 derogation for occasional transfers)"),
        _ => return false,
    };
    out.push(diagnostic.with_related(edge.country_span, "the destination country is given here"));
    true
}

fn describe_country(country: Option<&Country>, code: &str) -> String {
    match country.and_then(|c| c.header.title.as_deref()) {
        Some(title) => format!("{title} (`{code}`)"),
        None => format!("`{code}`"),
    }
}

/// T005: a transfer tool where none is needed.
fn not_needed(transfer: &Transfer, country: &str, out: &mut Vec<Diagnostic>) {
    out.push(
        Diagnostic::new("T005", transfer.stmt, format!("`transfer {}` is not needed: `{country}` is in the EEA or covered by adequacy", transfer.mechanism))
            .with_help("remove the `transfer`, or keep it (with an `allow T005 \"…\"`) as a fallback should the adequacy decision fall"),
    );
}

/// T004: an Art. 49 derogation used for something that is not occasional.
fn derogation_occasional<'m>(
    transfer: &Transfer,
    users: impl Iterator<Item = &'m crate::model::Activity>,
    out: &mut Vec<Diagnostic>,
) {
    if transfer.mechanism != Mechanism::Derogation {
        return;
    }
    let regular: Vec<&str> = users
        .filter(|a| !a.occasional)
        .map(|a| a.header.name.as_str())
        .collect();
    if regular.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new("T004", transfer.stmt, format!("an Art. 49 derogation is used for {}, not flagged `occasional`", super::names(regular)))
            .with_note("Art. 49 and EDPB guidelines 2/2018: derogations are exceptions for occasional, non-repetitive transfers, not for regular flows")
            .with_help("use standard contractual clauses for regular transfers, or flag the activity `occasional` if it truly is"),
    );
}
