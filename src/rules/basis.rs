//! B — legal basis (Art. 6–8) and S — special data (Art. 9, 10, 87).

use super::{Context, names};
use crate::diag::Diagnostic;
use crate::flow;
use crate::model::vocab::{Art9Ground, BasisKind, Sector};
use crate::model::{Activity, Basis, DataStmt, Model};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for activity in model.activities.iter().filter(|a| !a.header.from_stdlib) {
        match &activity.basis {
            None if activity.header.wrote("basis") => {} // there, with a bad value: E003
            None => out.push(
                Diagnostic::new(
                    "B001",
                    activity.header.name_span,
                    format!("activity `{}` has no legal basis", activity.header.name),
                )
                .with_note("every processing needs one of the six grounds of Art. 6(1)")
                .with_help("add `basis consent|contract|legal-obligation|vital-interests|public-task|legitimate-interest`"),
            ),
            Some(basis) => {
                basis_details(model, basis, out);
                activity_basis(model, activity, basis, out);
            }
        }
        for recipient in &activity.recipients {
            if let Some(basis) = &recipient.basis {
                basis_details(model, basis, out);
            }
        }
        special_data(model, activity, out);
    }
}

/// B002–B007: what each kind of basis must document.
fn basis_details(model: &Model, basis: &Basis, out: &mut Vec<Diagnostic>) {
    match basis.kind {
        BasisKind::Consent => {
            if basis.evidence.is_none() && !basis.wrote("evidence") {
                out.push(
                    Diagnostic::new("B002", basis.stmt, "consent is relied on, but nothing says how it is recorded")
                        .with_note("Art. 7(1): the controller must be able to demonstrate that each person consented")
                        .with_help("add `evidence \"<where consent records are kept>\"` to the basis block"),
                );
            }
            if basis.notice.is_none() && !basis.wrote("notice") {
                out.push(
                    Diagnostic::new("B003", basis.stmt, "consent is relied on, but the information shown when asking is not kept")
                        .with_help("add `notice \"<the consent text or its version>\"` to the basis block"),
                );
            }
            if let Some(prechecked) = basis.prechecked {
                out.push(
                    Diagnostic::new("B004", prechecked, "consent through a pre-ticked box is not valid consent")
                        .with_note("Art. 4(11) and recital 32: silence, pre-ticked boxes or inactivity are no consent")
                        .with_help("let people tick the box themselves, then remove `prechecked`"),
                );
            }
        }
        BasisKind::LegitimateInterest if basis.assessment.is_none() && !basis.wrote("assessment") => out.push(
            Diagnostic::new("B005", basis.stmt, "legitimate interest without a recorded balancing test")
                .with_note("Art. 6(1)(f): the interest must outweigh the data subjects' interests and rights, and that weighing must be documented")
                .with_help("add `assessment \"<reference to the legitimate-interest assessment>\"`"),
        ),
        BasisKind::LegalObligation | BasisKind::PublicTask => {
            if basis.law.is_none() && !basis.wrote("law") {
                out.push(
                    Diagnostic::new("B006", basis.stmt, format!("`{}` without the law it rests on", basis.kind))
                        .with_note("Art. 6(3): the obligation or task must be laid down in Union or member-state law")
                        .with_help("add `law \"<the act and article>\"`, e.g. `law \"Wet BRP art. 2.8\"`"),
                );
            }
            if basis.kind == BasisKind::PublicTask
                && let Some(controller) = &model.controller
                    && controller.sector != Sector::Public {
                        out.push(
                            Diagnostic::new("B007", basis.stmt, format!("`public-task` used by `{}`, which is not a public body", controller.header.name))
                                .with_related(controller.header.name_span, "the controller's sector is `private` (the default)")
                                .with_help("a private organisation rarely has a task in the public interest laid down by law; use another basis, or set `sector public` if the controller is a public authority"),
                        );
                    }
        }
        _ => {}
    }
}

