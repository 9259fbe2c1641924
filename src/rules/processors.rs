//! D — processors and joint controllers (Art. 26, 28).

use super::{Context, names};
use crate::diag::Diagnostic;
use crate::model::vocab::{Clause, Role, Subprocessing};
use crate::syntax::ast::Kind;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (p, party) in model.parties.iter().enumerate() {
        if party.header.from_stdlib {
            continue;
        }
        let reached = cx.flow.reaches_party(p);
        let processor = party.role == Some(Role::Processor);
        if processor && reached && party.agreement.is_none() {
            out.push(
                Diagnostic::new("D001", party.header.name_span, format!("processor `{}` receives personal data without a processing agreement", party.header.name))
                    .with_note("Art. 28(3): processing by a processor must be governed by a contract or other legal act")
                    .with_help("add `agreement \"<reference>\" { signed <date> clauses … }`"),
            );
        }
        if let Some(agreement) = &party.agreement {
            if processor {
                let missing: Vec<&str> = Clause::ALL
                    .iter()
                    .filter(|clause| !agreement.clauses.iter().any(|c| c.value == **clause))
                    .map(|clause| clause.keyword())
                    .collect();
                if !missing.is_empty() {
                    out.push(
                        Diagnostic::new("D002", agreement.stmt, format!("the agreement with `{}` lacks {}", party.header.name, names(missing.iter().copied())))
                            .with_note("Art. 28(3) lists what a processing agreement must stipulate: the subject-matter and (a)–(h)")
                            .with_help(format!("add the missing clauses to the agreement and to `clauses`: {}", missing.join(", "))),
                    );
                }
            }
            if party.role == Some(Role::Controller) {
                out.push(
                    Diagnostic::new("D005", agreement.stmt, format!("`{}` is an independent controller; it needs no processing agreement", party.header.name))
                        .with_help(format!("if `{}` only acts on your instructions, make it `role processor`; otherwise remove the agreement or keep it as a data-sharing arrangement, which Lawful does not check", party.header.name)),
                );
            }
            if let Some(expires) = &agreement.expires
                && expires.value < cx.settings.today
            {
                out.push(
                        Diagnostic::new("D008", expires.stmt, format!("the agreement with `{}` expired on {}", party.header.name, expires.value))
                            .with_note(format!("checked against {} (`--today` or `today` in lawful.toml)", cx.settings.today))
                            .with_help("renew the agreement and update `expires`, or stop sending data to this party"),
                    );
            }
        }
        if processor && reached {
            let authorised = party
                .agreement
                .as_ref()
                .is_some_and(|a| a.subprocessing != Subprocessing::Forbidden);
            for statement in &party.subprocessors {
                if !authorised {
                    out.push(
                        Diagnostic::new("D003", statement.stmt, format!("`{}` engages subprocessors without the controller's written authorisation", party.header.name))
                            .with_related(
                            party.agreement.as_ref().map_or(party.header.name_span, |a| a.stmt),
                            if party.agreement.is_some() {
                                "the agreement gives no `subprocessing` authorisation"
                            } else {
                                "the party has no agreement at all"
                            },
                        )
                        .with_note("Art. 28(2): a processor shall not engage another processor without prior specific or general written authorisation")
                            .with_help("set `subprocessing specific` or `subprocessing general` in the agreement block"),
                    );
                }
                for sub in &statement.parties {
                    let Some(q) = model.position(Kind::Party, &sub.name) else {
                        continue;
                    };
                    if model.parties[q].agreement.is_none() {
                        out.push(
                            Diagnostic::new("D004", statement.stmt, format!("subprocessor `{}` of `{}` has no agreement of its own", sub.name, party.header.name))
                                .with_related(model.parties[q].header.name_span, "the subprocessor is declared here")
                                .with_note("Art. 28(4): the same data-protection obligations must be imposed on the subprocessor by contract")
                                .with_help(format!("add an `agreement` to `{}`", sub.name)),
                        );
                    }
                }
            }
        }
        if let Some(own) = party.own_purposes
            && processor
        {
            out.push(
                    Diagnostic::new("D006", own, format!("processor `{}` also uses the data for its own purposes", party.header.name))
                        .with_note("Art. 28(10): a processor that determines the purposes of processing is a controller for it")
                        .with_help("declare the party as `role controller` (with a ground for the disclosure) or remove `own-purposes`"),
                );
        }
        if party.role == Some(Role::JointController) && party.agreement.is_none() {
            out.push(
                Diagnostic::new("D007", party.header.name_span, format!("joint controller `{}` without an arrangement", party.header.name))
                    .with_note("Art. 26(1): joint controllers must set out their respective responsibilities in an arrangement, whose essence is made available to data subjects")
                    .with_help("add `agreement \"<reference>\" { signed <date> }` for the Art. 26 arrangement"),
            );
        }
    }
}
