//! The register as Markdown, CSV, JSON and one standalone HTML page, worded per language.

use super::lang::Words;
use super::register::{ActivityEntry, Register};
use super::{bare, csv_row, html, md, retention, titled, transfer_destination, transfer_mechanism};
use crate::model::vocab::{
    Art9Category, Art9Ground, BasisKind, DecisionException, Effect, MeasureKind, Safeguard,
};

/// The register's fields for one activity, in words, as (heading, value) pairs: the rows of
/// the Markdown and HTML tables and the columns of the CSV, in this order.
pub fn fields(w: &Words, a: &ActivityEntry) -> Vec<(&'static str, String)> {
    let none = || w.none.to_string();
    let or_none = |items: Vec<String>| {
        if items.is_empty() {
            none()
        } else {
            items.join("; ")
        }
    };
    let purpose = a.purpose.as_ref().map_or_else(
        || w.not_stated.to_string(),
        |p| titled(&p.name, p.title.as_deref()),
    );
    let basis = a.basis.as_ref().map_or_else(
        || w.not_stated.to_string(),
        |b| {
            let mut text =
                BasisKind::from_keyword(&b.kind).map_or(b.kind.clone(), |k| w.basis(k).to_string());
            for (label, value) in [
                (w.law, &b.law),
                (w.contract, &b.contract),
                (w.interest, &b.interest),
                (w.assessment, &b.assessment),
                (w.evidence, &b.evidence),
            ] {
                if let Some(value) = value {
                    text.push_str(&format!("; {label}: {value}"));
                }
            }
            text
        },
    );
    let condition = a
        .special_condition
        .as_ref()
        .and_then(|c| Art9Ground::from_keyword(&c.ground))
        .map_or_else(none, |g| w.art9_ground(g).to_string());
    let data = or_none(
        a.data
            .iter()
            .map(|d| {
                let mut text = titled(&d.name, d.title.as_deref());
                if let Some(special) = d.special.as_deref().and_then(Art9Category::from_keyword) {
                    text.push_str(&format!(
                        " [{}: {}]",
                        w.special_marker,
                        w.art9_category(special)
                    ));
                }
                if d.criminal {
                    text.push_str(&format!(" [{}]", w.criminal_marker));
                }
                text
            })
            .collect(),
    );
    let recipients = |list: &[super::register::RecipientEntry]| {
        or_none(
            list.iter()
                .map(|r| {
                    let mut text = titled(&r.name, r.title.as_deref());
                    if let Some(country) = &r.country {
                        text.push_str(&format!(" ({country})"));
                    }
                    if let Some(through) = &r.through {
                        text.push_str(&format!(", {} {}", w.through, bare(through)));
                    }
                    text
                })
                .collect(),
        )
    };
    let transfers = or_none(
        a.transfers
            .iter()
            .map(|t| {
                format!(
                    "{}: {}: {}",
                    t.country,
                    transfer_destination(w, t),
                    transfer_mechanism(w, t)
                ) + &t
                    .tia
                    .as_ref()
                    .map(|tia| format!(" ({}: {tia})", w.tia))
                    .unwrap_or_default()
            })
            .collect(),
    );
    let measures = or_none(
        a.measures
            .iter()
            .map(|m| {
                let name = if m.custom {
                    m.measure.clone()
                } else {
                    MeasureKind::from_keyword(&m.measure)
                        .map_or(m.measure.clone(), |k| w.measure(k).to_string())
                };
                match m.from.as_str() {
                    "activity" => name,
                    "controller" => format!("{name} ({})", w.from_controller),
                    system => format!("{name} ({} {})", w.from_system, bare(system)),
                }
            })
            .collect(),
    );
    let sources = or_none(a.sources.iter().map(|s| super::source_text(w, s)).collect());
    let dpia = {
        let mut parts = Vec::new();
        if let Some(reference) = &a.dpia.reference {
            parts.push(reference.clone());
        }
        if !a.dpia.indicators.is_empty() {
            let names: Vec<&str> = a.dpia.indicators.iter().map(|i| dpia_name(w, i)).collect();
            parts.push(format!("{}: {}", w.dpia_indicators, names.join(", ")));
        }
        or_none(parts)
    };
    let decision = a.automated_decision.as_ref().map_or_else(none, |d| {
        let mut parts = Vec::new();
        if let Some(effect) = d.effect.as_deref().and_then(Effect::from_keyword) {
            parts.push(format!("{}: {}", w.effect, w.effect(effect)));
        }
        if let Some(exception) = d
            .exception
            .as_deref()
            .and_then(DecisionException::from_keyword)
        {
            parts.push(format!(
                "{}: {}",
                w.exception,
                w.decision_exception(exception)
            ));
        }
        let safeguards: Vec<&str> = d
            .safeguards
            .iter()
            .filter_map(|s| Safeguard::from_keyword(s))
            .map(|s| w.safeguard(s))
            .collect();
        if !safeguards.is_empty() {
            parts.push(format!("{}: {}", w.safeguards, safeguards.join(", ")));
        }
        if parts.is_empty() {
            w.yes.to_string()
        } else {
            parts.join("; ")
        }
    });
    // Profiling belongs with automated decision-making (Art. 22(1), 13(2)(f)); monitoring and
    // large scale are among the DPIA indicators above.
    let decision = if a.profiling {
        format!("{decision} ({})", w.profiling)
    } else {
        decision
    };
    vec![
        (w.purpose, purpose),
        (w.basis, basis),
        (w.special_condition, condition),
        (
            w.criminal_authorised,
            a.criminal_authorised_by.clone().unwrap_or_else(none),
        ),
        (
            w.subjects,
            or_none(
                a.subjects
                    .iter()
                    .map(|s| titled(&s.name, s.title.as_deref()))
                    .collect(),
            ),
        ),
        (w.data, data),
        (
            w.recipients_processors,
            recipients(&a.recipients.processors),
        ),
        (
            w.recipients_controllers,
            recipients(&a.recipients.controllers),
        ),
        (
            w.recipients_joint,
            recipients(&a.recipients.joint_controllers),
        ),
        (w.transfers, transfers),
        (w.retention, retention(w, a.retention.as_ref())),
        (w.measures, measures),
        (w.source, sources),
        (w.systems, or_none(a.systems.clone())),
        (w.dpia, dpia),
        (w.automated_decision, decision),
        (
            w.allows,
            or_none(
                a.allows
                    .iter()
                    .map(|x| format!("{}: {}", x.code, x.reason))
                    .collect(),
            ),
        ),
    ]
}