/// B008 and B009: consent that the activity's subjects cannot give freely or alone.
fn activity_basis(model: &Model, activity: &Activity, basis: &Basis, out: &mut Vec<Diagnostic>) {
    if basis.kind != BasisKind::Consent {
        return;
    }
    let subjects: Vec<_> = activity
        .subjects
        .iter()
        .filter_map(|s| model.subjects_category(&s.name).map(|c| (s, c)))
        .collect();
    let minors: Vec<&str> = subjects
        .iter()
        .filter(|(_, c)| c.minors)
        .map(|(s, _)| s.name.as_str())
        .collect();
    if !minors.is_empty() && flow::automated(activity) && !basis.parental {
        let age = model
            .controller
            .as_ref()
            .and_then(|c| c.country.as_ref())
            .and_then(|c| model.country(&c.name))
            .and_then(|c| c.consent_age)
            .unwrap_or(16);
        out.push(
            Diagnostic::new("B008", basis.stmt, format!("online consent from minors ({}) without parental authorisation", names(minors)))
                .with_note(format!("Art. 8(1): below {age} in the controller's country, a parent must give or authorise consent for an online service"))
                .with_help("add `parental` to the consent block once a parent's authorisation is obtained and verified"),
        );
    }
    let employees: Vec<&str> = subjects
        .iter()
        .filter(|(_, c)| c.employees)
        .map(|(s, _)| s.name.as_str())
        .collect();
    if !employees.is_empty() {
        out.push(
            Diagnostic::new("B009", basis.stmt, format!("consent from {}, who depend on the controller", names(employees)))
                .with_note("recital 43: where there is a clear imbalance, as between employer and employee, consent is rarely freely given")
                .with_help("rely on contract, legal obligation or legitimate interest instead, or document why refusing has no consequences"),
        );
    }
}

/// S001, S003, S004: per `data` statement holding a category of the kind; S002 on the exception.
fn special_data(model: &Model, activity: &Activity, out: &mut Vec<Diagnostic>) {
    for statement in &activity.data {
        let categories = expanded(model, statement);
        let special: Vec<&str> = categories
            .iter()
            .filter(|c| model.data_category(c).is_some_and(|d| d.special.is_some()))
            .map(String::as_str)
            .collect();
        if !special.is_empty() && activity.exception.is_none() {
            out.push(
                Diagnostic::new("S001", statement.stmt, format!("special-category data ({}) without an Art. 9(2) exception", names(special)))
                    .with_note("Art. 9(1) forbids processing such data unless one of the exceptions of Art. 9(2) applies")
                    .with_help("add `exception <ground>`, e.g. `exception explicit-consent` or `exception health-care`"),
            );
        }
        let criminal: Vec<&str> = categories
            .iter()
            .filter(|c| model.data_category(c).is_some_and(|d| d.criminal))
            .map(String::as_str)
            .collect();
        if !criminal.is_empty() && activity.authorized_by.is_none() {
            out.push(
                Diagnostic::new("S003", statement.stmt, format!("criminal-offence data ({}) without the law that authorises it", names(criminal)))
                    .with_note("Art. 10: only under official authority or where Union or member-state law authorises it (in NL: UAVG art. 31–33)")
                    .with_help("add `authorized-by \"<the law>\"`, e.g. `authorized-by \"Wet justitiële en strafvorderlijke gegevens\"`"),
            );
        }
        let national: Vec<&str> = categories
            .iter()
            .filter(|c| model.data_category(c).is_some_and(|d| d.national_id))
            .map(String::as_str)
            .collect();
        if let Some(basis) = &activity.basis
            && !national.is_empty()
            && !matches!(
                basis.kind,
                BasisKind::LegalObligation | BasisKind::PublicTask
            )
        {
            out.push(
                    Diagnostic::new("S004", statement.stmt, format!("national identification numbers ({}) processed under `{}`", names(national), basis.kind))
                        .with_related(basis.stmt, "the basis is given here")
                        .with_note("Art. 87 GDPR and UAVG art. 46: a national identifier such as the BSN may only be used where a law prescribes it")
                        .with_help("remove the identifier, or base the activity on the legal obligation that requires it (`basis legal-obligation { law \"…\" }`)"),
                );
        }
    }
    if let Some(exception) = &activity.exception {
        let explicit_consent = activity
            .basis
            .as_ref()
            .is_some_and(|b| b.kind == BasisKind::Consent && b.explicit);
        if exception.value == Art9Ground::ExplicitConsent && !explicit_consent {
            out.push(
                Diagnostic::new("S002", exception.stmt, "the Art. 9 exception is explicit consent, but the basis is not explicit consent")
                    .with_note("Art. 9(2)(a) needs consent given by an express statement, more than the ordinary consent of Art. 6(1)(a)")
                    .with_help("use `basis consent { explicit … }`, or choose another Art. 9(2) ground"),
            );
        }
    }
}

fn expanded(model: &Model, statement: &DataStmt) -> Vec<String> {
    model.expand_data(statement.refs.iter().map(|r| r.name.as_str()))
}
