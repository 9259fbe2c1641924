//! T — international transfers (Art. 27, 44–49).

use super::Context;
use crate::diag::Diagnostic;
use crate::model::vocab::Mechanism;
use crate::model::{Country, Model, Party, Transfer};
use crate::source::Span;
use crate::syntax::ast::Kind;
use crate::time::Date;

/// How a destination stands under Chapter V.
#[derive(Debug, PartialEq, Eq)]
enum Destination<'m> {
    /// Not a declared country (E004 already).
    Unknown,
    /// Inside the EEA.
    Eea,
    /// The controller's own country: never a transfer.
    OwnCountry,
    /// A third country with an adequacy decision covering this recipient.
    Adequate,
    /// A partial decision (e.g. the EU-US DPF) that the recipient does not meet.
    PartialNotMet { requires: &'m str },
    /// A third country with no decision.
    NotAdequate,
}

/// How the destination stands on `today`: a decision counts only from its `since` date.
fn destination<'m>(
    model: &'m Model,
    today: Date,
    country: &str,
    certified: &[&str],
) -> Destination<'m> {
    let Some(info) = model.country(country) else {
        return Destination::Unknown;
    };
    let own = model
        .controller
        .as_ref()
        .and_then(|c| c.country.as_ref())
        .is_some_and(|c| c.name == country);
    if info.eea {
        return Destination::Eea;
    }
    let in_force = info
        .adequacy
        .as_ref()
        .filter(|a| a.since.is_none_or(|since| since <= today));
    let judged = match in_force {
        Some(adequacy) if adequacy.full => Destination::Adequate,
        Some(adequacy) => match adequacy.requires.as_deref() {
            Some(requires) if certified.contains(&requires) => Destination::Adequate,
            Some(requires) => Destination::PartialNotMet { requires },
            None => Destination::Adequate,
        },
        None => Destination::NotAdequate,
    };
    // The controller's own country is never a transfer; when it is adequate anyway, a
    // `transfer` there is still "not needed" (T005), so only the other outcomes change.
    match judged {
        Destination::PartialNotMet { .. } | Destination::NotAdequate if own => {
            Destination::OwnCountry
        }
        other => other,
    }
}

/// Parties whose `transfer` is what protects a system they host (a host's transfer may
/// protect the system): such a transfer is needed even when the host itself is in the EEA.
fn hosts_whose_transfer_protects_a_system(cx: &Context<'_>) -> Vec<usize> {
    let model = cx.model;
    let mut relied_on = Vec::new();
    for (s, system) in model.systems.iter().enumerate() {
        if system.transfer.is_some() || !cx.flow.reaches_system(s) {
            continue;
        }
        let Some(host) = system
            .hosted_by
            .as_ref()
            .and_then(|h| model.position(Kind::Party, &h.value.name))
        else {
            continue;
        };
        let host_party = &model.parties[host];
        if host_party.transfer.is_none() {
            continue;
        }
        let certified = certifications(host_party);
        let needs = system
            .location
            .iter()
            .map(|l| &l.value)
            .chain(host_party.country.iter())
            .any(|country| {
                matches!(
                    destination(model, cx.settings.today, &country.name, &certified),
                    Destination::PartialNotMet { .. } | Destination::NotAdequate
                )
            });
        if needs {
            relied_on.push(host);
        }
    }
    relied_on
}

fn certifications(party: &Party) -> Vec<&str> {
    party.certified.iter().map(|c| c.value.as_str()).collect()
}