pub fn dpia_name(w: &Words, indicator: &str) -> &'static str {
    let i = [
        "special-or-criminal",
        "large-scale",
        "vulnerable",
        "automated-decision",
        "profiling",
        "monitoring",
    ]
    .iter()
    .position(|k| *k == indicator)
    .unwrap_or(0);
    w.dpia_names[i]
}

fn controller_fields(w: &Words, r: &Register) -> Vec<(&'static str, String)> {
    let c = &r.controller;
    let or = |v: &Option<String>| v.clone().unwrap_or_else(|| w.not_stated.to_string());
    let mut dpo = or(&c.dpo);
    if !c.dpo_required.is_empty() {
        dpo.push_str(&format!(" ({})", w.dpo_required));
    }
    let name = c.name.as_deref().map_or_else(
        || w.not_stated.to_string(),
        |n| titled(n, c.title.as_deref()),
    );
    let allows: Vec<String> = c
        .allows
        .iter()
        .map(|x| format!("{}: {}", x.code, x.reason))
        .collect();
    vec![
        (w.controller, name),
        (w.contact, or(&c.contact)),
        (w.country, or(&c.country)),
        (w.dpo, dpo),
        (w.representative, or(&c.representative)),
        (
            w.allows,
            if allows.is_empty() {
                w.none.to_string()
            } else {
                allows.join("; ")
            },
        ),
    ]
}

fn activity_heading(a: &ActivityEntry) -> String {
    titled(&a.name, a.title.as_deref())
}

pub fn markdown(w: &Words, r: &Register) -> String {
    let mut out = format!(
        "# {}\n\n{}. {} {}.\n\n## {}\n\n",
        w.register_title, w.register_intro, w.as_of, r.date, w.controller
    );
    out.push_str("| | |\n|---|---|\n");
    for (label, value) in controller_fields(w, r) {
        out.push_str(&format!("| {} | {} |\n", md(label), md(&value)));
    }
    if !r.allows.is_empty() {
        out.push_str(&format!("\n## {}\n\n| | | |\n|---|---|---|\n", w.allows));
        for x in &r.allows {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                md(&x.declaration.replacen(':', " ", 1)),
                md(&x.code),
                md(&x.reason)
            ));
        }
    }
    out.push_str(&format!("\n## {}\n", w.activities));
    for a in &r.activities {
        out.push_str(&format!(
            "\n### {}\n\n| | |\n|---|---|\n",
            md(&activity_heading(a))
        ));
        for (label, value) in fields(w, a) {
            out.push_str(&format!("| {} | {} |\n", md(label), md(&value)));
        }
    }
    out
}

/// The CSV's stable column identifiers (the first row under `--header ids` is not offered:
/// the header row is worded per language; docs/documents.md lists both).
pub const CSV_COLUMNS: [&str; 20] = [
    "controller",
    "activity",
    "title",
    "purpose",
    "basis",
    "special_condition",
    "criminal_authorised_by",
    "subjects",
    "data",
    "processors",
    "third_party_controllers",
    "joint_controllers",
    "transfers",
    "retention",
    "measures",
    "sources",
    "systems",
    "dpia",
    "automated_decision",
    "allows",
];

