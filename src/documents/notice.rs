//! The layered privacy notice (`lawful notice`, Art. 12–14): a first layer with the basic
//! information (who, what for, on which basis, who receives the data, your rights, where the
//! data comes from) and a second layer per activity with the Art. 13/14 details: data,
//! recipients, retention, transfers, automated decisions, how to exercise each right and
//! the complaint to the supervisory authority. Also as TILT transparency-information JSON.
//! Built from the register and the rights matrix, so the three documents never disagree.

use super::lang::Words;
use super::register::{self, Register};
use super::register_render::fields;
use super::rights::{self, RightsDoc};
use super::{html, md, retention, transfer_destination, transfer_mechanism};
use crate::analysis::Analysis;
use crate::model::vocab::{BasisKind, Right};
use crate::time::Date;
use serde_json::{Value, json};

/// Everything the notice says, gathered once.
pub struct Notice {
    pub register: Register,
    pub rights: RightsDoc,
    /// The supervisory authority to complain to: the controller's `complaint`, else its
    /// country's `authority`.
    pub authority: Option<String>,
    pub verify_identity: Option<String>,
    pub portability_formats: Vec<String>,
    /// No fee is charged (`fee` absent or `none`).
    pub free: bool,
}

pub fn build(analysis: &Analysis, today: Date) -> Notice {
    let model = &analysis.model;
    let controller = model.controller.as_ref();
    let rights_block = controller.and_then(|c| c.rights.as_ref());
    let authority = rights_block.and_then(|r| r.complaint.clone()).or_else(|| {
        controller
            .and_then(|c| c.country.as_ref())
            .and_then(|c| model.country(&c.name))
            .and_then(|c| c.authority.clone())
    });
    Notice {
        register: register::build(analysis, today),
        rights: rights::build(analysis),
        authority,
        verify_identity: rights_block
            .and_then(|r| r.verify_identity.as_ref().map(|v| v.value.clone())),
        free: rights_block
            .and_then(|r| r.fee.as_ref())
            .is_none_or(|fee| fee.value == "none"),
        portability_formats: rights_block
            .map(|r| {
                r.formats
                    .iter()
                    .map(|f| f.value.keyword().to_string())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The first layer as (question, answer) rows.
pub fn basic_information(w: &Words, n: &Notice) -> Vec<(&'static str, String)> {
    let r = &n.register;
    let c = &r.controller;
    let mut who = c.title.clone().or(c.name.clone()).unwrap_or_default();
    if let Some(contact) = &c.contact {
        who.push_str(&format!(", {contact}"));
    }
    if let Some(dpo) = &c.dpo {
        who.push_str(&format!("; {}: {dpo}", w.dpo));
    }
    let mut purposes: Vec<String> = Vec::new();
    let mut bases: Vec<String> = Vec::new();
    let mut receivers: Vec<String> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    // Each item once, in first-seen order (a set per list keeps it n·log n).
    let mut seen: std::collections::BTreeSet<(usize, String)> = Default::default();
    let mut push = |list: &mut Vec<String>, which: usize, item: String| {
        if seen.insert((which, item.clone())) {
            list.push(item);
        }
    };
    for a in &r.activities {
        push(
            &mut purposes,
            0,
            a.purpose.as_ref().map_or(a.name.clone(), |p| {
                p.title.clone().unwrap_or(p.name.clone())
            }),
        );
        if let Some(kind) = a
            .basis
            .as_ref()
            .and_then(|b| BasisKind::from_keyword(&b.kind))
        {
            push(&mut bases, 1, w.basis(kind).to_string());
        }
        for (label, list) in [
            (w.processors, &a.recipients.processors),
            (w.third_party_controllers, &a.recipients.controllers),
            (w.joint_controllers, &a.recipients.joint_controllers),
        ] {
            for recipient in list {
                push(
                    &mut receivers,
                    2,
                    format!(
                        "{} ({})",
                        recipient.title.clone().unwrap_or(recipient.name.clone()),
                        label.to_lowercase()
                    ),
                );
            }
        }
        for s in &a.sources {
            push(&mut sources, 3, super::source_text(w, s));
        }
    }
    let mut applicable: Vec<Right> = Vec::new();
    for a in &n.rights.activities {
        for right in a.rights.iter().filter(|r| r.applies) {
            if let Some(kind) = Right::from_keyword(&right.right)
                && !applicable.contains(&kind)
            {
                applicable.push(kind);
            }
        }
    }
    applicable.sort();
    let list = |items: Vec<String>| {
        if items.is_empty() {
            w.none.to_string()
        } else {
            items.join("; ")
        }
    };
    vec![
        (w.who, who),
        (w.what_for, list(purposes)),
        (w.on_which_basis, list(bases)),
        (w.who_receives, list(receivers)),
        (
            w.your_rights,
            list(applicable.iter().map(|r| w.right(*r).to_string()).collect()),
        ),
        (w.where_from, list(sources)),
    ]
}

/// The second layer of one activity as (heading, text) rows.
pub fn details(w: &Words, n: &Notice, index: usize) -> Vec<(String, String)> {
    let a = &n.register.activities[index];
    let all = fields(w, a);
    let pick = |label: &str| {
        all.iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut rows: Vec<(String, String)> = vec![
        (w.purpose.into(), pick(w.purpose)),
        (w.basis.into(), pick(w.basis)),
        (w.data.into(), pick(w.data)),
        (w.source.into(), pick(w.source)),
        (w.processors.into(), pick(w.processors)),
        (
            w.third_party_controllers.into(),
            pick(w.third_party_controllers),
        ),
        (w.joint_controllers.into(), pick(w.joint_controllers)),
        (w.retention.into(), retention(w, a.retention.as_ref())),
    ];
    let transfers = if a.transfers.is_empty() {
        w.no_transfers.to_string()
    } else {
        a.transfers
            .iter()
            .map(|t| {
                format!(
                    "{}: {}: {}",
                    t.country,
                    transfer_destination(w, t),
                    transfer_mechanism(w, t)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    rows.push((w.transfers.into(), transfers));
    let decision = if a.automated_decision.is_some() {
        pick(w.automated_decision)
    } else {
        w.no_automated_decision.to_string()
    };
    rows.push((w.automated_decision.into(), decision));
    // The rights matrix lists the same activities in the same order.
    if let Some(r) = n
        .rights
        .activities
        .get(index)
        .filter(|r| r.activity == a.name)
    {
        for right in r.rights.iter().filter(|r| r.applies) {
            rows.push((
                format!(
                    "{}: {}",
                    w.how_to_exercise,
                    rights::right_name(w, &right.right)
                ),
                right.channel.clone().unwrap_or_else(|| {
                    n.register
                        .controller
                        .contact
                        .clone()
                        .unwrap_or(w.not_stated.to_string())
                }),
            ));
        }
        if let Some(p) = &r.portability {
            rows.push((w.portability_scope.into(), rights::portability_text(w, p)));
        }
        rows.push((
            w.response_time.into(),
            format!(
                "{} (+ {})",
                rights::term_text(w, &r.response),
                rights::term_text(w, &r.extension)
            ),
        ));
    }
    if let Some(check) = &n.verify_identity {
        rows.push((w.identity_check.into(), check.clone()));
    }
    rows.push((
        w.complaint.into(),
        format!(
            "{}: {}",
            w.complaint_text,
            n.authority.as_deref().unwrap_or(w.not_stated)
        ),
    ));
    rows
}

pub fn markdown(w: &Words, n: &Notice) -> String {
    let r = &n.register;
    let name = r
        .controller
        .title
        .clone()
        .or(r.controller.name.clone())
        .unwrap_or_default();
    let mut out = format!(
        "# {} — {}\n\n{} {}.\n\n## {}\n\n| | |\n|---|---|\n",
        w.notice_title,
        md(&name),
        w.as_of,
        r.date,
        w.basic_information
    );
    for (question, answer) in basic_information(w, n) {
        out.push_str(&format!("| {} | {} |\n", md(question), md(&answer)));
    }
    out.push_str(&format!("\n## {}\n", w.details));
    for (i, a) in r.activities.iter().enumerate() {
        out.push_str(&format!(
            "\n### {}\n\n| | |\n|---|---|\n",
            md(&a.title.clone().unwrap_or(a.name.clone()))
        ));
        for (label, value) in details(w, n, i) {
            out.push_str(&format!("| {} | {} |\n", md(&label), md(&value)));
        }
    }
    if let Some(url) = &r.controller.notice {
        out.push_str(&format!("\n{}: {}\n", w.more_information, md(url)));
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:48em;color:#111;line-height:1.5}\
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}th,td{border:1px solid #bbb;padding:.35em .55em;vertical-align:top;text-align:left}\
th{width:30%;background:#f2f2f2}details{margin:.6em 0;border:1px solid #ccc;padding:.3em .7em}summary{font-weight:600;cursor:pointer}\
@media print{details{border:none}details>*{display:block}}";

/// One standalone page: the first layer as a table, each activity's second layer in a
/// `<details>` element (open when printed).
pub fn html_page(w: &Words, n: &Notice) -> String {
    let r = &n.register;
    let name = r
        .controller
        .title
        .clone()
        .or(r.controller.name.clone())
        .unwrap_or_default();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p>{} {}.</p>\n<h2>{}</h2>\n<table>\n",
        w.code,
        html(w.notice_title),
        html(&name),
        html(&format!("{} — {name}", w.notice_title)),
        html(w.as_of),
        html(&r.date),
        html(w.basic_information)
    );
    for (question, answer) in basic_information(w, n) {
        out.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            html(question),
            html(&answer)
        ));
    }
    out.push_str(&format!("</table>\n<h2>{}</h2>\n", html(w.details)));
    for (i, a) in r.activities.iter().enumerate() {
        out.push_str(&format!(
            "<details open id=\"activity-{}\">\n<summary>{}</summary>\n<table>\n",
            html(&a.name),
            html(&a.title.clone().unwrap_or(a.name.clone()))
        ));
        for (label, value) in details(w, n, i) {
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                html(&label),
                html(&value)
            ));
        }
        out.push_str("</table>\n</details>\n");
    }
    if let Some(url) = &r.controller.notice {
        out.push_str(&format!(
            "<p>{}: {}</p>\n",
            html(w.more_information),
            html(url)
        ));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The first e-mail address in a text, for TILT's `email` fields.
fn email_in(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>')
        .find(|t| t.contains('@') && t.contains('.'))
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

fn iso_duration(period: &str) -> String {
    match super::parse_duration(period) {
        Some(d) => {
            use crate::time::Unit::*;
            match d.unit {
                Hour => format!("PT{}H", d.count),
                Day => format!("P{}D", d.count),
                Week => format!("P{}W", d.count),
                Month => format!("P{}M", d.count),
                Year => format!("P{}Y", d.count),
            }
        }
        None => String::new(),
    }
}

/// The TILT document (Transparency Information Language, schema draft-07). Fields TILT
/// requires that the policy does not state are empty strings; `_hash` is the SHA-256 of the
/// document with an empty `_hash`, so the same policy always gives the same bytes.
pub fn tilt(w: &Words, n: &Notice) -> String {
    let r = &n.register;
    let c = &r.controller;
    let name = c.title.clone().or(c.name.clone()).unwrap_or_default();
    let country = c.country.clone().unwrap_or_default();
    let created = format!("{}T00:00:00", r.date);
    let rights_of = |keyword: &str| {
        n.rights
            .activities
            .iter()
            .flat_map(|a| a.rights.iter())
            .filter(|x| x.right == keyword && x.applies)
            .filter_map(|x| x.channel.clone())
            .next()
    };
    let available = |keyword: &str| {
        n.rights
            .activities
            .iter()
            .flat_map(|a| a.rights.iter())
            .any(|x| x.right == keyword && x.applies)
    };
    let right = |keyword: &str| {
        let mut value = json!({"available": available(keyword)});
        if let Some(channel) = rights_of(keyword) {
            value["description"] = json!(channel);
            let email = email_in(&channel);
            if !email.is_empty() {
                value["email"] = json!(email);
            }
        }
        if let Some(check) = &n.verify_identity {
            value["identificationEvidences"] = json!([check]);
        }
        value
    };
    let mut disclosed = Vec::new();
    let mut transfers = Vec::new();
    let mut sources = Vec::new();
    let changes: Vec<Value> = Vec::new();
    for a in &r.activities {
        let purpose = a
            .purpose
            .as_ref()
            .map_or(a.name.clone(), |p| p.name.clone());
        let purpose_text = a.title.clone().unwrap_or(a.name.clone());
        let legal_bases: Vec<Value> = a
            .basis
            .iter()
            .map(|b| {
                let point = b.article.trim_start_matches("6(1)(").trim_end_matches(')');
                json!({
                    "reference": format!("GDPR-6-1-{point}"),
                    "description": BasisKind::from_keyword(&b.kind).map_or("", |k| w.basis(k)),
                })
            })
            .collect();
        let interests: Vec<Value> = a
            .basis
            .iter()
            .filter(|b| b.kind == "legitimate-interest")
            .map(|b| json!({"exists": true, "reasoning": b.interest.clone().or(b.assessment.clone()).unwrap_or_default()}))
            .collect();
        let recipients: Vec<Value> = [
            ("processor", &a.recipients.processors),
            ("controller", &a.recipients.controllers),
            ("joint-controller", &a.recipients.joint_controllers),
        ]
        .iter()
        .flat_map(|(category, list)| {
            list.iter().map(move |x| {
                let mut value = json!({"name": x.title.clone().unwrap_or(x.name.clone()), "category": category});
                if let Some(country) = &x.country {
                    value["country"] = json!(country);
                }
                value
            })
        })
        .collect();
        let storage = json!([{
            "temporal": a.retention.as_ref().and_then(|x| x.period.as_deref()).map(|p| vec![json!({
                "description": retention(w, a.retention.as_ref()),
                "ttl": iso_duration(p),
            })]).unwrap_or_default(),
            "purposeConditional": a.retention.as_ref().filter(|x| x.period.is_none()).map(|_| vec![retention(w, a.retention.as_ref())]).unwrap_or_default(),
            "aggregationFunction": "max",
        }]);
        for d in &a.data {
            disclosed.push(json!({
                "_id": format!("{}:{}", a.name, d.name),
                "category": d.title.clone().unwrap_or(d.name.clone()),
                "purposes": [{"purpose": purpose, "description": purpose_text}],
                "legalBases": legal_bases,
                "legitimateInterests": interests,
                "recipients": recipients,
                "storage": storage,
                "nonDisclosure": {
                    "legalRequirement": a.basis.as_ref().is_some_and(|b| b.kind == "legal-obligation"),
                    "contractualRegulation": a.basis.as_ref().is_some_and(|b| b.kind == "contract"),
                    "obligationToProvide": false,
                    "consequences": "",
                },
            }));
            for s in a.sources.iter().filter(|s| s.kind != "subject") {
                sources.push(json!({
                    "_id": format!("{}:{}:{}:{}", a.name, d.name, s.kind, s.name.as_deref().unwrap_or("")),
                    "dataCategory": d.title.clone().unwrap_or(d.name.clone()),
                    "sources": [{
                        "description": super::source_text(w, s),
                        "url": "",
                        "publiclyAvailable": s.kind == "public",
                    }],
                }));
            }
        }
        for t in &a.transfers {
            let adequate = t.status.starts_with("adequate");
            let mut value = json!({
                "country": t.country,
                "adequacyDecision": {"available": adequate},
                "appropriateGuarantees": {"available": t.mechanism.is_some()},
                "presenceOfEnforceableRightsAndEffectiveRemedies": {"available": false},
                "standardDataProtectionClause": {"available": t.mechanism.as_deref() == Some("scc")},
            });
            let text = format!(
                "{}: {}",
                transfer_destination(w, t),
                transfer_mechanism(w, t)
            );
            if adequate {
                value["adequacyDecision"]["description"] = json!(text);
            }
            if t.mechanism.is_some() {
                value["appropriateGuarantees"]["description"] = json!(text);
            }
            if t.mechanism.as_deref() == Some("scc") {
                value["standardDataProtectionClause"]["description"] = json!(text);
            }
            transfers.push(value);
        }
    }
    let decisions: Vec<&register::ActivityEntry> = r
        .activities
        .iter()
        .filter(|a| {
            a.automated_decision
                .as_ref()
                .is_some_and(|d| matches!(d.effect.as_deref(), Some("legal" | "significant")))
        })
        .collect();
    let automated = if decisions.is_empty() {
        json!({"inUse": false})
    } else {
        let logic: Vec<String> = decisions
            .iter()
            .map(|a| a.title.clone().unwrap_or(a.name.clone()))
            .collect();
        let effects: Vec<String> = decisions
            .iter()
            .map(|a| {
                let all = fields(w, a);
                all.iter()
                    .find(|(l, _)| *l == w.automated_decision)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
            .collect();
        json!({"inUse": true, "logicInvolved": logic.join("; "), "scopeAndIntendedEffects": effects.join("; ")})
    };
    let mut access = right("access");
    access["available"] = json!(true);
    if !n.portability_formats.is_empty() {
        access["dataFormats"] = json!(n.portability_formats);
    }
    if n.free {
        access["administrativeFee"] = json!({"amount": 0, "currency": "EUR"});
    }
    let mut information = right("access");
    information["available"] = json!(true);
    let mut rectification = right("rectification");
    rectification["available"] = json!(true);
    let mut document = json!({
        "meta": {
            "_id": format!("urn:lawful:{}:notice", c.name.clone().unwrap_or_default()),
            "name": name,
            "created": created,
            "modified": created,
            "version": 1,
            "language": w.code,
            "status": "active",
            "url": c.notice.clone().unwrap_or_default(),
            "_hash": "",
        },
        "controller": {
            "name": name,
            "address": c.contact.clone().unwrap_or_default(),
            "country": country,
            "representative": {
                "name": c.representative.clone().unwrap_or(name.clone()),
                "email": email_in(c.representative.as_deref().or(c.contact.as_deref()).unwrap_or("")),
            },
        },
        "dataProtectionOfficer": {
            "name": c.dpo.clone().unwrap_or_default(),
            "address": c.dpo.clone().unwrap_or_default(),
            "country": country,
            "email": email_in(c.dpo.as_deref().unwrap_or("")),
        },
        "dataDisclosed": disclosed,
        "thirdCountryTransfers": transfers,
        "accessAndDataPortability": access,
        "sources": sources,
        "rightToInformation": information,
        "rightToRectificationOrDeletion": rectification,
        "rightToDataPortability": right("portability"),
        "rightToWithdrawConsent": right("withdraw-consent"),
        "rightToComplain": {
            "available": true,
            "description": w.complaint_text,
            "supervisoryAuthority": {
                "name": n.authority.clone().unwrap_or_default(),
                "country": country,
            },
        },
        "automatedDecisionMaking": automated,
        "changesOfPurpose": changes,
    });
    let unhashed = serde_json::to_string(&document).unwrap_or_default();
    document["meta"]["_hash"] = json!(super::sha256::hex(unhashed.as_bytes()));
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}