/// A destination that needs a transfer tool (Art. 46): a non-adequate third country.
fn needs_tool(dest: &Destination<'_>) -> bool {
    matches!(
        dest,
        Destination::PartialNotMet { .. } | Destination::NotAdequate
    )
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    // The `transfer` statements that protect an edge into a non-adequate third country: only
    // those are relied on, so only those need a transfer impact assessment (T003).
    let mut relied: Vec<&Transfer> = Vec::new();
    // Edges into parties from recipient statements: one finding per statement.
    for activity in model.activities.iter().filter(|a| !a.header.from_stdlib) {
        // `recipient a, b` is one statement: at most one finding for it.
        let mut reported: Vec<Span> = Vec::new();
        for recipient in &activity.recipients {
            let Some(party) = model.party(&recipient.party.name) else {
                continue;
            };
            let Some(country) = &party.country else {
                continue;
            };
            let dest = destination(
                model,
                cx.settings.today,
                &country.name,
                &certifications(party),
            );
            let protected = recipient.transfer.is_some() || party.transfer.is_some();
            if needs_tool(&dest)
                && let Some(transfer) = recipient.transfer.as_ref().or(party.transfer.as_ref())
            {
                relied.push(transfer);
            }
            if !reported.contains(&recipient.stmt)
                && unprotected(
                    model,
                    &dest,
                    protected,
                    Crossing {
                        anchor: recipient.stmt,
                        receiver: &party.header.name,
                        certifiable: Some(&party.header.name),
                        country,
                    },
                    out,
                )
            {
                reported.push(recipient.stmt);
            }
            if let Some(transfer) = &recipient.transfer {
                if matches!(dest, Destination::Eea | Destination::Adequate) {
                    not_needed(transfer, &country.name, out);
                }
                derogation_occasional(transfer, [activity].into_iter(), out);
            }
        }
    }
    // Edges into systems and on to their hosts: one finding per system that data reaches.
    for (s, system) in model.systems.iter().enumerate() {
        if system.header.from_stdlib {
            continue;
        }
        let host = system
            .hosted_by
            .as_ref()
            .and_then(|h| model.party(&h.value.name));
        let certified = host.map(certifications).unwrap_or_default();
        // The system's location (default: its host's country), and the host itself,
        // which receives all data stored.
        let mut destinations: Vec<&crate::model::Ref> = Vec::new();
        if let Some(location) = &system.location {
            destinations.push(&location.value);
        }
        if let Some(country) = host.and_then(|h| h.country.as_ref()) {
            destinations.push(country);
        }
        let anchor = system
            .location
            .as_ref()
            .map(|l| l.stmt)
            .or(system.hosted_by.as_ref().map(|h| h.stmt));
        let (Some(anchor), false) = (anchor, destinations.is_empty()) else {
            continue;
        };
        let judged: Vec<(Destination<'_>, &crate::model::Ref)> = destinations
            .into_iter()
            .map(|country| {
                (
                    destination(model, cx.settings.today, &country.name, &certified),
                    country,
                )
            })
            .collect();
        let needs_transfer = judged.iter().find(|(dest, _)| {
            matches!(
                dest,
                Destination::PartialNotMet { .. } | Destination::NotAdequate
            )
        });
        if cx.flow.reaches_system(s)
            && let Some((dest, country)) = needs_transfer
        {
            let protected = system.transfer.is_some() || host.is_some_and(|h| h.transfer.is_some());
            if let Some(transfer) = system
                .transfer
                .as_ref()
                .or(host.and_then(|h| h.transfer.as_ref()))
            {
                relied.push(transfer);
            }
            unprotected(
                model,
                dest,
                protected,
                Crossing {
                    anchor,
                    receiver: &system.header.name,
                    certifiable: host.map(|h| h.header.name.as_str()),
                    country,
                },
                out,
            );
        }
        if let Some(transfer) = &system.transfer {
            let covered = judged
                .iter()
                .find(|(dest, _)| matches!(dest, Destination::Eea | Destination::Adequate));
            if let (None, Some((_, country))) = (needs_transfer, covered) {
                not_needed(transfer, &country.name, out);
            }
            let users = cx.flow.system_activities[s]
                .iter()
                .map(|a| &model.activities[*a]);
            derogation_occasional(transfer, users, out);
        }
    }
    // Parties: their own `transfer`, and the subprocessors they pass data on to.
    let relied_on = hosts_whose_transfer_protects_a_system(cx);
    for (p, party) in model.parties.iter().enumerate() {
        if party.header.from_stdlib {
            continue;
        }
        if let (Some(transfer), Some(country)) = (&party.transfer, &party.country) {
            let dest = destination(
                model,
                cx.settings.today,
                &country.name,
                &certifications(party),
            );
            if matches!(dest, Destination::Eea | Destination::Adequate) && !relied_on.contains(&p) {
                not_needed(transfer, &country.name, out);
            }
            let users = cx
                .flow
                .party_activities(p)
                .iter()
                .map(|a| &model.activities[*a]);
            derogation_occasional(transfer, users, out);
        }
        if !cx.flow.reaches_party(p) {
            continue;
        }
        for statement in &party.subprocessors {
            for sub in &statement.parties {
                let Some(q) = model.position(Kind::Party, &sub.name) else {
                    continue;
                };
                let subprocessor = &model.parties[q];
                let Some(country) = &subprocessor.country else {
                    continue;
                };
                let dest = destination(
                    model,
                    cx.settings.today,
                    &country.name,
                    &certifications(subprocessor),
                );
                if needs_tool(&dest)
                    && let Some(transfer) = &subprocessor.transfer
                {
                    relied.push(transfer);
                }
                unprotected(
                    model,
                    &dest,
                    subprocessor.transfer.is_some(),
                    Crossing {
                        anchor: statement.stmt,
                        receiver: &sub.name,
                        certifiable: Some(&sub.name),
                        country,
                    },
                    out,
                );
            }
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

/// One edge into a third-country destination, as the T001/T002 finding describes it.
struct Crossing<'a> {
    /// Where the finding is anchored.
    anchor: Span,
    /// The party or system receiving the data.
    receiver: &'a str,
    /// The party whose certification the adequacy decision looks at (a system's host).
    certifiable: Option<&'a str>,
    country: &'a crate::model::Ref,
}

fn unprotected(
    model: &Model,
    dest: &Destination<'_>,
    protected: bool,
    crossing: Crossing<'_>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Crossing {
        anchor,
        receiver,
        certifiable,
        country,
    } = crossing;
    if protected {
        return false;
    }
    let country_name = describe_country(model.country(&country.name), &country.name);
    let diagnostic = match dest {
        Destination::Unknown | Destination::Eea | Destination::OwnCountry | Destination::Adequate => return false,
        Destination::PartialNotMet { requires } => {
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
        Destination::NotAdequate => Diagnostic::new(
            "T001",
            anchor,
            format!("personal data goes to `{receiver}` in {country_name}, a third country without adequacy, with no transfer mechanism"),
        )
        .with_note("Art. 44–46: a transfer outside the EEA needs an adequacy decision or appropriate safeguards such as standard contractual clauses")
        .with_help("add `transfer scc { tia \"…\" }` (or bcr, or an Art. 49 derogation for occasional transfers)"),
    };
    out.push(diagnostic.with_related(country.span, "the destination country is given here"));
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
