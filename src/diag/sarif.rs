//! SARIF 2.1.0, for code-scanning dashboards. The `rules` array comes from the registry.

use super::Diagnostic;
use crate::registry::{self, Severity};
use crate::source::Sources;
use serde_json::{Value, json};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let rules: Vec<Value> = registry::all()
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "help": { "text": rule.explain, "markdown": rule.explain },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "article": rule.article },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let at = d.location(sources);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": message },
                "properties": { "article": d.article() },
            });
            if let Some(file) = &at.file {
                let mut physical = json!({ "artifactLocation": { "uri": file } });
                if at.line > 0 {
                    physical["region"] = json!({
                        "startLine": at.line, "startColumn": at.column,
                        "endLine": at.end_line, "endColumn": at.end_column,
                    });
                }
                result["locations"] = json!([{ "physicalLocation": physical }]);
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .map(|r| {
                    let at = super::locate(sources, None, Some(r.span));
                    json!({
                        "physicalLocation": {
                            "artifactLocation": { "uri": at.file },
                            "region": { "startLine": at.line, "startColumn": at.column },
                        },
                        "message": { "text": r.message },
                    })
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "lawful",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&sarif).unwrap_or_default() + "\n"
}