pub fn csv(w: &Words, r: &Register, bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    let mut header = vec![
        w.controller.to_string(),
        w.activity.to_string(),
        "Title".to_string(),
    ];
    if w.code == "nl" {
        header[2] = "Titel".to_string();
    }
    let empty = ActivityEntry::empty();
    header.extend(
        fields(w, &empty)
            .into_iter()
            .map(|(label, _)| label.to_string()),
    );
    out.push_str(&csv_row(&header));
    let controller = r.controller.name.clone().unwrap_or_default();
    for a in &r.activities {
        let mut row = vec![
            controller.clone(),
            a.name.clone(),
            a.title.clone().unwrap_or_default(),
        ];
        row.extend(fields(w, a).into_iter().map(|(_, value)| value));
        out.push_str(&csv_row(&row));
    }
    out
}

pub fn json(r: &Register) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}

pub fn json_many(registers: &[Register]) -> String {
    serde_json::to_string_pretty(registers).unwrap_or_default() + "\n"
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:60em;color:#111;line-height:1.4}\
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #999}\
h3{font-size:1.05em;margin-top:1.4em;page-break-after:avoid}\
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;page-break-inside:auto}\
th,td{border:1px solid #bbb;padding:.3em .5em;vertical-align:top;text-align:left}\
th{width:28%;background:#f2f2f2;font-weight:600}tr{page-break-inside:avoid}\
.map{overflow-x:auto}.map svg{max-width:100%;height:auto}\
@page{size:A4;margin:15mm}@page map{size:A4 landscape;margin:10mm}section.map-page{page:map}\
.warn{color:#b00;font-weight:600}\
@media print{body{margin:0;max-width:none;font-size:10pt}section.map-page{break-before:page}}";

/// A self-contained page: inline style and the data-flow map as inline SVG; no scripts, no
/// external resources.
pub fn html_page(w: &Words, r: &Register, map_svg: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p>{}. {} {}.</p>\n<h2>{}</h2>\n<table>\n",
        w.code,
        html(&format!(
            "{} — {}",
            w.register_title,
            r.controller
                .title
                .as_deref()
                .or(r.controller.name.as_deref())
                .unwrap_or("")
        )),
        html(w.register_title),
        html(w.register_intro),
        html(w.as_of),
        html(&r.date),
        html(w.controller),
    );
    for (label, value) in controller_fields(w, r) {
        out.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            html(label),
            html(&value)
        ));
    }
    out.push_str("</table>\n");
    if !r.allows.is_empty() {
        out.push_str(&format!("<h2>{}</h2>\n<table>\n", html(w.allows)));
        for x in &r.allows {
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}: {}</td></tr>\n",
                html(&x.declaration.replacen(':', " ", 1)),
                html(&x.code),
                html(&x.reason)
            ));
        }
        out.push_str("</table>\n");
    }
    out.push_str(&format!("<h2>{}</h2>\n", html(w.activities)));
    for a in &r.activities {
        out.push_str(&format!(
            "<h3 id=\"activity-{}\">{}</h3>\n<table>\n",
            html(&a.name),
            html(&activity_heading(a))
        ));
        for (label, value) in fields(w, a) {
            let class = if value.contains(w.unprotected) {
                " class=\"warn\""
            } else {
                ""
            };
            out.push_str(&format!(
                "<tr><th>{}</th><td{class}>{}</td></tr>\n",
                html(label),
                html(&value)
            ));
        }
        out.push_str("</table>\n");
    }
    let svg = map_svg
        .trim_start()
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split_once("?>").map(|(_, svg)| svg))
        .unwrap_or(map_svg)
        .trim();
    out.push_str(&format!(
        "<section class=\"map-page\">\n<h2>{}</h2>\n<div class=\"map\">\n{svg}\n</div>\n</section>\n</body>\n</html>\n",
        html(w.data_flow_map)
    ));
    out
}

impl ActivityEntry {
    /// An activity with nothing stated: its fields give the CSV header.
    pub fn empty() -> ActivityEntry {
        ActivityEntry {
            name: String::new(),
            title: None,
            purpose: None,
            basis: None,
            special_condition: None,
            criminal_authorised_by: None,
            subjects: Vec::new(),
            data: Vec::new(),
            sources: Vec::new(),
            recipients: Default::default(),
            transfers: Vec::new(),
            retention: None,
            measures: Vec::new(),
            systems: Vec::new(),
            dpia: super::register::DpiaEntry {
                reference: None,
                indicators: Vec::new(),
            },
            automated_decision: None,
            profiling: false,
            monitoring: false,
            large_scale: false,
            informed: None,
            allows: Vec::new(),
        }
    }
}
